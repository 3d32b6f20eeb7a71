"""Runtime settings: One API's ``options`` key/value table (``key`` is the primary key)."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

__all__ = ["Option"]


class Option(Model):
    key = fields.CharField(max_length=191, primary_key=True)
    value = fields.TextField(null=True)

    class Meta:
        table = "options"
        table_description = "Runtime settings (key/value)"
