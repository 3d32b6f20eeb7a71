"""Admin: every channel, from the database and from gateway.toml, with New API's list filters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import strawberry
from strawberry.types import Info

from newapi.admin.access import IsAdmin
from newapi.admin.channels.types import Channel
from newapi.admin.channels.views import from_config, from_row
from newapi.auth.permissions import ROLE_ROOT
from newapi.relay.catalog import config_channels
from newapi.store.queries.admin_channels import list_channel_rows

__all__ = ["ChannelFilter", "ChannelQuery", "all_channels"]


@dataclass(frozen=True, slots=True)
class ChannelFilter:
    """``search`` matches the id, or a part of the name or base URL; the rest match exactly."""

    search: str = ""
    tag: str | None = None
    enabled: bool | None = None
    group: str | None = None
    model: str | None = None
    type: int | None = None

    def matches(self, channel: Channel) -> bool:
        needle = self.search.strip().lower()
        if needle and not (
            needle == str(channel.id)
            or needle in channel.name.lower()
            or needle in channel.base_url.lower()
        ):
            return False
        return (
            (self.tag is None or channel.tag == self.tag)
            and (self.enabled is None or channel.enabled == self.enabled)
            and (self.group is None or self.group in channel.groups)
            and (self.model is None or self.model in channel.models)
            and (self.type is None or channel.type == self.type)
        )


async def all_channels(info: Info[Any, Any], wanted: ChannelFilter | None = None) -> list[Channel]:
    """gateway.toml channels by name, then database channels by id."""
    context = info.context
    root = context.user.role >= ROLE_ROOT
    relay = context.relay
    loaded, reasons = relay.table.by_id, relay.disabled
    found = [
        from_row(row, loaded.get(row.id), root=root, disabled_reason=reasons.get(row.id))
        for row in await list_channel_rows()
    ]
    config = [  # from the config itself: an auto-disabled channel is not in the routing table
        from_config(
            channel,
            root=root,
            loaded=channel.id in loaded,
            disabled_reason=reasons.get(channel.id),
        )
        for channel in config_channels(relay.config)
    ]
    channels = sorted(config, key=lambda c: c.name) + found
    return channels if wanted is None else [c for c in channels if wanted.matches(c)]


@strawberry.type
class ChannelQuery:
    @strawberry.field(
        permission_classes=[IsAdmin],
        description="search: the id, or part of the name or base URL; other filters exact "
        "(type: One API channel type, db channels only).",
    )
    async def channels(
        self,
        info: Info[Any, Any],
        search: str = "",
        tag: str | None = None,
        enabled: bool | None = None,
        group: str | None = None,
        model: str | None = None,
        type: int | None = None,
    ) -> list[Channel]:
        wanted = ChannelFilter(search, tag, enabled, group, model, type)
        return await all_channels(info, wanted)

    @strawberry.field(permission_classes=[IsAdmin])
    async def channel(self, info: Info[Any, Any], id: int) -> Channel | None:
        for channel in await all_channels(info):
            if channel.id == id:
                return channel
        return None
