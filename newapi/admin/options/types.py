"""A setting as root sees it, and the input and result of an update."""

from __future__ import annotations

from typing import Annotated

import strawberry

from newapi.admin.results import FieldErrors
from newapi.billing.settings import Setting as Definition

__all__ = ["Setting", "SettingInput", "SettingList", "UpdateSettingsResult"]


@strawberry.type(description="One operational setting (New API option key).")
class Setting:
    key: str
    kind: str = strawberry.field(description="int, bool, text, ratio_map or text_map.")
    value: str | None = strawberry.field(
        description="The database value; null when unset, and always null for a secret."
    )
    is_set: bool = strawberry.field(description="The database holds a value.")
    default: str = strawberry.field(description="The value in effect while unset.")
    effective: str | None = strawberry.field(
        description="The value the gateway runs with (file, database, default); null for a secret."
    )
    effect: str
    secret: bool
    file_override: bool = strawberry.field(
        description="gateway.toml sets it: the database value is ignored and edits are refused."
    )
    file_field: str | None = strawberry.field(description="Its [relay] field in gateway.toml.")
    file_entries: list[str] = strawberry.field(
        description="Ratio maps: the models or groups whose price gateway.toml fixes."
    )

    @classmethod
    def of(
        cls,
        definition: Definition,
        stored: str | None,
        effective: str,
        *,
        file_override: bool,
        file_entries: frozenset[str],
    ) -> Setting:
        secret = definition.secret
        return cls(
            key=definition.key,
            kind=definition.kind,
            value=None if secret else stored,
            is_set=bool(stored),
            default=definition.default,
            effective=None if secret else effective,
            effect=definition.effect,
            secret=secret,
            file_override=file_override,
            file_field=definition.file_field,
            file_entries=sorted(file_entries),
        )


@strawberry.input
class SettingInput:
    key: str
    value: str = strawberry.field(
        default="",
        description="As stored: digits, true/false, text, or a JSON object for maps. For a "
        "secret, an empty value keeps the stored one.",
    )
    clear: bool = strawberry.field(
        default=False,
        description="Delete the database value (give no value): the default applies again. "
        "The way to remove a secret.",
    )


@strawberry.type
class SettingList:
    settings: list[Setting]


UpdateSettingsResult = Annotated[
    SettingList | FieldErrors, strawberry.union("UpdateSettingsResult")
]
