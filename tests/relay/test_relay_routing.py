"""Channel choice through a real gateway: failover, priority tiers, weights, renames, mappings."""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

import httpx
import openai
import orjson
import pytest

from newapi.testing import FakeUpstream
from tests.relay.conftest import Gateway, openai_channel
from tests.relay.expect import (
    CHAT,
    aclient,
    attempts,
    ch,
    closed_port_url,
    error_rows,
    relay_error,
)
from tests.relay.seeded import gateway


async def _chat(gw: Gateway, model: str = "gpt-4o") -> httpx.Response:
    async with httpx.AsyncClient(base_url=gw.url, timeout=30) as http:
        return await http.post("/v1/chat/completions", json={**CHAT, "model": model},
                               headers={"Authorization": f"Bearer {gw.key}"})


def _keys_seen(fake: FakeUpstream) -> Counter[str]:
    return Counter(r.headers["authorization"].removeprefix("Bearer sk-upstream-")
                   for r in fake.requests)


# -- failover --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("failing", "status"),
    [("status=500", 500), ("status=429", 429), ("refused", 500)],
)
async def test_failover_within_a_tier(tmp_path: Path, fake: FakeUpstream, failing: str,
                                      status: int) -> None:
    bad_url = closed_port_url() if failing == "refused" else fake.scenario_url(failing)
    channels = openai_channel("bad", bad_url) + openai_channel("good", fake.url)
    async with gateway(tmp_path, channels) as gw:
        gw.relay.rng.seed(3)  # the order inside the tier is random; make it repeatable
        async with aclient(gw) as client:
            for _ in range(8):
                reply = await client.chat.completions.create(**CHAT)
                assert reply.choices[0].message.content == "echo: hi"
        rows = await gw.logs()
    assert len(rows) == 8
    tries = [attempts(row) for row in rows]
    assert all(t in ([(ch("good"), 200)], [(ch("bad"), status), (ch("good"), 200)])
               for t in tries), tries
    assert [(ch("bad"), status), (ch("good"), 200)] in tries  # the failover did happen
    assert all(row["channel_id"] == ch("good") for row in rows)


async def test_failover_walks_down_the_priority_tiers(tmp_path: Path, fake: FakeUpstream) -> None:
    channels = (
        openai_channel("top-a", fake.scenario_url("status=500"), priority=10)
        + openai_channel("top-b", fake.scenario_url("status=502"), priority=10)
        + openai_channel("mid", fake.scenario_url("status=429"), priority=5)
        + openai_channel("low", fake.url, priority=0)
    )
    async with gateway(tmp_path, channels, retry_times=3) as gw:
        async with aclient(gw) as client:
            reply = await client.chat.completions.create(**CHAT)
        assert reply.choices[0].message.content == "echo: hi"
        [row] = await gw.logs()
    tries = attempts(row)
    assert sorted(tries[:2]) == sorted([(ch("top-a"), 500), (ch("top-b"), 502)])
    assert tries[2:] == [(ch("mid"), 429), (ch("low"), 200)]
    assert orjson.loads(row["other"])["admin_info"]["use_channel"] == [c for c, _ in tries]
    assert len(fake.requests) == 4


async def test_a_channel_is_never_tried_twice(tmp_path: Path, fake: FakeUpstream) -> None:
    channels = (openai_channel("one", fake.scenario_url("status=500"))
                + openai_channel("two", fake.scenario_url("status=503")))
    async with gateway(tmp_path, channels, retry_times=5,
                       relay_extra="error_log_enabled = true") as gw:
        response = await _chat(gw)
        relay_error(response, response.status_code)
        assert response.status_code in (500, 503)
        [row] = await error_rows(gw)
    assert len(fake.requests) == 2
    assert sorted(c for c, _ in attempts(row)) == sorted([ch("one"), ch("two")])


async def test_retry_times_zero_returns_the_first_failure(tmp_path: Path,
                                                          fake: FakeUpstream) -> None:
    channels = (openai_channel("top", fake.scenario_url("status=500"), priority=10)
                + openai_channel("low", fake.url))
    async with gateway(tmp_path, channels, retry_times=0) as gw:
        response = await _chat(gw)
    error = relay_error(response, 500)
    assert error["message"].startswith("The server had an error while processing your request.")
    assert len(fake.requests) == 1


async def test_upstream_400_is_not_retried(tmp_path: Path, fake: FakeUpstream) -> None:
    channels = (openai_channel("top", fake.scenario_url("status=400"), priority=10)
                + openai_channel("low", fake.url))
    async with gateway(tmp_path, channels) as gw:
        response = await _chat(gw)
        async with aclient(gw) as client:
            with pytest.raises(openai.BadRequestError) as caught:
                await client.chat.completions.create(**CHAT)
        assert await gw.logs() == []
    error = relay_error(response, 400)
    assert error["message"].startswith("Invalid request (fake upstream).")
    assert "Invalid request (fake upstream)." in caught.value.message
    assert len(fake.requests) == 2  # one per request: the low tier was never asked
    assert all(r.path.startswith("/s/") for r in fake.requests)


