"""OpenAI chat completions <-> hub codec (``openai_chat`` as a conversion endpoint).

Errors and native usage reuse ``relay.formats.openai_chat``; this package adds the request,
response and stream conversions. To be merged into ``openai_chat`` later.
"""

from __future__ import annotations

from newapi.billing.meter import CacheSemantics
from newapi.relay.formats.codec import HubCodec
from newapi.relay.formats.openai_chat import ADAPTER as _ERRORS
from newapi.relay.formats.openai_chat_hub.request import FORMAT, decode_request, encode_request
from newapi.relay.formats.openai_chat_hub.response import decode_response, encode_response
from newapi.relay.formats.openai_chat_hub.stream import StreamDecoder, StreamEncoder

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

parse_error = _ERRORS.parse_error
render_error = _ERRORS.render_error
render_stream_error = _ERRORS.render_stream_error
usage = _ERRORS.usage

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
