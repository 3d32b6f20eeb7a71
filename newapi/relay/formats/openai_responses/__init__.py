"""OpenAI Responses API (``/v1/responses``) <-> hub codec.

``usage()`` reports OpenAI semantics (``input_tokens`` includes cached tokens). Stream
encoders fill every field of ``response.completed`` (zeros where unknown) and number every
event with ``sequence_number``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from newapi.billing.meter import CacheSemantics, Usage
from newapi.relay.formats.codec import HubCodec
from newapi.relay.formats.openai_responses.errors import (
    parse_error,
    render_error,
    render_stream_error,
)
from newapi.relay.formats.openai_responses.request import FORMAT, decode_request, encode_request
from newapi.relay.formats.openai_responses.response import (
    decode_response,
    decode_usage,
    encode_response,
)
from newapi.relay.formats.openai_responses.stream import StreamDecoder, StreamEncoder

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
    """Usage of a response object or of a ``response.completed``-style stream event."""
    response = payload.get("response")
    raw = response.get("usage") if isinstance(response, dict) else payload.get("usage")
    return decode_usage(raw)


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
