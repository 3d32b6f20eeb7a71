"""OpenAI chat-completions bodies for the fake: text and tool-call answers, JSON and SSE.

Reasoning: a request with ``reasoning_effort`` other than ``none`` gets the fake's thought
(``thinking: <user text>``) as ``reasoning_content`` before the text (DeepSeek's field), one
piece and one completion token per word, streamed before the content deltas.

Tool calls: when the request has ``tools`` and its last message is from the user, the fake calls
every tool whose ``call <name>`` appears in that user text; ``tool_choice`` naming a function
forces that one; ``tool_choice: "required"`` falls back to the first tool; ``"none"`` disables
calls. Arguments fill each schema property with a placeholder (string ``"fake"`` or the first
enum value, number 1, boolean true, array [], object {}).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

import orjson
from sanic import HTTPResponse

from newapi.testing.openai_shapes import (
    include_usage,
    invalid_request,
    message_text,
    request_model,
    usage_json,
)
from newapi.testing.reply import (
    Usage,
    count_words,
    reply_pieces,
    settle_usage,
    split_fixed,
    truncate,
)
from newapi.testing.streaming import send_events
from newapi.testing.wire import Call, json_response
from newapi.testing.wire_kit import thinking_pieces

__all__ = ["chat_completions"]

_FINGERPRINT = "fp_fake"
_DONE = b"data: [DONE]\n\n"
_PLACEHOLDERS: dict[str, Any] = {
    "string": "fake",
    "integer": 1,
    "number": 1,
    "boolean": True,
    "array": [],
    "object": {},
}


@dataclass(frozen=True, slots=True)
class _Answer:
    """One choice's content: text pieces, or tool calls as (id, name, arguments JSON)."""

    pieces: list[str]
    tool_calls: list[tuple[str, str, str]]
    finish: str
    reasoning: tuple[str, ...] = ()

    @property
    def tokens(self) -> int:
        if not self.tool_calls:
            return len(self.pieces) + len(self.reasoning)
        return sum(1 + len(split_fixed(args)) for _, _, args in self.tool_calls)


def _last_user(messages: list[Any]) -> tuple[str, bool]:
    """The last user text, and whether the final message is from the user."""
    final_is_user = isinstance(messages[-1], dict) and messages[-1].get("role") == "user"
    for message in reversed(messages):
        if isinstance(message, dict) and message.get("role") == "user":
            return message_text(message), final_is_user
    return "", final_is_user


def _arguments(function: dict[str, Any]) -> str:
    params = function.get("parameters")
    props = params.get("properties") if isinstance(params, dict) else None
    args: dict[str, Any] = {}
    for name, schema in (props or {}).items():
        schema = schema if isinstance(schema, dict) else {}
        enum = schema.get("enum")
        args[name] = enum[0] if enum else _PLACEHOLDERS.get(schema.get("type", "string"), "fake")
    return orjson.dumps(args).decode()


def _pick_tools(body: dict[str, Any], user_text: str, final_is_user: bool) -> list[dict[str, Any]]:
    tools = [
        t["function"]
        for t in body.get("tools") or ()
        if isinstance(t, dict) and isinstance(t.get("function"), dict)
    ]
    choice = body.get("tool_choice", "auto")
    if not tools or not final_is_user or choice == "none":
        return []
    if isinstance(choice, dict):
        forced = (choice.get("function") or {}).get("name")
        return [t for t in tools if t.get("name") == forced][:1]
    picked = [t for t in tools if f"call {t.get('name')}" in user_text]
    if not picked and choice == "required":
        picked = tools[:1]
    return picked


def _answer(call: Call, messages: list[Any]) -> _Answer:
    body = call.body
    user_text, final_is_user = _last_user(messages)
    tools = _pick_tools(body, user_text, final_is_user)
    if tools:
        calls = [
            (f"call_fake{call.seq}_{i}", str(t.get("name")), _arguments(t))
            for i, t in enumerate(tools)
        ]
        return _Answer([], calls, "tool_calls")
    limit = body.get("max_completion_tokens", body.get("max_tokens"))
    pieces, finish = truncate(reply_pieces(user_text, call.scenario), limit)
    effort = body.get("reasoning_effort")
    thought = thinking_pieces(user_text) if effort and effort != "none" else []
    return _Answer(pieces, [], finish, tuple(thought))


