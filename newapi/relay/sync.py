"""Admin changes reach every gateway process: applied here at once, announced to the others.

``announce(relay, change)`` is the one call an admin mutation makes after writing: it applies
the change to this process's relay (reload channels, forget key owners, re-read options) and,
with Redis configured, publishes it on the change bus (newapi/cache/changes.py), whose
listener in every other worker and node runs ``apply_change`` on arrival.
"""

from __future__ import annotations

import logging
from typing import Any

from newapi import store
from newapi.cache.changes import Change, ChangeBus
from newapi.config.model import RedisConfig
from newapi.relay.pipeline import Relay
from newapi.relay.runtime import apply_options, reload_channels

__all__ = ["announce", "apply_change", "end_automatic_disable", "open_redis", "start_bus"]

log = logging.getLogger(__name__)


def end_automatic_disable(relay: Relay, ids: tuple[int, ...] | list[int]) -> None:
    """A manual enable puts the channels and all their keys back into rotation."""
    for channel_id in ids:
        relay.disabled.pop(channel_id, None)
        ring = relay.rings.get(channel_id)
        if ring is not None:
            ring.enable_all()


async def apply_change(relay: Relay, change: Change) -> None:
    """Bring this process's caches up to ``change`` (channels in one query)."""
    if change.all_keys:
        relay.keys.invalidate()
    elif change.token_ids or change.user_ids:
        relay.keys.forget_owners(change.token_ids, change.user_ids)
    if change.enabled_channels:
        end_automatic_disable(relay, change.enabled_channels)
    if change.channels:
        await reload_channels(relay)
    if change.options:
        apply_options(relay, await store.load_options())


async def announce(relay: Relay, change: Change) -> None:
    """Apply ``change`` here, then tell the other processes (when Redis is configured)."""
    await apply_change(relay, change)
    bus: ChangeBus | None = relay.bus
    if bus is not None:
        await bus.publish(change)


def open_redis(config: RedisConfig) -> Any:
    """The process's one Redis client (a connection pool), or ``None`` without Redis."""
    if not config.url:
        return None
    from redis.asyncio import Redis

    return Redis.from_url(config.url, socket_connect_timeout=5, socket_keepalive=True)


def start_bus(relay: Relay, redis: Any) -> ChangeBus:
    """Subscribe ``relay`` to the other processes' changes; ``relay.bus`` publishes its own."""

    async def apply(change: Change) -> None:
        await apply_change(relay, change)

    bus = ChangeBus(redis, apply)
    bus.start()
    relay.bus = bus
    return bus
