"""The store's end-to-end checks, shared by the in-process SQLite tests and the server backends.

``check_one_api_upgrade``: a One API v0.5 database is migrated, every fixture row reads back
unchanged through the models, passwords verify, channel types map with One API numbering, a
second migrate does nothing, and new users and tokens work. ``check_empty_database``: an empty
database is created and gets its root user exactly once.

Run as a script for PostgreSQL or MariaDB (each in its own process, so tortoise's per-process
SQL caches cannot mix dialects, NOTES-deps §3):

    python tests/store/store_upgrade_check.py {postgres|mysql} {one-api|empty|switch}

It creates a uniquely named database on the server from NEWAPI_TEST_PG / NEWAPI_TEST_MYSQL,
runs the check, drops the database, and exits 0 only when every check passed.
"""

from __future__ import annotations

import asyncio
import math
import sys
import tempfile
from pathlib import Path
from typing import Any

from newapi import store
from newapi.errors import InvalidRequestError
from newapi.store import migrations, models
from newapi.store.passwords import verify_password
from tests.store.store_oneapi_db import (
    ROOT_PASSWORD,
    ROWS,
    load_mysql,
    load_postgres,
    mysql_server,
    pg_server,
    scratch_mysql,
    scratch_postgres,
)

MODELS = {
    "users": models.User,
    "tokens": models.Token,
    "channels": models.Channel,
    "abilities": models.Ability,
    "options": models.Option,
    "redemptions": models.Redemption,
    "logs": models.Log,
}
ORDER = {"abilities": ("channel_id", "group", "model"), "options": ("key",)}
# Every step of this build, in order (the first three are the One API / New API ones).
STEPS = sorted(
    path.stem for path in Path(migrations.__file__).parent.glob("[0-9][0-9][0-9][0-9]_*.py")
)
assert STEPS[:3] == ["0001_one_api_baseline", "0002_new_api_columns", "0003_new_api_tables"]

# One API numbering -> provider, for the fixture's channels (15 Baidu has no provider).
EXPECTED_PROVIDERS = {
    1: "openai",
    2: "openai_compatible",
    3: "azure",
    4: "openai_compatible",
    5: "openai_compatible",
    14: "anthropic",
}

# What the New API columns read as on rows One API wrote (their database defaults).
NEW_COLUMN_DEFAULTS: dict[str, dict[str, Any]] = {
    "users": {
        "aff_count": 0,
        "aff_quota": 0,
        "aff_history": 0,
        "deleted_at": None,
        "linux_do_id": "",
        "setting": None,
        "remark": "",
        "auth_version": 1,
        "last_login_at": 0,
    },
    "tokens": {
        "model_limits_enabled": False,
        "model_limits": None,
        "allow_ips": "",
        "group": "",
        "cross_group_retry": False,
        "deleted_at": None,
    },
    "channels": {"auto_ban": 1, "tag": None, "status_code_mapping": "", "channel_info": None},
    "abilities": {"weight": 0, "tag": None},
    "redemptions": {"used_user_id": 0, "deleted_at": None, "expired_time": 0},
    "logs": {
        "use_time": 0,
        "is_stream": False,
        "token_id": 0,
        "group": "",
        "request_id": "",
        "other": None,
    },
}


def _same(expected: Any, actual: Any) -> bool:
    if isinstance(expected, bool):
        return actual is not None and bool(actual) == expected
    if isinstance(expected, float) or isinstance(actual, float):
        return actual is not None and math.isclose(float(actual), float(expected))
    if isinstance(expected, str) and isinstance(actual, str):
        return actual == expected
    return bool(actual == expected)


async def _read(table: str) -> list[Any]:
    model = MODELS[table]
    order = ORDER.get(table, ("id",))
    return list(await model.all().order_by(*order))


