"""What a channel's upstream account says about itself: its model list and its balance.

Both are GET requests through the relay's one upstream client, with the channel's auth
headers (``outbound_headers``) and first key, each bounded by ``TIMEOUT_S``. Model lists
follow the channel's format: OpenAI-style ``/v1/models``, Anthropic's ``/v1/models``
(``x-api-key`` and ``anthropic-version``), Gemini's ``/v1beta/models`` (both paged). Balances
follow New API's per-provider endpoints. An upstream error becomes an ``UpstreamError`` whose
message is the upstream's own, with the key masked.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import quote

import orjson

from newapi.errors import InvalidRequestError, UpstreamError, UpstreamTimeoutError
from newapi.relay.channels import Channel
from newapi.relay.formats import FORMATS
from newapi.relay.outbound import outbound_headers
from newapi.relay.upstream import Upstream

__all__ = ["BALANCE_PROVIDERS", "Balance", "fetch_balance", "fetch_models"]

MAX_PAGES = 20
TIMEOUT_S = 30.0  # an admin request never waits longer per upstream request
Get = Callable[[str], Awaitable[Any]]


@dataclass(frozen=True, slots=True)
class Balance:
    amount: Decimal
    currency: str


def _getter(upstream: Upstream, channel: Channel, timeout_s: float) -> Get:
    """GET a URL with the channel's first key; the JSON answer, or ``UpstreamError``."""
    if not channel.keys:
        raise InvalidRequestError("the channel has no key", param="key")
    key = channel.keys[0]
    headers = outbound_headers(channel, key, False)
    headers.pop("content-type", None)
    headers["accept"] = "application/json"
    adapter = FORMATS.get(channel.format, FORMATS["openai_chat"])

    async def get(url: str) -> Any:
        try:
            async with asyncio.timeout(timeout_s):
                response = await upstream.open("GET", url, headers, None, stream=False)
                try:
                    body = await response.aread()
                finally:
                    await response.aclose()
        except TimeoutError:
            raise UpstreamTimeoutError(
                f"the upstream did not answer within {timeout_s:g} s"
            ) from None
        if response.status_code >= 400:
            raise adapter.parse_error(response.status_code, body, channel.keys)
        try:
            return orjson.loads(body)
        except orjson.JSONDecodeError:
            raise UpstreamError(
                "the upstream's answer is not JSON", upstream_status=response.status_code
            ) from None

    return get


def _shape_error(what: str) -> UpstreamError:
    return UpstreamError(f"the upstream's {what} answer has an unexpected shape")


def _ids(items: Any, field: str, prefix: str = "") -> list[str]:
    if not isinstance(items, list):
        raise _shape_error("model list")
    names = []
    for item in items:
        name = item.get(field) if isinstance(item, dict) else None
        if isinstance(name, str) and name:
            names.append(name.removeprefix(prefix))
    return names


async def _openai_models(get: Get, base: str) -> list[str]:
    payload = await get(f"{base}/v1/models")
    return _ids(payload.get("data") if isinstance(payload, dict) else None, "id")


async def _anthropic_models(get: Get, base: str) -> list[str]:
    names: list[str] = []
    after = ""
    for _ in range(MAX_PAGES):
        payload = await get(f"{base}/v1/models?limit=1000{after}")
        if not isinstance(payload, dict):
            raise _shape_error("model list")
        names += _ids(payload.get("data"), "id")
        last = payload.get("last_id")
        if not payload.get("has_more") or not isinstance(last, str) or not last:
            break
        after = f"&after_id={quote(last)}"
    return names


async def _gemini_models(get: Get, base: str, version: str) -> list[str]:
    names: list[str] = []
    token = ""
    for _ in range(MAX_PAGES):
        payload = await get(f"{base}/{version}/models?pageSize=1000{token}")
        if not isinstance(payload, dict):
            raise _shape_error("model list")
        names += _ids(payload.get("models"), "name", "models/")
        following = payload.get("nextPageToken")
        if not isinstance(following, str) or not following:
            break
        token = f"&pageToken={quote(following)}"
    return names


