"""The Python load generator: a small HTTP/1.1 client on raw asyncio streams.

It measures what wrk cannot: for each streamed response the time to first byte (response
headers), time to first token (the first SSE event with non-empty ``delta.content``) and the gaps
between events. It is also the closed-loop non-stream client when wrk is missing (the smoke test
uses it). Raw sockets keep the client cheap: it shares a core with the upstream.
"""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass, field

import orjson

__all__ = ["LoadResult", "Target", "closed_loop", "percentile", "stream_wave", "summarize"]

_TOKEN = re.compile(rb'"content":\s*"[^"]')


@dataclass(frozen=True, slots=True)
class Target:
    """Where requests go: host, port, path prefix and the API key."""

    name: str
    host: str
    port: int
    key: str
    path: str = "/v1/chat/completions"
    model: str = "gpt-4o-mini"

    def body(self, stream: bool, marker: str = "", max_tokens: int = 16) -> bytes:
        text = f"hi #fake:{marker}" if marker else "hi"
        payload: dict[str, object] = {
            "model": self.model,
            "messages": [{"role": "user", "content": text}],
            "max_tokens": max_tokens,
        }
        if stream:
            payload["stream"] = True
            payload["stream_options"] = {"include_usage": True}
        return orjson.dumps(payload)

    def request(self, body: bytes) -> bytes:
        head = (
            f"POST {self.path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            f"Authorization: Bearer {self.key}\r\nContent-Type: application/json\r\n"
            f"Accept: */*\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        return head.encode() + body


@dataclass(slots=True)
class LoadResult:
    """Raw samples of one run (seconds)."""

    elapsed: float = 0.0
    ok: int = 0
    errors: int = 0
    latencies: list[float] = field(default_factory=list)
    ttfb: list[float] = field(default_factory=list)
    ttft: list[float] = field(default_factory=list)
    gaps: list[float] = field(default_factory=list)
    events: int = 0
    error_samples: list[str] = field(default_factory=list)

    def error(self, text: str) -> None:
        self.errors += 1
        if len(self.error_samples) < 5:
            self.error_samples.append(text[:300])


class _Conn:
    """One keep-alive connection; reopened after the server closes it or on an error."""

    def __init__(self, target: Target) -> None:
        self.target = target
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def _open(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        if self.reader is None or self.writer is None or self.writer.is_closing():
            self.reader, self.writer = await asyncio.open_connection(
                self.target.host, self.target.port, limit=1 << 20
            )
        return self.reader, self.writer

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def exchange(self, payload: bytes, result: LoadResult) -> None:
        """Send one request and read the whole response, recording its timings."""
        reader, writer = await self._open()
        start = time.perf_counter()
        writer.write(payload)
        head = await reader.readuntil(b"\r\n\r\n")
        ttfb = time.perf_counter() - start
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip().lower()
        sse = _SSEClock(start)
        if "content-length" in headers:
            body = await reader.readexactly(int(headers["content-length"]))
            sse.feed(body)
        elif headers.get("transfer-encoding") == "chunked":
            body = await _read_chunked(reader, sse)
        else:
            body = await reader.read()
            sse.feed(body)
            self.close()
        if headers.get("connection") == "close":
            self.close()
        if status != 200 or sse.error:
            result.error(f"HTTP {status}: {body[:300]!r}")
            return
        result.ok += 1
        result.latencies.append(time.perf_counter() - start)
        result.ttfb.append(ttfb)
        if sse.events:
            result.events += sse.events
            if sse.first_token is not None:
                result.ttft.append(sse.first_token)
            result.gaps.extend(sse.gaps)


class _SSEClock:
    """Splits a body into SSE events as it arrives and times them."""

    __slots__ = ("buffer", "error", "events", "first_token", "gaps", "last", "start")

    def __init__(self, start: float) -> None:
        self.start = start
        self.buffer = b""
        self.events = 0
        self.first_token: float | None = None
        self.last: float | None = None
        self.gaps: list[float] = []
        self.error = False

    def feed(self, data: bytes) -> None:
        if b"data:" not in data and not self.buffer:
            return  # a plain JSON body
        now = time.perf_counter()
        self.buffer += data
        while True:
            cut = self.buffer.find(b"\n\n")
            if cut < 0:
                return
            event, self.buffer = self.buffer[:cut], self.buffer[cut + 2 :]
            if not event.startswith(b"data:"):
                continue  # comments (keep-alives)
            self.events += 1
            if self.last is not None:
                self.gaps.append(now - self.last)
            self.last = now
            if self.first_token is None and _TOKEN.search(event):
                self.first_token = now - self.start
            if b'"error"' in event and b'"choices"' not in event:
                self.error = True


async def _read_chunked(reader: asyncio.StreamReader, sse: _SSEClock) -> bytes:
    parts = []
    while True:
        size_line = await reader.readuntil(b"\r\n")
        size = int(size_line.split(b";", 1)[0], 16)
        if size == 0:
            await reader.readuntil(b"\r\n")
            return b"".join(parts)
        data = (await reader.readexactly(size + 2))[:-2]
        sse.feed(data)
        if len(parts) < 64:
            parts.append(data)


async def _worker(
    target: Target, payload: bytes, deadline: float, result: LoadResult, limit_s: float
) -> None:
    conn = _Conn(target)
    try:
        while time.perf_counter() < deadline:
            try:
                await asyncio.wait_for(conn.exchange(payload, result), limit_s)
            except (OSError, asyncio.IncompleteReadError, ValueError, TimeoutError) as exc:
                result.error(f"{type(exc).__name__}: {exc}")
                conn.close()
                await asyncio.sleep(0.05)
    finally:
        conn.close()


async def closed_loop(
    target: Target,
    concurrency: int,
    duration: float,
    *,
    stream: bool = False,
    marker: str = "",
    limit_s: float = 60.0,
) -> LoadResult:
    """``concurrency`` connections each sending back-to-back requests for ``duration`` s."""
    result = LoadResult()
    payload = target.request(target.body(stream, marker))
    start = time.perf_counter()
    deadline = start + duration
    await asyncio.gather(
        *(_worker(target, payload, deadline, result, limit_s) for _ in range(concurrency))
    )
    result.elapsed = time.perf_counter() - start
    return result


async def stream_wave(
    target: Target, count: int, marker: str, *, ramp_s: float | None = None, limit_s: float = 120.0
) -> LoadResult:
    """``count`` streams opened at once (over ``ramp_s``), each on its own connection.

    The default ramp opens 1,000 connections a second, so that a listen backlog of 100 does
    not turn the burst into SYN retries.
    """
    result = LoadResult()
    ramp = count / 1000 if ramp_s is None else ramp_s
    payload = target.request(target.body(True, marker))

    async def one(delay: float) -> None:
        await asyncio.sleep(delay)
        conn = _Conn(target)
        try:
            await asyncio.wait_for(conn.exchange(payload, result), limit_s)
        except (OSError, asyncio.IncompleteReadError, ValueError, TimeoutError) as exc:
            result.error(f"{type(exc).__name__}: {exc}")
        finally:
            conn.close()

    start = time.perf_counter()
    await asyncio.gather(*(one(ramp * i / count) for i in range(count)))
    result.elapsed = time.perf_counter() - start
    return result


def percentile(samples: list[float], q: float) -> float | None:
    """The ``q``-th percentile (nearest rank) of ``samples``; None when empty."""
    if not samples:
        return None
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def _ms(value: float | None) -> float | None:
    return None if value is None else round(value * 1000, 3)


def summarize(result: LoadResult) -> dict[str, object]:
    """Requests/s and millisecond percentiles of a run, as plain JSON-able numbers."""
    summary: dict[str, object] = {
        "requests": result.ok,
        "errors": result.errors,
        "elapsed_s": round(result.elapsed, 3),
        "rps": round(result.ok / result.elapsed, 2) if result.elapsed else 0.0,
        "p50_ms": _ms(percentile(result.latencies, 50)),
        "p99_ms": _ms(percentile(result.latencies, 99)),
        "ttfb_p50_ms": _ms(percentile(result.ttfb, 50)),
        "ttfb_p99_ms": _ms(percentile(result.ttfb, 99)),
    }
    if result.events:
        summary.update(
            events=result.events,
            ttft_p50_ms=_ms(percentile(result.ttft, 50)),
            ttft_p99_ms=_ms(percentile(result.ttft, 99)),
            gap_p50_ms=_ms(percentile(result.gaps, 50)),
            gap_p99_ms=_ms(percentile(result.gaps, 99)),
            gap_max_ms=_ms(max(result.gaps) if result.gaps else None),
        )
    if result.error_samples:
        summary["error_samples"] = result.error_samples
    return summary
