"""Recording, the control API, the scenario grammar and running the fake standalone."""

from __future__ import annotations

import subprocess
import sys
import time

import httpx
import pytest
from sanic import Sanic

from newapi.testing import (
    FakeUpstream,
    ScenarioError,
    create_fake_upstream,
    parse_scenario,
    start_fake_upstream,
)
from newapi.testing.scenario import Steering, UsageOverride
from tests.conftest import REPO, free_port

CHAT = "/v1/chat/completions"
BODY = {"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}]}


async def test_requests_are_recorded(fake: FakeUpstream, client: httpx.AsyncClient) -> None:
    await client.post(f"/s/delay_ms=1{CHAT}?trace=1&trace=2", json=BODY, headers={"X-Extra": "v"})
    await client.get("/v1/models")
    first, second = fake.requests
    assert first.method == "POST"
    assert first.path == f"/s/delay_ms=1{CHAT}"
    assert first.query == {"trace": ["1", "2"]}
    assert first.headers["authorization"] == "Bearer test-key"
    assert first.headers["x-extra"] == "v"
    assert first.json == BODY
    assert second.method == "GET"
    assert second.json is None
    fake.clear()
    assert fake.requests == []


async def test_control_api_script_requests_and_reset(client: httpx.AsyncClient) -> None:
    script = ["status=500", {"status": 429, "times": 2}, {"usage": {"prompt": 42}}]
    queued = await client.post("/_fake/script", json=script)
    assert queued.json() == {"queued": 3}
    codes = [(await client.post(CHAT, json=BODY)).status_code for _ in range(4)]
    assert codes == [500, 429, 429, 200]
    assert (await client.post(CHAT, json=BODY)).json()["usage"]["prompt_tokens"] == 1
    recorded = (await client.get("/_fake/requests")).json()
    assert len(recorded) == 5
    assert recorded[0]["json"] == BODY
    assert recorded[0]["headers"]["authorization"] == "Bearer test-key"
    assert (await client.post("/_fake/reset")).json() == {"reset": True}
    assert (await client.get("/_fake/requests")).json() == []


async def test_script_overrides_path_and_consumes_per_request(
    fake: FakeUpstream, client: httpx.AsyncClient
) -> None:
    fake.script([{"error_body": {"error": {"message": "scripted"}}}, "chunks=2"])
    r = await client.post(f"/s/status=429{CHAT}", json=BODY)  # merged key by key
    assert (r.status_code, r.json()) == (429, {"error": {"message": "scripted"}})
    lorem = await client.post(CHAT, json=BODY)
    assert lorem.json()["choices"][0]["message"]["content"] == "lorem ipsum"
    assert (await client.post(CHAT, json=BODY)).json()["choices"][0]["message"]["content"] == (
        "echo: hi"
    )


async def test_invalid_script_is_rejected(client: httpx.AsyncClient) -> None:
    for bad in (b"{}", b"[1]", b'["bogus=1"]', b"not json"):
        r = await client.post("/_fake/script", content=bad)
        assert r.status_code == 400, bad
    assert (await client.post(CHAT, json=BODY)).status_code == 200


def test_scenario_grammar() -> None:
    assert parse_scenario("status=500,times=2") == {"status": 500, "times": 2}
    assert parse_scenario("no_usage=1,hang=0") == {"no_usage": True, "hang": False}
    assert parse_scenario("usage=prompt:100|completion:20|cached:30") == {
        "usage": UsageOverride(prompt=100, completion=20, cached=30)
    }
    assert parse_scenario("status=502,error_body=a,b=c") == {"status": 502, "error_body": "a,b=c"}
    assert parse_scenario("") == {}
    for bad in ("x=1", "status=600", "delay_ms=-1", "usage=tokens:1", "status", "hang=yes"):
        with pytest.raises(ScenarioError):
            parse_scenario(bad)


def test_steering_merges_sources_with_script_last() -> None:
    steering = Steering()
    steering.set_script(["delay_ms=5"])
    scenario = steering.resolve("status=429,chunks=3", b'{"x":"#fake:status=500,cached=4"}')
    assert (scenario.status, scenario.chunks, scenario.cached, scenario.delay_ms) == (
        429,
        3,
        4,
        5,
    )
    assert steering.resolve(None, b"{}").status is None


async def test_two_fakes_run_side_by_side() -> None:
    one = await start_fake_upstream()
    two = await start_fake_upstream(models=("only-model",))
    try:
        assert one.url != two.url
        async with httpx.AsyncClient(headers={"authorization": "Bearer k"}) as http:
            listed = (await http.get(f"{two.url}/v1/models")).json()
            assert [m["id"] for m in listed["data"]] == ["only-model"]
            await http.post(f"{one.url}{CHAT}", json=BODY)
        assert len(one.requests) == 1
        assert two.requests[0].path == "/v1/models"
    finally:
        await one.stop()
        await two.stop()


def test_factory_takes_a_name() -> None:
    app = create_fake_upstream("fake-upstream-named")
    try:
        assert app.name == "fake-upstream-named"
        assert "openai_chat_s" in {route.name.split(".")[-1] for route in app.router.routes}
    finally:
        Sanic.unregister_app(app)


def test_runs_standalone() -> None:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "newapi.testing.fake_upstream", "--port", str(port)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 20
        reply = None
        while time.monotonic() < deadline and reply is None:
            try:
                reply = httpx.post(
                    f"http://127.0.0.1:{port}{CHAT}",
                    json=BODY,
                    headers={"authorization": "Bearer k"},
                )
            except httpx.TransportError:
                time.sleep(0.1)
        assert reply is not None, "the standalone fake did not start"
        assert reply.json()["choices"][0]["message"]["content"] == "echo: hi"
    finally:
        proc.terminate()
        output, _ = proc.communicate(timeout=10)
    assert b"Traceback" not in output
    assert b"RuntimeWarning" not in output
