"""Schema steps on SQLite: model/migration agreement, origin detection, adopting foreign schemas."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from tortoise import Tortoise
from tortoise.exceptions import IntegrityError
from tortoise.migrations.autodetector import MigrationAutodetector

from newapi import store
from newapi.errors import StoreError
from newapi.store import models
from newapi.store.db import tortoise_config
from tests.store.store_oneapi_db import ROWS, load_sqlite
from tests.store.store_upgrade_check import STEPS, check_rows_unchanged

# Columns a later One API (2024-2025) added that New API never adopted, plus two it shares.
ONE_API_HEAD = """
ALTER TABLE users ADD COLUMN lark_id text;
ALTER TABLE tokens ADD COLUMN models text;
ALTER TABLE tokens ADD COLUMN subnet text DEFAULT '';
ALTER TABLE channels ADD COLUMN config text;
ALTER TABLE channels ADD COLUMN system_prompt text;
ALTER TABLE logs ADD COLUMN elapsed_time integer DEFAULT 0;
ALTER TABLE logs ADD COLUMN is_stream numeric DEFAULT false;
ALTER TABLE logs ADD COLUMN request_id text DEFAULT '';
CREATE INDEX index_request_id ON logs(request_id);
UPDATE users SET lark_id = 'lark-1' WHERE id = 1;
UPDATE tokens SET models = 'gpt-4', subnet = '10.0.0.0/8' WHERE id = 2;
UPDATE channels SET config = '{"region":"x"}', system_prompt = 'be brief' WHERE id = 1;
UPDATE logs SET elapsed_time = 1500, is_stream = 1, request_id = 'req-1' WHERE id = 2;
"""

# A few of New API's own columns: enough to say "New API created this database".
NEW_API_SOME = """
ALTER TABLE channels ADD COLUMN auto_ban integer DEFAULT 1;
ALTER TABLE channels ADD COLUMN tag text;
ALTER TABLE users ADD COLUMN aff_count integer DEFAULT 0;
CREATE TABLE setups (id integer PRIMARY KEY, version varchar(50) NOT NULL,
                     initialized_at integer NOT NULL);
INSERT INTO setups (version, initialized_at) VALUES ('v0.9.0', 1735689600);
UPDATE channels SET tag = 'team-a', auto_ban = 0 WHERE id = 5;
"""


def _rows(path: Path, sql: str) -> list[tuple]:
    db = sqlite3.connect(path)
    try:
        return list(db.execute(sql))
    finally:
        db.close()


async def test_models_and_migrations_agree() -> None:
    """tortoise's makemigrations finds nothing to do: the steps describe the models exactly."""
    config = tortoise_config("sqlite://:memory:")
    await Tortoise.init(config=config)
    try:
        changes = await MigrationAutodetector(Tortoise.apps, config["apps"]).changes()
        assert [writer.as_string() for writer in changes] == []
    finally:
        await Tortoise.close_connections()


async def test_state_of_a_new_file(tmp_path: Path) -> None:
    state = await store.schema_state(f"sqlite://{tmp_path}/fresh.db")
    assert state.applied == () and state.pending == tuple(STEPS) and not state.up_to_date


async def test_later_one_api_columns_are_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "one-api-head.db"
    load_sqlite(path, extra_sql=ONE_API_HEAD)
    url = f"sqlite://{path}"
    assert await store.migrate(url) == STEPS
    assert _rows(path, "SELECT lark_id FROM users WHERE id = 1") == [("lark-1",)]
    assert _rows(path, "SELECT models, subnet FROM tokens WHERE id = 2") == [
        ("gpt-4", "10.0.0.0/8")
    ]
    assert _rows(path, "SELECT config, system_prompt FROM channels WHERE id = 1") == [
        ('{"region":"x"}', "be brief")
    ]
    assert _rows(path, "SELECT elapsed_time, is_stream, request_id FROM logs WHERE id = 2") == [
        (1500, 1, "req-1")
    ]
    # request_id already had an index under One API's name: no second one was made
    indexes = _rows(path, "SELECT name FROM sqlite_master WHERE type='index' AND tbl_name='logs'")
    assert ("index_request_id",) in indexes and ("idx_logs_request_id",) not in indexes
    await store.open_db(url)
    try:
        await check_rows_unchanged(new_columns=False)
        assert await store.channel_type_numbering() == "one-api"
        log = await models.Log.get(id=2)
        assert (log.is_stream, log.request_id) == (True, "req-1")
        user = await store.create_user("dave", "dave-pass-123", role=1)
        assert _rows(path, f"SELECT lark_id FROM users WHERE id = {user.id}") == [(None,)]
    finally:
        await store.close_db()


async def test_new_api_database_is_recognised(tmp_path: Path) -> None:
    path = tmp_path / "new-api.db"
    load_sqlite(path, extra_sql=NEW_API_SOME)
    url = f"sqlite://{path}"
    assert await store.migrate(url) == STEPS
    await store.open_db(url)
    try:
        assert await store.channel_type_numbering() == "new-api"
        meta = {m.key: m.value for m in await models.NewapiMeta.all()}
        assert meta == {"db_origin": "new-api", "channel_type_numbering": "new-api"}
        claude = await models.Channel.get(id=5)
        assert (claude.tag, claude.auto_ban) == ("team-a", 0)
        assert store.provider_for_channel_type(4, "new-api") == "ollama"
        assert await models.Setup.all().count() == 1
        assert await store.ensure_root_user(None) == (False, "root", None)
        assert await models.Setup.all().count() == 1
    finally:
        await store.close_db()


async def test_abilities_keep_their_composite_key(tmp_path: Path) -> None:
    url = f"sqlite://{tmp_path}/new.db"
    await store.migrate(url)
    await store.open_db(url)
    try:
        await models.Ability.bulk_create(
            [
                models.Ability(group="default", model="gpt-4o", channel_id=1, enabled=True),
                models.Ability(group="vip", model="gpt-4o", channel_id=1, enabled=True),
                models.Ability(group="default", model="gpt-4o", channel_id=2, enabled=True),
            ]
        )
        assert await models.Ability.filter(channel_id=1).update(enabled=False) == 2
        assert await models.Ability.filter(enabled=True).count() == 1
        with pytest.raises(IntegrityError):
            await models.Ability.bulk_create(
                [models.Ability(group="vip", model="gpt-4o", channel_id=1, enabled=True)]
            )
    finally:
        await store.close_db()


async def test_interrupted_upgrade_resumes(tmp_path: Path) -> None:
    """Columns added by a run that died before recording its step are simply kept."""
    path = tmp_path / "half.db"
    load_sqlite(path, extra_sql="ALTER TABLE users ADD COLUMN auth_version integer DEFAULT 7;")
    url = f"sqlite://{path}"
    assert await store.migrate(url) == STEPS
    assert _rows(path, "SELECT DISTINCT auth_version FROM users") == [(7,)]
    assert len(_rows(path, "SELECT id FROM users")) == len(ROWS["users"])


async def test_foreign_table_without_a_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "odd.db"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE options (name text, value text)")
    db.close()
    with pytest.raises(StoreError) as info:
        await store.migrate(f"sqlite://{path}")
    assert "options" in info.value.message
