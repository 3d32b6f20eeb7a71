"""Key-facing read routes: the model list and the balance routes that key-query tools call.

``GET /v1/models[/{id}]`` answers in Anthropic's shape (``{data: [{type, id, display_name,
created_at}], has_more, first_id, last_id}``, errors included) when the request carries
``anthropic-version``, or ``x-api-key`` without ``Authorization``; in OpenAI's otherwise.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import orjson
from sanic import Request
from sanic.response import HTTPResponse

from newapi.auth.api_keys import Caller, KeyOwner, extract_key
from newapi.billing.meter import QUOTA_PER_USD
from newapi.errors import GatewayError, InvalidRequestError, NotFoundError
from newapi.relay.formats import FORMATS

__all__ = ["billing_subscription", "billing_usage", "list_models", "retrieve_model", "token_usage"]

MODEL_CREATED = 1626777600  # a fixed timestamp, as New API answers
MODEL_CREATED_AT = datetime.fromtimestamp(MODEL_CREATED, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
ANTHROPIC_PAGE = (20, 1000)  # default and largest ``limit``
UNLIMITED_USD = 100_000_000


def _json(data: Any, status: int = 200) -> HTTPResponse:
    return HTTPResponse(orjson.dumps(data), status=status, content_type="application/json")


def _error(exc: GatewayError, fmt: str = "openai_chat") -> HTTPResponse:
    status, body = FORMATS[fmt].render_error(exc, "")
    return HTTPResponse(body, status=status, content_type="application/json")


def _anthropic(request: Request) -> bool:
    """Whether a model-list request comes from an Anthropic client."""
    headers = request.headers
    return bool(headers.get("anthropic-version")) or (
        bool(headers.get("x-api-key")) and not headers.get("authorization")
    )


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


def _anthropic_model(model: str) -> dict[str, Any]:
    return {"type": "model", "id": model, "display_name": model, "created_at": MODEL_CREATED_AT}


def _limit(request: Request) -> int:
    raw = request.args.get("limit")
    default, largest = ANTHROPIC_PAGE
    if raw is None:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= largest:
        raise InvalidRequestError(
            f"limit: Input should be an integer between 1 and {largest}", param="limit"
        )
    return int(raw)


def _anthropic_page(request: Request, models: list[str]) -> dict[str, Any]:
    """One page of Anthropic's list (``limit``, ``after_id``, ``before_id``)."""
    limit = _limit(request)
    after, before = request.args.get("after_id"), request.args.get("before_id")
    if after is not None:
        start = models.index(after) + 1 if after in models else len(models)
        page = models[start : start + limit]
        more = start + limit < len(models)
    elif before is not None:
        end = models.index(before) if before in models else 0
        page = models[max(end - limit, 0) : end]
        more = end - limit > 0
    else:
        page, more = models[:limit], len(models) > limit
    return {
        "data": [_anthropic_model(m) for m in page],
        "has_more": more,
        "first_id": page[0] if page else None,
        "last_id": page[-1] if page else None,
    }


async def list_models(request: Request) -> HTTPResponse:
    fmt = "anthropic_messages" if _anthropic(request) else "openai_chat"
    try:
        caller = await _caller(request)
        models = _visible_models(request, caller.owner)
        if fmt == "anthropic_messages":
            return _json(_anthropic_page(request, sorted(models)))
    except GatewayError as exc:
        return _error(exc, fmt)
    data = [_model_object(m, owner) for m, owner in sorted(models.items())]
    return _json({"object": "list", "data": data})


async def retrieve_model(request: Request, model: str) -> HTTPResponse:
    fmt = "anthropic_messages" if _anthropic(request) else "openai_chat"
    try:
        caller = await _caller(request)
        models = _visible_models(request, caller.owner)
        if model not in models:
            raise NotFoundError(
                f"The model '{model}' does not exist", code="model_not_found", param="model"
            )
    except GatewayError as exc:
        return _error(exc, fmt)
    if fmt == "anthropic_messages":
        return _json(_anthropic_model(model))
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
