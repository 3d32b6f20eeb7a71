"""A real gateway on loopback in front of the fake upstream, with a user and an API key."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sanic import Sanic

from newapi import store
from newapi.app import create_app
from newapi.config import load_config
from newapi.testing import FakeUpstream, start_fake_upstream
from tests.conftest import prepared_sqlite, serving

BASE_TOML = """\
config_version = 1

[database]
url = "sqlite://{db}"
journal_dir = "{journal}"

[relay]
keepalive_interval_s = 1
retry_times = {retry_times}
{relay_extra}

[prices."gpt-4o"]
model_ratio = 1.25
completion_ratio = 4
cache_ratio = 0.5

[prices."gpt-4o-mini"]
model_ratio = 0.075
completion_ratio = 4

[prices."text-embedding-3-small"]
model_ratio = 0.01

[prices."omni-moderation-latest"]
free = true

[prices."dall-e-3"]
model_price_usd = 0.04

[groups.default]
ratio = 1

[groups.vip]
ratio = 1.5
"""


@dataclass
class Gateway:
    """A running gateway: its URL, app, config text and the test user's key."""

    url: str
    app: Sanic
    db: Path
    key: str
    user_id: int
    token_id: int
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def relay(self) -> Any:
        return self.app.ctx.relay

    async def flush(self) -> None:
        await self.relay.ledger.flush()

    async def balances(self) -> dict[str, int]:
        """User quota/used/request count and token remain/used, as in the database."""
        await self.flush()
        from newapi.store.models import Token, User

        user = await User.get(id=self.user_id)
        token = await Token.get(id=self.token_id)
        return {"quota": user.quota, "used": user.used_quota, "requests": user.request_count,
                "remain": token.remain_quota, "token_used": token.used_quota}

    async def logs(self) -> list[dict[str, Any]]:
        await self.flush()
        from newapi.store.models import Log

        return list(await Log.filter(type=2).order_by("id").values())


async def _seed(db: Path, *, user_quota: int, token_quota: int | None, group: str,
                models: list[str] | None) -> tuple[str, int, int]:
    await prepared_sqlite(db)
    await store.open_db(f"sqlite://{db}")
    try:
        user = await store.create_user("alice", "alice-password", role=1, group=group,
                                       quota=user_quota)
        key = await store.create_token(user.id, "test", quota=token_quota or 0,
                                       unlimited=token_quota is None, group="", models=models)
        from newapi.store.models import Token

        token = await Token.get(key=key[3:])
        return key, user.id, token.id
    finally:
        await store.close_db()


@contextlib.asynccontextmanager
async def gateway(tmp_path: Path, channels: str, *, user_quota: int = 50_000_000,
                  token_quota: int | None = None, group: str = "default",
                  models: list[str] | None = None, retry_times: int = 2,
                  relay_extra: str = "", extra_toml: str = "",
                  setup: Callable[[Path], Awaitable[None]] | None = None,
                  ) -> AsyncIterator[Gateway]:
    """``setup(db)`` runs after seeding, before the gateway starts (e.g. to add rows)."""
    db = tmp_path / "gw.db"
    key, user_id, token_id = await _seed(db, user_quota=user_quota, token_quota=token_quota,
                                         group=group, models=models)
    if setup is not None:
        await setup(db)
    text = BASE_TOML.format(db=db, journal=tmp_path / "journal", retry_times=retry_times,
                            relay_extra=relay_extra) + extra_toml + "\n" + channels
    path = tmp_path / "gateway.toml"
    path.write_text(text)
    app = create_app(load_config(path, {}))
    async with serving(app) as url:
        yield Gateway(url, app, db, key, user_id, token_id)


def openai_channel(name: str, base_url: str, models: str = '"gpt-4o", "gpt-4o-mini"', *,
                   priority: int = 0, weight: int = 1, extra: str = "") -> str:
    return f"""
[channels.{name}]
provider = "openai"
base_url = "{base_url}"
key = "sk-upstream-{name}"
models = [{models}]
priority = {priority}
weight = {weight}
{extra}
"""


@pytest.fixture
async def fake() -> AsyncIterator[FakeUpstream]:
    upstream = await start_fake_upstream()
    try:
        yield upstream
    finally:
        await upstream.stop()
