"""Forwarding an OpenAI-format SSE stream to the client as it arrives, while metering it.

Each upstream read is split into events and sent on at once (no buffering of the stream).
Usage is sniffed from the events that carry it; the text is kept only so that a stream without
usage can be counted locally. The stream is settled before its final ``[DONE]`` is sent, so a
client that received the whole stream was billed; a stream that ends any other way (cut by the
upstream, idle past STREAMING_TIMEOUT, client gone) is billed for what was delivered and, when
the client is still there, ends with an in-band error event.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import orjson
from sanic import Request

from newapi.billing.meter import Usage
from newapi.errors import GatewayError, UpstreamError, UpstreamTimeoutError
from newapi.relay.endpoints import Body, Endpoint
from newapi.relay.formats.base import Adapter
from newapi.relay.metering import Meter
from newapi.relay.sse import SSEDecoder, encode, encode_comment
from newapi.relay.upstream import UpstreamResponse

__all__ = [
    "Respond",
    "StreamPlan",
    "StreamSink",
    "forward_stream",
    "open_stream",
    "read_pieces",
    "run_stream",
    "sanic_respond",
]

DONE = b"[DONE]"


@dataclass(slots=True)
class StreamPlan:
    """What the stream needs to know about the request."""

    endpoint: Endpoint
    adapter: Adapter
    body: Body
    model: str
    client_wants_usage: bool
    keepalive_s: float
    request_id: str
    count_tokens: bool = True
    texts: list[bytes] = field(default_factory=list)
    usage: Usage | None = None
    last_chunk: dict[str, Any] | None = None


def _inspect(plan: StreamPlan, data: bytes) -> tuple[bool, bool]:
    """Read usage and errors from one event; returns (forward it, it is an error event)."""
    if b'"usage":{' not in data and b'"usage": {' not in data and b'"error"' not in data:
        plan.texts.append(data)  # most chunks: no usage object, nothing to parse
        return True, False
    try:
        obj = orjson.loads(data)
    except orjson.JSONDecodeError:
        return True, False
    if not isinstance(obj, dict):
        return True, False
    if "error" in obj and not obj.get("choices"):
        return True, True
    usage = plan.adapter.usage(obj)
    if usage is not None and (usage.prompt_tokens or usage.completion_tokens):
        plan.usage = usage
    plan.last_chunk = obj
    if obj.get("choices") == [] and usage is not None:
        return plan.client_wants_usage, False  # the usage-only chunk the gateway asked for
    plan.texts.append(data)
    return True, False


def _local_usage(plan: StreamPlan) -> Usage:
    """Usage counted from what was delivered (upstream prompt count kept when it came)."""
    completion = 0
    for data in plan.texts:
        if data == DONE:
            continue
        try:
            chunk = orjson.loads(data)
        except orjson.JSONDecodeError:
            continue
        if isinstance(chunk, dict):
            completion += plan.endpoint.completion_tokens(chunk, plan.model)
    prompt = plan.usage.prompt_tokens if plan.usage else 0
    if not prompt and plan.count_tokens:
        prompt = plan.endpoint.prompt_tokens(plan.body, plan.model)
    return Usage(prompt_tokens=prompt, completion_tokens=completion, source="local")


def _final_usage(plan: StreamPlan) -> Usage:
    if plan.usage is not None and plan.usage.completion_tokens:
        return plan.usage
    if plan.usage is not None and not any(plan.texts):
        return plan.usage
    return _local_usage(plan)


def _usage_chunk(plan: StreamPlan, usage: Usage) -> bytes:
    last = plan.last_chunk or {}
    chunk = {
        "id": last.get("id", f"chatcmpl-{plan.request_id}"),
        "object": "chat.completion.chunk",
        "created": last.get("created", int(time.time())),
        "model": last.get("model", plan.model),
        "choices": [],
        "usage": {
            "prompt_tokens": usage.prompt_tokens,
            "completion_tokens": usage.completion_tokens,
            "total_tokens": usage.prompt_tokens + usage.completion_tokens,
        },
    }
    return encode(orjson.dumps(chunk))


async def read_pieces(
    upstream: UpstreamResponse, keepalive_s: float, send_comment: Any
) -> AsyncIterator[bytes]:
    """Upstream body pieces; until the first one arrives, a comment every ``keepalive_s``."""
    pieces = upstream.aiter_raw()
    first = asyncio.ensure_future(pieces.__anext__())
    try:
        while True:
            done, _ = await asyncio.wait({first}, timeout=keepalive_s)
            if done:
                break
            await send_comment()
        try:
            yield first.result()
        except StopAsyncIteration:
            return
    finally:
        if not first.done():
            first.cancel()
            with contextlib.suppress(BaseException):
                await first
    async for piece in pieces:
        yield piece


async def _pump(response: Any, upstream: UpstreamResponse, meter: Meter, plan: StreamPlan) -> str:
    """Forward events until the stream ends; returns how it ended."""

    async def send_comment() -> None:
        await response.send(encode_comment())

    decoder = SSEDecoder()
    status = "cut"
    async for piece in read_pieces(upstream, plan.keepalive_s, send_comment):
        out: list[bytes] = []
        for event, data in decoder.feed(piece):
            if data == DONE:
                status = "completed"
                break
            forward, is_error = _inspect(plan, data)
            if is_error:
                status = "upstream_error"
            if forward:
                out.append(encode(data, event))
        if out:
            meter.mark_first_byte()
            await response.send(b"".join(out))
        if status != "cut":
            break
    return status


class StreamSink(Protocol):
    """Where a stream goes: Sanic's streaming response, or a collector (channel tests)."""

    async def send(self, data: bytes) -> None: ...

    async def eof(self) -> None: ...


