"""OpenAI chat completions responses (and usage) to and from the hub ``ChatResponse``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from newapi.billing.meter import Usage
from newapi.errors import UpstreamError
from newapi.relay.canonical import (
    Block,
    ChatResponse,
    StopReason,
    TextBlock,
    ThinkingBlock,
    ToolUseBlock,
)
from newapi.relay.formats.conversion import as_int, as_str, dumps, pack_signature

__all__ = [
    "decode_finish",
    "decode_response",
    "decode_usage",
    "encode_finish",
    "encode_response",
    "encode_usage",
]

_FINISH = {
    "stop": StopReason.END_TURN,
    "length": StopReason.MAX_TOKENS,
    "max_tokens": StopReason.MAX_TOKENS,
    "tool_calls": StopReason.TOOL_USE,
    "function_call": StopReason.TOOL_USE,
    "content_filter": StopReason.CONTENT_FILTER,
}
_FINISH_OUT = {
    StopReason.END_TURN: "stop",
    StopReason.STOP_SEQUENCE: "stop",
    StopReason.MAX_TOKENS: "length",
    StopReason.TOOL_USE: "tool_calls",
    StopReason.CONTENT_FILTER: "content_filter",
    StopReason.ERROR: "stop",
}


def decode_finish(reason: object) -> StopReason:
    """A chat ``finish_reason`` as a hub stop reason (unknown -> end_turn)."""
    return _FINISH.get(as_str(reason), StopReason.END_TURN)


def encode_finish(reason: StopReason) -> str:
    """A hub stop reason as a chat ``finish_reason``."""
    return _FINISH_OUT[reason]


def decode_usage(raw: object) -> Usage | None:
    """A chat ``usage`` object (prompt includes cached tokens, as in the hub)."""
    if not isinstance(raw, Mapping):
        return None
    prompt_details = raw.get("prompt_tokens_details")
    completion_details = raw.get("completion_tokens_details")
    cached = as_int(prompt_details.get("cached_tokens")) if isinstance(prompt_details, dict) else 0
    cached = cached or as_int(raw.get("prompt_cache_hit_tokens"))
    reasoning = (
        as_int(completion_details.get("reasoning_tokens"))
        if isinstance(completion_details, dict)
        else 0
    )
    prompt = as_int(raw.get("prompt_tokens"))
    return Usage(
        prompt_tokens=prompt,
        completion_tokens=as_int(raw.get("completion_tokens")),
        cached_tokens=min(cached, prompt),
        reasoning_tokens=reasoning,
    )


def encode_usage(usage: Usage | None) -> dict[str, Any]:
    """A hub usage as a chat ``usage`` object (zeros when unknown)."""
    usage = usage or Usage()
    return {
        "prompt_tokens": usage.prompt_tokens,
        "completion_tokens": usage.completion_tokens,
        "total_tokens": usage.prompt_tokens + usage.completion_tokens,
        "prompt_tokens_details": {"cached_tokens": usage.cached_tokens},
        "completion_tokens_details": {"reasoning_tokens": usage.reasoning_tokens},
    }


def decode_response(body: dict[str, Any]) -> ChatResponse:
    """A chat completion body as a ``ChatResponse`` (only the first choice is kept)."""
    choices = body.get("choices")
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        raise UpstreamError("upstream answered without choices", upstream_body=body)
    choice = choices[0]
    message = choice.get("message") or {}
    blocks: list[Block] = []
    reasoning = message.get("reasoning_content") or message.get("reasoning")
    if isinstance(reasoning, str) and reasoning:
        blocks.append(ThinkingBlock(reasoning))
    content = message.get("content")
    if isinstance(content, str) and content:
        blocks.append(TextBlock(content))
    for call in message.get("tool_calls") or ():
        if isinstance(call, dict):
            function = call.get("function") or {}
            arguments = function.get("arguments")
            blocks.append(
                ToolUseBlock(
                    as_str(call.get("id")),
                    as_str(function.get("name")),
                    arguments if isinstance(arguments, str) else dumps(arguments or {}),
                )
            )
    return ChatResponse(
        id=as_str(body.get("id")),
        model=as_str(body.get("model")),
        content=tuple(blocks),
        stop_reason=decode_finish(choice.get("finish_reason")),
        usage=decode_usage(body.get("usage")) or Usage(),
        created=as_int(body.get("created")),
    )


def encode_response(
    resp: ChatResponse, *, model: str = "", created: int = 0, **_: object
) -> dict[str, Any]:
    """A ``ChatResponse`` as a chat completion body.

    Args:
        resp: the hub response.
        model: the model name the client asked for.
        created: Unix time when the upstream gave none.
    """
    text = "".join(b.text for b in resp.content if isinstance(b, TextBlock))
    thinking = "".join(b.text for b in resp.content if isinstance(b, ThinkingBlock))
    calls = [b for b in resp.content if isinstance(b, ToolUseBlock)]
    message: dict[str, Any] = {"role": "assistant", "content": text if text or not calls else None}
    if thinking:
        message["reasoning_content"] = thinking
    if calls:
        message["tool_calls"] = [
            {
                "id": pack_signature(call.id, call.signature),
                "type": "function",
                "function": {"name": call.name, "arguments": call.arguments or "{}"},
            }
            for call in calls
        ]
    return {
        "id": resp.id if resp.id.startswith("chatcmpl-") else f"chatcmpl-{resp.id}",
        "object": "chat.completion",
        "created": resp.created or created,
        "model": model or resp.model,
        "choices": [
            {
                "index": 0,
                "message": message,
                "logprobs": None,
                "finish_reason": encode_finish(resp.stop_reason),
            }
        ],
        "usage": encode_usage(resp.usage),
    }
