"""Anthropic error bodies: ``{"type": "error", "error": {"type", "message"}}``."""

from __future__ import annotations

import orjson

from newapi.errors import GatewayError, InternalError, UpstreamError
from newapi.relay import sse
from newapi.relay.formats.base import mask_secrets

__all__ = ["parse_error", "render_error", "render_stream_error"]

_TYPES = {
    "invalid_request": "invalid_request_error",
    "authentication": "authentication_error",
    "permission": "permission_error",
    "quota": "permission_error",
    "not_found": "not_found_error",
    "rate_limit": "rate_limit_error",
    "upstream": "api_error",
    "timeout": "api_error",
    "unavailable": "overloaded_error",
}

_CLAUDE_TYPES = {
    *_TYPES.values(),
    "request_too_large",
    "api_error",
    "billing_error",
    "timeout_error",
}


def _error(error: GatewayError, request_id: str) -> dict[str, str]:
    message = "internal error" if isinstance(error, InternalError) else error.message
    if request_id:
        message = f"{message} (request id: {request_id})"
    if isinstance(error, UpstreamError) and error.upstream_type in _CLAUDE_TYPES:
        kind = str(error.upstream_type)
    else:
        kind = _TYPES.get(error.kind, "api_error")
    if error.status == 413:
        kind = "request_too_large"
    return {"type": kind, "message": message}


def render_error(error: GatewayError, request_id: str) -> tuple[int, bytes]:
    """Status and Claude-shaped body for ``error``."""
    status = error.status
    if isinstance(error, UpstreamError) and error.upstream_status and error.upstream_status < 600:
        status = error.upstream_status if error.upstream_status >= 400 else 502
    return status, orjson.dumps({"type": "error", "error": _error(error, request_id)})


def render_stream_error(error: GatewayError, request_id: str) -> bytes:
    """An ``event: error`` for a stream that already started."""
    body = {"type": "error", "error": _error(error, request_id)}
    return sse.encode(orjson.dumps(body), b"error")


def parse_error(status: int, body: bytes, secrets: tuple[str, ...] = ()) -> UpstreamError:
    """A Claude error body (or any other) as a masked ``UpstreamError``."""
    try:
        payload = orjson.loads(body) if body else None
    except orjson.JSONDecodeError:
        payload = None
    message, kind = "", None
    if isinstance(payload, dict):
        error = payload.get("error", payload)
        if isinstance(error, dict):
            message = str(error.get("message") or "")
            kind = error.get("type") if isinstance(error.get("type"), str) else None
        elif isinstance(error, str):
            message = error
    if not message:
        message = f"upstream answered with HTTP status {status}"
    return UpstreamError(
        mask_secrets(message, secrets),
        upstream_status=status,
        upstream_body=payload,
        upstream_type=kind,
        code=kind or "upstream_error",
    )