Respond = Callable[[dict[str, str]], Awaitable[StreamSink]]


def sanic_respond(request: Request) -> Respond:
    """Open the client's SSE response (status 200 and headers go out now)."""

    async def respond(headers: dict[str, str]) -> StreamSink:
        sink: StreamSink = await request.respond(headers=headers, content_type="text/event-stream")
        return sink

    return respond


async def open_stream(respond: Respond, request_id: str) -> StreamSink:
    """Send the client's SSE response headers (status 200 is committed from here on)."""
    return await respond(
        {"X-Oneapi-Request-Id": request_id, "Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    )


async def run_stream(
    pump: Awaitable[str], upstream: UpstreamResponse, on_client_gone: Callable[[], None]
) -> tuple[str, GatewayError | None]:
    """Run ``pump`` and classify how the stream ended (docs/billing.md, "Terminal states").

    Returns the stream status and, unless it completed, the error the client must see in-band.
    A client that went away is settled through ``on_client_gone`` before the cancellation goes
    on. The upstream response is always closed.
    """
    failure: GatewayError | None = None
    try:
        status = await pump
        if status == "cut":
            failure = UpstreamError(
                "the upstream stream ended before it was complete", code="upstream_stream_cut"
            )
    except UpstreamTimeoutError:  # raised by the upstream body reads only
        status = "timeout"
        failure = UpstreamTimeoutError("the upstream stream went silent (STREAMING_TIMEOUT)")
    except UpstreamError:
        status = "cut"
        failure = UpstreamError(
            "the upstream connection broke during the stream", code="upstream_stream_cut"
        )
    except asyncio.CancelledError:
        on_client_gone()
        raise
    finally:
        await upstream.aclose()
    return status, failure


async def forward_stream(
    respond: Respond, upstream: UpstreamResponse, meter: Meter, plan: StreamPlan
) -> None:
    """Send the upstream stream to the client and settle it exactly once."""
    response = await open_stream(respond, plan.request_id)
    status, failure = await run_stream(
        _pump(response, upstream, meter, plan),
        upstream,
        lambda: meter.settle(_final_usage(plan), stream_status="client_gone"),
    )
    usage = _final_usage(plan)
    meter.settle(usage, stream_status=status)
    if status == "completed" and plan.client_wants_usage and plan.usage is None:
        await response.send(_usage_chunk(plan, usage))
    if failure is not None:
        await response.send(plan.adapter.render_stream_error(failure, plan.request_id))
    elif status == "completed":
        await response.send(encode(DONE))
    await response.eof()
