"""Root: change settings; valid changes are written together and applied at once."""

from __future__ import annotations

from typing import Any

import orjson
import strawberry
from strawberry.types import Info

from newapi.admin.access import IsRoot
from newapi.admin.options.queries import setting_list
from newapi.admin.options.types import SettingInput, SettingList, UpdateSettingsResult
from newapi.admin.results import field_errors
from newapi.billing.options import file_entries
from newapi.billing.settings import SETTINGS, check_value, normal_value
from newapi.cache.changes import Change
from newapi.config.model import GatewayConfig
from newapi.relay.sync import announce
from newapi.store import load_options
from newapi.store.queries.options import save_options

__all__ = ["OptionMutation"]


def _problem(entry: SettingInput, config: GatewayConfig) -> str | None:
    definition = SETTINGS.get(entry.key)
    if definition is None:
        return "not a setting of this gateway"
    field = definition.file_field
    if field is not None and field in config.file_relay:
        return f"set in gateway.toml ([relay] {field}); change it there"
    if entry.clear:
        return "give no value with clear" if entry.value else None
    if definition.secret and not entry.value:
        return None  # kept as it is
    problem = check_value(definition, entry.value)
    if problem is not None or not definition.map_keys:
        return problem
    owned = sorted(file_entries(entry.key, config) & set(orjson.loads(entry.value)))
    if owned:
        return f"{', '.join(owned)}: priced in gateway.toml; change it there"
    return None


def _problems(entries: list[SettingInput], config: GatewayConfig) -> list[tuple[str, str]]:
    if not entries:
        return [("input", "no setting to update")]
    problems, seen = [], set()
    for entry in entries:
        if entry.key in seen:
            problems.append((entry.key, "given more than once"))
            continue
        seen.add(entry.key)
        problem = _problem(entry, config)
        if problem is not None:
            problems.append((entry.key, problem))
    return problems


def _changes(entries: list[SettingInput]) -> tuple[dict[str, str], list[str]]:
    """The values to write and the keys to delete; an empty secret is left as it is."""
    values, removed = {}, []
    for entry in entries:
        definition = SETTINGS[entry.key]
        if entry.clear:
            removed.append(entry.key)
        elif entry.value or not definition.secret:
            values[entry.key] = normal_value(definition, entry.value)
    return values, removed


@strawberry.type
class OptionMutation:
    @strawberry.mutation(
        permission_classes=[IsRoot],
        description="Root. All or nothing: any invalid entry and nothing is written. "
        "Applied at once on this node and, with Redis configured, on every other worker and "
        "node; without Redis other processes follow within SYNC_FREQUENCY seconds. "
        "A secret given an empty value keeps its stored value; clear deletes a value.",
    )
    async def update_settings(
        self, info: Info[Any, Any], input: list[SettingInput]
    ) -> UpdateSettingsResult:
        relay = info.context.relay
        problems = _problems(input, relay.config)
        if problems:
            return field_errors(*problems)
        await save_options(*_changes(input))
        options = await load_options()
        await announce(relay, Change(options=True))
        return SettingList(settings=setting_list(options, relay.config))
