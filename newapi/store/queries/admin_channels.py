"""Channel queries for the GraphQL admin: the ``channels`` rows and their ``abilities``.

Writes rebuild the channel's ability rows (one per group and model) like One API does; the
relay picks the change up on its next reload.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import orjson
from tortoise.transactions import in_transaction

from newapi.errors import NotFoundError
from newapi.store.db import CONNECTION, guard_db
from newapi.store.models import Ability, Channel

__all__ = [
    "ChannelRecord",
    "delete_channel_row",
    "insert_channel_row",
    "list_channel_rows",
    "update_channel_row",
]


@dataclass(frozen=True, slots=True)
class ChannelRecord:
    id: int
    type: int
    name: str
    key: str
    status: int
    base_url: str
    models: tuple[str, ...]
    groups: tuple[str, ...]
    priority: int
    weight: int
    tag: str
    test_model: str
    created_time: int
    response_time: int
    used_quota: int


def _split(text: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (text or "").split(",") if part.strip())


def _record(row: Channel) -> ChannelRecord:
    return ChannelRecord(
        id=row.id,
        type=int(row.type or 0),
        name=row.name or "",
        key=row.key or "",
        status=int(row.status or 0),
        base_url=row.base_url or "",
        models=_split(row.models),
        groups=_split(row.group) or ("default",),
        priority=int(row.priority or 0),
        weight=int(row.weight or 0),
        tag=row.tag or "",
        test_model=row.test_model or "",
        created_time=int(row.created_time or 0),
        response_time=int(row.response_time or 0),
        used_quota=int(row.used_quota or 0),
    )


def _with_formats(setting: str | None, formats: list[str] | None) -> str:
    """The row's ``setting`` JSON with ``formats`` set (None: removed), other keys kept."""
    try:
        current = orjson.loads(setting or "{}")
    except orjson.JSONDecodeError:
        current = {}
    if not isinstance(current, dict):
        current = {}
    if formats is None:
        current.pop("formats", None)
    else:
        current["formats"] = formats
    return orjson.dumps(current).decode()


def _columns(values: dict[str, Any]) -> dict[str, Any]:
    out = dict(values)
    out.pop("formats", None)  # kept in ``setting`` (_with_formats)
    if "models" in out:
        out["models"] = ",".join(out["models"])
    if "groups" in out:
        out["group"] = ",".join(out.pop("groups")) or "default"
    return out


async def _write_abilities(row: Channel, connection: Any) -> None:
    await Ability.filter(channel_id=row.id).using_db(connection).delete()
    abilities = [
        Ability(
            group=group,
            model=model,
            channel_id=row.id,
            enabled=int(row.status or 0) == 1,
            priority=row.priority or 0,
            weight=row.weight or 0,
            tag=row.tag,
        )
        for group in _split(row.group) or ("default",)
        for model in _split(row.models)
    ]
    if abilities:
        await Ability.bulk_create(abilities, using_db=connection)


@guard_db
async def list_channel_rows(search: str = "") -> list[ChannelRecord]:
    """Every channel row, by id; ``search`` matches the name."""
    query = Channel.all()
    if search.strip():
        query = query.filter(name__icontains=search.strip())
    return [_record(row) for row in await query.order_by("id")]


@guard_db
async def insert_channel_row(values: dict[str, Any], *, now: int | None = None) -> ChannelRecord:
    """Create a channel and its abilities from validated ``values``."""
    columns = _columns(values)
    columns["created_time"] = int(time.time()) if now is None else now
    if values.get("formats") is not None:
        columns["setting"] = _with_formats(None, values["formats"])
    async with in_transaction(CONNECTION) as connection:
        row = await Channel.create(using_db=connection, **columns)
        await _write_abilities(row, connection)
    return _record(row)


@guard_db
async def update_channel_row(channel_id: int, values: dict[str, Any]) -> ChannelRecord:
    """Change a channel (validated ``values``) and rebuild its abilities."""
    columns = _columns(values)
    async with in_transaction(CONNECTION) as connection:
        row = await Channel.filter(id=channel_id).using_db(connection).first()
        if row is None:
            raise NotFoundError(f"channel {channel_id} does not exist", code="channel_not_found")
        if "formats" in values:
            columns["setting"] = _with_formats(row.setting, values["formats"])
        if columns:
            await Channel.filter(id=channel_id).using_db(connection).update(**columns)
            row = await Channel.get(id=channel_id).using_db(connection)
        await _write_abilities(row, connection)
    return _record(row)


@guard_db
async def delete_channel_row(channel_id: int) -> bool:
    """Delete a channel and its abilities; False when there is no such channel."""
    async with in_transaction(CONNECTION) as connection:
        count = await Channel.filter(id=channel_id).using_db(connection).delete()
        await Ability.filter(channel_id=channel_id).using_db(connection).delete()
    return bool(count)
