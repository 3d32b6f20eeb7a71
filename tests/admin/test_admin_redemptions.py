"""Redemption codes: admins create, list, change and delete them; users redeem each once."""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import openai
import pytest

from newapi import store
from newapi.store.models import Log, User
from newapi.store.queries.admin_redemptions import insert_redemptions
from tests.admin.conftest import AdminServer, Caller
from tests.conftest import REPO, clean_env

CHECK = Path(__file__).resolve().parent / "admin_store_check.py"

CREATE = """mutation($input: CreateRedemptionsInput!) { createRedemptions(input: $input) {
  __typename ... on RedemptionsCreated { keys items { id name key status quota expiredTime
  createdBy { username } } } ... on FieldErrors { errors { field message } } } }"""
REDEEM = """mutation($key: String!) { redeem(key: $key) { __typename
  ... on Redeemed { quota redemptionId } ... on FieldErrors { errors { field message } } } }"""
LIST = """query($search: String, $status: Int) { redemptions(search: $search, status: $status) {
  total items { id name key status usedBy { username } } } }"""
UPDATE = """mutation($input: UpdateRedemptionInput!) { updateRedemption(input: $input) {
  __typename ... on Redemption { id name quota status }
  ... on FieldErrors { errors { field } } } }"""


async def _create(caller: Caller, **fields: Any) -> dict[str, Any]:
    data = await caller.data(CREATE, {"input": {"name": "promo", "quota": 1000, **fields}})
    return data["createRedemptions"]


async def _redeem(caller: Caller, key: str) -> dict[str, Any]:
    return (await caller.data(REDEEM, {"key": key}))["redeem"]


def _problem(result: dict[str, Any]) -> str:
    assert result["__typename"] == "FieldErrors", result
    [error] = result["errors"]
    assert error["field"] == "key"
    return str(error["message"])


async def test_admins_create_list_and_search_codes(server: AdminServer) -> None:
    root = await server.signed_in("root")
    created = await _create(root, count=3)
    keys = created["keys"]
    assert len(set(keys)) == 3 and all(re.fullmatch(r"[0-9a-f]{32}", k) for k in keys)
    assert [item["key"] for item in created["items"]] == [f"{k[:4]}****{k[-4:]}" for k in keys]
    assert {item["createdBy"]["username"] for item in created["items"]} == {"root"}
    await _create(root, name="other", count=1)
    listed = (await root.data(LIST, {"search": "pro"}))["redemptions"]
    assert listed["total"] == 3 and all(k not in str(listed) for k in keys)
    first = created["items"][0]["id"]
    by_id = (await root.data(LIST, {"search": str(first)}))["redemptions"]
    assert [item["id"] for item in by_id["items"]] == [first]
    assert (await root.data(LIST, {"status": 2}))["redemptions"]["total"] == 0
    assert (await root.data(LIST, {"status": 1}))["redemptions"]["total"] == 4


async def test_create_refuses_bad_input(server: AdminServer) -> None:
    admin = await server.signed_in("admin")
    for fields, field in (
        ({"count": 0}, "count"),
        ({"count": 101}, "count"),
        ({"name": " "}, "name"),
        ({"name": "x" * 21}, "name"),
        ({"quota": 0}, "quota"),
        ({"expiresAt": int(time.time()) - 10}, "expiresAt"),
    ):
        result = await _create(admin, **fields)
        assert result["__typename"] == "FieldErrors", fields
        assert [e["field"] for e in result["errors"]] == [field]
    assert (await admin.data(LIST))["redemptions"]["total"] == 0


async def test_a_redeemed_code_pays_for_requests_at_once(server: AdminServer) -> None:
    bob_id = server.ids["bob"]
    await User.filter(id=bob_id).update(quota=0)
    key = await store.create_token(bob_id, "spender", unlimited=True)
    client = openai.AsyncOpenAI(base_url=f"{server.url}/v1", api_key=key, max_retries=0)
    messages = [{"role": "user", "content": "hello"}]
    with pytest.raises(openai.APIStatusError) as refused:
        await client.chat.completions.create(model="gpt-4o-mini", messages=messages)
    assert 400 <= refused.value.status_code < 500

    root = await server.signed_in("root")
    [code] = (await _create(root, quota=500_000))["keys"]
    bob = await server.signed_in("bob")
    result = await _redeem(bob, code)
    assert result["__typename"] == "Redeemed" and result["quota"] == 500_000
    assert (await User.get(id=bob_id)).quota == 500_000
    # The relay's live balance has the credit too: no wait for the next balance refresh.
    reply = await client.chat.completions.create(model="gpt-4o-mini", messages=messages)
    assert reply.choices[0].message.content
    await client.close()

    assert _problem(await _redeem(bob, code)) == "this code has already been used"
    [topup] = await Log.filter(user_id=bob_id, type=1)
    assert topup.username == "bob" and str(result["redemptionId"]) in (topup.content or "")
    [row] = (await root.data(LIST, {"status": 3}))["redemptions"]["items"]
    assert row["usedBy"] == {"username": "bob"}
    used = await root.data(UPDATE, {"input": {"id": row["id"], "quota": 9}})
    assert used["updateRedemption"] == {"__typename": "FieldErrors", "errors": [{"field": "id"}]}


