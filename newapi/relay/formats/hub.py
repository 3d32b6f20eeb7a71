"""Every format's hub codec by name, and the two conversions the pipeline runs with them.

``convert_request`` and ``convert_response`` are the non-stream path; for streams the pipeline
pairs ``HUB_CODECS[upstream].stream_decoder()`` with ``HUB_CODECS[client].stream_encoder(...)``
(see ``StreamConverter``).
"""

from __future__ import annotations

from typing import Any

from newapi.billing.meter import Usage
from newapi.relay import sse
from newapi.relay.canonical import (
    BlockStart,
    ChatRequest,
    MessageDelta,
    MessageStart,
    StreamError,
    StreamEvent,
    TextDelta,
    ThinkingDelta,
    ToolArgumentsDelta,
)
from newapi.relay.formats import anthropic_messages, gemini, openai_chat_hub, openai_responses
from newapi.relay.formats.codec import HubCodec, StreamDecoder, StreamEncoder
from newapi.relay.formats.conversion import IdSource, random_ids, with_usage

__all__ = ["HUB_CODECS", "StreamConverter", "convert_request", "convert_response"]

HUB_CODECS: dict[str, HubCodec] = {
    codec.name: codec
    for codec in (
        openai_chat_hub.CODEC,
        anthropic_messages.CODEC,
        gemini.CODEC,
        openai_responses.CODEC,
    )
}


def convert_request(
    body: dict[str, Any], client: str, upstream: str, upstream_model: str, **url: Any
) -> tuple[ChatRequest, dict[str, Any]]:
    """The client's body decoded, and encoded for the upstream.

    ``url`` passes Gemini's URL-borne ``model`` and ``stream`` when the client is Gemini.
    """
    request = HUB_CODECS[client].decode_request(body, **url)
    return request, HUB_CODECS[upstream].encode_request(request, upstream_model)


def convert_response(
    body: dict[str, Any], upstream: str, client: str, *, model: str
) -> dict[str, Any]:
    """The upstream's (non-stream) body in the client's format; ``model`` = the client's name."""
    response = HUB_CODECS[upstream].decode_response(body)
    return HUB_CODECS[client].encode_response(response, model=model)


class StreamConverter:
    """Upstream stream bytes -> client stream bytes, event by event (never buffered).

    Args:
        upstream: the channel's format.
        client: the client's format.
        ids: makes the ids the formats need (Gemini tool calls, Responses items).
        **encoder: ``model`` (required), ``response_id``, ``created``, ``include_usage``
            (OpenAI chat), ``input_tokens`` (the prompt estimate for Claude's
            ``message_start``).
    """

    def __init__(
        self, upstream: str, client: str, *, ids: IdSource = random_ids, **encoder: Any
    ) -> None:
        self._sse = sse.SSEDecoder()
        self.decoder: StreamDecoder = HUB_CODECS[upstream].stream_decoder(ids=ids)
        self.encoder: StreamEncoder = HUB_CODECS[client].stream_encoder(ids=ids, **encoder)
        self.usage: Usage | None = None
        """The latest usage the upstream reported, in hub (OpenAI) semantics: settle it with
        ``CacheSemantics.OPENAI`` whatever the upstream format."""
        self.error: StreamError | None = None
        """The upstream's in-stream error, if it sent one."""
        self._text: list[str] = []

    @property
    def output_text(self) -> str:
        """Everything generated so far (text, reasoning, tool names and arguments), for local
        token counting when the upstream reports no usage."""
        return "".join(self._text)

    def _encode(self, events: list[StreamEvent]) -> bytes:
        out = b""
        for event in events:
            if isinstance(event, TextDelta | ThinkingDelta):
                self._text.append(event.text)
            elif isinstance(event, ToolArgumentsDelta):
                self._text.append(event.partial_json)
            elif isinstance(event, BlockStart) and event.name:
                self._text.append(event.name)
            elif isinstance(event, MessageStart | MessageDelta):
                self.usage = with_usage(self.usage, event.usage)
            elif isinstance(event, StreamError):
                self.error = event
            out += self.encoder.encode(event)
        return out

    def feed(self, chunk: bytes) -> bytes:
        """Client bytes for a chunk of upstream bytes (may be empty)."""
        out = b""
        for event, data in self._sse.feed(chunk):
            out += self._encode(self.decoder.feed(event, data))
        return out

    def close(self) -> bytes:
        """Client bytes when the upstream stream ended (terminal events if missing)."""
        out = b""
        for event, data in self._sse.flush():
            out += self._encode(self.decoder.feed(event, data))
        out += self._encode(self.decoder.finish())
        return out + self.encoder.finish()
