"""Opening and closing the store: CLI style (open_db/close_db) and inside a Sanic server."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
from pathlib import Path

import httpx
import pytest
from sanic import Sanic
from sanic.response import json as json_response

from newapi import store
from newapi.errors import StoreError
from tests.conftest import REPO, clean_env, prepared_sqlite, serving


async def test_open_switch_and_close(tmp_path: Path) -> None:
    first = await prepared_sqlite(tmp_path / "a.db")
    second = await prepared_sqlite(tmp_path / "b.db")
    await store.open_db(first)
    await store.create_user("only-in-a", "password-a1", role=1)
    await store.open_db(second)  # re-opening closes the first store
    try:
        assert await store.get_user_by_username("only-in-a") is None
        assert await store.ping()
    finally:
        await store.close_db()
    await store.close_db()  # closing twice is fine
    assert not await store.ping()
    with pytest.raises(StoreError):
        await store.get_user_by_username("root")


async def test_handlers_see_the_store(tmp_path: Path) -> None:
    url = await prepared_sqlite(tmp_path / "gw.db")
    app = Sanic("store_lifecycle_handlers")
    store.register_store(app, url)

    @app.get("/root")
    async def root(request: object) -> object:
        user = await store.get_user_by_username("root")
        return json_response({"ping": await store.ping(), "role": user.role if user else None})

    async with serving(app) as base, httpx.AsyncClient(base_url=base) as client:
        answers = [(await client.get("/root")).json() for _ in range(3)]
    assert answers == [{"ping": True, "role": 100}] * 3
    assert not await store.ping()  # after_server_stop closed it


SERVER = textwrap.dedent(
    """
    import asyncio, sys
    from sanic import Sanic
    from sanic.response import text
    from newapi import store

    app = Sanic("store_lifecycle_exit")
    store.register_store(app, sys.argv[1])
    app.add_route(lambda request: text("ok"), "/")

    @app.after_server_start
    async def stop_soon(app):
        assert await store.ping()
        app.add_task(_stop(app))

    async def _stop(app):
        await store.get_user_by_username("root")
        await asyncio.sleep(0.2)
        app.stop()

    if __name__ == "__main__":
        app.run(host="127.0.0.1", port=0, single_process=True, access_log=False, motd=False)
    """
)


async def test_sqlite_server_process_exits_after_stop(tmp_path: Path) -> None:
    """An open aiosqlite thread would keep the process alive after "Server Stopped"."""
    url = await prepared_sqlite(tmp_path / "gw.db")
    script = tmp_path / "server.py"
    script.write_text(SERVER, encoding="utf-8")
    done = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, str(script), url],
        cwd=REPO,
        env=clean_env(PYTHONPATH=str(REPO)),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