async def test_every_channel_failing_returns_the_last_error(tmp_path: Path,
                                                             fake: FakeUpstream) -> None:
    channels = (openai_channel("top", fake.scenario_url("status=500"), priority=10)
                + openai_channel("low", fake.scenario_url("status=429")))
    async with gateway(tmp_path, channels) as gw:
        response = await _chat(gw)
        async with aclient(gw) as client:
            with pytest.raises(openai.RateLimitError):
                await client.chat.completions.create(**CHAT)
    error = relay_error(response, 429, "rate_limit_exceeded")
    assert error["message"].startswith("Rate limit reached for requests (fake upstream).")
    assert len(fake.requests) == 4


async def test_an_upstream_timeout_fails_over(tmp_path: Path, fake: FakeUpstream) -> None:
    channels = (openai_channel("slow", fake.scenario_url("hang=1"), priority=10)
                + openai_channel("fast", fake.url))
    async with gateway(tmp_path, channels, relay_extra="relay_timeout_s = 1") as gw:
        async with aclient(gw) as client:
            reply = await client.chat.completions.create(**CHAT)
        assert reply.choices[0].message.content == "echo: hi"
        [row] = await gw.logs()
    assert attempts(row) == [(ch("slow"), 500), (ch("fast"), 200)]
    info = orjson.loads(row["other"])["admin_info"]
    assert info["attempts"][0]["code"] == "upstream_timeout"


# -- weights ---------------------------------------------------------------------------------


async def _burst(gw: Gateway, count: int, model: str = "gpt-4o-mini") -> None:
    """``count`` tiny non-stream requests, 25 at a time."""
    gate = asyncio.Semaphore(25)
    body = {"model": model, "messages": [{"role": "user", "content": "x"}], "max_tokens": 1}
    async with httpx.AsyncClient(base_url=gw.url, timeout=30,
                                 headers={"Authorization": f"Bearer {gw.key}"}) as http:

        async def one() -> None:
            async with gate:
                response = await http.post("/v1/chat/completions", json=body)
                assert response.status_code == 200, response.text

        await asyncio.gather(*(one() for _ in range(count)))


async def test_weights_share_the_traffic(tmp_path: Path, fake: FakeUpstream) -> None:
    channels = (openai_channel("w1", fake.url, weight=1) + openai_channel("w2", fake.url, weight=2)
                + openai_channel("w7", fake.url, weight=7))
    async with gateway(tmp_path, channels) as gw:
        gw.relay.rng.seed(11)
        await _burst(gw, 600)
    seen = _keys_seen(fake)
    assert sum(seen.values()) == 600
    share = {name: seen[name] / 600 for name in ("w1", "w2", "w7")}
    assert abs(share["w1"] - 0.10) < 0.04, share
    assert abs(share["w2"] - 0.20) < 0.05, share
    assert abs(share["w7"] - 0.70) < 0.06, share


async def test_weight_zero_is_only_a_last_resort(tmp_path: Path, fake: FakeUpstream) -> None:
    channels = (openai_channel("zero", fake.url, weight=0)
                + openai_channel("a", fake.url, weight=5) + openai_channel("b", fake.url, weight=5))
    async with gateway(tmp_path, channels) as gw:
        await _burst(gw, 100)
    seen = _keys_seen(fake)
    assert seen["zero"] == 0 and seen["a"] + seen["b"] == 100 and seen["a"] and seen["b"]


async def test_weight_zero_serves_when_the_weighted_channels_failed(tmp_path: Path,
                                                                     fake: FakeUpstream) -> None:
    # gateway.toml's weight: "0 = only when no other channel is left"
    channels = (openai_channel("weighted", fake.scenario_url("status=500"), weight=3)
                + openai_channel("spare", fake.url, weight=0))
    async with gateway(tmp_path, channels) as gw:
        async with aclient(gw) as client:
            reply = await client.chat.completions.create(**CHAT)
        assert reply.choices[0].message.content == "echo: hi"
        [row] = await gw.logs()
    assert attempts(row) == [(ch("weighted"), 500), (ch("spare"), 200)]


async def test_all_zero_weights_are_equal(tmp_path: Path, fake: FakeUpstream) -> None:
    channels = "".join(openai_channel(n, fake.url, weight=0) for n in ("z1", "z2", "z3"))
    async with gateway(tmp_path, channels) as gw:
        gw.relay.rng.seed(5)
        await _burst(gw, 300)
    seen = _keys_seen(fake)
    assert sum(seen.values()) == 300
    assert all(abs(seen[n] / 300 - 1 / 3) < 0.07 for n in ("z1", "z2", "z3")), seen


