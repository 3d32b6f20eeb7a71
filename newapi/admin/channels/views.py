"""Turn channel rows and the relay's gateway.toml channels into the ``Channel`` type."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from newapi.admin.channels.types import Channel, ModelMapping
from newapi.admin.results import BigInt
from newapi.store.queries.admin_channels import ChannelRecord

__all__ = ["from_config", "from_row", "mask_channel_key"]


def mask_channel_key(key: str, *, root: bool) -> str:
    """Each key line as ``abcd****wxyz`` (root sees the keys)."""
    if root:
        return key
    lines = [line.strip() for line in key.splitlines() if line.strip()]
    return "\n".join(f"{line[:4]}****{line[-4:]}" if len(line) > 12 else "****" for line in lines)


def from_row(
    row: ChannelRecord, loaded: Any, *, root: bool, disabled_reason: str | None = None
) -> Channel:
    return Channel(
        id=row.id,
        name=row.name,
        source="db",
        read_only=False,
        type=row.type,
        provider=loaded.provider.name if loaded is not None else None,
        base_url=row.base_url,
        key=mask_channel_key(row.key, root=root),
        models=list(row.models),
        groups=list(row.groups),
        priority=BigInt(row.priority),
        weight=row.weight,
        enabled=row.status == 1,
        status=row.status,
        tag=row.tag,
        test_model=row.test_model,
        model_mapping=[ModelMapping(model=m, upstream_model=u) for m, u in row.model_mapping],
        balance=Decimal(str(row.balance)),
        balance_updated_time=BigInt(row.balance_updated_time),
        loaded=loaded is not None,
        auto_disabled=disabled_reason,
        formats=list(loaded.formats) if loaded is not None else [],
    )


def from_config(
    channel: Any, *, root: bool, loaded: bool = True, disabled_reason: str | None = None
) -> Channel:
    """A gateway.toml channel (a ``newapi.relay.channels.Channel``)."""
    return Channel(
        id=channel.id,
        name=channel.name,
        source="config",
        read_only=True,
        type=None,
        provider=channel.provider.name,
        base_url=channel.base_url,
        key=mask_channel_key("\n".join(channel.keys), root=root),
        models=list(channel.models),
        groups=list(channel.groups),
        priority=BigInt(channel.priority),
        weight=channel.weight,
        enabled=channel.enabled,
        status=1 if channel.enabled else 2,
        tag=channel.tag or "",
        test_model=channel.test_model or "",
        model_mapping=[
            ModelMapping(model=m, upstream_model=u) for m, u in channel.model_mapping.items()
        ],
        balance=None,
        balance_updated_time=BigInt(0),
        loaded=loaded,
        auto_disabled=disabled_reason,
        formats=list(channel.formats) if loaded else [],
    )
