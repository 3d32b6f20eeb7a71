"""Admin: create, change, delete and test channels (gateway.toml channels are read-only)."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from newapi.admin.access import Denied, IsAdmin
from newapi.admin.channels.account import ChannelAccountMutation
from newapi.admin.channels.batch import ChannelBatchMutation
from newapi.admin.channels.types import (
    ChannelInput,
    ChannelResult,
    ChannelTestResult,
    UpdateChannelInput,
)
from newapi.admin.channels.views import from_row
from newapi.admin.results import Deleted, FieldErrors, field_errors
from newapi.auth.permissions import ROLE_ROOT
from newapi.cache.changes import Change
from newapi.config.model import NATIVE_FORMATS
from newapi.errors import InvalidRequestError
from newapi.relay.probe import test_channel
from newapi.relay.sync import announce
from newapi.store import channel_type_numbering, provider_for_channel_type
from newapi.store.queries.admin_channels import (
    ChannelRecord,
    delete_channel_row,
    insert_channel_row,
    update_channel_row,
)

__all__ = ["ChannelMutation"]

_FIELDS = (
    "name",
    "type",
    "key",
    "base_url",
    "models",
    "groups",
    "priority",
    "weight",
    "status",
    "tag",
    "test_model",
    "model_mapping",
)


def _mapping_problem(entries: list[Any]) -> str | None:
    seen = set()
    for entry in entries:
        model, upstream = entry.model.strip(), entry.upstream_model.strip()
        if not model or not upstream:
            return "model names must not be empty"
        if model in seen:
            return f"{model!r} is mapped twice"
        seen.add(model)
    return None


async def _problems(values: dict[str, Any]) -> FieldErrors | None:
    problems = []
    if "name" in values and not 0 < len(values["name"].strip()) <= 191:
        problems.append(("name", "1 to 191 characters"))
    if "key" in values and not values["key"].strip():
        problems.append(("key", "must not be empty"))
    if "status" in values and values["status"] not in (1, 2):
        problems.append(("status", "1 (enabled) or 2 (disabled)"))
    if "type" in values:
        try:
            provider_for_channel_type(int(values["type"]), await channel_type_numbering())
        except InvalidRequestError as exc:
            problems.append(("type", exc.message))
    if "groups" in values and not [g for g in values["groups"] if g.strip()]:
        problems.append(("groups", "name at least one group"))
    if "weight" in values and values["weight"] < 0:
        problems.append(("weight", "must be zero or more"))
    mapping = _mapping_problem(values.get("model_mapping") or [])
    if mapping is not None:
        problems.append(("modelMapping", mapping))
    unknown = [f for f in values.get("formats") or () if f not in NATIVE_FORMATS]
    if unknown:
        problems.append(
            ("formats", f"unknown format '{unknown[0]}'; use {', '.join(NATIVE_FORMATS)}")
        )
    return field_errors(*problems) if problems else None


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    for name in ("models", "groups"):
        if name in values:
            values[name] = [item.strip() for item in values[name] if item.strip()]
    if "priority" in values:
        values["priority"] = int(values["priority"])
    if "model_mapping" in values:
        values["model_mapping"] = [
            (e.model.strip(), e.upstream_model.strip()) for e in values["model_mapping"]
        ]
    if values.get("formats") is not None:
        values["formats"] = list(dict.fromkeys(values["formats"]))
    return values


async def _after_write(info: Info[Any, Any], row: ChannelRecord, *, enabled: bool = False) -> Any:
    relay = info.context.relay
    await announce(relay, Change(channels=True, enabled_channels=(row.id,) if enabled else ()))
    return from_row(row, relay.table.by_id.get(row.id), root=info.context.user.role >= ROLE_ROOT)


def _refuse_config(channel_id: int) -> None:
    if channel_id < 0:
        raise Denied("gateway.toml channels are read-only; edit the file", "read_only")


@strawberry.type
class ChannelMutation(ChannelBatchMutation, ChannelAccountMutation):
    """Channel CRUD and tests; batch and upstream-account operations come from the bases."""

    @strawberry.mutation(permission_classes=[IsAdmin])
    async def create_channel(self, info: Info[Any, Any], input: ChannelInput) -> ChannelResult:
        values = {name: getattr(input, name) for name in _FIELDS}
        if input.formats is not None:
            values["formats"] = input.formats
        refused = await _problems(values)
        if refused is not None:
            return refused
        return await _after_write(info, await insert_channel_row(_clean(values)))

    @strawberry.mutation(permission_classes=[IsAdmin])
    async def update_channel(
        self, info: Info[Any, Any], input: UpdateChannelInput
    ) -> ChannelResult:
        _refuse_config(input.id)
        values = {
            name: getattr(input, name)
            for name in _FIELDS
            if getattr(input, name) not in (strawberry.UNSET, None)
        }
        if input.formats is not strawberry.UNSET:
            values["formats"] = input.formats  # None: back to the provider's
        refused = await _problems(values)
        if refused is not None:
            return refused
        row = await update_channel_row(input.id, _clean(values))
        return await _after_write(info, row, enabled=values.get("status") == 1)

    @strawberry.mutation(permission_classes=[IsAdmin])
    async def delete_channel(self, info: Info[Any, Any], id: int) -> Deleted:
        _refuse_config(id)
        if not await delete_channel_row(id):
            raise Denied(f"channel {id} does not exist", "not_found")
        await announce(info.context.relay, Change(channels=True))
        return Deleted(id=id, deleted=True)

    @strawberry.mutation(
        permission_classes=[IsAdmin],
        description="Send a small real request through the relay to one channel (not billed).",
    )
    async def test_channel(
        self, info: Info[Any, Any], id: int, model: str | None = None, stream: bool = False
    ) -> ChannelTestResult:
        result = await test_channel(info.context.relay, id, model, stream)
        usage = result.usage
        return ChannelTestResult(
            ok=result.ok,
            channel_id=result.channel_id,
            model=result.model,
            stream=result.stream,
            status=result.status,
            latency_ms=result.latency_ms,
            first_byte_ms=result.first_byte_ms,
            prompt_tokens=usage.prompt_tokens if usage is not None else None,
            completion_tokens=usage.completion_tokens if usage is not None else None,
            reply=result.reply,
            error=result.error,
        )
