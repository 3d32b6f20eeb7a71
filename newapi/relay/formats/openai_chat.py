"""OpenAI's chat, completions, embeddings and moderations wire format (the default format).

Requests and responses of matching channels pass through unchanged; this module reads what the
gateway needs (usage, stream events, errors) and writes errors in OpenAI's shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson

from newapi.billing.meter import Usage
from newapi.errors import GatewayError, InternalError, UpstreamError
from newapi.relay.formats.base import mask_secrets

__all__ = ["ADAPTER", "OpenAIChat", "stream_text"]

_ERROR_TYPES = {
    "invalid_request": "invalid_request_error",
    "authentication": "authentication_error",
    "permission": "permission_error",
    "quota": "insufficient_quota",
    "not_found": "invalid_request_error",
    "rate_limit": "rate_limit_error",
    "upstream": "upstream_error",
    "timeout": "upstream_error",
    "unavailable": "service_unavailable_error",
}


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def _error_object(error: GatewayError, request_id: str) -> dict[str, Any]:
    message = error.message
    if isinstance(error, InternalError):
        message = "internal error"
    if request_id:
        message = f"{message} (request id: {request_id})"
    return {
        "message": message,
        "type": "server_error"
        if isinstance(error, InternalError)
        else _ERROR_TYPES.get(error.kind, "new_api_error"),
        "param": error.param,
        "code": error.code,
    }


class OpenAIChat:
    """The ``openai_chat`` adapter."""

    name = "openai_chat"

    def render_error(self, error: GatewayError, request_id: str) -> tuple[int, bytes]:
        status = error.status
        if (
            isinstance(error, UpstreamError)
            and error.upstream_status
            and error.upstream_status < 600
        ):
            status = error.upstream_status if error.upstream_status >= 400 else 502
        return status, orjson.dumps({"error": _error_object(error, request_id)})

    def render_stream_error(self, error: GatewayError, request_id: str) -> bytes:
        return b"data: " + orjson.dumps({"error": _error_object(error, request_id)}) + b"\n\n"

    def parse_error(self, status: int, body: bytes, secrets: tuple[str, ...]) -> UpstreamError:
        message, code, type_ = "", None, None
        try:
            payload = orjson.loads(body) if body else None
        except orjson.JSONDecodeError:
            payload = None
        if isinstance(payload, dict):
            error = payload.get("error", payload)
            if isinstance(error, dict):
                message = str(error.get("message") or error.get("msg") or "")
                raw_code = error.get("code")
                code = str(raw_code) if raw_code not in (None, "") else None
                type_ = error.get("type") if isinstance(error.get("type"), str) else None
            elif isinstance(error, str):
                message = error
        if not message:
            message = f"upstream answered with HTTP status {status}"
        return UpstreamError(
            mask_secrets(message, secrets),
            upstream_status=status,
            upstream_body=payload,
            upstream_type=type_,
            code=code or type_ or "upstream_error",
        )

    def usage(self, payload: Mapping[str, Any]) -> Usage | None:
        raw = payload.get("usage")
        if not isinstance(raw, dict):
            return None
        prompt_details = raw.get("prompt_tokens_details")
        completion_details = raw.get("completion_tokens_details")
        cached = (
            _int(prompt_details.get("cached_tokens")) if isinstance(prompt_details, dict) else 0
        )
        cached = cached or _int(raw.get("prompt_cache_hit_tokens"))  # DeepSeek
        reasoning = (
            _int(completion_details.get("reasoning_tokens"))
            if isinstance(completion_details, dict)
            else 0
        )
        prompt = _int(raw.get("prompt_tokens")) or _int(raw.get("input_tokens"))
        completion = _int(raw.get("completion_tokens")) or _int(raw.get("output_tokens"))
        if not prompt and not completion and _int(raw.get("total_tokens")):
            prompt = _int(raw.get("total_tokens"))  # embeddings report prompt and total only
        return Usage(
            prompt_tokens=prompt,
            completion_tokens=completion,
            cached_tokens=min(cached, prompt),
            reasoning_tokens=reasoning,
            source="upstream",
        )


def stream_text(chunk: Mapping[str, Any]) -> tuple[str, int]:
    """Generated text in a chat or completions chunk (content, reasoning, tool arguments)
    and the number of tool calls it starts."""
    parts: list[str] = []
    tool_calls = 0
    for choice in chunk.get("choices") or ():
        if not isinstance(choice, dict):
            continue
        if isinstance(choice.get("text"), str):
            parts.append(choice["text"])
        delta = choice.get("delta") or choice.get("message") or {}
        if not isinstance(delta, dict):
            continue
        for field in ("content", "reasoning_content", "reasoning"):
            if isinstance(delta.get(field), str):
                parts.append(delta[field])
        for call in delta.get("tool_calls") or ():
            if not isinstance(call, dict):
                continue
            function = call.get("function") or {}
            if function.get("name"):
                tool_calls += 1
                parts.append(str(function["name"]))
            if isinstance(function.get("arguments"), str):
                parts.append(function["arguments"])
    return "".join(parts), tool_calls


ADAPTER = OpenAIChat()
