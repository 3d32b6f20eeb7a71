"""The pricing page: models with their ratios and the groups that serve them."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from newapi.admin.groups.types import Group

__all__ = ["ModelPricing", "Pricing"]


@strawberry.type
class ModelPricing:
    model_name: str
    quota_type: int = strawberry.field(
        description="0: billed by tokens (ratios); 1: a fixed price per call."
    )
    priced: bool = strawberry.field(description="False: no price entry; requests are refused.")
    model_ratio: Decimal | None = strawberry.field(description="1 = 2 USD per million tokens.")
    completion_ratio: Decimal | None
    cache_ratio: Decimal | None
    create_cache_ratio: Decimal | None
    model_price: Decimal | None = strawberry.field(description="USD per call (quota type 1).")
    enable_groups: list[str] = strawberry.field(
        description="The caller's visible groups with an enabled channel for the model."
    )
    channels: list[str] | None = strawberry.field(
        description="Admins only: the names of the enabled channels serving it."
    )


@strawberry.type
class Pricing:
    models: list[ModelPricing]
    groups: list[Group]
    quota_per_unit: int = strawberry.field(description="Quota units per USD.")
