"""Building the relay's channels from gateway.toml tables and ``channels`` rows.

File channels are owned by the file: they are not stored in the database and get a stable
negative id derived from their name (log rows refer to it). Database channels keep their row id
and take their provider from the row's type number, read in the database's numbering (One API
and New API number some types differently).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Mapping
from dataclasses import replace
from types import MappingProxyType
from typing import Any

import orjson

from newapi.config.build import native_endpoints
from newapi.config.model import (
    AUTH_STYLES,
    NATIVE_AUTH,
    NATIVE_FORMATS,
    NATIVE_HEADERS,
    ChannelConfig,
    ChannelSettings,
    GatewayConfig,
    NativeEndpoint,
    ProviderConfig,
)
from newapi.relay.channels import STATUS_ENABLED, Channel

__all__ = [
    "channel_from_row",
    "config_channel_id",
    "config_channels",
    "split_list",
    "with_native",
]

log = logging.getLogger(__name__)


def config_channel_id(name: str) -> int:
    """The stable id of a gateway.toml channel: negative, so it never meets a row id."""
    return -(int(hashlib.sha1(name.encode()).hexdigest()[:7], 16) + 1)


def split_list(text: str | None) -> tuple[str, ...]:
    """One API's comma lists (models, groups), trimmed, empties dropped, order kept."""
    if not text:
        return ()
    return tuple(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))


def _base_url(given: str | None, provider: ProviderConfig) -> str | None:
    return (given or provider.base_url or "").rstrip("/") or None


def _merged(base: NativeEndpoint | None, top: NativeEndpoint | None) -> NativeEndpoint:
    """The channel's entry over the provider's: field by field, the location as one."""
    base = base or NativeEndpoint()
    if top is None:
        return base
    located = top if top.base_url is not None or top.path_prefix is not None else base
    return NativeEndpoint(
        base_url=located.base_url,
        path_prefix=located.path_prefix,
        auth=top.auth or base.auth,
        headers=MappingProxyType({**base.headers, **top.headers}),
    )


def _view(channel: Channel, fmt: str, entry: NativeEndpoint) -> Channel:
    """``channel`` as it speaks ``fmt``: that endpoint's base URL, auth and headers."""
    provider = channel.provider
    speaks = replace(
        provider,
        format=fmt,
        auth=entry.auth or NATIVE_AUTH.get(fmt, "bearer"),
        url_template="{base_url}{path}",
        api_version=None,
        headers=MappingProxyType(
            {**NATIVE_HEADERS.get(fmt, {}), **provider.headers, **entry.headers}
        ),
        native=MappingProxyType({}),
    )
    base_url = entry.base_url or channel.base_url.rstrip("/") + (entry.path_prefix or "")
    return replace(channel, provider=speaks, base_url=base_url.rstrip("/"), api_version=None)


def with_native(
    channel: Channel,
    formats: tuple[str, ...] | None,
    overrides: Mapping[str, NativeEndpoint],
) -> Channel:
    """The channel with a view per extra format it speaks natively (docs/formats.md).

    ``formats`` None: the provider's native formats when the channel is on the provider's
    default base URL or the provider has none (the catalog describes the vendor's own servers,
    not a proxy in front of them), plus the channel's own entries. Otherwise exactly
    ``formats``.
    """
    provider = channel.provider
    if formats is None:
        default = (provider.base_url or "").rstrip("/")
        on_default = not default or default == channel.base_url.rstrip("/")
        formats = (*(provider.native if on_default else ()), *overrides)
    views = {
        fmt: _view(channel, fmt, _merged(provider.native.get(fmt), overrides.get(fmt)))
        for fmt in dict.fromkeys(formats)
        if fmt != provider.format and fmt in NATIVE_FORMATS
    }
    return replace(channel, native=MappingProxyType(views)) if views else channel


def config_channels(config: GatewayConfig) -> list[Channel]:
    """The channels declared in gateway.toml."""
    channels = []
    for name, entry in config.channels.items():
        provider = config.providers[entry.provider]
        channels.append(_from_config(name, entry, provider))
    return channels


def _from_config(name: str, entry: ChannelConfig, provider: ProviderConfig) -> Channel:
    channel = Channel(
        id=config_channel_id(name),
        name=name,
        provider=provider,
        base_url=_base_url(entry.base_url, provider) or "",
        keys=entry.keys,
        models=entry.models,
        groups=entry.groups,
        priority=entry.priority,
        weight=entry.weight,
        model_mapping=entry.model_mapping,
        settings=entry.settings,
        key_mode=entry.key_mode,
        api_version=entry.api_version,
        organization=entry.organization,
        headers=entry.headers,
        enabled=entry.enabled,
        source="config",
        test_model=entry.test_model,
        tag=entry.tag,
    )
    return with_native(channel, entry.formats, entry.native)


def _json_object(text: Any, what: str, channel_id: int) -> dict[str, Any]:
    if isinstance(text, dict):
        return text
    if not text or not isinstance(text, str):
        return {}
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError:
        log.warning("channel %d: %s is not valid JSON; ignored", channel_id, what)
        return {}
    return value if isinstance(value, dict) else {}


