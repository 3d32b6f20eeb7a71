"""Starting and stopping the relay inside the server: ledger, upstream client, caches, channels.

``register_relay`` adds the routes and the listeners; ``app.ctx.relay`` is the ``Relay``.
Channels (file and database) and the ``options`` table (prices, group ratios, retry and
reservation settings) are reloaded every SYNC_FREQUENCY seconds; admin changes arrive at once
(newapi/relay/sync.py: on this process directly, from the others over Redis when configured).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from sanic import Sanic

from newapi import store
from newapi.auth.api_keys import ApiKeys, KeyOwner, parse_allow_ips
from newapi.billing.ledger import Ledger
from newapi.billing.options import EffectiveOptions, effective_options
from newapi.billing.prices import PriceBook
from newapi.config.model import GatewayConfig
from newapi.errors import GatewayError
from newapi.relay.catalog import all_channels, split_list
from newapi.relay.pipeline import Relay
from newapi.relay.routes import relay_blueprint
from newapi.relay.upstream import Upstream

__all__ = ["apply_options", "build_relay", "refresh", "register_relay"]

log = logging.getLogger(__name__)


def _owner(row: dict[str, Any]) -> KeyOwner:
    limits = split_list(row.get("model_limits")) if row.get("model_limits_enabled") else None
    return KeyOwner(
        token_id=row["token_id"],
        token_name=row.get("token_name") or "",
        token_status=int(row.get("token_status") or 0),
        expired_time=int(row.get("expired_time") if row.get("expired_time") is not None else -1),
        remain_quota=int(row.get("remain_quota") or 0),
        unlimited_quota=bool(row.get("unlimited_quota")),
        model_limits=frozenset(limits) if limits is not None else None,
        allow_ips=parse_allow_ips(row.get("allow_ips")),
        token_group=row.get("token_group") or "",
        user_id=row["user_id"],
        username=row.get("username") or "",
        user_role=int(row.get("role") or 0),
        user_status=int(row.get("user_status") or 0),
        user_group=row.get("user_group") or "default",
        user_quota=int(row.get("quota") or 0),
        token_used_quota=int(row.get("token_used_quota") or 0),
        record_ip=bool(row.get("record_ip")),
    )


async def _load_owner(key: str) -> KeyOwner | None:
    row = await store.token_owner(key)
    return _owner(row) if row is not None else None


async def reload_channels(relay: Relay) -> None:
    """Read the database's channels and swap in the full channel set."""
    numbering = await store.channel_type_numbering()
    rows = await store.channel_rows()
    providers = list(relay.config.providers.values())
    pairs = []
    for row in rows:
        try:
            name: str | None = store.provider_for_channel_type(
                int(row.get("type") or 0), numbering, providers
            )
        except GatewayError as exc:
            log.warning("channel %s skipped: %s", row.get("id"), exc.message)
            name = None
        pairs.append((row, name))
    relay.set_channels(all_channels(relay.config, pairs))


def _price_book(values: EffectiveOptions, config: GatewayConfig) -> PriceBook:
    """The prices in force; a suffixed model name falls back to its base model's price."""
    suffixes = tuple(dict.fromkeys(rule.suffix for rule in config.suffix_rules))
    return PriceBook(values.prices, values.groups, reasoning_suffixes=suffixes)


def apply_options(relay: Relay, options: Mapping[str, str]) -> None:
    """Run ``relay`` with the ``options`` rows (under gateway.toml) from the next request on."""
    values = effective_options(options, relay.config)
    try:
        book = _price_book(values, relay.config)
    except GatewayError as exc:
        log.warning("options not applied: %s", exc.message)
        return
    relay.prices = book
    relay.config = replace(relay.config, relay=values.relay)
    relay.retry_times = values.relay.retry_times
    relay.usable_groups = frozenset(values.usable_groups)


async def build_relay(config: GatewayConfig) -> Relay:
    """A started relay on the open store (used by the server and by tests)."""
    options = await store.load_options()
    values = effective_options(options, config)
    book = _price_book(values, config)
    node = config.node.name or socket.gethostname()
    ledger = Ledger(
        Path(config.database.journal_dir),
        node,
        store.StoreBatchSink(),
        refresh_interval=float(config.node.sync_frequency_s),
    )
    await ledger.start()
    keys = ApiKeys(_load_owner, ttl=float(config.node.sync_frequency_s))
    relay = Relay(replace(config, relay=values.relay), ledger, Upstream(config.relay), keys, book)
    relay.usable_groups = frozenset(values.usable_groups)
    await reload_channels(relay)
    return relay


async def refresh(relay: Relay) -> None:
    """Re-read the channels and the options (what every node does every SYNC_FREQUENCY)."""
    try:
        await reload_channels(relay)
    except Exception:
        log.exception("reloading channels failed; keeping the current set")
    try:
        apply_options(relay, await store.load_options())
    except Exception:
        log.exception("reloading options failed; keeping the current values")


async def _refresh_loop(relay: Relay, every: float) -> None:
    while True:
        await asyncio.sleep(every)
        await refresh(relay)


def register_relay(app: Sanic, config: GatewayConfig) -> None:
    """Add the relay routes and start/stop the relay with the server."""
    app.blueprint(relay_blueprint())

    @app.before_server_start
    async def start_relay(app: Sanic, _: Any = None) -> None:
        from newapi.relay.sync import open_redis, start_bus

        app.ctx.relay = await build_relay(config)
        app.ctx.relay_refresh = asyncio.create_task(
            _refresh_loop(app.ctx.relay, float(config.node.sync_frequency_s))
        )
        app.ctx.redis = open_redis(config.redis)  # one client per process, shared
        if app.ctx.redis is not None:  # admin changes from the other workers and nodes
            start_bus(app.ctx.relay, app.ctx.redis)

    @app.after_server_stop
    async def stop_relay(app: Sanic, _: Any = None) -> None:
        relay: Relay | None = getattr(app.ctx, "relay", None)
        task = getattr(app.ctx, "relay_refresh", None)
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if relay is not None:
            if relay.bus is not None:
                await relay.bus.close()
            await relay.ledger.stop()
            await relay.upstream.close()
        redis = getattr(app.ctx, "redis", None)
        if redis is not None:
            await redis.aclose()
