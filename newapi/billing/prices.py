"""Price lookup: which price entry a requested model name is billed with, and group ratios.

A ``PriceBook`` is built once per ``GatewayConfig`` from ``config.prices`` and
``config.groups`` and never changes. ``lookup`` resolves a requested model name (billing always
uses the name the client asked for, never the mapped upstream name) to a ``ResolvedPrice`` with
every default filled in, in this order (the first hit wins; see docs/billing.md):

1. the exact name;
2. New API's wildcard keys for that name: ``gpt-4-gizmo-*`` / ``gpt-4o-gizmo-*`` for GPTs, and
   ``gemini-2.5-{flash-lite,flash,pro}-thinking-*`` for any Gemini 2.5 name containing
   ``-thinking-`` (thinking-budget variants);
3. the same two steps for the base name left after stripping one reasoning suffix at a time
   (``o3-mini-high`` → ``o3-mini``; ``gemini-2.5-flash-thinking-128`` → ``gemini-2.5-flash``);
4. glob keys (a ``*`` anywhere in the key) matching the name, then glob keys matching a base
   name; among several, the longest literal prefix wins.

Globs come last on purpose: a catch-all such as ``[prices."*"]`` must not shadow the base model's
own price for ``o3-mini-high``.

Completion, cache and cache-write ratios come only from the price table (the built-in
``prices.toml`` holds New API's per-family defaults as data); an absent value means 1 for
completion and cache reads, 1.25 for 5-minute cache writes and 1.6 × the 5-minute ratio for
1-hour cache writes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from newapi.config.model import GroupConfig, Price
from newapi.errors import ConfigError, PriceMissingError

__all__ = [
    "DEFAULT_CACHE_RATIO",
    "DEFAULT_COMPLETION_RATIO",
    "DEFAULT_CREATE_CACHE_RATIO",
    "DEFAULT_REASONING_SUFFIXES",
    "ONE_HOUR_CACHE_FACTOR",
    "MatchKind",
    "PriceBook",
    "ResolvedPrice",
]

DEFAULT_COMPLETION_RATIO = Decimal(1)
DEFAULT_CACHE_RATIO = Decimal(1)
DEFAULT_CREATE_CACHE_RATIO = Decimal("1.25")
ONE_HOUR_CACHE_FACTOR = Decimal("1.6")  # Anthropic: 1-hour writes cost 2×, 5-minute 1.25×
DEFAULT_IMAGE_RATIO = Decimal(1)

# Suffixes a client may append to a model name to ask for a reasoning mode. ``{budget}`` stands
# for an integer. The relay's suffix rules turn them into request edits; here they only decide
# which base model's price applies when the suffixed name has none of its own. ``-max`` is left
# out on purpose: it ends real model names (``qwen-max``) whose price must never silently
# become another model's.
DEFAULT_REASONING_SUFFIXES: tuple[str, ...] = (
    "-thinking-{budget}",
    "-nothinking",
    "-thinking",
    "-xhigh",
    "-high",
    "-medium",
    "-low",
    "-minimal",
    "-none",
)

# New API's FormatMatchingModelName: GPTs share one price entry each.
_GIZMO_PREFIXES = ("gpt-4-gizmo", "gpt-4o-gizmo")
# Gemini 2.5 thinking-budget names collapse to their family's wildcard key (longest first).
_GEMINI_BUDGET_FAMILIES = ("gemini-2.5-flash-lite", "gemini-2.5-flash", "gemini-2.5-pro")
_MAX_SUFFIX_STRIPS = 3

MatchKind = Literal["exact", "wildcard", "glob"]


@dataclass(frozen=True, slots=True)
class ResolvedPrice:
    """A model's price with every default filled in, and how it was found.

    Attributes:
        model: the requested model name being billed.
        key: the ``[prices.<key>]`` entry that supplied the price.
        match: how ``key`` was found: ``exact``, ``wildcard`` (New API's gizmo / Gemini
            thinking-budget keys) or ``glob``.
        base_model: the name left after stripping reasoning suffixes when the price is the
            base model's (``o3-mini`` for ``o3-mini-high``); None when the requested name
            itself matched.
        model_ratio: input price; 1 = 2 USD per million tokens. Zero when ``free``.
        completion_ratio: output price as a multiple of the input price.
        cache_ratio: cache-read price as a multiple of the input price.
        create_cache_ratio: 5-minute cache-write price as a multiple of the input price.
        create_cache_1h_ratio: 1-hour cache-write price as a multiple of the input price.
        image_ratio: image input-token price as a multiple of the input price.
        model_price_usd: fixed USD per call; when set it wins over the ratios.
        free: billed at zero on purpose.
    """

    model: str
    key: str
    match: MatchKind
    base_model: str | None
    model_ratio: Decimal
    completion_ratio: Decimal
    cache_ratio: Decimal
    create_cache_ratio: Decimal
    create_cache_1h_ratio: Decimal
    image_ratio: Decimal = DEFAULT_IMAGE_RATIO
    model_price_usd: Decimal | None = None
    free: bool = False

    @property
    def fixed(self) -> bool:
        """True when the model is billed per call (``model_price_usd``), not per token."""
        return self.model_price_usd is not None


@dataclass(frozen=True, slots=True)
class _Glob:
    key: str
    pattern: re.Pattern[str]
    rank: tuple[int, int]  # (literal prefix length, total literal length): higher wins


def _compile_glob(key: str) -> _Glob:
    pieces = key.split("*")
    pattern = re.compile(".*".join(re.escape(piece) for piece in pieces))
    return _Glob(key, pattern, (len(pieces[0]), len(key) - key.count("*")))


def _compile_suffix(suffix: str) -> re.Pattern[str]:
    body = re.escape(suffix).replace(re.escape("{budget}"), r"\d+")
    return re.compile(rf"^(?P<base>.+?){body}$")


def _validate(prices: Mapping[str, Price], groups: Mapping[str, GroupConfig]) -> None:
    problems: list[str] = []
    for key, price in prices.items():
        for field_name in (
            "model_ratio",
            "completion_ratio",
            "cache_ratio",
            "create_cache_ratio",
            "create_cache_1h_ratio",
            "model_price_usd",
        ):
            value = getattr(price, field_name)
            if value is not None and (not value.is_finite() or value < 0):
                problems.append(f"/prices/{key}/{field_name}: must be a number >= 0, got {value}")
    for name, group in groups.items():
        if not group.ratio.is_finite() or group.ratio < 0:
            problems.append(f"/groups/{name}/ratio: must be a number >= 0, got {group.ratio}")
    if problems:
        raise ConfigError(problems)


class PriceBook:
    """Immutable view of the price table and group ratios.

    Args:
        prices: ``GatewayConfig.prices`` (built-in defaults overlaid with the file's).
        groups: ``GatewayConfig.groups``.
        user_group_ratios: New API's ``GroupGroupRatio``: user group → using group → ratio
            that replaces the using group's own ratio.
        reasoning_suffixes: suffixes stripped to find a base model's price (``{budget}``
            matches an integer).

    Raises:
        ConfigError: a ratio or price is negative or not a number.
    """

    __slots__ = ("_exact", "_globs", "_groups", "_suffixes", "_user_group_ratios")

    def __init__(
        self,
        prices: Mapping[str, Price],
        groups: Mapping[str, GroupConfig],
        *,
        user_group_ratios: Mapping[str, Mapping[str, Decimal]] | None = None,
        reasoning_suffixes: tuple[str, ...] = DEFAULT_REASONING_SUFFIXES,
    ) -> None:
        """Index the prices (exact keys, globs by specificity) after validating them."""
        _validate(prices, groups)
        self._exact = dict(prices)
        globs = [_compile_glob(key) for key in prices if "*" in key]
        self._globs = tuple(sorted(globs, key=lambda g: (-g.rank[0], -g.rank[1], g.key)))
        self._groups = dict(groups)
        self._user_group_ratios = {k: dict(v) for k, v in (user_group_ratios or {}).items()}
        self._suffixes = tuple(_compile_suffix(s) for s in reasoning_suffixes)

    def lookup(self, model: str) -> ResolvedPrice:
        """The price ``model`` is billed with.

        Raises:
            PriceMissingError: (code ``model_price_error``) no price entry matches; the message
                names the model and the keys that would.
        """
        found = self.find(model)
        if found is None:
            raise PriceMissingError(_missing_message(model, self._base_names(model)), param="model")
        return found

    def find(self, model: str) -> ResolvedPrice | None:
        """Like ``lookup`` but None when nothing matches (for config checks and the UI)."""
        bases = self._base_names(model)
        for name in (model, *bases):
            hit = self._exact_or_wildcard(name)
            if hit is not None:
                return self._resolve(model, name, *hit)
        for name in (model, *bases):
            glob = self._best_glob(name)
            if glob is not None:
                return self._resolve(model, name, glob, "glob")
        return None

    def group_ratio(self, group: str, user_group: str | None = None) -> Decimal:
        """Multiplier for requests billed to ``group`` (0 = free).

        A special ratio for (``user_group``, ``group``) wins; an unknown group costs 1×.
        """
        special = self.user_group_ratio(group, user_group)
        if special is not None:
            return special
        config = self._groups.get(group)
        return config.ratio if config is not None else Decimal(1)

    def user_group_ratio(self, group: str, user_group: str | None) -> Decimal | None:
        """The special ratio a ``user_group`` member pays in ``group``, if one is set."""
        if user_group is None:
            return None
        return self._user_group_ratios.get(user_group, {}).get(group)

    def _base_names(self, model: str) -> tuple[str, ...]:
        names: list[str] = []
        current = model
        for _ in range(_MAX_SUFFIX_STRIPS):
            stripped = self._strip_suffix(current)
            if stripped is None:
                break
            names.append(stripped)
            current = stripped
        return tuple(names)

    def _strip_suffix(self, name: str) -> str | None:
        for pattern in self._suffixes:
            matched = pattern.match(name)
            if matched is not None:
                return matched["base"]
        return None

    def _exact_or_wildcard(self, name: str) -> tuple[str, MatchKind] | None:
        if name in self._exact:
            return name, "exact"
        for key in _wildcard_keys(name):
            if key in self._exact:
                return key, "wildcard"
        return None

    def _best_glob(self, name: str) -> str | None:
        for glob in self._globs:  # sorted most specific first
            if glob.pattern.fullmatch(name):
                return glob.key
        return None

    def _resolve(self, model: str, name: str, key: str, match: MatchKind) -> ResolvedPrice:
        return _resolve_price(
            self._exact[key],
            model=model,
            key=key,
            match=match,
            base_model=None if name == model else name,
        )


def _wildcard_keys(name: str) -> Iterator[str]:
    """New API's normalised keys for ``name`` (gizmo, Gemini 2.5 thinking budgets)."""
    for prefix in _GIZMO_PREFIXES:
        if name.startswith(prefix):
            yield f"{prefix}-*"
    if "-thinking-" in name:
        for family in _GEMINI_BUDGET_FAMILIES:
            if name.startswith(family):
                yield f"{family}-thinking-*"
                return


