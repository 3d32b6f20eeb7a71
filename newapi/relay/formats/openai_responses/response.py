"""OpenAI Responses API response objects and usage to and from the hub types."""

from __future__ import annotations

from collections.abc import Mapping
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
    IdSource,
    as_int,
    as_str,
    export_signature,
    pack_signature,
    random_ids,
)

__all__ = [
    "decode_response",
    "decode_status",
    "decode_usage",
    "encode_item",
    "encode_response",
    "encode_usage",
    "response_object",
]

FORMAT = "openai_responses"


def decode_usage(raw: object) -> Usage | None:
    """A Responses ``usage`` object (input includes cached tokens, as in the hub)."""
    if not isinstance(raw, Mapping):
        return None
    input_details = raw.get("input_tokens_details")
    output_details = raw.get("output_tokens_details")
    prompt = as_int(raw.get("input_tokens"))
    cached = as_int(input_details.get("cached_tokens")) if isinstance(input_details, dict) else 0
    return Usage(
        prompt_tokens=prompt,
        completion_tokens=as_int(raw.get("output_tokens")),
        cached_tokens=min(cached, prompt),
        reasoning_tokens=as_int(output_details.get("reasoning_tokens"))
        if isinstance(output_details, dict)
        else 0,
    )


def encode_usage(usage: Usage | None) -> dict[str, Any]:
    """A hub usage as a Responses ``usage`` object; every field present, 0 when unknown
    (Codex reconnects when ``reasoning_tokens`` is missing, bifrost#891)."""
    usage = usage or Usage()
    return {
        "input_tokens": usage.prompt_tokens,
        "input_tokens_details": {"cached_tokens": usage.cached_tokens},
        "output_tokens": usage.completion_tokens,
        "output_tokens_details": {"reasoning_tokens": usage.reasoning_tokens},
        "total_tokens": usage.prompt_tokens + usage.completion_tokens,
    }


def decode_status(status: object, incomplete: object, has_calls: bool) -> StopReason:
    """A response ``status`` (+ ``incomplete_details``) as a hub stop reason."""
    if status == "incomplete":
        reason = incomplete.get("reason") if isinstance(incomplete, dict) else None
        return StopReason.CONTENT_FILTER if reason == "content_filter" else StopReason.MAX_TOKENS
    if status == "failed":
        return StopReason.ERROR
    return StopReason.TOOL_USE if has_calls else StopReason.END_TURN


def encode_status(reason: StopReason) -> tuple[str, dict[str, str] | None]:
    """``status`` and ``incomplete_details`` for a hub stop reason."""
    if reason is StopReason.MAX_TOKENS:
        return "incomplete", {"reason": "max_output_tokens"}
    if reason is StopReason.CONTENT_FILTER:
        return "incomplete", {"reason": "content_filter"}
    if reason is StopReason.ERROR:
        return "failed", None
    return "completed", None


def _decode_item(item: dict[str, Any]) -> list[Block]:
    kind = item.get("type")
    if kind == "message":
        blocks: list[Block] = []
        for part in item.get("content") or ():
            if isinstance(part, dict) and part.get("type") == "output_text":
                blocks.append(TextBlock(as_str(part.get("text"))))
            elif isinstance(part, dict) and part.get("type") == "refusal":
                blocks.append(TextBlock(as_str(part.get("refusal"))))
        return blocks
    if kind == "function_call":
        return [
            ToolUseBlock(
                as_str(item.get("call_id")),
                as_str(item.get("name")),
                as_str(item.get("arguments")) or "{}",
                item_id=as_str(item.get("id")),
            )
        ]
    if kind == "reasoning":
        parts = [*(item.get("summary") or ()), *(item.get("content") or ())]
        text = "\n\n".join(as_str(p.get("text")) for p in parts if isinstance(p, dict))
        return [
            ThinkingBlock(
                text,
                as_str(item.get("encrypted_content")),
                origin=FORMAT,
                id=as_str(item.get("id")),
            )
        ]
    return [OpaqueBlock(FORMAT, item)]


