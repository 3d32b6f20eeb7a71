"""Two real gateway processes on one database and one Redis: an admin change made through one
is in force on the other at once. SYNC_FREQUENCY is an hour, so only the bus explains it."""

from __future__ import annotations

import asyncio
import contextlib
import random
import signal
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import openai
import orjson
import pytest

from newapi.testing import FakeUpstream, start_fake_upstream
from tests.admin.conftest import ROOT_PASSWORD, Caller
from tests.conftest import clean_env, free_port
from tests.store.store_oneapi_db import pg_server, scratch_postgres

NODE_TOML = """\
config_version = 1

[database]
url = "{db}"
journal_dir = "{journal}"

[redis]
url = "{redis}"

[node]
name = "{name}"
sync_frequency_s = 3600

[security]
session_secret = "test-session-secret"

[relay]
retry_times = 0

[prices."gpt-4o-mini"]
model_ratio = 0.075
completion_ratio = 4

[prices."gpt-4.1"]
model_ratio = 1

[channels.filed]
provider = "openai"
base_url = "{upstream}"
key = "sk-upstream-filed-0123456789"
models = ["gpt-4o-mini", "gpt-4o"]
"""

TOKEN_OFF = """mutation($id: Int!) { updateToken(input: {id: $id, status: 2}) {
  __typename ... on Token { status } } }"""
CHANNEL = """mutation($input: ChannelInput!) { createChannel(input: $input) { __typename
  ... on Channel { id } ... on FieldErrors { errors { field message } } } }"""
SETTINGS = """mutation($input: [SettingInput!]!) { updateSettings(input: $input) { __typename
  ... on FieldErrors { errors { field message } } } }"""
PROMPT = [{"role": "user", "content": "the same question every time"}]


SEED = """
import asyncio, sys
import orjson
from newapi import store
from newapi.store.models import Token
from newapi.store.queries.options import save_options

async def main(url, root_password):
    await store.open_db(url)
    try:
        await store.migrate_here()
        await store.ensure_root_user(root_password)
        alice = await store.create_user("alice", "alice-password", role=1, quota=10**9)
        keys = [await store.create_token(alice.id, f"key-{n}", unlimited=True) for n in range(2)]
        ids = [(await Token.get(key=key[3:])).id for key in keys]
        await save_options({"ModelRatio": '{"gpt-4o": 1}'}, [])
    finally:
        await store.close_db()
    sys.stdout.write(orjson.dumps({"keys": keys, "ids": ids}).decode())

asyncio.run(main(sys.argv[1], sys.argv[2]))
"""


@dataclass
class Seeded:
    url: str  # the shared database
    keys: list[str]  # alice's keys
    token_ids: list[int]


def _seed(url: str) -> Seeded:
    """Migrate ``url`` and add root, alice with two keys and a gpt-4o ratio (in a child
    process: tortoise keeps per-dialect state in the process that would leak into others)."""
    done = subprocess.run([sys.executable, "-c", SEED, url, ROOT_PASSWORD], env=clean_env(),
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    found = orjson.loads(done.stdout)
    return Seeded(url, found["keys"], found["ids"])


@dataclass
class Node:
    url: str
    proc: subprocess.Popen[bytes]


@contextlib.contextmanager
def _node(tmp_path: Path, name: str, redis: str, db: str, upstream: str) -> Iterator[Node]:
    config = tmp_path / f"{name}.toml"
    config.write_text(NODE_TOML.format(db=db, journal=tmp_path / f"journal-{name}", redis=redis,
                                       name=name, upstream=upstream))
    port = free_port()
    with (tmp_path / f"{name}.log").open("ab") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "newapi", "serve", "--config", str(config),
             "--host", "127.0.0.1", "--port", str(port)],
            env=clean_env(), stdout=log, stderr=subprocess.STDOUT,
        )
    try:
        yield Node(f"http://127.0.0.1:{port}", proc)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


async def _ready(node: Node) -> None:
    async with httpx.AsyncClient() as http:
        for _ in range(400):
            assert node.proc.poll() is None, "the gateway exited"
            with contextlib.suppress(httpx.TransportError):
                if (await http.get(f"{node.url}/readyz")).status_code == 200:
                    return
            await asyncio.sleep(0.05)
    raise AssertionError("the gateway did not become ready")


async def _eventually(check: Callable[[], Awaitable[bool]], what: str) -> None:
    """``check`` until it holds: the bus delivers asynchronously, in milliseconds."""
    for _ in range(200):
        if await check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"never happened: {what}")


@contextlib.asynccontextmanager
async def _signed_in(url: str, username: str, password: str) -> AsyncIterator[Caller]:
    async with httpx.AsyncClient(timeout=30) as http:
        caller = Caller(url, http)
        result = await caller.login(username, password)
        assert result["__typename"] == "LoginSuccess", result
        yield caller


def _sdk(node: Node, key: str) -> openai.AsyncOpenAI:
    return openai.AsyncOpenAI(base_url=f"{node.url}/v1", api_key=key, max_retries=0)


async def _refused(sdk: openai.AsyncOpenAI, model: str = "gpt-4o-mini") -> bool:
    try:
        await sdk.chat.completions.create(model=model, messages=PROMPT)  # type: ignore[arg-type]
    except openai.APIStatusError:
        return True
    return False


