"""A One API v0.5 database, migrated in place: its root signs in with the old password."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
import pytest

from newapi import store
from newapi.app import create_app
from newapi.config import load_config
from tests.admin.conftest import Caller
from tests.conftest import serving
from tests.store.store_oneapi_db import (
    ROOT_PASSWORD,
    load_mysql,
    load_postgres,
    load_sqlite,
    mysql_server,
    pg_server,
    scratch_mysql,
    scratch_postgres,
)

TOML = """\
config_version = 1

[database]
url = "{url}"
journal_dir = "{journal}"

[security]
session_secret = "one-api-upgrade-secret"
"""
ROOT_ACCESS_TOKEN = "2d9757c38ec0e2ce15c5245eeeffcc61"  # users.access_token in the fixture
ME = "{ me { id username role email quota } }"


async def _migrate(url: str) -> None:
    await store.open_db(url)
    try:
        await store.migrate_here()
    finally:
        await store.close_db()


async def _check_root_logins(url: str, tmp_path: Path) -> None:
    await _migrate(url)
    path = tmp_path / "gateway.toml"
    path.write_text(TOML.format(url=url, journal=tmp_path / "journal"))
    app = create_app(load_config(path, {}))
    async with serving(app) as base, httpx.AsyncClient(timeout=30) as http:
        wrong = await Caller(base, http).login("root", "123456")
        assert wrong["__typename"] == "FieldErrors"
        root = Caller(base, http)
        assert (await root.login("root", ROOT_PASSWORD))["__typename"] == "LoginSuccess"
        assert (await root.data(ME))["me"] == {
            "id": 1, "username": "root", "role": 100, "email": "root@example.com",
            "quota": 2000000000}
        assert (await root.data("mutation { logout }"))["logout"] is True
        by_email = await Caller(base, http).login("root@example.com", ROOT_PASSWORD)
        assert by_email["__typename"] == "LoginSuccess"
        script = Caller(base, httpx.AsyncClient(timeout=30), bearer=ROOT_ACCESS_TOKEN)
        try:  # One API's personal access token still works for scripts
            assert (await script.data(ME))["me"]["username"] == "root"
        finally:
            await script.http.aclose()


async def test_one_api_sqlite_root_signs_in(tmp_path: Path) -> None:
    db = tmp_path / "one-api.db"
    load_sqlite(db)
    await _check_root_logins(f"sqlite://{db}", tmp_path)


async def _on_server(
    scratch: Callable[[str], object], server: str, load: Callable[[str], Awaitable[None]],
    tmp_path: Path,
) -> None:
    async with scratch(server) as url:  # type: ignore[attr-defined]
        await load(url)
        await _check_root_logins(url, tmp_path)


@pytest.mark.postgres
async def test_one_api_postgres_root_signs_in(tmp_path: Path) -> None:
    await _on_server(scratch_postgres, pg_server(), load_postgres, tmp_path)


@pytest.mark.mysql
async def test_one_api_mysql_root_signs_in(tmp_path: Path) -> None:
    await _on_server(scratch_mysql, mysql_server(), load_mysql, tmp_path)
