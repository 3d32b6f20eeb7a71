"""Opening One API databases: the v0.5 fixture on SQLite (in process), PostgreSQL and MariaDB.

The server backends run in their own processes (``store_upgrade_check.py``): tortoise caches SQL
per connection name for the whole process (NOTES-deps §3), so each dialect gets a clean one. A
server that is not running makes the test fail with instructions, never skip.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, clean_env
from tests.store.store_oneapi_db import load_sqlite
from tests.store.store_upgrade_check import check_empty_database, check_one_api_upgrade

CHECK = Path(__file__).resolve().parent / "store_upgrade_check.py"


def _run_check(backend: str, scenario: str) -> None:
    env = clean_env(PYTHONPATH=str(REPO))
    done = subprocess.run(
        [sys.executable, str(CHECK), backend, scenario],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, (
        f"{backend} {scenario} check failed (exit {done.returncode}):\n"
        f"{done.stdout[-4000:]}\n{done.stderr[-6000:]}"
    )
    assert f"ok: {backend} {scenario}" in done.stdout


async def test_one_api_sqlite_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "one-api.db"
    load_sqlite(path)
    await check_one_api_upgrade(f"{path}?_busy_timeout=30000")


async def test_empty_sqlite_database(tmp_path: Path) -> None:
    await check_empty_database(f"sqlite://{tmp_path}/data/new.db")


@pytest.mark.postgres
def test_one_api_postgres_upgrade() -> None:
    _run_check("postgres", "one-api")


@pytest.mark.postgres
def test_empty_postgres_database() -> None:
    _run_check("postgres", "empty")


@pytest.mark.mysql
def test_one_api_mysql_upgrade() -> None:
    _run_check("mysql", "one-api")


@pytest.mark.mysql
def test_empty_mysql_database() -> None:
    _run_check("mysql", "empty")


@pytest.mark.postgres
def test_switching_between_sqlite_and_postgres() -> None:
    _run_check("postgres", "switch")


@pytest.mark.mysql
def test_switching_between_sqlite_and_mysql() -> None:
    _run_check("mysql", "switch")