def _resolve_price(
    price: Price, *, model: str, key: str, match: MatchKind, base_model: str | None
) -> ResolvedPrice:
    if price.free:
        zero = Decimal(0)
        return ResolvedPrice(
            model,
            key,
            match,
            base_model,
            zero,
            zero,
            zero,
            zero,
            zero,
            image_ratio=zero,
            free=True,
        )
    if price.model_ratio is None and price.model_price_usd is None:
        raise PriceMissingError(
            f"model {model!r} cannot be billed: price entry [prices.{_quote(key)}] sets "
            "neither model_ratio nor model_price_usd",
            param="model",
        )
    create_5m = _or_default(price.create_cache_ratio, DEFAULT_CREATE_CACHE_RATIO)
    return ResolvedPrice(
        model=model,
        key=key,
        match=match,
        base_model=base_model,
        model_ratio=_or_default(price.model_ratio, Decimal(0)),
        completion_ratio=_or_default(price.completion_ratio, DEFAULT_COMPLETION_RATIO),
        cache_ratio=_or_default(price.cache_ratio, DEFAULT_CACHE_RATIO),
        create_cache_ratio=create_5m,
        create_cache_1h_ratio=_or_default(
            price.create_cache_1h_ratio, create_5m * ONE_HOUR_CACHE_FACTOR
        ),
        model_price_usd=price.model_price_usd,
    )


def _or_default(value: Decimal | None, default: Decimal) -> Decimal:
    return value if value is not None else default


def _quote(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else f'"{key}"'


def _missing_message(model: str, bases: tuple[str, ...]) -> str:
    keys = [model, *(wk for wk in _wildcard_keys(model)), *bases]
    tables = " or ".join(f"[prices.{_quote(key)}]" for key in dict.fromkeys(keys))
    return (
        f"model {model!r} has no price, so it cannot be billed; the administrator must add "
        f"{tables} with model_ratio or model_price_usd (or free = true) to gateway.toml"
    )
