"""Free key routes of the native formats: Claude's ``count_tokens`` and Gemini's
``countTokens`` (answered locally with the tokenizer), and Gemini's model list
(``GET /v1beta/models[/{model}]``). Errors are in each format's shape."""

from __future__ import annotations

from typing import Any

import orjson
from sanic import Request
from sanic.response import HTTPResponse

from newapi.errors import GatewayError, InvalidRequestError, NotFoundError
from newapi.relay.endpoints import json_body
from newapi.relay.formats import FORMATS
from newapi.relay.hub_tokens import prompt_estimate
from newapi.relay.keyinfo import _caller, _visible_models

__all__ = ["count_tokens", "gemini_count_tokens", "gemini_get_model", "gemini_list_models"]


def _json(data: Any) -> HTTPResponse:
    return HTTPResponse(orjson.dumps(data), content_type="application/json")


def _error(fmt: str, exc: GatewayError) -> HTTPResponse:
    status, body = FORMATS[fmt].render_error(exc, "")
    return HTTPResponse(body, status=status, content_type="application/json")


async def count_tokens(request: Request) -> HTTPResponse:
    """``POST /v1/messages/count_tokens``: the prompt counted with the local tokenizer."""
    try:
        body = json_body(request.body)
        model = body.get("model")
        if not isinstance(model, str) or not model:
            raise InvalidRequestError("model: Field required", param="model")
        if not isinstance(body.get("messages"), list):
            raise InvalidRequestError("messages: Field required", param="messages")
        await _caller(request)
    except GatewayError as exc:
        return _error("anthropic_messages", exc)
    return _json({"input_tokens": prompt_estimate(body, "anthropic_messages", model)})


async def gemini_count_tokens(request: Request, model: str) -> HTTPResponse:
    """``POST .../models/{model}:countTokens``: the prompt counted with the local tokenizer."""
    try:
        body = json_body(request.body)
        await _caller(request)
    except GatewayError as exc:
        return _error("gemini", exc)
    inner = body.get("generateContentRequest")
    tokens = prompt_estimate(inner if isinstance(inner, dict) else body, "gemini", model)
    return _json({"totalTokens": tokens})


def _model_card(model: str) -> dict[str, Any]:
    return {
        "name": f"models/{model}",
        "baseModelId": model,
        "version": "001",
        "displayName": model,
        "description": "",
        "supportedGenerationMethods": ["generateContent", "streamGenerateContent"],
    }


async def gemini_list_models(request: Request) -> HTTPResponse:
    try:
        caller = await _caller(request)
    except GatewayError as exc:
        return _error("gemini", exc)
    models = sorted(_visible_models(request, caller.owner))
    return _json({"models": [_model_card(m) for m in models]})


async def gemini_get_model(request: Request, model: str) -> HTTPResponse:
    try:
        caller = await _caller(request)
        if model.removeprefix("models/") not in _visible_models(request, caller.owner):
            raise NotFoundError(f"models/{model} is not found", code="model_not_found")
    except GatewayError as exc:
        return _error("gemini", exc)
    return _json(_model_card(model.removeprefix("models/")))
