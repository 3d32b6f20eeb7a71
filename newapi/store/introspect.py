"""What a live database already holds: tables, columns and indexes, on SQLite, PostgreSQL and MySQL.

The migration steps use this to adopt a schema that another program (One API, New API, or an
earlier newapi) created: a table, column or index that already exists is left alone.
Names are compared in lower case (MySQL may report them in either case).
"""

from __future__ import annotations

from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from newapi.errors import StoreError

__all__ = ["column_names", "dialect", "index_columns", "table_names"]

_PG_INDEXES = """
SELECT ic.relname AS name, a.attname AS col, k.ord AS pos
FROM pg_index ix
JOIN pg_class t ON t.oid = ix.indrelid
JOIN pg_class ic ON ic.oid = ix.indexrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
CROSS JOIN LATERAL unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord)
JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
WHERE n.nspname = current_schema() AND t.relname = $1
ORDER BY ic.relname, k.ord
"""

_MYSQL_INDEXES = (
    "SELECT index_name AS name, column_name AS col, seq_in_index AS pos "
    "FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = %s "
    "ORDER BY index_name, seq_in_index"
)


def dialect(client: BaseDBAsyncClient) -> str:
    """``sqlite``, ``postgres`` or ``mysql``."""
    return str(client.capabilities.dialect)


async def _rows(client: BaseDBAsyncClient, sql: str, values: list[Any] | None = None) -> list[dict]:
    return [dict(row) for row in await client.execute_query_dict(sql, values)]


def _lower_keys(row: dict) -> dict:
    return {str(key).lower(): value for key, value in row.items()}


async def table_names(client: BaseDBAsyncClient) -> set[str]:
    """The tables of the connected database (current schema on PostgreSQL)."""
    kind = dialect(client)
    if kind == "sqlite":
        sql = "SELECT name FROM sqlite_master WHERE type = 'table'"
    elif kind == "postgres":
        sql = (
            "SELECT table_name AS name FROM information_schema.tables "
            "WHERE table_schema = current_schema()"
        )
    else:
        sql = (
            "SELECT table_name AS name FROM information_schema.tables "
            "WHERE table_schema = DATABASE()"
        )
    return {str(_lower_keys(row)["name"]).lower() for row in await _rows(client, sql)}


async def column_names(client: BaseDBAsyncClient, table: str) -> set[str]:
    """The columns of ``table`` (empty when the table does not exist)."""
    kind = dialect(client)
    if kind == "sqlite":
        rows = await _rows(client, f'PRAGMA table_info("{_plain(table)}")')
    elif kind == "postgres":
        rows = await _rows(
            client,
            "SELECT column_name AS name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = $1",
            [table],
        )
    else:
        rows = await _rows(
            client,
            "SELECT column_name AS name FROM information_schema.columns "
            "WHERE table_schema = DATABASE() AND table_name = %s",
            [table],
        )
    return {str(_lower_keys(row)["name"]).lower() for row in rows}


async def index_columns(client: BaseDBAsyncClient, table: str) -> dict[str, tuple[str, ...]]:
    """Every index of ``table`` (primary key and unique ones included): name -> columns."""
    kind = dialect(client)
    if kind == "sqlite":
        return await _sqlite_indexes(client, table)
    if kind == "postgres":
        rows = await _rows(client, _PG_INDEXES, [table])
    else:
        rows = await _rows(client, _MYSQL_INDEXES, [table])
    found: dict[str, list[tuple[int, str]]] = {}
    for raw in rows:
        row = _lower_keys(raw)
        found.setdefault(str(row["name"]).lower(), []).append((int(row["pos"]), str(row["col"])))
    return {name: tuple(col.lower() for _, col in sorted(cols)) for name, cols in found.items()}


async def _sqlite_indexes(client: BaseDBAsyncClient, table: str) -> dict[str, tuple[str, ...]]:
    result: dict[str, tuple[str, ...]] = {}
    for row in await _rows(client, f'PRAGMA index_list("{_plain(table)}")'):
        name = str(row["name"])
        info = await _rows(client, f'PRAGMA index_info("{_plain(name)}")')
        cols = [str(item["name"]).lower() for item in sorted(info, key=lambda r: r["seqno"])]
        result[name.lower()] = tuple(cols)
    pk = [
        (int(row["pk"]), str(row["name"]).lower())
        for row in await _rows(client, f'PRAGMA table_info("{_plain(table)}")')
        if row["pk"]
    ]
    if pk:
        result.setdefault("primary", tuple(name for _, name in sorted(pk)))
    return result


def _plain(name: str) -> str:
    """Refuse identifiers that would need escaping (ours never do)."""
    if not name.replace("_", "").isalnum():
        raise StoreError("unexpected identifier in the schema", detail=repr(name))
    return name