def decode_response(body: dict[str, Any]) -> ChatResponse:
    """A Responses API response object as a ``ChatResponse``."""
    output = body.get("output")
    if not isinstance(output, list):
        raise UpstreamError("upstream answered without output", upstream_body=body)
    blocks = [b for item in output if isinstance(item, dict) for b in _decode_item(item)]
    has_calls = any(isinstance(b, ToolUseBlock) for b in blocks)
    return ChatResponse(
        id=as_str(body.get("id")),
        model=as_str(body.get("model")),
        content=tuple(blocks),
        stop_reason=decode_status(body.get("status"), body.get("incomplete_details"), has_calls),
        usage=decode_usage(body.get("usage")) or Usage(),
        created=as_int(body.get("created_at")),
    )


def encode_item(block: Block, ids: IdSource, status: str = "completed") -> dict[str, Any] | None:
    """A hub block as a complete output item (``None`` for blocks with no item form)."""
    if isinstance(block, TextBlock):
        return {
            "type": "message",
            "id": ids("msg_"),
            "status": status,
            "role": "assistant",
            "content": [{"type": "output_text", "text": block.text, "annotations": []}],
        }
    if isinstance(block, ToolUseBlock):
        return {
            "type": "function_call",
            "id": block.item_id or ids("fc_"),
            "call_id": pack_signature(block.id, block.signature),
            "name": block.name,
            "arguments": block.arguments or "{}",
            "status": status,
        }
    if isinstance(block, ThinkingBlock) and not block.redacted:
        item: dict[str, Any] = {
            "type": "reasoning",
            "id": block.id or ids("rs_"),
            "summary": [{"type": "summary_text", "text": block.text}] if block.text else [],
        }
        if block.signature:
            item["encrypted_content"] = export_signature(block.signature, block.origin, FORMAT)
        return item
    if isinstance(block, OpaqueBlock) and block.format == FORMAT:
        return dict(block.raw)
    return None


def response_object(
    response_id: str,
    model: str,
    created: int,
    *,
    status: str,
    output: list[dict[str, Any]],
    usage: dict[str, Any] | None,
    incomplete: dict[str, str] | None = None,
    error: dict[str, str] | None = None,
) -> dict[str, Any]:
    """A Responses ``response`` object with every field the SDKs require."""
    return {
        "id": response_id,
        "object": "response",
        "created_at": created,
        "status": status,
        "error": error,
        "incomplete_details": incomplete,
        "instructions": None,
        "max_output_tokens": None,
        "model": model,
        "output": output,
        "parallel_tool_calls": True,
        "previous_response_id": None,
        "reasoning": {"effort": None, "summary": None},
        "store": False,
        "temperature": None,
        "text": {"format": {"type": "text"}},
        "tool_choice": "auto",
        "tools": [],
        "top_p": None,
        "truncation": "disabled",
        "usage": usage,
        "user": None,
        "metadata": {},
    }


def encode_response(
    resp: ChatResponse,
    *,
    model: str = "",
    created: int = 0,
    ids: IdSource = random_ids,
    **_: object,
) -> dict[str, Any]:
    """A ``ChatResponse`` as a Responses API response object.

    Args:
        resp: the hub response.
        model: the model name the client asked for.
        created: Unix time for ``created_at`` when the upstream gave none.
        ids: makes the output item ids.
    """
    output = [i for i in (encode_item(b, ids) for b in resp.content) if i]
    status, incomplete = encode_status(resp.stop_reason)
    return response_object(
        resp.id if resp.id.startswith("resp_") else f"resp_{resp.id}",
        model or resp.model,
        resp.created or created,
        status=status,
        output=output,
        usage=encode_usage(resp.usage),
        incomplete=incomplete,
    )
