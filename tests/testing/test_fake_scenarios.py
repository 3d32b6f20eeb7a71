"""Scenario directives of the fake upstream, exercised over raw HTTP with httpx."""

from __future__ import annotations

import time
from typing import Any

import httpx
import orjson
import pytest

from newapi.testing import FakeUpstream

CHAT = "/v1/chat/completions"


def chat(text: str = "hello world", stream: bool = False, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"model": "gpt-4o", "messages": [{"role": "user", "content": text}]}
    if stream:
        body["stream"] = True
        body["stream_options"] = {"include_usage": True}
    return {**body, **extra}


def data_lines(raw: str) -> list[str]:
    return [line[6:] for line in raw.split("\n\n") if line.startswith("data: ")]


def contents(events: list[str]) -> list[str]:
    pieces = []
    for event in events:
        if event == "[DONE]":
            continue
        for choice in orjson.loads(event)["choices"]:
            if choice["delta"].get("content"):
                pieces.append(choice["delta"]["content"])
    return pieces


@pytest.mark.parametrize(
    ("status", "kind", "code"),
    [
        (429, "requests", "rate_limit_exceeded"),
        (500, "server_error", None),
        (503, "server_error", None),
        (401, "invalid_request_error", "invalid_api_key"),
        (418, "invalid_request_error", None),
        (502, "server_error", None),
    ],
)
async def test_status_gives_openai_error_shape(
    client: httpx.AsyncClient, status: int, kind: str, code: str | None
) -> None:
    r = await client.post(f"/s/status={status}{CHAT}", json=chat())
    assert r.status_code == status
    error = r.json()["error"]
    assert set(error) == {"message", "type", "param", "code"}
    assert (error["type"], error["code"]) == (kind, code)
    assert error["message"]


async def test_times_fails_first_hits_then_succeeds(
    fake: FakeUpstream, client: httpx.AsyncClient
) -> None:
    path = f"/s/status=500,times=2{CHAT}"
    codes = [(await client.post(path, json=chat())).status_code for _ in range(4)]
    assert codes == [500, 500, 200, 200]
    other = await client.post(f"/s/status=500,times=1{CHAT}", json=chat())
    assert other.status_code == 500  # a different prefix has its own counter
    fake.reset()
    assert (await client.post(path, json=chat())).status_code == 500


async def test_error_body_is_sent_verbatim_with_commas(client: httpx.AsyncClient) -> None:
    r = await client.post(
        f"/s/status=400,retry_after=3,error_body=%7B%22a%22:1,%22b%22:2%7D{CHAT}", json=chat()
    )
    assert r.status_code == 400
    assert r.json() == {"a": 1, "b": 2}
    assert r.headers["retry-after"] == "3"
    text = await client.post(f"/s/error_body=upstream%20exploded{CHAT}", json=chat())
    assert text.status_code == 500
    assert text.text == "upstream exploded"
    assert text.headers["content-type"].startswith("text/plain")


async def test_delay_ms_holds_back_the_headers(client: httpx.AsyncClient) -> None:
    started = time.perf_counter()
    r = await client.post(f"/s/delay_ms=300{CHAT}", json=chat())
    assert r.status_code == 200
    assert time.perf_counter() - started >= 0.29


async def test_first_token_delay_comes_after_the_headers(client: httpx.AsyncClient) -> None:
    started = time.perf_counter()
    path = f"/s/first_token_delay_ms=400{CHAT}"
    async with client.stream("POST", path, json=chat(stream=True)) as r:
        headers_at = time.perf_counter() - started
        body = (await r.aread()).decode()
    total = time.perf_counter() - started
    assert headers_at < 0.3
    assert total >= 0.39
    assert data_lines(body)[-1] == "[DONE]"


async def test_chunks_and_chunk_delay_pace_the_stream(client: httpx.AsyncClient) -> None:
    path = f"/s/chunks=6,chunk_delay_ms=40{CHAT}"
    arrivals: list[float] = []
    started = time.perf_counter()
    async with client.stream("POST", path, json=chat(stream=True)) as r:
        async for line in r.aiter_lines():
            if line.startswith("data: "):
                arrivals.append(time.perf_counter() - started)
                body_line = line[6:]
    assert body_line == "[DONE]"
    assert len(arrivals) == 1 + 6 + 1 + 2  # role, pieces, finish, usage, [DONE]
    assert arrivals[-1] - arrivals[0] >= 0.3


async def test_chunks_replace_the_echo_with_lorem(client: httpx.AsyncClient) -> None:
    events = data_lines((await client.post(f"/s/chunks=20{CHAT}", json=chat(stream=True))).text)
    pieces = contents(events)
    assert len(pieces) == 20
    assert pieces[0] == "lorem "
    usage = orjson.loads(events[-2])["usage"]
    assert usage["completion_tokens"] == 20
    plain = (await client.post(f"/s/chunks=3{CHAT}", json=chat())).json()
    assert plain["choices"][0]["message"]["content"] == "lorem ipsum dolor"


async def test_cut_after_ends_the_body_without_usage_or_done(client: httpx.AsyncClient) -> None:
    r = await client.post(f"/s/cut_after=3,chunks=10{CHAT}", json=chat(stream=True))
    assert r.status_code == 200
    events = data_lines(r.text)
    assert len(events) == 3
    assert "[DONE]" not in events
    assert all(orjson.loads(e)["choices"] for e in events)


async def test_abort_after_resets_the_connection(client: httpx.AsyncClient) -> None:
    received: list[str] = []
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        async with client.stream("POST", f"/s/abort_after=2{CHAT}", json=chat(stream=True)) as r:
            async for line in r.aiter_lines():
                if line.startswith("data: "):
                    received.append(line)
    assert len(received) == 2


