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
from newapi.relay.native_routes import (
    count_tokens,
    gemini_count_tokens,
    gemini_get_model,
    gemini_list_models,
)

__all__ = ["RELAY_PREFIXES", "metered", "relay_blueprint"]

RELAY_PREFIXES = ("/v1/", "/v2/", "/v1beta/", "/mj/", "/suno/", "/pg/")

Handler = Callable[..., Awaitable[HTTPResponse | None]]


def metered(endpoint: Endpoint) -> Handler:
    """A handler that relays ``endpoint`` through the pipeline (and so through the meter)."""

    async def handler(request: Request, **_: str) -> HTTPResponse | None:
        return await request.app.ctx.relay.handle(request, endpoint)  # URL parts: match_info

    handler.__name__ = f"relay_{endpoint.name}"
    handler.metered = True  # type: ignore[attr-defined]  # read by the metering-hook test
    return handler


def _gemini_handler() -> Handler:
    """``models/{model}:{action}``: generation and embeddings through the pipeline;
    ``countTokens`` is answered locally (free)."""
    relay = metered(ENDPOINTS["gemini"])
    embed = metered(ENDPOINTS["gemini_embed"])
    batch_embed = metered(ENDPOINTS["gemini_batch_embed"])

    async def handler(request: Request, model: str) -> HTTPResponse | None:
        if model.endswith(":countTokens"):
            return await gemini_count_tokens(request, model.removesuffix(":countTokens"))
        if model.endswith(":embedContent"):
            return await embed(request)
        if model.endswith(":batchEmbedContents"):
            return await batch_embed(request)
        return await relay(request)

    handler.__name__ = "relay_gemini"
    handler.metered = True  # type: ignore[attr-defined]  # generation goes through ``relay``
    return handler


def relay_blueprint() -> Blueprint:
    """The OpenAI-compatible relay routes and the key-query routes."""
    bp = Blueprint("relay")
    for endpoint in ENDPOINTS.values():
        if endpoint.path:
            bp.add_route(metered(endpoint), endpoint.path, methods=["POST"])
    bp.add_route(count_tokens, "/v1/messages/count_tokens", methods=["POST"])
    bp.add_route(list_models, "/v1/models", methods=["GET"])
    bp.add_route(retrieve_model, "/v1/models/<model:path>", methods=["GET"])
    # Gemini: models/{model}:{action}; the google-genai SDK may use /v1 as well as /v1beta
    # (GET /v1/models/<model> stays OpenAI's retrieve route).
    for version in ("v1beta", "v1"):
        bp.add_route(
            _gemini_handler(),
            f"/{version}/models/<model:path>",
            methods=["POST"],
            name=f"relay_gemini_{version}",
        )
    bp.add_route(gemini_list_models, "/v1beta/models", methods=["GET"])
    bp.add_route(gemini_get_model, "/v1beta/models/<model:path>", methods=["GET"])
    for prefix in ("", "/v1"):
        bp.add_route(
            billing_subscription,
            f"{prefix}/dashboard/billing/subscription",
            methods=["GET"],
            name=f"billing_subscription{prefix.replace('/', '_')}",
        )
        bp.add_route(
            billing_usage,
            f"{prefix}/dashboard/billing/usage",
            methods=["GET"],
            name=f"billing_usage{prefix.replace('/', '_')}",
        )
    bp.add_route(token_usage, "/api/usage/token", methods=["GET"], strict_slashes=False)
    return bp