# -- renames and model mappings --------------------------------------------------------------

_RENAME = """
[[rules.rename]]
match = "my-alias"
to = "gpt-4o"
"""
_MAPPED = 'model_mapping = { "gpt-4o" = "gpt-4o-2024-08-06" }'


async def test_rename_then_mapping(tmp_path: Path, fake: FakeUpstream) -> None:
    channels = openai_channel("main", fake.url, '"gpt-4o"', extra=_MAPPED)
    extra = _RENAME + '\n[prices."my-alias"]\nmodel_ratio = 2\ncompletion_ratio = 4\n'
    async with gateway(tmp_path, channels, extra_toml=extra) as gw:
        async with aclient(gw) as client:
            reply = await client.chat.completions.create(**{**CHAT, "model": "my-alias"})
        assert reply.choices[0].message.content == "echo: hi"
        [row] = await gw.logs()
    assert fake.requests[-1].json["model"] == "gpt-4o-2024-08-06"
    assert row["model_name"] == "my-alias"  # billed and logged under the requested name
    other = orjson.loads(row["other"])
    assert other["model_ratio"] == 2  # my-alias's price, not gpt-4o's 1.25
    assert other["is_model_mapped"] is True
    assert other["upstream_model_name"] == "gpt-4o-2024-08-06"


async def test_a_renamed_alias_without_a_price_fails_clearly(tmp_path: Path,
                                                            fake: FakeUpstream) -> None:
    # relay.md §4.1/§12.6: billing uses the requested name, so the alias needs its own price
    channels = openai_channel("main", fake.url, '"gpt-4o"', extra=_MAPPED)
    async with gateway(tmp_path, channels, extra_toml=_RENAME) as gw:
        response = await _chat(gw, "my-alias")
        assert await gw.logs() == []
    error = relay_error(response, 503, "model_price_error")
    assert "my-alias" in error["message"] and error["param"] == "model"
    assert fake.requests == []


async def test_chained_mapping(tmp_path: Path, fake: FakeUpstream) -> None:
    mapping = 'model_mapping = { "gpt-4o" = "gpt-4o-b", "gpt-4o-b" = "gpt-4o-c" }'
    async with gateway(tmp_path, openai_channel("main", fake.url, extra=mapping)) as gw:
        async with aclient(gw) as client:
            await client.chat.completions.create(**CHAT)
        [row] = await gw.logs()
    assert fake.requests[-1].json["model"] == "gpt-4o-c"
    assert row["model_name"] == "gpt-4o"
    assert orjson.loads(row["other"])["upstream_model_name"] == "gpt-4o-c"


async def test_a_mapping_loop_is_an_error_without_retry(tmp_path: Path,
                                                        fake: FakeUpstream) -> None:
    # gateway.toml refuses mapping cycles, so the looping channel is a database row
    from newapi.relay.runtime import reload_channels
    from newapi.store.models import Channel as ChannelRow

    async with gateway(tmp_path, openai_channel("spare", fake.url)) as gw:
        row = await ChannelRow.create(
            type=1, key="sk-upstream-db", name="looping", base_url=fake.url, models="gpt-4o",
            group="default", priority=10, weight=1,
            model_mapping='{"gpt-4o": "gpt-4o-x", "gpt-4o-x": "gpt-4o"}',
        )
        await reload_channels(gw.relay)
        assert row.id in gw.relay.table.by_id
        response = await _chat(gw)
    error = relay_error(response, 503, "channel_model_mapping_error")
    assert "loops" in error["message"]
    assert fake.requests == []  # not sent, and the spare channel was not tried


async def test_gizmo_models_route_through_the_wildcard(tmp_path: Path, fake: FakeUpstream) -> None:
    channels = openai_channel("gpts", fake.url, '"gpt-4-gizmo-*"')
    price = '\n[prices."gpt-4-gizmo-*"]\nmodel_ratio = 15\ncompletion_ratio = 2\n'
    async with gateway(tmp_path, channels, extra_toml=price) as gw:
        async with aclient(gw) as client:
            reply = await client.chat.completions.create(**{**CHAT, "model": "gpt-4-gizmo-abc"})
        assert reply.choices[0].message.content == "echo: hi"
        [row] = await gw.logs()
        missing = await _chat(gw, "gpt-4o")  # the channel serves GPTs only
    assert fake.requests[-1].json["model"] == "gpt-4-gizmo-abc"
    assert row["model_name"] == "gpt-4-gizmo-abc"
    assert orjson.loads(row["other"])["model_ratio"] == 15
    relay_error(missing, 404, "model_not_found")
