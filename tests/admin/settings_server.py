"""A gateway for the settings, groups and pricing tests: a file-owned setting, a file-priced
model, a file group, a vip-only channel and four failing channels for retry counting."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx

from newapi import store
from newapi.app import create_app
from newapi.config import load_config
from newapi.testing import start_fake_upstream
from tests.admin.conftest import AdminServer, _seeded_copy
from tests.conftest import serving

TOML = """\
config_version = 1

[database]
url = "sqlite://{db}"
journal_dir = "{journal}"

[security]
session_secret = "test-session-secret"

[relay]
pre_consumed_quota = 100

[prices."gpt-4o-mini"]
model_ratio = 0.075
completion_ratio = 4

[groups.vip]
ratio = 1.5

[channels.good]
provider = "openai"
base_url = "{upstream}"
key = "sk-upstream-good-0123456789"
models = ["gpt-4o", "gpt-4o-mini"]

[channels.vip-only]
provider = "openai"
base_url = "{upstream}"
key = "sk-upstream-vip-0123456789"
models = ["gpt-4o-vip-preview"]
groups = ["vip"]
"""

FAILING = """
[channels.bad-{n}]
provider = "openai"
base_url = "{url}"
key = "sk-upstream-bad-{n}-0123456789"
models = ["gpt-4.1"]
"""

SETTINGS_QUERY = """{ settings { key kind value isSet default effective effect secret
  fileOverride fileField fileEntries } }"""

UPDATE = """mutation($input: [SettingInput!]!) { updateSettings(input: $input) {
  __typename ... on SettingList { settings { key value effective } }
  ... on FieldErrors { errors { field message } } } }"""


@contextlib.asynccontextmanager
async def settings_server(tmp_path: Path, template_dir: Path) -> AsyncIterator[AdminServer]:
    db = tmp_path / "admin.db"
    ids = await _seeded_copy(db, template_dir)
    upstream = await start_fake_upstream()
    text = TOML.format(db=db, journal=tmp_path / "journal", upstream=upstream.url)
    text += "".join(FAILING.format(n=n, url=upstream.scenario_url("status=500")) for n in range(4))
    path = tmp_path / "gateway.toml"
    path.write_text(text)
    app = create_app(load_config(path, {}))
    server: AdminServer | None = None
    try:
        async with serving(app) as url:
            server = AdminServer(url, app, db, ids, upstream)
            yield server
    finally:
        if server is not None:
            for client in server.clients:
                await client.aclose()
        await upstream.stop()


async def update(caller: Any, *entries: tuple[str, str]) -> dict[str, Any]:
    data = await caller.data(UPDATE, {"input": [{"key": k, "value": v} for k, v in entries]})
    result: dict[str, Any] = data["updateSettings"]
    return result


async def api_key(server: AdminServer, username: str, group: str = "") -> str:
    """A new user (group ``default``) with a big balance and an unlimited key in ``group``."""
    user = await store.create_user(username, "password-123", role=1, quota=10**9)
    key: str = await store.create_token(user.id, f"{username}-key", unlimited=True, group=group)
    return key


async def chat(server: AdminServer, key: str, model: str, marker: str = "") -> httpx.Response:
    async with httpx.AsyncClient(timeout=30) as http:
        return await http.post(
            f"{server.url}/v1/chat/completions",
            headers={"Authorization": f"Bearer {key}"},
            json={"model": model, "messages": [{"role": "user", "content": f"hi {marker}"}]},
        )
