"""Shared fixtures: free loopback ports, temporary working folders and the CLI runner."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sanic import Sanic

Sanic.test_mode = True  # several apps per process (each test builds its own)

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def clean_env(**extra: str) -> dict[str, str]:
    """The environment minus New API's variables (so the host's settings cannot leak in)."""
    drop = {
        "PORT",
        "SQL_DSN",
        "SQLITE_PATH",
        "LOG_SQL_DSN",
        "REDIS_CONN_STRING",
        "SESSION_SECRET",
        "CRYPTO_SECRET",
        "NODE_TYPE",
        "MEMORY_CACHE_ENABLED",
        "NEWAPI_ROOT_PASSWORD",
    }
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(extra)
    return env


def run_cli(
    *args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m newapi ARGS`` and capture its output."""
    return subprocess.run(
        [sys.executable, "-m", "newapi", *args],
        cwd=cwd,
        env=env if env is not None else clean_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture
def workdir(tmp_path: Path) -> Iterator[Path]:
    """An empty folder to run the CLI in."""
    folder = tmp_path / "work"
    folder.mkdir()
    yield folder


@contextlib.asynccontextmanager
async def serving(app: Sanic) -> AsyncIterator[str]:
    """Run ``app`` on a free loopback port inside the test's event loop; yield its base URL."""
    port = free_port()
    server = await app.create_server(
        host="127.0.0.1", port=port, return_asyncio_server=True, access_log=False
    )
    assert server is not None
    await server.startup()
    await server.before_start()
    await server.after_start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await server.before_stop()
        await server.close()
        await server.after_stop()


async def prepared_sqlite(path: Path, root_password: str = "root-password-1") -> str:
    """Create and migrate a SQLite database at ``path`` with a root user; return its URL."""
    from newapi import store

    url = f"sqlite://{path}"
    await store.open_db(url)
    try:
        await store.migrate_here()
        await store.ensure_root_user(root_password)
    finally:
        await store.close_db()
    return url
