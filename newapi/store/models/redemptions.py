"""Top-up codes: One API's ``redemptions`` table with New API's columns."""

from __future__ import annotations

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

__all__ = ["Redemption"]

REDEMPTION_ENABLED = 1
REDEMPTION_DISABLED = 2
REDEMPTION_USED = 3


class Redemption(Model):
    id = fields.IntField(primary_key=True)
    user_id = fields.IntField(default=0, db_default=0)
    key = fields.CharField(max_length=32, unique=True)
    status = fields.IntField(default=REDEMPTION_ENABLED, db_default=REDEMPTION_ENABLED)
    name = fields.CharField(max_length=191, default="", db_default="")
    quota = fields.BigIntField(default=100, db_default=100)
    created_time = fields.BigIntField(default=0, db_default=0)
    redeemed_time = fields.BigIntField(default=0, db_default=0)
    # New API
    used_user_id = fields.IntField(default=0, db_default=0)
    deleted_at = fields.DatetimeField(null=True)
    expired_time = fields.BigIntField(default=0, db_default=0)

    class Meta:
        table = "redemptions"
        table_description = "Redemption (top-up) codes"
        indexes = (
            Index(fields=("name",), name="idx_redemptions_name"),
            Index(fields=("deleted_at",), name="idx_redemptions_deleted_at"),
        )
