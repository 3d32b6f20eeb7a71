"""Admin: change many channels at once, by ids or by tag (New API's batch and tag operations).

gateway.toml channels are never changed: they are reported in ``skipped`` with the reason, as
are ids that do not exist. Each operation writes in one transaction and reloads the relay's
channels once, so this node routes by the new state as soon as the mutation returns.
"""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from newapi.admin.access import IsAdmin
from newapi.admin.channels.types import ChannelBatchResult, EditChannelTagInput, SkippedChannel
from newapi.cache.changes import Change
from newapi.errors import InvalidRequestError
from newapi.relay.catalog import config_channels
from newapi.relay.sync import announce
from newapi.store.queries.admin_channels import (
    channel_ids_by_tag,
    delete_channel_rows,
    disabled_channel_ids,
    update_channels,
)

__all__ = ["MAX_BATCH", "ChannelBatchMutation"]

MAX_BATCH = 1000
READ_ONLY = "gateway.toml channel (read-only; edit the file)"
MISSING = "no such channel"
STATUS_ENABLED, STATUS_DISABLED = 1, 2


def _ids(ids: list[int]) -> tuple[list[int], list[SkippedChannel]]:
    """The database ids among ``ids`` (deduplicated) and the gateway.toml ones, skipped."""
    if len(ids) > MAX_BATCH:
        raise InvalidRequestError(f"at most {MAX_BATCH} channels at once", param="ids")
    unique = sorted(set(ids))
    skipped = [SkippedChannel(id=i, reason=READ_ONLY) for i in unique if i < 0]
    return [i for i in unique if i >= 0], skipped


def _missing(wanted: list[int], found: list[int]) -> list[SkippedChannel]:
    present = set(found)
    return [SkippedChannel(id=i, reason=MISSING) for i in wanted if i not in present]


def _file_channels_tagged(info: Info[Any, Any], tag: str) -> list[SkippedChannel]:
    declared = config_channels(info.context.relay.config)
    return [
        SkippedChannel(id=c.id, reason=READ_ONLY)
        for c in sorted(declared, key=lambda c: c.id)
        if (c.tag or "") == tag
    ]


async def _apply(info: Info[Any, Any], changed: list[int], enabled: bool | None) -> None:
    """Every process reloads; a manual enable puts the channels back into rotation, keys and all."""
    if changed:
        reenabled = tuple(changed) if enabled else ()
        await announce(info.context.relay, Change(channels=True, enabled_channels=reenabled))


def _tag(tag: str) -> str:
    tag = tag.strip()
    if len(tag) > 191:
        raise InvalidRequestError("a tag has at most 191 characters", param="tag")
    return tag


@strawberry.type
class ChannelBatchMutation:
    @strawberry.mutation(permission_classes=[IsAdmin], description="Enable or disable channels.")
    async def set_channels_status(
        self, info: Info[Any, Any], ids: list[int], enabled: bool
    ) -> ChannelBatchResult:
        wanted, skipped = _ids(ids)
        status = STATUS_ENABLED if enabled else STATUS_DISABLED
        changed = await update_channels(wanted, {"status": status})
        await _apply(info, changed, enabled)
        return ChannelBatchResult(changed=changed, skipped=skipped + _missing(wanted, changed))

    @strawberry.mutation(permission_classes=[IsAdmin], description="Delete channels.")
    async def delete_channels(self, info: Info[Any, Any], ids: list[int]) -> ChannelBatchResult:
        wanted, skipped = _ids(ids)
        changed = await delete_channel_rows(wanted)
        await _apply(info, changed, None)
        return ChannelBatchResult(changed=changed, skipped=skipped + _missing(wanted, changed))

    @strawberry.mutation(
        permission_classes=[IsAdmin],
        description="Delete every disabled database channel (New API's purge).",
    )
    async def delete_disabled_channels(self, info: Info[Any, Any]) -> ChannelBatchResult:
        changed = await delete_channel_rows(await disabled_channel_ids())
        await _apply(info, changed, None)
        return ChannelBatchResult(changed=changed, skipped=[])

    @strawberry.mutation(
        permission_classes=[IsAdmin], description='Tag channels ("" removes their tag).'
    )
    async def set_channels_tag(
        self, info: Info[Any, Any], ids: list[int], tag: str
    ) -> ChannelBatchResult:
        wanted, skipped = _ids(ids)
        changed = await update_channels(wanted, {"tag": _tag(tag) or None})
        await _apply(info, changed, None)
        return ChannelBatchResult(changed=changed, skipped=skipped + _missing(wanted, changed))

    @strawberry.mutation(
        permission_classes=[IsAdmin], description="Enable or disable every channel of a tag."
    )
    async def set_tag_status(
        self, info: Info[Any, Any], tag: str, enabled: bool
    ) -> ChannelBatchResult:
        tag = _tag(tag)
        if not tag:
            raise InvalidRequestError("name a tag", param="tag")
        status = STATUS_ENABLED if enabled else STATUS_DISABLED
        changed = await update_channels(await channel_ids_by_tag(tag), {"status": status})
        await _apply(info, changed, enabled)
        return ChannelBatchResult(changed=changed, skipped=_file_channels_tagged(info, tag))

    @strawberry.mutation(
        permission_classes=[IsAdmin],
        description="Rename a tag and/or set the priority and weight of all its channels.",
    )
    async def edit_channel_tag(
        self, info: Info[Any, Any], input: EditChannelTagInput
    ) -> ChannelBatchResult:
        tag = _tag(input.tag)
        if not tag:
            raise InvalidRequestError("name a tag", param="tag")
        values: dict[str, Any] = {}
        if input.new_tag not in (strawberry.UNSET, None):
            values["tag"] = _tag(input.new_tag) or None
        if input.priority not in (strawberry.UNSET, None):
            values["priority"] = int(input.priority)
        if input.weight not in (strawberry.UNSET, None):
            if input.weight < 0:
                raise InvalidRequestError("weight must be zero or more", param="weight")
            values["weight"] = input.weight
        ids = await channel_ids_by_tag(tag)
        changed = await update_channels(ids, values) if values else []
        await _apply(info, changed, None)
        return ChannelBatchResult(changed=changed, skipped=_file_channels_tagged(info, tag))
