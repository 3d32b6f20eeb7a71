"""DataLoaders, created per request by ``context.py``: one query for all rows of a list."""

from __future__ import annotations

from dataclasses import dataclass, field

from strawberry.dataloader import DataLoader

from newapi.store.queries.admin_logs import channel_names_by_ids
from newapi.store.queries.admin_users import Account, accounts_by_ids

__all__ = ["Loaders"]


async def _load_users(ids: list[int]) -> list[Account | None]:
    found = await accounts_by_ids(list(ids))
    return [found.get(user_id) for user_id in ids]


async def _load_channel_names(ids: list[int]) -> list[str | None]:
    found = await channel_names_by_ids(list(ids))
    return [found.get(channel_id) for channel_id in ids]


@dataclass
class Loaders:
    """The loaders of one request (never shared: they cache)."""

    user_by_id: DataLoader[int, Account | None] = field(
        default_factory=lambda: DataLoader(load_fn=_load_users)
    )
    channel_name_by_id: DataLoader[int, str | None] = field(
        default_factory=lambda: DataLoader(load_fn=_load_channel_names)
    )
