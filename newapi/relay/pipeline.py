"""The relay pipeline, the only flow every relay request takes.

parse -> authenticate -> rules (rename, then the channel's model mapping) -> price -> reserve
-> try channels (best tier first, failover on retryable errors, never after bytes reached the
client) -> pass the response through while metering it -> settle or release.
"""

from __future__ import annotations

import logging
import os
import random
import string
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import orjson
from sanic import Request
from sanic.response import HTTPResponse

from newapi.auth.api_keys import ApiKeys, Caller, extract_key
from newapi.billing.estimate import reservation as reservation_amount
from newapi.billing.ledger import Ledger
from newapi.billing.meter import Usage
from newapi.billing.prices import PriceBook
from newapi.config.model import GatewayConfig
from newapi.errors import (
    GatewayError,
    InvalidRequestError,
    NotFoundError,
    PermissionDeniedError,
    UnavailableError,
    UpstreamError,
)
from newapi.relay.channels import Channel, KeyRing
from newapi.relay.conversion_path import (
    Outbound,
    convert_body,
    forwarded_headers,
    hub_plan,
    plan_outbound,
)
from newapi.relay.endpoints import Body, Endpoint, gemini_target, max_output_tokens, parse_body
from newapi.relay.formats import FORMATS, Adapter
from newapi.relay.hub_stream import forward_hub_stream
from newapi.relay.metering import Attempt, Meter
from newapi.relay.policy import decide, mapped_status
from newapi.relay.routing import RoutingTable, attempts
from newapi.relay.rules import SuffixMatch, match_suffix, rename, upstream_name
from newapi.relay.streaming import Respond, StreamPlan, forward_stream, sanic_respond
from newapi.relay.upstream import Upstream, UpstreamResponse

__all__ = ["Prepared", "Relay", "new_request_id"]

log = logging.getLogger(__name__)

_ALPHABET = string.ascii_letters + string.digits


def new_request_id() -> str:
    """New API's request id: a timestamp and 8 random characters.

    One ``urandom`` read per id (``secrets.choice`` per character made eight).
    """
    n = int.from_bytes(os.urandom(8))
    chars = []
    for _ in range(8):
        n, i = divmod(n, 62)
        chars.append(_ALPHABET[i])
    return time.strftime("%Y%m%d%H%M%S") + "".join(chars)


@dataclass(slots=True)
class Prepared:
    """A request that passed every local check and holds its reservation."""

    endpoint: Endpoint
    adapter: Adapter
    body: Body
    raw: bytes
    model: str  # requested (billed) name
    routed_model: str  # after rename rules
    stream: bool
    caller: Caller
    meter: Meter
    query_api_version: str | None
    forward_headers: dict[str, str] = field(default_factory=dict)  # to Anthropic channels
    suffix: SuffixMatch | None = None  # a reasoning suffix on the routed name


def _model_not_found(model: str, group: str) -> NotFoundError:
    return NotFoundError(
        f"the model {model!r} does not exist or is not available to this API key's group {group!r}",
        code="model_not_found",
        param="model",
    )


