"""Writing the ``options`` table (New API's key/value settings); reading is ``load_options``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from tortoise.transactions import in_transaction

from newapi.store.db import CONNECTION, guard_db
from newapi.store.models import Option

__all__ = ["save_options"]


@guard_db
async def save_options(values: Mapping[str, str], remove: Iterable[str] = ()) -> None:
    """Set every ``key`` to its ``value`` and delete the ``remove`` rows, in one transaction."""
    removed = list(remove)
    async with in_transaction(CONNECTION) as connection:
        if removed:
            await Option.filter(key__in=removed).using_db(connection).delete()
        for key, value in values.items():
            updated = await Option.filter(key=key).using_db(connection).update(value=value)
            if not updated:
                await Option.create(key=key, value=value, using_db=connection)