async def fetch_models(
    upstream: Upstream, channel: Channel, *, timeout_s: float = TIMEOUT_S
) -> list[str]:
    """The model names the upstream lists for the channel's key, sorted, without repeats."""
    provider = channel.provider
    base = channel.base_url.rstrip("/")
    if provider.url_template != "{base_url}{path}":
        raise InvalidRequestError(
            f"the {provider.name} provider has no model list endpoint", code="not_supported"
        )
    get = _getter(upstream, channel, timeout_s)
    if channel.format == "gemini":
        version = channel.api_version or provider.api_version or "v1beta"
        names = await _gemini_models(get, base, version)
    elif channel.format == "anthropic_messages":
        names = await _anthropic_models(get, base)
    else:
        names = await _openai_models(get, base)
    return sorted(set(names))


def _decimal(value: Any, what: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise _shape_error(what)
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise _shape_error(what) from None


def _field(payload: Any, *path: str) -> Any:
    for name in path:
        payload = payload.get(name) if isinstance(payload, dict) else None
    return payload


async def _openai_balance(get: Get, base: str, today: date) -> Balance:
    """The OpenAI billing API: the hard limit minus this period's usage (in cents)."""
    subscription = await get(f"{base}/v1/dashboard/billing/subscription")
    limit = _decimal(_field(subscription, "hard_limit_usd"), "subscription")
    if _field(subscription, "has_payment_method"):
        start = today.replace(day=1)
    else:
        start = today - timedelta(days=100)
    usage = await get(
        f"{base}/v1/dashboard/billing/usage?start_date={start.isoformat()}"
        f"&end_date={today.isoformat()}"
    )
    spent = _decimal(_field(usage, "total_usage"), "usage") / 100
    return Balance(limit - spent, "USD")


async def _deepseek_balance(get: Get, base: str, today: date) -> Balance:
    """DeepSeek's ``/user/balance``: the USD entry when there is one, else the first."""
    infos = _field(await get(f"{base}/user/balance"), "balance_infos")
    if not isinstance(infos, list) or not infos or not all(isinstance(i, dict) for i in infos):
        raise _shape_error("balance")
    chosen = next((i for i in infos if i.get("currency") == "USD"), infos[0])
    return Balance(
        _decimal(chosen.get("total_balance"), "balance"), str(chosen.get("currency") or "CNY")
    )


async def _siliconflow_balance(get: Get, base: str, today: date) -> Balance:
    payload = await get(f"{base}/v1/user/info")
    return Balance(_decimal(_field(payload, "data", "totalBalance"), "balance"), "CNY")


async def _openrouter_balance(get: Get, base: str, today: date) -> Balance:
    payload = await get(f"{base}/v1/credits")
    credits = _decimal(_field(payload, "data", "total_credits"), "credits")
    used = _decimal(_field(payload, "data", "total_usage"), "credits")
    return Balance(credits - used, "USD")


async def _moonshot_balance(get: Get, base: str, today: date) -> Balance:
    payload = await get(f"{base}/v1/users/me/balance")
    return Balance(_decimal(_field(payload, "data", "available_balance"), "balance"), "CNY")


# Provider name -> how its account reports a balance (New API's channel-billing.go).
BALANCE_PROVIDERS: dict[str, Callable[[Get, str, date], Awaitable[Balance]]] = {
    "openai": _openai_balance,
    "openai_compatible": _openai_balance,
    "deepseek": _deepseek_balance,
    "siliconflow": _siliconflow_balance,
    "openrouter": _openrouter_balance,
    "moonshot": _moonshot_balance,
}


async def fetch_balance(
    upstream: Upstream, channel: Channel, today: date, *, timeout_s: float = TIMEOUT_S
) -> Balance:
    """The balance the upstream reports for the channel's key."""
    read = BALANCE_PROVIDERS.get(channel.provider.name)
    if read is None:
        raise InvalidRequestError(
            f"the {channel.provider.name} provider does not report a balance",
            code="not_supported",
        )
    return await read(_getter(upstream, channel, timeout_s), channel.base_url.rstrip("/"), today)