async def test_stall_after_goes_silent(fake: FakeUpstream) -> None:
    received: list[str] = []
    timeout = httpx.Timeout(5, read=0.4)
    async with httpx.AsyncClient(base_url=fake.url, timeout=timeout) as http:
        with pytest.raises(httpx.ReadTimeout):
            async with http.stream(
                "POST",
                f"/s/stall_after=2{CHAT}",
                json=chat(stream=True),
                headers={"authorization": "Bearer k"},
            ) as r:
                async for line in r.aiter_lines():
                    if line.startswith("data: "):
                        received.append(line)
    assert len(received) == 2


async def test_hang_never_answers_but_the_fake_keeps_serving(fake: FakeUpstream) -> None:
    async with httpx.AsyncClient(base_url=fake.url, headers={"authorization": "Bearer k"}) as http:
        with pytest.raises(httpx.ReadTimeout):
            await http.post(f"/s/hang=1{CHAT}", json=chat(), timeout=0.3)
        assert (await http.post(CHAT, json=chat())).status_code == 200


async def test_hung_request_does_not_block_stop() -> None:
    from newapi.testing import start_fake_upstream

    upstream = await start_fake_upstream()
    async with httpx.AsyncClient(base_url=upstream.url) as http:
        import asyncio

        pending = asyncio.create_task(
            http.post(f"/s/hang=1{CHAT}", json=chat(), headers={"authorization": "Bearer k"})
        )
        await asyncio.sleep(0.1)
        started = time.perf_counter()
        await upstream.stop()
        assert time.perf_counter() - started < 2
        with pytest.raises(httpx.HTTPError):
            await pending


async def test_no_usage_drops_usage_everywhere(client: httpx.AsyncClient) -> None:
    plain = (await client.post(f"/s/no_usage=1{CHAT}", json=chat())).json()
    assert "usage" not in plain
    events = data_lines((await client.post(f"/s/no_usage=1{CHAT}", json=chat(stream=True))).text)
    assert events[-1] == "[DONE]"
    assert all(orjson.loads(e)["choices"] for e in events[:-1])
    emb = await client.post(
        "/s/no_usage=1/v1/embeddings", json={"model": "text-embedding-3-small", "input": "x"}
    )
    assert "usage" not in emb.json()


async def test_exact_usage_and_cached_tokens(client: httpx.AsyncClient) -> None:
    path = f"/s/usage=prompt:100|completion:20|cached:30|reasoning:5{CHAT}"
    usage = (await client.post(path, json=chat())).json()["usage"]
    assert usage == {
        "prompt_tokens": 100,
        "completion_tokens": 20,
        "total_tokens": 120,
        "prompt_tokens_details": {"cached_tokens": 30},
        "completion_tokens_details": {"reasoning_tokens": 5},
    }
    events = data_lines((await client.post(path, json=chat(stream=True))).text)
    assert orjson.loads(events[-2])["usage"] == usage
    partial = (await client.post(f"/s/usage=prompt:7,cached=2{CHAT}", json=chat())).json()
    assert partial["usage"] == {
        "prompt_tokens": 7,
        "completion_tokens": 3,
        "total_tokens": 10,
        "prompt_tokens_details": {"cached_tokens": 2},
    }


async def test_body_directive_is_obeyed_and_path_wins(client: httpx.AsyncClient) -> None:
    marked = chat("please fail #fake:status=503")
    r = await client.post(CHAT, json=marked)
    assert r.status_code == 503
    assert (await client.post(f"/s/status=429{CHAT}", json=marked)).status_code == 429
    ok = await client.post(CHAT, json=chat("usage please #fake:usage=prompt:9"))
    assert ok.json()["usage"]["prompt_tokens"] == 9
    content = ok.json()["choices"][0]["message"]["content"]
    assert content == "echo: usage please #fake:usage=prompt:9"
    times = chat("flaky #fake:status=500,times=1")
    codes = [(await client.post(CHAT, json=times)).status_code for _ in range(2)]
    assert codes == [500, 200]


async def test_invalid_scenarios_get_a_400(client: httpx.AsyncClient) -> None:
    for prefix in ("bogus=1", "status=abc", "status=200", "usage=prompt", "novalue"):
        r = await client.post(f"/s/{prefix}{CHAT}", json=chat())
        assert r.status_code == 400, prefix
        assert r.json()["error"]["code"] == "fake_scenario"
    bad_body = await client.post(CHAT, json=chat("#fake:colour=red"))
    assert bad_body.status_code == 400


async def test_invalid_json_body_gets_a_400(client: httpx.AsyncClient) -> None:
    r = await client.post(CHAT, content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 400
    assert r.json()["error"]["type"] == "invalid_request_error"


async def test_missing_auth_and_bad_requests(fake: FakeUpstream, client: httpx.AsyncClient) -> None:
    async with httpx.AsyncClient(base_url=fake.url) as anonymous:
        r = await anonymous.post(CHAT, json=chat())
    assert r.status_code == 401
    assert "didn't provide an API key" in r.json()["error"]["message"]
    no_messages = await client.post(CHAT, json={"model": "gpt-4o"})
    assert no_messages.status_code == 400
    assert no_messages.json()["error"]["param"] == "messages"
    no_model = await client.post(CHAT, json={"messages": [{"role": "user", "content": "x"}]})
    assert no_model.json()["error"]["param"] == "model"
    no_prompt = await client.post("/v1/completions", json={"model": "m"})
    assert no_prompt.json()["error"]["param"] == "prompt"
    bad_format = await client.post(
        "/v1/embeddings", json={"model": "m", "input": "x", "encoding_format": "int8"}
    )
    assert bad_format.json()["error"]["param"] == "encoding_format"
