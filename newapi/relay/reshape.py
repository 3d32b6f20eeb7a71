"""Endpoints whose bodies are reshaped without the chat hub: rerank (Jina and Cohere shapes)
and embeddings (OpenAI and Gemini shapes).

``plan_reshaped`` says what goes to a channel (body, path) and how the answer comes back
(``Reshape``), or ``None`` when the channel's format cannot serve the endpoint (the pipeline
then tries the next channel). Same shape on both sides: the client's bytes, with only the
model name edited; the answer passes through unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import orjson

from newapi.relay.channels import Channel
from newapi.relay.endpoints import ENDPOINTS, Body, Endpoint
from newapi.relay.formats import rerank
from newapi.relay.formats.gemini import embed
from newapi.relay.outbound import outbound_body

if TYPE_CHECKING:
    from newapi.relay.pipeline import Prepared

__all__ = ["Planned", "Reshape", "plan_reshaped", "reshapes"]

RERANK = ("rerank", "rerank_v2")
GEMINI_EMBED = ("gemini_embed", "gemini_batch_embed")
# channel format -> the rerank dialect it speaks (OpenAI-compatible upstreams serve Jina's)
RERANK_DIALECTS = {"rerank": "rerank", "openai_chat": "rerank", "cohere_rerank": "cohere_rerank"}
RERANK_PATHS = {"rerank": "/v1/rerank", "cohere_rerank": "/v2/rerank"}


@dataclass(frozen=True, slots=True)
class Reshape:
    """How an upstream answer returns to the client, and how many calls it bills."""

    convert: Callable[[dict[str, Any]], dict[str, Any]] | None  # None: the bytes pass through
    calls: Callable[[dict[str, Any] | None], int]


@dataclass(frozen=True, slots=True)
class Planned:
    body: bytes
    path: str
    task: str  # Azure's {task}
    reshape: Reshape


def _one_call(payload: dict[str, Any] | None) -> int:
    return 1


def reshapes(endpoint: Endpoint, channel_format: str) -> bool:
    """Whether ``plan_reshaped`` decides how ``endpoint`` reaches a channel of this format."""
    if endpoint.name in RERANK or endpoint.name in GEMINI_EMBED:
        return True
    return endpoint.name == "embeddings" and channel_format == "gemini"


def plan_reshaped(prepared: Prepared, channel: Channel, model: str) -> Planned | None:
    """The upstream request for ``channel`` (``model`` = upstream name), or ``None``."""
    name = prepared.endpoint.name
    if name in RERANK:
        return _rerank(prepared, channel.provider.format, model)
    if name in GEMINI_EMBED:
        return _gemini_embed(prepared, channel, model)
    return _openai_to_gemini(prepared, channel, model)


def _model_edit(prepared: Prepared, model: str) -> bytes:
    return outbound_body(prepared.raw, prepared.body, prepared.model, model, False,
                         force_usage=False)


def _rerank(prepared: Prepared, channel_format: str, model: str) -> Planned | None:
    dialect = RERANK_DIALECTS.get(channel_format)
    if dialect is None:
        return None
    body = prepared.body
    shape = rerank.client_shape(body, v2=prepared.endpoint.name == "rerank_v2")
    documents = len(body["documents"])

    def calls(payload: dict[str, Any] | None) -> int:
        return rerank.search_units(payload, documents)

    converted = rerank.upstream_body(body, shape, dialect, model)
    if converted is None:
        return Planned(_model_edit(prepared, model), RERANK_PATHS[dialect], "rerank",
                       Reshape(None, calls))
    endpoint, requested = prepared.endpoint, prepared.model
    request_id = prepared.meter.request_id

    def convert(payload: dict[str, Any]) -> dict[str, Any]:
        usage = rerank.JINA_ADAPTER.usage(payload)
        tokens = usage.prompt_tokens if usage else endpoint.prompt_tokens(body, requested)
        return rerank.client_response(
            payload, body, shape, model=requested, request_id=request_id, tokens=tokens,
            units=calls(payload),
        )

    return Planned(orjson.dumps(converted), RERANK_PATHS[dialect], "rerank",
                   Reshape(convert, calls))


def gemini_path(channel: Channel, model: str, action: str) -> str:
    version = channel.api_version or channel.provider.api_version or "v1beta"
    return f"/{version}/models/{model}:{action}"


def _gemini_embed(prepared: Prepared, channel: Channel, model: str) -> Planned | None:
    action = prepared.endpoint.task
    fmt = channel.provider.format
    if fmt == "gemini":
        raw = prepared.raw
        if model != prepared.model:  # Google wants the URL's model in every request
            raw = orjson.dumps(embed.retarget(prepared.body, action, model))
        return Planned(raw, gemini_path(channel, model, action), action, Reshape(None, _one_call))
    if fmt != "openai_chat":
        return None
    body = prepared.body
    count = len(embed.embed_texts(body, action))

    def convert(payload: dict[str, Any]) -> dict[str, Any]:
        return embed.gemini_embed_response(payload, action, count)

    target = ENDPOINTS["embeddings"]
    converted = embed.gemini_embed_to_openai(body, action, model)
    return Planned(orjson.dumps(converted), target.path, target.task, Reshape(convert, _one_call))


def _openai_to_gemini(prepared: Prepared, channel: Channel, model: str) -> Planned:
    body: Body = prepared.body
    converted = embed.openai_to_gemini_embed(body, model)
    endpoint, requested = prepared.endpoint, prepared.model

    def convert(payload: dict[str, Any]) -> dict[str, Any]:
        tokens = endpoint.prompt_tokens(body, requested)
        return embed.openai_embed_response(payload, body, requested, tokens)

    path = gemini_path(channel, model, "batchEmbedContents")
    return Planned(orjson.dumps(converted), path, "", Reshape(convert, _one_call))