class Relay:
    """Holds what the pipeline needs; swapped parts (channels) are replaced whole."""

    def __init__(
        self,
        config: GatewayConfig,
        ledger: Ledger,
        upstream: Upstream,
        keys: ApiKeys,
        prices: PriceBook,
        rng: random.Random | None = None,
    ) -> None:
        self.config = config
        self.ledger = ledger
        self.upstream = upstream
        self.keys = keys
        self.prices = prices
        self.rng = rng or random.Random()
        self.table = RoutingTable(())
        self.rings: dict[int, KeyRing] = {}
        self.retry_times = config.relay.retry_times
        self.usable_groups: frozenset[str] | None = None  # UserUsableGroups (None: unchecked)
        self.disabled: dict[int, str] = {}  # channel id -> reason (auto-disabled in memory)
        self.bus: Any = None  # newapi.cache.changes.ChangeBus when Redis is configured

    # -- channels ------------------------------------------------------------------------

    def set_channels(self, channels: Iterable[Channel]) -> None:
        """Swap in a new channel set, keeping key health for channels whose keys are unchanged."""
        channels = list(channels)
        rings: dict[int, KeyRing] = {}
        for channel in channels:
            old = self.rings.get(channel.id)
            keep = old is not None and old.keys == channel.keys and old.mode == channel.key_mode
            rings[channel.id] = old if keep and old else KeyRing(channel.keys, channel.key_mode)
        self.rings = rings
        self.table = RoutingTable(c for c in channels if c.id not in self.disabled)

    # -- the flow ------------------------------------------------------------------------

    async def handle(self, request: Request, endpoint: Endpoint) -> HTTPResponse | None:
        """Serve one relay request; every error is answered in the endpoint's format."""
        request_id = new_request_id()
        adapter = FORMATS[endpoint.format]
        try:
            prepared = await self.prepare(request, endpoint, request_id)
        except GatewayError as exc:
            return self._error(adapter, exc, request_id)
        meter = prepared.meter
        try:
            return await self.serve(prepared, sanic_respond(request))
        except GatewayError as exc:
            meter.release(exc.message, log_error=self.config.relay.error_log_enabled)
            return self._error(adapter, exc, request_id)
        finally:
            meter.release()  # no-op when settled; a crash in between must not keep the hold

    async def prepare(self, request: Request, endpoint: Endpoint, request_id: str) -> Prepared:
        caller = await self.keys.authenticate(  # the key first: no key, no body parsing
            extract_key(request.headers, request.path, request.args.get("key")),
            request.ip or "",
        )
        url_model, url_stream = None, False
        if endpoint.format == "gemini":
            url_model, url_stream = gemini_target(request.match_info.get("model", ""))
        body, model, stream = parse_body(request.body, endpoint, url_model, url_stream)
        owner = caller.owner
        if (
            caller.pinned_channel is None
            and owner.model_limits is not None
            and model not in owner.model_limits
        ):
            raise PermissionDeniedError(
                f"this API key may not use the model {model!r}",
                code="model_not_allowed",
                param="model",
            )
        group = owner.group
        usable = self.usable_groups
        if usable is not None and group != owner.user_group and group not in usable:
            raise PermissionDeniedError(
                f"this API key's group {group!r} is not one its user may use",
                code="group_not_allowed",
            )
        routed = rename(self.config.rename_rules, model, group)
        suffix = match_suffix(self.config.suffix_rules, routed)
        if suffix is not None and not self.table.tiers(group, routed):
            routed = suffix.base  # channels listing the suffixed name win (docs/routing.md)
        if caller.pinned_channel is None and not self.table.tiers(group, routed):
            raise _model_not_found(model, group)  # before pricing: an unknown model is a 404
        price = self.prices.lookup(model)
        group_ratio = self.prices.group_ratio(group, owner.user_group)
        relay_cfg = self.config.relay
        estimate = max(len(request.body) // 3, 1)  # a cheap upper bound for the hold
        amount = reservation_amount(
            estimate, max_output_tokens(body), price, group_ratio, relay_cfg.pre_consumed_quota
        )
        trusted = (
            relay_cfg.trust_quota > 0
            and owner.user_quota > relay_cfg.trust_quota
            and (owner.unlimited_quota or owner.remain_quota > relay_cfg.trust_quota)
        )
        reservation = self.ledger.reserve(
            request_id,
            user_id=owner.user_id,
            user_quota=owner.user_quota,
            token_id=owner.token_id,
            token_remain=owner.remain_quota,
            token_unlimited=owner.unlimited_quota,
            amount=amount,
            trusted=trusted,
        )
        meter = Meter(
            ledger=self.ledger,
            reservation=reservation,
            caller=caller,
            request_id=request_id,
            requested_model=model,
            price=price,
            group=group,
            group_ratio=group_ratio,
            path=request.path,
            is_stream=stream,
            client_ip=request.ip or "",
            reasoning_effort=suffix.effort if suffix is not None else "",
        )
        return Prepared(
            endpoint,
            FORMATS[endpoint.format],
            body,
            request.body,
            model,
            routed,
            stream,
            caller,
            meter,
            request.args.get("api-version"),
            forwarded_headers(request.headers),
            suffix,
        )

    def candidates(self, prepared: Prepared) -> list[Channel]:
        """The channels to try, in order."""
        pinned = prepared.caller.pinned_channel
        if pinned is not None:
            channel = self.table.by_id.get(pinned)
            if channel is None:
                raise InvalidRequestError(
                    f"channel {pinned} does not exist", code="channel_not_found"
                )
            if not channel.enabled or pinned in self.disabled:
                raise PermissionDeniedError(
                    f"channel {pinned} is disabled", code="channel_disabled"
                )
            return [channel]
        tiers = self.table.tiers(prepared.caller.owner.group, prepared.routed_model)
        if not tiers:
            raise _model_not_found(prepared.model, prepared.caller.owner.group)
        return list(attempts(tiers, self.retry_times + 1, self.rng))

    async def serve(self, prepared: Prepared, respond: Respond) -> HTTPResponse | None:
        """Try the candidate channels; stream through ``respond`` or return the response."""
        meter = prepared.meter
        last: GatewayError | None = None
        queue = deque(self.candidates(prepared))
        budget = 1 if prepared.caller.pinned_channel is not None else self.retry_times + 1
        while queue and budget > 0:
            channel = queue.popleft()
            budget -= 1
            meter.channel_id = channel.id
            try:
                response, key_index, outbound = await self._send(channel, prepared)
            except GatewayError as exc:
                last = exc
                if self._after_failure(channel, -1, exc, meter):
                    continue
                raise
            if response.status_code >= 300:
                raw = await response.aread()
                await response.aclose()
                status = mapped_status(response.status_code, channel.settings.status_code_mapping)
                error = outbound.codec.parse_error(status, raw, channel.keys)
                last = error
                if self._after_failure(channel, key_index, error, meter, status):
                    if self._key_taken_out(channel, key_index):
                        queue.appendleft(channel)  # the same channel, with another key
                    continue
                raise error
            meter.attempts.append(Attempt(channel.id, response.status_code))
            hub = outbound.convert or outbound.thinking_to_content
            if prepared.stream and (hub or prepared.endpoint.format != "openai_chat"):
                cfg = self.config.relay
                plan = hub_plan(prepared, outbound, cfg.keepalive_interval_s, cfg.count_token)
                await forward_hub_stream(respond, response, meter, plan)
                return None
            if prepared.stream:
                await forward_stream(respond, response, meter, self._stream_plan(prepared))
                return None
            return await self._complete(response, prepared, outbound)
        raise last or UnavailableError("no channel is available for this request")

    async def _send(
        self, channel: Channel, prepared: Prepared
    ) -> tuple[UpstreamResponse, int, Outbound]:
        key_index, key = self.rings[channel.id].pick(self.rng)
        model = upstream_name(channel.model_mapping, prepared.routed_model, prepared.suffix)
        prepared.meter.upstream_model = model
        outbound = plan_outbound(
            prepared,
            channel,
            key,
            model,
            force_usage=self.config.relay.force_stream_option and channel.provider.stream_options,
        )
        response = await self.upstream.open(
            "POST", outbound.url, outbound.headers, outbound.body, stream=prepared.stream
        )
        return response, key_index, outbound

    def _after_failure(
        self,
        channel: Channel,
        key_index: int,
        error: GatewayError,
        meter: Meter,
        status: int | None = None,
    ) -> bool:
        """Record the failed attempt, apply the error rules; True means try the next channel."""
        if status is None:
            status = (
                500
                if not isinstance(error, UpstreamError) or error.upstream_status is None
                else error.upstream_status
            )
        meter.attempts.append(Attempt(channel.id, status, error.code, error.message[:200]))
        if not isinstance(error, UpstreamError):
            return error.retryable
        decision = decide(self.config.upstream_error_rules, status, error)
        if decision.disable != "none" and self.config.relay.auto_disable and channel.auto_ban:
            self._disable(channel, key_index, decision.disable, f"{status} {error.code}")
        return decision.retry and meter.caller.pinned_channel is None

    def _key_taken_out(self, channel: Channel, key_index: int) -> bool:
        """The failing key left the rotation and the channel still has others."""
        ring = self.rings.get(channel.id)
        return (
            ring is not None
            and key_index in ring.disabled
            and len(ring.disabled) < len(ring.keys)
            and channel.id not in self.disabled
        )

    def _disable(self, channel: Channel, key_index: int, what: str, reason: str) -> None:
        ring = self.rings.get(channel.id)
        if (
            what == "key"
            and ring is not None
            and key_index >= 0
            and not ring.disable(key_index, reason)
        ):
            log.warning(
                "channel %d: key #%d taken out of rotation (%s)", channel.id, key_index, reason
            )
            return
        log.warning("channel %d (%s) auto-disabled: %s", channel.id, channel.name, reason)
        self.disabled[channel.id] = reason
        self.table = RoutingTable(c for c in self.table.by_id.values() if c.id not in self.disabled)

    def _stream_plan(self, prepared: Prepared) -> StreamPlan:
        options = prepared.body.get("stream_options")
        wants = not (isinstance(options, dict) and options.get("include_usage") is False)
        return StreamPlan(
            endpoint=prepared.endpoint,
            adapter=prepared.adapter,
            body=prepared.body,
            model=prepared.model,
            client_wants_usage=wants,
            keepalive_s=float(self.config.relay.keepalive_interval_s),
            request_id=prepared.meter.request_id,
            count_tokens=self.config.relay.count_token,
        )

    async def _complete(
        self, response: UpstreamResponse, prepared: Prepared, outbound: Outbound
    ) -> HTTPResponse:
        raw = await response.aread()
        await response.aclose()
        prepared.meter.mark_first_byte()
        try:
            payload: Any = orjson.loads(raw)
        except orjson.JSONDecodeError:
            payload = None
        usage = outbound.codec.usage(payload) if isinstance(payload, dict) else None
        content_type = response.headers.get("content-type", "application/json")
        if outbound.convert or outbound.thinking_to_content:
            payload = convert_body(payload, outbound, prepared, usage)
            raw, content_type = orjson.dumps(payload), "application/json"
        prepared.meter.semantics = outbound.semantics
        usage = self._complete_usage(usage, payload, prepared)
        reshape = outbound.reshape  # rerank: a per-call price is charged per search unit
        calls = reshape.calls(payload if isinstance(payload, dict) else None) if reshape else 1
        prepared.meter.settle(usage, calls=calls)
        return HTTPResponse(
            raw,
            status=response.status_code,
            content_type=content_type,
            headers={"X-Oneapi-Request-Id": prepared.meter.request_id},
        )

    def _complete_usage(self, usage: Usage | None, payload: Any, prepared: Prepared) -> Usage:
        """Upstream usage, with what is missing counted locally (New API §6.5)."""
        reported = usage is not None and (
            usage.prompt_tokens or usage.cached_tokens or usage.cache_write_tokens
        )  # Claude's input_tokens exclude the cache: 0 with cache tokens is a real count
        if usage is not None and reported:
            return usage
        endpoint, model = prepared.endpoint, prepared.model
        count = self.config.relay.count_token
        prompt = endpoint.prompt_tokens(prepared.body, model) if count else 0
        completion = (
            usage.completion_tokens
            if usage is not None
            else (endpoint.completion_tokens(payload, model) if isinstance(payload, dict) else 0)
        )
        return Usage(
            prompt_tokens=prompt,
            completion_tokens=completion,
            cached_tokens=usage.cached_tokens if usage else 0,
            source="mixed" if usage is not None else "local",
        )

    @staticmethod
    def _error(adapter: Adapter, exc: GatewayError, request_id: str) -> HTTPResponse:
        if not exc.quiet or exc.detail:
            log.warning("request %s failed: %s %s", request_id, exc.code, exc.detail or "")
        status, body = adapter.render_error(exc, request_id)
        return HTTPResponse(
            body,
            status=status,
            content_type="application/json",
            headers={"X-Oneapi-Request-Id": request_id},
        )
