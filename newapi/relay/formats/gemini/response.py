"""Gemini ``GenerateContentResponse`` bodies and usage to and from the hub types."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from newapi.billing.meter import Usage
from newapi.errors import UpstreamError
from newapi.relay.canonical import (
    Block,
    ChatResponse,
    ImageBlock,
    StopReason,
    TextBlock,
    ThinkingBlock,
    ToolUseBlock,
)
from newapi.relay.formats.conversion import IdSource, as_int, as_str, dumps, json_object, random_ids

__all__ = [
    "decode_finish",
    "decode_response",
    "decode_usage",
    "encode_finish",
    "encode_response",
    "encode_usage",
]

FORMAT = "gemini"

_FINISH = {
    "STOP": StopReason.END_TURN,
    "MAX_TOKENS": StopReason.MAX_TOKENS,
    "MALFORMED_FUNCTION_CALL": StopReason.ERROR,
    "UNEXPECTED_TOOL_CALL": StopReason.ERROR,
    "FINISH_REASON_UNSPECIFIED": StopReason.END_TURN,
}  # every other reason (SAFETY, RECITATION, BLOCKLIST, PROHIBITED_CONTENT, SPII, ...) filters
_FINISH_OUT = {
    StopReason.END_TURN: "STOP",
    StopReason.STOP_SEQUENCE: "STOP",
    StopReason.TOOL_USE: "STOP",
    StopReason.MAX_TOKENS: "MAX_TOKENS",
    StopReason.CONTENT_FILTER: "SAFETY",
    StopReason.ERROR: "OTHER",
}


def decode_finish(reason: object, has_calls: bool) -> StopReason:
    """A Gemini ``finishReason`` as a hub stop reason (``STOP`` with calls -> tool_use)."""
    stop = _FINISH.get(as_str(reason), StopReason.CONTENT_FILTER)
    if stop is StopReason.END_TURN and has_calls:
        return StopReason.TOOL_USE
    return stop


def encode_finish(reason: StopReason) -> str:
    """A hub stop reason as a Gemini ``finishReason``."""
    return _FINISH_OUT[reason]


def decode_usage(raw: object) -> Usage | None:
    """``usageMetadata`` as usage (prompt includes cached; completion includes thoughts)."""
    if not isinstance(raw, Mapping):
        return None
    prompt = as_int(raw.get("promptTokenCount"))
    thoughts = as_int(raw.get("thoughtsTokenCount"))
    candidates = raw.get("candidatesTokenCount")
    if isinstance(candidates, int):
        completion = candidates + thoughts
    else:
        completion = max(as_int(raw.get("totalTokenCount")) - prompt, thoughts)
    return Usage(
        prompt_tokens=prompt,
        completion_tokens=completion,
        cached_tokens=min(as_int(raw.get("cachedContentTokenCount")), prompt),
        reasoning_tokens=thoughts,
    )


def encode_usage(usage: Usage | None) -> dict[str, Any]:
    """A hub usage as ``usageMetadata``."""
    usage = usage or Usage()
    out = {
        "promptTokenCount": usage.prompt_tokens,
        "candidatesTokenCount": max(usage.completion_tokens - usage.reasoning_tokens, 0),
        "totalTokenCount": usage.prompt_tokens + usage.completion_tokens,
    }
    if usage.cached_tokens:
        out["cachedContentTokenCount"] = usage.cached_tokens
    if usage.reasoning_tokens:
        out["thoughtsTokenCount"] = usage.reasoning_tokens
    return out


def decode_parts(parts: object, ids: IdSource) -> list[Block]:
    """Response parts as hub blocks (function calls get fresh ids from ``ids``)."""
    blocks: list[Block] = []
    for part in parts if isinstance(parts, list) else ():
        if not isinstance(part, dict):
            continue
        signature = as_str(part.get("thoughtSignature"))
        if isinstance(part.get("functionCall"), dict):
            call = part["functionCall"]
            call_id = as_str(call.get("id")) or ids("call_")
            blocks.append(
                ToolUseBlock(
                    call_id, as_str(call.get("name")), dumps(call.get("args") or {}), signature
                )
            )
        elif "text" in part and part.get("thought") is True:
            blocks.append(ThinkingBlock(as_str(part.get("text")), signature, origin=FORMAT))
        elif "text" in part:
            blocks.append(TextBlock(as_str(part.get("text"))))
        elif isinstance(part.get("inlineData"), dict):
            inline = part["inlineData"]
            blocks.append(ImageBlock(as_str(inline.get("mimeType")), as_str(inline.get("data"))))
    return blocks


def check_candidates(body: dict[str, Any]) -> dict[str, Any]:
    """The first candidate; no candidates is an error that still carries the usage (§12.22)."""
    candidates = body.get("candidates")
    if isinstance(candidates, list) and candidates and isinstance(candidates[0], dict):
        return candidates[0]
    feedback = body.get("promptFeedback") or {}
    if isinstance(feedback, dict) and feedback.get("blockReason"):
        raise UpstreamError(
            f"prompt blocked by the upstream: {feedback['blockReason']}",
            upstream_status=400,
            upstream_body=body,
            upstream_type="prompt_blocked",
        )
    raise UpstreamError(
        "upstream answered without candidates",
        upstream_status=500,
        upstream_body=body,
        upstream_type="empty_response",
    )


def decode_response(body: dict[str, Any], *, ids: IdSource = random_ids) -> ChatResponse:
    """A Gemini body as a ``ChatResponse`` (raises ``UpstreamError`` with no candidates)."""
    candidate = check_candidates(body)
    blocks = decode_parts((candidate.get("content") or {}).get("parts"), ids)
    has_calls = any(isinstance(b, ToolUseBlock) for b in blocks)
    return ChatResponse(
        id=as_str(body.get("responseId")),
        model=as_str(body.get("modelVersion")),
        content=tuple(blocks),
        stop_reason=decode_finish(candidate.get("finishReason"), has_calls),
        usage=decode_usage(body.get("usageMetadata")) or Usage(),
    )


def encode_block(block: Block) -> dict[str, Any] | None:
    """A hub block as a Gemini response part."""
    if isinstance(block, TextBlock):
        return {"text": block.text}
    if isinstance(block, ThinkingBlock):
        part: dict[str, Any] = {"text": block.text, "thought": True}
        if block.signature and block.origin in ("", FORMAT):
            part["thoughtSignature"] = block.signature
        return part
    if isinstance(block, ToolUseBlock):
        part = {"functionCall": {"name": block.name, "args": json_object(block.arguments)}}
        if block.signature:
            part["thoughtSignature"] = block.signature
        return part
    if isinstance(block, ImageBlock) and block.data:
        return {"inlineData": {"mimeType": block.media_type, "data": block.data}}
    return None


def encode_response(resp: ChatResponse, *, model: str = "", **_: object) -> dict[str, Any]:
    """A ``ChatResponse`` as a Gemini body (``model`` = the name the client asked)."""
    parts = [p for p in (encode_block(b) for b in resp.content) if p]
    return {
        "candidates": [
            {
                "content": {"role": "model", "parts": parts},
                "finishReason": encode_finish(resp.stop_reason),
                "index": 0,
            }
        ],
        "usageMetadata": encode_usage(resp.usage),
        "modelVersion": model or resp.model,
        "responseId": resp.id,
    }
