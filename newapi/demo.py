"""``newapi demo``: the gateway in front of the built-in fake upstream, with a demo key.

Everything runs on this machine: no provider key and no network are needed. The demo keeps its
database and config in a folder of its own (``./newapi-demo`` by default).
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

from newapi import store

__all__ = ["DEMO_MODELS", "demo_config", "seed_demo", "start_fake_upstream_process"]

DEMO_MODELS = ("gpt-4o-mini", "gpt-4o", "text-embedding-3-small")
DEMO_QUOTA = 100 * 500_000  # 100 USD


def demo_config(folder: Path, upstream_port: int, port: int) -> str:
    """The demo's gateway.toml: one channel on the local fake upstream."""
    models = ", ".join(f'"{m}"' for m in DEMO_MODELS)
    return f"""#:schema https://newapi.invalid/gateway.v1.schema.json
config_version = 1

[server]
host = "127.0.0.1"
port = {port}

[database]
url = "sqlite://{folder / "demo.db"}"
journal_dir = "{folder / "journal"}"

[channels.fake-upstream]
provider = "openai_compatible"
base_url = "http://127.0.0.1:{upstream_port}"
key = "sk-fake-upstream"
models = [{models}]
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_fake_upstream_process(port: int) -> subprocess.Popen[bytes]:
    """The fake upstream as a child process on 127.0.0.1:``port``; waits until it listens."""
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "newapi.testing.fake_upstream",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return proc
        time.sleep(0.05)
    proc.kill()
    raise RuntimeError("the fake upstream did not start")


async def seed_demo(url: str) -> str:
    """Create the demo user and a fresh unlimited key on the open database; returns the key."""
    user = await store.get_user_by_username("demo")
    if user is None:
        user = await store.create_user("demo", "demo-password", role=1, quota=DEMO_QUOTA)
    name = f"demo-{int(time.time())}"
    return await store.create_token(user.id, name, quota=0, unlimited=True, group="", models=None)
