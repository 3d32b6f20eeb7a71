"""Gemini error bodies: ``{"error": {"code", "message", "status"}}``."""

from __future__ import annotations

import orjson

from newapi.errors import GatewayError, InternalError, UpstreamError
from newapi.relay import sse
from newapi.relay.formats.base import mask_secrets

__all__ = ["parse_error", "render_error", "render_stream_error"]

_STATUS = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "ABORTED",
    413: "INVALID_ARGUMENT",
    429: "RESOURCE_EXHAUSTED",
    499: "CANCELLED",
    500: "INTERNAL",
    501: "UNIMPLEMENTED",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}


def _status(error: GatewayError) -> int:
    if isinstance(error, UpstreamError) and error.upstream_status and error.upstream_status < 600:
        return error.upstream_status if error.upstream_status >= 400 else 502
    return error.status


def _body(error: GatewayError, request_id: str, status: int) -> bytes:
    message = "internal error" if isinstance(error, InternalError) else error.message
    if request_id:
        message = f"{message} (request id: {request_id})"
    code = _STATUS.get(status, "INTERNAL" if status >= 500 else "FAILED_PRECONDITION")
    if isinstance(error, UpstreamError) and error.upstream_type and error.upstream_type.isupper():
        code = error.upstream_type
    return orjson.dumps({"error": {"code": status, "message": message, "status": code}})


def render_error(error: GatewayError, request_id: str) -> tuple[int, bytes]:
    """Status and Gemini-shaped body for ``error``."""
    status = _status(error)
    return status, _body(error, request_id, status)


def render_stream_error(error: GatewayError, request_id: str) -> bytes:
    """A ``data:`` chunk holding the error object, for a stream that already started."""
    return sse.encode(_body(error, request_id, _status(error)))


def parse_error(status: int, body: bytes, secrets: tuple[str, ...] = ()) -> UpstreamError:
    """A Gemini error body (a list of them, or any other) as a masked ``UpstreamError``."""
    try:
        payload = orjson.loads(body) if body else None
    except orjson.JSONDecodeError:
        payload = None
    first = payload[0] if isinstance(payload, list) and payload else payload
    message, kind = "", None
    if isinstance(first, dict):
        error = first.get("error", first)
        if isinstance(error, dict):
            message = str(error.get("message") or "")
            raw = error.get("status") or error.get("type")
            kind = raw if isinstance(raw, str) else None
        elif isinstance(error, str):
            message = error
    if not message:
        message = f"upstream answered with HTTP status {status}"
    return UpstreamError(
        mask_secrets(message, secrets),
        upstream_status=status,
        upstream_body=payload,
        upstream_type=kind,
        code=kind.lower() if kind else "upstream_error",
    )
