"""The SSE decoder handles any chunking of a stream the same way."""

from __future__ import annotations

import random

from newapi.relay.sse import SSEDecoder, encode, encode_comment

STREAM = (
    b": comment\n\n"
    b'data: {"a":1}\n\n'
    b'event: message_start\ndata: {"type":"message_start"}\n\n'
    b"data: line one\ndata: line two\n\n"
    b"data:no-space\n\n"
    b"data: [DONE]\n\n"
)
EXPECTED = [
    (None, b'{"a":1}'),
    (b"message_start", b'{"type":"message_start"}'),
    (None, b"line one\nline two"),
    (None, b"no-space"),
    (None, b"[DONE]"),
]


def _decode(chunks: list[bytes]) -> list:
    decoder = SSEDecoder()
    events = []
    for chunk in chunks:
        events.extend(decoder.feed(chunk))
    events.extend(decoder.flush())
    return events


def test_whole_stream() -> None:
    assert _decode([STREAM]) == EXPECTED


def test_every_split_point() -> None:
    for cut in range(len(STREAM)):
        assert _decode([STREAM[:cut], STREAM[cut:]]) == EXPECTED


def test_byte_by_byte_and_random_chunks_with_crlf() -> None:
    crlf = STREAM.replace(b"\n", b"\r\n")
    assert _decode([crlf[i : i + 1] for i in range(len(crlf))]) == EXPECTED
    rng = random.Random(7)
    for _ in range(50):
        chunks, i = [], 0
        while i < len(crlf):
            n = rng.randint(1, 9)
            chunks.append(crlf[i : i + n])
            i += n
        assert _decode(chunks) == EXPECTED


def test_unterminated_last_event_and_pending() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b'data: {"x":1}\n\ndata: {"y"') == [(None, b'{"x":1}')]
    assert decoder.pending
    assert decoder.flush() == [(None, b'{"y"')]
    assert not decoder.pending


def test_encode() -> None:
    assert encode(b"{}") == b"data: {}\n\n"
    assert encode(b"{}", b"ping") == b"event: ping\ndata: {}\n\n"
    assert encode_comment() == b": keep-alive\n\n"
    assert _decode([encode(b"1") + encode(b"2", b"e")]) == [(None, b"1"), (b"e", b"2")]
