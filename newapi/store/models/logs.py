"""Usage records: One API's ``logs`` table (with New API's columns) and New API's ``quota_data``.

``logs.channel_id`` keeps its One API column name (the JSON name is ``channel``). Log types:
0 unknown, 1 top-up, 2 consume, 3 manage, 4 system, 5 error (5 = test in later One API),
6 refund, 7 login.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

__all__ = ["Log", "QuotaData"]


class Log(Model):
    id = fields.IntField(primary_key=True)
    user_id = fields.IntField(default=0, db_default=0)
    created_at = fields.BigIntField(default=0, db_default=0)
    type = fields.IntField(default=0, db_default=0)
    content = fields.TextField(null=True)
    username = fields.CharField(max_length=191, default="", db_default="")
    token_name = fields.CharField(max_length=191, default="", db_default="")
    model_name = fields.CharField(max_length=191, default="", db_default="")
    quota = fields.BigIntField(default=0, db_default=0)
    prompt_tokens = fields.IntField(default=0, db_default=0)
    completion_tokens = fields.IntField(default=0, db_default=0)
    channel_id = fields.IntField(default=0, db_default=0)
    # New API
    use_time = fields.IntField(default=0, db_default=0)
    is_stream = fields.BooleanField(default=False, db_default=False)
    token_id = fields.IntField(default=0, db_default=0)
    group = fields.CharField(max_length=191, default="", db_default="")
    ip = fields.CharField(max_length=191, default="", db_default="")
    request_id = fields.CharField(max_length=64, default="", db_default="")
    upstream_request_id = fields.CharField(max_length=128, default="", db_default="")
    other = fields.TextField(null=True)

    class Meta:
        table = "logs"
        table_description = "Usage and audit log rows"
        indexes = (
            Index(fields=("user_id",), name="idx_logs_user_id"),
            Index(fields=("created_at",), name="idx_logs_created_at"),
            Index(fields=("type",), name="idx_logs_type"),
            Index(fields=("username",), name="idx_logs_username"),
            Index(fields=("token_name",), name="idx_logs_token_name"),
            Index(fields=("model_name",), name="idx_logs_model_name"),
            Index(fields=("channel_id",), name="idx_logs_channel_id"),
            Index(fields=("token_id",), name="idx_logs_token_id"),
            Index(fields=("group",), name="idx_logs_group"),
            Index(fields=("ip",), name="idx_logs_ip"),
            Index(fields=("request_id",), name="idx_logs_request_id"),
            Index(fields=("upstream_request_id",), name="idx_logs_upstream_request_id"),
        )


class QuotaData(Model):
    id = fields.IntField(primary_key=True)
    user_id = fields.IntField(default=0, db_default=0)
    username = fields.CharField(max_length=64, default="", db_default="")
    model_name = fields.CharField(max_length=64, default="", db_default="")
    created_at = fields.BigIntField(default=0, db_default=0)
    use_group = fields.CharField(max_length=64, default="", db_default="")
    token_id = fields.IntField(default=0, db_default=0)
    channel_id = fields.IntField(default=0, db_default=0)
    node_name = fields.CharField(max_length=191, default="", db_default="")
    token_used = fields.BigIntField(default=0, db_default=0)
    count = fields.IntField(default=0, db_default=0)
    quota = fields.BigIntField(default=0, db_default=0)

    class Meta:
        table = "quota_data"
        table_description = "Dashboard aggregate per user, model and hour"
        indexes = (
            Index(fields=("user_id",), name="idx_quota_data_user_id"),
            Index(fields=("model_name", "username"), name="idx_qdt_model_user_name"),
            Index(fields=("created_at",), name="idx_qdt_created_at"),
        )
