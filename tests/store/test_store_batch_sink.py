"""The ledger's database side on every backend: one batch of settlements and log rows in one
transaction, with the journal position, written with ``executemany`` statements."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from newapi import store
from newapi.billing.batch import Batch, collect_batch
from newapi.store.models import Channel, Log, Token, User
from tests.store.store_oneapi_db import mysql_server, pg_server, scratch_mysql, scratch_postgres


@contextlib.asynccontextmanager
async def _database(backend: str, tmp_path: Path) -> AsyncIterator[None]:
    if backend == "sqlite":
        url = f"sqlite://{tmp_path / 'sink.db'}"
        await store.open_db(url)
        try:
            await store.migrate_here()
            yield
        finally:
            await store.close_db()
        return
    scratch = (
        scratch_postgres(pg_server()) if backend == "postgres" else scratch_mysql(mysql_server())
    )
    async with scratch as url:
        await store.open_db(url)
        try:
            await store.migrate_here()
            yield
        finally:
            await store.close_db()


def _settlement(rid: str, user: int, token: int, channel: int, quota: int, lim: bool) -> dict:
    log = {
        "user_id": user,
        "created_at": 1_700_000_000,
        "type": 2,
        "content": "model ratio 0.075",
        "username": "sink",
        "token_name": "t",
        "token_id": token,
        "model_name": "gpt-4o-mini",
        "channel_id": channel,
        "is_stream": rid.endswith("s"),
        "group": "default",
        "request_id": rid,
        "quota": quota,
        "prompt_tokens": 3,
        "completion_tokens": 5,
        "other": '{"frt":-1}',
        "unknown_key": "is not a column and is dropped",
    }
    return {
        "t": "s",
        "rid": rid,
        "u": user,
        "k": token,
        "lim": lim,
        "q": quota,
        "ch": channel,
        "log": log,
    }


@pytest.mark.parametrize(
    "backend",
    [
        "sqlite",
        pytest.param("postgres", marks=pytest.mark.postgres),
        pytest.param("mysql", marks=pytest.mark.mysql),
    ],
)
async def test_one_batch_updates_balances_logs_and_position(backend: str, tmp_path: Path) -> None:
    async with _database(backend, tmp_path):
        alice = await store.create_user("alice", "alice-password-1", quota=10_000)
        bob = await store.create_user("bob", "bob-password-1", quota=5_000)
        await store.create_token(alice.id, "limited", quota=1_000)
        await store.create_token(bob.id, "unlimited", unlimited=True)
        limited = await Token.get(user_id=alice.id)
        unlimited = await Token.get(user_id=bob.id)
        channel = await Channel.create(name="c1", type=1, key="sk-x", models="gpt-4o-mini")
        records = [
            (10, _settlement("r1", alice.id, limited.id, channel.id, 100, True)),
            (20, _settlement("r2s", alice.id, limited.id, channel.id, 50, True)),
            (30, _settlement("r3", bob.id, unlimited.id, channel.id, 7, False)),
            (40, {"t": "x", "rid": "r4", "log": {"user_id": bob.id, "type": 4, "content": "x"}}),
            (50, {"t": "r", "rid": "r5", "u": bob.id, "k": unlimited.id, "q": 9}),
        ]
        batch, end = collect_batch(iter(records), 100)
        assert end == 50 and isinstance(batch, Batch)
        sink = store.StoreBatchSink()
        await sink.apply("node-1-1", end, batch)

        a = await User.get(id=alice.id)
        b = await User.get(id=bob.id)
        assert (a.quota, a.used_quota, a.request_count) == (9_850, 150, 2)
        assert (b.quota, b.used_quota, b.request_count) == (4_993, 7, 1)
        t1, t2 = await Token.get(id=limited.id), await Token.get(id=unlimited.id)
        assert (t1.remain_quota, t1.used_quota) == (850, 150) and t1.accessed_time > 0
        assert t2.used_quota == 7 and t2.accessed_time > 0
        assert t2.remain_quota == unlimited.remain_quota  # an unlimited key's remain stays
        assert (await Channel.get(id=channel.id)).used_quota == 157
        rows = {row.request_id: row for row in await Log.all()}
        assert set(rows) == {"r1", "r2s", "r3", ""}
        assert rows["r2s"].is_stream and not rows["r1"].is_stream
        assert (rows["r1"].quota, rows["r1"].prompt_tokens, rows["r1"].group) == (100, 3, "default")
        assert rows["r1"].other == '{"frt":-1}' and rows["r1"].upstream_request_id == ""
        assert rows[""].type == 4 and rows[""].content == "x" and rows[""].other is None
        assert await sink.applied_offset("node-1-1") == 50

        empty, _ = collect_batch(iter([(60, {"t": "x", "rid": "r6", "log": None})]), 100)
        await sink.apply("node-1-1", 60, empty)  # nothing but the position moves
        assert await sink.applied_offset("node-1-1") == 60
        assert (await User.get(id=alice.id)).quota == 9_850
        assert await Log.all().count() == 4
