"""Format-neutral views of wire bodies, written straight from each API's documentation.

They do not use the codecs, so a symmetric bug in a codec's decode and encode still shows.
"""

from __future__ import annotations

from typing import Any

import orjson


def _args(value: Any) -> dict[str, Any]:
    return orjson.loads(value) if isinstance(value, str) else dict(value or {})


def _text_of(content: Any, *types: str) -> list[str]:
    if isinstance(content, str):
        return [content]
    return [
        p.get("text", "") for p in content or () if isinstance(p, dict) and p.get("type") in types
    ]


def request_view(fmt: str, body: dict[str, Any]) -> dict[str, Any]:
    """system, texts (in order), tool calls, results, tools, stop, max tokens, images."""
    return {
        "openai_chat": _chat_request,
        "anthropic_messages": _claude_request,
        "gemini": _gemini_request,
        "openai_responses": _responses_request,
    }[fmt](body)


def _view() -> dict[str, Any]:
    return {
        "system": "",
        "texts": [],
        "calls": [],
        "results": [],
        "tools": [],
        "stop": [],
        "max_tokens": None,
        "images": 0,
        "roles": [],
    }


def _chat_request(body: dict[str, Any]) -> dict[str, Any]:
    v = _view()
    for m in body["messages"]:
        v["roles"].append(m["role"])
        if m["role"] in ("system", "developer"):
            v["system"] += "".join(_text_of(m["content"], "text"))
        elif m["role"] == "tool":
            v["results"].append((m["tool_call_id"], m["content"]))
        else:
            v["texts"] += [t for t in _text_of(m.get("content"), "text") if t]
            v["images"] += sum(
                1
                for p in m.get("content") or ()
                if isinstance(p, dict) and p.get("type") == "image_url"
            )
            for c in m.get("tool_calls") or ():
                v["calls"].append(
                    (c["id"], c["function"]["name"], _args(c["function"]["arguments"]))
                )
    v["tools"] = [t["function"]["name"] for t in body.get("tools", ())]
    stop = body.get("stop") or []
    v["stop"] = [stop] if isinstance(stop, str) else list(stop)
    v["max_tokens"] = body.get("max_completion_tokens") or body.get("max_tokens")
    return v


def _claude_request(body: dict[str, Any]) -> dict[str, Any]:
    v = _view()
    system = body.get("system") or ""
    v["system"] = system if isinstance(system, str) else "".join(b["text"] for b in system)
    for m in body["messages"]:
        v["roles"].append(m["role"])
        content = m["content"]
        if isinstance(content, str):
            v["texts"].append(content)
            continue
        for b in content:
            if b["type"] == "text":
                assert b["text"], "Claude rejects empty text blocks"
                v["texts"].append(b["text"])
            elif b["type"] == "image":
                v["images"] += 1
            elif b["type"] == "tool_use":
                v["calls"].append((b["id"], b["name"], b["input"]))
            elif b["type"] == "tool_result":
                c = b.get("content", "")
                v["results"].append((b["tool_use_id"], "".join(_text_of(c, "text"))))
    v["tools"] = [t["name"] for t in body.get("tools", ())]
    v["stop"] = list(body.get("stop_sequences", ()))
    v["max_tokens"] = body["max_tokens"]
    return v


def _gemini_request(body: dict[str, Any]) -> dict[str, Any]:
    v = _view()
    v["system"] = "".join(p["text"] for p in (body.get("systemInstruction") or {}).get("parts", ()))
    for c in body["contents"]:
        v["roles"].append(c["role"])
        for p in c["parts"]:
            if "text" in p and not p.get("thought"):
                v["texts"].append(p["text"])
            elif "inlineData" in p:
                v["images"] += 1
            elif "functionCall" in p:
                v["calls"].append(
                    (
                        p["functionCall"]["name"],
                        p["functionCall"]["name"],
                        p["functionCall"]["args"],
                    )
                )
            elif "functionResponse" in p:
                r = p["functionResponse"]
                v["results"].append(
                    (r["name"], r["response"].get("content", orjson.dumps(r["response"]).decode()))
                )
    v["tools"] = [
        d["name"] for t in body.get("tools", ()) for d in t.get("functionDeclarations", ())
    ]
    config = body.get("generationConfig", {})
    v["stop"] = list(config.get("stopSequences", ()))
    v["max_tokens"] = config.get("maxOutputTokens")
    return v


