"""Step 2: the columns and indexes New API added to One API's tables (admin.md §1.3).

Each column is added only when missing, so fork-era One API databases gain them and New API
databases pass through unchanged. NOT NULL columns carry ``db_default`` so tables with rows
accept them.
"""

# ruff: noqa: RUF012  (tortoise migrations declare operations as class-level lists)

from orjson import loads
from tortoise import fields, migrations
from tortoise.fields.data import JSON_DUMPS
from tortoise.indexes import Index

from newapi.store.schema_ops import EnsureField, EnsureIndex


class Migration(migrations.Migration):
    dependencies = [("newapi", "0001_one_api_baseline")]

    operations = [
        EnsureField(
            model_name="User",
            name="aff_count",
            field=fields.IntField(default=0, db_default=0),
        ),
        EnsureField(
            model_name="User",
            name="aff_quota",
            field=fields.BigIntField(default=0, db_default=0),
        ),
        EnsureField(
            model_name="User",
            name="aff_history",
            field=fields.BigIntField(default=0, db_default=0),
        ),
        EnsureField(
            model_name="User",
            name="deleted_at",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        EnsureField(
            model_name="User",
            name="linux_do_id",
            field=fields.CharField(default="", db_default="", max_length=191),
        ),
        EnsureField(
            model_name="User",
            name="telegram_id",
            field=fields.CharField(default="", db_default="", max_length=191),
        ),
        EnsureField(
            model_name="User",
            name="discord_id",
            field=fields.CharField(default="", db_default="", max_length=191),
        ),
        EnsureField(
            model_name="User",
            name="oidc_id",
            field=fields.CharField(default="", db_default="", max_length=191),
        ),
        EnsureField(
            model_name="User",
            name="setting",
            field=fields.TextField(null=True, unique=False),
        ),
        EnsureField(
            model_name="User",
            name="remark",
            field=fields.CharField(default="", db_default="", max_length=255),
        ),
        EnsureField(
            model_name="User",
            name="stripe_customer",
            field=fields.CharField(default="", db_default="", max_length=64),
        ),
        EnsureField(
            model_name="User",
            name="created_at",
            field=fields.BigIntField(default=0, db_default=0),
        ),
        EnsureField(
            model_name="User",
            name="last_login_at",
            field=fields.BigIntField(default=0, db_default=0),
        ),
        EnsureField(
            model_name="User",
            name="auth_version",
            field=fields.BigIntField(default=1, db_default=1),
        ),
        EnsureIndex(
            model_name="User",
            index=Index(fields=["deleted_at"], name="idx_users_deleted_at"),
        ),
        EnsureIndex(
            model_name="User",
            index=Index(fields=["linux_do_id"], name="idx_users_linux_do_id"),
        ),
        EnsureIndex(
            model_name="User",
            index=Index(fields=["telegram_id"], name="idx_users_telegram_id"),
        ),
        EnsureIndex(
            model_name="User",
            index=Index(fields=["discord_id"], name="idx_users_discord_id"),
        ),
        EnsureIndex(
            model_name="User",
            index=Index(fields=["oidc_id"], name="idx_users_oidc_id"),
        ),
        EnsureIndex(
            model_name="User",
            index=Index(fields=["stripe_customer"], name="idx_users_stripe_customer"),
        ),
        EnsureField(
            model_name="Token",
            name="model_limits_enabled",
            field=fields.BooleanField(default=False, db_default=False),
        ),
        EnsureField(
            model_name="Token",
            name="model_limits",
            field=fields.TextField(null=True, unique=False),
        ),
        EnsureField(
            model_name="Token",
            name="allow_ips",
            field=fields.CharField(null=True, default="", db_default="", max_length=191),
        ),
        EnsureField(
            model_name="Token",
            name="group",
            field=fields.CharField(default="", db_default="", max_length=64),
        ),
        EnsureField(
            model_name="Token",
            name="cross_group_retry",
            field=fields.BooleanField(default=False, db_default=False),
        ),
        EnsureField(
            model_name="Token",
            name="auto_groups",
            field=fields.TextField(null=True, unique=False),
        ),
        EnsureField(
            model_name="Token",
            name="deleted_at",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        EnsureIndex(
            model_name="Token",
            index=Index(fields=["user_id"], name="idx_tokens_user_id"),
        ),
        EnsureIndex(
            model_name="Token",
            index=Index(fields=["deleted_at"], name="idx_tokens_deleted_at"),
        ),
        EnsureField(
            model_name="Channel",
            name="openai_organization",
            field=fields.CharField(null=True, max_length=191),
        ),
        EnsureField(
            model_name="Channel",
            name="test_model",
            field=fields.CharField(null=True, max_length=191),
        ),
        EnsureField(
            model_name="Channel",
            name="status_code_mapping",
            field=fields.CharField(null=True, default="", db_default="", max_length=1024),
        ),
        EnsureField(
            model_name="Channel",
            name="auto_ban",
            field=fields.IntField(null=True, default=1, db_default=1),
        ),
        EnsureField(
            model_name="Channel",
            name="other_info",
            field=fields.TextField(null=True, unique=False),
        ),
        EnsureField(
            model_name="Channel",
            name="tag",
            field=fields.CharField(null=True, max_length=191),
        ),
        EnsureField(
            model_name="Channel",
            name="setting",
            field=fields.TextField(null=True, unique=False),
        ),
        EnsureField(
            model_name="Channel",
            name="param_override",
            field=fields.TextField(null=True, unique=False),
        ),
        EnsureField(
            model_name="Channel",
            name="header_override",
            field=fields.TextField(null=True, unique=False),
        ),
        EnsureField(
            model_name="Channel",
            name="remark",
            field=fields.CharField(null=True, max_length=255),
        ),
        EnsureField(
            model_name="Channel",
            name="channel_info",
            field=fields.JSONField(null=True, encoder=JSON_DUMPS, decoder=loads),
        ),
        EnsureField(
            model_name="Channel",
            name="settings",
            field=fields.TextField(null=True, unique=False),
        ),
        EnsureIndex(
            model_name="Channel",
            index=Index(fields=["tag"], name="idx_channels_tag"),
        ),
        EnsureField(
            model_name="Ability",
            name="weight",
            field=fields.IntField(default=0, db_default=0),
        ),
        EnsureField(
            model_name="Ability",
            name="tag",
            field=fields.CharField(null=True, max_length=191),
        ),
        EnsureIndex(
            model_name="Ability",
            index=Index(fields=["weight"], name="idx_abilities_weight"),
        ),
        EnsureIndex(
            model_name="Ability",
            index=Index(fields=["tag"], name="idx_abilities_tag"),
        ),
        EnsureField(
            model_name="Redemption",
            name="used_user_id",
            field=fields.IntField(default=0, db_default=0),
        ),
        EnsureField(
            model_name="Redemption",
            name="deleted_at",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        EnsureField(
            model_name="Redemption",
            name="expired_time",
            field=fields.BigIntField(default=0, db_default=0),
        ),
        EnsureIndex(
            model_name="Redemption",
            index=Index(fields=["deleted_at"], name="idx_redemptions_deleted_at"),
        ),
        EnsureField(
            model_name="Log",
            name="use_time",
            field=fields.IntField(default=0, db_default=0),
        ),
        EnsureField(
            model_name="Log",
            name="is_stream",
            field=fields.BooleanField(default=False, db_default=False),
        ),
        EnsureField(
            model_name="Log",
            name="token_id",
            field=fields.IntField(default=0, db_default=0),
        ),
        EnsureField(
            model_name="Log",
            name="group",
            field=fields.CharField(default="", db_default="", max_length=191),
        ),
        EnsureField(
            model_name="Log",
            name="ip",
            field=fields.CharField(default="", db_default="", max_length=191),
        ),
        EnsureField(
            model_name="Log",
            name="request_id",
            field=fields.CharField(default="", db_default="", max_length=64),
        ),
        EnsureField(
            model_name="Log",
            name="upstream_request_id",
            field=fields.CharField(default="", db_default="", max_length=128),
        ),
        EnsureField(
            model_name="Log",
            name="other",
            field=fields.TextField(null=True, unique=False),
        ),
        EnsureIndex(
            model_name="Log",
            index=Index(fields=["token_id"], name="idx_logs_token_id"),
        ),
        EnsureIndex(
            model_name="Log",
            index=Index(fields=["group"], name="idx_logs_group"),
        ),
        EnsureIndex(
            model_name="Log",
            index=Index(fields=["ip"], name="idx_logs_ip"),
        ),
        EnsureIndex(
            model_name="Log",
            index=Index(fields=["request_id"], name="idx_logs_request_id"),
        ),
        EnsureIndex(
            model_name="Log",
            index=Index(fields=["upstream_request_id"], name="idx_logs_upstream_request_id"),
        ),
    ]
