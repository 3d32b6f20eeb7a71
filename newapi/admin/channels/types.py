"""Channels: database rows (editable) and gateway.toml channels (read-only) in one list."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

import strawberry

from newapi.admin.results import BigInt, FieldErrors

__all__ = [
    "Channel",
    "ChannelBalance",
    "ChannelBalanceOutcome",
    "ChannelBalanceResult",
    "ChannelBatchResult",
    "ChannelInput",
    "ChannelModels",
    "ChannelModelsResult",
    "ChannelResult",
    "ChannelTestResult",
    "EditChannelTagInput",
    "ModelMapping",
    "ModelMappingInput",
    "SkippedChannel",
    "UpdateChannelInput",
    "UpstreamChannelInput",
    "UpstreamFailure",
]


@strawberry.type
class ModelMapping:
    """The channel sends ``upstreamModel`` when a client asks for ``model``."""

    model: str
    upstream_model: str


@strawberry.input
class ModelMappingInput:
    model: str
    upstream_model: str


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
    model_mapping: list[ModelMapping]
    balance: Decimal | None = strawberry.field(
        description="Last balance read from the upstream (db channels; updateChannelBalance)."
    )
    balance_updated_time: BigInt = strawberry.field(description="Unix seconds; 0 never.")
    loaded: bool = strawberry.field(description="Whether the relay is routing to it now.")
    auto_disabled: str | None = strawberry.field(
        description="Why the relay took it out of rotation after upstream errors (until it is "
        "enabled again); null when it was not."
    )
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
    model_mapping: list[ModelMappingInput] = strawberry.field(default_factory=list)
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
    model_mapping: list[ModelMappingInput] | None = strawberry.UNSET
    formats: list[str] | None = strawberry.field(
        default=strawberry.UNSET, description="null: back to the provider's native formats."
    )


@strawberry.type
class UpstreamFailure:
    """An expected failure of a request to the upstream; the message is the upstream's own
    (keys masked). ``code``: upstream_error, upstream_timeout, upstream_connect_error,
    not_supported, ..."""

    code: str
    message: str
    status: int | None = strawberry.field(description="The upstream's HTTP status, if any.")


@strawberry.type
class ChannelModels:
    models: list[str]


@strawberry.type
class ChannelBalance:
    channel_id: int
    balance: Decimal
    currency: str = strawberry.field(description="USD, or CNY for some providers.")
    updated_time: BigInt
    stored: bool = strawberry.field(description="False for gateway.toml channels (no row).")


@strawberry.input
class UpstreamChannelInput:
    """An unsaved channel: its provider (name, or One API type number), base URL and key."""

    key: str
    provider: str | None = None
    type: int | None = None
    base_url: str = ""


@strawberry.type
class SkippedChannel:
    id: int
    reason: str


@strawberry.type
class ChannelBatchResult:
    changed: list[int] = strawberry.field(description="The channel ids changed, ascending.")
    skipped: list[SkippedChannel] = strawberry.field(
        description="gateway.toml channels (read-only) and ids that do not exist."
    )


@strawberry.input
class EditChannelTagInput:
    """Fields left out stay as they are on every channel of ``tag``."""

    tag: str
    new_tag: str | None = strawberry.UNSET
    priority: BigInt | None = strawberry.UNSET
    weight: int | None = strawberry.UNSET


ChannelResult = Annotated[Channel | FieldErrors, strawberry.union("ChannelResult")]
ChannelModelsResult = Annotated[
    ChannelModels | UpstreamFailure | FieldErrors, strawberry.union("ChannelModelsResult")
]
ChannelBalanceResult = Annotated[
    ChannelBalance | UpstreamFailure, strawberry.union("ChannelBalanceResult")
]


@strawberry.type
class ChannelBalanceOutcome:
    channel_id: int
    result: ChannelBalanceResult
