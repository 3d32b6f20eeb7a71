"""PriceBook: lookup order, New API's wildcard keys, suffix fallback, globs, group ratios."""

from __future__ import annotations

from decimal import Decimal

import pytest

from newapi.billing.prices import PriceBook, ResolvedPrice
from newapi.config.model import GroupConfig, Price
from newapi.errors import ConfigError, UnavailableError

D = Decimal


def ratio(
    value: str,
    *,
    completion_ratio: Decimal | None = None,
    cache_ratio: Decimal | None = None,
    create_cache_ratio: Decimal | None = None,
    create_cache_1h_ratio: Decimal | None = None,
) -> Price:
    return Price(
        model_ratio=D(value),
        completion_ratio=completion_ratio,
        cache_ratio=cache_ratio,
        create_cache_ratio=create_cache_ratio,
        create_cache_1h_ratio=create_cache_1h_ratio,
    )


def book(prices: dict[str, Price], groups: dict[str, GroupConfig] | None = None) -> PriceBook:
    return PriceBook(prices, groups or {})


def test_exact_name_fills_every_default() -> None:
    found = book({"gpt-4o": ratio("1.25")}).lookup("gpt-4o")
    assert found == ResolvedPrice(
        model="gpt-4o",
        key="gpt-4o",
        match="exact",
        base_model=None,
        model_ratio=D("1.25"),
        completion_ratio=D(1),  # absent → 1, never a hard-coded family rule
        cache_ratio=D(1),
        create_cache_ratio=D("1.25"),
        create_cache_1h_ratio=D("2.000"),  # 1.25 × 1.6
    )
    assert not found.fixed and not found.free


def test_the_price_table_is_the_only_source_of_completion_ratios() -> None:
    # New API would lock gpt-5* at 8 whatever the table says; here the table decides.
    prices = book({"gpt-5": ratio("0.625", completion_ratio=D(3)), "o1": ratio("7.5")})
    assert prices.lookup("gpt-5").completion_ratio == D(3)
    assert prices.lookup("o1").completion_ratio == D(1)


def test_cache_ratios_configured_and_1h_derived_from_5m() -> None:
    prices = book(
        {
            "a": ratio("1", cache_ratio=D("0.1"), create_cache_ratio=D(2)),
            "b": ratio("1", create_cache_ratio=D("1.25"), create_cache_1h_ratio=D(3)),
        }
    )
    a = prices.lookup("a")
    assert (a.cache_ratio, a.create_cache_ratio, a.create_cache_1h_ratio) == (
        D("0.1"),
        D(2),
        D("3.2"),
    )
    assert prices.lookup("b").create_cache_1h_ratio == D(3)


@pytest.mark.parametrize(
    ("model", "key"),
    [
        ("gpt-4-gizmo-g-2fkFE8rbu", "gpt-4-gizmo-*"),
        ("gpt-4o-gizmo-g-abc", "gpt-4o-gizmo-*"),
    ],
)
def test_gizmo_names_use_the_gizmo_wildcard(model: str, key: str) -> None:
    prices = book({"gpt-4-gizmo-*": ratio("15"), "gpt-4o-gizmo-*": ratio("2.5")})
    found = prices.lookup(model)
    assert (found.key, found.match, found.base_model) == (key, "wildcard", None)


def test_gemini_thinking_budgets_use_the_family_wildcard() -> None:
    prices = book(
        {
            "gemini-2.5-flash": ratio("0.15"),
            "gemini-2.5-flash-thinking-*": ratio("0.15", completion_ratio=D("23.33")),
            "gemini-2.5-flash-lite-thinking-*": ratio("0.05", completion_ratio=D(4)),
            "gemini-2.5-pro-thinking-128": ratio("9"),
        }
    )
    assert prices.lookup("gemini-2.5-flash-thinking-1024").key == "gemini-2.5-flash-thinking-*"
    # New API normalises any gemini-2.5-flash* name containing -thinking-
    dated = prices.lookup("gemini-2.5-flash-preview-05-20-thinking-128")
    assert (dated.key, dated.match) == ("gemini-2.5-flash-thinking-*", "wildcard")
    # the longest family wins: flash-lite is not billed as flash
    lite = "gemini-2.5-flash-lite-thinking-512"
    assert prices.lookup(lite).key == "gemini-2.5-flash-lite-thinking-*"
    # an exact entry beats the wildcard
    assert prices.lookup("gemini-2.5-pro-thinking-128").key == "gemini-2.5-pro-thinking-128"


def test_gemini_budget_without_wildcard_falls_back_to_the_base_model() -> None:
    found = book({"gemini-2.5-pro": ratio("0.625")}).lookup("gemini-2.5-pro-thinking-4096")
    assert (found.key, found.base_model) == ("gemini-2.5-pro", "gemini-2.5-pro")


@pytest.mark.parametrize(
    ("model", "base"),
    [
        ("o3-mini-high", "o3-mini"),
        ("o3-mini-low", "o3-mini"),
        ("gpt-5-medium", "gpt-5"),
        ("gpt-5-minimal", "gpt-5"),
        ("gpt-5-none", "gpt-5"),
        ("gpt-5.1-codex-xhigh", "gpt-5.1-codex"),
        ("claude-sonnet-4-thinking", "claude-sonnet-4"),
        ("gemini-2.5-flash-nothinking", "gemini-2.5-flash"),
        ("qwen3-thinking-2048", "qwen3"),
    ],
)
def test_reasoning_suffix_falls_back_to_the_base_price(model: str, base: str) -> None:
    prices = book({base: ratio("2")})
    found = prices.lookup(model)
    assert (found.model, found.key, found.match, found.base_model) == (model, base, "exact", base)


