"""Writing options and the first-run setup on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from newapi import store
from newapi.errors import InvalidRequestError, PermissionDeniedError
from newapi.store.queries.options import save_options
from newapi.store.queries.setup import complete_setup
from tests.store.store_oneapi_db import mysql_server, pg_server, scratch_mysql, scratch_postgres


@contextlib.asynccontextmanager
async def _database(engine: str, tmp_path: Path) -> AsyncIterator[None]:
    async with contextlib.AsyncExitStack() as stack:
        if engine == "postgres":
            url = await stack.enter_async_context(scratch_postgres(pg_server()))
        elif engine == "mysql":
            url = await stack.enter_async_context(scratch_mysql(mysql_server()))
        else:
            url = f"sqlite://{tmp_path / 'settings.db'}"
        await store.open_db(url)
        try:
            await store.migrate_here()
            yield
        finally:
            await store.close_db()


@pytest.mark.parametrize("engine", ["sqlite", "postgres", "mysql"])
async def test_options_and_setup_on_every_engine(engine: str, tmp_path: Path) -> None:
    async with _database(engine, tmp_path):
        await save_options({"RetryTimes": "1", "ModelRatio": '{"gpt-4o":2.5}'})
        await save_options({"RetryTimes": "3", "Notice": "x" * 70_000})
        assert await store.load_options() == {
            "RetryTimes": "3", "ModelRatio": '{"gpt-4o":2.5}', "Notice": "x" * 70_000,
        }

        assert not await store.setup_done()
        await store.create_user("taken", "taken-pass-1")
        with pytest.raises(InvalidRequestError):
            await complete_setup("taken", "owner-pass-1")
        assert not await store.setup_done()  # the setups row was rolled back with the user
        owner = await complete_setup("owner", "owner-pass-1")
        assert (owner.username, owner.role) == ("owner", 100)
        assert await store.setup_done()
        with pytest.raises(PermissionDeniedError) as refused:
            await complete_setup("other", "other-pass-1")
        assert refused.value.code == "setup_done"
        assert await store.ensure_root_user(None) == (False, "owner", None)
        assert await store.get_user_by_username("other") is None
