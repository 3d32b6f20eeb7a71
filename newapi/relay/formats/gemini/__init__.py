"""Gemini ``generateContent`` / ``streamGenerateContent`` <-> hub codec.

``usage()`` reports OpenAI semantics (``promptTokenCount`` includes cached tokens; completion
includes thoughts). The model and the stream flag live in the URL, so ``decode_request`` takes
them as keyword arguments and ``encode_request`` leaves the model out of the body.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from newapi.billing.meter import CacheSemantics, Usage
from newapi.relay.formats.codec import HubCodec
from newapi.relay.formats.gemini.errors import parse_error, render_error, render_stream_error
from newapi.relay.formats.gemini.request import FORMAT, decode_request, encode_request
from newapi.relay.formats.gemini.response import decode_response, decode_usage, encode_response
from newapi.relay.formats.gemini.stream import StreamDecoder, StreamEncoder

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
    """Usage of a response body or stream chunk (``usageMetadata``)."""
    return decode_usage(payload.get("usageMetadata"))


CODEC = HubCodec(
    name=FORMAT,
    cache_semantics=CacheSemantics.OPENAI,
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
