"""Rerank wire formats: Jina's ``/v1/rerank`` (``rerank``, also what SiliconFlow and other
OpenAI-compatible upstreams serve) and Cohere's ``/v2/rerank`` (``cohere_rerank``).

Three client shapes are served (docs/formats.md, "Rerank"):

* ``jina``: ``POST /v1/rerank``; answer ``{model, results: [{index, relevance_score,
  document?: {text}}], usage: {prompt_tokens, total_tokens}}``, documents returned unless
  ``return_documents`` is false;
* ``cohere_v1``: ``POST /v1/rerank`` whose body has a Cohere-only field (``max_chunks_per_doc``
  or ``rank_fields``); answer ``{id, results, meta: {api_version, billed_units:
  {search_units}}}``, documents only when ``return_documents`` is true;
* ``cohere_v2``: ``POST /v2/rerank``; answered like ``cohere_v1`` without documents.

Upstreams get either the client's bytes (same dialect; only the model may change) or a body
rebuilt from the fields every dialect knows (``model``, ``query``, ``documents`` as strings,
``top_n``). Answers are read dialect-agnostically and rebuilt in the client's shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import orjson

from newapi.billing.meter import Usage
from newapi.errors import GatewayError, InternalError, InvalidRequestError, UpstreamError
from newapi.relay.formats import openai_chat
from newapi.relay.formats.base import mask_secrets

__all__ = [
    "COHERE_ADAPTER",
    "JINA_ADAPTER",
    "ClientShape",
    "client_response",
    "client_shape",
    "document_texts",
    "search_units",
    "upstream_body",
    "validate",
]

ClientShape = Literal["jina", "cohere_v1", "cohere_v2"]
Body = dict[str, Any]

_COHERE_ONLY = ("max_chunks_per_doc", "rank_fields")
DOCS_PER_SEARCH_UNIT = 100  # Cohere bills one search unit per query with up to 100 documents


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def client_shape(body: Body, *, v2: bool) -> ClientShape:
    """Which client shape a request uses: the route first, then Cohere-only fields."""
    if v2:
        return "cohere_v2"
    return "cohere_v1" if any(name in body for name in _COHERE_ONLY) else "jina"


def _document_text(doc: object) -> str | None:
    if isinstance(doc, str):
        return doc
    if isinstance(doc, dict):
        text = doc.get("text")
        if isinstance(text, str):
            return text
        if doc:  # Cohere v1: any fields, ranked on their values
            return orjson.dumps(doc).decode()
    return None


def validate(body: Body) -> None:
    """400 for a rerank request that cannot work (``query``, ``documents``, ``top_n``)."""
    query = body.get("query")
    if not isinstance(query, str) or not query.strip():
        raise InvalidRequestError("'query' is required and must be a string", param="query")
    docs = body.get("documents")
    if not isinstance(docs, list) or not docs:
        raise InvalidRequestError(
            "'documents' is required and must be a non-empty array", param="documents"
        )
    if any(_document_text(doc) is None for doc in docs):
        raise InvalidRequestError(
            "'documents' must hold strings or objects with a 'text' field", param="documents"
        )
    top_n = body.get("top_n")
    if top_n is not None and not _int(top_n):
        raise InvalidRequestError("'top_n' must be a positive integer", param="top_n")
    wanted = body.get("return_documents")
    if wanted is not None and not isinstance(wanted, bool):
        raise InvalidRequestError("'return_documents' must be a boolean", param="return_documents")


def document_texts(body: Body) -> list[str]:
    """The documents of a validated request, as text."""
    return [_document_text(doc) or "" for doc in body.get("documents") or ()]


def _wants_documents(body: Body, shape: ClientShape) -> bool:
    if shape == "cohere_v2":
        return False
    default = shape == "jina"
    wanted = body.get("return_documents", default)
    return wanted if isinstance(wanted, bool) else default


def upstream_body(body: Body, shape: ClientShape, dialect: str, model: str) -> Body | None:
    """The body for an upstream of ``dialect`` (``rerank`` or ``cohere_rerank``); ``None``
    when the client's body fits as it is (then only the model name may need changing)."""
    same = (shape == "jina") == (dialect == "rerank")
    if same and shape != "cohere_v1":
        return None
    out: Body = {"model": model, "query": body["query"], "documents": document_texts(body)}
    if _int(body.get("top_n")):
        out["top_n"] = body["top_n"]
    if dialect == "rerank":
        out["return_documents"] = False  # filled in from the request (no need to send them back)
    elif _int(body.get("max_tokens_per_doc")):
        out["max_tokens_per_doc"] = body["max_tokens_per_doc"]
    return out


