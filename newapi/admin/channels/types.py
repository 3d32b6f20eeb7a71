"""Channels: database rows (editable) and gateway.toml channels (read-only) in one list."""

from __future__ import annotations

from typing import Annotated

import strawberry

from newapi.admin.results import BigInt, FieldErrors

__all__ = [
    "Channel",
    "ChannelInput",
    "ChannelResult",
    "ChannelTestResult",
    "UpdateChannelInput",
]


@strawberry.type
class Channel:
    id: int = strawberry.field(description="gateway.toml channels have negative ids.")
    name: str
    source: str = strawberry.field(description="db or config")
    read_only: bool = strawberry.field(description="true for gateway.toml channels")
    type: int | None = strawberry.field(description="One API channel type (db channels)")
    provider: str | None
    base_url: str
    key: str = strawberry.field(description="Masked unless the caller is root.")
    models: list[str]
    groups: list[str]
    priority: BigInt
    weight: int
    enabled: bool
    status: int
    tag: str
    test_model: str
    loaded: bool = strawberry.field(description="Whether the relay is routing to it now.")
    formats: list[str] = strawberry.field(
        description="Formats the loaded channel speaks natively, its provider's first; others "
        "are converted to the first (docs/formats.md). Empty when not loaded."
    )


@strawberry.type
class ChannelTestResult:
    ok: bool
    channel_id: int
    model: str
    stream: bool
    status: int | None
    latency_ms: int
    first_byte_ms: int | None
    prompt_tokens: int | None
    completion_tokens: int | None
    reply: str
    error: str | None


@strawberry.input
class ChannelInput:
    name: str
    type: int
    key: str
    base_url: str = ""
    models: list[str] = strawberry.field(default_factory=list)
    groups: list[str] = strawberry.field(default_factory=lambda: ["default"])
    priority: BigInt = BigInt(0)
    weight: int = 0
    status: int = 1
    tag: str = ""
    test_model: str = ""
    formats: list[str] | None = strawberry.field(
        default=None,
        description="Formats the channel speaks natively besides its provider's, kept in the "
        "row's setting (docs/formats.md); null: the provider's.",
    )


@strawberry.input
class UpdateChannelInput:
    """Fields left out stay as they are."""

    id: int
    name: str | None = strawberry.UNSET
    type: int | None = strawberry.UNSET
    key: str | None = strawberry.UNSET
    base_url: str | None = strawberry.UNSET
    models: list[str] | None = strawberry.UNSET
    groups: list[str] | None = strawberry.UNSET
    priority: BigInt | None = strawberry.UNSET
    weight: int | None = strawberry.UNSET
    status: int | None = strawberry.UNSET
    tag: str | None = strawberry.UNSET
    test_model: str | None = strawberry.UNSET
    formats: list[str] | None = strawberry.field(
        default=strawberry.UNSET, description="null: back to the provider's native formats."
    )


ChannelResult = Annotated[Channel | FieldErrors, strawberry.union("ChannelResult")]
