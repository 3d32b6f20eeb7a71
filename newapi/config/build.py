"""Turning a valid, expanded document plus the built-in defaults into a ``GatewayConfig``.

Everything here runs only after the schema and the semantic checks found no problem, so values
have their schema types. Merging: providers field by field over the built-in catalog; prices
whole entries over the built-in ones; groups field by field; the file's suffix rules before the
built-in ones. Prices are normalised into New API ratios with ``Decimal`` arithmetic only.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Context, Decimal
from types import MappingProxyType
from typing import TypeVar, cast

from newapi.config.model import (
    ChannelConfig,
    ChannelSettings,
    DatabaseConfig,
    GatewayConfig,
    GroupConfig,
    NativeEndpoint,
    NodeConfig,
    Price,
    ProviderConfig,
    RedisConfig,
    RelayConfig,
    RenameRule,
    SecurityConfig,
    ServerConfig,
    SuffixRule,
    UpstreamErrorRule,
)

__all__ = [
    "build_config",
    "channel_keys",
    "merge_providers",
    "native_endpoints",
    "table",
    "to_price",
]

Table = dict[str, object]

_HALF = Decimal(2)
_RATIOS = Context(prec=28)  # fixed, so results do not depend on the caller's decimal context
_T = TypeVar("_T")


def table(node: object, key: str) -> Table:
    """The sub-table ``node[key]``, or an empty one when it is missing or not a table.

    Args:
        node: a parsed TOML value.
        key: the key to look up.

    Returns:
        The sub-table (not copied).
    """
    if isinstance(node, dict):
        value = node.get(key)
        if isinstance(value, dict):
            return value
    return {}


def merge_providers(
    builtin: Mapping[str, object], document: Mapping[str, object]
) -> dict[str, Table]:
    """The provider catalog: built-in entries, with the file's entries merged field by field
    (``native`` format by format).

    Args:
        builtin: the built-in document (``providers`` table).
        document: the file's document; malformed entries are skipped.

    Returns:
        Provider name to its merged raw fields; built-in names first, in catalog order.
    """
    merged: dict[str, Table] = {
        name: dict(fields)
        for name, fields in table(builtin, "providers").items()
        if isinstance(fields, dict)
    }
    for name, fields in table(document, "providers").items():
        if isinstance(fields, dict):
            base = merged.get(name, {})
            merged[name] = {**base, **fields}
            if isinstance(base.get("native"), dict) and isinstance(fields.get("native"), dict):
                merged[name]["native"] = {**table(base, "native"), **table(fields, "native")}
    return merged


def _decimal(value: object) -> Decimal | None:
    if value is None:
        return None
    return value if isinstance(value, Decimal) else Decimal(cast("int", value))


def to_price(entry: Mapping[str, object]) -> Price:
    """Normalise one ``[prices.<model>]`` entry into New API ratios.

    ``model_ratio = input / 2``; ``completion_ratio = output / input`` (1 when output is unset);
    ``cache_ratio``, ``create_cache_ratio`` and ``create_cache_1h_ratio`` are the cache prices
    divided by the input price.

    Args:
        entry: one price entry that passed the checks (one family only).

    Returns:
        The price.
    """
    if entry.get("free") is True:
        return Price(free=True)
    if "model_price_usd" in entry:
        return Price(model_price_usd=_decimal(entry["model_price_usd"]))
    given_input = _decimal(entry.get("input_usd_per_mtok"))
    if given_input is None:
        return Price(
            model_ratio=_decimal(entry.get("model_ratio")),
            completion_ratio=_decimal(entry.get("completion_ratio")),
            cache_ratio=_decimal(entry.get("cache_ratio")),
            create_cache_ratio=_decimal(entry.get("create_cache_ratio")),
        )

    def ratio(key: str) -> Decimal | None:
        value = _decimal(entry.get(key))
        if value is None or given_input == 0:
            return None
        return _RATIOS.divide(value, given_input)

    completion = ratio("output_usd_per_mtok")
    return Price(
        model_ratio=_RATIOS.divide(given_input, _HALF),
        completion_ratio=Decimal(1) if completion is None and given_input else completion,
        cache_ratio=ratio("cache_read_usd_per_mtok"),
        create_cache_ratio=ratio("cache_write_usd_per_mtok"),
        create_cache_1h_ratio=ratio("cache_write_1h_usd_per_mtok"),
    )


def _frozen(node: object) -> Mapping[str, str]:
    fields = cast("dict[str, str]", node) if isinstance(node, dict) else {}
    return MappingProxyType(dict(fields))


def _strings(node: object) -> tuple[str, ...]:
    return tuple(cast("list[str]", node)) if isinstance(node, list) else ()


def _ints(node: object) -> tuple[int, ...]:
    return tuple(cast("list[int]", node)) if isinstance(node, list) else ()


def _optional(fields: Table, key: str) -> str | None:
    value = fields.get(key)
    return value if isinstance(value, str) else None


def native_endpoints(node: object) -> Mapping[str, NativeEndpoint]:
    """The ``native`` table of a provider or channel (also a DB channel's setting), typed.

    Args:
        node: format name to its entry; entries that are not tables are skipped.

    Returns:
        Format name to its endpoint, read-only.
    """
    entries = cast("dict[str, object]", node) if isinstance(node, dict) else {}
    return MappingProxyType(
        {
            fmt: NativeEndpoint(
                base_url=_optional(fields, "base_url"),
                path_prefix=_optional(fields, "path_prefix"),
                auth=_optional(fields, "auth"),
                headers=MappingProxyType(
                    {str(k): v for k, v in table(fields, "headers").items() if isinstance(v, str)}
                ),
            )
            for fmt, fields in entries.items()
            if isinstance(fields, dict)
        }
    )


def _provider(name: str, fields: Table, relay: RelayConfig) -> ProviderConfig:
    template = str(fields.get("url_template", "{base_url}{path}"))
    api_version = _optional(fields, "api_version")
    if api_version is None and "{api_version}" in template:
        api_version = relay.azure_default_api_version
    return ProviderConfig(
        name=name,
        format=str(fields["format"]),
        base_url=_optional(fields, "base_url"),
        auth=str(fields["auth"]),
        url_template=template,
        api_version=api_version,
        headers=_frozen(fields.get("headers")),
        one_api_types=_ints(fields.get("one_api_types")),
        new_api_types=_ints(fields.get("new_api_types")),
        description=str(fields.get("description", "")),
        stream_options=bool(fields.get("stream_options", True)),
        native=native_endpoints(fields.get("native")),
    )


def channel_keys(fields: Mapping[str, object]) -> tuple[str, ...]:
    """The channel's keys: ``keys``, or ``key`` split on newlines; blanks dropped.

    Args:
        fields: one expanded channel table.

    Returns:
        The keys in order.
    """
    raw = fields.get("keys", [fields.get("key", "")])
    values = [value for value in raw if isinstance(value, str)] if isinstance(raw, list) else []
    return tuple(line.strip() for value in values for line in value.splitlines() if line.strip())


def _channel(name: str, fields: Table) -> ChannelConfig:
    settings = table(fields, "settings")
    return ChannelConfig(
        name=name,
        provider=str(fields["provider"]),
        base_url=_optional(fields, "base_url"),
        keys=channel_keys(fields),
        models=_strings(fields["models"]),
        groups=_strings(fields.get("groups", ["default"])),
        priority=cast("int", fields.get("priority", 0)),
        weight=cast("int", fields.get("weight", 1)),
        model_mapping=_frozen(fields.get("model_mapping")),
        enabled=bool(fields.get("enabled", True)),
        key_mode=str(fields.get("key_mode", "random")),
        tag=_optional(fields, "tag"),
        test_model=_optional(fields, "test_model"),
        api_version=_optional(fields, "api_version"),
        organization=_optional(fields, "organization"),
        headers=_frozen(fields.get("headers")),
        settings=ChannelSettings(
            thinking_to_content=bool(settings.get("thinking_to_content", False)),
            system_prompt=str(settings.get("system_prompt", "")),
            system_prompt_override=bool(settings.get("system_prompt_override", False)),
            pass_through_body=bool(settings.get("pass_through_body", False)),
            proxy=_optional(settings, "proxy"),
            status_code_mapping=_frozen(settings.get("status_code_mapping")),
        ),
        formats=_strings(fields["formats"]) if "formats" in fields else None,
        native=native_endpoints(fields.get("native")),
    )


def _suffix_rules(document: Table, builtin: Mapping[str, object]) -> tuple[SuffixRule, ...]:
    rules = table(document, "rules")
    entries = list(cast("list[Table]", rules.get("reasoning_suffix", [])))
    if rules.get("builtin_reasoning_suffix", True):
        entries += cast("list[Table]", table(builtin, "rules").get("reasoning_suffix", []))
    return tuple(
        SuffixRule(
            suffix=str(entry["suffix"]),
            models=_strings(entry["models"]),
            action=str(entry["action"]),
            value=_optional(entry, "value"),
        )
        for entry in entries
    )


def _status_range(text: str) -> tuple[int, int]:
    low, _, high = text.partition("-")
    return int(low), int(high or low)


def _upstream_error_rules(
    document: Table, builtin: Mapping[str, object]
) -> tuple[UpstreamErrorRule, ...]:
    rules = table(document, "rules")
    entries = list(cast("list[Table]", rules.get("upstream_error", [])))
    if rules.get("builtin_upstream_error", True):
        entries += cast("list[Table]", table(builtin, "rules").get("upstream_error", []))
    return tuple(
        UpstreamErrorRule(
            status=tuple(_status_range(s) for s in _strings(entry.get("status"))),
            codes=frozenset(_strings(entry.get("codes"))),
            types=frozenset(_strings(entry.get("types"))),
            messages=tuple(m.lower() for m in _strings(entry.get("messages"))),
            retry=bool(entry.get("retry", False)),
            disable=str(entry.get("disable", "none")),
        )
        for entry in entries
    )


def _groups(document: Table, builtin: Mapping[str, object]) -> Mapping[str, GroupConfig]:
    merged: dict[str, Table] = {
        name: dict(cast("Table", fields)) for name, fields in table(builtin, "groups").items()
    }
    for name, fields in table(document, "groups").items():
        merged[name] = {**merged.get(name, {}), **cast("Table", fields)}
    return MappingProxyType(
        {
            name: GroupConfig(
                ratio=_decimal(fields.get("ratio", 1)) or Decimal(0),
                description=str(fields.get("description", "")),
            )
            for name, fields in merged.items()
        }
    )


def _section(document: Table, overrides: Mapping[str, Mapping[str, object]], name: str) -> Table:
    return {**table(document, name), **overrides.get(name, {})}


def _make(cls: type[_T], fields: Table) -> _T:
    """A settings dataclass from a table whose keys are its field names (the schema's)."""
    return cls(**fields)


def build_config(
    document: Table,
    builtin: Mapping[str, object],
    overrides: Mapping[str, Mapping[str, object]],
    source_path: str | None,
    source_hash: str,
) -> GatewayConfig:
    """Build the immutable configuration.

    Args:
        document: the file's document, valid and with ``${ENV_VAR}`` references expanded.
        builtin: the built-in document (providers, rules, prices, groups).
        overrides: ``{section: {field: value}}`` from New API's environment variables.
        source_path: the file name as given, or None for defaults only.
        source_hash: sha256 hex of the file's bytes ("" without a file).

    Returns:
        The configuration.
    """
    relay_fields = _section(document, overrides, "relay")
    relay = _make(RelayConfig, relay_fields)
    redis = _make(RedisConfig, _section(document, overrides, "redis"))
    node_fields = _section(document, overrides, "node")
    if redis.url:
        node_fields["memory_cache_enabled"] = True  # Redis forces the memory cache (New API)
    prices = {**table(builtin, "prices"), **table(document, "prices")}
    rules = table(document, "rules")
    return GatewayConfig(
        config_version=1,
        server=_make(ServerConfig, _section(document, overrides, "server")),
        database=_make(DatabaseConfig, _section(document, overrides, "database")),
        redis=redis,
        relay=relay,
        security=_make(SecurityConfig, _section(document, overrides, "security")),
        node=_make(NodeConfig, node_fields),
        providers=MappingProxyType(
            {
                name: _provider(name, fields, relay)
                for name, fields in merge_providers(builtin, document).items()
            }
        ),
        channels=MappingProxyType(
            {
                name: _channel(name, cast("Table", fields))
                for name, fields in table(document, "channels").items()
            }
        ),
        rename_rules=tuple(
            RenameRule(
                match=str(entry["match"]), to=str(entry["to"]), groups=_strings(entry.get("groups"))
            )
            for entry in cast("list[Table]", rules.get("rename", []))
        ),
        suffix_rules=_suffix_rules(document, builtin),
        upstream_error_rules=_upstream_error_rules(document, builtin),
        prices=MappingProxyType(
            {model: to_price(cast("Table", entry)) for model, entry in prices.items()}
        ),
        file_prices=frozenset(table(document, "prices")),
        groups=_groups(document, builtin),
        file_groups=frozenset(table(document, "groups")),
        source_path=source_path,
        source_hash=source_hash,
        file_relay=frozenset(relay_fields),
    )
