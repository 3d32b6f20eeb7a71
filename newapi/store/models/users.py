"""Accounts: One API's ``users`` table (with New API's columns) and New API's 2FA tables.

Column names, widths and defaults follow the Go originals (GORM): columns that were plain Go
values are NOT NULL with the GORM default, pointer columns are nullable, and TEXT columns are
nullable without a default (MySQL refuses defaults on TEXT). Quotas are BIGINT.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

__all__ = ["TwoFA", "TwoFABackupCode", "User"]

ROLE_GUEST = 0
ROLE_COMMON = 1
ROLE_ADMIN = 10
ROLE_ROOT = 100


class User(Model):
    id = fields.IntField(primary_key=True)
    username = fields.CharField(max_length=191, unique=True)
    password = fields.TextField()
    display_name = fields.CharField(max_length=191, default="", db_default="")
    role = fields.IntField(default=ROLE_COMMON, db_default=ROLE_COMMON)
    status = fields.IntField(default=1, db_default=1)
    email = fields.CharField(max_length=191, default="", db_default="")
    github_id = fields.CharField(max_length=191, default="", db_default="")
    wechat_id = fields.CharField(max_length=191, default="", db_default="")
    access_token = fields.CharField(max_length=32, null=True, unique=True)
    quota = fields.BigIntField(default=0, db_default=0)
    used_quota = fields.BigIntField(default=0, db_default=0)
    request_count = fields.IntField(default=0, db_default=0)
    group = fields.CharField(max_length=64, default="default", db_default="default")
    aff_code = fields.CharField(max_length=32, null=True, unique=True)
    inviter_id = fields.IntField(default=0, db_default=0)
    # New API
    aff_count = fields.IntField(default=0, db_default=0)
    aff_quota = fields.BigIntField(default=0, db_default=0)
    aff_history = fields.BigIntField(default=0, db_default=0)
    deleted_at = fields.DatetimeField(null=True)
    linux_do_id = fields.CharField(max_length=191, default="", db_default="")
    telegram_id = fields.CharField(max_length=191, default="", db_default="")
    discord_id = fields.CharField(max_length=191, default="", db_default="")
    oidc_id = fields.CharField(max_length=191, default="", db_default="")
    setting = fields.TextField(null=True)
    remark = fields.CharField(max_length=255, default="", db_default="")
    stripe_customer = fields.CharField(max_length=64, default="", db_default="")
    created_at = fields.BigIntField(default=0, db_default=0)
    last_login_at = fields.BigIntField(default=0, db_default=0)
    auth_version = fields.BigIntField(default=1, db_default=1)

    class Meta:
        table = "users"
        table_description = "User accounts"
        indexes = (
            Index(fields=("display_name",), name="idx_users_display_name"),
            Index(fields=("email",), name="idx_users_email"),
            Index(fields=("github_id",), name="idx_users_github_id"),
            Index(fields=("wechat_id",), name="idx_users_wechat_id"),
            Index(fields=("inviter_id",), name="idx_users_inviter_id"),
            Index(fields=("deleted_at",), name="idx_users_deleted_at"),
            Index(fields=("linux_do_id",), name="idx_users_linux_do_id"),
            Index(fields=("telegram_id",), name="idx_users_telegram_id"),
            Index(fields=("discord_id",), name="idx_users_discord_id"),
            Index(fields=("oidc_id",), name="idx_users_oidc_id"),
            Index(fields=("stripe_customer",), name="idx_users_stripe_customer"),
        )


class TwoFA(Model):
    id = fields.IntField(primary_key=True)
    user_id = fields.IntField(unique=True)
    secret = fields.CharField(max_length=255)
    is_enabled = fields.BooleanField(default=False, db_default=False)
    failed_attempts = fields.IntField(default=0, db_default=0)
    locked_until = fields.DatetimeField(null=True)
    last_used_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(null=True)
    updated_at = fields.DatetimeField(null=True)
    deleted_at = fields.DatetimeField(null=True)

    class Meta:
        table = "two_fas"
        table_description = "TOTP settings per user"
        indexes = (Index(fields=("deleted_at",), name="idx_two_fas_deleted_at"),)


class TwoFABackupCode(Model):
    id = fields.IntField(primary_key=True)
    user_id = fields.IntField()
    code_hash = fields.CharField(max_length=255)
    is_used = fields.BooleanField(default=False, db_default=False)
    used_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(null=True)
    deleted_at = fields.DatetimeField(null=True)

    class Meta:
        table = "two_fa_backup_codes"
        table_description = "2FA backup codes (bcrypt hashes)"
        indexes = (
            Index(fields=("user_id",), name="idx_two_fa_backup_codes_user_id"),
            Index(fields=("deleted_at",), name="idx_two_fa_backup_codes_deleted_at"),
        )
