"""The fake's Anthropic Messages wire: ``POST /v1/messages`` and ``/v1/messages/count_tokens``.

Auth: an ``x-api-key`` header (or ``Authorization: Bearer``) other than ``bad-key`` (else 401
``authentication_error``), and an ``anthropic-version`` header (else 400). Error bodies are
``{"type": "error", "error": {"type", "message"}, "request_id"}``.

Answers follow ``newapi.testing.reply`` and ``newapi.testing.wire_kit``: ``echo: <last user
text>``; tool calls (``stop_reason: "tool_use"``) when ``tools`` are given and the final user
message (not a ``tool_result``) says ``call <name>``; ``tool_choice`` ``{"type": "tool"}``
forces one, ``"any"`` falls back to the first tool, ``"none"`` disables calls. ``thinking``
``enabled``/``adaptive`` adds a thinking block first. ``max_tokens`` (required) keeps that many
text pieces (``stop_reason: "max_tokens"``); ``stop_sequences`` cut the text
(``stop_reason: "stop_sequence"``).

Usage: ``input_tokens`` = words of ``system`` and every message's text (text blocks and
``tool_result`` text), at least 1; ``output_tokens`` = thinking pieces + text pieces + tool call
tokens; ``cache_read_input_tokens`` = ``cached=N`` (0 by default);
``cache_creation_input_tokens`` = ``usage=write_5m:N|write_1h:M`` (N + M, split in
``cache_creation``; 0 by default). Scenario values map 1:1 onto these fields.

Streams: ``message_start`` (full input usage, ``output_tokens: 1`` like the real API), ``ping``,
the content blocks (text deltas per piece, ``input_json_delta`` in 8-character pieces,
``thinking_delta`` per piece then one ``signature_delta``), then the trailer ``message_delta``
(``stop_reason``, cumulative ``output_tokens``) and ``message_stop``; ``cut_after`` & co. count
the events before the trailer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import orjson
from sanic import HTTPResponse, Request

from newapi.testing.openai_shapes import BAD_KEY
from newapi.testing.reply import Usage, count_words, reply_pieces, settle_usage, split_fixed
from newapi.testing.streaming import send_events
from newapi.testing.wire import Call, Denial, Route, Wire, json_response
from newapi.testing.wire_kit import (
    call_tokens,
    cut_at_stop,
    first_token_pause,
    named_event,
    pick_by_name,
    placeholder_args,
    signature,
    thinking_pieces,
)

__all__ = ["WIRE", "count_tokens", "messages", "render_error"]

_KINDS: dict[int, str] = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    413: "request_too_large",
    429: "rate_limit_error",
    500: "api_error",
    529: "overloaded_error",
}
_MESSAGES = {
    429: "Number of request tokens has exceeded your per-minute rate limit (fake upstream).",
    500: "Internal server error",
    529: "Overloaded",
}


def render_error(status: int, message: str | None, code: str | None) -> bytes:
    """An Anthropic error body; ``code`` overrides the error type."""
    kind = code or _KINDS.get(status, "api_error" if status >= 500 else "invalid_request_error")
    text = message or _MESSAGES.get(status, f"Fake upstream error {status}.")
    body = {"type": "error", "error": {"type": kind, "message": text}, "request_id": "req_fake"}
    return orjson.dumps(body)


def authenticate(request: Request) -> Denial | None:
    """``x-api-key`` (or Bearer) must be present and not ``bad-key``; ``anthropic-version`` too."""
    key = request.headers.get("x-api-key", "").strip()
    if not key:
        scheme, _, bearer = request.headers.get("authorization", "").partition(" ")
        key = bearer.strip() if scheme.lower() == "bearer" else ""
    if not key:
        return Denial(401, "x-api-key header is required", "authentication_error")
    if key == BAD_KEY:
        return Denial(401, "invalid x-api-key", "authentication_error")
    if not request.headers.get("anthropic-version", "").strip():
        return Denial(400, "anthropic-version: header is required", "invalid_request_error")
    return None


def _invalid(message: str) -> HTTPResponse:
    return HTTPResponse(render_error(400, message, None), 400, content_type="application/json")


def _block_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if not isinstance(content, list):
        return ""
    texts: list[str] = []
    for block in content:
        if not isinstance(block, dict):
            continue
        if isinstance(block.get("text"), str):
            texts.append(block["text"])
        elif block.get("type") == "tool_result":
            texts.append(_block_text(block.get("content")))
    return " ".join(t for t in texts if t)


def _plain_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if not isinstance(content, list):
        return ""
    return " ".join(
        b["text"]
        for b in content
        if isinstance(b, dict) and b.get("type") == "text" and isinstance(b.get("text"), str)
    )


def _prompt_tokens(body: dict[str, Any]) -> int:
    words = count_words(_block_text(body.get("system")))
    for message in body.get("messages") or ():
        if isinstance(message, dict):
            words += count_words(_block_text(message.get("content")))
    return max(1, words)


def _user_turn(messages: list[Any]) -> tuple[str, bool]:
    """The last user text, and whether the final message is a user turn (not a tool result)."""
    final = messages[-1] if isinstance(messages[-1], dict) else {}
    content = final.get("content")
    tool_result = isinstance(content, list) and any(
        isinstance(b, dict) and b.get("type") == "tool_result" for b in content
    )
    final_is_user = final.get("role") == "user" and not tool_result
    for message in reversed(messages):
        if isinstance(message, dict) and message.get("role") == "user":
            text = _plain_text(message.get("content"))
            if text:
                return text, final_is_user
    return "", final_is_user


@dataclass(slots=True)
class _Answer:
    thinking: list[str] = field(default_factory=list)
    pieces: list[str] = field(default_factory=list)
    tools: list[tuple[str, str, str]] = field(default_factory=list)
    stop_reason: str = "end_turn"
    stop_sequence: str | None = None

    @property
    def tokens(self) -> int:
        return (
            len(self.thinking)
            + len(self.pieces)
            + sum(call_tokens(args) for _, _, args in self.tools)
        )


def _pick_tools(body: dict[str, Any], text: str, final_is_user: bool) -> list[dict[str, Any]]:
    tools = [t for t in body.get("tools") or () if isinstance(t, dict) and t.get("name")]
    choice = body.get("tool_choice") if isinstance(body.get("tool_choice"), dict) else {}
    kind = choice.get("type", "auto")
    if not tools or not final_is_user or kind == "none":
        return []
    if kind == "tool":
        return [t for t in tools if t["name"] == choice.get("name")][:1]
    names = pick_by_name([str(t["name"]) for t in tools], text)
    picked = [t for t in tools if t["name"] in names]
    return picked or (tools[:1] if kind == "any" else [])


def _answer(call: Call, body: dict[str, Any]) -> _Answer:
    text, final_is_user = _user_turn(body["messages"])
    answer = _Answer()
    thinking = body.get("thinking")
    if isinstance(thinking, dict) and thinking.get("type") in ("enabled", "adaptive"):
        answer.thinking = thinking_pieces(text)
    tools = _pick_tools(body, text, final_is_user)
    if tools:
        answer.tools = [
            (
                f"toolu_fake{call.seq}_{i}",
                str(t["name"]),
                orjson.dumps(placeholder_args(t.get("input_schema"))).decode(),
            )
            for i, t in enumerate(tools)
        ]
        answer.stop_reason = "tool_use"
        return answer
    pieces = reply_pieces(text, call.scenario)
    limit = body["max_tokens"]
    if 0 <= limit < len(pieces):
        pieces, answer.stop_reason = pieces[:limit], "max_tokens"
    answer.pieces, stop = cut_at_stop(pieces, body.get("stop_sequences"))
    if stop is not None:
        answer.stop_reason, answer.stop_sequence = "stop_sequence", stop
    return answer


def _usage(usage: Usage) -> dict[str, Any]:
    out: dict[str, Any] = {
        "input_tokens": usage.prompt,
        "cache_creation_input_tokens": usage.write_5m + usage.write_1h,
        "cache_read_input_tokens": usage.cached or 0,
        "output_tokens": usage.completion,
    }
    if usage.write_5m or usage.write_1h:
        out["cache_creation"] = {
            "ephemeral_5m_input_tokens": usage.write_5m,
            "ephemeral_1h_input_tokens": usage.write_1h,
        }
    return out


def _content(answer: _Answer) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = []
    if answer.thinking:
        thought = "".join(answer.thinking)
        blocks.append({"type": "thinking", "thinking": thought, "signature": signature(thought)})
    if answer.tools:
        blocks.extend(
            {"type": "tool_use", "id": tid, "name": name, "input": orjson.loads(args)}
            for tid, name, args in answer.tools
        )
    else:
        blocks.append({"type": "text", "text": "".join(answer.pieces)})
    return blocks


def _validate(body: Any) -> str | None:
    if not isinstance(body, dict):
        return "request body must be a JSON object"
    if not isinstance(body.get("model"), str) or not body["model"]:
        return "model: Field required"
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        return "messages: at least one message is required"
    limit = body.get("max_tokens")
    if isinstance(limit, bool) or not isinstance(limit, int):
        return "max_tokens: Field required"
    return None


async def messages(call: Call) -> HTTPResponse | None:
    """``POST /v1/messages``."""
    problem = _validate(call.body)
    if problem is not None:
        return _invalid(problem)
    body: dict[str, Any] = call.body
    answer = _answer(call, body)
    usage = settle_usage(call.scenario, _prompt_tokens(body), answer.tokens)
    ident = f"msg_fake{call.seq}"
    if body.get("stream"):
        await _stream(call, ident, body["model"], answer, usage)
        return None
    await first_token_pause(call.scenario)
    payload: dict[str, Any] = {
        "id": ident,
        "type": "message",
        "role": "assistant",
        "model": body["model"],
        "content": _content(answer),
        "stop_reason": answer.stop_reason,
        "stop_sequence": answer.stop_sequence,
    }
    if usage is not None:
        payload["usage"] = _usage(usage)
    return json_response(payload)


def _block_events(index: int, start: dict[str, Any], deltas: list[dict[str, Any]]) -> list[bytes]:
    events = [
        named_event(
            "content_block_start",
            {"type": "content_block_start", "index": index, "content_block": start},
        )
    ]
    events.extend(
        named_event(
            "content_block_delta", {"type": "content_block_delta", "index": index, "delta": d}
        )
        for d in deltas
    )
    events.append(named_event("content_block_stop", {"type": "content_block_stop", "index": index}))
    return events


def _stream_blocks(answer: _Answer) -> list[bytes]:
    events: list[bytes] = []
    index = 0
    if answer.thinking:
        thought = "".join(answer.thinking)
        deltas = [{"type": "thinking_delta", "thinking": p} for p in answer.thinking]
        deltas.append({"type": "signature_delta", "signature": signature(thought)})
        start = {"type": "thinking", "thinking": "", "signature": ""}
        events += _block_events(index, start, deltas)
        index += 1
    if not answer.tools:
        deltas = [{"type": "text_delta", "text": p} for p in answer.pieces]
        return events + _block_events(index, {"type": "text", "text": ""}, deltas)
    for k, (tid, name, args) in enumerate(answer.tools):
        start = {"type": "tool_use", "id": tid, "name": name, "input": {}}
        deltas = [{"type": "input_json_delta", "partial_json": p} for p in split_fixed(args)]
        events += _block_events(index + k, start, deltas)
    return events


async def _stream(call: Call, ident: str, model: str, answer: _Answer, usage: Usage | None) -> None:
    message: dict[str, Any] = {
        "id": ident,
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": [],
        "stop_reason": None,
        "stop_sequence": None,
    }
    delta: dict[str, Any] = {
        "type": "message_delta",
        "delta": {"stop_reason": answer.stop_reason, "stop_sequence": answer.stop_sequence},
    }
    if usage is not None:
        message["usage"] = {**_usage(usage), "output_tokens": 1}
        delta["usage"] = {"output_tokens": usage.completion}
    events = [
        named_event("message_start", {"type": "message_start", "message": message}),
        named_event("ping", {"type": "ping"}),
        *_stream_blocks(answer),
    ]
    trailer = [
        named_event("message_delta", delta),
        named_event("message_stop", {"type": "message_stop"}),
    ]
    await send_events(call.request, call.scenario, events, trailer)


async def count_tokens(call: Call) -> HTTPResponse | None:
    """``POST /v1/messages/count_tokens``: ``{"input_tokens": N}`` (``usage=prompt:N`` wins)."""
    body = call.body
    if not isinstance(body, dict) or not isinstance(body.get("model"), str):
        return _invalid("model: Field required")
    if not isinstance(body.get("messages"), list) or not body["messages"]:
        return _invalid("messages: at least one message is required")
    over = call.scenario.usage
    tokens = _prompt_tokens(body) if over is None or over.prompt is None else over.prompt
    return json_response({"input_tokens": tokens})


WIRE = Wire(
    name="anthropic",
    routes=(
        Route("POST", "/v1/messages", messages, "messages"),
        Route("POST", "/v1/messages/count_tokens", count_tokens, "count_tokens"),
    ),
    authenticate=authenticate,
    render_error=render_error,
)
