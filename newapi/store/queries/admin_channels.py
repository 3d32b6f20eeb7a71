"""Channel queries for the GraphQL admin: the ``channels`` rows and their ``abilities``.

Writes rebuild the channel's ability rows (one per group and model) like One API does; batch
writes of status, priority, weight or tag change the mirrored ability columns in the same
transaction. The relay picks the change up on its next reload.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import orjson
from tortoise.transactions import in_transaction

from newapi.errors import InvalidRequestError, NotFoundError
from newapi.store.db import CONNECTION, guard_db
from newapi.store.models import Ability, Channel

__all__ = [
    "ChannelRecord",
    "channel_ids_by_tag",
    "delete_channel_row",
    "delete_channel_rows",
    "disabled_channel_ids",
    "insert_channel_row",
    "list_channel_rows",
    "record_channel_balance",
    "update_channel_row",
    "update_channels",
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
    balance: float
    balance_updated_time: int
    model_mapping: tuple[tuple[str, str], ...]


def _mapping(text: str | None) -> tuple[tuple[str, str], ...]:
    try:
        value = orjson.loads(text) if text else {}
    except orjson.JSONDecodeError:
        return ()
    if not isinstance(value, dict):
        return ()
    return tuple((str(k), str(v)) for k, v in value.items() if isinstance(v, str))


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
        balance=float(row.balance or 0),
        balance_updated_time=int(row.balance_updated_time or 0),
        model_mapping=_mapping(row.model_mapping),
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
    if "model_mapping" in out:
        pairs = out["model_mapping"]
        out["model_mapping"] = orjson.dumps(dict(pairs)).decode() if pairs else ""
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
async def list_channel_rows() -> list[ChannelRecord]:
    """Every channel row, by id."""
    return [_record(row) for row in await Channel.all().order_by("id")]


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


# Channel columns that abilities copy (channel column -> ability column).
_MIRRORED = {"status": "enabled", "priority": "priority", "weight": "weight", "tag": "tag"}


@guard_db
async def disabled_channel_ids() -> list[int]:
    """The ids of the channel rows disabled manually (2) or automatically (3)."""
    return sorted(await Channel.filter(status__in=(2, 3)).values_list("id", flat=True))


@guard_db
async def channel_ids_by_tag(tag: str) -> list[int]:
    """The ids of the channel rows tagged ``tag``, ascending."""
    return sorted(await Channel.filter(tag=tag).values_list("id", flat=True))


@guard_db
async def update_channels(ids: list[int], values: dict[str, Any]) -> list[int]:
    """Set ``values`` (status, priority, weight, tag) on the rows ``ids`` and their abilities.

    Returns the ids that exist (and were changed), ascending; three statements in all.
    """
    unknown = set(values) - set(_MIRRORED)
    if unknown:
        raise InvalidRequestError(f"not a batch column: {sorted(unknown)}")
    abilities = {_MIRRORED[name]: value for name, value in values.items()}
    if "enabled" in abilities:
        abilities["enabled"] = values["status"] == 1
    async with in_transaction(CONNECTION) as connection:
        found = sorted(
            await Channel.filter(id__in=sorted(set(ids)))
            .using_db(connection)
            .values_list("id", flat=True)
        )
        if found and values:
            await Channel.filter(id__in=found).using_db(connection).update(**values)
            await Ability.filter(channel_id__in=found).using_db(connection).update(**abilities)
    return found


@guard_db
async def delete_channel_rows(ids: list[int]) -> list[int]:
    """Delete the rows ``ids`` and their abilities; returns the ids that existed."""
    async with in_transaction(CONNECTION) as connection:
        found = sorted(
            await Channel.filter(id__in=sorted(set(ids)))
            .using_db(connection)
            .values_list("id", flat=True)
        )
        if found:
            await Channel.filter(id__in=found).using_db(connection).delete()
            await Ability.filter(channel_id__in=found).using_db(connection).delete()
    return found


@guard_db
async def record_channel_balance(channel_id: int, balance: float, now: int) -> bool:
    """Store a balance read from the upstream; False when the row is gone."""
    count = await Channel.filter(id=channel_id).update(
        balance=balance, balance_updated_time=now
    )
    return bool(count)
