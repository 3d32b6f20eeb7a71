"""``gateway`` as in conftest, but seeded from one migrated SQLite template per test session.

Migrating a fresh database costs about 0.7 s; copying a migrated one costs almost nothing, and
the routing, key, error and provider tests start a gateway per case.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

from newapi import store
from newapi.app import create_app
from newapi.config import load_config
from tests.conftest import prepared_sqlite, serving
from tests.relay.conftest import BASE_TOML, Gateway

__all__ = ["gateway"]


async def _template(tmp_path: Path) -> Path:
    """The session's migrated database (pytest's base temp dir holds one per session)."""
    path = tmp_path.parent / "relay-template.db"
    if not path.exists():
        building = path.with_suffix(f".{tmp_path.name}.tmp")
        await prepared_sqlite(building)
        building.replace(path)
    return path


async def _seed(db: Path, tmp_path: Path, *, user_quota: int, token_quota: int | None,
                group: str, models: list[str] | None) -> tuple[str, int, int]:
    shutil.copyfile(await _template(tmp_path), db)
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
                  relay_extra: str = "", extra_toml: str = "") -> AsyncIterator[Gateway]:
    """Same arguments and result as ``tests.relay.conftest.gateway``."""
    db = tmp_path / "gw.db"
    key, user_id, token_id = await _seed(db, tmp_path, user_quota=user_quota,
                                         token_quota=token_quota, group=group, models=models)
    text = BASE_TOML.format(db=db, journal=tmp_path / "journal", retry_times=retry_times,
                            relay_extra=relay_extra) + extra_toml + "\n" + channels
    path = tmp_path / "gateway.toml"
    path.write_text(text)
    app = create_app(load_config(path, {}))
    async with serving(app) as url:
        yield Gateway(url, app, db, key, user_id, token_id)
