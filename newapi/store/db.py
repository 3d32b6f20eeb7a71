"""The store's connection lifecycle: open and close for the CLI, registration for the Sanic app.

Follows NOTES-deps §3: tortoise 1.x keeps its state in a contextvar, so the store is opened with
tortoise's global fallback (request handlers run in other tasks than the listener that opened
it); connections are closed when the server stops (an open aiosqlite thread would keep the
process alive); schemas are never generated here (``newapi.store.migrate`` owns the schema);
and tortoise's per-connection-name SQL cache is cleared on every open, so a process that
switches backends never sends one dialect's SQL to another.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any, ParamSpec, TypeVar

from tortoise import Tortoise
from tortoise.backends.base import executor as tortoise_executor
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.context import get_current_context

from newapi.errors import GatewayError, StoreError
from newapi.store.dsn import ensure_sqlite_parent, redact_url, scrub_secret, to_tortoise_url

__all__ = [
    "APP_LABEL",
    "CONNECTION",
    "close_db",
    "connection",
    "guard_db",
    "open_db",
    "register_store",
    "tortoise_config",
]

log = logging.getLogger(__name__)

APP_LABEL = "newapi"
CONNECTION = "default"
MODELS_MODULE = "newapi.store.models"
MIGRATIONS_MODULE = "newapi.store.migrations"


def tortoise_config(url: str, *, with_models: bool = True) -> dict[str, Any]:
    """The tortoise config for ``url`` (any accepted form); ``with_models=False`` for migrations."""
    return {
        "connections": {CONNECTION: to_tortoise_url(url)},
        "apps": {
            APP_LABEL: {
                "models": [MODELS_MODULE if with_models else MIGRATIONS_MODULE],
                "default_connection": CONNECTION,
                "migrations": MIGRATIONS_MODULE,
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


async def open_db(url: str) -> None:
    """Connect to ``url`` (closing any store opened before) and check that it answers.

    Raises:
        StoreError: the database cannot be reached; the message names the location without
            its password.
    """
    await close_db()
    tortoise_url = to_tortoise_url(url)
    ensure_sqlite_parent(tortoise_url)
    tortoise_executor.EXECUTOR_CACHE.clear()
    try:
        await Tortoise.init(config=tortoise_config(tortoise_url), _enable_global_fallback=True)
        await connection().execute_query("SELECT 1")
    except StoreError:
        raise
    except Exception as exc:
        await close_db()
        reason = scrub_secret(str(exc) or type(exc).__name__, tortoise_url)
        raise StoreError(
            f"cannot open the database {redact_url(tortoise_url)}: {reason}", detail=reason
        ) from None
    log.info("database %s opened", redact_url(tortoise_url))


async def close_db() -> None:
    """Close the store's connections (safe to call when nothing is open)."""
    ctx = get_current_context()
    if ctx is None:
        return
    try:
        await ctx.close_connections()
    except Exception as exc:  # closing must never mask the error that led here
        log.warning("closing the database failed: %s", type(exc).__name__)


def connection() -> BaseDBAsyncClient:
    """The open store's connection.

    Raises:
        StoreError: no store is open in this process.
    """
    ctx = get_current_context()
    if ctx is None or not ctx.inited:
        raise StoreError("the database is not open", detail="open_db() was not called")
    try:
        return ctx.db(CONNECTION)
    except Exception as exc:
        raise StoreError("the database is not open", detail=type(exc).__name__) from None


def register_store(app: Any, url: str) -> None:
    """Open the store in every Sanic worker before it serves and close it after it stops.

    ``app`` is a ``sanic.Sanic``; this module does not import sanic so that the store stays
    usable without it. The schema is not touched: run ``newapi db migrate`` (or the CLI's
    start-up check) first.
    """

    async def _open_store(app: Any) -> None:
        await open_db(url)

    async def _close_store(app: Any) -> None:
        await close_db()

    app.register_listener(_open_store, "before_server_start")
    app.register_listener(_close_store, "after_server_stop")


P = ParamSpec("P")
R = TypeVar("R")


def guard_db(func: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[R]]:
    """Decorate a query so driver and tortoise failures leave it as ``StoreError``.

    ``GatewayError`` subclasses (a duplicate name, an unknown user) pass through unchanged.
    """

    @functools.wraps(func)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return await func(*args, **kwargs)
        except GatewayError:
            raise
        except Exception as exc:
            log.warning("database query %s failed: %s", func.__name__, type(exc).__name__)
            raise StoreError(
                "the database is unavailable", detail=f"{func.__name__}: {exc}"
            ) from exc

    return wrapper
