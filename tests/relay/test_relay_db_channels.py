"""Channels from the database (One API's table) route next to gateway.toml channels."""

from __future__ import annotations

from pathlib import Path

import openai
import orjson

from newapi import store
from newapi.testing import FakeUpstream
from tests.relay.conftest import gateway


async def _add_channels(db: Path, rows: list[dict]) -> None:
    await store.open_db(f"sqlite://{db}")
    try:
        from newapi.store.models import Channel

        for row in rows:
            await Channel.create(**row)
    finally:
        await store.close_db()


async def test_database_channels_route_and_are_billed(tmp_path: Path, fake: FakeUpstream) -> None:
    async def add_rows(db: Path) -> None:
        await _add_channels(
            db,
            [
                {
                    "id": 7,
                    "type": 1,
                    "key": "sk-db-one\nsk-db-two",
                    "status": 1,
                    "name": "db-openai",
                    "base_url": fake.url,
                    "models": "gpt-4o, gpt-4o-mini",
                    "group": "default",
                    "priority": 5,
                    "weight": 1,
                    "model_mapping": orjson.dumps(
                        {"gpt-4o-mini": "gpt-4o-mini-2024-07-18"}
                    ).decode(),
                },
                {
                    "id": 8,
                    "type": 1,
                    "key": "sk-db-off",
                    "status": 2,
                    "name": "db-disabled",
                    "base_url": fake.url,
                    "models": "gpt-4o",
                    "group": "default",
                    "priority": 9,
                },
                {
                    "id": 9,
                    "type": 999,
                    "key": "x",
                    "status": 1,
                    "name": "unknown-type",
                    "base_url": fake.url,
                    "models": "gpt-4o",
                    "group": "default",
                    "priority": 9,
                },
            ],
        )

    async with gateway(tmp_path, "", setup=add_rows) as gw:
        client = openai.AsyncOpenAI(base_url=gw.url + "/v1", api_key=gw.key, max_retries=0)
        reply = await client.chat.completions.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": "from the database"}]
        )
        await client.close()
        assert reply.choices[0].message.content == "echo: from the database"
        sent = fake.requests[-1]
        assert sent.json["model"] == "gpt-4o-mini-2024-07-18"  # the row's model_mapping
        assert sent.headers["authorization"] in ("Bearer sk-db-one", "Bearer sk-db-two")
        [row] = await gw.logs()
        assert row["channel_id"] == 7 and row["model_name"] == "gpt-4o-mini"
        from newapi.store.models import Channel

        assert (await Channel.get(id=7)).used_quota == row["quota"] > 0
