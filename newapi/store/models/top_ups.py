"""Payment orders: New API's ``top_ups`` table.

``money`` is a float column in the Go schema (the amount charged); convert it with
``Decimal(str(value))`` before any arithmetic.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

__all__ = ["TopUp"]


class TopUp(Model):
    id = fields.IntField(primary_key=True)
    user_id = fields.IntField(default=0, db_default=0)
    amount = fields.BigIntField(default=0, db_default=0)
    money = fields.FloatField(default=0, db_default=0)
    trade_no = fields.CharField(max_length=255, unique=True)
    payment_method = fields.CharField(max_length=50, default="", db_default="")
    payment_provider = fields.CharField(max_length=50, default="", db_default="")
    create_time = fields.BigIntField(default=0, db_default=0)
    complete_time = fields.BigIntField(default=0, db_default=0)
    status = fields.CharField(max_length=191, default="", db_default="")

    class Meta:
        table = "top_ups"
        table_description = "Payment orders"
        indexes = (Index(fields=("user_id",), name="idx_top_ups_user_id"),)
