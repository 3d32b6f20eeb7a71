"""The fake's Gemini API wire (``generativelanguage``), under both ``/v1beta`` and ``/v1``.

Routes: ``POST /{v1,v1beta}/models/<model>:<action>`` with action ``generateContent``,
``streamGenerateContent`` (SSE with ``?alt=sse``, else one streamed JSON array),
``countTokens``, ``embedContent`` and ``batchEmbedContents``; ``GET /v1beta/models`` and
``GET /v1beta/models/<model>``. (``GET /v1/models[/<id>]`` belongs to the OpenAI wire: one
server cannot route the same path to two wires.)

Auth: ``x-goog-api-key`` header or ``?key=``. Like Google: no key gives 403
``PERMISSION_DENIED``; ``bad-key`` gives 400 ``INVALID_ARGUMENT`` "API key not valid" with an
``API_KEY_INVALID`` ErrorInfo. Error bodies are ``{"error": {"code", "message", "status"}}``.

Answers: ``echo: <last user text>`` as one text part; ``functionCall`` parts (each with a
``thoughtSignature``) when ``tools[].functionDeclarations`` name a function the last user turn
asks for with ``call <name>`` (``toolConfig.functionCallingConfig`` mode ``ANY`` falls back to
the first allowed function, ``NONE`` disables calls); thought parts (``"thought": true``) first
when ``generationConfig.thinkingConfig.includeThoughts`` is true. ``maxOutputTokens`` keeps that
many pieces (``finishReason: "MAX_TOKENS"``), ``stopSequences`` cut the text (``STOP``).
Config fields are read by their JSON (``includeThoughts``) or proto (``include_thoughts``) name:
Google accepts both, and google-genai sends ``thinkingConfig``'s fields in snake_case.

``usageMetadata``: ``promptTokenCount`` = words of ``systemInstruction`` and all ``contents``
text parts (at least 1); ``candidatesTokenCount`` = text pieces + tool call tokens;
``thoughtsTokenCount`` = thought pieces (or ``usage=reasoning:N``), present only when non-zero;
``cachedContentTokenCount`` = ``cached=N`` when given; ``totalTokenCount`` = prompt +
candidates + thoughts. ``no_usage=1`` drops it. Streams send one chunk per piece (thoughts,
then text; function calls in one chunk) and a trailer chunk with an empty text part,
``finishReason`` and the usage. Embeddings use ``reply.embedding_vector`` with 768 dimensions
(``outputDimensionality`` overrides) and report no usage, like Google.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import orjson
from sanic import HTTPResponse, Request

from newapi.testing.openai_shapes import BAD_KEY
from newapi.testing.reply import Usage, count_words, embedding_vector, reply_pieces, settle_usage
from newapi.testing.streaming import send_events
from newapi.testing.wire import Call, Denial, Route, Wire, json_response
from newapi.testing.wire_kit import (
    call_tokens,
    cut_at_stop,
    first_token_pause,
    pick_by_name,
    placeholder_args,
    signature,
    thinking_pieces,
)

__all__ = ["DEFAULT_DIMENSIONS", "GEMINI_MODELS", "WIRE", "render_error"]

DEFAULT_DIMENSIONS = 768
GEMINI_MODELS = (
    "gemini-2.5-pro",
    "gemini-2.5-flash",
    "gemini-2.0-flash",
    "gemini-embedding-001",
    "text-embedding-004",
)
_STATUS = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "ABORTED",
    429: "RESOURCE_EXHAUSTED",
    499: "CANCELLED",
    500: "INTERNAL",
    501: "NOT_IMPLEMENTED",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}
_MESSAGES = {
    429: "Resource has been exhausted (e.g. check quota).",
    500: "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting",
    503: "The model is overloaded. Please try again later.",
}
_NO_KEY = (
    "Method doesn't allow unregistered callers (callers without established identity). "
    "Please use API Key or other form of API consumer identity to call this API."
)


def render_error(status: int, message: str | None, code: str | None) -> bytes:
    """A Google API error body; a ``code`` becomes an ErrorInfo ``reason`` detail."""
    kind = _STATUS.get(status, "INTERNAL" if status >= 500 else "FAILED_PRECONDITION")
    error: dict[str, Any] = {
        "code": status,
        "message": message or _MESSAGES.get(status, f"Fake upstream error {status}."),
        "status": kind,
    }
    if code:
        error["details"] = [
            {
                "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                "reason": code,
                "domain": "googleapis.com",
            }
        ]
    return orjson.dumps({"error": error})


def authenticate(request: Request) -> Denial | None:
    """``x-goog-api-key`` or ``?key=``: missing gives 403, ``bad-key`` 400 API_KEY_INVALID."""
    key = request.headers.get("x-goog-api-key", "").strip() or request.args.get("key", "")
    if not key:
        return Denial(403, _NO_KEY)
    if key == BAD_KEY:
        return Denial(400, "API key not valid. Please pass a valid API key.", "API_KEY_INVALID")
    return None


def _error(status: int, message: str) -> HTTPResponse:
    return HTTPResponse(
        render_error(status, message, None), status, content_type="application/json"
    )


def _parts_text(content: Any) -> str:
    parts = content.get("parts") if isinstance(content, dict) else None
    return " ".join(
        p["text"]
        for p in parts or ()
        if isinstance(p, dict) and isinstance(p.get("text"), str) and not p.get("thought")
    )


def _prompt_tokens(body: dict[str, Any]) -> int:
    words = count_words(_parts_text(body.get("systemInstruction")))
    words += sum(count_words(_parts_text(c)) for c in body.get("contents") or ())
    return max(1, words)


def _user_turn(contents: list[Any]) -> tuple[str, bool]:
    final = contents[-1] if isinstance(contents[-1], dict) else {}
    answered = any(
        isinstance(p, dict) and "functionResponse" in p for p in final.get("parts") or ()
    )
    final_is_user = final.get("role", "user") == "user" and not answered
    for content in reversed(contents):
        if isinstance(content, dict) and content.get("role", "user") == "user":
            text = _parts_text(content)
            if text:
                return text, final_is_user
    return "", final_is_user


@dataclass(slots=True)
class _Answer:
    thoughts: list[str] = field(default_factory=list)
    pieces: list[str] = field(default_factory=list)
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    finish: str = "STOP"

    @property
    def tokens(self) -> int:
        if self.calls:
            return sum(call_tokens(orjson.dumps(args).decode()) for _, args in self.calls)
        return len(self.pieces)


def _pick_calls(body: dict[str, Any], text: str, final_is_user: bool) -> list[dict[str, Any]]:
    declared = [
        d
        for tool in body.get("tools") or ()
        if isinstance(tool, dict)
        for d in tool.get("functionDeclarations") or tool.get("function_declarations") or ()
        if isinstance(d, dict) and d.get("name")
    ]
    config = (body.get("toolConfig") or {}).get("functionCallingConfig") or {}
    mode = str(config.get("mode", "AUTO")).upper()
    allowed = config.get("allowedFunctionNames")
    if isinstance(allowed, list) and allowed:
        declared = [d for d in declared if d["name"] in allowed]
    if not declared or not final_is_user or mode == "NONE":
        return []
    names = pick_by_name([str(d["name"]) for d in declared], text)
    picked = [d for d in declared if d["name"] in names]
    return picked or (declared[:1] if mode == "ANY" else [])


def _field(source: dict[str, Any], camel: str, snake: str) -> Any:
    """A request field by its JSON (camelCase) or proto (snake_case) name; Google takes both."""
    return source.get(camel, source.get(snake))


def _answer(call: Call, body: dict[str, Any]) -> _Answer:
    text, final_is_user = _user_turn(body["contents"])
    config = body.get("generationConfig") if isinstance(body.get("generationConfig"), dict) else {}
    answer = _Answer()
    thinking = _field(config, "thinkingConfig", "thinking_config")
    if isinstance(thinking, dict) and _field(thinking, "includeThoughts", "include_thoughts"):
        answer.thoughts = thinking_pieces(text)
    for decl in _pick_calls(body, text, final_is_user):
        schema = decl.get("parameters") or decl.get("parametersJsonSchema")
        answer.calls.append((str(decl["name"]), placeholder_args(schema)))
    if answer.calls:
        return answer
    pieces = reply_pieces(text, call.scenario)
    limit = _field(config, "maxOutputTokens", "max_output_tokens")
    if isinstance(limit, int) and not isinstance(limit, bool) and 0 <= limit < len(pieces):
        pieces, answer.finish = pieces[:limit], "MAX_TOKENS"
    answer.pieces, _ = cut_at_stop(pieces, _field(config, "stopSequences", "stop_sequences"))
    return answer


def _usage(usage: Usage, thoughts: int) -> dict[str, Any]:
    reasoning = thoughts if usage.reasoning is None else usage.reasoning
    meta: dict[str, Any] = {
        "promptTokenCount": usage.prompt,
        "candidatesTokenCount": usage.completion,
        "totalTokenCount": usage.prompt + usage.completion + reasoning,
        "promptTokensDetails": [{"modality": "TEXT", "tokenCount": usage.prompt}],
    }
    if usage.cached is not None:
        meta["cachedContentTokenCount"] = usage.cached
    if reasoning:
        meta["thoughtsTokenCount"] = reasoning
    return meta


def _call_parts(answer: _Answer) -> list[dict[str, Any]]:
    return [
        {"functionCall": {"name": name, "args": args}, "thoughtSignature": signature(name)}
        for name, args in answer.calls
    ]


def _candidate(parts: list[dict[str, Any]], finish: str | None = None) -> dict[str, Any]:
    candidate: dict[str, Any] = {"content": {"parts": parts, "role": "model"}, "index": 0}
    if finish is not None:
        candidate["finishReason"] = finish
    return candidate


async def _generate(call: Call, model: str, stream: bool) -> HTTPResponse | None:
    body = call.body
    if not isinstance(body, dict) or not isinstance(body.get("contents"), list):
        return _error(400, "* GenerateContentRequest.contents: contents is not specified")
    if not body["contents"]:
        return _error(400, "* GenerateContentRequest.contents: contents is not specified")
    answer = _answer(call, body)
    usage = settle_usage(call.scenario, _prompt_tokens(body), answer.tokens)
    meta = None if usage is None else _usage(usage, len(answer.thoughts))
    base = {"modelVersion": model, "responseId": f"fake{call.seq}"}
    if stream:
        await _stream(call, answer, meta, base)
        return None
    await first_token_pause(call.scenario)
    parts: list[dict[str, Any]] = []
    if answer.thoughts:
        parts.append({"text": "".join(answer.thoughts), "thought": True})
    parts += _call_parts(answer) if answer.calls else [{"text": "".join(answer.pieces)}]
    payload: dict[str, Any] = {"candidates": [_candidate(parts, answer.finish)]}
    if meta is not None:
        payload["usageMetadata"] = meta
    return json_response({**payload, **base})


async def _stream(
    call: Call, answer: _Answer, meta: dict[str, Any] | None, base: dict[str, Any]
) -> None:
    chunks = [[{"text": p, "thought": True}] for p in answer.thoughts]
    chunks += [_call_parts(answer)] if answer.calls else [[{"text": p}] for p in answer.pieces]
    last: dict[str, Any] = {"candidates": [_candidate([{"text": ""}], answer.finish)]}
    if meta is not None:
        last["usageMetadata"] = meta
    frames = [orjson.dumps({"candidates": [_candidate(c)], **base}) for c in chunks]
    final = orjson.dumps({**last, **base})
    if call.request.args.get("alt") == "sse":
        events = [b"data: " + f + b"\r\n\r\n" for f in frames]
        await send_events(call.request, call.scenario, events, [b"data: " + final + b"\r\n\r\n"])
        return
    events = [(b"[" if i == 0 else b",\r\n") + f for i, f in enumerate(frames)]
    trailer = (b",\r\n" if frames else b"[") + final + b"]"
    await send_events(call.request, call.scenario, events, [trailer], "application/json")


def _embed_one(model: str, request: Any) -> dict[str, Any] | None:
    if not isinstance(request, dict) or not isinstance(request.get("content"), dict):
        return None
    dims = request.get("outputDimensionality")
    dims = dims if isinstance(dims, int) and dims > 0 else DEFAULT_DIMENSIONS
    return {"values": embedding_vector(model, _parts_text(request["content"]), dims, "float")}


async def _embed(call: Call, model: str, batch: bool) -> HTTPResponse | None:
    body = call.body if isinstance(call.body, dict) else {}
    if not batch:
        one = _embed_one(model, body)
        if one is None:
            return _error(400, "* EmbedContentRequest.content: content is not specified")
        return json_response({"embedding": one})
    requests = body.get("requests")
    embeddings = [_embed_one(model, r) for r in requests] if isinstance(requests, list) else []
    if not embeddings or any(e is None for e in embeddings):
        return _error(400, "* BatchEmbedContentsRequest.requests: requests is not specified")
    return json_response({"embeddings": embeddings})


async def _count(call: Call) -> HTTPResponse | None:
    body = call.body if isinstance(call.body, dict) else {}
    inner = body.get("generateContentRequest")
    tokens = _prompt_tokens(inner if isinstance(inner, dict) else body)
    over = call.scenario.usage
    if over is not None and over.prompt is not None:
        tokens = over.prompt
    return json_response(
        {"totalTokens": tokens, "promptTokensDetails": [{"modality": "TEXT", "tokenCount": tokens}]}
    )


async def model_action(call: Call) -> HTTPResponse | None:
    """``POST /{v1,v1beta}/models/<model>:<action>``."""
    model, _, action = call.params["model"].partition(":")
    if action == "generateContent":
        return await _generate(call, model, stream=False)
    if action == "streamGenerateContent":
        return await _generate(call, model, stream=True)
    if action in ("embedContent", "batchEmbedContents"):
        return await _embed(call, model, batch=action == "batchEmbedContents")
    if action == "countTokens":
        return await _count(call)
    return _error(404, f"Method {action or '(none)'} on models/{model} is not found.")


def _model_card(name: str) -> dict[str, Any]:
    embeds = "embedding" in name
    return {
        "name": f"models/{name}",
        "version": "001",
        "displayName": name,
        "description": f"{name} (fake upstream)",
        "inputTokenLimit": 2048 if embeds else 1048576,
        "outputTokenLimit": 1 if embeds else 65536,
        "supportedGenerationMethods": (
            ["embedContent", "countTextTokens"] if embeds else ["generateContent", "countTokens"]
        ),
    }


async def list_models(call: Call) -> HTTPResponse | None:
    """``GET /v1beta/models``."""
    return json_response({"models": [_model_card(name) for name in GEMINI_MODELS]})


async def get_model(call: Call) -> HTTPResponse | None:
    """``GET /v1beta/models/<model>``; unknown names get a 404."""
    name = call.params["model"].removeprefix("models/")
    if name not in GEMINI_MODELS:
        return _error(404, f"models/{name} is not found for API version v1beta.")
    return json_response(_model_card(name))


WIRE = Wire(
    name="gemini",
    routes=(
        Route("POST", "/v1beta/models/<model:path>", model_action, "v1beta_action"),
        Route("POST", "/v1/models/<model:path>", model_action, "v1_action"),
        Route("GET", "/v1beta/models", list_models, "models"),
        Route("GET", "/v1beta/models/<model:path>", get_model, "model"),
    ),
    authenticate=authenticate,
    render_error=render_error,
)