async def _billed(url: str, request_id: str) -> int | None:
    query = "SELECT quota FROM logs WHERE type = 2 AND request_id = $1"
    if url.startswith("sqlite://"):
        with contextlib.closing(sqlite3.connect(url.removeprefix("sqlite://"))) as conn:
            row = conn.execute(query.replace("$1", "?"), (request_id,)).fetchone()
    else:
        import asyncpg

        conn = await asyncpg.connect(url)
        try:
            row = await conn.fetchrow(query, request_id)
        finally:
            await conn.close()
    return None if row is None else int(row[0])


async def _charge(sdk: openai.AsyncOpenAI, url: str) -> int:
    """What one gpt-4o request on ``sdk``'s node is billed (read back from the logs)."""
    raw = await sdk.chat.completions.with_raw_response.create(model="gpt-4o", messages=PROMPT)  # type: ignore[arg-type]
    request_id = raw.headers["x-oneapi-request-id"]
    found: list[int] = []

    async def logged() -> bool:
        quota = await _billed(url, request_id)
        found.extend([] if quota is None else [quota])
        return bool(found)

    await _eventually(logged, "the request's log row")
    return found[0]


@pytest.fixture
async def upstream() -> AsyncIterator[FakeUpstream]:
    fake = await start_fake_upstream()
    try:
        yield fake
    finally:
        await fake.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """An empty database both nodes share: a SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite://{tmp_path / 'shared.db'}"
        return
    async with scratch_postgres(pg_server()) as url:
        yield url


@pytest.mark.redis
async def test_admin_changes_on_one_node_are_in_force_on_the_other(
    tmp_path: Path, upstream: FakeUpstream, database: str
) -> None:
    seeded = await asyncio.to_thread(_seed, database)
    redis = f"redis://127.0.0.1:6379/{random.randrange(1, 16)}"
    with _node(tmp_path, "a", redis, seeded.url, upstream.url) as a, \
            _node(tmp_path, "b", redis, seeded.url, upstream.url) as b:
        await asyncio.gather(_ready(a), _ready(b))
        first, second = _sdk(b, seeded.keys[0]), _sdk(b, seeded.keys[1])
        async with first, second, \
                _signed_in(a.url, "alice", "alice-password") as alice, \
                _signed_in(a.url, "root", ROOT_PASSWORD) as root:
            # a disabled token: B cached its owner for an hour, and still refuses it
            assert not await _refused(first)
            off = await alice.data(TOKEN_OFF, {"id": seeded.token_ids[0]})
            assert off["updateToken"] == {"__typename": "Token", "status": 2}
            await _eventually(lambda: _refused(first), "B refuses the disabled token")
            assert not await _refused(second), "a token of the same user was refused too"

            # a new channel: B routes a model that had no channel to it
            assert await _refused(second, "gpt-4.1")
            made = await root.data(CHANNEL, {"input": {
                "name": "added", "type": 1, "key": "sk-account-key-0123456789",
                "baseUrl": upstream.url, "models": ["gpt-4.1"]}})
            assert made["createChannel"]["__typename"] == "Channel", made

            async def routed() -> bool:
                return not await _refused(second, "gpt-4.1")

            await _eventually(routed, "B routes gpt-4.1 to the new channel")

            # a price: B bills the new model ratio
            before = await _charge(second, seeded.url)
            assert before > 0
            changed = await root.data(SETTINGS, {"input": [
                {"key": "ModelRatio", "value": '{"gpt-4o": 4}'}]})
            assert changed["updateSettings"]["__typename"] == "SettingList", changed
            charged: list[int] = []

            async def repriced() -> bool:
                charged.append(await _charge(second, seeded.url))
                return charged[-1] != before

            await _eventually(repriced, "B bills the new price")
            assert charged[-1] == 4 * before


@pytest.mark.redis
async def test_without_a_reachable_redis_the_gateway_serves_and_admin_changes_apply_here(
    tmp_path: Path, upstream: FakeUpstream
) -> None:
    seeded = await asyncio.to_thread(_seed, f"sqlite://{tmp_path / 'alone.db'}")
    nowhere = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    with _node(tmp_path, "alone", nowhere, seeded.url, upstream.url) as alone:
        await _ready(alone)
        sdk = _sdk(alone, seeded.keys[0])
        async with sdk, _signed_in(alone.url, "alice", "alice-password") as alice:
            reply = await sdk.chat.completions.create(model="gpt-4o-mini", messages=PROMPT)  # type: ignore[arg-type]
            assert reply.choices[0].message.content
            off = await alice.data(TOKEN_OFF, {"id": seeded.token_ids[0]})
            assert off["updateToken"] == {"__typename": "Token", "status": 2}
            with pytest.raises(openai.AuthenticationError):  # applied here at once
                await sdk.chat.completions.create(model="gpt-4o-mini", messages=PROMPT)  # type: ignore[arg-type]
        assert alone.proc.poll() is None
    log = (tmp_path / "alone.log").read_text()
    assert "change not announced (Redis: ConnectionError)" in log
    assert "change bus: Redis unavailable" in log
    assert "Traceback" not in log
