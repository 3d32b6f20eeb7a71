"""The HTTP skeleton: status, health, readiness, JSON 404s and the web UI at ``/``."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

import httpx

from newapi.app import create_app
from newapi.config import load_config
from tests.conftest import REPO, clean_env, prepared_sqlite, serving


async def _app(tmp_path: Path, config_path: Path | None = None):
    url = await prepared_sqlite(tmp_path / "gw.db")
    config = load_config(config_path, clean_env())
    config = replace(config, database=replace(config.database, url=url))
    return create_app(config), config


async def test_status_health_and_ready(tmp_path: Path) -> None:
    app, config = await _app(tmp_path, REPO / "gateway.toml")
    async with serving(app) as base, httpx.AsyncClient(base_url=base) as client:
        status = (await client.get("/api/status")).json()
        assert status["success"] is True
        assert status["data"]["setup"] is True
        assert status["data"]["login_methods"]["password"] is True
        assert status["data"]["quota_per_unit"] == 500000

        health = await client.get("/healthz")
        assert health.status_code == 200
        expected = hashlib.sha256((REPO / "gateway.toml").read_bytes()).hexdigest()
        assert health.json()["config_hash"] == expected == config.source_hash

        ready = await client.get("/readyz")
        assert ready.status_code == 200, ready.text
        assert ready.json()["schema"]["up_to_date"] is True


async def test_unknown_api_routes_are_json_404(tmp_path: Path) -> None:
    app, _ = await _app(tmp_path)
    async with serving(app) as base, httpx.AsyncClient(base_url=base) as client:
        for method, path in [
            ("POST", "/v1/nonexistent"),
            ("GET", "/api/nothing/here"),
            ("GET", "/v1beta/what"),
        ]:
            response = await client.request(method, path)
            assert response.status_code == 404
            error = response.json()["error"]
            assert error["message"] == f"Invalid URL ({method} {path})"
            assert error["type"] == "invalid_request_error"
        wrong_method = await client.delete("/api/status")
        assert wrong_method.status_code == 405
        assert "error" in wrong_method.json()


async def test_web_ui_is_served_at_root(tmp_path: Path) -> None:
    app, _ = await _app(tmp_path)
    async with serving(app) as base, httpx.AsyncClient(base_url=base) as client:
        page = await client.get("/")
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        assert "newapi" in page.text
        # client-side routes fall back to the UI page
        deep = await client.get("/some/ui/route")
        assert deep.status_code == 200 and deep.text == page.text


async def test_readyz_is_503_when_database_is_gone(tmp_path: Path) -> None:
    app, _ = await _app(tmp_path)
    async with serving(app) as base, httpx.AsyncClient(base_url=base) as client:
        assert (await client.get("/readyz")).status_code == 200
        from tortoise import connections

        await connections.close_all()
        (tmp_path / "gw.db").unlink()
        (tmp_path / "gw.db").mkdir()  # a folder where the file was: SQLite cannot open it
        response = await client.get("/readyz")
        assert response.status_code == 503
        assert response.json()["status"] == "not_ready"
