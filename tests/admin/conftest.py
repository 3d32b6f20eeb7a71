"""A real gateway on loopback with one user of each role, and a GraphQL client for each."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from sanic import Sanic

from newapi import store
from newapi.app import create_app
from newapi.config import load_config
from newapi.testing import FakeUpstream, start_fake_upstream
from tests.conftest import prepared_sqlite, serving

ROOT_PASSWORD = "root-password-1"
PASSWORDS = {
    "root": ROOT_PASSWORD,
    "admin": "admin-password",
    "alice": "alice-password",
    "bob": "bob-password",
}

TOML = """\
config_version = 1

[database]
url = "sqlite://{db}"
journal_dir = "{journal}"

[security]
session_secret = "test-session-secret"

[prices."gpt-4o-mini"]
model_ratio = 0.075
completion_ratio = 4

[channels.filed]
provider = "openai"
base_url = "{upstream}"
key = "sk-upstream-filed-0123456789"
models = ["gpt-4o-mini"]
tag = "filed-tag"
"""


class GraphQLFailed(AssertionError):
    pass


@dataclass
class Caller:
    """One user's httpx client: keeps the session cookie and sends the CSRF header."""

    url: str
    http: httpx.AsyncClient
    csrf: str | None = None
    bearer: str | None = None

    async def post(self, query: str, variables: dict[str, Any] | None = None,
                   *, csrf: bool = True) -> dict[str, Any]:
        headers = {}
        if self.csrf and csrf:
            headers["X-CSRF-Token"] = self.csrf
        if self.bearer:
            headers["Authorization"] = f"Bearer {self.bearer}"
        response = await self.http.post(
            f"{self.url}/graphql", json={"query": query, "variables": variables or {}},
            headers=headers,
        )
        assert response.status_code == 200, response.text
        return response.json()

    async def data(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The ``data`` of a call that must succeed."""
        body = await self.post(query, variables)
        if body.get("errors"):
            raise GraphQLFailed(body["errors"])
        return body["data"]

    async def login(self, username: str, password: str | None = None) -> dict[str, Any]:
        data = await self.data(
            """mutation($u: String!, $p: String!) { login(username: $u, password: $p) {
                 __typename ... on LoginSuccess { csrfToken user { id role } }
                 ... on FieldErrors { errors { field message } } } }""",
            {"u": username, "p": password or PASSWORDS[username]},
        )
        result = data["login"]
        if result["__typename"] == "LoginSuccess":
            self.csrf = result["csrfToken"]
        return result


@dataclass
class AdminServer:
    url: str
    app: Sanic
    db: Path
    ids: dict[str, int]
    upstream: FakeUpstream
    clients: list[httpx.AsyncClient] = field(default_factory=list)

    def caller(self) -> Caller:
        http = httpx.AsyncClient(timeout=30)
        self.clients.append(http)
        return Caller(self.url, http)

    async def signed_in(self, username: str) -> Caller:
        caller = self.caller()
        result = await caller.login(username)
        assert result["__typename"] == "LoginSuccess", result
        return caller


async def _seed(db: Path) -> dict[str, int]:
    await prepared_sqlite(db, ROOT_PASSWORD)
    await store.open_db(f"sqlite://{db}")
    try:
        ids = {"root": (await store.get_user_by_username("root")).id}  # type: ignore[union-attr]
        admin = await store.create_user("admin", PASSWORDS["admin"], role=10, quota=1000)
        alice = await store.create_user("alice", PASSWORDS["alice"], role=1, quota=5000)
        bob = await store.create_user("bob", PASSWORDS["bob"], role=1, quota=5000)
        ids.update(admin=admin.id, alice=alice.id, bob=bob.id)
        await store.create_token(bob.id, "bob-key")
        return ids
    finally:
        await store.close_db()


_TEMPLATE: dict[str, Any] = {}


async def _seeded_copy(db: Path, template_dir: Path) -> dict[str, int]:
    """Seed once per session (bcrypt and migrations are slow), then copy the file."""
    template = template_dir / "admin-template.db"
    if "ids" not in _TEMPLATE:
        _TEMPLATE["ids"] = await _seed(template)
    shutil.copyfile(template, db)
    return dict(_TEMPLATE["ids"])


@contextlib.asynccontextmanager
async def admin_server(
    tmp_path: Path, template_dir: Path, extra_toml: str = ""
) -> AsyncIterator[AdminServer]:
    db = tmp_path / "admin.db"
    ids = await _seeded_copy(db, template_dir)
    upstream = await start_fake_upstream()
    path = tmp_path / "gateway.toml"
    text = TOML.format(db=db, journal=tmp_path / "journal", upstream=upstream.url)
    path.write_text(text + extra_toml)
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


@pytest.fixture(scope="session")
def template_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("admin-template")


@pytest.fixture
async def server(tmp_path: Path, template_dir: Path) -> AsyncIterator[AdminServer]:
    async with admin_server(tmp_path, template_dir) as running:
        yield running
