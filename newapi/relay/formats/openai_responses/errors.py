"""Responses API errors: OpenAI's ``{"error": {...}}`` body; in a stream an ``error`` event."""

from __future__ import annotations

import orjson

from newapi.errors import GatewayError, UpstreamError
from newapi.relay import sse
from newapi.relay.formats.openai_chat import ADAPTER as _OPENAI

__all__ = ["parse_error", "render_error", "render_stream_error"]


def render_error(error: GatewayError, request_id: str) -> tuple[int, bytes]:
    """Status and OpenAI-shaped body for ``error``."""
    return _OPENAI.render_error(error, request_id)


def render_stream_error(error: GatewayError, request_id: str) -> bytes:
    """An ``event: error`` (the Responses stream's error event) for a started stream."""
    _, body = _OPENAI.render_error(error, request_id)
    inner = orjson.loads(body)["error"]
    payload = {
        "type": "error",
        "code": inner.get("code"),
        "message": inner.get("message"),
        "param": inner.get("param"),
        "sequence_number": 0,
    }
    return sse.encode(orjson.dumps(payload), b"error")


def parse_error(status: int, body: bytes, secrets: tuple[str, ...] = ()) -> UpstreamError:
    """An OpenAI error body (or any other) as a masked ``UpstreamError``."""
    return _OPENAI.parse_error(status, body, secrets)
