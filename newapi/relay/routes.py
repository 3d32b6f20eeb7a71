"""Relay routes: thin handlers that hand every billable request to the pipeline.

Every handler that can cost quota is made by ``metered`` (and so goes through
``Relay.handle`` and its ``Meter``); ``tests/relay/test_metering_hook.py`` fails when a POST
route under a relay prefix is not.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sanic import Blueprint, Request
from sanic.response import HTTPResponse

from newapi.relay.endpoints import ENDPOINTS, Endpoint
from newapi.relay.keyinfo import (
    billing_subscription,
    billing_usage,
    list_models,
    retrieve_model,
    token_usage,
)

__all__ = ["RELAY_PREFIXES", "metered", "relay_blueprint"]

RELAY_PREFIXES = ("/v1/", "/v1beta/", "/mj/", "/suno/", "/pg/")

Handler = Callable[[Request], Awaitable[HTTPResponse | None]]


def metered(endpoint: Endpoint) -> Handler:
    """A handler that relays ``endpoint`` through the pipeline (and so through the meter)."""

    async def handler(request: Request) -> HTTPResponse | None:
        return await request.app.ctx.relay.handle(request, endpoint)

    handler.__name__ = f"relay_{endpoint.name}"
    handler.metered = True  # type: ignore[attr-defined]  # read by the metering-hook test
    return handler


def relay_blueprint() -> Blueprint:
    """The OpenAI-compatible relay routes and the key-query routes."""
    bp = Blueprint("relay")
    for endpoint in ENDPOINTS.values():
        bp.add_route(metered(endpoint), endpoint.path, methods=["POST"])
    bp.add_route(list_models, "/v1/models", methods=["GET"])
    bp.add_route(retrieve_model, "/v1/models/<model:path>", methods=["GET"])
    for prefix in ("", "/v1"):
        bp.add_route(billing_subscription, f"{prefix}/dashboard/billing/subscription",
                     methods=["GET"], name=f"billing_subscription{prefix.replace('/', '_')}")
        bp.add_route(billing_usage, f"{prefix}/dashboard/billing/usage", methods=["GET"],
                     name=f"billing_usage{prefix.replace('/', '_')}")
    bp.add_route(token_usage, "/api/usage/token", methods=["GET"], strict_slashes=False)
    return bp
