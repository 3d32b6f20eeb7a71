"""Before the upstream answers: reservation amounts, the trust bypass and local token estimates.

The reservation (New API's pre-consumption) is what the ledger holds back from the user and the
token before a request is sent; settlement later replaces it with ``meter.compute_quota``'s
charge. Local estimates stand in for usage the upstream does not report (relay.md §6.5, §6.6).
Counting uses ``newapi.billing.tokenizer.count_tokens`` (tiktoken, offline).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal

import orjson

from newapi.billing.meter import QUOTA_PER_USD, round_quota
from newapi.billing.prices import ResolvedPrice
from newapi.billing.tokenizer import count_tokens

__all__ = [
    "AUDIO_PART_TOKENS",
    "FILE_PART_TOKENS",
    "IMAGE_TOKENS_HIGH",
    "IMAGE_TOKENS_LOW",
    "PRE_CONSUMED_MIN_TOKENS",
    "TOKENS_PER_MESSAGE",
    "TOKENS_PER_NAME",
    "TOKENS_PER_TOOL",
    "TOKENS_PER_TOOL_CALL",
    "TOKENS_REPLY_PRIMER",
    "TRUST_THRESHOLD",
    "estimate_chat_prompt_tokens",
    "estimate_completion_tokens",
    "reservation",
    "trust_bypass",
]

PRE_CONSUMED_MIN_TOKENS = 500  # New API's PreConsumedQuota, read as a minimum token count
TRUST_THRESHOLD = 5_000_000  # 10 USD of quota

# New API's overhead for the OpenAI chat format: 8×tools + 3×messages + 3×names + 3.
TOKENS_PER_MESSAGE = 3
TOKENS_PER_NAME = 3
TOKENS_PER_TOOL = 8
TOKENS_REPLY_PRIMER = 3
TOKENS_PER_TOOL_CALL = 7  # New API adds 7 per streamed tool call when it counts the output

# Flat media costs (no image is ever downloaded to measure it). 85 is OpenAI's base cost of an
# image at detail "low"; 765 is a 1024×1024 image at "high"/"auto" (85 + 4 tiles × 170).
# Audio and file parts use New API's flat costs for media it does not measure.
IMAGE_TOKENS_LOW = 85
IMAGE_TOKENS_HIGH = 765
AUDIO_PART_TOKENS = 256
FILE_PART_TOKENS = 4096


def reservation(
    prompt_estimate: int,
    max_tokens: int | None,
    price: ResolvedPrice,
    group_ratio: Decimal,
    pre_consumed_min: int = PRE_CONSUMED_MIN_TOKENS,
    *,
    calls: int = 1,
) -> int:
    """Quota to reserve before the request is sent upstream.

    Ratio mode::

        (max(prompt_estimate, pre_consumed_min) + max_tokens × completion_ratio)
            × model_ratio × group_ratio

    Fixed-price mode: ``model_price_usd × 500000 × group_ratio × calls``. Free → 0. Rounded
    by ``meter.round_quota`` like the settlement.

    New API reserves ``max_tokens`` at the *input* price. We multiply by the completion ratio:
    output costs 4-8× input for most models, so New API under-reserves exactly the requests
    that cost most (a gpt-5 call with ``max_tokens=32000`` reserves 1/8 of its worst case), and
    concurrent requests can then spend well past the balance before any of them settles. With
    the completion ratio, a request whose upstream honours ``max_tokens`` can only exceed its
    reservation through a prompt that was under-estimated or written to the cache (cache writes
    cost up to 2× input): the overdraft bound is stated in terms of the prompt alone. When the
    client sends no ``max_tokens`` the output is not reserved at all, as in New API.

    Args:
        prompt_estimate: local prompt token estimate (``estimate_chat_prompt_tokens``).
        max_tokens: the larger of ``max_tokens``/``max_completion_tokens`` (Responses:
            ``max_output_tokens``), or None when the client sent none.
        price: from ``PriceBook.lookup``.
        group_ratio: from ``PriceBook.group_ratio``.
        pre_consumed_min: the prompt is reserved as at least this many tokens.
        calls: number of billed calls in fixed-price mode (e.g. images ``n``).
    """
    if price.free:
        return 0
    if price.model_price_usd is not None:
        amount = price.model_price_usd * QUOTA_PER_USD * group_ratio * max(calls, 0)
        return round_quota(amount, nonzero_price=amount != 0)
    prompt = max(prompt_estimate, pre_consumed_min, 0)
    completion = max(max_tokens or 0, 0)
    rate = price.model_ratio * group_ratio
    amount = (prompt + completion * price.completion_ratio) * rate
    return round_quota(amount, nonzero_price=rate != 0)


def trust_bypass(
    user_quota: int,
    token_remain: int,
    token_unlimited: bool,
    threshold: int = TRUST_THRESHOLD,
) -> bool:
    """True when nothing needs reserving: the user and the token both hold over ``threshold``.

    New API's rule: user quota > threshold and (the token is unlimited or its remaining quota
    > threshold). A trusted request is still settled afterwards.
    """
    return user_quota > threshold and (token_unlimited or token_remain > threshold)


def estimate_completion_tokens(text: str, model: str, *, tool_calls: int = 0) -> int:
    """Local output estimate: tokens of ``text`` plus ``TOKENS_PER_TOOL_CALL`` per tool call.

    ``text`` is the streamed content, reasoning and tool names and arguments joined.
    """
    return count_tokens(text, model) + TOKENS_PER_TOOL_CALL * max(tool_calls, 0)


def estimate_chat_prompt_tokens(body: Mapping[str, object], model: str) -> int:
    """Local prompt estimate for an OpenAI chat-completions body.

    ``3 + Σ messages (3 + role + content [+ 3 + name]) + Σ tools (8 + definition)``, where text
    is counted with ``count_tokens`` piece by piece: string content, text and refusal parts,
    tool-call and legacy ``function_call`` names and arguments, and tool definitions (name,
    description, JSON parameters; the legacy ``functions`` list counts as tools). Image parts
    cost ``IMAGE_TOKENS_LOW`` at detail "low", else ``IMAGE_TOKENS_HIGH``; audio and file parts
    cost ``AUDIO_PART_TOKENS`` and ``FILE_PART_TOKENS``. Malformed pieces are skipped: the
    estimate never fails a request.
    """
    flat = TOKENS_REPLY_PRIMER
    texts: list[str] = []
    for message in _dicts(body.get("messages")):
        flat += TOKENS_PER_MESSAGE
        texts.extend(_strings(message.get("role")))
        flat += _content(message.get("content"), texts)
        name = message.get("name")
        if isinstance(name, str) and name:
            flat += TOKENS_PER_NAME
            texts.append(name)
        for call in _dicts(message.get("tool_calls")):
            _function_text(call.get("function"), "arguments", texts)
        _function_text(message.get("function_call"), "arguments", texts)
    for tool in (*_dicts(body.get("tools")), *_dicts(body.get("functions"))):
        flat += TOKENS_PER_TOOL
        # {"type": "function", "function": {...}} or a legacy bare function definition
        definition = tool.get("function") if "function" in tool else tool
        _function_text(definition, "parameters", texts)
    return flat + sum(count_tokens(text, model) for text in texts)


def _content(content: object, texts: list[str]) -> int:
    """Append the text of ``content`` to ``texts``; return the flat cost of its media parts."""
    if isinstance(content, str):
        texts.append(content)
        return 0
    flat = 0
    for part in _dicts(content):
        kind = part.get("type")
        if kind == "image_url":
            flat += _image_tokens(part.get("image_url"))
        elif kind == "input_audio":
            flat += AUDIO_PART_TOKENS
        elif kind == "file":
            flat += FILE_PART_TOKENS
        else:  # "text", "refusal" and anything else carrying text
            texts.extend(_strings(part.get("text"), part.get("refusal")))
    return flat


def _image_tokens(image_url: object) -> int:
    detail = image_url.get("detail") if isinstance(image_url, Mapping) else None
    return IMAGE_TOKENS_LOW if detail == "low" else IMAGE_TOKENS_HIGH


def _function_text(function: object, payload_key: str, texts: list[str]) -> None:
    """Append a function's name, description and ``payload_key`` (arguments or parameters)."""
    if not isinstance(function, Mapping):
        return
    texts.extend(_strings(function.get("name"), function.get("description")))
    payload = function.get(payload_key)
    if isinstance(payload, str):
        texts.append(payload)
    elif payload is not None:
        try:
            texts.append(orjson.dumps(payload).decode())
        except TypeError:  # orjson.JSONEncodeError: not JSON (only from non-wire callers)
            return


def _dicts(value: object) -> Iterator[Mapping[str, object]]:
    if isinstance(value, list | tuple):
        for item in value:
            if isinstance(item, Mapping):
                yield item


def _strings(*values: object) -> Iterator[str]:
    for value in values:
        if isinstance(value, str) and value:
            yield value
