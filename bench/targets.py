"""The three things measured: the upstream directly, the newapi gateway and the LiteLLM proxy.

The upstream is nginx with ``bench/nginx/upstream.lua`` (fast) or newapi's own fake upstream
(``python -m newapi.testing.fake_upstream``, for machines without nginx). The gateway runs the
real path: a SQLite database seeded with a user and an unlimited key (as
``tests/relay/conftest.py`` ``_seed`` does), key auth, routing, billing and request logs.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from bench.loadgen import Target
from bench.procs import Server, free_port, start_server

__all__ = ["BENCH", "Peer", "gateway_toml", "start_gateway", "start_litellm", "start_upstream"]

BENCH = Path(__file__).resolve().parent
LITELLM_VENV = BENCH / ".venv-litellm"
MASTER_KEY = "sk-bench-master-key"

GATEWAY_TOML = """\
config_version = 1

[server]
host = "127.0.0.1"
port = {port}
workers = {workers}

[database]
url = "sqlite://{db}"
journal_dir = "{journal}"

[prices."gpt-4o-mini"]
model_ratio = 0.075
completion_ratio = 4

[groups.default]
ratio = 1

[channels.bench-upstream]
provider = "openai"
base_url = "{upstream}"
key = "sk-upstream-bench"
models = ["gpt-4o-mini"]
"""


@dataclass
class Peer:
    """A running server and the ``Target`` that load goes to."""

    server: Server
    target: Target
    version: str
    command: str


def start_upstream(kind: str, work: Path, core: int | None) -> Peer:
    """nginx (``kind="nginx"``) or newapi's fake upstream (``"fake"``) on a free port."""
    port = free_port()
    if kind == "nginx":
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        prefix = work / "nginx"
        (prefix / "body").mkdir(parents=True, exist_ok=True)
        conf = (BENCH / "nginx" / "nginx.conf.template").read_text()
        conf = conf.replace("@PORT@", str(port)).replace("@PREFIX@", str(prefix))
        conf = conf.replace("@LUA@", str(BENCH / "nginx" / "upstream.lua"))
        (prefix / "nginx.conf").write_text(conf)
        argv = [nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf")]
        version = _version([nginx, "-v"])
    else:
        argv = [sys.executable, "-m", "newapi.testing.fake_upstream", "--port", str(port)]
        version = "newapi.testing.fake_upstream"
    server = start_server("upstream", argv, port, work / "upstream.log", core=core)
    target = Target("direct", "127.0.0.1", port, "sk-upstream-bench")
    return Peer(server, target, version, " ".join(argv))


def gateway_toml(port: int, work: Path, upstream_url: str, workers: int = 1) -> str:
    return GATEWAY_TOML.format(
        port=port,
        db=work / "gateway.db",
        journal=work / "journal",
        upstream=upstream_url,
        workers=workers,
    )


async def _seed(db_url: str) -> str:
    """A migrated database with root, user ``bench`` and an unlimited key (like ``_seed``)."""
    from newapi import store

    await store.open_db(db_url)
    try:
        await store.migrate_here()
        await store.ensure_root_user("bench-root-password")
        user = await store.create_user(
            "bench", "bench-password", role=1, group="default", quota=50_000_000
        )
        return await store.create_token(
            user.id, "bench", quota=0, unlimited=True, group="", models=None
        )
    finally:
        await store.close_db()


def start_gateway(work: Path, upstream_url: str, core: int | str | None, workers: int = 1) -> Peer:
    """``newapi serve`` (``workers`` processes) in front of ``upstream_url``, with a seeded key.

    ``core`` is a ``taskset -c`` list (``0`` or ``0,1``) or None for no pinning.
    """
    from newapi import __version__

    port = free_port()
    config = work / "gateway.toml"
    work.mkdir(parents=True, exist_ok=True)
    config.write_text(gateway_toml(port, work, upstream_url, workers))
    key = asyncio.run(_seed(f"sqlite://{work / 'gateway.db'}"))
    newapi = Path(sys.executable).with_name("newapi")
    argv = [str(newapi), "serve", "--config", str(config)]
    env = {k: v for k, v in os.environ.items() if k != "NEWAPI_ROOT_PASSWORD"}
    server = start_server("newapi", argv, port, work / "newapi.log", core=core, env=env, cwd=work)
    return Peer(server, Target("newapi", "127.0.0.1", port, key), __version__, " ".join(argv))


def start_litellm(work: Path, upstream_url: str, core: int | None) -> Peer:
    """LiteLLM's proxy from ``bench/.venv-litellm``: one worker, no database."""
    litellm = LITELLM_VENV / "bin" / "litellm"
    if not litellm.exists():
        raise RuntimeError(f"{litellm} is missing; run bench/setup.sh")
    port = free_port()
    config = BENCH / "litellm" / "config.yaml"
    argv = [
        str(litellm),
        "--config",
        str(config),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--num_workers",
        "1",
    ]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "LITELLM_"))}
    env.update(
        BENCH_UPSTREAM_BASE=upstream_url + "/v1",
        BENCH_MASTER_KEY=MASTER_KEY,
        LITELLM_LOG="ERROR",
        LITELLM_TELEMETRY="False",
        DISABLE_SCHEMA_UPDATE="true",
    )
    server = start_server(
        "litellm", argv, port, work / "litellm.log", core=core, env=env, cwd=work, timeout=180
    )
    version = _version(
        [
            str(LITELLM_VENV / "bin" / "python"),
            "-c",
            "import importlib.metadata as m; print(m.version('litellm'))",
        ]
    )
    return Peer(server, Target("litellm", "127.0.0.1", port, MASTER_KEY), version, " ".join(argv))


def _version(argv: list[str]) -> str:
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
    except OSError:
        return "unknown"
    return (
        (done.stdout or done.stderr).strip().splitlines()[-1]
        if (done.stdout or done.stderr)
        else "unknown"
    )
