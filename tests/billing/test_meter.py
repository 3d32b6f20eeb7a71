"""compute_quota: worked examples by hand, cache semantics, fixed prices and rounding."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import orjson
import pytest

from newapi.billing.meter import (
    QUOTA_PER_USD,
    CacheSemantics,
    Charge,
    Usage,
    breakdown_json,
    compute_quota,
    quota_to_usd,
    round_quota,
)
from newapi.billing.prices import PriceBook, ResolvedPrice
from newapi.config.model import Price

D = Decimal
OPENAI = CacheSemantics.OPENAI
ANTHROPIC = CacheSemantics.ANTHROPIC

PRICES = PriceBook(
    {
        # $2.50 in, $10 out, $1.25 cached per million tokens
        "gpt-4o": Price(model_ratio=D("1.25"), completion_ratio=D(4), cache_ratio=D("0.5")),
        # $3 in, $15 out, $0.30 cache read, $3.75 5-minute write, $6 1-hour write
        "claude-sonnet-4": Price(
            model_ratio=D("1.5"),
            completion_ratio=D(5),
            cache_ratio=D("0.1"),
            create_cache_ratio=D("1.25"),
        ),
        "dall-e-3": Price(model_price_usd=D("0.04")),
        "tiny": Price(model_ratio=D("0.0001")),
        "gift": Price(model_ratio=D(2), free=True),
    },
    {},
)


def price(model: str) -> ResolvedPrice:
    return PRICES.lookup(model)


def test_worked_example_gpt_4o_with_cache_and_group_ratio() -> None:
    # P=1000 (200 of them cached), C=500, group ratio 1.5, OpenAI semantics:
    #   base   = 1000 − 200             = 800
    #   tokens = 800 + 200×0.5 + 500×4  = 800 + 100 + 2000 = 2900
    #   quota  = 2900 × 1.25 × 1.5      = 5437.5 → 5438 (half up)
    # In USD: 800×$2.5/M + 200×$1.25/M + 500×$10/M = $0.00725, ×1.5 = $0.010875.
    charge = compute_quota(Usage(1000, 500, cached_tokens=200), price("gpt-4o"), D("1.5"))
    assert charge.quota_exact == D("5437.5")
    assert charge.quota == 5438
    assert charge.usd == D("0.010876")
    assert charge.breakdown["base_tokens"] == 800
    assert charge.breakdown["cache_tokens"] == 200
    assert charge.breakdown["group_ratio"] == D("1.5")
    assert charge.breakdown["model_price"] == -1


def test_worked_example_claude_with_5m_and_1h_cache_writes() -> None:
    # Anthropic semantics: input_tokens=100 excludes 2000 cache reads, 1000 5-minute and 500
    # 1-hour cache writes; output 300; group ratio 1.
    #   tokens = 100 + 2000×0.1 + 1000×1.25 + 500×(1.25×1.6=2) + 300×5
    #          = 100 + 200 + 1250 + 1000 + 1500 = 4050
    #   quota  = 4050 × 1.5 = 6075  ($0.01215: 100×$3 + 2000×$0.3 + 1000×$3.75 + 500×$6
    #                                 + 300×$15, per million)
    usage = Usage(100, 300, 2000, cache_write_5m_tokens=1000, cache_write_1h_tokens=500)
    charge = compute_quota(usage, price("claude-sonnet-4"), D(1), ANTHROPIC)
    assert charge.quota == 6075
    assert charge.usd == D("0.01215")
    assert charge.breakdown["cache_creation_tokens"] == 1500
    assert charge.breakdown["cache_creation_tokens_1h"] == 500
    assert charge.breakdown["cache_creation_ratio_1h"] == D(2)
    assert charge.breakdown["usage_semantic"] == "anthropic"


def test_both_semantics_agree_on_the_same_request() -> None:
    # The same request reported OpenAI-style: prompt_tokens includes the 3500 cache tokens.
    usage = Usage(3600, 300, 2000, cache_write_5m_tokens=1000, cache_write_1h_tokens=500)
    assert compute_quota(usage, price("claude-sonnet-4"), D(1), OPENAI).quota == 6075


def test_wrong_semantics_would_double_charge_the_cache() -> None:
    # Anthropic-style counts read as OpenAI-style: base clamps at 0 instead of going negative,
    # and OpenAI-style counts read as Anthropic-style charge the cached tokens twice.
    anthropic_counts = Usage(100, 0, 2000)
    assert (
        compute_quota(anthropic_counts, price("gpt-4o"), D(1), OPENAI).breakdown["base_tokens"] == 0
    )
    openai_counts = Usage(2100, 0, 2000)
    right = compute_quota(openai_counts, price("gpt-4o"), D(1), OPENAI).quota
    wrong = compute_quota(openai_counts, price("gpt-4o"), D(1), ANTHROPIC).quota
    assert (right, wrong) == (1375, 3875)  # (100 + 1000)×1.25 vs (2100 + 1000)×1.25


def test_image_tokens_are_part_of_the_prompt() -> None:
    # image_ratio is 1: 400 image tokens inside P=1000 cost the same as text.
    plain = compute_quota(Usage(1000, 0), price("gpt-4o"), D(1))
    images = compute_quota(Usage(1000, 0, image_tokens=400), price("gpt-4o"), D(1))
    assert plain.quota == images.quota == 1250
    assert images.breakdown["image"] is True


def test_fixed_price_per_call() -> None:
    # $0.04 × 500000 = 20000 per image; × group 1.5 × n=2 = 60000. Usage is ignored.
    charge = compute_quota(Usage(), price("dall-e-3"), D("1.5"), calls=2)
    assert charge.quota == 60000
    assert charge.breakdown["model_price"] == D("0.04")
    assert charge.breakdown["calls"] == 2
    assert compute_quota(Usage(), price("dall-e-3"), D(1), calls=0).quota == 0


def test_free_model_and_free_group_charge_nothing() -> None:
    usage = Usage(1000, 1000)
    assert compute_quota(usage, price("gift"), D(1)).quota == 0
    assert compute_quota(usage, price("gpt-4o"), D(0)).quota == 0  # no minimum of 1
    assert compute_quota(usage, price("dall-e-3"), D(0)).quota == 0


def test_no_usage_at_all_charges_nothing() -> None:
    assert compute_quota(Usage(), price("gpt-4o"), D(1)).quota == 0
    # Anthropic-style: only cache reads is still usage (10000 × 0.1 × 1.5 = 1500)
    cached_only = Usage(0, 0, cached_tokens=10000)
    assert compute_quota(cached_only, price("claude-sonnet-4"), D(1), ANTHROPIC).quota == 1500


def test_tiny_charges_round_up_to_one() -> None:
    # 3 tokens × 0.0001 = 0.0003 → 0 → minimum 1 because the price is not zero
    charge = compute_quota(Usage(2, 1), price("tiny"), D(1))
    assert (charge.quota_exact, charge.quota) == (D("0.0003"), 1)


@pytest.mark.parametrize(
    ("exact", "expected"),
    [("2.5", 3), ("3.5", 4), ("2.4999", 2), ("0.5", 1), ("0", 1), ("7", 7)],
)
def test_round_half_up_not_to_even(exact: str, expected: int) -> None:
    assert round_quota(D(exact), nonzero_price=True) == expected


def test_round_zero_price_stays_zero() -> None:
    assert round_quota(D(0), nonzero_price=False) == 0
    assert round_quota(D("0.4"), nonzero_price=False) == 0


def test_negative_counts_are_read_as_zero() -> None:
    charge = compute_quota(Usage(1000, -50, cached_tokens=-5), price("gpt-4o"), D(1))
    assert charge.quota == 1250


def test_quota_to_usd_is_exact() -> None:
    assert QUOTA_PER_USD == 500000
    assert quota_to_usd(500000) == 1
    assert quota_to_usd(1) == D("0.000002")
    assert quota_to_usd(5438) == D("0.010876")


def test_charge_is_immutable() -> None:
    charge = compute_quota(Usage(10, 10), price("gpt-4o"), D(1))
    with pytest.raises(dataclasses.FrozenInstanceError):
        charge.quota = 0  # type: ignore[misc]  # proving it is frozen
    with pytest.raises(TypeError):
        charge.breakdown["quota"] = 0  # type: ignore[index]  # proving it is read-only
    assert isinstance(charge, Charge)


def test_breakdown_records_the_price_key_used() -> None:
    charge = compute_quota(Usage(10, 10), PRICES.lookup("claude-sonnet-4-thinking"), D(1))
    assert charge.breakdown["price_key"] == "claude-sonnet-4"
    assert charge.breakdown["base_model"] == "claude-sonnet-4"
    assert charge.breakdown["usage_source"] == "upstream"


def test_breakdown_json_keeps_decimals_exact() -> None:
    charge = compute_quota(Usage(1000, 500, 200), price("gpt-4o"), D("1.5"))
    raw = breakdown_json(charge.breakdown)
    assert b'"model_ratio":1.25' in raw
    assert b'"cache_creation_ratio_1h":2,' in raw  # 2.000 normalised
    assert b'"quota_exact":5437.5' in raw
    decoded = orjson.loads(raw)
    assert decoded["completion_ratio"] == 4 and decoded["base_model"] is None
