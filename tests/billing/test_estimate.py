"""Reservation amounts, the trust bypass and local token estimates."""

from __future__ import annotations

from decimal import Decimal

import orjson
import pytest

from newapi.billing.estimate import (
    estimate_chat_prompt_tokens,
    estimate_completion_tokens,
    reservation,
    trust_bypass,
)
from newapi.billing.meter import Usage, compute_quota
from newapi.billing.prices import PriceBook, ResolvedPrice
from newapi.billing.tokenizer import count_tokens
from newapi.config.model import Price

D = Decimal

PRICES = PriceBook(
    {
        "gpt-4o": Price(model_ratio=D("1.25"), completion_ratio=D(4), cache_ratio=D("0.5")),
        "dall-e-3": Price(model_price_usd=D("0.04")),
        "tiny": Price(model_ratio=D("0.0001")),
        "gift": Price(model_ratio=D(2), free=True),
    },
    {},
)


def price(model: str) -> ResolvedPrice:
    return PRICES.lookup(model)


def test_reservation_prices_max_tokens_at_the_completion_ratio() -> None:
    # (max(800, 500) + 1000 × 4) × 1.25 × 1 = 4800 × 1.25 = 6000.
    # New API would reserve (800 + 1000) × 1.25 = 2250 although the output alone can cost 5000.
    assert reservation(800, 1000, price("gpt-4o"), D(1)) == 6000


def test_reservation_uses_the_minimum_prompt_and_the_group_ratio() -> None:
    # (max(100, 500) + 1000 × 4) × 1.25 × 2 = 4500 × 2.5 = 11250
    assert reservation(100, 1000, price("gpt-4o"), D(2)) == 11250
    # no max_tokens: the prompt only, 500 × 1.25 = 625
    assert reservation(100, None, price("gpt-4o"), D(1)) == 625
    # a custom minimum
    assert reservation(100, None, price("gpt-4o"), D(1), pre_consumed_min=0) == 125


def test_reservation_covers_the_worst_settlement() -> None:
    reserved = reservation(800, 1000, price("gpt-4o"), D("1.5"))
    worst = compute_quota(Usage(800, 1000), price("gpt-4o"), D("1.5")).quota
    assert reserved == worst == 9000


def test_reservation_fixed_free_and_tiny() -> None:
    # $0.04 × 500000 × 1.5 × 3 images = 90000
    assert reservation(0, None, price("dall-e-3"), D("1.5"), calls=3) == 90000
    assert reservation(5000, 5000, price("gift"), D(1)) == 0
    assert reservation(5000, 5000, price("gpt-4o"), D(0)) == 0
    # 500 × 0.0001 = 0.05 → minimum 1
    assert reservation(10, None, price("tiny"), D(1)) == 1


@pytest.mark.parametrize(
    ("user", "remain", "unlimited", "expected"),
    [
        (5_000_001, 0, True, True),
        (5_000_001, 5_000_001, False, True),
        (5_000_001, 5_000_000, False, False),  # strictly greater
        (5_000_000, 0, True, False),
        (100_000_000, 10, False, False),
    ],
)
def test_trust_bypass(user: int, remain: int, unlimited: bool, expected: bool) -> None:
    assert trust_bypass(user, remain, unlimited) is expected


def test_trust_bypass_custom_threshold() -> None:
    assert trust_bypass(11, 0, True, threshold=10)


COOKBOOK_MESSAGES = [
    {
        "role": "system",
        "content": "You are a helpful, pattern-following assistant that translates corporate "
        "jargon into plain English.",
    },
    {
        "role": "system",
        "name": "example_user",
        "content": "New synergies will help drive top-line growth.",
    },
    {
        "role": "system",
        "name": "example_assistant",
        "content": "Things working well together will increase revenue.",
    },
    {
        "role": "system",
        "name": "example_user",
        "content": "Let's circle back when we have more bandwidth to touch base on opportunities "
        "for increased leverage.",
    },
    {
        "role": "system",
        "name": "example_assistant",
        "content": "Let's talk later when we're less busy about how to do better.",
    },
    {
        "role": "user",
        "content": "This late pivot means we don't have time to boil the ocean for the client "
        "deliverable.",
    },
]


