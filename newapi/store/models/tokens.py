"""API keys: One API's ``tokens`` table with New API's columns.

``key`` holds 48 random alphanumerics without the ``sk-`` prefix (char(48) in One API,
varchar(128) in New API). ``remain_quota``/``used_quota`` are BIGINT.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

__all__ = ["Token"]

TOKEN_ENABLED = 1
TOKEN_DISABLED = 2
TOKEN_EXPIRED = 3
TOKEN_EXHAUSTED = 4


class Token(Model):
    id = fields.IntField(primary_key=True)
    user_id = fields.IntField(default=0, db_default=0)
    key = fields.CharField(max_length=128, unique=True)
    status = fields.IntField(default=TOKEN_ENABLED, db_default=TOKEN_ENABLED)
    name = fields.CharField(max_length=191, default="", db_default="")
    created_time = fields.BigIntField(default=0, db_default=0)
    accessed_time = fields.BigIntField(default=0, db_default=0)
    expired_time = fields.BigIntField(default=-1, db_default=-1)
    remain_quota = fields.BigIntField(default=0, db_default=0)
    unlimited_quota = fields.BooleanField(default=False, db_default=False)
    used_quota = fields.BigIntField(default=0, db_default=0)
    # New API
    model_limits_enabled = fields.BooleanField(default=False, db_default=False)
    model_limits = fields.TextField(null=True)
    allow_ips = fields.CharField(max_length=191, null=True, default="", db_default="")
    group = fields.CharField(max_length=64, default="", db_default="")
    cross_group_retry = fields.BooleanField(default=False, db_default=False)
    auto_groups = fields.TextField(null=True)
    deleted_at = fields.DatetimeField(null=True)

    class Meta:
        table = "tokens"
        table_description = "API keys"
        indexes = (
            Index(fields=("name",), name="idx_tokens_name"),
            Index(fields=("user_id",), name="idx_tokens_user_id"),
            Index(fields=("deleted_at",), name="idx_tokens_deleted_at"),
        )