def _keys(text: str | None) -> tuple[str, ...]:
    text = (text or "").strip()
    if text.startswith("["):
        try:
            items = orjson.loads(text)
        except orjson.JSONDecodeError:
            items = None
        if isinstance(items, list):
            return tuple(
                item if isinstance(item, str) else orjson.dumps(item).decode() for item in items
            )
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def _settings(row: Mapping[str, Any], setting: Mapping[str, Any]) -> ChannelSettings:
    mapping = _json_object(row.get("status_code_mapping"), "status_code_mapping", row["id"])
    return ChannelSettings(
        thinking_to_content=bool(setting.get("thinking_to_content", False)),
        system_prompt=str(setting.get("system_prompt") or ""),
        system_prompt_override=bool(setting.get("system_prompt_override", False)),
        pass_through_body=bool(setting.get("pass_through_body_enabled", False)),
        proxy=setting.get("proxy") or None,
        status_code_mapping=MappingProxyType({str(k): str(v) for k, v in mapping.items()}),
    )


def _row_native(
    setting: Mapping[str, Any], channel_id: int
) -> tuple[tuple[str, ...] | None, Mapping[str, NativeEndpoint]]:
    """``formats`` and ``native`` from a row's ``setting`` JSON; bad parts are logged and left
    out (a database row cannot fail a config load)."""
    formats: tuple[str, ...] | None = None
    listed = setting.get("formats")
    if isinstance(listed, list):
        formats = tuple(f for f in listed if isinstance(f, str) and f in NATIVE_FORMATS)
        if len(formats) != len(listed):
            log.warning("channel %d: setting.formats has unknown formats; ignored", channel_id)
    entries = {}
    for fmt, entry in native_endpoints(setting.get("native")).items():
        url_ok = not entry.base_url or entry.base_url.startswith(("http://", "https://"))
        prefix_ok = not entry.path_prefix or entry.path_prefix.startswith("/")
        auth_ok = entry.auth is None or entry.auth in AUTH_STYLES
        if fmt in NATIVE_FORMATS and url_ok and prefix_ok and auth_ok:
            entries[fmt] = entry
        else:
            log.warning("channel %d: setting.native.%s is not valid; ignored", channel_id, fmt)
    return formats, MappingProxyType(entries)


def channel_from_row(row: Mapping[str, Any], provider: ProviderConfig) -> Channel | None:
    """A database channel, or None when it cannot be used (no base URL for its provider)."""
    channel_id = int(row["id"])
    base_url = _base_url(row.get("base_url"), provider)
    if base_url is None:
        log.warning(
            "channel %d (%s) has no base URL and its provider %s has no default; skipped",
            channel_id,
            row.get("name"),
            provider.name,
        )
        return None
    info = _json_object(row.get("channel_info"), "channel_info", channel_id)
    mapping = _json_object(row.get("model_mapping"), "model_mapping", channel_id)
    headers = _json_object(row.get("header_override"), "header_override", channel_id)
    setting = _json_object(row.get("setting"), "setting", channel_id)
    channel = Channel(
        id=channel_id,
        name=str(row.get("name") or f"channel-{channel_id}"),
        provider=provider,
        base_url=base_url,
        keys=_keys(row.get("key")),
        models=split_list(row.get("models")),
        groups=split_list(row.get("group")) or ("default",),
        priority=int(row.get("priority") or 0),
        weight=int(row.get("weight") or 0),
        model_mapping=MappingProxyType({str(k): str(v) for k, v in mapping.items()}),
        settings=_settings(row, setting),
        key_mode="round_robin" if info.get("multi_key_mode") == "polling" else "random",
        api_version=(row.get("other") or None)
        if "{api_version}" in provider.url_template
        else None,
        organization=row.get("openai_organization") or None,
        headers=MappingProxyType(
            {str(k): str(v) for k, v in headers.items() if isinstance(v, str) and "{" not in v}
        ),
        auto_ban=int(row.get("auto_ban") if row.get("auto_ban") is not None else 1) == 1,
        enabled=int(row.get("status") or 0) == STATUS_ENABLED,
        source="db",
        test_model=row.get("test_model") or None,
        tag=row.get("tag") or None,
    )
    return with_native(channel, *_row_native(setting, channel_id))


def all_channels(
    config: GatewayConfig,
    rows: Iterable[tuple[Mapping[str, Any], str | None]],
) -> list[Channel]:
    """File channels plus database channels (``rows`` pairs a row with its provider name)."""
    channels = config_channels(config)
    for row, provider_name in rows:
        if provider_name is None:
            continue  # the caller logged why: no provider for the row's type
        provider = config.providers.get(provider_name)
        if provider is None:
            log.warning(
                "channel %s: provider %r is not in the catalog; skipped",
                row.get("id"),
                provider_name,
            )
            continue
        channel = channel_from_row(row, provider)
        if channel is not None:
            channels.append(channel)
    return channels
