"""The ``newapi`` command line, run as a user runs it (a real process)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import REPO, clean_env, free_port, run_cli


def _serve(
    workdir: Path, port: int, *extra: str, env: dict[str, str] | None = None
) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "newapi",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            *extra,
        ],
        cwd=workdir,
        env=env or clean_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _wait_status(port: int, proc: subprocess.Popen[str], within: float) -> dict:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(
                f"server exited early:\n{proc.stdout.read() if proc.stdout else ''}"
            )
        try:
            response = httpx.get(f"http://127.0.0.1:{port}/api/status", timeout=0.5)
            return response.json()
        except httpx.TransportError:
            time.sleep(0.05)
    raise AssertionError(f"/api/status did not answer within {within} s")


def _stop(proc: subprocess.Popen[str]) -> str:
    proc.terminate()
    try:
        out, _ = proc.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
    return out


def test_serve_in_empty_folder_answers_fast_and_prints_root_once(workdir: Path) -> None:
    port = free_port()
    started = time.monotonic()
    proc = _serve(workdir, port)
    try:
        status = _wait_status(port, proc, within=3.0)
        elapsed = time.monotonic() - started
    finally:
        first_output = _stop(proc)
    assert elapsed < 3.0
    assert status["success"] is True
    assert status["data"]["setup"] is True
    assert (workdir / "data" / "one-api.db").is_file()
    lines = [line for line in first_output.splitlines() if "created the root user" in line]
    assert len(lines) == 1, first_output
    assert "123456" not in lines[0]

    # A second start finds the root user and prints no credentials.
    proc = _serve(workdir, port)
    try:
        _wait_status(port, proc, within=5.0)
    finally:
        second_output = _stop(proc)
    assert "created the root user" not in second_output


def test_root_password_from_environment(workdir: Path) -> None:
    port = free_port()
    proc = _serve(workdir, port, env=clean_env(NEWAPI_ROOT_PASSWORD="s3cret-pass"))
    try:
        _wait_status(port, proc, within=5.0)
    finally:
        output = _stop(proc)
    assert "s3cret-pass" not in output
    assert "NEWAPI_ROOT_PASSWORD" in output


def test_user_and_token_create_print_a_key(workdir: Path) -> None:
    created = run_cli(
        "user", "create", "--username", "alice", "--password", "correct-horse", cwd=workdir
    )
    assert created.returncode == 0, created.stderr
    made = run_cli(
        "token",
        "create",
        "--user",
        "alice",
        "--name",
        "ci",
        "--quota",
        "500000",
        "--models",
        "gpt-4o,gpt-4o-mini",
        cwd=workdir,
    )
    assert made.returncode == 0, made.stderr
    key = made.stdout.strip().splitlines()[-1]
    assert key.startswith("sk-") and len(key) == 51
    with sqlite3.connect(workdir / "data" / "one-api.db") as db:
        row = db.execute(
            'SELECT "key", remain_quota, unlimited_quota, model_limits_enabled, model_limits '
            "FROM tokens WHERE name = 'ci'"
        ).fetchone()
    assert row[0] == key[3:]
    assert row[1] == 500000 and not row[2]
    assert row[3] and row[4] == "gpt-4o,gpt-4o-mini"


def test_access_token_from_the_cli_signs_a_script_in(workdir: Path) -> None:
    created = run_cli(
        "user",
        "create",
        "--username",
        "ops",
        "--password",
        "correct-horse",
        "--role",
        "admin",
        cwd=workdir,
    )
    assert created.returncode == 0, created.stderr
    first = run_cli("user", "access-token", "--username", "ops", cwd=workdir)
    second = run_cli("user", "access-token", "--username", "ops", cwd=workdir)
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    old, token = first.stdout.strip(), second.stdout.strip()
    assert len(token) == 32 and token != old
    port = free_port()
    proc = _serve(workdir, port)
    try:
        _wait_status(port, proc, within=15.0)
        answers = [
            httpx.post(
                f"http://127.0.0.1:{port}/graphql",
                json={"query": "{ me { username role } }"},
                headers={"Authorization": f"Bearer {value}"},
                timeout=30,
            ).json()
            for value in (token, old)
        ]
    finally:
        _stop(proc)
    assert answers[0]["data"]["me"] == {"username": "ops", "role": 10}
    assert answers[1]["errors"][0]["extensions"]["code"] == "unauthenticated"  # replaced


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("token", "create", "--user", "nobody", "--name", "x", "--unlimited"), "no user named"),
        (("user", "access-token", "--username", "nobody"), "no user named"),
        (("user", "create", "--username", "root", "--password", "whatever-1"), "root"),
        (("serve", "--config", "missing.toml"), "missing.toml"),
    ],
)
def test_errors_are_one_line_without_traceback(
    workdir: Path, args: tuple[str, ...], message: str
) -> None:
    result = run_cli(*args, cwd=workdir, timeout=30)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert message in lines[0]


def test_config_validate_repo_example() -> None:
    result = run_cli("config", "validate", "gateway.toml", cwd=REPO)
    assert result.returncode == 0, result.stderr


def test_config_validate_reports_every_problem(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        "config_version = 1\n"
        "[server]\n"
        "port = 70000\n"
        "colour = 'blue'\n"
        "[channels.one]\n"
        "provider = 'openai'\n"
        "key = '${NEWAPI_TEST_UNSET_VARIABLE}'\n"
        "models = ['gpt-4o']\n"
        "weight = -1\n"
    )
    result = run_cli("config", "validate", str(bad), cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    text = result.stderr
    assert "server.port" in text and ":3 " in text
    assert "colour" in text
    assert "channels.one.weight" in text
    assert "NEWAPI_TEST_UNSET_VARIABLE" in text


def test_config_schema_prints_json_schema() -> None:
    import orjson

    result = run_cli("config", "schema", cwd=REPO)
    assert result.returncode == 0
    schema = orjson.loads(result.stdout)
    assert schema["$schema"].endswith("2020-12/schema")
    assert (
        REPO / "schemas" / "gateway.v1.schema.json"
    ).read_text().strip() == result.stdout.strip()


def test_demo_works_offline(workdir: Path) -> None:
    import re
    import shlex

    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "newapi", "demo", "--port", str(port), "--data", "demo"],
        cwd=workdir,
        env=clean_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert proc.stdout is not None
        curl = ""
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not curl:
            line = proc.stdout.readline()
            if line.startswith("curl "):
                curl = line
        assert curl, "the demo printed no curl line"
        parts = shlex.split(curl)
        key = re.search(r"Bearer (sk-\w+)", curl).group(1)
        body = parts[parts.index("-d") + 1]
        _wait_status(port, proc, within=10)
        response = httpx.post(
            f"http://127.0.0.1:{port}/v1/chat/completions",
            content=body,
            headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
            timeout=10,
        )
        assert response.status_code == 200, response.text
        assert response.json()["choices"][0]["message"]["content"] == "echo: Hello!"
    finally:
        _stop(proc)


def _psql(sql: str) -> None:
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql], check=True, capture_output=True
    )


@pytest.mark.postgres
def test_serve_refuses_a_postgres_schema_that_is_behind(workdir: Path) -> None:
    import uuid

    name = f"newapi_cli_{uuid.uuid4().hex[:8]}"
    _psql(f"CREATE DATABASE {name}")
    env = clean_env(SQL_DSN=f"postgres://postgres@127.0.0.1:5432/{name}")
    try:
        port = free_port()
        refused = run_cli(
            "serve", "--host", "127.0.0.1", "--port", str(port), cwd=workdir, env=env, timeout=30
        )
        assert refused.returncode == 1
        assert "newapi db migrate" in refused.stderr and "Traceback" not in refused.stderr
        migrated = run_cli("db", "migrate", cwd=workdir, env=env)
        assert migrated.returncode == 0, migrated.stderr
        assert "applied" in migrated.stdout
        again = run_cli("db", "migrate", cwd=workdir, env=env)
        assert "nothing to migrate" in again.stdout
        proc = _serve(workdir, port, env=env)
        try:
            status = _wait_status(port, proc, within=10)
        finally:
            output = _stop(proc)
        assert status["data"]["setup"] is True
        assert "created the root user" in output
    finally:
        _psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
