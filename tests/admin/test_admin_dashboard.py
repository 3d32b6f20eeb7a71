"""The data dashboard after real relay requests: its numbers equal the consume log rows."""

from __future__ import annotations

import time
from typing import Any

import openai

from newapi import store
from newapi.store.models import Log, QuotaData
from tests.admin.conftest import AdminServer, Caller

DASHBOARD = """query($start: BigInt, $end: BigInt) { dashboard(start: $start, end: $end) {
  count quota tokenUsed rpm tpm series { hour modelName count quota tokenUsed }
  byHour { hour count quota tokenUsed } byModel { modelName count quota tokenUsed } } }"""
ALL = """query($userId: Int, $start: BigInt) { allDashboard(userId: $userId, start: $start) {
  count quota tokenUsed rpm tpm byModel { modelName count }
  byUser { userId username count quota tokenUsed } } }"""


async def _spend(server: AdminServer, key: str, requests: int) -> None:
    client = openai.AsyncOpenAI(base_url=f"{server.url}/v1", api_key=key, max_retries=0)
    for n in range(requests):
        content = "count " + "word " * n
        if n % 2:
            stream = await client.chat.completions.create(
                model="gpt-4o-mini", stream=True, messages=[{"role": "user", "content": content}]
            )
            async for _ in stream:
                pass
        else:
            await client.chat.completions.create(
                model="gpt-4o-mini", messages=[{"role": "user", "content": content}]
            )
    await client.close()
    await server.app.ctx.relay.ledger.flush()


def _sums(rows: list[Log]) -> dict[str, int]:
    return {
        "count": len(rows),
        "quota": sum(r.quota for r in rows),
        "tokenUsed": sum(r.prompt_tokens + r.completion_tokens for r in rows),
    }


async def _dashboard(caller: Caller, start: int) -> dict[str, Any]:
    return (await caller.data(DASHBOARD, {"start": start}))["dashboard"]


async def test_the_dashboard_equals_the_log_rows(server: AdminServer) -> None:
    start = int(time.time()) - 3600
    bob_key = await store.create_token(server.ids["bob"], "bob-dash", unlimited=True)
    await _spend(server, bob_key, 3)  # two batches: the second adds to existing rows
    await _spend(server, bob_key, 2)
    await _spend(server, await store.create_token(server.ids["alice"], "a", unlimited=True), 2)
    bob_rows = await Log.filter(user_id=server.ids["bob"], type=2)
    all_rows = await Log.filter(type=2)
    assert len(bob_rows) == 5 and len(all_rows) == 7 and all(r.quota > 0 for r in all_rows)

    bob = await server.signed_in("bob")
    mine = await _dashboard(bob, start)
    assert {k: mine[k] for k in ("count", "quota", "tokenUsed")} == _sums(bob_rows)
    hours = sorted({r.created_at - r.created_at % 3600 for r in bob_rows})
    assert [h["hour"] for h in mine["byHour"]] == hours
    assert sum(h["quota"] for h in mine["byHour"]) == mine["quota"]
    assert mine["byModel"] == [{"modelName": "gpt-4o-mini", **_sums(bob_rows)}]
    assert len(mine["series"]) == len(hours)
    # One quota_data row per hour for bob's one token and channel, however many batches.
    assert await QuotaData.filter(user_id=server.ids["bob"]).count() == len(hours)

    root = await server.signed_in("root")
    everyone = (await root.data(ALL, {"start": start}))["allDashboard"]
    assert {k: everyone[k] for k in ("count", "quota", "tokenUsed")} == _sums(all_rows)
    alice_rows = [r for r in all_rows if r.user_id == server.ids["alice"]]
    assert sorted(everyone["byUser"], key=lambda u: u["username"]) == [
        {"userId": server.ids["alice"], "username": "alice", **_sums(alice_rows)},
        {"userId": server.ids["bob"], "username": "bob", **_sums(bob_rows)},
    ]
    only_bob = (await root.data(ALL, {"userId": server.ids["bob"], "start": start}))
    assert only_bob["allDashboard"]["quota"] == mine["quota"]
    assert [u["username"] for u in only_bob["allDashboard"]["byUser"]] == ["bob"]


async def test_rates_count_the_last_minute(server: AdminServer) -> None:
    now = int(time.time())
    alice = server.ids["alice"]
    for created_at, tokens in ((now - 5, 10), (now - 20, 30), (now - 600, 1000)):
        await Log.create(user_id=alice, type=2, created_at=created_at, quota=1,
                         prompt_tokens=tokens, completion_tokens=1)
    await Log.create(user_id=alice, type=5, created_at=now - 5, prompt_tokens=50)
    await Log.create(user_id=server.ids["bob"], type=2, created_at=now - 5, prompt_tokens=7)
    caller = await server.signed_in("alice")
    numbers = await _dashboard(caller, now - 3600)
    assert (numbers["rpm"], numbers["tpm"]) == (2, 42)
    root = await server.signed_in("root")
    everyone = (await root.data(ALL, {}))["allDashboard"]
    assert (everyone["rpm"], everyone["tpm"]) == (3, 49)


async def test_ranges_are_checked(server: AdminServer) -> None:
    alice = await server.signed_in("alice")
    for start, end in ((100, 100), (0, 40 * 86400)):
        body = await alice.post(DASHBOARD, {"start": start, "end": end})
        assert body["errors"][0]["extensions"]["code"] == "invalid_request"
    root = await server.signed_in("root")
    assert (await root.data(ALL, {"start": 0}))["allDashboard"]["count"] == 0
    body = await alice.post(ALL, {})
    assert body["errors"][0]["extensions"]["code"] == "forbidden"
