"""The OpenAI-format relay endpoints: what each accepts, and how its tokens are counted locally.

Validation here is what the gateway itself needs (a model, the right types for the fields it
reads); everything else is the upstream's to judge.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from newapi.billing.estimate import estimate_chat_prompt_tokens, estimate_completion_tokens
from newapi.billing.tokenizer import count_tokens
from newapi.errors import InvalidRequestError, NotFoundError
from newapi.relay.formats import rerank
from newapi.relay.formats.gemini.embed import embed_texts
from newapi.relay.formats.openai_chat import stream_text
from newapi.relay.hub_tokens import hub_completion_tokens, hub_prompt_tokens

__all__ = ["ENDPOINTS", "Endpoint", "gemini_target", "max_output_tokens", "parse_body"]

Body = dict[str, Any]


def _text_of(value: object) -> str:
    """Flatten a prompt/input field (string, list of strings, or token ids) to text."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "\n".join(_text_of(item) for item in value if not isinstance(item, int))
    return ""


def _input_tokens(body: Body, model: str) -> int:
    value = body.get("input", body.get("prompt"))
    if isinstance(value, list) and value and all(isinstance(i, int) for i in value):
        return len(value)  # token ids
    return count_tokens(_text_of(value), model)


def _completion_tokens(payload: Mapping[str, Any], model: str) -> int:
    text, tool_calls = stream_text(payload)
    return estimate_completion_tokens(text, model, tool_calls=tool_calls)


@dataclass(frozen=True, slots=True)
class Endpoint:
    name: str
    path: str  # the OpenAI path, also sent upstream
    task: str  # Azure's {task}
    format: str
    streams: bool  # accepts "stream": true
    required: str | None  # a field that must be present
    default_model: str | None
    prompt_tokens: Callable[[Body, str], int]
    completion_tokens: Callable[[Mapping[str, Any], str], int]
    hub: str | None = None  # the hub format it converts through (None: passthrough only)
    validate: Callable[[Body], None] | None = None  # endpoint-specific 400s


def _chat_prompt(body: Body, model: str) -> int:
    return estimate_chat_prompt_tokens(body, model)


def _no_completion(payload: Mapping[str, Any], model: str) -> int:
    return 0


def _rerank_tokens(body: Body, model: str) -> int:
    """New API's rerank estimate: the query and every document."""
    query = body.get("query")
    texts = [query if isinstance(query, str) else "", *rerank.document_texts(body)]
    return count_tokens("\n".join(texts), model)


def _gemini_embed(action: str) -> tuple[Callable[[Body, str], int], Callable[[Body], None]]:
    """Token counter and validator of a Gemini embed action."""

    def tokens(body: Body, model: str) -> int:
        return count_tokens("\n".join(embed_texts(body, action)), model)

    def validate(body: Body) -> None:
        embed_texts(body, action)

    return tokens, validate


def _rerank_endpoint(name: str, path: str, fmt: str) -> Endpoint:
    return Endpoint(
        name, path, "rerank", fmt, False, None, None, _rerank_tokens, _no_completion,
        validate=rerank.validate,
    )


def _gemini_embed_endpoint(name: str, action: str) -> Endpoint:
    tokens, validate = _gemini_embed(action)
    return Endpoint(
        name, "", action, "gemini", False, None, None, tokens, _no_completion, validate=validate
    )


ENDPOINTS: dict[str, Endpoint] = {
    e.name: e
    for e in (
        Endpoint(
            "chat",
            "/v1/chat/completions",
            "chat/completions",
            "openai_chat",
            True,
            "messages",
            None,
            _chat_prompt,
            _completion_tokens,
            "openai_chat",
        ),
        Endpoint(
            "completions",
            "/v1/completions",
            "completions",
            "openai_chat",
            True,
            "prompt",
            None,
            _input_tokens,
            _completion_tokens,
        ),
        Endpoint(
            "embeddings",
            "/v1/embeddings",
            "embeddings",
            "openai_chat",
            False,
            "input",
            None,
            _input_tokens,
            _no_completion,
        ),
        Endpoint(
            "moderations",
            "/v1/moderations",
            "moderations",
            "openai_chat",
            False,
            "input",
            "omni-moderation-latest",
            _input_tokens,
            _no_completion,
        ),
        Endpoint(
            "messages",
            "/v1/messages",
            "messages",
            "anthropic_messages",
            True,
            "messages",
            None,
            hub_prompt_tokens("anthropic_messages"),
            hub_completion_tokens("anthropic_messages"),
            "anthropic_messages",
        ),
        Endpoint(
            "responses",
            "/v1/responses",
            "responses",
            "openai_responses",
            True,
            None,
            None,
            hub_prompt_tokens("openai_responses"),
            hub_completion_tokens("openai_responses"),
            "openai_responses",
        ),
        Endpoint(
            "gemini",
            "",  # /{version}/models/{model}:{action}, built per request
            "",
            "gemini",
            True,
            "contents",
            None,
            hub_prompt_tokens("gemini"),
            hub_completion_tokens("gemini"),
            "gemini",
        ),
        _rerank_endpoint("rerank", "/v1/rerank", "rerank"),
        _rerank_endpoint("rerank_v2", "/v2/rerank", "cohere_rerank"),
        _gemini_embed_endpoint("gemini_embed", "embedContent"),
        _gemini_embed_endpoint("gemini_batch_embed", "batchEmbedContents"),
    )
}

