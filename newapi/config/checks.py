"""Semantic checks of gateway.toml: what the JSON Schema cannot say.

Cross-references (a channel's provider, a rename rule's target), duplicates (rename matches,
suffix rules, channel type ids), missing keys and base URLs, model-mapping cycles, price
families. The checks read the document defensively (it may also have schema errors) and report
every problem they find; ``${ENV_VAR}`` references are already expanded.

Rename targets are checked only when the file declares channels: channels that live in the
database cannot be seen offline.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from decimal import Decimal

from newapi.config.build import Table, channel_keys, table
from newapi.config.locate import KeyPath, Problem

__all__ = ["PRICE_FAMILIES", "check_document"]

# Price keys by family; one entry may use one family only.
PRICE_FAMILIES: dict[str, tuple[str, ...]] = {
    "USD per million tokens": (
        "input_usd_per_mtok",
        "output_usd_per_mtok",
        "cache_read_usd_per_mtok",
        "cache_write_usd_per_mtok",
        "cache_write_1h_usd_per_mtok",
    ),
    "New API ratios": ("model_ratio", "completion_ratio", "cache_ratio", "create_cache_ratio"),
    "a per-call price": ("model_price_usd",),
    "free": ("free",),
}

_EFFORTS = ("none", "minimal", "low", "medium", "high", "xhigh")
_BUDGET = "{budget}"
_NO_VALUE = ("claude_thinking", "gemini_thinking", "gemini_nothinking")


def check_document(
    document: Mapping[str, object], providers: Mapping[str, Mapping[str, object]]
) -> list[Problem]:
    """Run every semantic check.

    Args:
        document: the file's document with references expanded.
        providers: the merged provider catalog (built-in plus the file's), raw fields.

    Returns:
        The problems found, possibly none.
    """
    problems: list[Problem] = []
    problems += _check_providers(document, providers)
    problems += _check_channels(document, providers)
    problems += _check_native(document, providers)
    problems += _check_renames(document)
    problems += _check_suffixes(document)
    problems += _check_prices(document)
    return problems


def _entries(node: Mapping[str, object], key: str) -> Iterator[tuple[int, Table]]:
    items = node.get(key)
    if isinstance(items, list):
        for index, item in enumerate(items):
            if isinstance(item, dict):
                yield index, item


def _string_list(node: object, default: tuple[str, ...] = ()) -> tuple[str, ...]:
    if isinstance(node, list):
        return tuple(item for item in node if isinstance(item, str))
    return default


def _check_providers(
    document: Mapping[str, object], providers: Mapping[str, Mapping[str, object]]
) -> list[Problem]:
    problems = []
    declared = table(document, "providers")
    for name, fields in declared.items():
        merged = providers.get(name)
        if not isinstance(fields, dict) or merged is None:
            continue
        for key in ("format", "auth"):
            if key not in merged:  # built-in providers always have both
                problems.append(
                    Problem(
                        ("providers", name),
                        f"'{key}' is a required property (not a built-in provider)",
                    )
                )
    for field in ("one_api_types", "new_api_types"):
        owners: dict[int, str] = {}
        ordered = sorted(providers, key=lambda name: name in declared)  # the file's last
        for name in ordered:
            types = providers[name].get(field)
            for type_id in types if isinstance(types, list) else []:
                if not isinstance(type_id, int):
                    continue
                if type_id in owners:
                    problems.append(
                        Problem(
                            ("providers", name, field),
                            f"type {type_id} already belongs to provider '{owners[type_id]}'",
                        )
                    )
                else:
                    owners[type_id] = name
    return problems


def _check_channels(
    document: Mapping[str, object], providers: Mapping[str, Mapping[str, object]]
) -> list[Problem]:
    problems = []
    for name, fields in table(document, "channels").items():
        if not isinstance(fields, dict):
            continue
        path: KeyPath = ("channels", name)
        provider_name = fields.get("provider")
        if isinstance(provider_name, str):
            provider = providers.get(provider_name)
            if provider is None:
                problems.append(_unknown_provider(path, provider_name, providers))
            else:
                problems += _check_channel_access(path, fields, provider_name, provider)
        problems += _check_mapping(path, fields.get("model_mapping"))
    return problems


def _unknown_provider(
    path: KeyPath, name: str, providers: Mapping[str, Mapping[str, object]]
) -> Problem:
    close = difflib.get_close_matches(name, list(providers), n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return Problem((*path, "provider"), f"unknown provider '{name}'{hint}")


def _check_channel_access(
    path: KeyPath, fields: Table, provider_name: str, provider: Mapping[str, object]
) -> list[Problem]:
    problems = []
    if "key" in fields and "keys" in fields:
        problems.append(Problem((*path, "keys"), "set key or keys, not both"))
    auth = provider.get("auth")
    malformed = not isinstance(fields.get("key", ""), str) or not isinstance(
        fields.get("keys", []), list
    )  # the schema reports those
    if auth != "none" and not malformed and not channel_keys(fields):
        where = (*path, "keys") if "keys" in fields else (*path, "key") if "key" in fields else path
        problems.append(
            Problem(
                where, f"provider '{provider_name}' sends a key ({auth}) but the channel has none"
            )
        )
    if not provider.get("base_url") and not fields.get("base_url"):
        problems.append(
            Problem(path, f"provider '{provider_name}' has no default base URL; set base_url")
        )
    return problems


def _check_mapping(path: KeyPath, mapping: object) -> list[Problem]:
    """Report each cycle in a channel's model mapping once (a self-mapping is a no-op)."""
    if not isinstance(mapping, dict):
        return []
    edges = {k: v for k, v in mapping.items() if isinstance(v, str) and v != k}
    problems = []
    reported: set[frozenset[str]] = set()
    for start in edges:
        chain = [start]
        while chain[-1] in edges and edges[chain[-1]] not in chain:
            chain.append(edges[chain[-1]])
        if chain[-1] not in edges:
            continue
        cycle = chain[chain.index(edges[chain[-1]]) :]
        if frozenset(cycle) in reported:
            continue
        reported.add(frozenset(cycle))
        shown = " -> ".join([*cycle, cycle[0]])
        problems.append(Problem((*path, "model_mapping", cycle[0]), f"mapping cycle {shown}"))
    return problems


def _served(document: Mapping[str, object]) -> dict[str, set[str]] | None:
    """Model -> groups it is served in, over the file's channels; None without channels."""
    channels = table(document, "channels")
    if not channels:
        return None
    served: dict[str, set[str]] = {}
    for fields in channels.values():
        if isinstance(fields, dict):
            groups = set(_string_list(fields.get("groups"), ("default",)))
            for model in _string_list(fields.get("models")):
                served.setdefault(model, set()).update(groups)
    return served


def _check_native_entries(path: KeyPath, node: object, primary: object) -> list[Problem]:
    """A ``native`` table: one location per entry, never the primary format."""
    problems = []
    for fmt, entry in node.items() if isinstance(node, dict) else ():
        if not isinstance(entry, dict):
            continue
        if fmt == primary:
            problems.append(
                Problem(
                    (*path, "native", fmt),
                    f"'{fmt}' is the provider's format; native entries are for other formats",
                )
            )
        if "base_url" in entry and "path_prefix" in entry:
            problems.append(
                Problem(
                    (*path, "native", fmt, "path_prefix"), "set base_url or path_prefix, not both"
                )
            )
    return problems


def _check_native(
    document: Mapping[str, object], providers: Mapping[str, Mapping[str, object]]
) -> list[Problem]:
    problems = []
    for name, fields in table(document, "providers").items():
        merged = providers.get(name, {})
        if isinstance(fields, dict):
            problems += _check_native_entries(
                ("providers", name), fields.get("native"), merged.get("format")
            )
    for name, fields in table(document, "channels").items():
        if not isinstance(fields, dict):
            continue
        path: KeyPath = ("channels", name)
        provider = providers.get(str(fields.get("provider")), {})
        problems += _check_native_entries(path, fields.get("native"), provider.get("format"))
        listed = fields.get("formats")
        if isinstance(listed, list):
            for fmt in table(fields, "native"):
                if fmt not in listed:
                    problems.append(
                        Problem((*path, "native", fmt), f"'{fmt}' is not listed in formats")
                    )
    return problems


def _check_renames(document: Mapping[str, object]) -> list[Problem]:
    problems = []
    served = _served(document)
    seen: list[tuple[int, str, set[str]]] = []
    for index, rule in _entries(table(document, "rules"), "rename"):
        path: KeyPath = ("rules", "rename", index)
        match, target = rule.get("match"), rule.get("to")
        groups = set(_string_list(rule.get("groups")))
        if isinstance(match, str):
            for other, other_match, other_groups in seen:
                overlap = not groups or not other_groups or groups & other_groups
                if other_match == match and overlap:
                    problems.append(
                        Problem(
                            (*path, "match"),
                            f"'{match}' is already renamed by rules.rename[{other}]",
                        )
                    )
                    break
            seen.append((index, match, groups))
            if match == target:
                problems.append(Problem((*path, "to"), f"'{match}' is renamed to itself"))
        if isinstance(target, str) and served is not None:
            in_groups = served.get(target)
            if in_groups is None:
                problems.append(
                    Problem((*path, "to"), f"no channel in this file serves '{target}'")
                )
            elif groups and not groups & in_groups:
                wanted = ", ".join(sorted(groups))
                problems.append(
                    Problem(
                        (*path, "to"),
                        f"no channel in this file serves '{target}' to groups {wanted}",
                    )
                )
    return problems


def _check_suffixes(document: Mapping[str, object]) -> list[Problem]:
    problems = []
    seen: dict[tuple[str, str], int] = {}
    for index, rule in _entries(table(document, "rules"), "reasoning_suffix"):
        path: KeyPath = ("rules", "reasoning_suffix", index)
        suffix, action, value = rule.get("suffix"), rule.get("action"), rule.get("value")
        if isinstance(suffix, str):
            for glob in _string_list(rule.get("models")):
                first = seen.setdefault((suffix, glob), index)
                if first != index:
                    problems.append(
                        Problem(
                            (*path, "suffix"),
                            f"'{suffix}' for '{glob}' is already handled by "
                            f"rules.reasoning_suffix[{first}]",
                        )
                    )
        if isinstance(suffix, str) and isinstance(action, str):
            problems += _check_suffix_action(path, suffix, action, value)
    return problems


def _check_suffix_action(path: KeyPath, suffix: str, action: str, value: object) -> list[Problem]:
    problems = []
    has_budget = _BUDGET in suffix
    if has_budget and not suffix.endswith(_BUDGET):
        problems.append(Problem((*path, "suffix"), f"'{_BUDGET}' must end the suffix"))
    if has_budget and action != "gemini_thinking_budget":
        problems.append(
            Problem((*path, "suffix"), f"'{_BUDGET}' is only for action gemini_thinking_budget")
        )
    if action == "reasoning_effort" and value not in _EFFORTS:
        shown = "no value" if value is None else f"'{value}'"
        problems.append(
            Problem(
                (*path, "value") if value is not None else path,
                f"reasoning_effort needs a value among {', '.join(_EFFORTS)}, not {shown}",
            )
        )
    elif action == "gemini_thinking_budget":
        if not has_budget and not (isinstance(value, str) and value.isdigit()):
            problems.append(
                Problem(
                    path,
                    f"gemini_thinking_budget needs '{_BUDGET}' in the suffix or a number as value",
                )
            )
        elif has_budget and value is not None:
            problems.append(
                Problem((*path, "value"), f"the budget comes from '{_BUDGET}'; drop value")
            )
    elif action in _NO_VALUE and value is not None:
        problems.append(Problem((*path, "value"), f"{action} takes no value"))
    return problems


def _is_number(value: object) -> bool:
    return isinstance(value, int | Decimal) and not isinstance(value, bool)


def _check_prices(document: Mapping[str, object]) -> list[Problem]:
    problems = []
    for model, entry in table(document, "prices").items():
        if not isinstance(entry, dict):
            continue
        path: KeyPath = ("prices", model)
        used = {
            family: next(key for key in keys if key in entry)
            for family, keys in PRICE_FAMILIES.items()
            if any(key in entry for key in keys) and (family != "free" or entry["free"] is True)
        }
        if len(used) > 1:
            (one, one_key), (two, two_key) = list(used.items())[:2]
            problems.append(
                Problem(
                    path,
                    f"mixes {one} ({one_key}) with {two} ({two_key}); give one family per model",
                )
            )
        elif not used:
            problems.append(
                Problem(
                    path,
                    "no price given: set input_usd_per_mtok, model_ratio, model_price_usd "
                    "or free = true",
                )
            )
        given_input = entry.get("input_usd_per_mtok")
        if _is_number(given_input) and given_input == 0:
            for key in PRICE_FAMILIES["USD per million tokens"][1:]:
                value = entry.get(key)
                if _is_number(value) and value != 0:
                    problems.append(
                        Problem(
                            (*path, key),
                            "cannot be priced against an input price of 0 (New API prices it as a "
                            "ratio of input); use model_price_usd",
                        )
                    )
    return problems
