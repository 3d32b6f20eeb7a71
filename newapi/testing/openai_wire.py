"""The fake's OpenAI wire format: its routes, plus legacy completions, embeddings, moderations
and models bodies (chat lives in ``openai_chat``).

Embeddings default to 1536 dimensions (``dimensions`` overrides) and honour ``encoding_format``
``float``/``base64``. Moderations flag a category when its name (``violence``, ``self-harm``,
``hate``, ...) appears as a word in the input. ``GET /v1/models`` lists the fake's models.
"""

from __future__ import annotations

import asyncio
import re
import time
from typing import Any

import orjson
from sanic import HTTPResponse

from newapi.testing.openai_chat import chat_completions
from newapi.testing.openai_shapes import (
    authenticate_bearer,
    include_usage,
    invalid_request,
    render_error,
    request_model,
    usage_json,
)
from newapi.testing.reply import count_words, embedding_vector, reply_pieces, settle_usage, truncate
from newapi.testing.streaming import send_events
from newapi.testing.wire import Call, Route, Wire, json_response

__all__ = ["DEFAULT_DIMENSIONS", "WIRE", "completions", "embeddings", "moderations"]

DEFAULT_DIMENSIONS = 1536
_CATEGORIES = (
    "harassment",
    "harassment/threatening",
    "hate",
    "hate/threatening",
    "illicit",
    "illicit/violent",
    "self-harm",
    "self-harm/intent",
    "self-harm/instructions",
    "sexual",
    "sexual/minors",
    "violence",
    "violence/graphic",
)
_WORD = re.compile(r"[a-z][a-z/-]*")


def _prompts(prompt: Any) -> list[tuple[str, int]] | None:
    """Prompt texts with their token counts; token-id prompts echo nothing."""
    if isinstance(prompt, str):
        return [(prompt, count_words(prompt))]
    if isinstance(prompt, list) and prompt:
        if all(isinstance(p, str) for p in prompt):
            return [(p, count_words(p)) for p in prompt]
        if all(isinstance(p, int) for p in prompt):
            return [("", len(prompt))]
        if all(isinstance(p, list) for p in prompt):
            return [("", len(p)) for p in prompt]
    return None


async def completions(call: Call) -> HTTPResponse | None:
    """``POST /v1/completions`` (legacy text completions)."""
    body = call.body if isinstance(call.body, dict) else {}
    prompts = _prompts(body.get("prompt"))
    if prompts is None:
        return invalid_request("'prompt' is a required property", "prompt")
    model = request_model(call)
    if model is None:
        return invalid_request("you must provide a model parameter", "model")
    n = body.get("n") if isinstance(body.get("n"), int) and body["n"] > 0 else 1
    limit = body.get("max_tokens")
    answers = [truncate(reply_pieces(text, call.scenario), limit) for text, _ in prompts]
    completion = sum(len(pieces) for pieces, _ in answers) * n
    usage = settle_usage(call.scenario, max(1, sum(c for _, c in prompts)), completion)
    base = {"id": f"cmpl-fake{call.seq}", "object": "text_completion", "created": int(time.time())}
    base["model"] = model
    if body.get("stream"):
        await _stream_completions(call, base, answers, n, usage_json(usage) if usage else None)
        return None
    if call.scenario.first_token_delay_ms:
        await asyncio.sleep(call.scenario.first_token_delay_ms / 1000)
    choices = [
        {"text": "".join(pieces), "index": p * n + j, "logprobs": None, "finish_reason": finish}
        for p, (pieces, finish) in enumerate(answers)
        for j in range(n)
    ]
    payload: dict[str, Any] = {**base, "choices": choices}
    if usage is not None:
        payload["usage"] = usage_json(usage)
    return json_response(payload)


async def _stream_completions(
    call: Call,
    base: dict[str, Any],
    answers: list[tuple[list[str], str]],
    n: int,
    usage: dict[str, Any] | None,
) -> None:
    def frame(choices: list[dict[str, Any]], **extra: Any) -> bytes:
        return b"data: " + orjson.dumps({**base, "choices": choices, **extra}) + b"\n\n"

    events: list[bytes] = []
    for p, (pieces, finish) in enumerate(answers):
        for j in range(n):
            index = p * n + j
            for piece in pieces:
                choice = {"text": piece, "index": index, "logprobs": None, "finish_reason": None}
                events.append(frame([choice]))
            done = {"text": "", "index": index, "logprobs": None, "finish_reason": finish}
            events.append(frame([done]))
    trailer = [b"data: [DONE]\n\n"]
    if include_usage(call.body) and usage is not None:
        trailer.insert(0, frame([], usage=usage))
    await send_events(call.request, call.scenario, events, trailer)


