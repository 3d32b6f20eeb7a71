"""Key-facing read routes: the model list and the balance routes that key-query tools call."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import orjson
from sanic import Request
from sanic.response import HTTPResponse

from newapi.auth.api_keys import Caller, KeyOwner, extract_key
from newapi.billing.meter import QUOTA_PER_USD
from newapi.errors import GatewayError, NotFoundError
from newapi.relay.formats import FORMATS

__all__ = ["billing_subscription", "billing_usage", "list_models", "retrieve_model", "token_usage"]

MODEL_CREATED = 1626777600  # a fixed timestamp, as New API answers
UNLIMITED_USD = 100_000_000


def _json(data: Any, status: int = 200) -> HTTPResponse:
    return HTTPResponse(orjson.dumps(data), status=status, content_type="application/json")


def _error(exc: GatewayError) -> HTTPResponse:
    status, body = FORMATS["openai_chat"].render_error(exc, "")
    return HTTPResponse(body, status=status, content_type="application/json")


async def _caller(request: Request) -> Caller:
    relay = request.app.ctx.relay
    raw = extract_key(request.headers, request.path, request.args.get("key"))
    return await relay.keys.authenticate(raw, request.ip or "")


def _visible_models(request: Request, owner: KeyOwner) -> dict[str, str]:
    """Model -> owning provider, for the models this key may call and that have a price."""
    relay = request.app.ctx.relay
    models: dict[str, str] = {}
    for model in relay.table.models([owner.group]):
        if owner.model_limits is not None and model not in owner.model_limits:
            continue
        if "*" in model or relay.prices.find(model) is None:
            continue
        tiers = relay.table.tiers(owner.group, model)
        models[model] = tiers[0].channels[0].provider.name if tiers else "newapi"
    return models


def _model_object(model: str, owner: str) -> dict[str, Any]:
    return {"id": model, "object": "model", "created": MODEL_CREATED, "owned_by": owner}


async def list_models(request: Request) -> HTTPResponse:
    try:
        caller = await _caller(request)
    except GatewayError as exc:
        return _error(exc)
    models = _visible_models(request, caller.owner)
    data = [_model_object(m, owner) for m, owner in sorted(models.items())]
    return _json({"object": "list", "data": data})


async def retrieve_model(request: Request, model: str) -> HTTPResponse:
    try:
        caller = await _caller(request)
        models = _visible_models(request, caller.owner)
        if model not in models:
            raise NotFoundError(
                f"The model '{model}' does not exist", code="model_not_found", param="model"
            )
    except GatewayError as exc:
        return _error(exc)
    return _json(_model_object(model, models[model]))


def _live_token(request: Request, owner: KeyOwner) -> tuple[int, int]:
    """(remaining, used) of the token, including charges not yet written to the database."""
    account = request.app.ctx.relay.ledger.accounts.tokens.get(owner.token_id)
    pending = account.unflushed if account is not None else 0
    return owner.remain_quota - pending, owner.token_used_quota + pending


def _usd(quota: int) -> float:
    return float(Decimal(quota) / QUOTA_PER_USD)


async def billing_subscription(request: Request) -> HTTPResponse:
    try:
        caller = await _caller(request)
    except GatewayError as exc:
        return _error(exc)
    owner = caller.owner
    remain, used = _live_token(request, owner)
    amount = UNLIMITED_USD if owner.unlimited_quota else _usd(remain + used)
    expires = owner.expired_time if owner.expired_time > 0 else 0
    return _json(
        {
            "object": "billing_subscription",
            "has_payment_method": True,
            "soft_limit_usd": amount,
            "hard_limit_usd": amount,
            "system_hard_limit_usd": amount,
            "access_until": expires,
        }
    )


async def billing_usage(request: Request) -> HTTPResponse:
    try:
        caller = await _caller(request)
    except GatewayError as exc:
        return _error(exc)
    _, used = _live_token(request, caller.owner)
    return _json({"object": "list", "total_usage": _usd(used) * 100})


async def token_usage(request: Request) -> HTTPResponse:
    try:
        caller = await _caller(request)
    except GatewayError as exc:
        return _error(exc)
    owner = caller.owner
    remain, used = _live_token(request, owner)
    limits = sorted(owner.model_limits) if owner.model_limits is not None else []
    return _json(
        {
            "code": True,
            "message": "ok",
            "data": {
                "object": "token_usage",
                "name": owner.token_name,
                "total_granted": remain + used,
                "total_used": used,
                "total_available": remain,
                "unlimited_quota": owner.unlimited_quota,
                "model_limits": {m: True for m in limits},
                "model_limits_enabled": owner.model_limits is not None,
                "expires_at": owner.expired_time if owner.expired_time > 0 else 0,
            },
        }
    )
