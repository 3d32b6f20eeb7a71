"""Every way a stream can end is settled by its written rule (docs/billing.md)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import orjson

from newapi.testing import FakeUpstream
from tests.relay.conftest import gateway, openai_channel

CHAT = {
    "model": "gpt-4o",
    "stream": True,
    "messages": [{"role": "user", "content": "tell me a story"}],
}


def _events(text: str) -> list[str]:
    return [line[6:] for line in text.splitlines() if line.startswith("data: ")]


async def _stream(gw, body: dict) -> tuple[int, str]:
    async with httpx.AsyncClient(base_url=gw.url, timeout=30) as http:
        response = await http.post(
            "/v1/chat/completions", json=body, headers={"Authorization": f"Bearer {gw.key}"}
        )
        return response.status_code, response.text


async def _status_of_last_log(gw) -> tuple[dict, dict]:
    [row] = await gw.logs()
    return row, orjson.loads(row["other"])


async def test_upstream_without_usage_is_counted_and_reported(
    tmp_path: Path, fake: FakeUpstream
) -> None:
    base = fake.scenario_url("no_usage=1")
    async with gateway(tmp_path, openai_channel("main", base)) as gw:
        status, text = await _stream(gw, CHAT)
        assert status == 200
        events = _events(text)
        assert events[-1] == "[DONE]"
        usage = orjson.loads(events[-2])["usage"]  # synthesized before [DONE]
        assert usage["completion_tokens"] > 0 and usage["prompt_tokens"] > 0
        row, other = await _status_of_last_log(gw)
        assert row["completion_tokens"] == usage["completion_tokens"]
        assert other["admin_info"]["local_count_tokens"] is True
        assert other["stream_status"] == "completed"


async def test_stream_cut_by_the_upstream(tmp_path: Path, fake: FakeUpstream) -> None:
    base = fake.scenario_url("chunks=20,cut_after=6")
    async with gateway(tmp_path, openai_channel("main", base)) as gw:
        status, text = await _stream(gw, CHAT)
        assert status == 200
        events = _events(text)
        assert "[DONE]" not in events
        error = orjson.loads(events[-1])["error"]
        assert error["code"] == "upstream_stream_cut"
        row, other = await _status_of_last_log(gw)
        assert other["stream_status"] == "cut"
        # billed for what was delivered: the 5 content chunks after the role chunk, not 20
        assert 0 < row["completion_tokens"] < 20 and row["quota"] > 0


async def test_connection_reset_mid_stream(tmp_path: Path, fake: FakeUpstream) -> None:
    base = fake.scenario_url("chunks=20,abort_after=4")
    async with gateway(tmp_path, openai_channel("main", base)) as gw:
        status, text = await _stream(gw, CHAT)
        assert status == 200
        assert orjson.loads(_events(text)[-1])["error"]["code"] == "upstream_stream_cut"
        row, other = await _status_of_last_log(gw)
        assert other["stream_status"] == "cut" and row["quota"] > 0


async def test_idle_upstream_hits_the_streaming_timeout(tmp_path: Path, fake: FakeUpstream) -> None:
    base = fake.scenario_url("chunks=20,stall_after=4")
    async with gateway(
        tmp_path, openai_channel("main", base), relay_extra="streaming_timeout_s = 1"
    ) as gw:
        status, text = await _stream(gw, CHAT)
        assert status == 200
        assert orjson.loads(_events(text)[-1])["error"]["code"] == "upstream_timeout"
        row, other = await _status_of_last_log(gw)
        assert other["stream_status"] == "timeout" and row["completion_tokens"] >= 1


async def test_keep_alive_comments_while_the_first_token_is_slow(
    tmp_path: Path, fake: FakeUpstream
) -> None:
    base = fake.scenario_url("first_token_delay_ms=2500")
    async with gateway(tmp_path, openai_channel("main", base)) as gw:
        status, text = await _stream(gw, CHAT)
        assert status == 200
        assert text.startswith(": keep-alive\n\n")
        assert text.count(": keep-alive") >= 2
        assert _events(text)[-1] == "[DONE]"


async def test_upstream_error_before_the_first_byte_charges_nothing(
    tmp_path: Path, fake: FakeUpstream
) -> None:
    base = fake.scenario_url("status=500")
    async with gateway(tmp_path, openai_channel("main", base), retry_times=0) as gw:
        before = await gw.balances()
        status, text = await _stream(gw, CHAT)
        assert status == 500
        assert orjson.loads(text)["error"]["message"]  # a JSON error, not a stream
        after = await gw.balances()
        assert after == before
        assert await gw.logs() == []
        account = gw.relay.ledger.accounts.users.get(gw.user_id)
        assert account is None or account.reserved == 0  # the hold was given back


async def test_client_gone_mid_stream_bills_what_was_delivered(
    tmp_path: Path, fake: FakeUpstream
) -> None:
    base = fake.scenario_url("chunks=200,chunk_delay_ms=20")
    async with gateway(tmp_path, openai_channel("main", base)) as gw:
        async with (
            httpx.AsyncClient(base_url=gw.url, timeout=30) as http,
            http.stream(
                "POST",
                "/v1/chat/completions",
                json=CHAT,
                headers={"Authorization": f"Bearer {gw.key}"},
            ) as response,
        ):
            seen = 0
            async for line in response.aiter_lines():
                if line.startswith("data: "):
                    seen += 1
                if seen >= 5:
                    break
        for _ in range(100):  # the gateway notices the closed connection
            await asyncio.sleep(0.05)
            rows = await gw.logs()
            if rows:
                break
        [row] = rows
        other = orjson.loads(row["other"])
        assert other["stream_status"] == "client_gone"
        assert 0 < row["completion_tokens"] < 200 and row["quota"] > 0
        account = gw.relay.ledger.accounts.users.get(gw.user_id)
        assert account is None or account.reserved == 0
