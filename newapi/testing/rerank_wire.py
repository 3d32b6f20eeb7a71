"""The fake's rerank wires: Jina (``POST /v1/rerank``) and Cohere (``/v2/rerank`` and
``/cohere/v1/rerank``, ``/cohere/v2/rerank``).

Cohere's v1 path is the same as Jina's, so Cohere lives under a ``/cohere`` path prefix: point
a Cohere channel at ``<fake>/cohere`` (or ``<fake>/s/<scenario>/cohere``); its bare ``/v2/rerank``
is served at the root too. A header switch was not chosen because each wire renders its own
error body and the error is rendered before any handler sees the request.

Both take ``Authorization: Bearer <key>`` (``bad-key`` gets a 401), ``query``, ``documents``
(strings or ``{"text"}`` objects) and ``top_n``.

Scores are deterministic: the share of the query's distinct words (lower-cased, ``[a-z0-9]+``)
that appear in the document, rounded to 6 places; results are sorted by score, ties by index,
then cut to ``top_n``.

* **Jina**: ``{"model", "results": [{"index", "relevance_score", "document": {"text"}}],
  "usage": {"total_tokens"}}``; ``document`` is left out when ``return_documents`` is false;
  ``total_tokens`` = words of the query + words of every document (``usage=prompt:N`` sets it,
  ``no_usage=1`` drops ``usage``). Errors: ``{"detail": message}``.
* **Cohere**: ``{"id", "results": [{"index", "relevance_score"}], "meta": {"api_version":
  {"version"}, "billed_units": {"search_units"}}}``; v1 adds ``document`` when
  ``return_documents`` is true. ``search_units`` = one per started 100 documents
  (``usage=prompt:N`` sets it, ``no_usage=1`` drops ``billed_units``). Errors:
  ``{"id", "message"}``.
"""

from __future__ import annotations

import re
from typing import Any

import orjson
from sanic import HTTPResponse, Request

from newapi.testing.openai_shapes import BAD_KEY
from newapi.testing.reply import count_words, settle_usage
from newapi.testing.wire import Call, Denial, Route, Wire, json_response
from newapi.testing.wire_kit import first_token_pause

__all__ = ["COHERE_WIRE", "WIRE", "rerank_scores"]

_WORD = re.compile(r"[a-z0-9]+")


def rerank_scores(query: str, documents: list[str]) -> list[tuple[int, float]]:
    """(index, score) pairs, best first."""
    wanted = set(_WORD.findall(query.lower()))
    scored = []
    for index, doc in enumerate(documents):
        have = set(_WORD.findall(doc.lower()))
        share = len(wanted & have) / len(wanted) if wanted else 0.0
        scored.append((index, round(share, 6)))
    return sorted(scored, key=lambda pair: (-pair[1], pair[0]))


def _jina_error(status: int, message: str | None, code: str | None) -> bytes:
    return orjson.dumps({"detail": message or f"Fake upstream error {status}."})


def _cohere_error(status: int, message: str | None, code: str | None) -> bytes:
    return orjson.dumps(
        {"id": "fake-error", "message": message or f"Fake upstream error {status}."}
    )


def _bearer(request: Request, missing: str, invalid: str) -> Denial | None:
    scheme, _, key = request.headers.get("authorization", "").partition(" ")
    key = key.strip() if scheme.lower() == "bearer" else ""
    if not key:
        return Denial(401, missing)
    if key == BAD_KEY:
        return Denial(401, invalid)
    return None


def _jina_auth(request: Request) -> Denial | None:
    return _bearer(request, "Unauthorized: no API key provided", "Unauthorized: invalid API key")


def _cohere_auth(request: Request) -> Denial | None:
    return _bearer(request, "no api key supplied", "invalid api token")


def _parse(body: Any) -> tuple[str, list[str], int | None] | str:
    """(query, document texts, top_n), or an error message."""
    if not isinstance(body, dict) or not isinstance(body.get("query"), str):
        return "query is required"
    docs = body.get("documents")
    if not isinstance(docs, list) or not docs:
        return "documents must be a non-empty list"
    texts = []
    for doc in docs:
        text = doc.get("text") if isinstance(doc, dict) else doc
        if not isinstance(text, str):
            return "documents must be strings or objects with a text field"
        texts.append(text)
    top_n = body.get("top_n")
    top_n = top_n if isinstance(top_n, int) and not isinstance(top_n, bool) and top_n > 0 else None
    return body["query"], texts, top_n


def _bad(render: Any, message: str) -> HTTPResponse:
    return HTTPResponse(render(400, message, None), 400, content_type="application/json")


async def jina_rerank(call: Call) -> HTTPResponse | None:
    """``POST /v1/rerank`` in Jina's shape."""
    parsed = _parse(call.body)
    if isinstance(parsed, str):
        return _bad(_jina_error, parsed)
    query, texts, top_n = parsed
    keep_docs = call.body.get("return_documents", True) is not False
    results = []
    for index, score in rerank_scores(query, texts)[:top_n]:
        result: dict[str, Any] = {"index": index, "relevance_score": score}
        if keep_docs:
            result["document"] = {"text": texts[index]}
        results.append(result)
    model = call.body.get("model") or "jina-reranker-v2-base-multilingual"
    payload: dict[str, Any] = {"model": model, "results": results}
    tokens = count_words(query) + sum(count_words(t) for t in texts)
    usage = settle_usage(call.scenario, tokens, 0)
    if usage is not None:
        payload["usage"] = {"total_tokens": usage.prompt}
    await first_token_pause(call.scenario)
    return json_response(payload)


async def _cohere(call: Call, version: str) -> HTTPResponse | None:
    parsed = _parse(call.body)
    if isinstance(parsed, str):
        return _bad(_cohere_error, parsed)
    query, texts, top_n = parsed
    keep_docs = version == "1" and call.body.get("return_documents") is True
    results = []
    for index, score in rerank_scores(query, texts)[:top_n]:
        result: dict[str, Any] = {"index": index, "relevance_score": score}
        if keep_docs:
            result["document"] = {"text": texts[index]}
        results.append(result)
    meta: dict[str, Any] = {"api_version": {"version": version}}
    usage = settle_usage(call.scenario, (len(texts) + 99) // 100, 0)
    if usage is not None:
        meta["billed_units"] = {"search_units": usage.prompt}
    await first_token_pause(call.scenario)
    return json_response({"id": f"fake-rerank-{call.seq}", "results": results, "meta": meta})


async def cohere_v1(call: Call) -> HTTPResponse | None:
    """``POST /cohere/v1/rerank``."""
    return await _cohere(call, "1")


async def cohere_v2(call: Call) -> HTTPResponse | None:
    """``POST /v2/rerank`` and ``/cohere/v2/rerank``."""
    return await _cohere(call, "2")


WIRE = Wire(
    name="jina",
    routes=(Route("POST", "/v1/rerank", jina_rerank, "rerank"),),
    authenticate=_jina_auth,
    render_error=_jina_error,
)
COHERE_WIRE = Wire(
    name="cohere",
    routes=(
        Route("POST", "/v2/rerank", cohere_v2, "rerank_v2"),
        Route("POST", "/cohere/v2/rerank", cohere_v2, "prefixed_rerank_v2"),
        Route("POST", "/cohere/v1/rerank", cohere_v1, "prefixed_rerank_v1"),
    ),
    authenticate=_cohere_auth,
    render_error=_cohere_error,
)
