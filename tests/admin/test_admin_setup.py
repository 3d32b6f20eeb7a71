"""First-run setup: open while no root user exists, refused with ``setup_done`` afterwards."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from newapi import store
from newapi.app import create_app
from newapi.config import load_config
from tests.admin.conftest import AdminServer, Caller
from tests.conftest import serving

SETUP = """mutation($input: SetupInput!) { setup(input: $input) {
  __typename ... on SetupComplete { userId username }
  ... on FieldErrors { errors { field message } } } }"""
STATUS = "{ setupStatus { done rootExists } }"


def _input(username: str = "owner", password: str = "owner-pass-1",
           confirm: str | None = None) -> dict[str, object]:
    return {"input": {"username": username, "password": password,
                      "confirmPassword": password if confirm is None else confirm}}


@pytest.fixture
async def fresh(tmp_path: Path) -> AsyncIterator[Caller]:
    """A gateway on a migrated database without any user (no ``newapi serve`` preparation)."""
    db = tmp_path / "fresh.db"
    await store.open_db(f"sqlite://{db}")
    try:
        await store.migrate_here()
    finally:
        await store.close_db()
    path = tmp_path / "gateway.toml"
    path.write_text(
        f'config_version = 1\n[database]\nurl = "sqlite://{db}"\n'
        f'journal_dir = "{tmp_path / "journal"}"\n[security]\nsession_secret = "s"\n'
    )
    async with serving(create_app(load_config(path, {}))) as url, httpx.AsyncClient() as http:
        yield Caller(url, http)


async def test_setup_creates_the_root_user_once(fresh: Caller) -> None:
    assert (await fresh.data(STATUS))["setupStatus"] == {"done": False, "rootExists": False}
    bad = (await fresh.data(SETUP, _input("a-very-long-name", "short", "other")))["setup"]
    assert bad["errors"] == [
        {"field": "username", "message": "at most 12 characters"},
        {"field": "confirmPassword", "message": "does not match the password"},
    ]
    weak = (await fresh.data(SETUP, _input(password="short")))["setup"]
    assert weak["errors"] == [
        {"field": "password", "message": "the password must be at least 8 characters"}
    ]
    assert (await fresh.data(STATUS))["setupStatus"]["done"] is False

    done = (await fresh.data(SETUP, _input()))["setup"]
    assert (done["__typename"], done["username"]) == ("SetupComplete", "owner")
    assert (await fresh.data(STATUS))["setupStatus"] == {"done": True, "rootExists": True}
    owner = await store.get_user_by_username("owner")
    assert owner is not None
    assert (owner.role, owner.quota) == (100, 100_000_000)
    assert (await fresh.login("owner", "owner-pass-1"))["__typename"] == "LoginSuccess"

    again = await fresh.post(SETUP, _input("other", "other-pass-1"))
    assert again["data"] is None
    assert again["errors"][0]["extensions"]["code"] == "setup_done"
    # What `newapi serve` runs at start keeps the root user that the setup created.
    assert await store.ensure_root_user(None) == (False, "owner", None)


async def test_concurrent_setups_create_one_root(fresh: Caller) -> None:
    bodies = await asyncio.gather(
        *(fresh.post(SETUP, _input(f"owner{n}", f"owner-pass-{n}")) for n in range(4))
    )
    completed = [b for b in bodies if b["data"] is not None]
    refused = [b["errors"][0]["extensions"]["code"] for b in bodies if b["data"] is None]
    assert len(completed) == 1
    assert refused == ["setup_done"] * 3


async def test_a_served_gateway_is_already_set_up(server: AdminServer) -> None:
    """``newapi serve`` (here: the seeded root user) leaves nothing for the setup to do."""
    anonymous = server.caller()
    assert (await anonymous.data(STATUS))["setupStatus"] == {"done": True, "rootExists": True}
    body = await anonymous.post(SETUP, _input())
    assert body["errors"][0]["extensions"]["code"] == "setup_done"
    assert await store.get_user_by_username("owner") is None
