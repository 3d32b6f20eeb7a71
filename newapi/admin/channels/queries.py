"""Admin: every channel, from the database and from gateway.toml."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from newapi.admin.access import IsAdmin
from newapi.admin.channels.types import Channel
from newapi.admin.channels.views import from_config, from_row
from newapi.auth.permissions import ROLE_ROOT
from newapi.store.queries.admin_channels import list_channel_rows

__all__ = ["ChannelQuery", "all_channels"]


async def all_channels(info: Info[Any, Any], search: str = "") -> list[Channel]:
    context = info.context
    root = context.user.role >= ROLE_ROOT
    loaded = context.relay.table.by_id
    rows = await list_channel_rows(search)
    found = [from_row(row, loaded.get(row.id), root=root) for row in rows]
    needle = search.strip().lower()
    config = [
        from_config(channel, root=root)
        for channel in loaded.values()
        if channel.source == "config" and needle in channel.name.lower()
    ]
    return sorted(config, key=lambda c: c.name) + found


@strawberry.type
class ChannelQuery:
    @strawberry.field(permission_classes=[IsAdmin])
    async def channels(self, info: Info[Any, Any], search: str = "") -> list[Channel]:
        return await all_channels(info, search)

    @strawberry.field(permission_classes=[IsAdmin])
    async def channel(self, info: Info[Any, Any], id: int) -> Channel | None:
        for channel in await all_channels(info):
            if channel.id == id:
                return channel
        return None
