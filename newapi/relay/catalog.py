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
from types import MappingProxyType
from typing import Any

import orjson

from newapi.config.model import ChannelConfig, ChannelSettings, GatewayConfig, ProviderConfig
from newapi.relay.channels import STATUS_ENABLED, Channel

__all__ = ["channel_from_row", "config_channel_id", "config_channels", "split_list"]

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


def config_channels(config: GatewayConfig) -> list[Channel]:
    """The channels declared in gateway.toml."""
    channels = []
    for name, entry in config.channels.items():
        provider = config.providers[entry.provider]
        channels.append(_from_config(name, entry, provider))
    return channels


def _from_config(name: str, entry: ChannelConfig, provider: ProviderConfig) -> Channel:
    return Channel(
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


def _settings(row: Mapping[str, Any]) -> ChannelSettings:
    setting = _json_object(row.get("setting"), "setting", row["id"])
    mapping = _json_object(row.get("status_code_mapping"), "status_code_mapping", row["id"])
    return ChannelSettings(
        thinking_to_content=bool(setting.get("thinking_to_content", False)),
        system_prompt=str(setting.get("system_prompt") or ""),
        system_prompt_override=bool(setting.get("system_prompt_override", False)),
        pass_through_body=bool(setting.get("pass_through_body_enabled", False)),
        proxy=setting.get("proxy") or None,
        status_code_mapping=MappingProxyType({str(k): str(v) for k, v in mapping.items()}),
    )


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
    return Channel(
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
        settings=_settings(row),
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
