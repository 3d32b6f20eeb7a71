"""Gemini embeddings (``:embedContent``, ``:batchEmbedContents``) <-> OpenAI ``/v1/embeddings``.

Gemini -> OpenAI: each request's text parts become one ``input`` string; ``outputDimensionality``
becomes ``dimensions`` (one value for the whole batch); the answer's ``data`` become
``{"embedding": {"values"}}`` or ``{"embeddings": [{"values"}, ...]}`` in input order.
OpenAI -> Gemini: ``input`` (a string or strings; token ids cannot be sent) becomes a
``batchEmbedContents`` body, ``dimensions`` ``outputDimensionality``; the answer is rebuilt as
an OpenAI list, base64-encoded (little-endian float32) when the client asked for
``encoding_format: "base64"`` (the openai SDK's default).
"""

from __future__ import annotations

import base64
import struct
from collections.abc import Mapping
from typing import Any

from newapi.errors import InvalidRequestError, UpstreamError

__all__ = [
    "EMBED_ACTIONS",
    "embed_texts",
    "gemini_embed_response",
    "gemini_embed_to_openai",
    "openai_embed_response",
    "openai_to_gemini_embed",
    "retarget",
]

EMBED_ACTIONS = ("embedContent", "batchEmbedContents")
Body = dict[str, Any]


def _content_text(content: object) -> str | None:
    if not isinstance(content, dict) or not isinstance(content.get("parts"), list):
        return None
    texts = []
    for part in content["parts"]:
        if not isinstance(part, dict):
            return None
        text = part.get("text")
        if isinstance(text, str):
            texts.append(text)
    return " ".join(texts)


def _requests(body: Body, action: str) -> list[Body]:
    if action == "embedContent":
        return [body]
    requests = body.get("requests")
    if not isinstance(requests, list) or not requests or not all(
        isinstance(r, dict) for r in requests
    ):
        raise InvalidRequestError(
            "'requests' must be a non-empty array of embedContent requests", param="requests"
        )
    return requests


def embed_texts(body: Body, action: str) -> list[str]:
    """The text of every content of a Gemini embed request; 400 when one has none."""
    texts = []
    for index, request in enumerate(_requests(body, action)):
        text = _content_text(request.get("content"))
        if text is None:
            where = "content" if action == "embedContent" else f"requests[{index}].content"
            raise InvalidRequestError(
                f"'{where}' must be an object with a 'parts' array", param=where
            )
        texts.append(text)
    return texts


def retarget(body: Body, action: str, model: str) -> Body:
    """The request with its ``model`` fields naming ``model`` (after a channel's mapping)."""
    name = f"models/{model}"
    if action == "embedContent":
        return {**body, "model": name} if "model" in body else body
    requests = [{**r, "model": name} if "model" in r else r for r in _requests(body, action)]
    return {**body, "requests": requests}


def gemini_embed_to_openai(body: Body, action: str, model: str) -> Body:
    """A Gemini embed request as an OpenAI ``/v1/embeddings`` body."""
    texts = embed_texts(body, action)
    dims = {r.get("outputDimensionality") for r in _requests(body, action)} - {None}
    if len(dims) > 1:
        raise InvalidRequestError(
            "every request of a batch must ask for the same 'outputDimensionality'",
            param="outputDimensionality",
        )
    out: Body = {"model": model, "input": texts, "encoding_format": "float"}
    if dims:
        value = dims.pop()
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            raise InvalidRequestError(
                "'outputDimensionality' must be a positive integer", param="outputDimensionality"
            )
        out["dimensions"] = value
    return out


def _vectors(payload: Mapping[str, Any], count: int) -> list[list[float]]:
    data = payload.get("data")
    if not isinstance(data, list) or len(data) != count:
        raise UpstreamError(
            f"the upstream answered {len(data) if isinstance(data, list) else 'no'} embeddings "
            f"for {count} inputs",
            code="bad_response_body",
        )
    ordered = sorted(data, key=lambda d: d.get("index", 0) if isinstance(d, dict) else 0)
    vectors = []
    for item in ordered:
        vector = item.get("embedding") if isinstance(item, dict) else None
        if isinstance(vector, str):  # base64 little-endian float32
            raw = base64.b64decode(vector)
            vector = list(struct.unpack(f"<{len(raw) // 4}f", raw))
        if not isinstance(vector, list):
            raise UpstreamError("the upstream sent an embedding that is not a list",
                                code="bad_response_body")
        vectors.append(vector)
    return vectors


def gemini_embed_response(payload: Mapping[str, Any], action: str, count: int) -> Body:
    """An OpenAI embeddings answer in Gemini's shape."""
    vectors = _vectors(payload, count)
    if action == "embedContent":
        return {"embedding": {"values": vectors[0]}}
    return {"embeddings": [{"values": v} for v in vectors]}


def openai_to_gemini_embed(body: Body, model: str) -> Body:
    """An OpenAI ``/v1/embeddings`` body as a Gemini ``batchEmbedContents`` body."""
    value = body.get("input")
    texts = [value] if isinstance(value, str) else value
    if not isinstance(texts, list) or not texts or not all(isinstance(t, str) for t in texts):
        raise InvalidRequestError(
            "'input' must be a string or an array of strings for this model "
            "(token ids cannot be sent to a Gemini channel)",
            param="input",
        )
    dims = body.get("dimensions")
    requests = []
    for text in texts:
        request: Body = {"model": f"models/{model}", "content": {"parts": [{"text": text}]}}
        if isinstance(dims, int) and not isinstance(dims, bool) and dims > 0:
            request["outputDimensionality"] = dims
        requests.append(request)
    return {"requests": requests}


def _encode(vector: list[float], fmt: object) -> list[float] | str:
    if fmt != "base64":
        return vector
    return base64.b64encode(struct.pack(f"<{len(vector)}f", *vector)).decode()


def openai_embed_response(
    payload: Mapping[str, Any], body: Body, model: str, prompt_tokens: int
) -> Body:
    """A Gemini ``batchEmbedContents`` answer in OpenAI's shape."""
    embeddings = payload.get("embeddings")
    if not isinstance(embeddings, list):
        raise UpstreamError("the upstream's answer has no 'embeddings' array",
                            code="bad_response_body")
    data = []
    for index, item in enumerate(embeddings):
        values = item.get("values") if isinstance(item, dict) else None
        if not isinstance(values, list):
            raise UpstreamError("the upstream sent an embedding without 'values'",
                                code="bad_response_body")
        data.append({"object": "embedding", "index": index,
                     "embedding": _encode(values, body.get("encoding_format"))})
    return {
        "object": "list",
        "data": data,
        "model": model,
        "usage": {"prompt_tokens": prompt_tokens, "total_tokens": prompt_tokens},
    }
