"""Anthropic Messages responses and usage to and from the hub types."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from newapi.billing.meter import Usage
from newapi.errors import UpstreamError
from newapi.relay.canonical import (
    Block,
    ChatResponse,
    OpaqueBlock,
    StopReason,
    TextBlock,
    ThinkingBlock,
    ToolUseBlock,
)
from newapi.relay.formats.conversion import (
    as_int,
    as_str,
    dumps,
    export_signature,
    json_object,
    pack_signature,
)

__all__ = [
    "decode_response",
    "decode_stop",
    "encode_response",
    "encode_stop",
    "encode_usage",
    "hub_usage",
    "native_to_hub",
    "native_usage",
]

FORMAT = "anthropic_messages"

_STOP = {
    "end_turn": StopReason.END_TURN,
    "pause_turn": StopReason.END_TURN,
    "max_tokens": StopReason.MAX_TOKENS,
    "model_context_window_exceeded": StopReason.MAX_TOKENS,
    "stop_sequence": StopReason.STOP_SEQUENCE,
    "tool_use": StopReason.TOOL_USE,
    "refusal": StopReason.CONTENT_FILTER,
}
_STOP_OUT = {
    StopReason.END_TURN: "end_turn",
    StopReason.MAX_TOKENS: "max_tokens",
    StopReason.STOP_SEQUENCE: "stop_sequence",
    StopReason.TOOL_USE: "tool_use",
    StopReason.CONTENT_FILTER: "refusal",
    StopReason.ERROR: "end_turn",
}


def decode_stop(reason: object) -> StopReason:
    """A Claude ``stop_reason`` as a hub stop reason."""
    return _STOP.get(as_str(reason), StopReason.END_TURN)


def encode_stop(reason: StopReason) -> str:
    """A hub stop reason as a Claude ``stop_reason`` (content_filter -> refusal)."""
    return _STOP_OUT[reason]


def native_usage(raw: object) -> Usage | None:
    """A Claude ``usage`` object in Anthropic semantics (input excludes cache)."""
    if not isinstance(raw, Mapping):
        return None
    creation = as_int(raw.get("cache_creation_input_tokens"))
    split = raw.get("cache_creation")
    write_5m = write_1h = 0
    if isinstance(split, dict):
        write_5m = as_int(split.get("ephemeral_5m_input_tokens"))
        write_1h = as_int(split.get("ephemeral_1h_input_tokens"))
    if creation and not (write_5m or write_1h):
        write_5m = creation
    return Usage(
        prompt_tokens=as_int(raw.get("input_tokens")),
        completion_tokens=as_int(raw.get("output_tokens")),
        cached_tokens=as_int(raw.get("cache_read_input_tokens")),
        cache_write_5m_tokens=write_5m,
        cache_write_1h_tokens=write_1h,
    )


def hub_usage(raw: object) -> Usage | None:
    """A Claude ``usage`` object in hub (OpenAI) semantics: prompt includes cache tokens."""
    usage = native_usage(raw)
    return None if usage is None else native_to_hub(usage)


def native_to_hub(usage: Usage) -> Usage:
    """A usage in Anthropic semantics moved to hub (OpenAI) semantics."""
    prompt = usage.prompt_tokens + usage.cached_tokens + usage.cache_write_tokens
    return replace(usage, prompt_tokens=prompt)


def encode_usage(usage: Usage | None) -> dict[str, Any]:
    """A hub usage as a Claude ``usage`` object (input tokens exclude cache)."""
    usage = usage or Usage()
    return {
        "input_tokens": max(
            usage.prompt_tokens - usage.cached_tokens - usage.cache_write_tokens, 0
        ),
        "cache_creation_input_tokens": usage.cache_write_tokens,
        "cache_read_input_tokens": usage.cached_tokens,
        "cache_creation": {
            "ephemeral_5m_input_tokens": usage.cache_write_5m_tokens,
            "ephemeral_1h_input_tokens": usage.cache_write_1h_tokens,
        },
        "output_tokens": usage.completion_tokens,
    }


def _decode_block(part: dict[str, Any]) -> Block | None:
    kind = part.get("type")
    if kind == "text":
        return TextBlock(as_str(part.get("text")))
    if kind == "thinking":
        return ThinkingBlock(
            as_str(part.get("thinking")), as_str(part.get("signature")), origin=FORMAT
        )
    if kind == "redacted_thinking":
        return ThinkingBlock(redacted=as_str(part.get("data")), origin=FORMAT)
    if kind == "tool_use":
        return ToolUseBlock(
            as_str(part.get("id")), as_str(part.get("name")), dumps(part.get("input") or {})
        )
    return OpaqueBlock(FORMAT, part)


def decode_response(body: dict[str, Any]) -> ChatResponse:
    """A Claude message body as a ``ChatResponse``."""
    content = body.get("content")
    if not isinstance(content, list):
        raise UpstreamError("upstream answered without content", upstream_body=body)
    blocks = [b for b in (_decode_block(p) for p in content if isinstance(p, dict)) if b]
    return ChatResponse(
        id=as_str(body.get("id")),
        model=as_str(body.get("model")),
        content=tuple(blocks),
        stop_reason=decode_stop(body.get("stop_reason")),
        stop_sequence=as_str(body.get("stop_sequence")),
        usage=hub_usage(body.get("usage")) or Usage(),
    )


def encode_block(block: Block) -> dict[str, Any] | None:
    """A response block as Claude content (``None`` for blocks Claude clients cannot take)."""
    if isinstance(block, TextBlock):
        return {"type": "text", "text": block.text}
    if isinstance(block, ThinkingBlock):
        if block.redacted:
            return {"type": "redacted_thinking", "data": block.redacted}
        signature = export_signature(block.signature, block.origin, FORMAT)
        return {"type": "thinking", "thinking": block.text, "signature": signature}
    if isinstance(block, ToolUseBlock):
        return {
            "type": "tool_use",
            "id": pack_signature(block.id, block.signature),
            "name": block.name,
            "input": json_object(block.arguments),
        }
    if isinstance(block, OpaqueBlock) and block.format == FORMAT:
        return dict(block.raw)
    return None


def encode_response(resp: ChatResponse, *, model: str = "", **_: object) -> dict[str, Any]:
    """A ``ChatResponse`` as a Claude message body (``model`` = the name the client asked)."""
    content = [b for b in (encode_block(block) for block in resp.content) if b]
    return {
        "id": resp.id if resp.id.startswith("msg_") else f"msg_{resp.id}",
        "type": "message",
        "role": "assistant",
        "model": model or resp.model,
        "content": content,
        "stop_reason": encode_stop(resp.stop_reason),
        "stop_sequence": resp.stop_sequence or None,
        "usage": encode_usage(resp.usage),
    }
