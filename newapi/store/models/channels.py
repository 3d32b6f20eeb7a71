"""Upstream accounts: One API's ``channels`` and ``abilities`` tables with New API's columns.

``abilities`` has the composite primary key ``(group, model, channel_id)`` in One API and New
API. Tortoise cannot express that, so the model declares ``channel_id`` as its key (it is NOT
unique): use only queryset operations (``filter().update()``, ``.values()``, ``.delete()``,
``bulk_create``) on ``Ability``, never instance ``save()``/``delete()``. The table itself is
created with the real composite key by the baseline migration.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

__all__ = ["Ability", "Channel"]

CHANNEL_UNKNOWN = 0
CHANNEL_ENABLED = 1
CHANNEL_MANUALLY_DISABLED = 2
CHANNEL_AUTO_DISABLED = 3


class Channel(Model):
    id = fields.IntField(primary_key=True)
    type = fields.IntField(default=0, db_default=0)
    key = fields.TextField()
    status = fields.IntField(default=CHANNEL_ENABLED, db_default=CHANNEL_ENABLED)
    name = fields.CharField(max_length=191, default="", db_default="")
    weight = fields.IntField(null=True, default=0, db_default=0)
    created_time = fields.BigIntField(default=0, db_default=0)
    test_time = fields.BigIntField(default=0, db_default=0)
    response_time = fields.IntField(default=0, db_default=0)
    base_url = fields.CharField(max_length=191, null=True, default="", db_default="")
    other = fields.TextField(null=True)
    balance = fields.FloatField(default=0, db_default=0)
    balance_updated_time = fields.BigIntField(default=0, db_default=0)
    models = fields.TextField(null=True)
    group = fields.CharField(max_length=64, default="default", db_default="default")
    used_quota = fields.BigIntField(default=0, db_default=0)
    model_mapping = fields.TextField(null=True)
    priority = fields.BigIntField(null=True, default=0, db_default=0)
    # New API
    openai_organization = fields.CharField(max_length=191, null=True)
    test_model = fields.CharField(max_length=191, null=True)
    status_code_mapping = fields.CharField(max_length=1024, null=True, default="", db_default="")
    auto_ban = fields.IntField(null=True, default=1, db_default=1)
    other_info = fields.TextField(null=True)
    tag = fields.CharField(max_length=191, null=True)
    setting = fields.TextField(null=True)
    param_override = fields.TextField(null=True)
    header_override = fields.TextField(null=True)
    remark = fields.CharField(max_length=255, null=True)
    channel_info = fields.JSONField(null=True)
    settings = fields.TextField(null=True)

    class Meta:
        table = "channels"
        table_description = "One upstream account (One API channels)"
        indexes = (
            Index(fields=("name",), name="idx_channels_name"),
            Index(fields=("tag",), name="idx_channels_tag"),
        )


# The real key is (group, model, channel_id): read the module docstring before writing.
class Ability(Model):
    group = fields.CharField(max_length=64)
    model = fields.CharField(max_length=255)
    channel_id = fields.IntField(primary_key=True, generated=False)
    enabled = fields.BooleanField(default=True)
    priority = fields.BigIntField(null=True, default=0, db_default=0)
    # New API
    weight = fields.IntField(default=0, db_default=0)
    tag = fields.CharField(max_length=191, null=True)

    class Meta:
        table = "abilities"
        table_description = "Routing rows: one per group, model and channel"
        indexes = (
            Index(fields=("channel_id",), name="idx_abilities_channel_id"),
            Index(fields=("priority",), name="idx_abilities_priority"),
            Index(fields=("weight",), name="idx_abilities_weight"),
            Index(fields=("tag",), name="idx_abilities_tag"),
        )