@pytest.mark.parametrize(("model", "api_count"), [("gpt-4", 129), ("gpt-4o", 124)])
def test_estimate_against_the_openai_cookbook(model: str, api_count: int) -> None:
    # OpenAI's "How to count tokens with tiktoken" example: the API reports 129 prompt tokens
    # (gpt-4, cl100k) and 124 (gpt-4o, o200k). OpenAI charges 1 per name; New API's overhead
    # charges 3, so the estimate is 2 × 4 names = 8 above the API's count.
    body = {"model": model, "messages": COOKBOOK_MESSAGES}
    assert estimate_chat_prompt_tokens(body, model) == api_count + 8


def test_estimate_counts_content_parts_and_images() -> None:
    low = {"type": "image_url", "image_url": {"url": "https://x/a.png", "detail": "low"}}
    auto = {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}}
    body = {
        "messages": [
            {"role": "user", "content": [{"type": "text", "text": "Hello, world!"}, low, auto]}
        ]
    }
    # 3 primer + 3 message + "user" (1) + "Hello, world!" (4) + 85 + 765
    assert estimate_chat_prompt_tokens(body, "gpt-4o") == 3 + 3 + 1 + 4 + 85 + 765


def test_estimate_counts_audio_and_file_parts_flat() -> None:
    body = {
        "messages": [
            {
                "role": "user",
                "content": [
                    {"type": "input_audio", "input_audio": {"data": "AAAA", "format": "wav"}},
                    {"type": "file", "file": {"file_id": "file-1"}},
                ],
            }
        ]
    }
    assert estimate_chat_prompt_tokens(body, "gpt-4o") == 3 + 3 + 1 + 256 + 4096


def test_estimate_counts_tools_and_tool_calls() -> None:
    parameters = {"type": "object", "properties": {"city": {"type": "string"}}}
    arguments = '{"city": "Paris"}'
    body = {
        "messages": [
            {"role": "user", "content": "Weather in Paris?"},
            {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "id": "call_1",
                        "type": "function",
                        "function": {"name": "get_weather", "arguments": arguments},
                    }
                ],
            },
            {"role": "tool", "tool_call_id": "call_1", "content": "sunny"},
        ],
        "tools": [
            {
                "type": "function",
                "function": {
                    "name": "get_weather",
                    "description": "Current weather",
                    "parameters": parameters,
                },
            }
        ],
    }

    def tok(text: str) -> int:
        return count_tokens(text, "gpt-4o")

    expected = (
        3
        + 3 * 3
        + tok("user") + tok("Weather in Paris?")
        + tok("assistant") + tok("get_weather") + tok(arguments)
        + tok("tool") + tok("sunny")
        + 8 + tok("get_weather") + tok("Current weather") + tok(orjson.dumps(parameters).decode())
    )  # fmt: skip
    assert estimate_chat_prompt_tokens(body, "gpt-4o") == expected


def test_estimate_legacy_functions_and_function_call() -> None:
    body = {
        "messages": [
            {"role": "assistant", "function_call": {"name": "f", "arguments": "{}"}},
        ],
        "functions": [{"name": "f", "parameters": {}}],
    }

    def tok(text: str) -> int:
        return count_tokens(text, "gpt-4")

    expected = 3 + 3 + tok("assistant") + tok("f") + tok("{}") + 8 + tok("f") + tok("{}")
    assert estimate_chat_prompt_tokens(body, "gpt-4") == expected


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"messages": "hello"},
        {"messages": [1, None, "x"]},
        {"messages": [], "tools": [{"function": "not a dict"}, 7]},
    ],
)
def test_estimate_never_fails_on_malformed_bodies(body: dict[str, object]) -> None:
    tools = body.get("tools")
    dict_tools = [t for t in tools if isinstance(t, dict)] if isinstance(tools, list) else []
    assert estimate_chat_prompt_tokens(body, "gpt-4o") == 3 + 8 * len(dict_tools)


def test_estimate_completion_tokens() -> None:
    assert estimate_completion_tokens("Hello, world!", "gpt-4o") == 4
    assert estimate_completion_tokens("", "gpt-4o") == 0
    assert estimate_completion_tokens("Hello, world!", "gpt-4o", tool_calls=2) == 4 + 14
