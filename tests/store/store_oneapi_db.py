"""Test databases for the store: One API v0.5 fixtures loaded with raw drivers, scratch databases.

The fixture (``fixtures/one_api_v05_<dialect>.sql`` + ``one_api_v05_rows.json``) is written the
way One API's GORM left it, with plain driver calls, so nothing of newapi touches it before
``migrate``. PostgreSQL and MariaDB scratch databases get unique names and are dropped after.
Server addresses: ``NEWAPI_TEST_PG`` and ``NEWAPI_TEST_MYSQL`` (New API DSN or URL forms).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import uuid
from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import orjson
from tortoise.backends.base.config_generator import expand_db_url

from newapi.store.dsn import to_tortoise_url

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ROWS: dict[str, list[dict[str, Any]]] = {
    table: rows
    for table, rows in orjson.loads((FIXTURES / "one_api_v05_rows.json").read_bytes()).items()
    if not table.startswith("_")
}
ROOT_PASSWORD = "OneAPI-root-2023"
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/postgres"
DEFAULT_MYSQL = "root@tcp(127.0.0.1:3306)/"
SERIAL_TABLES = ("users", "tokens", "channels", "redemptions", "logs")


def pg_server() -> str:
    return os.environ.get("NEWAPI_TEST_PG") or DEFAULT_PG


def mysql_server() -> str:
    return os.environ.get("NEWAPI_TEST_MYSQL") or DEFAULT_MYSQL


def _credentials(url: str) -> dict[str, Any]:
    return dict(expand_db_url(to_tortoise_url(url))["credentials"])


def _statements(sql: str) -> list[str]:
    lines = [line for line in sql.splitlines() if not line.lstrip().startswith("--")]
    return [part.strip() for part in "\n".join(lines).split(";\n") if part.strip().rstrip(";")]


def _insert_sql(table: str, columns: list[str], quote: str, marks: list[str]) -> str:
    cols = ", ".join(f"{quote}{c}{quote}" for c in columns)
    return f"INSERT INTO {quote}{table}{quote} ({cols}) VALUES ({', '.join(marks)})"


def load_sqlite(path: Path, extra_sql: str = "") -> None:
    """Create the One API v0.5 tables and rows in a new SQLite file."""
    db = sqlite3.connect(path)
    try:
        db.executescript((FIXTURES / "one_api_v05_sqlite.sql").read_text(encoding="utf-8"))
        for table, rows in ROWS.items():
            for row in rows:
                cols = list(row)
                values = [int(v) if isinstance(v, bool) else v for v in row.values()]
                db.execute(_insert_sql(table, cols, '"', ["?"] * len(cols)), values)
        if extra_sql:
            db.executescript(extra_sql)
        db.commit()
    finally:
        db.close()


async def _pg_connect(url: str) -> Any:
    import asyncpg

    creds = _credentials(url)
    try:
        return await asyncpg.connect(
            host=creds["host"],
            port=creds["port"],
            user=creds["user"],
            password=creds.get("password"),
            database=creds.get("database") or "postgres",
        )
    except (OSError, asyncpg.PostgresError) as exc:
        raise SystemExit(
            f"PostgreSQL at {creds['host']}:{creds['port']} is not reachable ({exc}); start it "
            "(scripts/services or `pg_ctlcluster 15 main start`) or set NEWAPI_TEST_PG"
        ) from None


async def _mysql_connect(url: str, database: str | None = None) -> Any:
    import asyncmy

    creds = _credentials(url)
    try:
        return await asyncmy.connect(
            host=creds["host"],
            port=creds["port"],
            user=creds["user"],
            password=creds.get("password") or "",
            database=database,
            autocommit=True,
            charset="utf8mb4",
        )
    except (OSError, asyncmy.errors.Error) as exc:
        raise SystemExit(
            f"MariaDB/MySQL at {creds['host']}:{creds['port']} is not reachable ({exc}); start "
            "it (scripts/services or `mariadbd --user=mysql`) or set NEWAPI_TEST_MYSQL"
        ) from None


@contextlib.asynccontextmanager
async def scratch_postgres(server: str) -> AsyncIterator[str]:
    """A new, empty PostgreSQL database; yields its URL and drops it afterwards."""
    name = f"newapi_test_{uuid.uuid4().hex[:12]}"
    admin = await _pg_connect(server)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    creds = _credentials(server)
    auth = creds["user"] + (f":{creds['password']}" if creds.get("password") else "")
    try:
        yield f"postgres://{auth}@{creds['host']}:{creds['port']}/{name}"
    finally:
        admin = await _pg_connect(server)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()


@contextlib.asynccontextmanager
async def scratch_mysql(server: str) -> AsyncIterator[str]:
    """A new, empty utf8mb4 database; yields its go-sql-driver DSN and drops it afterwards."""
    name = f"newapi_test_{uuid.uuid4().hex[:12]}"
    admin = await _mysql_connect(server)
    try:
        async with admin.cursor() as cur:
            await cur.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
    finally:
        admin.close()
    creds = _credentials(server)
    auth = creds["user"] + (f":{creds['password']}" if creds.get("password") else "")
    try:
        yield f"{auth}@tcp({creds['host']}:{creds['port']})/{name}?charset=utf8mb4&parseTime=true"
    finally:
        admin = await _mysql_connect(server)
        try:
            async with admin.cursor() as cur:
                await cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
        finally:
            admin.close()


async def load_postgres(url: str) -> None:
    """Create the One API v0.5 tables and rows in the (empty) PostgreSQL database at ``url``."""
    db = await _pg_connect(url)
    try:
        for statement in _statements((FIXTURES / "one_api_v05_postgres.sql").read_text("utf-8")):
            await db.execute(statement)
        for table, rows in ROWS.items():
            for row in rows:
                cols = list(row)
                marks = [f"${i}" for i in range(1, len(cols) + 1)]
                values = [Decimal(str(v)) if k == "balance" else v for k, v in row.items()]
                await db.execute(_insert_sql(table, cols, '"', marks), *values)
        for table in SERIAL_TABLES:  # as if GORM had inserted them: sequences follow the rows
            await db.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f'(SELECT MAX(id) FROM "{table}"))'
            )
    finally:
        await db.close()


async def load_mysql(url: str) -> None:
    """Create the One API v0.5 tables and rows in the (empty) MySQL database at ``url``."""
    database = _credentials(url)["database"]
    db = await _mysql_connect(url, database)
    try:
        async with db.cursor() as cur:
            for statement in _statements((FIXTURES / "one_api_v05_mysql.sql").read_text("utf-8")):
                await cur.execute(statement)
            for table, rows in ROWS.items():
                for row in rows:
                    cols = list(row)
                    await cur.execute(
                        _insert_sql(table, cols, "`", ["%s"] * len(cols)), list(row.values())
                    )
    finally:
        db.close()
