"""Metering: turning one request's token usage and price into an integer quota charge.

Everything here is exact ``Decimal`` arithmetic; the only rounding is ``round_quota`` (half up to
an integer, then a minimum of 1 for a request that used tokens at a non-zero price), applied to
settlement and reservation alike. 500 000 quota = 1 USD. See docs/billing.md for the formulas
and a worked example.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import Literal

import orjson

from newapi.billing.prices import ResolvedPrice

__all__ = [
    "QUOTA_PER_USD",
    "BreakdownValue",
    "CacheSemantics",
    "Charge",
    "Usage",
    "UsageSource",
    "breakdown_json",
    "compute_quota",
    "quota_to_usd",
    "round_quota",
]

QUOTA_PER_USD = 500000

UsageSource = Literal["upstream", "local", "mixed"]
BreakdownValue = int | str | bool | Decimal | None


class CacheSemantics(StrEnum):
    """What the upstream's prompt-token count includes.

    OPENAI: ``prompt_tokens`` includes cache reads and cache writes (OpenAI, Gemini, DeepSeek
    and most OpenAI-compatible upstreams); they are subtracted before being priced on their own.
    ANTHROPIC: ``input_tokens`` already excludes them (Claude's Messages API), so nothing is
    subtracted. Picking the wrong one double-charges or under-charges cached prompts.
    """

    OPENAI = "openai"
    ANTHROPIC = "anthropic"


@dataclass(frozen=True, slots=True)
class Usage:
    """Token counts of one request, as reported by the upstream or counted locally.

    Attributes:
        prompt_tokens: input tokens (see ``CacheSemantics`` for what they include).
        completion_tokens: output tokens, reasoning included.
        cached_tokens: cache-read input tokens.
        cache_write_5m_tokens: input tokens written to a 5-minute cache.
        cache_write_1h_tokens: input tokens written to a 1-hour cache.
        image_tokens: image input tokens; always part of ``prompt_tokens``.
        audio_prompt_tokens: audio input tokens; part of ``prompt_tokens``, logged only.
        reasoning_tokens: part of ``completion_tokens``, logged only.
        source: ``upstream`` (reported), ``local`` (estimated here) or ``mixed``.
    """

    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0
    cache_write_5m_tokens: int = 0
    cache_write_1h_tokens: int = 0
    image_tokens: int = 0
    audio_prompt_tokens: int = 0
    reasoning_tokens: int = 0
    source: UsageSource = "upstream"

    @property
    def cache_write_tokens(self) -> int:
        """All cache-write tokens (5-minute and 1-hour)."""
        return self.cache_write_5m_tokens + self.cache_write_1h_tokens


@dataclass(frozen=True, slots=True)
class Charge:
    """What one request costs.

    Attributes:
        quota: integer quota to charge (500 000 = 1 USD).
        quota_exact: the unrounded amount ``quota`` was rounded from.
        breakdown: the inputs of the formula, keyed like New API's log ``other`` JSON
            (``model_ratio``, ``completion_ratio``, ``group_ratio``, ``model_price``,
            ``cache_tokens``, ``cache_ratio``, ``cache_creation_*``, ...).
    """

    quota: int
    quota_exact: Decimal
    breakdown: Mapping[str, BreakdownValue] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def usd(self) -> Decimal:
        """``quota`` in US dollars."""
        return quota_to_usd(self.quota)


def quota_to_usd(quota: int) -> Decimal:
    """Exact USD value of ``quota`` units (at most six decimal places)."""
    return Decimal(quota) / QUOTA_PER_USD


def round_quota(amount: Decimal, *, nonzero_price: bool) -> int:
    """The one rounding rule: half up to an integer, at least 1 when the price is not zero.

    Args:
        amount: exact quota.
        nonzero_price: the request was billable (model ratio × group ratio, or the fixed price
            × group ratio, is not zero); a positive price never charges 0.
    """
    quota = int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if nonzero_price and quota <= 0:
        return 1
    return max(quota, 0)


def compute_quota(
    usage: Usage,
    price: ResolvedPrice,
    group_ratio: Decimal,
    semantics: CacheSemantics = CacheSemantics.OPENAI,
    *,
    calls: int = 1,
) -> Charge:
    """Settle one request: its quota from usage, price and group ratio.

    Ratio mode::

        base  = P − I − K − W5m − W1h   (OPENAI semantics)
        base  = P − I                   (ANTHROPIC semantics)
        quota = (base + K×cache_ratio + W5m×create_cache_ratio + W1h×create_cache_1h_ratio
                 + I×image_ratio + C×completion_ratio) × model_ratio × group_ratio

    Fixed-price mode: ``model_price_usd × 500000 × group_ratio × calls`` (usage is ignored).
    Nothing billable reported (P + C, plus K + W under ANTHROPIC semantics, is 0) → 0.
    Negative counts are read as 0 and ``base`` never goes below 0. The result is rounded
    by ``round_quota``.

    Args:
        usage: the request's token counts.
        price: from ``PriceBook.lookup`` for the requested model name.
        group_ratio: from ``PriceBook.group_ratio``.
        semantics: whether ``usage.prompt_tokens`` includes cache tokens.
        calls: number of billed calls in fixed-price mode (e.g. images ``n``).
    """
    breakdown = _common_breakdown(usage, price, group_ratio, semantics)
    if price.free:
        return _charge(Decimal(0), nonzero=False, breakdown=breakdown)
    if price.model_price_usd is not None:
        billed_calls = max(calls, 0)
        rate = price.model_price_usd * QUOTA_PER_USD * group_ratio
        breakdown["model_price"] = price.model_price_usd
        breakdown["calls"] = billed_calls
        return _charge(rate * billed_calls, nonzero=rate * billed_calls != 0, breakdown=breakdown)
    counts = _Counts.of(usage)
    if counts.billable(semantics) == 0:
        return _charge(Decimal(0), nonzero=False, breakdown=breakdown)
    base = counts.base(semantics)
    rate = price.model_ratio * group_ratio
    breakdown["base_tokens"] = base
    return _charge(counts.weighted(base, price) * rate, nonzero=rate != 0, breakdown=breakdown)


def breakdown_json(breakdown: Mapping[str, BreakdownValue]) -> bytes:
    """JSON for the log's ``other`` column; Decimals become exact JSON numbers, not floats."""
    return orjson.dumps(dict(breakdown), default=_decimal_fragment)


@dataclass(frozen=True, slots=True)
class _Counts:
    prompt: int
    completion: int
    cached: int
    write_5m: int
    write_1h: int
    image: int

    @classmethod
    def of(cls, usage: Usage) -> _Counts:
        return cls(
            max(usage.prompt_tokens, 0),
            max(usage.completion_tokens, 0),
            max(usage.cached_tokens, 0),
            max(usage.cache_write_5m_tokens, 0),
            max(usage.cache_write_1h_tokens, 0),
            max(usage.image_tokens, 0),
        )

    def billable(self, semantics: CacheSemantics) -> int:
        """Tokens the upstream reported at all (0 = nothing to bill)."""
        total = self.prompt + self.completion
        if semantics is CacheSemantics.ANTHROPIC:
            total += self.cached + self.write_5m + self.write_1h
        return total

    def base(self, semantics: CacheSemantics) -> int:
        """Prompt tokens billed at the plain input price (never below 0)."""
        base = self.prompt - self.image
        if semantics is CacheSemantics.OPENAI:
            base -= self.cached + self.write_5m + self.write_1h
        return max(base, 0)

    def weighted(self, base: int, price: ResolvedPrice) -> Decimal:
        """Input-price-equivalent tokens: every meter times its ratio."""
        return (
            base
            + self.cached * price.cache_ratio
            + self.write_5m * price.create_cache_ratio
            + self.write_1h * price.create_cache_1h_ratio
            + self.image * price.image_ratio
            + self.completion * price.completion_ratio
        )


def _charge(exact: Decimal, *, nonzero: bool, breakdown: dict[str, BreakdownValue]) -> Charge:
    quota = round_quota(exact, nonzero_price=nonzero)
    breakdown["quota_exact"] = exact
    return Charge(quota, exact, MappingProxyType(breakdown))


def _common_breakdown(
    usage: Usage, price: ResolvedPrice, group_ratio: Decimal, semantics: CacheSemantics
) -> dict[str, BreakdownValue]:
    return {
        "model_ratio": price.model_ratio,
        "completion_ratio": price.completion_ratio,
        "group_ratio": group_ratio,
        "model_price": Decimal(-1),
        "cache_tokens": usage.cached_tokens,
        "cache_ratio": price.cache_ratio,
        "cache_creation_tokens": usage.cache_write_tokens,
        "cache_creation_ratio": price.create_cache_ratio,
        "cache_creation_tokens_5m": usage.cache_write_5m_tokens,
        "cache_creation_ratio_5m": price.create_cache_ratio,
        "cache_creation_tokens_1h": usage.cache_write_1h_tokens,
        "cache_creation_ratio_1h": price.create_cache_1h_ratio,
        "image": usage.image_tokens > 0,
        "image_tokens": usage.image_tokens,
        "image_ratio": price.image_ratio,
        "usage_semantic": semantics.value,
        "usage_source": usage.source,
        "price_key": price.key,
        "price_match": price.match,
        "base_model": price.base_model,
        "free": price.free,
    }


def _decimal_fragment(value: object) -> orjson.Fragment:
    if isinstance(value, Decimal) and value.is_finite():
        return orjson.Fragment(format(value.normalize(), "f").encode())
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")
