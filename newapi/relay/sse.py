"""Server-sent events: an incremental decoder for upstream streams and the encoder for clients.

Events are ``(event, data)`` tuples of bytes (``event`` is ``None`` when the block has no
``event:`` line). Comments and unknown fields are skipped, as the SSE spec says.
"""

from __future__ import annotations

__all__ = ["SSEDecoder", "encode", "encode_comment"]

SSEEvent = tuple[bytes | None, bytes]


def _parse_block(block: bytes) -> SSEEvent | None:
    event: bytes | None = None
    data: list[bytes] = []
    for line in block.split(b"\n"):
        if line.startswith(b"data:"):
            value = line[5:]
            data.append(value[1:] if value.startswith(b" ") else value)
        elif line.startswith(b"event:"):
            event = line[6:].strip()
    if not data and event is None:
        return None
    return event, b"\n".join(data)


class SSEDecoder:
    """Turns arbitrary byte chunks of an SSE stream into complete events."""

    __slots__ = ("_buffer",)

    def __init__(self) -> None:
        self._buffer = b""

    def feed(self, chunk: bytes) -> list[SSEEvent]:
        """Add ``chunk``; return the events it completed (possibly none)."""
        buffer = self._buffer + chunk if self._buffer else chunk
        if b"\r" in buffer:
            buffer = buffer.replace(b"\r\n", b"\n")
            if buffer.endswith(b"\r"):  # a CR whose LF is still on the way
                self._buffer = buffer
                return self._drain(buffer[:-1], keep_tail=b"\r")
        return self._drain(buffer)

    def _drain(self, buffer: bytes, keep_tail: bytes = b"") -> list[SSEEvent]:
        events: list[SSEEvent] = []
        start = 0
        while True:
            end = buffer.find(b"\n\n", start)
            if end < 0:
                break
            parsed = _parse_block(buffer[start:end])
            if parsed is not None:
                events.append(parsed)
            start = end + 2
        self._buffer = buffer[start:] + keep_tail
        return events

    def flush(self) -> list[SSEEvent]:
        """The last event of a stream that ended without a blank line."""
        rest, self._buffer = self._buffer.rstrip(b"\r\n"), b""
        if not rest:
            return []
        parsed = _parse_block(rest)
        return [parsed] if parsed is not None else []

    @property
    def pending(self) -> bool:
        """Bytes of an unfinished event are buffered."""
        return bool(self._buffer.strip())


def encode(data: bytes, event: bytes | None = None) -> bytes:
    """One SSE event; ``data`` must not contain a blank line (JSON never does)."""
    if event is None:
        return b"data: " + data + b"\n\n"
    return b"event: " + event + b"\ndata: " + data + b"\n\n"


def encode_comment(text: bytes = b"keep-alive") -> bytes:
    """An SSE comment line: clients ignore it, proxies see traffic."""
    return b": " + text + b"\n\n"
