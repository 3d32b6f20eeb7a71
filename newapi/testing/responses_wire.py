"""The fake's OpenAI Responses wire: ``POST /v1/responses`` (JSON and typed SSE stream).

Auth and error bodies are OpenAI's (``openai_shapes``). ``input`` is a string or a list of
items (messages with string or ``input_text``/``output_text`` parts, ``function_call`` and
``function_call_output`` items). The answer is ``echo: <last user text>`` as one ``message``
output item with one ``output_text`` part, or ``function_call`` items when ``tools`` (type
``function``) are given and the final input item is a user message saying ``call <name>``
(``tool_choice`` ``{"type": "function", "name"}`` forces one, ``"required"`` falls back to the
first tool, ``"none"`` disables calls). ``max_output_tokens`` keeps that many pieces and makes
the response ``incomplete`` (``incomplete_details.reason = "max_output_tokens"``).

Usage: ``input_tokens`` = words of ``instructions`` and every input text (at least 1),
``output_tokens`` = text pieces + tool call tokens, ``total_tokens`` the sum;
``input_tokens_details.cached_tokens`` = ``cached=N`` (else 0) and
``output_tokens_details.reasoning_tokens`` = ``usage=reasoning:N`` (else 0).

Streams: ``event:`` + ``data:`` frames with increasing ``sequence_number`` from 0:
``response.created``, ``response.in_progress``, then per output item ``output_item.added``,
(message) ``content_part.added``, ``output_text.delta`` per piece, ``output_text.done``,
``content_part.done``, (function call) ``function_call_arguments.delta`` in 8-character pieces,
``function_call_arguments.done``; ``output_item.done``; and the trailer ``response.completed``
(or ``response.incomplete``), which carries the usage. No ``[DONE]`` line, like the real API.
"""

from __future__ import annotations

import time
from typing import Any

import orjson
from sanic import HTTPResponse

from newapi.testing.openai_shapes import (
    authenticate_bearer,
    invalid_request,
    render_error,
    request_model,
)
from newapi.testing.reply import Usage, count_words, reply_pieces, settle_usage, split_fixed
from newapi.testing.streaming import send_events
from newapi.testing.wire import Call, Route, Wire, json_response
from newapi.testing.wire_kit import call_tokens, first_token_pause, named_event, pick_by_name
from newapi.testing.wire_kit import placeholder_args as _args

__all__ = ["WIRE", "responses"]


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if not isinstance(content, list):
        return ""
    return " ".join(
        p["text"] for p in content if isinstance(p, dict) and isinstance(p.get("text"), str)
    )


def _items(raw: Any) -> list[dict[str, Any]]:
    if isinstance(raw, str):
        return [{"type": "message", "role": "user", "content": raw}]
    return [item for item in raw if isinstance(item, dict)] if isinstance(raw, list) else []


def _is_message(item: dict[str, Any]) -> bool:
    return item.get("type", "message") == "message" and "role" in item


def _user_turn(items: list[dict[str, Any]]) -> tuple[str, bool]:
    final_is_user = bool(items) and _is_message(items[-1]) and items[-1]["role"] == "user"
    for item in reversed(items):
        if _is_message(item) and item["role"] == "user":
            text = _text(item.get("content"))
            if text:
                return text, final_is_user
    return "", final_is_user


def _prompt_tokens(body: dict[str, Any], items: list[dict[str, Any]]) -> int:
    words = count_words(body["instructions"]) if isinstance(body.get("instructions"), str) else 0
    for item in items:
        if _is_message(item):
            words += count_words(_text(item.get("content")))
        elif item.get("type") == "function_call_output":
            words += count_words(_text(item.get("output")))
    return max(1, words)


def _pick_tools(body: dict[str, Any], text: str, final_is_user: bool) -> list[dict[str, Any]]:
    tools = [
        t for t in body.get("tools") or () if isinstance(t, dict) and t.get("type") == "function"
    ]
    choice = body.get("tool_choice", "auto")
    if not tools or not final_is_user or choice == "none":
        return []
    if isinstance(choice, dict):
        return [t for t in tools if t.get("name") == choice.get("name")][:1]
    picked = [
        t for t in tools if t.get("name") in pick_by_name([str(t.get("name")) for t in tools], text)
    ]
    return picked or (tools[:1] if choice == "required" else [])


def _output(
    call: Call, body: dict[str, Any], items: list[dict[str, Any]]
) -> tuple[list[Any], int, bool]:
    """Output items (as final JSON), completion tokens, and whether max_output_tokens cut it."""
    text, final_is_user = _user_turn(items)
    tools = _pick_tools(body, text, final_is_user)
    if tools:
        out = []
        for i, tool in enumerate(tools):
            args = orjson.dumps(_args(tool.get("parameters"))).decode()
            out.append(
                {
                    "type": "function_call",
                    "id": f"fc_fake{call.seq}_{i}",
                    "call_id": f"call_fake{call.seq}_{i}",
                    "name": tool["name"],
                    "arguments": args,
                    "status": "completed",
                }
            )
        return out, sum(call_tokens(o["arguments"]) for o in out), False
    pieces = reply_pieces(text, call.scenario)
    limit = body.get("max_output_tokens")
    cut = isinstance(limit, int) and not isinstance(limit, bool) and 0 <= limit < len(pieces)
    if cut:
        pieces = pieces[:limit]
    message = {
        "type": "message",
        "id": f"msg_fake{call.seq}",
        "status": "incomplete" if cut else "completed",
        "role": "assistant",
        "content": [
            {"type": "output_text", "text": "".join(pieces), "annotations": [], "logprobs": []}
        ],
        "_pieces": pieces,
    }
    return [message], len(pieces), cut