def _embedding_inputs(raw: Any) -> list[tuple[str, int]] | None:
    """Each input's vector key text and token count."""
    if isinstance(raw, str):
        return [(raw, count_words(raw))]
    if not isinstance(raw, list) or not raw:
        return None
    if all(isinstance(item, str) for item in raw):
        return [(item, count_words(item)) for item in raw]
    if all(isinstance(item, int) for item in raw):
        return [(orjson.dumps(raw).decode(), len(raw))]
    if all(isinstance(item, list) for item in raw):
        return [(orjson.dumps(item).decode(), len(item)) for item in raw]
    return None


async def embeddings(call: Call) -> HTTPResponse | None:
    """``POST /v1/embeddings`` (and Azure's deployment route)."""
    body = call.body if isinstance(call.body, dict) else {}
    inputs = _embedding_inputs(body.get("input"))
    if inputs is None:
        return invalid_request("'input' must be a string or a non-empty array", "input")
    model = request_model(call)
    if model is None:
        return invalid_request("you must provide a model parameter", "model")
    encoding = body.get("encoding_format") or "float"
    if encoding not in ("float", "base64"):
        return invalid_request("encoding_format must be 'float' or 'base64'", "encoding_format")
    dims = body.get("dimensions")
    dims = dims if isinstance(dims, int) and dims > 0 else DEFAULT_DIMENSIONS
    data = [
        {"object": "embedding", "index": i, "embedding": embedding_vector(model, k, dims, encoding)}
        for i, (k, _) in enumerate(inputs)
    ]
    payload: dict[str, Any] = {"object": "list", "data": data, "model": model}
    usage = settle_usage(call.scenario, max(1, sum(c for _, c in inputs)), 0)
    if usage is not None:
        payload["usage"] = {"prompt_tokens": usage.prompt, "total_tokens": usage.prompt}
    return json_response(payload)


def _moderation_inputs(raw: Any) -> list[tuple[str, list[str]]] | None:
    """Texts to classify with the input types each one carried."""
    if isinstance(raw, str):
        return [(raw, ["text"])]
    if isinstance(raw, list) and raw and all(isinstance(item, str) for item in raw):
        return [(item, ["text"]) for item in raw]
    if isinstance(raw, list) and raw and all(isinstance(item, dict) for item in raw):
        texts = [p["text"] for p in raw if isinstance(p.get("text"), str)]
        kinds = (["text"] if texts else []) + (["image"] if len(texts) < len(raw) else [])
        return [(" ".join(texts), kinds)]
    return None


def _moderation_result(text: str, kinds: list[str]) -> dict[str, Any]:
    words = set(_WORD.findall(text.lower()))
    flags = {name: name in words for name in _CATEGORIES}
    return {
        "flagged": any(flags.values()),
        "categories": flags,
        "category_scores": {name: 0.99 if hit else 0.0001 for name, hit in flags.items()},
        "category_applied_input_types": {name: kinds for name in _CATEGORIES},
    }


async def moderations(call: Call) -> HTTPResponse | None:
    """``POST /v1/moderations``."""
    body = call.body if isinstance(call.body, dict) else {}
    inputs = _moderation_inputs(body.get("input"))
    if inputs is None:
        return invalid_request("'input' is a required property", "input")
    model = request_model(call) or "omni-moderation-latest"
    results = [_moderation_result(text, kinds) for text, kinds in inputs]
    return json_response({"id": f"modr-fake{call.seq}", "model": model, "results": results})


def _model_card(name: str) -> dict[str, Any]:
    return {"id": name, "object": "model", "created": 1700000000, "owned_by": "fake-upstream"}


async def list_models(call: Call) -> HTTPResponse | None:
    """``GET /v1/models``."""
    data = [_model_card(name) for name in call.state.models]
    return json_response({"object": "list", "data": data})


async def retrieve_model(call: Call) -> HTTPResponse | None:
    """``GET /v1/models/<model>``; unknown names get OpenAI's 404."""
    name = call.params["model"]
    if name not in call.state.models:
        message = f"The model '{name}' does not exist or you do not have access to it."
        body = render_error(404, message, "model_not_found")
        return HTTPResponse(body, status=404, content_type="application/json")
    return json_response(_model_card(name))


WIRE = Wire(
    name="openai",
    routes=(
        Route("POST", "/v1/chat/completions", chat_completions, "chat"),
        Route("POST", "/v1/completions", completions, "completions"),
        Route("POST", "/v1/embeddings", embeddings, "embeddings"),
        Route("POST", "/v1/moderations", moderations, "moderations"),
        Route("GET", "/v1/models", list_models, "models"),
        Route("GET", "/v1/models/<model:path>", retrieve_model, "model"),
    ),
    authenticate=authenticate_bearer,
    render_error=render_error,
)
