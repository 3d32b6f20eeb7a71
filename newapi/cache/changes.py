"""Admin changes announced to every gateway process over Redis pub/sub.

Each gateway process (every worker of ``newapi serve --workers N``, every node on the same
database) caches channels, key owners and options. An admin change is applied by the process
that made it and announced as a small JSON message on ``CHANGES_CHANNEL``
(newapi/cache/keys.py); every other process applies it on arrival, so a disabled token, a new
channel or a new price is in force everywhere at once instead of after SYNC_FREQUENCY seconds.

A message is one ``Change``::

    {"origin": "<process id>", "channels": true, "enabled_channels": [3],
     "options": false, "all_keys": false, "token_ids": [12], "user_ids": []}

A process skips its own messages (it applied the change already). Each time the subscription
starts (at start-up, and after Redis went away: the listener reconnects with growing pauses,
0.5 s to 30 s) the process applies ``EVERYTHING``, since messages sent before were lost. The
periodic refresh stays as the safety net. Without Redis there is no bus and nothing changes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

import orjson
from redis.exceptions import RedisError

from newapi.cache.keys import CHANGES_CHANNEL

__all__ = ["EVERYTHING", "Change", "ChangeBus", "decode", "encode"]

log = logging.getLogger(__name__)

FIRST_PAUSE_S = 0.5
LAST_PAUSE_S = 30.0
PING_EVERY_S = 30.0  # an idle subscription is checked this often
PUBLISH_TIMEOUT_S = 3.0  # an admin mutation waits at most this long for an unreachable Redis
MAX_IDS = 10_000  # a longer list is sent as "all keys"


@dataclass(frozen=True, slots=True)
class Change:
    """What changed; the receiving process reloads exactly these."""

    channels: bool = False  # re-read the channels (one query)
    enabled_channels: tuple[int, ...] = ()  # enabled by hand: back into rotation, keys and all
    options: bool = False  # re-read the options table
    all_keys: bool = False  # forget every cached key owner
    token_ids: tuple[int, ...] = ()  # forget these tokens' cached keys
    user_ids: tuple[int, ...] = ()  # forget every cached key of these users

    @classmethod
    def keys(cls, *, tokens: Iterable[int] = (), users: Iterable[int] = ()) -> Change:
        """Key owners changed: some tokens, the tokens of some users."""
        token_ids, user_ids = tuple(int(t) for t in tokens), tuple(int(u) for u in users)
        if len(token_ids) + len(user_ids) > MAX_IDS:
            return cls(all_keys=True)
        return cls(token_ids=token_ids, user_ids=user_ids)


EVERYTHING = Change(channels=True, options=True, all_keys=True)


def encode(change: Change, origin: str) -> bytes:
    return orjson.dumps(
        {
            "origin": origin,
            "channels": change.channels,
            "enabled_channels": change.enabled_channels,
            "options": change.options,
            "all_keys": change.all_keys,
            "token_ids": change.token_ids,
            "user_ids": change.user_ids,
        }
    )


def _ids(value: Any) -> tuple[int, ...]:
    if not isinstance(value, list):
        raise ValueError("not a list")
    if not all(isinstance(item, int) and not isinstance(item, bool) for item in value):
        raise ValueError("not a list of ids")
    return tuple(value)


def decode(data: bytes | str) -> tuple[str, Change] | None:
    """``(origin, change)``, or ``None`` for a message that is not one of ours."""
    try:
        raw = orjson.loads(data)
        if not isinstance(raw, dict) or not isinstance(raw.get("origin"), str):
            return None
        change = Change(
            channels=raw.get("channels") is True,
            enabled_channels=_ids(raw.get("enabled_channels", [])),
            options=raw.get("options") is True,
            all_keys=raw.get("all_keys") is True,
            token_ids=_ids(raw.get("token_ids", [])),
            user_ids=_ids(raw.get("user_ids", [])),
        )
    except (orjson.JSONDecodeError, ValueError):
        return None
    return raw["origin"], change


Handler = Callable[[Change], Awaitable[None]]


class ChangeBus:
    """Publishes this process's changes and applies the other processes' ones.

    ``redis`` is the process's ``redis.asyncio.Redis`` client (the bus takes one connection of
    its pool for the subscription); ``apply`` runs for each change from another process.
    """

    def __init__(self, redis: Any, apply: Handler, *, origin: str | None = None) -> None:
        self.redis = redis
        self.origin = origin or uuid.uuid4().hex
        db = redis.connection_pool.connection_kwargs.get("db", 0)
        self.channel = CHANGES_CHANNEL.format(db=db)
        self._apply = apply
        self._task: asyncio.Task[None] | None = None
        self._subscribed_before = False
        self.subscribed = asyncio.Event()  # set while the subscription is live

    async def publish(self, change: Change) -> bool:
        """Announce ``change``; ``False`` (logged) when Redis cannot be reached."""
        try:
            async with asyncio.timeout(PUBLISH_TIMEOUT_S):
                await self.redis.publish(self.channel, encode(change, self.origin))
        except (RedisError, OSError, TimeoutError) as exc:
            log.warning("change not announced (Redis: %s); other processes pick it up at the "
                        "next refresh", type(exc).__name__)
            return False
        return True

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="change-bus")

    async def close(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self) -> None:
        pause = FIRST_PAUSE_S
        while True:
            try:
                await self._listen()
            except (RedisError, OSError) as exc:
                log.warning("change bus: Redis unavailable (%s); retrying in %.1f s",
                            type(exc).__name__, pause)
            except Exception:
                log.exception("change bus: listener failed; retrying in %.1f s", pause)
            if self.subscribed.is_set():  # it was working: start again with a short pause
                pause = FIRST_PAUSE_S
            self.subscribed.clear()
            await asyncio.sleep(pause)
            pause = min(pause * 2, LAST_PAUSE_S)

    async def _listen(self) -> None:
        pubsub = self.redis.pubsub()
        try:
            await pubsub.subscribe(self.channel)
            waiting_for_pong = False
            while True:
                message = await pubsub.get_message(timeout=PING_EVERY_S)
                if message is None:
                    if waiting_for_pong:
                        raise ConnectionError("Redis did not answer PING")
                    await pubsub.ping()
                    waiting_for_pong = True
                    continue
                waiting_for_pong = False
                await self._on_message(message)
        finally:
            with contextlib.suppress(RedisError, OSError):
                await pubsub.aclose()

    async def _on_message(self, message: dict[str, Any]) -> None:
        kind = message.get("type")
        if kind == "subscribe":  # what was sent before (at start, while away) is lost: reload
            self.subscribed.set()
            if self._subscribed_before:
                log.info("change bus: subscribed again; reloading everything")
            self._subscribed_before = True
            await self._run_apply(EVERYTHING)
        elif kind == "message":
            found = decode(message["data"])
            if found is None:
                log.warning("change bus: ignored a malformed message")
            elif found[0] != self.origin:
                await self._run_apply(found[1])

    async def _run_apply(self, change: Change) -> None:
        try:
            await self._apply(change)
        except Exception:
            log.exception("change bus: applying a change failed; the next refresh retries")
