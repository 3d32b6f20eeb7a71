"""The adapter contract every wire format implements, and secret masking for error text.

Adapters are pure: bytes and dataclasses in and out, no I/O, no framework objects.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Protocol

from newapi.billing.meter import Usage
from newapi.errors import GatewayError, UpstreamError

__all__ = ["Adapter", "mask_secrets"]

_SECRET_PATTERNS = (
    re.compile(r"\bsk-[A-Za-z0-9_\-]{8,}"),
    re.compile(r"\b(?:key|api[_-]?key|token|secret)=([^&\s\"']+)", re.IGNORECASE),
    re.compile(r"\bBearer\s+[A-Za-z0-9._\-]{8,}", re.IGNORECASE),
    re.compile(r"\bAIza[0-9A-Za-z_\-]{20,}"),
)
_URL = re.compile(r"https?://[^\s\"'<>]+")


def mask_secrets(text: str, known: tuple[str, ...] = ()) -> str:
    """Hide keys, tokens and URLs (which may carry keys) in text that reaches a client or log."""
    for secret in known:
        if secret and len(secret) >= 6:
            text = text.replace(secret, "***")
    text = _URL.sub("[url]", text)
    for pattern in _SECRET_PATTERNS:
        text = pattern.sub("***", text)
    return text


class Adapter(Protocol):
    """What the pipeline needs from a wire format."""

    name: str

    def render_error(self, error: GatewayError, request_id: str) -> tuple[int, bytes]:
        """Status and body of an error answered in this format."""
        ...

    def render_stream_error(self, error: GatewayError, request_id: str) -> bytes:
        """An in-band error event for a stream that already started."""
        ...

    def parse_error(self, status: int, body: bytes, secrets: tuple[str, ...]) -> UpstreamError:
        """The upstream's error body as an ``UpstreamError`` (masked)."""
        ...

    def usage(self, payload: Mapping[str, Any]) -> Usage | None:
        """Usage reported in a response body or stream event, if any."""
        ...
