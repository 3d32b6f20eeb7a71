"""Per channel: what goes upstream (passthrough or converted through the hub), and how a
non-stream answer comes back in the client's format.

Same format on both sides: the client's bytes with only the model edit (none for Gemini, whose
model is in the URL). A channel that speaks the client's format natively besides its primary
one is that case too, sent to that format's endpoint (``Channel.speaking``). Different formats:
``convert_request`` from the endpoint's hub format to the channel's primary one, and
``convert_response`` back (docs/formats.md).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import orjson

from newapi.billing.meter import CacheSemantics, Usage
from newapi.errors import UnavailableError, UpstreamError
from newapi.relay.channels import Channel
from newapi.relay.endpoints import ENDPOINTS
from newapi.relay.formats import FORMATS, Adapter
from newapi.relay.formats.hub import HUB_CODECS, convert_request
from newapi.relay.hub_stream import HubStreamPlan
from newapi.relay.outbound import build_url, outbound_body, outbound_headers, upstream_path
from newapi.relay.reshape import Reshape, plan_reshaped, reshapes
from newapi.relay.rules import apply_suffix
from newapi.relay.thinking import thinking_as_text

if TYPE_CHECKING:
    from newapi.relay.pipeline import Prepared

__all__ = ["Outbound", "convert_body", "forwarded_headers", "hub_plan", "plan_outbound"]

FORWARDED_HEADERS = ("anthropic-version", "anthropic-beta")


class FormatNotSupportedError(UnavailableError):
    """The channel's format cannot be converted to the client's; the next channel is tried."""

    code = "format_not_supported"
    retryable = True


@dataclass(frozen=True, slots=True)
class Outbound:
    """One upstream request, and how its answer is read."""

    url: str
    headers: dict[str, str]
    body: bytes
    channel_format: str
    convert: bool  # through the hub (client format != channel format)
    include_usage: bool  # the client's stream wants a usage report
    reshape: Reshape | None = None  # rerank and embeddings (relay/reshape.py)
    thinking_to_content: bool = False  # reasoning goes into the text (channel setting)

    @property
    def codec(self) -> Adapter:
        """The channel format's adapter (errors, usage); OpenAI's for formats without one."""
        return FORMATS.get(self.channel_format, FORMATS["openai_chat"])

    @property
    def semantics(self) -> CacheSemantics:
        codec = HUB_CODECS.get(self.channel_format)
        return codec.cache_semantics if codec is not None else CacheSemantics.OPENAI


def forwarded_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """The client headers an Anthropic channel gets (version, beta flags as given)."""
    return {name: headers[name] for name in FORWARDED_HEADERS if headers.get(name)}


def plan_outbound(
    prepared: Prepared, channel: Channel, key: str, model: str, *, force_usage: bool
) -> Outbound:
    """The request for ``channel`` (``model`` = the upstream name); 400 when the client's body
    cannot be converted, 503 when the channel's format cannot serve the endpoint."""
    endpoint = prepared.endpoint
    channel = channel.speaking(endpoint.format)  # its native endpoint for the client's format
    client_fmt, channel_fmt = endpoint.format, channel.provider.format
    if reshapes(endpoint, channel_fmt):
        return _reshaped(prepared, channel, key, model)
    convert = channel_fmt != client_fmt and endpoint.hub is not None and channel_fmt in HUB_CODECS
    include_usage = True
    if convert:
        assert endpoint.hub is not None
        url_args = (
            {"model": prepared.model, "stream": prepared.stream} if client_fmt == "gemini" else {}
        )
        request, converted = convert_request(
            prepared.body, endpoint.hub, channel_fmt, model, **url_args
        )
        include_usage = request.include_usage
        body = orjson.dumps(apply_suffix(prepared.suffix, channel_fmt, converted))
        target = ENDPOINTS["chat"] if channel_fmt == "openai_chat" else endpoint
    elif channel_fmt != client_fmt and client_fmt != "openai_chat":
        raise FormatNotSupportedError(
            f"channel {channel.id} ({channel_fmt}) cannot serve {client_fmt} requests"
        )
    else:
        target = endpoint
        suffix = prepared.suffix
        if client_fmt == "gemini" and suffix is None:
            body = prepared.raw  # the model is in the URL
        elif client_fmt == "gemini":
            body = orjson.dumps(apply_suffix(suffix, client_fmt, prepared.body))
        else:
            body = outbound_body(
                prepared.raw,
                prepared.body,
                prepared.model,
                model,
                prepared.stream,
                force_usage=force_usage and client_fmt == "openai_chat",
                edit=None if suffix is None else lambda b: apply_suffix(suffix, client_fmt, b),
            )
    path = upstream_path(channel, target, model, prepared.stream)
    api_version = prepared.query_api_version if channel_fmt == "openai_chat" else None
    return Outbound(
        url=build_url(channel, path, target.task, model, api_version),
        headers=outbound_headers(channel, key, prepared.stream, prepared.forward_headers),
        body=body,
        channel_format=channel_fmt,
        convert=convert,
        include_usage=include_usage,
        thinking_to_content=channel.settings.thinking_to_content
        and endpoint.hub is not None
        and channel_fmt in HUB_CODECS,
    )


