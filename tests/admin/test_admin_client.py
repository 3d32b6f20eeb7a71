"""The generated client (newapi/admin/client) against the live server, and its freshness."""

from __future__ import annotations

import filecmp
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from newapi.admin.client import AdminClient, CreateTokenInput
from newapi.admin.client.exceptions import GraphQLClientGraphQLMultiError
from newapi.store.models import Log
from tests.admin.conftest import PASSWORDS, AdminServer
from tests.conftest import REPO

GRAPHQL = REPO / "graphql"
CLIENT = REPO / "newapi" / "admin" / "client"


async def test_login_create_and_list_tokens_with_the_client(server: AdminServer) -> None:
    async with httpx.AsyncClient() as http:
        client = AdminClient(url=f"{server.url}/graphql", http_client=http)
        with pytest.raises(GraphQLClientGraphQLMultiError) as denied:
            await client.tokens()
        assert denied.value.errors[0].extensions == {"code": "unauthenticated"}

        login = (await client.login("alice", PASSWORDS["alice"])).login
        assert login.typename__ == "LoginSuccess"
        http.headers["X-CSRF-Token"] = login.csrf_token  # type: ignore[union-attr]

        created = (await client.create_token(CreateTokenInput(
            name="from-client", remainQuota=10**12, modelLimits=["gpt-4o-mini"]))).create_token
        assert created.typename__ == "TokenCreated"
        key = created.key  # type: ignore[union-attr]
        page = (await client.tokens(page_size=5)).tokens
        assert page.total == 1 and page.page_size == 5
        row = page.items[0]
        assert (row.name, row.remain_quota, row.model_limits) == (
            "from-client", 10**12, ["gpt-4o-mini"])
        assert row.key == f"sk-{key[3:7]}****{key[-4:]}" and row.owner.username == "alice"

        token = (await client.generate_access_token()).generate_access_token.token
    async with AdminClient(url=f"{server.url}/graphql",
                           headers={"Authorization": f"Bearer {token}"}) as robot:
        assert (await robot.me()).me.username == "alice"


async def test_logs_sum_a_time_range(server: AdminServer) -> None:
    day = 86400
    today = int(time.time()) // day * day
    alice = server.ids["alice"]
    for created_at, quota in ((today - day + 10, 100), (today - 5, 250), (today + 5, 999)):
        await Log.create(user_id=alice, type=2, created_at=created_at, quota=quota,
                         prompt_tokens=3, completion_tokens=4, model_name="gpt-4o-mini")
    await Log.create(user_id=server.ids["bob"], type=2, created_at=today - 5, quota=7)
    async with httpx.AsyncClient() as http:
        client = AdminClient(url=f"{server.url}/graphql", http_client=http)
        await client.login("alice", PASSWORDS["alice"])
        logs = (await client.logs(start=today - day, end=today)).logs
    assert (logs.total, logs.quota, logs.prompt_tokens, logs.completion_tokens) == (
        2, 350, 6, 8)
    assert [item.quota for item in logs.items] == [250, 100]


def test_generated_client_is_current(tmp_path: Path) -> None:
    codegen = Path(sys.executable).parent / "ariadne-codegen"
    assert codegen.exists(), "ariadne-codegen is missing: `make test` installs the codegen extra"
    config = (GRAPHQL / "pyproject.toml").read_text()
    config = config.replace('schema_path = "schema.graphql"',
                            f'schema_path = "{GRAPHQL / "schema.graphql"}"')
    config = config.replace('queries_path = "operations"',
                            f'queries_path = "{GRAPHQL / "operations"}"')
    config = config.replace('target_package_path = "../newapi/admin"',
                            f'target_package_path = "{tmp_path}"')
    (tmp_path / "pyproject.toml").write_text(config)
    subprocess.run([str(codegen), "client", "--config", "pyproject.toml"], cwd=tmp_path,
                   check=True, capture_output=True, timeout=120)
    fresh = tmp_path / "client"
    compared = filecmp.dircmp(fresh, CLIENT, ignore=["__pycache__"])
    stale = compared.diff_files + compared.left_only + compared.right_only
    shutil.rmtree(fresh)
    assert stale == [], f"newapi/admin/client is stale ({stale}): run scripts/codegen"


async def test_the_scripting_doc_runs(server: AdminServer, tmp_path: Path) -> None:
    import asyncio
    import os
    import re

    text = (REPO / "docs" / "scripting.md").read_text()
    script = re.search(r"```python\n(.*?)```", text, re.S).group(1)  # type: ignore[union-attr]
    script = script.replace("http://127.0.0.1:3000", server.url)
    async with httpx.AsyncClient() as http:
        client = AdminClient(url=f"{server.url}/graphql", http_client=http)
        login = (await client.login("alice", PASSWORDS["alice"])).login
        http.headers["X-CSRF-Token"] = login.csrf_token  # type: ignore[union-attr]
        pat = (await client.generate_access_token()).generate_access_token.token
    (tmp_path / "script.py").write_text(script)
    env = {**os.environ, "NEWAPI_ACCESS_TOKEN": pat, "PYTHONPATH": str(REPO)}
    process = await asyncio.create_subprocess_exec(
        sys.executable, str(tmp_path / "script.py"), env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, err.decode()
    key, usage = out.decode().splitlines()
    assert key.startswith("sk-") and len(key) == 51
    assert usage == "0 requests, 0 quota, 0+0 tokens"
