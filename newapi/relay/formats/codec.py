"""The hub codec contract: what a wire format provides to convert through ``relay.canonical``.

Every format that can be converted (not only passed through) exposes one ``HubCodec`` named
``CODEC`` in its package; ``relay.formats.hub.HUB_CODECS`` collects them by format name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from newapi.billing.meter import CacheSemantics, Usage
from newapi.errors import GatewayError, UpstreamError
from newapi.relay.canonical import ChatRequest, ChatResponse, StreamEvent

__all__ = ["HubCodec", "StreamDecoder", "StreamEncoder"]


class StreamDecoder(Protocol):
    """Upstream SSE events -> hub events (stateful, one per upstream stream)."""

    def feed(self, event: bytes | None, data: bytes) -> list[StreamEvent]:
        """Hub events for one SSE event (``event`` is the ``event:`` name, if any)."""
        ...

    def finish(self) -> list[StreamEvent]:
        """Terminal events when the upstream stream ended (idempotent)."""
        ...


class StreamEncoder(Protocol):
    """Hub events -> the client format's SSE bytes (stateful, one per client stream)."""

    def encode(self, event: StreamEvent) -> bytes:
        """SSE bytes for one hub event (may be empty)."""
        ...

    def finish(self) -> bytes:
        """Closing events if the stream has not been closed yet (idempotent)."""
        ...


@dataclass(frozen=True, slots=True)
class HubCodec:
    """One format's conversions to and from the hub types.

    Attributes:
        name: the format name (key in ``FORMATS``).
        cache_semantics: what ``usage()``'s ``prompt_tokens`` includes.
        decode_request: client body -> ``ChatRequest`` (raises ``InvalidRequestError``).
        encode_request: ``(ChatRequest, upstream_model)`` -> upstream body.
        decode_response: upstream body -> ``ChatResponse`` (raises ``UpstreamError``).
        encode_response: ``(ChatResponse, model=client model)`` -> client body.
        stream_decoder: a new decoder for one upstream stream.
        stream_encoder: a new encoder for one client stream; keyword arguments ``model``
            (client's name), ``response_id``, ``created`` and ``include_usage``/``ids`` where
            the format uses them.
        parse_error: ``(status, body bytes, secrets)`` -> masked ``UpstreamError``.
        render_error: ``(error, request_id)`` -> ``(status, body bytes)`` in this format.
        render_stream_error: ``(error, request_id)`` -> the in-stream error event bytes.
        usage: usage of a native response body or stream payload, in ``cache_semantics``.
    """

    name: str
    cache_semantics: CacheSemantics
    decode_request: Callable[..., ChatRequest]
    encode_request: Callable[[ChatRequest, str], dict[str, Any]]
    decode_response: Callable[..., ChatResponse]
    encode_response: Callable[..., dict[str, Any]]
    stream_decoder: Callable[..., StreamDecoder]
    stream_encoder: Callable[..., StreamEncoder]
    parse_error: Callable[[int, bytes, tuple[str, ...]], UpstreamError]
    render_error: Callable[[GatewayError, str], tuple[int, bytes]]
    render_stream_error: Callable[[GatewayError, str], bytes]
    usage: Callable[[Mapping[str, Any]], Usage | None]
