"""Channel tests: a small real request through the same pipeline as client traffic.

A test pins the channel, sends a one-message chat (streaming or not) through ``Relay.serve``
and reports what happened. Nothing is billed: the meter of a test only records usage.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import orjson

from newapi.auth.api_keys import Caller, KeyOwner
from newapi.billing.meter import Usage
from newapi.errors import GatewayError, NotFoundError
from newapi.relay.endpoints import ENDPOINTS
from newapi.relay.formats import FORMATS
from newapi.relay.metering import Meter
from newapi.relay.pipeline import Prepared, Relay, new_request_id
from newapi.relay.streaming import StreamSink

__all__ = ["ChannelTestResult", "test_channel"]

DEFAULT_TEST_MODEL = "gpt-4o-mini"


@dataclass(frozen=True, slots=True)
class ChannelTestResult:
    ok: bool
    channel_id: int
    model: str
    stream: bool
    status: int | None
    latency_ms: int
    first_byte_ms: int | None
    usage: Usage | None
    reply: str  # the start of the reply text, for a human
    error: str | None = None


class _ProbeMeter(Meter):
    """A meter that keeps the usage instead of billing it."""

    def settle(self, usage: Usage, *, stream_status: str = "completed", calls: int = 1) -> int:
        self.closed = True
        self.probe_usage = usage  # type: ignore[attr-defined]  # read back by test_channel
        self.probe_status = stream_status  # type: ignore[attr-defined]
        return 0

    def release(self, error: str | None = None, *, log_error: bool = False) -> None:
        self.closed = True


class _Collector:
    """A stream sink that keeps the bytes."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    async def send(self, data: bytes) -> None:
        self.parts.append(data)

    async def eof(self) -> None:
        return None


def _probe_caller(channel_id: int) -> Caller:
    owner = KeyOwner(
        token_id=0,
        token_name="channel test",
        token_status=1,
        expired_time=-1,
        remain_quota=0,
        unlimited_quota=True,
        model_limits=None,
        allow_ips=None,
        token_group="",
        user_id=0,
        username="",
        user_role=100,
        user_status=1,
        user_group="default",
        user_quota=0,
    )
    return Caller(owner, channel_id)


def _test_body(model: str, stream: bool) -> dict[str, Any]:
    body: dict[str, Any] = {
        "model": model,
        "stream": stream,
        "messages": [{"role": "user", "content": "hi"}],
    }
    if model.startswith(("o1", "o3", "o4", "gpt-5")):
        body["max_completion_tokens"] = 16
    else:
        body["max_tokens"] = 16
    return body


def _reply_text(raw: bytes, stream: bool) -> str:
    if not stream:
        try:
            payload = orjson.loads(raw)
            return str(payload["choices"][0]["message"].get("content") or "")[:200]
        except (orjson.JSONDecodeError, KeyError, IndexError, TypeError):
            return raw[:200].decode(errors="replace")
    text = []
    for line in raw.decode(errors="replace").splitlines():
        if line.startswith("data: {"):
            try:
                chunk = orjson.loads(line[6:])
                text.append(chunk["choices"][0]["delta"].get("content") or "")
            except (orjson.JSONDecodeError, KeyError, IndexError, TypeError):
                continue
    return "".join(text)[:200]


async def test_channel(
    relay: Relay, channel_id: int, model: str | None = None, stream: bool = False
) -> ChannelTestResult:
    """Send a test request to one channel; never raises for upstream failures."""
    channel = relay.table.by_id.get(channel_id)
    if channel is None:
        raise NotFoundError(f"channel {channel_id} does not exist", code="channel_not_found")
    model = (
        model or channel.test_model or (channel.models[0] if channel.models else DEFAULT_TEST_MODEL)
    )
    body = _test_body(model, stream)
    raw = orjson.dumps(body)
    request_id = new_request_id()
    meter = _ProbeMeter(
        ledger=relay.ledger,
        reservation=None,  # type: ignore[arg-type]  # never touched
        caller=_probe_caller(channel_id),
        request_id=request_id,
        requested_model=model,
        price=None,  # type: ignore[arg-type]  # a probe is not priced
        group="default",
        group_ratio=0,
        path="/v1/chat/completions",
        is_stream=stream,
        client_ip="",
    )
    endpoint = ENDPOINTS["chat"]
    prepared = Prepared(
        endpoint,
        FORMATS[endpoint.format],
        body,
        raw,
        model,
        model,
        stream,
        meter.caller,
        meter,
        None,
    )
    collector = _Collector()

    async def respond(headers: dict[str, str]) -> StreamSink:
        return collector

    started = time.monotonic()
    try:
        response = await relay.serve(prepared, respond)
    except GatewayError as exc:
        status = meter.attempts[-1].status if meter.attempts else None
        return ChannelTestResult(
            False,
            channel_id,
            model,
            stream,
            status,
            int((time.monotonic() - started) * 1000),
            meter.first_byte_ms,
            None,
            "",
            exc.message,
        )
    latency = int((time.monotonic() - started) * 1000)
    raw_reply = bytes(response.body or b"") if response is not None else b"".join(collector.parts)
    usage = getattr(meter, "probe_usage", None)
    stream_status = getattr(meter, "probe_status", "completed")
    ok = stream_status == "completed"
    return ChannelTestResult(
        ok,
        channel_id,
        model,
        stream,
        response.status if response is not None else 200,
        latency,
        meter.first_byte_ms,
        usage,
        _reply_text(raw_reply, stream),
        None if ok else f"stream ended: {stream_status}",
    )