def test_suffixed_name_with_its_own_price_is_billed_as_itself() -> None:
    prices = book({"o3-mini": ratio("0.55"), "o3-mini-high": ratio("0.6")})
    found = prices.lookup("o3-mini-high")
    assert (found.key, found.base_model, found.model_ratio) == ("o3-mini-high", None, D("0.6"))


def test_max_is_not_a_reasoning_suffix() -> None:
    # qwen-max is its own model; it must never be billed at qwen's price by accident
    with pytest.raises(UnavailableError):
        book({"qwen": ratio("1")}).lookup("qwen-max")


def test_most_specific_glob_wins() -> None:
    prices = book(
        {
            "*": ratio("37.5"),
            "claude-*": ratio("1.5"),
            "claude-3-5-*": ratio("1.4"),
            "*-openai-compact": ratio("0.7"),
        }
    )
    assert prices.lookup("claude-3-5-haiku-20241022").key == "claude-3-5-*"
    assert prices.lookup("claude-opus-4-1").key == "claude-*"
    assert prices.lookup("gpt-5-openai-compact").key == "*-openai-compact"
    catch_all = prices.lookup("some-new-model")
    assert (catch_all.key, catch_all.match) == ("*", "glob")


def test_glob_keys_are_literal_apart_from_the_star() -> None:
    prices = book({"gpt-4.1*": ratio("1")})
    assert prices.lookup("gpt-4.1-mini").key == "gpt-4.1*"
    assert prices.find("gpt-401") is None  # "." is not a regex wildcard


def test_base_models_own_price_beats_a_glob_on_the_suffixed_name() -> None:
    # A catch-all "*" must not shadow o3-mini's price for o3-mini-high.
    prices = book({"*": ratio("37.5"), "o3-mini": ratio("0.55")})
    found = prices.lookup("o3-mini-high")
    assert (found.key, found.base_model) == ("o3-mini", "o3-mini")


def test_glob_on_the_base_name_is_the_last_resort() -> None:
    found = book({"*-mini": ratio("0.5")}).lookup("o3-mini-high")
    assert (found.key, found.match, found.base_model) == ("*-mini", "glob", "o3-mini")


def test_missing_price_names_the_model_and_the_keys_to_add() -> None:
    with pytest.raises(UnavailableError) as caught:
        book({"gpt-4o": ratio("1.25")}).lookup("o3-mini-high")
    error = caught.value
    assert (error.status, error.code, error.param) == (503, "model_price_error", "model")
    assert "'o3-mini-high'" in error.message
    assert "[prices.o3-mini-high] or [prices.o3-mini]" in error.message
    assert "model_ratio or model_price_usd" in error.message


def test_missing_price_quotes_keys_that_need_it() -> None:
    with pytest.raises(UnavailableError, match=r'\[prices\."gpt-4o-gizmo-\*"\]'):
        book({}).lookup("gpt-4o-gizmo-g-1")


def test_entry_without_ratio_or_price_is_an_error() -> None:
    with pytest.raises(UnavailableError, match="sets neither model_ratio nor model_price_usd"):
        book({"half": Price(completion_ratio=D(4))}).lookup("half")


def test_free_model_resolves_to_zero() -> None:
    found = book({"gift": Price(model_ratio=D(3), free=True)}).lookup("gift")
    assert found.free
    assert found.model_ratio == found.completion_ratio == found.create_cache_1h_ratio == 0


def test_fixed_price_is_kept_next_to_the_ratio() -> None:
    found = book({"dall-e-3": Price(model_ratio=D(1), model_price_usd=D("0.04"))}).lookup(
        "dall-e-3"
    )
    assert found.fixed and found.model_price_usd == D("0.04")


def test_group_ratios() -> None:
    prices = PriceBook(
        {},
        {"default": GroupConfig(), "vip": GroupConfig(D("1.5")), "free": GroupConfig(D(0))},
        user_group_ratios={"partner": {"vip": D("0.8")}},
    )
    assert prices.group_ratio("default") == 1
    assert prices.group_ratio("vip") == D("1.5")
    assert prices.group_ratio("free") == 0
    assert prices.group_ratio("nobody-configured-this") == 1
    assert prices.group_ratio("vip", user_group="partner") == D("0.8")
    assert prices.group_ratio("vip", user_group="default") == D("1.5")
    assert prices.user_group_ratio("vip", "partner") == D("0.8")
    assert prices.user_group_ratio("vip", None) is None


def test_negative_or_non_numeric_ratios_are_rejected_together() -> None:
    with pytest.raises(ConfigError) as caught:
        PriceBook(
            {"a": Price(model_ratio=D(-1)), "b": Price(model_ratio=D(1), cache_ratio=D("NaN"))},
            {"vip": GroupConfig(D(-2))},
        )
    assert len(caught.value.problems) == 3
    assert "/prices/a/model_ratio" in caught.value.problems[0]