def _usage(usage: Usage) -> dict[str, Any]:
    return {
        "input_tokens": usage.prompt,
        "input_tokens_details": {"cached_tokens": usage.cached or 0},
        "output_tokens": usage.completion,
        "output_tokens_details": {"reasoning_tokens": usage.reasoning or 0},
        "total_tokens": usage.total,
    }


def _envelope(call: Call, body: dict[str, Any], model: str) -> dict[str, Any]:
    return {
        "id": f"resp_fake{call.seq}",
        "object": "response",
        "created_at": int(time.time()),
        "status": "in_progress",
        "background": False,
        "error": None,
        "incomplete_details": None,
        "instructions": body.get("instructions"),
        "max_output_tokens": body.get("max_output_tokens"),
        "model": model,
        "output": [],
        "parallel_tool_calls": body.get("parallel_tool_calls", True),
        "previous_response_id": body.get("previous_response_id"),
        "reasoning": {"effort": None, "summary": None},
        "store": body.get("store", True),
        "temperature": body.get("temperature", 1.0),
        "text": {"format": {"type": "text"}},
        "tool_choice": body.get("tool_choice", "auto"),
        "tools": body.get("tools") or [],
        "top_p": body.get("top_p", 1.0),
        "truncation": "disabled",
        "usage": None,
        "user": None,
        "metadata": body.get("metadata") or {},
    }


async def responses(call: Call) -> HTTPResponse | None:
    """``POST /v1/responses``."""
    body = call.body
    if not isinstance(body, dict):
        return invalid_request("request body must be a JSON object")
    model = request_model(call)
    if model is None:
        return invalid_request("Missing required parameter: 'model'.", "model")
    items = _items(body.get("input"))
    if not items:
        return invalid_request("Missing required parameter: 'input'.", "input")
    output, completion, cut = _output(call, body, items)
    usage = settle_usage(call.scenario, _prompt_tokens(body, items), completion)
    envelope = _envelope(call, body, model)
    final = {
        **envelope,
        "status": "incomplete" if cut else "completed",
        "incomplete_details": {"reason": "max_output_tokens"} if cut else None,
        "output": [{k: v for k, v in o.items() if k != "_pieces"} for o in output],
        "usage": None if usage is None else _usage(usage),
    }
    if body.get("stream"):
        await _stream(call, envelope, output, final)
        return None
    await first_token_pause(call.scenario)
    if usage is None:
        del final["usage"]
    return json_response(final)


class _Events:
    """Typed stream events numbered from 0."""

    def __init__(self) -> None:
        self.frames: list[bytes] = []

    def add(self, kind: str, **fields: Any) -> None:
        payload = {"type": kind, "sequence_number": len(self.frames), **fields}
        self.frames.append(named_event(kind, payload))


def _message_events(ev: _Events, index: int, item: dict[str, Any]) -> None:
    pieces: list[str] = item["_pieces"]
    done = {k: v for k, v in item.items() if k != "_pieces"}
    ev.add(
        "response.output_item.added",
        output_index=index,
        item={**done, "status": "in_progress", "content": []},
    )
    where = {"item_id": item["id"], "output_index": index, "content_index": 0}
    empty = {"type": "output_text", "text": "", "annotations": [], "logprobs": []}
    ev.add("response.content_part.added", **where, part=empty)
    for piece in pieces:
        ev.add("response.output_text.delta", **where, delta=piece, logprobs=[])
    text = "".join(pieces)
    ev.add("response.output_text.done", **where, text=text, logprobs=[])
    ev.add("response.content_part.done", **where, part={**empty, "text": text})
    ev.add("response.output_item.done", output_index=index, item=done)


def _call_events(ev: _Events, index: int, item: dict[str, Any]) -> None:
    ev.add(
        "response.output_item.added",
        output_index=index,
        item={**item, "arguments": "", "status": "in_progress"},
    )
    where = {"item_id": item["id"], "output_index": index}
    for piece in split_fixed(item["arguments"]):
        ev.add("response.function_call_arguments.delta", **where, delta=piece)
    ev.add(
        "response.function_call_arguments.done",
        **where,
        name=item["name"],
        arguments=item["arguments"],
    )
    ev.add("response.output_item.done", output_index=index, item=item)


async def _stream(
    call: Call, envelope: dict[str, Any], output: list[dict[str, Any]], final: dict[str, Any]
) -> None:
    ev = _Events()
    ev.add("response.created", response=envelope)
    ev.add("response.in_progress", response=envelope)
    for index, item in enumerate(output):
        if item["type"] == "message":
            _message_events(ev, index, item)
        else:
            _call_events(ev, index, item)
    kind = "response.incomplete" if final["status"] == "incomplete" else "response.completed"
    ev.add(kind, response=final)  # the trailer: cut/abort/stall never reach it
    await send_events(call.request, call.scenario, ev.frames[:-1], ev.frames[-1:])


WIRE = Wire(
    name="responses",
    routes=(Route("POST", "/v1/responses", responses, "responses"),),
    authenticate=authenticate_bearer,
    render_error=render_error,
)
