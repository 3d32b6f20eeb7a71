"""Local token counts for the non-OpenAI formats, through the hub.

A request in any hub format is decoded and re-encoded as an OpenAI chat body, which the one
chat estimator counts; a response is decoded and its text, reasoning and tool calls counted.
The counts never fail a request: what cannot be decoded counts 0.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from newapi.billing.estimate import estimate_chat_prompt_tokens, estimate_completion_tokens
from newapi.errors import GatewayError
from newapi.relay.canonical import TextBlock, ThinkingBlock, ToolUseBlock
from newapi.relay.formats.hub import HUB_CODECS

__all__ = ["hub_completion_tokens", "hub_prompt_tokens", "prompt_estimate"]


def prompt_estimate(body: Mapping[str, Any], fmt: str, model: str) -> int:
    """The prompt tokens of a ``fmt`` request body (0 when it cannot be decoded)."""
    try:
        request = HUB_CODECS[fmt].decode_request(dict(body))
        chat = HUB_CODECS["openai_chat"].encode_request(request, model)
    except (GatewayError, KeyError, TypeError, ValueError, AttributeError):
        return 0
    return estimate_chat_prompt_tokens(chat, model)


def hub_prompt_tokens(fmt: str) -> Callable[[dict[str, Any], str], int]:
    def count(body: dict[str, Any], model: str) -> int:
        return prompt_estimate(body, fmt, model)

    return count


def hub_completion_tokens(fmt: str) -> Callable[[Mapping[str, Any], str], int]:
    def count(payload: Mapping[str, Any], model: str) -> int:
        try:
            response = HUB_CODECS[fmt].decode_response(dict(payload))
        except (GatewayError, KeyError, TypeError, ValueError, AttributeError):
            return 0
        texts: list[str] = []
        calls = 0
        for block in response.content:
            if isinstance(block, TextBlock | ThinkingBlock):
                texts.append(block.text)
            elif isinstance(block, ToolUseBlock):
                calls += 1
                texts.append(block.name + block.arguments)
        return estimate_completion_tokens("".join(texts), model, tool_calls=calls)

    return count
