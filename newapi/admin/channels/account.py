"""Admin: ask a channel's upstream account for its model list and its balance.

Both work for database and gateway.toml channels (a file channel's balance is returned but
not stored: it has no row). ``fetchChannelModels`` also takes an unsaved channel (provider,
base URL, key), so the UI can fill the model list before the channel is created.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import UTC, datetime
from typing import Any

import strawberry
from strawberry.types import Info

from newapi.admin.access import IsAdmin
from newapi.admin.channels.batch import MAX_BATCH
from newapi.admin.channels.types import (
    ChannelBalance,
    ChannelBalanceOutcome,
    ChannelBalanceResult,
    ChannelModels,
    ChannelModelsResult,
    UpstreamChannelInput,
    UpstreamFailure,
)
from newapi.admin.channels.upstream_account import BALANCE_PROVIDERS, fetch_balance, fetch_models
from newapi.admin.results import BigInt, field_errors
from newapi.errors import GatewayError, InvalidRequestError, NotFoundError, UpstreamError
from newapi.relay.catalog import channel_from_row, config_channels
from newapi.relay.channels import Channel as RelayChannel
from newapi.store import channel_rows, channel_type_numbering, provider_for_channel_type
from newapi.store.queries.admin_channels import record_channel_balance

__all__ = ["ChannelAccountMutation"]

log = logging.getLogger(__name__)

BALANCE_CONCURRENCY = 8  # upstream requests in flight for updateChannelBalances


async def _out_of_rotation(relay: Any, channel_id: int) -> RelayChannel | None:
    """An auto-disabled channel (not in the routing table), built as a reload would."""
    if channel_id < 0:
        return next((c for c in config_channels(relay.config) if c.id == channel_id), None)
    row = next((r for r in await channel_rows() if r["id"] == channel_id), None)
    if row is None:
        return None
    providers = relay.config.providers
    name = provider_for_channel_type(
        int(row.get("type") or 0), await channel_type_numbering(), providers.values()
    )
    return channel_from_row(row, providers[name])


async def _find(relay: Any, channel_id: int) -> RelayChannel | None:
    channel = relay.table.by_id.get(channel_id)
    if channel is None and channel_id in relay.disabled:
        channel = await _out_of_rotation(relay, channel_id)
    return channel


async def _loaded(info: Info[Any, Any], channel_id: int) -> RelayChannel:
    channel = await _find(info.context.relay, channel_id)
    if channel is None:
        raise NotFoundError(
            f"channel {channel_id} does not exist or is not loaded (check its type and base URL)",
            code="channel_not_found",
        )
    return channel


def _failure(exc: GatewayError) -> UpstreamFailure:
    status = exc.upstream_status if isinstance(exc, UpstreamError) else None
    return UpstreamFailure(code=exc.code, message=exc.message, status=status)


async def _unsaved(info: Info[Any, Any], data: UpstreamChannelInput) -> RelayChannel | Any:
    """A relay channel for the input, or ``FieldErrors``."""
    providers = info.context.relay.config.providers
    name = (data.provider or "").strip()
    if not name and data.type is not None:
        try:
            name = provider_for_channel_type(
                data.type, await channel_type_numbering(), providers.values()
            )
        except InvalidRequestError as exc:
            return field_errors(("type", exc.message))
    provider = providers.get(name)
    if provider is None:
        return field_errors(("provider", "name a provider of the catalog, or a channel type"))
    base_url = (data.base_url.strip() or provider.base_url or "").rstrip("/")
    problems = []
    if not base_url.startswith(("http://", "https://")):
        problems.append(("baseUrl", "an http(s) URL (this provider has no default)"))
    keys = tuple(line.strip() for line in data.key.splitlines() if line.strip())
    if not keys:
        problems.append(("key", "must not be empty"))
    if problems:
        return field_errors(*problems)
    return RelayChannel(
        id=0,
        name="unsaved",
        provider=provider,
        base_url=base_url,
        keys=keys,
        models=(),
        groups=("default",),
    )


@strawberry.type
class ChannelAccountMutation:
    @strawberry.mutation(
        permission_classes=[IsAdmin],
        description="The upstream's model list for a channel (id) or an unsaved one (input).",
    )
    async def fetch_channel_models(
        self,
        info: Info[Any, Any],
        id: int | None = None,
        input: UpstreamChannelInput | None = None,
    ) -> ChannelModelsResult:
        if (id is None) == (input is None):
            return field_errors(("id", "give either id or input"))
        if id is not None:
            channel = await _loaded(info, id)
        else:
            assert input is not None
            channel = await _unsaved(info, input)
            if not isinstance(channel, RelayChannel):
                return channel
        try:
            models = await fetch_models(info.context.relay.upstream, channel)
        except (UpstreamError, InvalidRequestError) as exc:
            log.info("model list of channel %s: %s (%s)", channel.id, exc.code, exc.detail)
            return _failure(exc)
        return ChannelModels(models=models)

    @strawberry.mutation(
        permission_classes=[IsAdmin],
        description="Read the channel's balance from its upstream and store it (db channels).",
    )
    async def update_channel_balance(
        self, info: Info[Any, Any], id: int
    ) -> ChannelBalanceResult:
        return await _read_balance(info.context.relay, await _loaded(info, id))

    @strawberry.mutation(
        permission_classes=[IsAdmin],
        description="updateChannelBalance for several channels at once, by default every "
        "channel whose provider reports a balance.",
    )
    async def update_channel_balances(
        self, info: Info[Any, Any], ids: list[int] | None = None
    ) -> list[ChannelBalanceOutcome]:
        relay = info.context.relay
        loaded = relay.table.by_id
        if ids is None:
            ids = sorted(i for i, c in loaded.items() if c.provider.name in BALANCE_PROVIDERS)
        elif len(ids) > MAX_BATCH:
            raise InvalidRequestError(f"at most {MAX_BATCH} channels at once", param="ids")
        gate = asyncio.Semaphore(BALANCE_CONCURRENCY)

        async def one(channel_id: int) -> ChannelBalanceOutcome:
            channel = await _find(relay, channel_id)
            if channel is None:
                missing = UpstreamFailure(
                    code="channel_not_found", message="no such channel", status=None
                )
                return ChannelBalanceOutcome(channel_id=channel_id, result=missing)
            async with gate:
                result = await _read_balance(relay, channel)
            return ChannelBalanceOutcome(channel_id=channel_id, result=result)

        return list(await asyncio.gather(*(one(i) for i in sorted(set(ids)))))


async def _read_balance(relay: Any, channel: RelayChannel) -> ChannelBalanceResult:
    now = int(time.time())
    try:
        balance = await fetch_balance(relay.upstream, channel, datetime.now(UTC).date())
    except (UpstreamError, InvalidRequestError) as exc:
        log.info("balance of channel %s: %s (%s)", channel.id, exc.code, exc.detail)
        return _failure(exc)
    stored = channel.source == "db" and await record_channel_balance(
        channel.id, float(balance.amount), now
    )
    return ChannelBalance(
        channel_id=channel.id,
        balance=balance.amount,
        currency=balance.currency,
        updated_time=BigInt(now),
        stored=stored,
    )
