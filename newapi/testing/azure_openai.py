"""The fake's Azure OpenAI wire format: deployment routes answered like OpenAI.

``POST /openai/deployments/<deployment>/{chat/completions,completions,embeddings}`` needs an
``api-key`` header and an ``api-version`` query parameter; the response's ``model`` is the
deployment name. Without ``api-version`` Azure answers 404 "Resource not found"; without a key,
or with ``bad-key``, 401. Error bodies use the OpenAI shape.
"""

from __future__ import annotations

from sanic import Request

from newapi.testing.openai_chat import chat_completions
from newapi.testing.openai_shapes import BAD_KEY, render_error
from newapi.testing.openai_wire import completions, embeddings
from newapi.testing.wire import Denial, Route, Wire

__all__ = ["WIRE"]

_DENIED = (
    "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide "
    "a valid key for an active subscription and use a correct regional API endpoint for your "
    "resource."
)


def authenticate_azure(request: Request) -> Denial | None:
    """Azure auth: ``api-version`` query and an ``api-key`` header other than ``bad-key``."""
    if not request.args.get("api-version"):
        return Denial(404, "Resource not found", "404")
    key = request.headers.get("api-key", "").strip()
    if not key or key == BAD_KEY:
        return Denial(401, _DENIED, "401")
    return None


_BASE = "/openai/deployments/<deployment:str>"

WIRE = Wire(
    name="azure",
    routes=(
        Route("POST", f"{_BASE}/chat/completions", chat_completions, "chat"),
        Route("POST", f"{_BASE}/completions", completions, "completions"),
        Route("POST", f"{_BASE}/embeddings", embeddings, "embeddings"),
    ),
    authenticate=authenticate_azure,
    render_error=render_error,
)
