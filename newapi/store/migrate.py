"""Schema steps: bring a database (empty, One API, New API or newapi) to this build's schema.

Built on tortoise-orm's native migrations: the steps live in ``newapi.store.migrations``, and
tortoise's loader, graph, executor and recorder plan, run and record them (in the table
``newapi_migrations``). Each step adopts what already exists (``newapi.store.schema_ops``), so
the same steps create an empty database and upgrade One API or New API ones; only tables,
columns and indexes are ever added, and no row is rewritten. See the migrations README.

Before the first step runs, the database's origin is detected and written to ``newapi_meta``
once: ``db_origin`` (``empty``, ``one-api``, ``new-api``) and ``channel_type_numbering``
(``one-api`` for databases One API created, whose ``channels.type`` numbers differ from New
API's above 23 and for 2, 4, 5).
"""

from __future__ import annotations

import logging
import time
import warnings
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TypeVar

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.context import TortoiseContext
from tortoise.migrations.executor import MigrationExecutor, MigrationTarget
from tortoise.migrations.graph import MigrationKey
from tortoise.migrations.loader import MigrationLoader
from tortoise.migrations.recorder import MigrationRecorder

from newapi.errors import GatewayError, StoreError
from newapi.store import introspect
from newapi.store.db import (
    APP_LABEL,
    CONNECTION,
    MIGRATIONS_MODULE,
    connection,
    tortoise_config,
)
from newapi.store.dsn import ensure_sqlite_parent, redact_url, scrub_secret, to_tortoise_url

__all__ = [
    "FIRST_STEP",
    "NUMBERING_NEW_API",
    "NUMBERING_ONE_API",
    "RECORD_TABLE",
    "SchemaState",
    "detect_origin",
    "expected_steps",
    "migrate",
    "migrate_here",
    "read_meta",
    "schema_state",
    "schema_state_here",
]

log = logging.getLogger(__name__)

T = TypeVar("T")

RECORD_TABLE = "newapi_migrations"
META_TABLE = "newapi_meta"
FIRST_STEP = "0001_one_api_baseline"
NUMBERING_ONE_API = "one-api"
NUMBERING_NEW_API = "new-api"

# Columns only New API adds to One API's tables: any of them means "New API created this".
_NEW_API_SIGNS = {
    "channels": {"auto_ban", "openai_organization", "tag", "setting", "channel_info"},
    "users": {"aff_count", "aff_quota", "linux_do_id", "deleted_at", "setting"},
    "tokens": {"model_limits_enabled", "allow_ips", "deleted_at"},
    "abilities": {"weight", "tag"},
}


@dataclass(frozen=True, slots=True)
class SchemaState:
    """Which schema steps a database has (``applied``) against this build's (``expected``)."""

    applied: tuple[str, ...]
    expected: tuple[str, ...]
    pending: tuple[str, ...]

    @property
    def up_to_date(self) -> bool:
        return not self.pending


class _Executor(MigrationExecutor):
    """Tortoise's executor with its records kept in ``newapi_migrations``."""

    def __init__(self, client: BaseDBAsyncClient) -> None:
        apps = {APP_LABEL: {"migrations": MIGRATIONS_MODULE, "default_connection": CONNECTION}}
        super().__init__(client, apps)
        self.recorder = MigrationRecorder(client, table_name=RECORD_TABLE)
        self.loader.recorder = self.recorder


async def migrate(url: str) -> list[str]:
    """Apply the pending steps to the database at ``url``; return their names ([] if none).

    Uses its own short-lived connection, so it works with or without an open store.
    """
    tortoise_url = to_tortoise_url(url)
    ensure_sqlite_parent(tortoise_url)
    async with _temporary(tortoise_url) as client:
        return await _guarded(tortoise_url, _migrate_on(client), "the schema migration")


async def schema_state(url: str) -> SchemaState:
    """The applied, expected and pending steps of the database at ``url``."""
    tortoise_url = to_tortoise_url(url)
    ensure_sqlite_parent(tortoise_url)
    async with _temporary(tortoise_url) as client:
        return await _guarded(tortoise_url, _state_on(client), "the schema check")


async def migrate_here() -> list[str]:
    """``migrate`` on the store opened with ``open_db`` / ``register_store``."""
    client = connection()
    return await _guarded(None, _migrate_on(client), "the schema migration")


async def schema_state_here() -> SchemaState:
    """``schema_state`` of the store opened with ``open_db`` / ``register_store``."""
    client = connection()
    return await _guarded(None, _state_on(client), "the schema check")


@asynccontextmanager
async def _temporary(url: str) -> AsyncIterator[BaseDBAsyncClient]:
    """An isolated tortoise context holding one connection to ``url`` (no models bound)."""
    async with TortoiseContext() as ctx:
        try:
            with warnings.catch_warnings():
                # The migrations-only app binds no models on purpose (the app's models stay
                # bound to the store's own context); tortoise warns about that.
                warnings.filterwarnings("ignore", "Module .* has no models", RuntimeWarning)
                await ctx.init(config=tortoise_config(url, with_models=False))
            client = ctx.db(CONNECTION)
            # Fail here, loudly: tortoise's recorder swallows query errors, and a failed first
            # SQLite connect leaves the client's lock held, so a later query would hang.
            await client.execute_query("SELECT 1")
        except Exception as exc:
            reason = scrub_secret(str(exc) or type(exc).__name__, url)
            raise StoreError(
                f"cannot open the database {redact_url(url)}: {reason}", detail=reason
            ) from None
        yield client


