"""The list operations of graphql/operations/ run a fixed number of SQL queries (no N+1)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import pytest

from newapi import store
from newapi.store.db import connection
from newapi.store.models import Log
from newapi.store.queries.admin_channels import insert_channel_row
from newapi.store.queries.admin_redemptions import insert_redemptions, redeem_code
from tests.admin.conftest import AdminServer, Caller
from tests.conftest import REPO

OPERATIONS = REPO / "graphql" / "operations"

# Operation file -> SELECTs: 1 for the session's user, then the operation's own.
EXPECTED = {
    "Tokens": 4,  # count, page, owners (one batch for every row)
    "Users": 3,  # count, page
    "Channels": 2,  # rows (gateway.toml channels come from memory)
    "Logs": 3,  # sums, page
    "Settings": 2,  # the options table
    "Groups": 2,  # the options table
    "Pricing": 2,  # the options table (channels and prices come from memory)
    "AllLogs": 4,  # sums, page, channel names (one batch for every row)
    "Redemptions": 4,  # count, page, creators and redeemers (one batch for every row)
    "Dashboard": 3,  # quota_data sums, last-minute rates
    "AllDashboard": 4,  # and the per-user sums
}


@contextlib.asynccontextmanager
async def counting() -> AsyncIterator[list[str]]:
    """The SQL statements the store runs meanwhile (SQLite's trace callback)."""
    statements: list[str] = []
    raw = connection()._connection  # type: ignore[attr-defined]  # tortoise's aiosqlite handle
    await raw.set_trace_callback(statements.append)
    try:
        yield statements
    finally:
        await raw.set_trace_callback(None)


async def _selects(caller: Caller, name: str) -> int:
    document = (OPERATIONS / f"{name}.graphql").read_text()
    async with counting() as statements:
        body = await caller.post(document, {})
    assert not body.get("errors"), body
    return len([s for s in statements if s.lstrip().upper().startswith("SELECT")])


@pytest.mark.parametrize("rows", [2, 12])
async def test_list_operations_query_counts(server: AdminServer, rows: int) -> None:
    for user in ("admin", "root"):
        for index in range(rows):
            await store.create_token(server.ids[user], f"t{index}")
    codes = await insert_redemptions(server.ids["admin"], "counted", 10, rows, 0, 1)
    for index, code in enumerate(codes):
        user = ("alice", "bob")[index % 2]
        await redeem_code(code.key, server.ids[user], user, 2)
        channel = await insert_channel_row(  # stored, not loaded by the relay: names come from SQL
            {"name": f"c{index}", "type": 1, "key": "sk-x", "base_url": server.upstream.url,
             "models": ["m"], "groups": ["default"]}
        )
        await Log.create(user_id=server.ids[user], type=2, channel_id=channel.id, quota=3)
    root = await server.signed_in("root")
    counts = {name: await _selects(root, name) for name in EXPECTED}
    assert counts == EXPECTED


# Batch operation -> SQL statements (any kind), the same for 2 or 12 channels: the session's
# user (1); the write: BEGIN, a SELECT of the ids, one UPDATE or DELETE each for channels and
# abilities, COMMIT (5); one reload of the relay's channels (3). Tag operations first find
# the tag's channels (1).
BATCH_EXPECTED = {
    "SetChannelsStatus": 9,
    "SetChannelsTag": 9,
    "EditChannelTag": 10,
    "SetTagStatus": 10,
    "DeleteChannels": 9,
}


def _batch_variables(name: str, ids: list[int]) -> dict[str, object]:
    return {
        "SetChannelsStatus": {"ids": ids, "enabled": False},
        "SetChannelsTag": {"ids": ids, "tag": "bulk"},
        "EditChannelTag": {"input": {"tag": "bulk", "priority": 3, "weight": 4}},
        "SetTagStatus": {"tag": "bulk", "enabled": True},
        "DeleteChannels": {"ids": ids},
    }[name]


@pytest.mark.parametrize("rows", [2, 12])
async def test_batch_operations_query_counts(server: AdminServer, rows: int) -> None:
    ids = []
    for index in range(rows):
        row = await insert_channel_row(
            {"name": f"bulk-{index}", "type": 1, "key": "sk-bulk", "base_url": server.upstream.url,
             "models": ["gpt-4o", "gpt-4o-mini"], "groups": ["default", "vip"]}
        )
        ids.append(row.id)
    root = await server.signed_in("root")
    counts = {}
    for name in BATCH_EXPECTED:
        document = (OPERATIONS / f"{name}.graphql").read_text()
        async with counting() as statements:
            body = await root.post(document, _batch_variables(name, ids))
        assert not body.get("errors"), body
        assert sorted(next(iter(body["data"].values()))["changed"]) == ids
        counts[name] = len(statements)
    assert counts == BATCH_EXPECTED
