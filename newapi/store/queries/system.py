"""Store-wide queries: liveness, settings (``options``), first-start state and database facts."""

from __future__ import annotations

import logging

from newapi.store.db import connection, guard_db
from newapi.store.migrate import NUMBERING_NEW_API, read_meta
from newapi.store.models import Option, Setup, User
from newapi.store.models.users import ROLE_ROOT

__all__ = ["channel_type_numbering", "load_options", "ping", "setup_done"]

log = logging.getLogger(__name__)


async def ping() -> bool:
    """Whether the open store answers ``SELECT 1`` (False when closed or unreachable)."""
    try:
        await connection().execute_query("SELECT 1")
    except Exception as exc:
        log.warning("database ping failed: %s", type(exc).__name__)
        return False
    return True


@guard_db
async def load_options() -> dict[str, str]:
    """Every row of ``options`` as ``{key: value}`` (NULL values read as '')."""
    rows = await Option.all().values_list("key", "value")
    return {str(key): "" if value is None else str(value) for key, value in rows}


@guard_db
async def setup_done() -> bool:
    """New API's setup state: a ``setups`` row exists, or a root user does (One API DBs)."""
    if await Setup.exists():
        return True
    return await User.filter(role=ROLE_ROOT, deleted_at__isnull=True).exists()


@guard_db
async def channel_type_numbering() -> str:
    """``one-api`` or ``new-api``: how this database numbers ``channels.type``.

    Recorded by the first migration; a database without the record uses New API's numbering.
    """
    return await read_meta(connection(), "channel_type_numbering") or NUMBERING_NEW_API
