"""How far each billing journal has been applied (newapi's ``newapi_journal`` table).

The ledger writes a batch of settlements and the new offset in one transaction, so a journal
record is applied exactly once, also when a process restarts.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

__all__ = ["JournalState"]


class JournalState(Model):
    name = fields.CharField(max_length=191, primary_key=True)
    applied_offset = fields.BigIntField(default=0, db_default=0)
    updated_at = fields.BigIntField(default=0, db_default=0)

    class Meta:
        table = "newapi_journal"
        table_description = "Billing journal positions applied to this database (newapi)"