def search_units(payload: Mapping[str, Any] | None, documents: int) -> int:
    """Cohere's billed search units: the upstream's, else one per started 100 documents."""
    meta = payload.get("meta") if isinstance(payload, Mapping) else None
    billed = meta.get("billed_units") if isinstance(meta, dict) else None
    reported = _int(billed.get("search_units")) if isinstance(billed, dict) else 0
    return reported or max(1, -(-documents // DOCS_PER_SEARCH_UNIT))


def _results(payload: Mapping[str, Any], texts: list[str], wants_docs: bool, top_n: int):
    raw = payload.get("results") if isinstance(payload, Mapping) else None
    if not isinstance(raw, list):
        raise UpstreamError(
            "the upstream's rerank answer has no 'results' array", code="bad_response_body"
        )
    results: list[Body] = []
    for item in raw:
        index = item.get("index") if isinstance(item, dict) else None
        if not isinstance(index, int) or not 0 <= index < len(texts):
            raise UpstreamError(
                "the upstream's rerank answer has a result without a valid index",
                code="bad_response_body",
            )
        score = item.get("relevance_score", item.get("score", 0.0))
        result: Body = {"index": index, "relevance_score": score}
        if wants_docs:
            result["document"] = {"text": texts[index]}
        results.append(result)
    return results[:top_n] if top_n else results


def client_response(
    payload: Mapping[str, Any], body: Body, shape: ClientShape, *, model: str, request_id: str,
    tokens: int, units: int,
) -> Body:
    """The upstream's answer in the client's shape (documents filled in from the request)."""
    texts = document_texts(body)
    results = _results(payload, texts, _wants_documents(body, shape), _int(body.get("top_n")))
    if shape == "jina":
        return {
            "model": model,
            "results": results,
            "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
        }
    upstream_id = payload.get("id")
    return {
        "id": upstream_id if isinstance(upstream_id, str) and upstream_id else request_id,
        "results": results,
        "meta": {
            "api_version": {"version": "2" if shape == "cohere_v2" else "1"},
            "billed_units": {"search_units": units},
        },
    }


def _usage(payload: Mapping[str, Any]) -> Usage | None:
    """Tokens reported by a rerank upstream: Jina's ``usage``, Cohere's or SiliconFlow's
    ``meta.billed_units.input_tokens`` / ``meta.tokens.input_tokens``."""
    usage = payload.get("usage")
    if isinstance(usage, dict):
        tokens = _int(usage.get("total_tokens")) or _int(usage.get("prompt_tokens"))
        if tokens:
            return Usage(prompt_tokens=tokens, source="upstream")
    meta = payload.get("meta")
    if isinstance(meta, dict):
        for key in ("billed_units", "tokens"):
            part = meta.get(key)
            tokens = _int(part.get("input_tokens")) if isinstance(part, dict) else 0
            if tokens:
                return Usage(prompt_tokens=tokens, source="upstream")
    return None


def _parse_error(status: int, body: bytes, secrets: tuple[str, ...]) -> UpstreamError:
    """Jina's ``{"detail"}``, Cohere's ``{"message"}`` or an OpenAI-style ``{"error"}``."""
    try:
        payload = orjson.loads(body) if body else None
    except orjson.JSONDecodeError:
        payload = None
    if isinstance(payload, dict) and "error" not in payload:
        detail = payload.get("detail", payload.get("message"))
        if isinstance(detail, list):  # FastAPI validation errors
            detail = "; ".join(str(d.get("msg", d)) for d in detail if isinstance(d, dict))
        if isinstance(detail, str) and detail:
            return UpstreamError(
                mask_secrets(detail, secrets),
                upstream_status=status,
                upstream_body=payload,
                code="upstream_error",
            )
    return openai_chat.ADAPTER.parse_error(status, body, secrets)


class JinaRerank:
    """``rerank``: errors in OpenAI's shape, as New API answers ``/v1/rerank``."""

    name = "rerank"

    def render_error(self, error: GatewayError, request_id: str) -> tuple[int, bytes]:
        return openai_chat.ADAPTER.render_error(error, request_id)

    def render_stream_error(self, error: GatewayError, request_id: str) -> bytes:
        return openai_chat.ADAPTER.render_stream_error(error, request_id)

    def parse_error(self, status: int, body: bytes, secrets: tuple[str, ...]) -> UpstreamError:
        return _parse_error(status, body, secrets)

    def usage(self, payload: Mapping[str, Any]) -> Usage | None:
        return _usage(payload)


class CohereRerank(JinaRerank):
    """``cohere_rerank``: errors in Cohere's shape ``{"id", "message"}``."""

    name = "cohere_rerank"

    def render_error(self, error: GatewayError, request_id: str) -> tuple[int, bytes]:
        status, _ = openai_chat.ADAPTER.render_error(error, request_id)
        message = "internal error" if isinstance(error, InternalError) else error.message
        if request_id:
            message = f"{message} (request id: {request_id})"
        return status, orjson.dumps({"id": request_id, "message": message})

    def render_stream_error(self, error: GatewayError, request_id: str) -> bytes:
        return self.render_error(error, request_id)[1]


JINA_ADAPTER = JinaRerank()
COHERE_ADAPTER = CohereRerank()