def _reshaped(prepared: Prepared, channel: Channel, key: str, model: str) -> Outbound:
    channel_fmt = channel.provider.format
    planned = plan_reshaped(prepared, channel, model)
    if planned is None:
        what = prepared.endpoint.path or prepared.endpoint.task
        raise FormatNotSupportedError(
            f"channel {channel.id} ({channel_fmt}) cannot serve {what} requests"
        )
    api_version = prepared.query_api_version if channel_fmt == "openai_chat" else None
    return Outbound(
        url=build_url(channel, planned.path, planned.task, model, api_version),
        headers=outbound_headers(channel, key, False, prepared.forward_headers),
        body=planned.body,
        channel_format=channel_fmt,
        convert=planned.reshape.convert is not None,
        include_usage=False,
        reshape=planned.reshape,
    )


def hub_plan(
    prepared: Prepared, outbound: Outbound, keepalive_s: float, count_tokens: bool
) -> HubStreamPlan:
    """What ``forward_hub_stream`` needs for this request and channel."""
    endpoint = prepared.endpoint
    include_usage = outbound.include_usage
    if not outbound.convert:
        options = prepared.body.get("stream_options")
        include_usage = not (isinstance(options, dict) and options.get("include_usage") is False)
    return HubStreamPlan(
        upstream=outbound.channel_format,
        client=endpoint.hub or endpoint.format,
        passthrough=not outbound.convert and not outbound.thinking_to_content,
        model=prepared.model,
        adapter=prepared.adapter,
        include_usage=include_usage,
        prompt_estimate=endpoint.prompt_tokens(prepared.body, prepared.model)
        if count_tokens
        else 0,
        keepalive_s=float(keepalive_s),
        request_id=prepared.meter.request_id,
        created=int(time.time()),
        thinking_to_content=outbound.thinking_to_content,
    )


def convert_body(
    payload: Any, outbound: Outbound, prepared: Prepared, usage: Usage | None
) -> dict[str, Any]:
    """The upstream's non-stream body in the client's format (reasoning moved into the text
    when the channel has ``thinking_to_content``).

    An answer that is an error in disguise (Gemini without candidates) raises
    ``UpstreamError``; the usage it carries is billed first (docs/formats.md)."""
    if not isinstance(payload, dict):
        raise UpstreamError(
            "the upstream answered with a body that is not JSON", code="bad_response_body"
        )
    if outbound.reshape is not None and outbound.reshape.convert is not None:
        return outbound.reshape.convert(payload)
    assert prepared.endpoint.hub is not None
    try:
        response = HUB_CODECS[outbound.channel_format].decode_response(payload)
    except UpstreamError:
        if usage is not None:
            prepared.meter.semantics = outbound.semantics
            prepared.meter.settle(usage)
        raise
    if outbound.thinking_to_content:
        response = thinking_as_text(response)
    return HUB_CODECS[prepared.endpoint.hub].encode_response(response, model=prepared.model)
