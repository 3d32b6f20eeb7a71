"""The change bus on its own: message format, delivery between processes' buses, reconnects."""

from __future__ import annotations

import asyncio
import contextlib
import random
import subprocess
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from redis.asyncio import Redis
from redis.exceptions import RedisError

from newapi.auth.api_keys import ApiKeys, KeyOwner
from newapi.cache.changes import EVERYTHING, MAX_IDS, Change, ChangeBus, decode, encode
from tests.conftest import free_port

SHARED_REDIS = "redis://127.0.0.1:6379/{db}"


def test_a_change_survives_the_wire() -> None:
    change = Change(channels=True, enabled_channels=(3, 4), options=True, token_ids=(12,),
                    user_ids=(7, 8))
    assert decode(encode(change, "node-a")) == ("node-a", change)
    assert decode(encode(EVERYTHING, "x")) == ("x", EVERYTHING)


@pytest.mark.parametrize("data", [
    b"not json", b"[]", b'{"channels": true}', b'{"origin": 5}',
    b'{"origin": "a", "token_ids": "12"}', b'{"origin": "a", "user_ids": [true]}',
    b'{"origin": "a", "user_ids": [1.5]}',
])
def test_foreign_messages_are_ignored(data: bytes) -> None:
    assert decode(data) is None


def test_unknown_fields_and_non_true_flags_do_nothing() -> None:
    found = decode(b'{"origin": "a", "channels": "yes", "options": 1, "new_field": 3}')
    assert found == ("a", Change())


def test_long_id_lists_become_all_keys() -> None:
    assert Change.keys(tokens=range(MAX_IDS + 1)) == Change(all_keys=True)
    assert Change.keys(tokens=[1], users=[2]) == Change(token_ids=(1,), user_ids=(2,))


def _owner(token_id: int, user_id: int) -> KeyOwner:
    return KeyOwner(token_id=token_id, token_name="t", token_status=1, expired_time=-1,
                    remain_quota=0, unlimited_quota=True, model_limits=None, allow_ips=None,
                    token_group="", user_id=user_id, username="u", user_role=1, user_status=1,
                    user_group="default", user_quota=100, token_used_quota=0, record_ip=False)


async def test_forget_owners_drops_the_named_tokens_and_users_only() -> None:
    owners = {"k1": _owner(1, 10), "k2": _owner(2, 10), "k3": _owner(3, 20), "k4": _owner(4, 30)}
    loads: list[str] = []

    async def load(key: str) -> KeyOwner | None:
        loads.append(key)
        return owners[key]

    keys = ApiKeys(load, ttl=3600)
    for key in owners:
        await keys.authenticate(key, "127.0.0.1")
    keys.forget_owners(token_ids=[3], user_ids=[10])
    for key in owners:
        await keys.authenticate(key, "127.0.0.1")
    assert loads == ["k1", "k2", "k3", "k4", "k1", "k2", "k3"]


async def test_a_load_that_overlaps_an_invalidation_is_not_kept() -> None:
    started, release = asyncio.Event(), asyncio.Event()
    loads = 0

    async def load(key: str) -> KeyOwner | None:
        nonlocal loads
        loads += 1
        if loads == 1:
            started.set()
            await release.wait()  # read before the admin's write; answers after it
        return _owner(1, 10)

    keys = ApiKeys(load, ttl=3600)
    slow = asyncio.create_task(keys.authenticate("k", "127.0.0.1"))
    await started.wait()
    keys.forget_owners(token_ids=[1])
    release.set()
    await slow
    await keys.authenticate("k", "127.0.0.1")
    assert loads == 2, "the stale owner was cached"


class Node:
    """A bus with the changes it applied."""

    def __init__(self, redis: Redis) -> None:
        self.applied: list[Change] = []
        self.arrived = asyncio.Condition()
        self.bus = ChangeBus(redis, self._apply)

    async def _apply(self, change: Change) -> None:
        async with self.arrived:
            self.applied.append(change)
            self.arrived.notify_all()

    async def ready(self) -> None:
        """Subscribed, and the reload that follows every subscription is done."""
        assert await self.wait_for(1) == [EVERYTHING]
        self.applied.clear()

    async def wait_for(self, count: int) -> list[Change]:
        async with self.arrived:
            await asyncio.wait_for(self.arrived.wait_for(lambda: len(self.applied) >= count), 10)
        return self.applied


