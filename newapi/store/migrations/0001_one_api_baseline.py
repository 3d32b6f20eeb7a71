"""Step 1: One API's tables as One API v0.5 (Oct 2023, the New API fork point) created them.

Creates ``users``, ``tokens``, ``channels``, ``abilities`` (composite primary key), ``options``,
``redemptions`` and ``logs`` with their One API columns, plus newapi's ``newapi_meta``. On a
database that already holds these tables (One API or New API), each table is adopted: only
missing columns and indexes are added (see ``newapi.store.schema_ops``).
"""

# ruff: noqa: RUF012  (tortoise migrations declare operations as class-level lists)

from tortoise import fields, migrations
from tortoise.indexes import Index

from newapi.store.schema_ops import EnsureModel


class Migration(migrations.Migration):
    initial = True

    operations = [
        EnsureModel(
            name="NewapiMeta",
            fields=[
                (
                    "key",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=191),
                ),
                ("value", fields.TextField(null=True, unique=False)),
                ("updated_at", fields.BigIntField(default=0, db_default=0)),
            ],
            options={
                "table": "newapi_meta",
                "app": "newapi",
                "pk_attr": "key",
                "table_description": "Facts about this database (newapi)",
            },
            bases=["Model"],
        ),
        EnsureModel(
            name="User",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("username", fields.CharField(unique=True, max_length=191)),
                ("password", fields.TextField(unique=False)),
                ("display_name", fields.CharField(default="", db_default="", max_length=191)),
                ("role", fields.IntField(default=1, db_default=1)),
                ("status", fields.IntField(default=1, db_default=1)),
                ("email", fields.CharField(default="", db_default="", max_length=191)),
                ("github_id", fields.CharField(default="", db_default="", max_length=191)),
                ("wechat_id", fields.CharField(default="", db_default="", max_length=191)),
                ("access_token", fields.CharField(null=True, unique=True, max_length=32)),
                ("quota", fields.BigIntField(default=0, db_default=0)),
                ("used_quota", fields.BigIntField(default=0, db_default=0)),
                ("request_count", fields.IntField(default=0, db_default=0)),
                ("group", fields.CharField(default="default", db_default="default", max_length=64)),
                ("aff_code", fields.CharField(null=True, unique=True, max_length=32)),
                ("inviter_id", fields.IntField(default=0, db_default=0)),
            ],
            options={
                "table": "users",
                "app": "newapi",
                "indexes": [
                    Index(fields=["display_name"], name="idx_users_display_name"),
                    Index(fields=["email"], name="idx_users_email"),
                    Index(fields=["github_id"], name="idx_users_github_id"),
                    Index(fields=["wechat_id"], name="idx_users_wechat_id"),
                    Index(fields=["inviter_id"], name="idx_users_inviter_id"),
                ],
                "pk_attr": "id",
                "table_description": "User accounts",
            },
            bases=["Model"],
        ),
        EnsureModel(
            name="Token",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("user_id", fields.IntField(default=0, db_default=0)),
                ("key", fields.CharField(unique=True, max_length=128)),
                ("status", fields.IntField(default=1, db_default=1)),
                ("name", fields.CharField(default="", db_default="", max_length=191)),
                ("created_time", fields.BigIntField(default=0, db_default=0)),
                ("accessed_time", fields.BigIntField(default=0, db_default=0)),
                ("expired_time", fields.BigIntField(default=-1, db_default=-1)),
                ("remain_quota", fields.BigIntField(default=0, db_default=0)),
                ("unlimited_quota", fields.BooleanField(default=False, db_default=False)),
                ("used_quota", fields.BigIntField(default=0, db_default=0)),
            ],
            options={
                "table": "tokens",
                "app": "newapi",
                "indexes": [Index(fields=["name"], name="idx_tokens_name")],
                "pk_attr": "id",
                "table_description": "API keys",
            },
            bases=["Model"],
        ),
        EnsureModel(
            name="Channel",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("type", fields.IntField(default=0, db_default=0)),
                ("key", fields.TextField(unique=False)),
                ("status", fields.IntField(default=1, db_default=1)),
                ("name", fields.CharField(default="", db_default="", max_length=191)),
                ("weight", fields.IntField(null=True, default=0, db_default=0)),
                ("created_time", fields.BigIntField(default=0, db_default=0)),
                ("test_time", fields.BigIntField(default=0, db_default=0)),
                ("response_time", fields.IntField(default=0, db_default=0)),
                (
                    "base_url",
                    fields.CharField(null=True, default="", db_default="", max_length=191),
                ),
                ("other", fields.TextField(null=True, unique=False)),
                ("balance", fields.FloatField(default=0, db_default=0)),
                ("balance_updated_time", fields.BigIntField(default=0, db_default=0)),
                ("models", fields.TextField(null=True, unique=False)),
                ("group", fields.CharField(default="default", db_default="default", max_length=64)),
                ("used_quota", fields.BigIntField(default=0, db_default=0)),
                ("model_mapping", fields.TextField(null=True, unique=False)),
                ("priority", fields.BigIntField(null=True, default=0, db_default=0)),
            ],
            options={
                "table": "channels",
                "app": "newapi",
                "indexes": [Index(fields=["name"], name="idx_channels_name")],
                "pk_attr": "id",
                "table_description": "One upstream account (One API channels)",
            },
            bases=["Model"],
        ),
        EnsureModel(
            name="Ability",
            primary_key=("group", "model", "channel_id"),
            fields=[
                ("group", fields.CharField(max_length=64)),
                ("model", fields.CharField(max_length=255)),
                ("channel_id", fields.IntField(primary_key=True, generated=False)),
                ("enabled", fields.BooleanField(default=True)),
                ("priority", fields.BigIntField(null=True, default=0, db_default=0)),
            ],
            options={
                "table": "abilities",
                "app": "newapi",
                "indexes": [
                    Index(fields=["channel_id"], name="idx_abilities_channel_id"),
                    Index(fields=["priority"], name="idx_abilities_priority"),
                ],
                "pk_attr": "channel_id",
                "table_description": "Routing rows: one per group, model and channel",
            },
            bases=["Model"],
        ),
        EnsureModel(
            name="Option",
            fields=[
                (
                    "key",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=191),
                ),
                ("value", fields.TextField(null=True, unique=False)),
            ],
            options={
                "table": "options",
                "app": "newapi",
                "pk_attr": "key",
                "table_description": "Runtime settings (key/value)",
                "indexes": [],
            },
            bases=["Model"],
        ),
        EnsureModel(
            name="Redemption",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("user_id", fields.IntField(default=0, db_default=0)),
                ("key", fields.CharField(unique=True, max_length=32)),
                ("status", fields.IntField(default=1, db_default=1)),
                ("name", fields.CharField(default="", db_default="", max_length=191)),
                ("quota", fields.BigIntField(default=100, db_default=100)),
                ("created_time", fields.BigIntField(default=0, db_default=0)),
                ("redeemed_time", fields.BigIntField(default=0, db_default=0)),
            ],
            options={
                "table": "redemptions",
                "app": "newapi",
                "indexes": [Index(fields=["name"], name="idx_redemptions_name")],
                "pk_attr": "id",
                "table_description": "Redemption (top-up) codes",
            },
            bases=["Model"],
        ),
        EnsureModel(
            name="Log",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("user_id", fields.IntField(default=0, db_default=0)),
                ("created_at", fields.BigIntField(default=0, db_default=0)),
                ("type", fields.IntField(default=0, db_default=0)),
                ("content", fields.TextField(null=True, unique=False)),
                ("username", fields.CharField(default="", db_default="", max_length=191)),
                ("token_name", fields.CharField(default="", db_default="", max_length=191)),
                ("model_name", fields.CharField(default="", db_default="", max_length=191)),
                ("quota", fields.BigIntField(default=0, db_default=0)),
                ("prompt_tokens", fields.IntField(default=0, db_default=0)),
                ("completion_tokens", fields.IntField(default=0, db_default=0)),
                ("channel_id", fields.IntField(default=0, db_default=0)),
            ],
            options={
                "table": "logs",
                "app": "newapi",
                "indexes": [
                    Index(fields=["user_id"], name="idx_logs_user_id"),
                    Index(fields=["created_at"], name="idx_logs_created_at"),
                    Index(fields=["type"], name="idx_logs_type"),
                    Index(fields=["username"], name="idx_logs_username"),
                    Index(fields=["token_name"], name="idx_logs_token_name"),
                    Index(fields=["model_name"], name="idx_logs_model_name"),
                    Index(fields=["channel_id"], name="idx_logs_channel_id"),
                ],
                "pk_attr": "id",
                "table_description": "Usage and audit log rows",
            },
            bases=["Model"],
        ),
    ]
