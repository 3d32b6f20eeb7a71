"""Exactly-once billing across a crash: SIGKILL the gateway under load, restart, reconcile."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import httpx

from newapi.testing import FakeUpstream
from tests.conftest import clean_env, free_port
from tests.relay.conftest import BASE_TOML, _seed, openai_channel


def _start(config: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as log_file:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "newapi",
                "serve",
                "--config",
                str(config),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            env=clean_env(),
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )


async def _wait_ready(port: int, proc: subprocess.Popen[bytes]) -> None:
    async with httpx.AsyncClient() as http:
        for _ in range(200):
            assert proc.poll() is None, "the gateway exited"
            try:
                if (await http.get(f"http://127.0.0.1:{port}/readyz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.05)
    raise AssertionError("the gateway did not become ready")


async def _one(
    http: httpx.AsyncClient, port: int, key: str, stream: bool, index: int
) -> tuple[str | None, bool]:
    """(request id, whether the client received the complete response)."""
    body = {
        "model": "gpt-4o",
        "stream": stream,
        "messages": [{"role": "user", "content": f"request {index} " + "word " * (index % 40)}],
    }
    try:
        async with http.stream(
            "POST",
            f"http://127.0.0.1:{port}/v1/chat/completions",
            json=body,
            headers={"Authorization": f"Bearer {key}"},
        ) as response:
            request_id = response.headers.get("x-oneapi-request-id")
            text = (await response.aread()).decode()
            if response.status_code != 200:
                return request_id, False
            complete = "data: [DONE]" in text if stream else text.strip().endswith("}")
            return request_id, complete
    except httpx.HTTPError:
        return None, False


async def _one_received(tasks: list[asyncio.Task[tuple[str | None, bool]]]) -> None:
    """Return when one of ``tasks`` has received its complete response."""
    for next_done in asyncio.as_completed(tasks):
        _, complete = await next_done
        if complete:
            return
    raise AssertionError("no request of the first wave completed")


async def test_sigkill_under_load_bills_every_received_response_once(
    tmp_path: Path, fake: FakeUpstream
) -> None:
    db = tmp_path / "gw.db"
    key, user_id, _ = await _seed(
        db, user_quota=100_000_000, token_quota=None, group="default", models=None
    )
    base = fake.scenario_url("chunk_delay_ms=30,delay_ms=80")
    config = tmp_path / "gateway.toml"
    config.write_text(
        BASE_TOML.format(db=db, journal=tmp_path / "journal", retry_times=0, relay_extra="")
        + openai_channel("main", base)
    )
    port, log = free_port(), tmp_path / "server.log"
    proc = _start(config, port, log)
    try:
        await _wait_ready(port, proc)
        limits = httpx.Limits(max_connections=100)
        async with httpx.AsyncClient(timeout=20, limits=limits) as http:
            tasks = [asyncio.create_task(_one(http, port, key, i % 2 == 0, i)) for i in range(20)]
            # kill once a response is complete and a second wave is in flight (however busy the
            # machine is)
            await asyncio.wait_for(_one_received(tasks), timeout=60)
            tasks += [
                asyncio.create_task(_one(http, port, key, i % 2 == 0, i)) for i in range(20, 60)
            ]
            await asyncio.sleep(0.3)
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
            results = await asyncio.gather(*tasks)
    finally:
        if proc.poll() is None:
            proc.kill()
    received = {rid for rid, complete in results if complete and rid}
    assert received, "no response completed before the kill; the test proves nothing"
    assert len(received) < 60, "every request finished before the kill"

    proc = _start(config, port, log)  # recovery happens on start
    try:
        await _wait_ready(port, proc)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)

    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT request_id, quota FROM logs WHERE type = 2").fetchall()
        used, requests = conn.execute(
            "SELECT used_quota, request_count FROM users WHERE id = ?", (user_id,)
        ).fetchone()
        released = conn.execute("SELECT COUNT(*) FROM logs WHERE type = 4").fetchone()[0]
    billed = [rid for rid, _ in rows]
    assert len(billed) == len(set(billed)), "a request was billed twice"
    missing = received - set(billed)
    assert not missing, f"{len(missing)} fully received responses were not billed"
    assert used == sum(q for _, q in rows) and requests == len(rows)
    assert len(rows) + released >= len(received)
    assert not list((tmp_path / "journal").glob("*.journal")), "journals left after recovery"
