"""Root: every setting with its database value, default, effective value and file override."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import strawberry
from strawberry.types import Info

from newapi.admin.access import IsRoot
from newapi.admin.options.types import Setting
from newapi.billing.options import file_entries
from newapi.billing.settings import SETTINGS, stored_or_default
from newapi.config.model import GatewayConfig
from newapi.store import load_options

__all__ = ["OptionQuery", "setting_list"]


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def setting_list(options: Mapping[str, str], config: GatewayConfig) -> list[Setting]:
    """Every registered setting as ``config`` (the relay's, options applied) runs it."""
    found = []
    for definition in SETTINGS.values():
        stored = options.get(definition.key)
        field = definition.file_field
        if field is not None:
            effective = _text(getattr(config.relay, field))
        else:
            effective = stored_or_default(definition, options)
        found.append(
            Setting.of(
                definition,
                stored,
                effective,
                file_override=field is not None and field in config.file_relay,
                file_entries=file_entries(definition.key, config),
            )
        )
    return found


@strawberry.type
class OptionQuery:
    @strawberry.field(permission_classes=[IsRoot], description="Root.")
    async def settings(self, info: Info[Any, Any]) -> list[Setting]:
        return setting_list(await load_options(), info.context.relay.config)
