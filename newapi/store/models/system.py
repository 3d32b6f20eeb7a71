"""Installation records: New API's ``setups`` table and newapi's own ``newapi_meta`` facts.

``newapi_meta`` holds facts about the database that the rows themselves cannot tell, written
once by the first migration and never rewritten: ``db_origin`` (``empty``, ``one-api`` or
``new-api``) and ``channel_type_numbering`` (``one-api`` or ``new-api``). The migration
records live in ``newapi_migrations`` (tortoise's recorder table, renamed).
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

__all__ = ["NewapiMeta", "Setup"]


class Setup(Model):
    id = fields.IntField(primary_key=True)
    version = fields.CharField(max_length=50)
    initialized_at = fields.BigIntField()

    class Meta:
        table = "setups"
        table_description = "First-start record (New API)"


class NewapiMeta(Model):
    key = fields.CharField(max_length=191, primary_key=True)
    value = fields.TextField(null=True)
    updated_at = fields.BigIntField(default=0, db_default=0)

    class Meta:
        table = "newapi_meta"
        table_description = "Facts about this database (newapi)"
