"""Billing exactness (costs worked out by hand) and no overdraft under parallel requests."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import openai
import orjson

from newapi.testing import FakeUpstream
from tests.relay.conftest import gateway, openai_channel


async def _chat(gw, **body) -> httpx.Response:
    async with httpx.AsyncClient(base_url=gw.url, timeout=30) as http:
        return await http.post(
            "/v1/chat/completions",
            json={"model": "gpt-4o", **body},
            headers={"Authorization": f"Bearer {gw.key}"},
        )


async def test_cached_tokens_and_group_ratio(tmp_path: Path, fake: FakeUpstream) -> None:
    base = fake.scenario_url("usage=prompt:100|completion:20|cached:30")
    channel = openai_channel("main", base, extra='groups = ["default", "vip"]')
    async with gateway(tmp_path, channel, group="vip") as gw:
        response = await _chat(gw, messages=[{"role": "user", "content": "hi"}])
        assert response.status_code == 200
        # OpenAI semantics: prompt includes cached. (100 - 30 + 30 x 0.5 + 20 x 4)
        # x model ratio 1.25 x vip group ratio 1.5 = 165 x 1.875 = 309.375 -> 309
        [row] = await gw.logs()
        assert row["quota"] == 309 and row["group"] == "vip"
        other = orjson.loads(row["other"])
        assert other["cache_tokens"] == 30 and other["cache_ratio"] == 0.5
        assert other["group_ratio"] == 1.5
        balances = await gw.balances()
        assert balances["used"] == 309 and balances["token_used"] == 309


async def test_stream_usage_is_billed_like_non_stream(tmp_path: Path, fake: FakeUpstream) -> None:
    base = fake.scenario_url("usage=prompt:100|completion:20|cached:30")
    async with gateway(tmp_path, openai_channel("main", base)) as gw:
        client = openai.AsyncOpenAI(base_url=gw.url + "/v1", api_key=gw.key, max_retries=0)
        stream = await client.chat.completions.create(
            model="gpt-4o", stream=True, messages=[{"role": "user", "content": "hi"}]
        )
        async for _ in stream:
            pass
        await client.close()
        [row] = await gw.logs()
        assert row["quota"] == 206  # 165 x 1.25 = 206.25 -> 206


async def test_limited_token_and_user_quota_move_together(
    tmp_path: Path, fake: FakeUpstream
) -> None:
    async with gateway(
        tmp_path, openai_channel("main", fake.url), user_quota=10_000, token_quota=5_000
    ) as gw:
        for _ in range(3):
            response = await _chat(gw, messages=[{"role": "user", "content": "hello world"}])
            assert response.status_code == 200
        balances = await gw.balances()
        # each: (2 + 3 x 4) x 1.25 = 17.5 -> 18
        assert balances == {
            "quota": 10_000 - 54,
            "used": 54,
            "requests": 3,
            "remain": 5_000 - 54,
            "token_used": 54,
        }


async def test_parallel_requests_cannot_overdraw(tmp_path: Path, fake: FakeUpstream) -> None:
    base = fake.scenario_url("delay_ms=150")
    quota = 3_000
    async with gateway(tmp_path, openai_channel("main", base), user_quota=quota) as gw:
        body = {"messages": [{"role": "user", "content": "a b c d e f g h"}], "max_tokens": 9}
        responses = await asyncio.gather(*(_chat(gw, **body) for _ in range(40)))
        ok = [r for r in responses if r.status_code == 200]
        refused = [r for r in responses if r.status_code != 200]
        assert ok and refused
        for response in refused:
            assert response.status_code == 403
            assert response.json()["error"]["code"] == "insufficient_user_quota"
        balances = await gw.balances()
        # each served request costs (8 + 9 x 4) x 1.25 = 55; its hold was
        # (max(estimate, 500) + 9 x 4) x 1.25 = 670, so holds always covered the charges
        assert balances["used"] == 55 * len(ok)
        assert balances["quota"] == quota - 55 * len(ok) >= 0
        rows = await gw.logs()
        assert len(rows) == len(ok) and sum(r["quota"] for r in rows) == balances["used"]
