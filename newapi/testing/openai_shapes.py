"""Shared OpenAI wire shapes for the fake: error bodies, bearer auth, usage and message text.

Error bodies are ``{"error": {"message", "type", "param", "code"}}``. The ``type``/``code`` per
status follow what api.openai.com sends:

=======  ========================  =======================
status   type                      code
=======  ========================  =======================
400      invalid_request_error     null
401      invalid_request_error     invalid_api_key
403      permission_error          null
404      invalid_request_error     model_not_found
429      requests                  rate_limit_exceeded
500      server_error              null
503      server_error              null
other    4xx invalid_request_error, 5xx server_error; null
=======  ========================  =======================

Auth: ``Authorization: Bearer <key>`` must be present; the key ``bad-key`` gets a 401.
"""

from __future__ import annotations

from typing import Any

import orjson
from sanic import HTTPResponse, Request

from newapi.testing.reply import Usage
from newapi.testing.wire import Call, Denial

__all__ = [
    "BAD_KEY",
    "authenticate_bearer",
    "include_usage",
    "invalid_request",
    "message_text",
    "render_error",
    "request_model",
    "usage_json",
]

BAD_KEY = "bad-key"

_KINDS: dict[int, tuple[str, str | None, str]] = {
    400: ("invalid_request_error", None, "Invalid request (fake upstream)."),
    401: ("invalid_request_error", "invalid_api_key", "Incorrect API key provided."),
    403: ("permission_error", None, "You are not allowed to use this resource."),
    404: ("invalid_request_error", "model_not_found", "The model does not exist."),
    429: (
        "requests",
        "rate_limit_exceeded",
        "Rate limit reached for requests (fake upstream). Please try again in 1s.",
    ),
    500: (
        "server_error",
        None,
        "The server had an error while processing your request. Sorry about that!",
    ),
    503: ("server_error", None, "The engine is currently overloaded, please try again later."),
}


def render_error(status: int, message: str | None, code: str | None) -> bytes:
    """An OpenAI error body for ``status``; ``message``/``code`` override the defaults."""
    default = ("invalid_request_error", None, f"Fake upstream error {status}.")
    if status >= 500:
        default = ("server_error", None, f"Fake upstream error {status}.")
    kind, default_code, default_message = _KINDS.get(status, default)
    error = {
        "message": message or default_message,
        "type": kind,
        "param": None,
        "code": code or default_code,
    }
    return orjson.dumps({"error": error})


def invalid_request(message: str, param: str | None = None) -> HTTPResponse:
    """A 400 ``invalid_request_error`` naming ``param``."""
    error = {"message": message, "type": "invalid_request_error", "param": param, "code": None}
    return HTTPResponse(orjson.dumps({"error": error}), status=400, content_type="application/json")


def authenticate_bearer(request: Request) -> Denial | None:
    """OpenAI auth: a Bearer key must be present and must not be ``bad-key``."""
    header = request.headers.get("authorization", "")
    scheme, _, key = header.partition(" ")
    key = key.strip()
    if scheme.lower() != "bearer" or not key:
        return Denial(
            401,
            "You didn't provide an API key. You need to provide your API key in an "
            "Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
            None,
        )
    if key == BAD_KEY:
        return Denial(401, f"Incorrect API key provided: {key}.", "invalid_api_key")
    return None


def request_model(call: Call) -> str | None:
    """The model to answer as: the Azure deployment, else the body's ``model``."""
    deployment = call.params.get("deployment")
    if deployment:
        return deployment
    model = call.body.get("model") if isinstance(call.body, dict) else None
    return model if isinstance(model, str) and model else None


def include_usage(body: dict[str, Any]) -> bool:
    """Whether a stream should end with a usage chunk (``stream_options.include_usage``)."""
    options = body.get("stream_options")
    return isinstance(options, dict) and options.get("include_usage") is True


def message_text(message: dict[str, Any]) -> str:
    """The text of a chat message: string content or the text parts joined by spaces."""
    content = message.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(
            part["text"]
            for part in content
            if isinstance(part, dict) and isinstance(part.get("text"), str)
        )
    return ""


def usage_json(usage: Usage) -> dict[str, Any]:
    """OpenAI ``usage`` object; details appear only when cached/reasoning counts are set."""
    payload: dict[str, Any] = {
        "prompt_tokens": usage.prompt,
        "completion_tokens": usage.completion,
        "total_tokens": usage.total,
    }
    if usage.cached is not None:
        payload["prompt_tokens_details"] = {"cached_tokens": usage.cached}
    if usage.reasoning is not None:
        payload["completion_tokens_details"] = {"reasoning_tokens": usage.reasoning}
    return payload
