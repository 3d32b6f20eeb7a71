"""What the relay reads and writes: key owners, channel rows, and billing batches.

Reads return plain dicts (no ORM objects leave the store). ``StoreBatchSink.apply`` writes one
ledger batch and the journal position in a single transaction.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import orjson
from pypika_tortoise import Parameter, Query, Table
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from newapi.billing.batch import Batch
from newapi.store.db import guard_db
from newapi.store.models import Channel, Log, Token, User
from newapi.store.models.journal import JournalState
from newapi.store.queries.admin_dashboard import add_quota_data

__all__ = ["StoreBatchSink", "channel_rows", "token_owner"]

_TOKEN_FIELDS = (
    "id",
    "user_id",
    "name",
    "status",
    "expired_time",
    "remain_quota",
    "unlimited_quota",
    "used_quota",
    "model_limits_enabled",
    "model_limits",
    "allow_ips",
    "group",
)
_USER_FIELDS = ("id", "username", "role", "status", "group", "quota", "setting")
_CHANNEL_FIELDS = (
    "id",
    "type",
    "key",
    "status",
    "name",
    "weight",
    "base_url",
    "other",
    "models",
    "group",
    "model_mapping",
    "priority",
    "openai_organization",
    "test_model",
    "status_code_mapping",
    "auto_ban",
    "tag",
    "setting",
    "header_override",
    "channel_info",
    "settings",
)


def _record_ip(setting: Any) -> bool:
    if not setting:
        return False
    try:
        value = orjson.loads(setting)
    except orjson.JSONDecodeError:
        return False
    return isinstance(value, dict) and bool(value.get("record_ip_log"))


@guard_db
async def token_owner(key: str) -> dict[str, Any] | None:
    """The live token with this key (stored form) and its user, or None."""
    tokens = await Token.filter(key=key, deleted_at__isnull=True).limit(1).values(*_TOKEN_FIELDS)
    if not tokens:
        return None
    token = tokens[0]
    users = (
        await User.filter(id=token["user_id"], deleted_at__isnull=True)
        .limit(1)
        .values(*_USER_FIELDS)
    )
    if not users:
        return None
    user = users[0]
    return {
        "token_id": token["id"],
        "token_name": token["name"],
        "token_status": token["status"],
        "expired_time": token["expired_time"],
        "remain_quota": token["remain_quota"],
        "unlimited_quota": token["unlimited_quota"],
        "token_used_quota": token["used_quota"],
        "model_limits_enabled": token["model_limits_enabled"],
        "model_limits": token["model_limits"],
        "allow_ips": token["allow_ips"],
        "token_group": token["group"],
        "user_id": user["id"],
        "username": user["username"],
        "role": user["role"],
        "user_status": user["status"],
        "user_group": user["group"],
        "quota": user["quota"],
        "record_ip": _record_ip(user["setting"]),
    }


@guard_db
async def channel_rows() -> list[dict[str, Any]]:
    """Every channel row with the columns the relay uses."""
    return list(await Channel.all().order_by("id").values(*_CHANNEL_FIELDS))


# The logs columns a batch writes; a row's missing keys take the column's default.
_LOG_INSERT = (
    "user_id",
    "created_at",
    "type",
    "content",
    "username",
    "token_name",
    "model_name",
    "quota",
    "prompt_tokens",
    "completion_tokens",
    "channel_id",
    "use_time",
    "is_stream",
    "token_id",
    "group",
    "ip",
    "request_id",
    "upstream_request_id",
    "other",
)
_LOG_DEFAULTS: dict[str, Any] = {c: Log._meta.fields_map[c].default for c in _LOG_INSERT}


@dataclass(slots=True)
class _BatchWrite:
    """One batch being written: the transaction's connection and what goes into it."""

    conn: BaseDBAsyncClient
    journal: str
    offset: int
    batch: Batch
    now: int

    def param(self, position: int) -> Parameter:
        """The driver's placeholder for the ``position``-th value (``?``, ``$n`` or ``%s``)."""
        return self.conn.executor_class(model=Log, db=self.conn).parameter(position)

    def query(self) -> type[Query]:
        return self.conn.query_class

    async def many(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        if rows:
            await self.conn.execute_many(sql, [list(row) for row in rows])


async def _charge_users(w: _BatchWrite) -> None:
    t = Table(User._meta.db_table)
    sql = (
        w.query()
        .update(t)
        .set(t.quota, t.quota - w.param(0))
        .set(t.used_quota, t.used_quota + w.param(1))
        .set(t.request_count, t.request_count + w.param(2))
        .where(t.id == w.param(3))
        .get_sql()
    )
    requests = w.batch.user_requests
    rows = [(spent, spent, requests.get(uid, 0), uid) for uid, spent in w.batch.user_spent.items()]
    await w.many(sql, rows)


async def _charge_tokens(w: _BatchWrite) -> None:
    t = Table(Token._meta.db_table)
    limited = (
        w.query()
        .update(t)
        .set(t.remain_quota, t.remain_quota - w.param(0))
        .set(t.used_quota, t.used_quota + w.param(1))
        .set(t.accessed_time, w.param(2))
        .where(t.id == w.param(3))
        .get_sql()
    )
    unlimited = (
        w.query()
        .update(t)
        .set(t.used_quota, t.used_quota + w.param(0))
        .set(t.accessed_time, w.param(1))
        .where(t.id == w.param(2))
        .get_sql()
    )
    spent_by = w.batch.token_spent.items()
    marked = w.batch.token_limited
    await w.many(limited, [(s, s, w.now, tid) for tid, s in spent_by if tid in marked])
    await w.many(unlimited, [(s, w.now, tid) for tid, s in spent_by if tid not in marked])


async def _charge_channels(w: _BatchWrite) -> None:
    t = Table(Channel._meta.db_table)
    sql = (
        w.query()
        .update(t)
        .set(t.used_quota, t.used_quota + w.param(0))
        .where(t.id == w.param(1))
        .get_sql()
    )
    await w.many(sql, [(s, cid) for cid, s in w.batch.channel_spent.items() if cid > 0])


async def _insert_logs(w: _BatchWrite) -> None:
    if not w.batch.logs:
        return
    sql = (
        w.query()
        .into(Table(Log._meta.db_table))
        .columns(*_LOG_INSERT)
        .insert(*(w.param(i) for i in range(len(_LOG_INSERT))))
        .get_sql()
    )
    rows = [tuple(row.get(c, _LOG_DEFAULTS[c]) for c in _LOG_INSERT) for row in w.batch.logs]
    await w.many(sql, rows)


async def _add_quota_data(w: _BatchWrite) -> None:
    if w.batch.logs:
        await add_quota_data(w.batch.logs)  # the dashboard's hourly sums, same transaction


async def _store_position(w: _BatchWrite) -> None:
    updated = (
        await JournalState.filter(name=w.journal)
        .using_db(w.conn)
        .update(applied_offset=w.offset, updated_at=w.now)
    )
    if not updated:
        await JournalState.create(
            name=w.journal, applied_offset=w.offset, updated_at=w.now, using_db=w.conn
        )


# The statements of one batch, in order, all in one transaction. The journal position goes
# last and in the same transaction, which makes every record count exactly once.
_STEPS: tuple[Callable[[_BatchWrite], Awaitable[None]], ...] = (
    _charge_users,
    _charge_tokens,
    _charge_channels,
    _insert_logs,
    _add_quota_data,
    _store_position,
)


class StoreBatchSink:
    """The ledger's database side: one transaction per batch, one statement per kind of row
    (``executemany``), no ORM objects."""

    @guard_db
    async def applied_offset(self, journal: str) -> int:
        row = await JournalState.filter(name=journal).first()
        return row.applied_offset if row is not None else 0

    @guard_db
    async def apply(self, journal: str, offset: int, batch: Batch) -> None:
        async with in_transaction() as conn:
            write = _BatchWrite(conn, journal, offset, batch, int(time.time()))
            for step in _STEPS:
                await step(write)

    @guard_db
    async def balances(
        self, user_ids: list[int], token_ids: list[int]
    ) -> tuple[dict[int, int], dict[int, tuple[int, bool]]]:
        users = (
            {
                row["id"]: row["quota"]
                for row in await User.filter(id__in=user_ids).values("id", "quota")
            }
            if user_ids
            else {}
        )
        tokens = (
            {
                row["id"]: (row["remain_quota"], bool(row["unlimited_quota"]))
                for row in await Token.filter(id__in=token_ids).values(
                    "id", "remain_quota", "unlimited_quota"
                )
            }
            if token_ids
            else {}
        )
        return users, tokens
