"""Unauthenticated status routes: ``/api/status``, ``/healthz`` and ``/readyz``."""

from __future__ import annotations

import logging
from typing import Any

import orjson
from sanic import Blueprint, Request
from sanic.response import HTTPResponse

from newapi import __version__
from newapi.billing.settings import read_bool, read_text
from newapi.errors import GatewayError
from newapi.store import load_options, ping, schema_state_here, setup_done

__all__ = ["status_blueprint"]

log = logging.getLogger(__name__)

status_blueprint = Blueprint("status")

QUOTA_PER_UNIT = 500_000


def _json(data: Any, status: int = 200) -> HTTPResponse:
    return HTTPResponse(orjson.dumps(data), status=status, content_type="application/json")


@status_blueprint.get("/api/status")
async def api_status(request: Request) -> HTTPResponse:
    """What the UI needs before anyone logs in (New API's ``/api/status``, trimmed)."""
    options = await load_options()
    data = {
        "version": __version__,
        "system_name": read_text("SystemName", options),
        "setup": await setup_done(),
        "login_methods": {
            "password": read_bool("PasswordLoginEnabled", options),
            "register": read_bool("RegisterEnabled", options)
            and read_bool("PasswordRegisterEnabled", options),
        },
        "quota_per_unit": QUOTA_PER_UNIT,
    }
    return _json({"success": True, "message": "", "data": data})


@status_blueprint.get("/healthz")
async def healthz(request: Request) -> HTTPResponse:
    """The process is up; ``config_hash`` says which gateway.toml is live."""
    config = request.app.ctx.config
    return _json(
        {
            "status": "ok",
            "version": __version__,
            "config_hash": config.source_hash,
            "config_path": config.source_path,
        }
    )


@status_blueprint.get("/readyz")
async def readyz(request: Request) -> HTTPResponse:
    """The database answers and its schema is the one this build expects."""
    try:
        reachable = await ping()
        state = await schema_state_here() if reachable else None
    except GatewayError as exc:
        log.warning("readiness check failed: %s", exc.detail or exc.message)
        reachable, state = False, None
    ready = bool(reachable and state is not None and state.up_to_date)
    body: dict[str, Any] = {
        "status": "ready" if ready else "not_ready",
        "database": "reachable" if reachable else "unreachable",
    }
    if state is not None:
        body["schema"] = {"up_to_date": state.up_to_date, "pending": list(state.pending)}
    return _json(body, status=200 if ready else 503)
