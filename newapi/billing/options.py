"""What the ``options`` table changes in the relay: prices, group ratios and relay settings.

Precedence: gateway.toml wins (a price entry, a group, a ``[relay]`` field it sets); then the
database options (what admins set in the UI, also those of an existing One API / New API
installation); then the built-in defaults. ``effective_options`` is read at start, after an
update and on every reload.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from types import MappingProxyType

import orjson

from newapi.billing.settings import SETTINGS, parse_bool, parse_int, parse_text_map
from newapi.config.model import GatewayConfig, GroupConfig, Price, RelayConfig

__all__ = ["EffectiveOptions", "effective_options", "file_entries", "price_overrides"]

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


@dataclass(frozen=True, slots=True)
class EffectiveOptions:
    """The option values the relay runs with (file, then database, then default)."""

    relay: RelayConfig
    prices: Mapping[str, Price]
    groups: Mapping[str, GroupConfig]
    usable_groups: Mapping[str, str]  # UserUsableGroups: group -> description


def _relay(options: Mapping[str, str], relay: RelayConfig, owned: frozenset[str]) -> RelayConfig:
    defaults = RelayConfig()
    changes: dict[str, object] = {}
    for setting in SETTINGS.values():
        name = setting.file_field
        if name is None or name in owned:
            continue
        text = options.get(setting.key)
        value: bool | int | None
        if setting.kind == "bool":
            value = parse_bool(text)
        else:
            value = parse_int(text)
            if value is not None and not setting.minimum <= value <= setting.maximum:
                value = None
        changes[name] = getattr(defaults, name) if value is None else value
    return replace(relay, **changes)


def effective_options(options: Mapping[str, str], config: GatewayConfig) -> EffectiveOptions:
    """What ``options`` (the table's rows) mean for a gateway running ``config``."""
    prices, groups = price_overrides(
        options, config.prices, config.groups, config.file_prices, config.file_groups
    )
    usable = parse_text_map(options.get("UserUsableGroups"))
    if usable is None:
        usable = parse_text_map(SETTINGS["UserUsableGroups"].default) or {}
    return EffectiveOptions(
        relay=_relay(options, config.relay, config.file_relay),
        prices=prices,
        groups=groups,
        usable_groups=MappingProxyType(usable),
    )


def file_entries(key: str, config: GatewayConfig) -> frozenset[str]:
    """The entries of a ratio-map setting that gateway.toml fixes (edits to them are refused)."""
    kind = SETTINGS[key].map_keys
    if kind == "models":
        return config.file_prices
    if kind == "groups":
        return config.file_groups
    return frozenset()