def _sort_key(table: str, row: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(row[col] for col in ORDER.get(table, ("id",)))


async def check_rows_unchanged(*, new_columns: bool = True) -> None:
    """Every fixture row, column by column, through the models; New API columns defaulted.

    ``new_columns=False`` skips the defaults check (for fixtures that already had some).
    """
    problems: list[str] = []
    for table, rows in ROWS.items():
        stored = await _read(table)
        assert len(stored) == len(rows), f"{table}: {len(stored)} rows, expected {len(rows)}"
        for want, got in zip(sorted(rows, key=lambda r: _sort_key(table, r)), stored, strict=True):
            for column, value in want.items():
                actual = getattr(got, column)
                if not _same(value, actual):
                    problems.append(f"{table}.{column}: {actual!r} != {value!r}")
            for column, value in NEW_COLUMN_DEFAULTS.get(table, {}).items() if new_columns else ():
                actual = getattr(got, column)
                if not _same(value, actual):
                    problems.append(f"{table}.{column} (new): {actual!r} != {value!r}")
    assert not problems, "rows changed:\n" + "\n".join(problems)


async def check_channel_types(numbering: str) -> None:
    assert await store.channel_type_numbering() == numbering
    for channel in await models.Channel.all().order_by("id"):
        if channel.type in EXPECTED_PROVIDERS:
            got = store.provider_for_channel_type(channel.type, numbering)
            assert got == EXPECTED_PROVIDERS[channel.type], (channel.type, got)
        else:
            try:
                store.provider_for_channel_type(channel.type, numbering)
            except InvalidRequestError:
                continue
            raise AssertionError(f"type {channel.type} should have no provider")


async def check_new_writes() -> None:
    """A user and a token can be created after the upgrade (ids follow the old rows)."""
    user = await store.create_user("newcomer", "newcomer-pass-1", role=1, group="vip", quota=77)
    assert user.id == max(row["id"] for row in ROWS["users"]) + 1, user
    key = await store.create_token(
        user.id,
        "first",
        quota=1000,
        unlimited=False,
        group="",
        models=["gpt-4o", "claude-3-5-sonnet"],
    )
    assert key.startswith("sk-") and len(key) == 51 and key[3:].isalnum()
    token = await models.Token.get(key=key[3:])
    assert (token.user_id, token.remain_quota, token.model_limits_enabled) == (user.id, 1000, True)
    assert token.model_limits == "gpt-4o,claude-3-5-sonnet"
    stored = await models.User.get(id=user.id)
    assert verify_password("newcomer-pass-1", stored.password)
    assert stored.password.startswith("$2a$10$")
    try:
        await store.create_user("alice", "another-pass-1", role=1)
    except InvalidRequestError as exc:
        assert "alice" in exc.message
    else:
        raise AssertionError("a duplicate username was accepted")


async def check_one_api_upgrade(url: str) -> None:
    """The whole One API v0.5 upgrade story against the fixture database at ``url``."""
    before = await store.schema_state(url)
    assert before.pending == tuple(STEPS) and not before.up_to_date, before
    assert await store.migrate(url) == STEPS
    assert await store.migrate(url) == []
    state = await store.schema_state(url)
    assert state.up_to_date and state.applied == tuple(STEPS), state
    await store.open_db(url)
    try:
        assert await store.migrate_here() == []
        assert (await store.schema_state_here()).up_to_date
        await check_rows_unchanged()
        root = await models.User.get(username="root")
        assert verify_password(ROOT_PASSWORD, root.password)
        assert not verify_password("123456", root.password)
        await check_channel_types("one-api")
        meta = {m.key: m.value for m in await models.NewapiMeta.all()}
        assert meta["db_origin"] == "one-api", meta
        assert await store.setup_done()
        assert await store.ensure_root_user(None) == (False, "root", None)
        assert await models.Setup.all().count() == 1
        assert (await store.load_options())["SystemName"] == "One API"
        await check_new_writes()
    finally:
        await store.close_db()


async def check_empty_database(url: str) -> None:
    """An empty database: created by migrate, root created once with a random password."""
    assert await store.migrate(url) == STEPS
    await store.open_db(url)
    try:
        assert not await store.setup_done()
        assert not await store.root_user_exists()
        created, username, password = await store.ensure_root_user(None)
        assert created and username == "root" and password and password != "123456"
        root = await models.User.get(username="root")
        assert root.role == 100 and verify_password(password, root.password)
        assert await store.ensure_root_user("other-password-1") == (False, "root", None)
        assert await models.User.filter(role=100).count() == 1
        assert await models.Setup.all().count() == 1
        assert await store.setup_done() and await store.root_user_exists()
        assert await store.channel_type_numbering() == "new-api"
        assert await store.migrate_here() == []
        user = await store.create_user("carol", "carol-pass-1", role=1)
        assert (await store.create_token(user.id, "k", unlimited=True)).startswith("sk-")
    finally:
        await store.close_db()


async def check_backend_switch(url: str) -> None:
    """SQLite, then the server, then SQLite again in one process: no SQL of one dialect may
    reach another (tortoise caches insert SQL per connection name, NOTES-deps §3)."""
    with tempfile.TemporaryDirectory() as folder:
        local = f"sqlite://{folder}/switch.db"
        for step, target in enumerate((local, url, local)):
            await store.migrate(target)
            await store.open_db(target)
            try:
                user = await store.create_user(f"switch{step}", "switch-pass-1", role=1)
                assert await store.create_token(user.id, "k", quota=5)
                assert await store.get_user_by_username(f"switch{step}") == user
            finally:
                await store.close_db()


async def _run(backend: str, scenario: str) -> None:
    if backend == "postgres":
        scratch, load, server = scratch_postgres, load_postgres, pg_server()
    elif backend == "mysql":
        scratch, load, server = scratch_mysql, load_mysql, mysql_server()
    else:
        raise SystemExit(f"unknown backend {backend!r}")
    async with scratch(server) as url:
        if scenario == "one-api":
            await load(url)
            await check_one_api_upgrade(url)
        elif scenario == "switch":
            await check_backend_switch(url)
        else:
            await check_empty_database(url)


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[1] not in ("one-api", "empty", "switch"):
        print(__doc__, file=sys.stderr)
        return 2
    asyncio.run(_run(argv[0], argv[1]))
    print(f"ok: {argv[0]} {argv[1]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
