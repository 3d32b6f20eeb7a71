"""Scenario directives on the Anthropic, Gemini and Responses wires, over raw HTTP with httpx.

Each wire is one ``Case``: where it answers, how to ask it, how to read its usage, and what its
error body looks like. Every directive is exercised on every case.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import orjson
import pytest

from newapi.testing import FakeUpstream

Usage = tuple[int | None, int | None, int | None]  # prompt, completion, cached


def data_lines(raw: str) -> list[Any]:
    return [orjson.loads(line[6:]) for line in raw.splitlines() if line.startswith("data: ")]


@dataclass(frozen=True)
class Case:
    name: str
    path: str
    stream_path: str
    headers: dict[str, str]
    body: Callable[[str, bool], dict[str, Any]]
    usage: Callable[[dict[str, Any]], Usage | None]
    stream_usage: Callable[[list[Any]], Usage | None]
    trailer_marker: str
    error_kind: Callable[[dict[str, Any]], str]
    kinds: dict[int, str]

    def __str__(self) -> str:
        return self.name


def _anthropic_body(text: str, stream: bool) -> dict[str, Any]:
    body: dict[str, Any] = {
        "model": "claude-fake-1",
        "max_tokens": 100,
        "messages": [{"role": "user", "content": text}],
    }
    return {**body, "stream": True} if stream else body


def _anthropic_usage(payload: dict[str, Any]) -> Usage | None:
    u = payload.get("usage")
    return (
        None if u is None else (u["input_tokens"], u["output_tokens"], u["cache_read_input_tokens"])
    )


def _anthropic_stream_usage(events: list[Any]) -> Usage | None:
    start = events[0]["message"].get("usage")
    delta = next(e for e in events if e["type"] == "message_delta").get("usage")
    if start is None or delta is None:
        assert start is None and delta is None
        return None
    return start["input_tokens"], delta["output_tokens"], start["cache_read_input_tokens"]


def _gemini_body(text: str, stream: bool) -> dict[str, Any]:
    return {"contents": [{"role": "user", "parts": [{"text": text}]}]}


def _gemini_usage(payload: dict[str, Any]) -> Usage | None:
    u = payload.get("usageMetadata")
    if u is None:
        return None
    return u["promptTokenCount"], u["candidatesTokenCount"], u.get("cachedContentTokenCount")


def _gemini_stream_usage(events: list[Any]) -> Usage | None:
    assert all("usageMetadata" not in e for e in events[:-1])
    return _gemini_usage(events[-1])


def _responses_body(text: str, stream: bool) -> dict[str, Any]:
    return {"model": "gpt-4o", "input": text, "stream": stream}


def _responses_usage(payload: dict[str, Any]) -> Usage | None:
    u = payload.get("usage")
    if u is None:
        return None
    return u["input_tokens"], u["output_tokens"], u["input_tokens_details"]["cached_tokens"]


def _responses_stream_usage(events: list[Any]) -> Usage | None:
    assert events[-1]["type"] == "response.completed"
    return _responses_usage(events[-1]["response"])


ANTHROPIC = Case(
    name="anthropic",
    path="/v1/messages",
    stream_path="/v1/messages",
    headers={"x-api-key": "k", "anthropic-version": "2023-06-01"},
    body=_anthropic_body,
    usage=_anthropic_usage,
    stream_usage=_anthropic_stream_usage,
    trailer_marker="message_stop",
    error_kind=lambda body: body["error"]["type"],
    kinds={
        429: "rate_limit_error",
        500: "api_error",
        529: "overloaded_error",
        404: "not_found_error",
    },
)
GEMINI = Case(
    name="gemini",
    path="/v1beta/models/gemini-2.5-flash:generateContent",
    stream_path="/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse",
    headers={"x-goog-api-key": "k"},
    body=_gemini_body,
    usage=_gemini_usage,
    stream_usage=_gemini_stream_usage,
    trailer_marker="finishReason",
    error_kind=lambda body: body["error"]["status"],
    kinds={429: "RESOURCE_EXHAUSTED", 500: "INTERNAL", 503: "UNAVAILABLE", 404: "NOT_FOUND"},
)
RESPONSES = Case(
    name="responses",
    path="/v1/responses",
    stream_path="/v1/responses",
    headers={"authorization": "Bearer k"},
    body=_responses_body,
    usage=_responses_usage,
    stream_usage=_responses_stream_usage,
    trailer_marker="response.completed",
    error_kind=lambda body: body["error"]["type"],
    kinds={429: "requests", 500: "server_error", 503: "server_error", 404: "invalid_request_error"},
)
CASES = pytest.mark.parametrize("case", [ANTHROPIC, GEMINI, RESPONSES], ids=str)


async def post(
    fake: FakeUpstream, case: Case, scenario: str | None, stream: bool, text: str = "hello world"
) -> httpx.Response:
    prefix = "" if scenario is None else f"/s/{scenario}"
    path = prefix + (case.stream_path if stream else case.path)
    async with httpx.AsyncClient(base_url=fake.url, headers=case.headers, timeout=10) as http:
        return await http.post(path, json=case.body(text, stream))


@CASES
async def test_statuses_render_the_wire_error_body(fake: FakeUpstream, case: Case) -> None:
    for status, kind in case.kinds.items():
        r = await post(fake, case, f"status={status},retry_after=2", False)
        assert r.status_code == status
        assert case.error_kind(r.json()) == kind
        assert r.headers["retry-after"] == "2"


@CASES
async def test_plain_and_streamed_usage_agree(fake: FakeUpstream, case: Case) -> None:
    plain = await post(fake, case, None, False)
    assert case.usage(plain.json()) in ((2, 3, 0), (2, 3, None))
    streamed = await post(fake, case, None, True)
    assert case.stream_usage(data_lines(streamed.text)) == case.usage(plain.json())


@CASES
async def test_usage_override_cached_and_no_usage(fake: FakeUpstream, case: Case) -> None:
    scenario = "usage=prompt:11|completion:22,cached=3"
    assert case.usage((await post(fake, case, scenario, False)).json()) == (11, 22, 3)
    events = data_lines((await post(fake, case, scenario, True)).text)
    assert case.stream_usage(events) == (11, 22, 3)
    assert case.usage((await post(fake, case, "no_usage=1", False)).json()) is None
    assert case.stream_usage(data_lines((await post(fake, case, "no_usage=1", True)).text)) is None


@CASES
async def test_chunks_replace_the_echo(fake: FakeUpstream, case: Case) -> None:
    usage = case.usage((await post(fake, case, "chunks=7", False)).json())
    assert usage is not None and usage[1] == 7
    r = await post(fake, case, "chunks=7", True)
    assert "lorem" in r.text and "echo:" not in r.text
    streamed = case.stream_usage(data_lines(r.text))
    assert streamed is not None and streamed[1] == 7


@CASES
async def test_cut_after_ends_cleanly_before_the_trailer(fake: FakeUpstream, case: Case) -> None:
    r = await post(fake, case, "cut_after=3,chunks=10", True)
    assert r.status_code == 200
    assert len(data_lines(r.text)) == 3
    assert case.trailer_marker not in r.text


@CASES
async def test_abort_after_resets(fake: FakeUpstream, case: Case) -> None:
    received: list[str] = []
    async with httpx.AsyncClient(base_url=fake.url, headers=case.headers, timeout=5) as http:
        with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
            path = f"/s/abort_after=2{case.stream_path}"
            async with http.stream("POST", path, json=case.body("a b c d", True)) as r:
                async for line in r.aiter_lines():
                    if line.startswith("data: "):
                        received.append(line)
    assert len(received) == 2


@CASES
async def test_stall_after_goes_silent(fake: FakeUpstream, case: Case) -> None:
    received: list[str] = []
    timeout = httpx.Timeout(5, read=0.4)
    async with httpx.AsyncClient(base_url=fake.url, headers=case.headers, timeout=timeout) as http:
        with pytest.raises(httpx.ReadTimeout):
            path = f"/s/stall_after=2{case.stream_path}"
            async with http.stream("POST", path, json=case.body("a b c d", True)) as r:
                async for line in r.aiter_lines():
                    if line.startswith("data: "):
                        received.append(line)
    assert len(received) == 2


@CASES
async def test_first_token_and_chunk_delays(fake: FakeUpstream, case: Case) -> None:
    started = time.perf_counter()
    arrivals: list[float] = []
    async with httpx.AsyncClient(base_url=fake.url, headers=case.headers, timeout=10) as http:
        path = f"/s/first_token_delay_ms=300,chunk_delay_ms=30,chunks=5{case.stream_path}"
        async with http.stream("POST", path, json=case.body("x", True)) as r:
            headers_at = time.perf_counter() - started
            async for line in r.aiter_lines():
                if line.startswith("data: "):
                    arrivals.append(time.perf_counter() - started)
    assert headers_at < 0.25
    assert arrivals[0] >= 0.29
    assert arrivals[-1] - arrivals[0] >= 0.03 * (len(arrivals) - 2)
    plain_started = time.perf_counter()
    assert (await post(fake, case, "first_token_delay_ms=200", False)).status_code == 200
    assert time.perf_counter() - plain_started >= 0.19


@CASES
async def test_delay_times_hang_and_body_markers(fake: FakeUpstream, case: Case) -> None:
    started = time.perf_counter()
    assert (await post(fake, case, "delay_ms=200", False)).status_code == 200
    assert time.perf_counter() - started >= 0.19
    codes = [(await post(fake, case, "status=500,times=2", False)).status_code for _ in range(3)]
    assert codes == [500, 500, 200]
    marked = await post(fake, case, None, False, text="hi #fake:status=503,times=1")
    assert marked.status_code == 503
    assert (
        await post(fake, case, None, False, text="hi #fake:status=503,times=1")
    ).status_code == 200
    raw = await post(fake, case, "status=502,error_body=upstream%20down", False)
    assert (raw.status_code, raw.text) == (502, "upstream down")
    async with httpx.AsyncClient(base_url=fake.url, headers=case.headers) as http:
        with pytest.raises(httpx.ReadTimeout):
            await http.post(f"/s/hang=1{case.path}", json=case.body("x", False), timeout=0.3)
    fake.script(["status=429", {"usage": {"prompt": 5}}])
    assert (await post(fake, case, None, False)).status_code == 429
    usage = case.usage((await post(fake, case, None, False)).json())
    assert usage is not None and usage[0] == 5


@CASES
async def test_concurrent_streams_stay_separate(fake: FakeUpstream, case: Case) -> None:
    replies = await asyncio.gather(
        *(post(fake, case, "chunk_delay_ms=5", True, text=f"stream {i}") for i in range(4))
    )
    for i, r in enumerate(replies):
        assert f"{i}" in r.text and case.trailer_marker in r.text