@contextlib.asynccontextmanager
async def node(url: str) -> AsyncIterator[Node]:
    redis = Redis.from_url(url)
    running = Node(redis)
    running.bus.start()
    try:
        yield running
    finally:
        await running.bus.close()
        await redis.aclose()


@pytest.mark.redis
async def test_changes_reach_the_other_buses_but_not_their_sender() -> None:
    url = SHARED_REDIS.format(db=random.randrange(1, 16))
    async with node(url) as a, node(url) as b, node(url) as c:
        for each in (a, b, c):
            await each.ready()
        assert a.bus.channel.startswith("newapi:changes:")
        assert await a.bus.publish(Change.keys(tokens=[5]))
        assert await b.bus.publish(Change(channels=True))
        assert await c.wait_for(2) == [Change(token_ids=(5,)), Change(channels=True)]
        assert await b.wait_for(1) == [Change(token_ids=(5,))]
        assert await a.wait_for(1) == [Change(channels=True)]


@pytest.mark.redis
async def test_buses_on_other_redis_databases_hear_nothing() -> None:
    first = random.randrange(1, 15)
    async with node(SHARED_REDIS.format(db=first)) as a, \
            node(SHARED_REDIS.format(db=first + 1)) as other, \
            node(SHARED_REDIS.format(db=first)) as b:
        for each in (a, other, b):
            await each.ready()
        await a.bus.publish(Change(options=True))
        await a.bus.publish(Change(channels=True))
        assert await b.wait_for(2) == [Change(options=True), Change(channels=True)]
    assert other.applied == []


@contextlib.contextmanager
def redis_server(port: int, folder: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A private redis-server on ``port`` (no persistence), stopped on exit."""
    proc = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(folder)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        yield proc
    finally:
        proc.terminate()
        proc.wait(timeout=10)


async def _wait_up(url: str) -> None:
    redis = Redis.from_url(url)
    try:
        for _ in range(200):
            with contextlib.suppress(RedisError, OSError):
                if await redis.ping():
                    return
            await asyncio.sleep(0.05)
        raise AssertionError("redis-server did not start")
    finally:
        await redis.aclose()


@pytest.mark.redis
async def test_a_restarted_redis_is_found_again_and_everything_reloads(tmp_path: Path) -> None:
    port = free_port()
    url = f"redis://127.0.0.1:{port}/0"
    with contextlib.ExitStack() as servers:
        first = servers.enter_context(redis_server(port, tmp_path))
        await _wait_up(url)
        async with node(url) as a, node(url) as b:
            for each in (a, b):
                await each.ready()
            await a.bus.publish(Change(options=True))
            assert await b.wait_for(1) == [Change(options=True)]

            first.terminate()
            first.wait(timeout=10)
            assert not await a.bus.publish(Change(channels=True))  # logged, not raised

            servers.enter_context(redis_server(port, tmp_path))
            await _wait_up(url)
            # messages sent while away are lost, so each bus reloads everything once back
            assert (await a.wait_for(1))[-1] == EVERYTHING
            assert (await b.wait_for(2))[-1] == EVERYTHING
            await a.bus.publish(Change.keys(users=[9]))
            assert (await b.wait_for(3))[-1] == Change(user_ids=(9,))


async def test_a_silent_redis_does_not_hold_an_admin_change(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import newapi.cache.changes as changes

    monkeypatch.setattr(changes, "PUBLISH_TIMEOUT_S", 0.2)
    accepted: list[asyncio.StreamWriter] = []

    async def swallow(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        accepted.append(writer)  # reads nothing, answers nothing

    server = await asyncio.start_server(swallow, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    redis = Redis.from_url(f"redis://127.0.0.1:{port}/0")
    async def never(change: Change) -> None:
        raise AssertionError("nothing was subscribed")

    try:
        bus = ChangeBus(redis, never)
        assert not await bus.publish(Change(channels=True))
        assert accepted, "the publish never reached the server"
    finally:
        await redis.aclose()
        for writer in accepted:
            writer.close()
        server.close()
        await server.wait_closed()
