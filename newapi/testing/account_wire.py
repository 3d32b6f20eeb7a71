"""The fake's account routes: the balance endpoints New API reads for a channel.

Fixed figures, so tests can check the arithmetic:

* OpenAI billing: ``GET /v1/dashboard/billing/subscription`` (hard limit 120 USD, a payment
  method) and ``GET /v1/dashboard/billing/usage?start_date&end_date`` (2550 cents used; both
  dates are required, as ``YYYY-MM-DD``): 94.50 USD left.
* DeepSeek: ``GET /user/balance``: 110.00 CNY and 15.25 USD.
* SiliconFlow: ``GET /v1/user/info``: ``totalBalance`` 88.80 (CNY).
* OpenRouter: ``GET /api/v1/credits``: 50 credits, 12.5 used.
* Moonshot: ``GET /v1/users/me/balance``: ``available_balance`` 49.58 (CNY).

``ANTHROPIC_MODELS_WIRE`` (not in the default wires: its ``GET /v1/models`` is the OpenAI
wire's path) lists ``ANTHROPIC_MODELS`` as Anthropic does, at most two per page (``limit``,
``after_id``, ``has_more``); run it with ``start_fake_upstream(wires=...)``.
"""

from __future__ import annotations

from datetime import date

from sanic import HTTPResponse

from newapi.testing import anthropic_wire
from newapi.testing.openai_shapes import authenticate_bearer, invalid_request, render_error
from newapi.testing.wire import Call, Route, Wire, json_response

__all__ = [
    "ANTHROPIC_MODELS",
    "ANTHROPIC_MODELS_WIRE",
    "ANTHROPIC_PAGE",
    "HARD_LIMIT_USD",
    "USAGE_CENTS",
    "WIRE",
]

HARD_LIMIT_USD = 120.0
USAGE_CENTS = 2550.0
ANTHROPIC_MODELS = (
    "claude-sonnet-4-5-20250929",
    "claude-opus-4-1-20250805",
    "claude-haiku-4-5-20251001",
)
ANTHROPIC_PAGE = 2  # the most models one page holds, whatever ``limit`` asks


async def subscription(call: Call) -> HTTPResponse | None:
    return json_response(
        {
            "object": "billing_subscription",
            "has_payment_method": True,
            "hard_limit_usd": HARD_LIMIT_USD,
            "soft_limit_usd": 100.0,
            "system_hard_limit_usd": HARD_LIMIT_USD,
            "access_until": 0,
        }
    )


async def usage(call: Call) -> HTTPResponse | None:
    args = call.request.args
    for name in ("start_date", "end_date"):
        try:
            date.fromisoformat(args.get(name, ""))
        except ValueError:
            return invalid_request(f"{name} must be a date (YYYY-MM-DD)", name)
    return json_response({"object": "list", "daily_costs": [], "total_usage": USAGE_CENTS})


async def deepseek_balance(call: Call) -> HTTPResponse | None:
    return json_response(
        {
            "is_available": True,
            "balance_infos": [
                {
                    "currency": "CNY",
                    "total_balance": "110.00",
                    "granted_balance": "10.00",
                    "topped_up_balance": "100.00",
                },
                {
                    "currency": "USD",
                    "total_balance": "15.25",
                    "granted_balance": "0.00",
                    "topped_up_balance": "15.25",
                },
            ],
        }
    )


async def siliconflow_user(call: Call) -> HTTPResponse | None:
    data = {"id": "fake", "name": "fake", "balance": "8.80", "chargeBalance": "80.00",
            "totalBalance": "88.80", "status": "normal"}
    return json_response({"code": 20000, "message": "OK", "status": True, "data": data})


async def openrouter_credits(call: Call) -> HTTPResponse | None:
    return json_response({"data": {"total_credits": 50, "total_usage": 12.5}})


async def moonshot_balance(call: Call) -> HTTPResponse | None:
    data = {"available_balance": 49.58, "voucher_balance": 46.58, "cash_balance": 3.0}
    return json_response({"code": 0, "data": data, "scode": "0x0", "status": True})


WIRE = Wire(
    name="account",
    routes=(
        Route("GET", "/v1/dashboard/billing/subscription", subscription, "subscription"),
        Route("GET", "/v1/dashboard/billing/usage", usage, "usage"),
        Route("GET", "/user/balance", deepseek_balance, "deepseek_balance"),
        Route("GET", "/v1/user/info", siliconflow_user, "siliconflow_user"),
        Route("GET", "/api/v1/credits", openrouter_credits, "openrouter_credits"),
        Route("GET", "/v1/users/me/balance", moonshot_balance, "moonshot_balance"),
    ),
    authenticate=authenticate_bearer,
    render_error=render_error,
)


async def anthropic_models(call: Call) -> HTTPResponse | None:
    """``GET /v1/models`` in Anthropic's shape, paged by ``after_id``."""
    args = call.request.args
    try:
        limit = min(int(args.get("limit", "20")), ANTHROPIC_PAGE)
    except ValueError:
        return invalid_request("limit must be an integer", "limit")
    after = args.get("after_id")
    start = ANTHROPIC_MODELS.index(after) + 1 if after in ANTHROPIC_MODELS else 0
    page = ANTHROPIC_MODELS[start : start + max(limit, 1)]
    data = [
        {"type": "model", "id": name, "display_name": name, "created_at": "2025-01-01T00:00:00Z"}
        for name in page
    ]
    return json_response(
        {
            "data": data,
            "has_more": start + len(page) < len(ANTHROPIC_MODELS),
            "first_id": page[0] if page else None,
            "last_id": page[-1] if page else None,
        }
    )


ANTHROPIC_MODELS_WIRE = Wire(
    name="anthropic_models",
    routes=(Route("GET", "/v1/models", anthropic_models, "models"),),
    authenticate=anthropic_wire.authenticate,
    render_error=anthropic_wire.render_error,
)
