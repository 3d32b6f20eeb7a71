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

from newapi.store.schema_ops import EnsureColumns


class Migration(migrations.Migration):
    dependencies = [("newapi", "0001_one_api_baseline")]

    operations = [
        EnsureColumns(
            model_name="User",
            fields=[
                ("aff_count", fields.IntField(default=0, db_default=0)),
                ("aff_quota", fields.BigIntField(default=0, db_default=0)),
                ("aff_history", fields.BigIntField(default=0, db_default=0)),
                ("deleted_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("linux_do_id", fields.CharField(default="", db_default="", max_length=191)),
                ("telegram_id", fields.CharField(default="", db_default="", max_length=191)),
                ("discord_id", fields.CharField(default="", db_default="", max_length=191)),
                ("oidc_id", fields.CharField(default="", db_default="", max_length=191)),
                ("setting", fields.TextField(null=True, unique=False)),
                ("remark", fields.CharField(default="", db_default="", max_length=255)),
                ("stripe_customer", fields.CharField(default="", db_default="", max_length=64)),
                ("created_at", fields.BigIntField(default=0, db_default=0)),
                ("last_login_at", fields.BigIntField(default=0, db_default=0)),
                ("auth_version", fields.BigIntField(default=1, db_default=1)),
            ],
            indexes=[
                Index(fields=["deleted_at"], name="idx_users_deleted_at"),
                Index(fields=["linux_do_id"], name="idx_users_linux_do_id"),
                Index(fields=["telegram_id"], name="idx_users_telegram_id"),
                Index(fields=["discord_id"], name="idx_users_discord_id"),
                Index(fields=["oidc_id"], name="idx_users_oidc_id"),
                Index(fields=["stripe_customer"], name="idx_users_stripe_customer"),
            ],
        ),
        EnsureColumns(
            model_name="Token",
            fields=[
                ("model_limits_enabled", fields.BooleanField(default=False, db_default=False)),
                ("model_limits", fields.TextField(null=True, unique=False)),
                (
                    "allow_ips",
                    fields.CharField(null=True, default="", db_default="", max_length=191),
                ),
                ("group", fields.CharField(default="", db_default="", max_length=64)),
                ("cross_group_retry", fields.BooleanField(default=False, db_default=False)),
                ("auto_groups", fields.TextField(null=True, unique=False)),
                ("deleted_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            indexes=[
                Index(fields=["user_id"], name="idx_tokens_user_id"),
                Index(fields=["deleted_at"], name="idx_tokens_deleted_at"),
            ],
        ),
        EnsureColumns(
            model_name="Channel",
            fields=[
                ("openai_organization", fields.CharField(null=True, max_length=191)),
                ("test_model", fields.CharField(null=True, max_length=191)),
                (
                    "status_code_mapping",
                    fields.CharField(null=True, default="", db_default="", max_length=1024),
                ),
                ("auto_ban", fields.IntField(null=True, default=1, db_default=1)),
                ("other_info", fields.TextField(null=True, unique=False)),
                ("tag", fields.CharField(null=True, max_length=191)),
                ("setting", fields.TextField(null=True, unique=False)),
                ("param_override", fields.TextField(null=True, unique=False)),
                ("header_override", fields.TextField(null=True, unique=False)),
                ("remark", fields.CharField(null=True, max_length=255)),
                ("channel_info", fields.JSONField(null=True, encoder=JSON_DUMPS, decoder=loads)),
                ("settings", fields.TextField(null=True, unique=False)),
            ],
            indexes=[
                Index(fields=["tag"], name="idx_channels_tag"),
            ],
        ),
        EnsureColumns(
            model_name="Ability",
            fields=[
                ("weight", fields.IntField(default=0, db_default=0)),
                ("tag", fields.CharField(null=True, max_length=191)),
            ],
            indexes=[
                Index(fields=["weight"], name="idx_abilities_weight"),
                Index(fields=["tag"], name="idx_abilities_tag"),
            ],
        ),
        EnsureColumns(
            model_name="Redemption",
            fields=[
                ("used_user_id", fields.IntField(default=0, db_default=0)),
                ("deleted_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("expired_time", fields.BigIntField(default=0, db_default=0)),
            ],
            indexes=[
                Index(fields=["deleted_at"], name="idx_redemptions_deleted_at"),
            ],
        ),
        EnsureColumns(
            model_name="Log",
            fields=[
                ("use_time", fields.IntField(default=0, db_default=0)),
                ("is_stream", fields.BooleanField(default=False, db_default=False)),
                ("token_id", fields.IntField(default=0, db_default=0)),
                ("group", fields.CharField(default="", db_default="", max_length=191)),
                ("ip", fields.CharField(default="", db_default="", max_length=191)),
                ("request_id", fields.CharField(default="", db_default="", max_length=64)),
                (
                    "upstream_request_id",
                    fields.CharField(default="", db_default="", max_length=128),
                ),
                ("other", fields.TextField(null=True, unique=False)),
            ],
            indexes=[
                Index(fields=["token_id"], name="idx_logs_token_id"),
                Index(fields=["group"], name="idx_logs_group"),
                Index(fields=["ip"], name="idx_logs_ip"),
                Index(fields=["request_id"], name="idx_logs_request_id"),
                Index(fields=["upstream_request_id"], name="idx_logs_upstream_request_id"),
            ],
        ),
    ]