async def chat_completions(call: Call) -> HTTPResponse | None:
    """``POST /v1/chat/completions`` (and Azure's deployment route)."""
    body = call.body
    if not isinstance(body, dict) or not isinstance(body.get("messages"), list):
        return invalid_request("'messages' is a required property", "messages")
    messages = body["messages"]
    if not messages:
        return invalid_request("'messages' must contain at least one message", "messages")
    model = request_model(call)
    if model is None:
        return invalid_request("you must provide a model parameter", "model")
    n = body.get("n") if isinstance(body.get("n"), int) and body["n"] > 0 else 1
    answer = _answer(call, messages)
    prompt = max(1, sum(count_words(message_text(m)) for m in messages if isinstance(m, dict)))
    usage = settle_usage(call.scenario, prompt, answer.tokens * n)
    ident = f"chatcmpl-fake{call.seq}"
    if body.get("stream"):
        await _stream(call, ident, model, n, answer, usage)
        return None
    if call.scenario.first_token_delay_ms:
        await asyncio.sleep(call.scenario.first_token_delay_ms / 1000)
    return json_response(_completion(ident, model, n, answer, usage))


def _message(answer: _Answer) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "refusal": None, "annotations": []}
    if answer.tool_calls:
        message["content"] = None
        message["tool_calls"] = [
            {"id": cid, "type": "function", "function": {"name": name, "arguments": args}}
            for cid, name, args in answer.tool_calls
        ]
    else:
        message["content"] = "".join(answer.pieces)
        if answer.reasoning:
            message["reasoning_content"] = "".join(answer.reasoning)
    return message


def _completion(
    ident: str, model: str, n: int, answer: _Answer, usage: Usage | None
) -> dict[str, Any]:
    message = _message(answer)
    payload: dict[str, Any] = {
        "id": ident,
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {"index": i, "message": message, "logprobs": None, "finish_reason": answer.finish}
            for i in range(n)
        ],
        "service_tier": "default",
        "system_fingerprint": _FINGERPRINT,
    }
    if usage is not None:
        payload["usage"] = usage_json(usage)
    return payload


def _choice(index: int, delta: bytes, finish: str | None = None) -> bytes:
    reason = b"null" if finish is None else b'"' + finish.encode() + b'"'
    return b'{"index":%d,"delta":%b,"logprobs":null,"finish_reason":%b}' % (index, delta, reason)


def _tool_deltas(answer: _Answer) -> list[bytes]:
    deltas: list[bytes] = []
    for k, (cid, name, args) in enumerate(answer.tool_calls):
        head: dict[str, Any] = {"index": k, "id": cid, "type": "function"}
        head["function"] = {"name": name, "arguments": ""}
        first: dict[str, Any] = {"role": "assistant", "content": None} if k == 0 else {}
        deltas.append(orjson.dumps({**first, "tool_calls": [head]}))
        for piece in split_fixed(args):
            part = {"index": k, "function": {"arguments": piece}}
            deltas.append(orjson.dumps({"tool_calls": [part]}))
    return deltas


async def _stream(
    call: Call, ident: str, model: str, n: int, answer: _Answer, usage: Usage | None
) -> None:
    with_usage = include_usage(call.body)
    head = b'data: {"id":"%b","object":"chat.completion.chunk","created":%d,"model":%b,' % (
        ident.encode(),
        int(time.time()),
        orjson.dumps(model),
    )
    head += b'"system_fingerprint":"' + _FINGERPRINT.encode() + b'","choices":['
    tail = b'],"usage":null}\n\n' if with_usage else b"]}\n\n"
    events: list[bytes] = []
    if answer.tool_calls:
        deltas = _tool_deltas(answer)
        for i in range(n):
            events.extend(head + _choice(i, d) + tail for d in deltas)
    else:
        role = b'{"role":"assistant","content":"","refusal":null}'
        events.extend(head + _choice(i, role) + tail for i in range(n))
        for piece in answer.reasoning:
            delta = b'{"reasoning_content":%b}' % orjson.dumps(piece)
            events.extend(head + _choice(i, delta) + tail for i in range(n))
        for piece in answer.pieces:
            delta = b'{"content":%b}' % orjson.dumps(piece)
            events.extend(head + _choice(i, delta) + tail for i in range(n))
    events.extend(head + _choice(i, b"{}", answer.finish) + tail for i in range(n))
    trailer = [_DONE]
    if with_usage and usage is not None:
        used = orjson.dumps(usage_json(usage))
        trailer.insert(0, head + b'],"usage":' + used + b"}\n\n")
    await send_events(call.request, call.scenario, events, trailer)