def _responses_request(body: dict[str, Any]) -> dict[str, Any]:
    v = _view()
    v["system"] = body.get("instructions", "")
    items = body["input"]
    if isinstance(items, str):
        items = [{"role": "user", "content": items}]
    for item in items:
        kind = item.get("type", "message")
        v["roles"].append(item.get("role", kind))
        if kind == "message":
            if item["role"] in ("system", "developer"):
                v["system"] += "".join(_text_of(item["content"], "input_text"))
                continue
            v["texts"] += _text_of(item["content"], "input_text", "output_text")
            v["images"] += sum(
                1 for p in item["content"] if isinstance(p, dict) and p.get("type") == "input_image"
            )
        elif kind == "function_call":
            v["calls"].append((item["call_id"], item["name"], _args(item["arguments"])))
        elif kind == "function_call_output":
            v["results"].append((item["call_id"], item["output"]))
    v["tools"] = [t["name"] for t in body.get("tools", ())]
    v["max_tokens"] = body.get("max_output_tokens")
    return v


# ---------------------------------------------------------------------------------------------


def response_view(fmt: str, body: dict[str, Any]) -> dict[str, Any]:
    """text, tool calls (name, args), the stop reason in hub words, usage numbers."""
    return {
        "openai_chat": _chat_response,
        "anthropic_messages": _claude_response,
        "gemini": _gemini_response,
        "openai_responses": _responses_response,
    }[fmt](body)


_CHAT_STOP = {
    "stop": "end_turn",
    "length": "max_tokens",
    "tool_calls": "tool_use",
    "content_filter": "content_filter",
}
_CLAUDE_STOP = {
    "end_turn": "end_turn",
    "stop_sequence": "end_turn",
    "max_tokens": "max_tokens",
    "tool_use": "tool_use",
    "refusal": "content_filter",
}


def _chat_response(body: dict[str, Any]) -> dict[str, Any]:
    assert body["object"] == "chat.completion"
    choice = body["choices"][0]
    message = choice["message"]
    u = body["usage"]
    return {
        "text": message.get("content") or "",
        "calls": [
            (c["id"], c["function"]["name"], _args(c["function"]["arguments"]))
            for c in message.get("tool_calls") or ()
        ],
        "stop": _CHAT_STOP[choice["finish_reason"]],
        "usage": (
            u["prompt_tokens"],
            u["completion_tokens"],
            u.get("prompt_tokens_details", {}).get("cached_tokens", 0),
        ),
    }


def _claude_response(body: dict[str, Any]) -> dict[str, Any]:
    assert body["type"] == "message" and body["role"] == "assistant"
    u = body["usage"]
    prompt = (
        u["input_tokens"]
        + u.get("cache_read_input_tokens", 0)
        + u.get("cache_creation_input_tokens", 0)
    )
    return {
        "text": "".join(b["text"] for b in body["content"] if b["type"] == "text"),
        "calls": [
            (b["id"], b["name"], b["input"]) for b in body["content"] if b["type"] == "tool_use"
        ],
        "stop": _CLAUDE_STOP[body["stop_reason"]],
        "usage": (prompt, u["output_tokens"], u.get("cache_read_input_tokens", 0)),
    }


def _gemini_response(body: dict[str, Any]) -> dict[str, Any]:
    candidate = body["candidates"][0]
    parts = candidate["content"]["parts"]
    calls = [
        (p["functionCall"]["name"], p["functionCall"]["name"], p["functionCall"]["args"])
        for p in parts
        if "functionCall" in p
    ]
    finish = candidate["finishReason"]
    stop = {"STOP": "tool_use" if calls else "end_turn", "MAX_TOKENS": "max_tokens"}.get(
        finish, "content_filter"
    )
    u = body["usageMetadata"]
    return {
        "text": "".join(p["text"] for p in parts if "text" in p and not p.get("thought")),
        "calls": calls,
        "stop": stop,
        "usage": (
            u["promptTokenCount"],
            u.get("candidatesTokenCount", 0) + u.get("thoughtsTokenCount", 0),
            u.get("cachedContentTokenCount", 0),
        ),
    }


def _responses_response(body: dict[str, Any]) -> dict[str, Any]:
    assert body["object"] == "response"
    text = "".join(
        p["text"] for i in body["output"] if i["type"] == "message" for p in i["content"]
    )
    calls = [
        (i["call_id"], i["name"], _args(i["arguments"]))
        for i in body["output"]
        if i["type"] == "function_call"
    ]
    if body["status"] == "incomplete":
        stop = (
            "max_tokens"
            if body["incomplete_details"]["reason"] == "max_output_tokens"
            else "content_filter"
        )
    else:
        stop = "tool_use" if calls else "end_turn"
    u = body["usage"]
    assert "reasoning_tokens" in u["output_tokens_details"]
    return {
        "text": text,
        "calls": calls,
        "stop": stop,
        "usage": (
            u["input_tokens"],
            u["output_tokens"],
            u["input_tokens_details"]["cached_tokens"],
        ),
    }
