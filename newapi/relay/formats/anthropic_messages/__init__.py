"""Anthropic Messages (``/v1/messages``) <-> hub codec.

Usage reported by ``usage()`` is in Anthropic semantics (``input_tokens`` excludes cache reads
and writes); the hub types carry OpenAI semantics and the codec converts both ways.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from newapi.billing.meter import CacheSemantics, Usage
from newapi.relay.formats.anthropic_messages.errors import (
    parse_error,
    render_error,
    render_stream_error,
)
from newapi.relay.formats.anthropic_messages.request import FORMAT, decode_request, encode_request
from newapi.relay.formats.anthropic_messages.response import (
    decode_response,
    encode_response,
    native_usage,
)
from newapi.relay.formats.anthropic_messages.stream import StreamDecoder, StreamEncoder
from newapi.relay.formats.codec import HubCodec

__all__ = [
    "CODEC",
    "StreamDecoder",
    "StreamEncoder",
    "decode_request",
    "decode_response",
    "encode_request",
    "encode_response",
    "parse_error",
    "render_error",
    "render_stream_error",
    "usage",
]


def usage(payload: Mapping[str, Any]) -> Usage | None:
    """Usage of a message body, or of a ``message_start``/``message_delta`` stream event."""
    message = payload.get("message")
    raw = message.get("usage") if isinstance(message, dict) else payload.get("usage")
    return native_usage(raw)


CODEC = HubCodec(
    name=FORMAT,
    cache_semantics=CacheSemantics.ANTHROPIC,
    decode_request=decode_request,
    encode_request=encode_request,
    decode_response=decode_response,
    encode_response=encode_response,
    stream_decoder=StreamDecoder,
    stream_encoder=StreamEncoder,
    parse_error=parse_error,
    render_error=render_error,
    render_stream_error=render_stream_error,
    usage=usage,
)
