"""Prices and group ratios kept in the ``options`` table (New API's ModelRatio, GroupRatio, ...).

Precedence: a price entry in gateway.toml wins; then the database options (what admins of an
existing One API / New API installation set in its UI); then the built-in defaults.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from types import MappingProxyType

import orjson

from newapi.config.model import GroupConfig, Price

__all__ = ["price_overrides"]

log = logging.getLogger(__name__)

# option key -> Price field
_RATIO_OPTIONS = {
    "ModelRatio": "model_ratio",
    "CompletionRatio": "completion_ratio",
    "ModelPrice": "model_price_usd",
    "CacheRatio": "cache_ratio",
    "CreateCacheRatio": "create_cache_ratio",
}


def _decimal_map(options: Mapping[str, str], key: str) -> dict[str, Decimal]:
    text = options.get(key)
    if not text:
        return {}
    try:
        raw = orjson.loads(text)
    except orjson.JSONDecodeError:
        log.warning("option %s is not valid JSON; ignored", key)
        return {}
    values: dict[str, Decimal] = {}
    if isinstance(raw, dict):
        for name, value in raw.items():
            if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
                try:
                    values[str(name)] = Decimal(str(value))
                except InvalidOperation:
                    continue
    return values


def price_overrides(
    options: Mapping[str, str],
    prices: Mapping[str, Price],
    groups: Mapping[str, GroupConfig],
    file_prices: frozenset[str] = frozenset(),
    file_groups: frozenset[str] = frozenset(),
) -> tuple[Mapping[str, Price], Mapping[str, GroupConfig]]:
    """``prices``/``groups`` with the database options applied under the file's own entries."""
    merged = dict(prices)
    for option, field_name in _RATIO_OPTIONS.items():
        for model, value in _decimal_map(options, option).items():
            if model in file_prices:
                continue
            merged[model] = replace(merged.get(model, Price()), **{field_name: value})
    merged_groups = dict(groups)
    for group, ratio in _decimal_map(options, "GroupRatio").items():
        if group not in file_groups:
            old = merged_groups.get(group)
            merged_groups[group] = GroupConfig(
                ratio=ratio, description=old.description if old else ""
            )
    return MappingProxyType(merged), MappingProxyType(merged_groups)
