"""Step 3: New API's own tables newapi uses (admin.md §1.4).

``setups``, ``quota_data``, ``top_ups``, ``two_fas``, ``two_fa_backup_codes``, ``tasks`` and
``midjourneys``: created when missing, otherwise adopted (missing columns and indexes added).
"""

# ruff: noqa: RUF012  (tortoise migrations declare operations as class-level lists)

from orjson import loads
from tortoise import fields, migrations
from tortoise.fields.data import JSON_DUMPS
from tortoise.indexes import Index

from newapi.store.schema_ops import EnsureModel


class Migration(migrations.Migration):
    dependencies = [("newapi", "0002_new_api_columns")]

    operations = [
        EnsureModel(
            name="Setup",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("version", fields.CharField(max_length=50)),
                ("initialized_at", fields.BigIntField()),
            ],
            options={
                "table": "setups",
                "app": "newapi",
                "pk_attr": "id",
                "table_description": "First-start record (New API)",
            },
            bases=["Model"],
        ),
        EnsureModel(
            name="QuotaData",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("user_id", fields.IntField(default=0, db_default=0)),
                ("username", fields.CharField(default="", db_default="", max_length=64)),
                ("model_name", fields.CharField(default="", db_default="", max_length=64)),
                ("created_at", fields.BigIntField(default=0, db_default=0)),
                ("use_group", fields.CharField(default="", db_default="", max_length=64)),
                ("token_id", fields.IntField(default=0, db_default=0)),
                ("channel_id", fields.IntField(default=0, db_default=0)),
                ("node_name", fields.CharField(default="", db_default="", max_length=191)),
                ("token_used", fields.BigIntField(default=0, db_default=0)),
                ("count", fields.IntField(default=0, db_default=0)),
                ("quota", fields.BigIntField(default=0, db_default=0)),
            ],
            options={
                "table": "quota_data",
                "app": "newapi",
                "indexes": [
                    Index(fields=["user_id"], name="idx_quota_data_user_id"),
                    Index(fields=["model_name", "username"], name="idx_qdt_model_user_name"),
                    Index(fields=["created_at"], name="idx_qdt_created_at"),
                ],
                "pk_attr": "id",
                "table_description": "Dashboard aggregate per user, model and hour",
            },
            bases=["Model"],
        ),
        EnsureModel(
            name="TopUp",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("user_id", fields.IntField(default=0, db_default=0)),
                ("amount", fields.BigIntField(default=0, db_default=0)),
                ("money", fields.FloatField(default=0, db_default=0)),
                ("trade_no", fields.CharField(unique=True, max_length=255)),
                ("payment_method", fields.CharField(default="", db_default="", max_length=50)),
                ("payment_provider", fields.CharField(default="", db_default="", max_length=50)),
                ("create_time", fields.BigIntField(default=0, db_default=0)),
                ("complete_time", fields.BigIntField(default=0, db_default=0)),
                ("status", fields.CharField(default="", db_default="", max_length=191)),
            ],
            options={
                "table": "top_ups",
                "app": "newapi",
                "indexes": [Index(fields=["user_id"], name="idx_top_ups_user_id")],
                "pk_attr": "id",
                "table_description": "Payment orders",
            },
            bases=["Model"],
        ),
        EnsureModel(
            name="TwoFA",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("user_id", fields.IntField(unique=True)),
                ("secret", fields.CharField(max_length=255)),
                ("is_enabled", fields.BooleanField(default=False, db_default=False)),
                ("failed_attempts", fields.IntField(default=0, db_default=0)),
                (
                    "locked_until",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                (
                    "last_used_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("created_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("updated_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("deleted_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "two_fas",
                "app": "newapi",
                "indexes": [Index(fields=["deleted_at"], name="idx_two_fas_deleted_at")],
                "pk_attr": "id",
                "table_description": "TOTP settings per user",
            },
            bases=["Model"],
        ),
        EnsureModel(
            name="TwoFABackupCode",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("user_id", fields.IntField()),
                ("code_hash", fields.CharField(max_length=255)),
                ("is_used", fields.BooleanField(default=False, db_default=False)),
                ("used_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("created_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("deleted_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "two_fa_backup_codes",
                "app": "newapi",
                "indexes": [
                    Index(fields=["user_id"], name="idx_two_fa_backup_codes_user_id"),
                    Index(fields=["deleted_at"], name="idx_two_fa_backup_codes_deleted_at"),
                ],
                "pk_attr": "id",
                "table_description": "2FA backup codes (bcrypt hashes)",
            },
            bases=["Model"],
        ),
        EnsureModel(
            name="Task",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                ("created_at", fields.BigIntField(default=0, db_default=0)),
                ("updated_at", fields.BigIntField(default=0, db_default=0)),
                ("task_id", fields.CharField(default="", db_default="", max_length=191)),
                ("platform", fields.CharField(default="", db_default="", max_length=30)),
                ("user_id", fields.IntField(default=0, db_default=0)),
                ("group", fields.CharField(default="", db_default="", max_length=50)),
                ("channel_id", fields.IntField(default=0, db_default=0)),
                ("quota", fields.BigIntField(default=0, db_default=0)),
                ("action", fields.CharField(default="", db_default="", max_length=40)),
                ("status", fields.CharField(default="", db_default="", max_length=20)),
                ("fail_reason", fields.TextField(null=True, unique=False)),
                ("submit_time", fields.BigIntField(default=0, db_default=0)),
                ("start_time", fields.BigIntField(default=0, db_default=0)),
                ("finish_time", fields.BigIntField(default=0, db_default=0)),
                ("progress", fields.CharField(default="", db_default="", max_length=20)),
                ("properties", fields.JSONField(null=True, encoder=JSON_DUMPS, decoder=loads)),
                ("private_data", fields.JSONField(null=True, encoder=JSON_DUMPS, decoder=loads)),
                ("data", fields.JSONField(null=True, encoder=JSON_DUMPS, decoder=loads)),
            ],
            options={
                "table": "tasks",
                "app": "newapi",
                "indexes": [
                    Index(fields=["created_at"], name="idx_tasks_created_at"),
                    Index(fields=["task_id"], name="idx_tasks_task_id"),
                    Index(fields=["platform"], name="idx_tasks_platform"),
                    Index(fields=["user_id"], name="idx_tasks_user_id"),
                    Index(fields=["channel_id"], name="idx_tasks_channel_id"),
                    Index(fields=["action"], name="idx_tasks_action"),
                    Index(fields=["status"], name="idx_tasks_status"),
                    Index(fields=["submit_time"], name="idx_tasks_submit_time"),
                    Index(fields=["start_time"], name="idx_tasks_start_time"),
                    Index(fields=["finish_time"], name="idx_tasks_finish_time"),
                    Index(fields=["progress"], name="idx_tasks_progress"),
                ],
                "pk_attr": "id",
                "table_description": "Asynchronous tasks (Suno, video)",
            },
            bases=["Model"],
        ),
        EnsureModel(
            name="Midjourney",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("code", fields.IntField(default=0, db_default=0)),
                ("user_id", fields.IntField(default=0, db_default=0)),
                ("action", fields.CharField(default="", db_default="", max_length=40)),
                ("mj_id", fields.CharField(default="", db_default="", max_length=191)),
                ("prompt", fields.TextField(null=True, unique=False)),
                ("prompt_en", fields.TextField(null=True, unique=False)),
                ("description", fields.TextField(null=True, unique=False)),
                ("state", fields.TextField(null=True, unique=False)),
                ("submit_time", fields.BigIntField(default=0, db_default=0)),
                ("start_time", fields.BigIntField(default=0, db_default=0)),
                ("finish_time", fields.BigIntField(default=0, db_default=0)),
                ("image_url", fields.TextField(null=True, unique=False)),
                ("video_url", fields.TextField(null=True, unique=False)),
                ("video_urls", fields.TextField(null=True, unique=False)),
                ("status", fields.CharField(default="", db_default="", max_length=20)),
                ("progress", fields.CharField(default="", db_default="", max_length=30)),
                ("fail_reason", fields.TextField(null=True, unique=False)),
                ("channel_id", fields.IntField(default=0, db_default=0)),
                ("quota", fields.BigIntField(default=0, db_default=0)),
                ("buttons", fields.TextField(null=True, unique=False)),
                ("properties", fields.TextField(null=True, unique=False)),
            ],
            options={
                "table": "midjourneys",
                "app": "newapi",
                "indexes": [
                    Index(fields=["user_id"], name="idx_midjourneys_user_id"),
                    Index(fields=["action"], name="idx_midjourneys_action"),
                    Index(fields=["mj_id"], name="idx_midjourneys_mj_id"),
                    Index(fields=["submit_time"], name="idx_midjourneys_submit_time"),
                    Index(fields=["start_time"], name="idx_midjourneys_start_time"),
                    Index(fields=["finish_time"], name="idx_midjourneys_finish_time"),
                    Index(fields=["status"], name="idx_midjourneys_status"),
                    Index(fields=["progress"], name="idx_midjourneys_progress"),
                ],
                "pk_attr": "id",
                "table_description": "Midjourney-proxy jobs",
            },
            bases=["Model"],
        ),
    ]