_INT_FIELDS = ("max_tokens", "max_completion_tokens", "max_output_tokens", "n")


def json_body(raw: bytes) -> Body:
    """The request body as a JSON object; 400 otherwise."""
    if not raw:
        raise InvalidRequestError("the request body is empty; send a JSON object")
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise InvalidRequestError(f"the request body is not valid JSON: {exc}") from None
    if not isinstance(body, dict):
        raise InvalidRequestError("the request body must be a JSON object")
    return body


def parse_body(
    raw: bytes, endpoint: Endpoint, url_model: str | None = None, url_stream: bool = False
) -> tuple[Body, str, bool]:
    """The JSON body, the requested model and whether it streams; 400 for what cannot work.

    Gemini names the model and the stream in the URL (``url_model``, ``url_stream``).
    """
    body = json_body(raw)
    if url_model is not None:
        if endpoint.required and not isinstance(body.get(endpoint.required), list):
            raise InvalidRequestError(
                f"'{endpoint.required}' must be an array", param=endpoint.required
            )
        if endpoint.validate is not None:
            endpoint.validate(body)
        return body, url_model, url_stream
    model = body.get("model", endpoint.default_model)
    if not isinstance(model, str) or not model.strip():
        raise InvalidRequestError("you must provide a model parameter", param="model")
    if endpoint.required and body.get(endpoint.required) in (None, "", []):
        raise InvalidRequestError(
            f"'{endpoint.required}' is a required property", param=endpoint.required
        )
    if endpoint.name in ("chat", "messages") and not isinstance(body["messages"], list):
        raise InvalidRequestError("'messages' must be an array", param="messages")
    stream = body.get("stream", False)
    if not isinstance(stream, bool):
        raise InvalidRequestError("'stream' must be a boolean", param="stream")
    for name in _INT_FIELDS:
        value = body.get(name)
        if value is not None and (
            not isinstance(value, int) or isinstance(value, bool) or value < 0
        ):
            raise InvalidRequestError(f"'{name}' must be a non-negative integer", param=name)
    options = body.get("stream_options")
    if options is not None and not isinstance(options, dict):
        raise InvalidRequestError("'stream_options' must be an object", param="stream_options")
    if endpoint.validate is not None:
        endpoint.validate(body)
    return body, model, stream and endpoint.streams


def max_output_tokens(body: Body) -> int | None:
    """The output limit the client set, if any."""
    values = [body.get(k) for k in ("max_tokens", "max_completion_tokens", "max_output_tokens")]
    config = body.get("generationConfig")
    if isinstance(config, dict):
        values.append(config.get("maxOutputTokens"))
    limits = [v for v in values if isinstance(v, int) and not isinstance(v, bool)]
    return max(limits) if limits else None


GEMINI_ACTIONS = {
    "generateContent": False,
    "streamGenerateContent": True,
    "embedContent": False,
    "batchEmbedContents": False,
}


def gemini_target(target: str) -> tuple[str, bool]:
    """The model and the stream flag of a Gemini ``models/{model}:{action}`` URL tail."""
    model, sep, action = target.rpartition(":")
    if not sep or not model or action not in GEMINI_ACTIONS:
        raise NotFoundError(
            f"the Gemini action {action or target!r} is not supported by this gateway "
            f"(supported: {', '.join(GEMINI_ACTIONS)})",
            code="unsupported_action",
        )
    return model, GEMINI_ACTIONS[action]