async def _guarded(url: str | None, work: Awaitable[T], what: str) -> T:
    """Await ``work``; turn driver and tortoise failures into ``StoreError``."""
    try:
        return await work
    except GatewayError:
        raise
    except Exception as exc:
        reason = str(exc) or type(exc).__name__
        if url is not None:
            reason = scrub_secret(reason, url)
        raise StoreError(f"{what} failed: {reason}", detail=reason) from exc


async def _migrate_on(client: BaseDBAsyncClient) -> list[str]:
    applied: list[str] = []

    def progress(event: str, app_label: str, name: str) -> None:
        if event == "apply_done":
            applied.append(name)
            log.info("applied schema step %s", name)

    executor = _Executor(client)
    if not await executor.plan():
        return []
    if await read_meta(client, "db_origin") is None:
        origin = await detect_origin(client)
        log.info("database origin: %s", origin)
        first = MigrationTarget(app_label=APP_LABEL, name=FIRST_STEP)
        await executor.migrate([first], progress=progress)
        await _record_origin(client, origin)
    await _Executor(client).migrate(progress=progress)
    return applied


class _NoRecords(MigrationRecorder):
    """A recorder that reads no database (to order the steps on disk)."""

    def __init__(self) -> None:
        super().__init__(connection=None, table_name=RECORD_TABLE)

    async def applied_migrations(self) -> list[MigrationKey]:
        return []


_expected: tuple[str, ...] | None = None


async def expected_steps() -> tuple[str, ...]:
    """This build's steps in the order they apply (read from disk once per process)."""
    global _expected
    if _expected is None:
        apps = {APP_LABEL: {"migrations": MIGRATIONS_MODULE, "default_connection": CONNECTION}}
        loader = MigrationLoader(apps, _NoRecords())
        await loader.build_graph()
        names: list[str] = []
        for leaf in loader.graph.leaf_nodes(APP_LABEL):
            for key in loader.graph.forwards_plan(leaf):
                if key.app_label == APP_LABEL and key.name not in names:
                    names.append(key.name)
        _expected = tuple(names)
    return _expected


async def _state_on(client: BaseDBAsyncClient) -> SchemaState:
    """Compare the recorded steps with the expected ones (cheap: one or two queries)."""
    expected = await expected_steps()
    done: set[str] = set()
    if RECORD_TABLE in await introspect.table_names(client):
        q = _quote(client, "name")
        rows = await client.execute_query_dict(
            f"SELECT {q} AS n FROM {_quote(client, RECORD_TABLE)} "
            f"WHERE {_quote(client, 'app')} = {_params(client, 1)[0]}",
            [APP_LABEL],
        )
        done = {str(row["n"]) for row in rows}
    applied = tuple(name for name in expected if name in done)
    applied += tuple(sorted(done - set(expected)))
    pending = tuple(name for name in expected if name not in done)
    return SchemaState(applied=applied, expected=expected, pending=pending)


async def detect_origin(client: BaseDBAsyncClient) -> str:
    """``empty``, ``one-api`` or ``new-api``: who created the tables this database holds."""
    tables = await introspect.table_names(client)
    if not {"users", "channels", "tokens"} & tables:
        return "empty"
    if "setups" in tables:
        return "new-api"
    for table, signs in _NEW_API_SIGNS.items():
        if table in tables and signs & await introspect.column_names(client, table):
            return "new-api"
    return "one-api"


def _quote(client: BaseDBAsyncClient, name: str) -> str:
    return f"`{name}`" if introspect.dialect(client) == "mysql" else f'"{name}"'


def _params(client: BaseDBAsyncClient, count: int) -> list[str]:
    kind = introspect.dialect(client)
    if kind == "mysql":
        return ["%s"] * count
    if kind == "postgres":
        return [f"${i}" for i in range(1, count + 1)]
    return ["?"] * count


async def read_meta(client: BaseDBAsyncClient, key: str) -> str | None:
    """One ``newapi_meta`` value (None when the key or the table is missing)."""
    if META_TABLE not in await introspect.table_names(client):
        return None
    q = _quote(client, "key")
    sql = (
        f"SELECT {_quote(client, 'value')} AS v FROM {_quote(client, META_TABLE)} "
        f"WHERE {q} = {_params(client, 1)[0]}"
    )
    rows = await client.execute_query_dict(sql, [key])
    return None if not rows else rows[0]["v"]


async def _put_meta_once(client: BaseDBAsyncClient, key: str, value: str) -> None:
    if await read_meta(client, key) is not None:
        return
    cols = ", ".join(_quote(client, c) for c in ("key", "value", "updated_at"))
    sql = (
        f"INSERT INTO {_quote(client, META_TABLE)} ({cols}) "
        f"VALUES ({', '.join(_params(client, 3))})"
    )
    await client.execute_insert(sql, [key, value, int(time.time())])


async def _record_origin(client: BaseDBAsyncClient, origin: str) -> None:
    numbering = NUMBERING_ONE_API if origin == "one-api" else NUMBERING_NEW_API
    await _put_meta_once(client, "db_origin", origin)
    await _put_meta_once(client, "channel_type_numbering", numbering)
