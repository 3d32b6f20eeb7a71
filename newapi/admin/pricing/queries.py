"""Signed-in: models reachable from the caller's groups, priced the way the relay bills."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from newapi.admin.access import IsAuthenticated
from newapi.admin.groups.queries import caller_prices, visible_groups
from newapi.admin.pricing.types import ModelPricing, Pricing
from newapi.auth.permissions import ROLE_ADMIN
from newapi.billing.meter import QUOTA_PER_USD
from newapi.billing.prices import PriceBook
from newapi.relay.pipeline import Relay

__all__ = ["PricingQuery"]


def _served(relay: Relay, groups: set[str]) -> dict[str, tuple[set[str], set[str]]]:
    """model -> (groups, channel names) over the enabled channels in ``groups``."""
    served: dict[str, tuple[set[str], set[str]]] = {}
    for channel in relay.table.by_id.values():
        if not channel.enabled or channel.id in relay.disabled:
            continue
        reach = groups.intersection(channel.groups)
        if not reach:
            continue
        for model in channel.models:
            model_groups, names = served.setdefault(model, (set(), set()))
            model_groups.update(reach)
            names.add(channel.name)
    return served


def _model(
    name: str, book: PriceBook, groups: set[str], channels: list[str] | None
) -> ModelPricing:
    price = book.find(name)
    fixed = price is not None and price.model_price_usd is not None
    return ModelPricing(
        model_name=name,
        quota_type=1 if fixed else 0,
        priced=price is not None,
        model_ratio=price.model_ratio if price else None,
        completion_ratio=price.completion_ratio if price else None,
        cache_ratio=price.cache_ratio if price else None,
        create_cache_ratio=price.create_cache_ratio if price else None,
        model_price=price.model_price_usd if price else None,
        enable_groups=sorted(groups),
        channels=channels,
    )


@strawberry.type
class PricingQuery:
    @strawberry.field(permission_classes=[IsAuthenticated])
    async def pricing(self, info: Info[Any, Any]) -> Pricing:
        user = info.context.user
        values, book = await caller_prices(info)
        groups = visible_groups(values, book, user)
        admin = user.role >= ROLE_ADMIN
        served = _served(info.context.relay, {g.name for g in groups})
        models = [
            _model(name, book, model_groups, sorted(names) if admin else None)
            for name, (model_groups, names) in sorted(served.items())
        ]
        return Pricing(models=models, groups=groups, quota_per_unit=QUOTA_PER_USD)