async def test_redeem_names_each_problem(server: AdminServer) -> None:
    root = await server.signed_in("root")
    alice = await server.signed_in("alice")
    [disabled, deleted, fresh] = (await _create(root, count=3))["keys"]
    ids = {item["key"][:4]: item["id"] for item in (await root.data(LIST))["redemptions"]["items"]}
    changed = await root.data(UPDATE, {"input": {"id": ids[disabled[:4]], "status": 2,
                                                 "name": "renamed", "quota": 77}})
    assert changed["updateRedemption"]["status"] == 2
    assert changed["updateRedemption"]["quota"] == 77
    bad = await root.data(UPDATE, {"input": {"id": ids[fresh[:4]], "status": 3}})
    assert bad["updateRedemption"]["errors"] == [{"field": "status"}]
    gone = "mutation($id: Int!) { deleteRedemption(id: $id) { deleted } }"
    assert (await root.data(gone, {"id": ids[deleted[:4]]}))["deleteRedemption"]["deleted"]
    [expired] = await insert_redemptions(server.ids["root"], "old", 5, 1, 1000, 1)

    assert _problem(await _redeem(alice, "not-a-code")) == "no such redemption code"
    assert _problem(await _redeem(alice, "0" * 32)) == "no such redemption code"
    assert _problem(await _redeem(alice, disabled)) == "this code is disabled"
    assert _problem(await _redeem(alice, deleted)) == "no such redemption code"
    assert _problem(await _redeem(alice, expired.key)) == "this code has expired"
    before = (await User.get(id=server.ids["alice"])).quota
    assert (await _redeem(alice, fresh.upper()))["quota"] == 1000
    assert (await User.get(id=server.ids["alice"])).quota == before + 1000


async def test_failed_redeems_are_limited_per_user(server: AdminServer) -> None:
    alice = await server.signed_in("alice")
    for _ in range(10):
        _problem(await _redeem(alice, "f" * 32))
    body = await alice.post(REDEEM, {"key": "f" * 32})
    assert body["errors"][0]["extensions"]["code"] == "rate_limited"
    bob = await server.signed_in("bob")
    assert _problem(await _redeem(bob, "f" * 32)) == "no such redemption code"


async def test_concurrent_redeems_over_the_api_credit_once(server: AdminServer) -> None:
    root = await server.signed_in("root")
    [code] = (await _create(root, quota=4321))["keys"]
    callers = [await server.signed_in(name) for name in ("alice", "bob", "admin")]
    before = {u.id: u.quota for u in await User.all()}
    results = await asyncio.gather(*(_redeem(c, code) for c in callers for _ in range(6)))
    assert [r["__typename"] for r in results].count("Redeemed") == 1
    after = {u.id: u.quota for u in await User.all()}
    assert sorted(after[uid] - before[uid] for uid in after) == [0] * (len(after) - 1) + [4321]


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_redeem_race_and_quota_data_in_the_store(backend: str, tmp_path: Path) -> None:
    args = [str(tmp_path / "race.db")] if backend == "sqlite" else []
    done = subprocess.run(
        [sys.executable, str(CHECK), backend, *args],
        cwd=REPO,
        env=clean_env(PYTHONPATH=str(REPO)),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, f"{done.stdout[-3000:]}\n{done.stderr[-6000:]}"
    assert f"ok: {backend}" in done.stdout


async def test_purge_deletes_used_disabled_and_expired_codes(server: AdminServer) -> None:
    root = await server.signed_in("root")
    [used, disabled, kept] = (await _create(root, count=3))["keys"]
    await insert_redemptions(server.ids["root"], "old", 5, 2, 1000, 1)
    assert (await _redeem(await server.signed_in("bob"), used))["__typename"] == "Redeemed"
    ids = {item["key"][:4]: item["id"] for item in (await root.data(LIST))["redemptions"]["items"]}
    await root.data(UPDATE, {"input": {"id": ids[disabled[:4]], "status": 2}})
    purged = await root.data("mutation { purgeRedemptions }")
    assert purged["purgeRedemptions"] == 4
    left = (await root.data(LIST))["redemptions"]
    assert [item["key"] for item in left["items"]] == [f"{kept[:4]}****{kept[-4:]}"]
