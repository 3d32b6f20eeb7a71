"""What goes upstream: the URL from the provider's template, the auth headers, the body edits.

An unchanged body is sent as the client's bytes; only when the model name or the stream
options change is it re-encoded.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import orjson

from newapi.relay.channels import Channel
from newapi.relay.endpoints import Body, Endpoint

__all__ = ["build_url", "outbound_body", "outbound_headers", "upstream_path"]


def build_url(channel: Channel, path: str, task: str, model: str, api_version: str | None) -> str:
    """``provider.url_template`` filled in; ``{model}`` may also sit in the base URL (custom).

    ``path`` is the path of the channel's format (``upstream_path``), ``task`` Azure's.
    """
    provider = channel.provider
    version = api_version or channel.api_version or provider.api_version or ""
    url = provider.url_template.replace("{base_url}", channel.base_url.rstrip("/"))
    return (
        url.replace("{path}", path)
        .replace("{task}", task)
        .replace("{model}", model)
        .replace("{api_version}", version)
    )


_FORMAT_PATHS = {
    "openai_chat": "/v1/chat/completions",
    "anthropic_messages": "/v1/messages",
    "openai_responses": "/v1/responses",
}

_AUTH_HEADERS = {
    "api-key": "api-key",
    "x-api-key": "x-api-key",
    "x-goog-api-key": "x-goog-api-key",
    "mj-api-secret": "mj-api-secret",
}


def upstream_path(channel: Channel, endpoint: Endpoint, model: str, stream: bool) -> str:
    """The request path for the channel's format (the client's own path when they match)."""
    fmt = channel.provider.format
    if fmt == "gemini":
        version = channel.api_version or channel.provider.api_version or "v1beta"
        action = "streamGenerateContent?alt=sse" if stream else "generateContent"
        return f"/{version}/models/{model}:{action}"
    if fmt == endpoint.format or fmt not in _FORMAT_PATHS:
        return endpoint.path
    return _FORMAT_PATHS[fmt]


def outbound_headers(
    channel: Channel, key: str, stream: bool, forward: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Content type, auth in the provider's style, then provider, client-forwarded
    (``anthropic-version``/``anthropic-beta`` to Anthropic channels) and channel headers."""
    headers = {"content-type": "application/json"}
    if stream:
        headers["accept"] = "text/event-stream"
        headers["accept-encoding"] = "identity"
    auth = channel.provider.auth
    if auth == "bearer":
        headers["authorization"] = f"Bearer {key}"
    elif auth in _AUTH_HEADERS:
        headers[_AUTH_HEADERS[auth]] = key
    if channel.organization:
        headers["openai-organization"] = channel.organization
    headers.update(channel.provider.headers)
    if forward and channel.provider.format == "anthropic_messages":
        headers.update(forward)
    headers.update(channel.headers)
    return headers


def outbound_body(
    raw: bytes,
    body: Body,
    requested: str,
    model: str,
    stream: bool,
    *,
    force_usage: bool,
    edit: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> bytes:
    """The client's bytes, or the body re-encoded when the gateway must change it (``edit``:
    a reasoning-suffix edit of the whole body)."""
    changes: dict[str, Any] = {}
    if model != requested or body.get("model") != model:
        changes["model"] = model
    if stream and force_usage:
        options = body.get("stream_options")
        if not (isinstance(options, dict) and options.get("include_usage") is True):
            changes["stream_options"] = {**(options or {}), "include_usage": True}
    if edit is not None:
        return orjson.dumps(edit({**body, **changes}))
    if not changes:
        return raw
    return orjson.dumps({**body, **changes})
