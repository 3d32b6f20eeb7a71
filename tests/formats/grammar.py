"""Client-side stream grammars: each validator asserts the event order a real SDK relies on
and returns what a client would reconstruct (text, thinking, tool calls, stop, usage)."""

from __future__ import annotations

from typing import Any

import orjson

from newapi.relay.sse import SSEDecoder


def events(raw: bytes) -> list[tuple[str | None, bytes]]:
    decoder = SSEDecoder()
    out = decoder.feed(raw) + decoder.flush()
    return [(e.decode() if e else None, d) for e, d in out]


def validate(fmt: str, raw: bytes) -> dict[str, Any]:
    return {
        "openai_chat": chat,
        "anthropic_messages": anthropic,
        "gemini": gemini,
        "openai_responses": responses,
    }[fmt](raw)


def anthropic(raw: bytes) -> dict[str, Any]:
    evs = [(name, orjson.loads(data)) for name, data in events(raw)]
    for name, payload in evs:
        assert name == payload["type"], "event: line must match the JSON type"
    kinds = [p["type"] for _, p in evs if p["type"] != "ping"]
    assert kinds[0] == "message_start", kinds
    assert kinds[-1] == "message_stop", kinds
    assert kinds[-2] == "message_delta", kinds
    assert kinds.count("message_delta") == 1 and kinds.count("message_stop") == 1
    start = evs[0][1]["message"]
    assert start["role"] == "assistant" and start["content"] == [] and "usage" in start
    assert "input_tokens" in start["usage"]
    blocks: dict[int, dict[str, Any]] = {}
    open_: set[int] = set()
    for _, p in evs:
        if p["type"] == "content_block_start":
            assert p["index"] == len(blocks), "block indexes start at 0 and grow by one"
            assert not open_, "Claude streams one block at a time"
            blocks[p["index"]] = dict(p["content_block"]) | {"_json": "", "_text": ""}
            open_.add(p["index"])
        elif p["type"] == "content_block_delta":
            assert p["index"] in open_, "delta for a block that is not open"
            block, delta = blocks[p["index"]], p["delta"]
            expected = {
                "text_delta": "text",
                "thinking_delta": "thinking",
                "signature_delta": "thinking",
                "input_json_delta": "tool_use",
            }[delta["type"]]
            assert block["type"] == expected, (block["type"], delta["type"])
            if delta["type"] == "text_delta":
                block["_text"] += delta["text"]
            elif delta["type"] == "thinking_delta":
                block["_text"] += delta["thinking"]
            elif delta["type"] == "signature_delta":
                block["signature"] = delta["signature"]
            else:
                block["_json"] += delta["partial_json"]
        elif p["type"] == "content_block_stop":
            assert p["index"] in open_
            open_.remove(p["index"])
        elif p["type"] == "message_delta":
            assert not open_, "every block is stopped before message_delta"
    delta = next(p for _, p in evs if p["type"] == "message_delta")
    u = delta["usage"]
    prompt = u["input_tokens"] + u["cache_read_input_tokens"] + u["cache_creation_input_tokens"]
    ordered = [blocks[i] for i in sorted(blocks)]
    return {
        "text": "".join(b["_text"] for b in ordered if b["type"] == "text"),
        "thinking": "".join(b["_text"] for b in ordered if b["type"] == "thinking"),
        "signatures": [b.get("signature", "") for b in ordered if b["type"] == "thinking"],
        "calls": [
            (b["id"], b["name"], orjson.loads(b["_json"] or "{}"))
            for b in ordered
            if b["type"] == "tool_use"
        ],
        "stop": {"stop_sequence": "end_turn", "refusal": "content_filter"}.get(
            delta["delta"]["stop_reason"], delta["delta"]["stop_reason"]
        ),
        "usage": (prompt, u["output_tokens"], u["cache_read_input_tokens"]),
    }


def chat(raw: bytes) -> dict[str, Any]:
    evs = events(raw)
    assert all(name is None for name, _ in evs)
    assert evs[-1][1] == b"[DONE]"
    chunks = [orjson.loads(d) for _, d in evs[:-1]]
    ids = {c["id"] for c in chunks}
    assert len(ids) == 1 and next(iter(ids)).startswith("chatcmpl-")
    assert all(c["object"] == "chat.completion.chunk" for c in chunks)
    assert chunks[0]["choices"][0]["delta"].get("role") == "assistant"
    text = thinking = ""
    calls: dict[int, dict[str, Any]] = {}
    finishes = []
    usage = None
    for c in chunks:
        if not c["choices"]:
            usage = c["usage"]
            continue
        choice = c["choices"][0]
        delta = choice["delta"]
        text += delta.get("content") or ""
        thinking += delta.get("reasoning_content") or ""
        for call in delta.get("tool_calls") or ():
            if call["index"] not in calls:
                assert call["index"] == len(calls), "tool indexes start at 0 and grow by one"
                assert call["id"] and call["function"]["name"], "first delta carries id and name"
                calls[call["index"]] = {
                    "id": call["id"],
                    "name": call["function"]["name"],
                    "args": "",
                }
            calls[call["index"]]["args"] += call["function"].get("arguments") or ""
        if choice["finish_reason"]:
            finishes.append(choice["finish_reason"])
    assert len(finishes) == 1, finishes
    assert usage is not None and chunks[-1]["choices"] == [], "usage chunk comes last"
    stop = {"stop": "end_turn", "length": "max_tokens", "tool_calls": "tool_use"}.get(
        finishes[0], finishes[0]
    )
    return {
        "text": text,
        "thinking": thinking,
        "signatures": [],
        "calls": [(c["id"], c["name"], orjson.loads(c["args"] or "{}")) for c in calls.values()],
        "stop": stop,
        "usage": (
            usage["prompt_tokens"],
            usage["completion_tokens"],
            usage["prompt_tokens_details"]["cached_tokens"],
        ),
    }


def gemini(raw: bytes) -> dict[str, Any]:
    evs = events(raw)
    assert all(name is None for name, _ in evs)
    chunks = [orjson.loads(d) for _, d in evs]
    text = thinking = ""
    calls = []
    signatures = []
    for c in chunks:
        candidate = c["candidates"][0]
        assert candidate["content"]["role"] == "model"
        for p in candidate["content"]["parts"]:
            if "functionCall" in p:
                calls.append(
                    (
                        p["functionCall"]["name"],
                        p["functionCall"]["name"],
                        p["functionCall"]["args"],
                    )
                )
                signatures.append(p.get("thoughtSignature", ""))
            elif p.get("thought"):
                thinking += p.get("text", "")
            else:
                text += p["text"]
    finishes = [c["candidates"][0].get("finishReason") for c in chunks]
    assert all(f is None for f in finishes[:-1]) and finishes[-1], (
        "finishReason only on the last chunk"
    )
    u = chunks[-1]["usageMetadata"]
    stop = {"STOP": "tool_use" if calls else "end_turn", "MAX_TOKENS": "max_tokens"}.get(
        finishes[-1], "content_filter"
    )
    return {
        "text": text,
        "thinking": thinking,
        "signatures": signatures,
        "calls": calls,
        "stop": stop,
        "usage": (
            u["promptTokenCount"],
            u["candidatesTokenCount"] + u.get("thoughtsTokenCount", 0),
            u.get("cachedContentTokenCount", 0),
        ),
    }


_RESPONSE_FIELDS = {
    "id",
    "object",
    "created_at",
    "status",
    "error",
    "incomplete_details",
    "instructions",
    "model",
    "output",
    "parallel_tool_calls",
    "temperature",
    "tool_choice",
    "tools",
    "top_p",
    "usage",
    "metadata",
}


def responses(raw: bytes) -> dict[str, Any]:
    evs = [(name, orjson.loads(data)) for name, data in events(raw)]
    for name, payload in evs:
        assert name == payload["type"]
    seq = [p["sequence_number"] for _, p in evs]
    assert seq == list(range(len(seq))), "sequence numbers start at 0 and increase by one"
    kinds = [p["type"] for _, p in evs]
    assert kinds[:2] == ["response.created", "response.in_progress"], kinds[:2]
    assert kinds[-1] in ("response.completed", "response.incomplete"), kinds[-1]
    assert (
        sum(k in ("response.completed", "response.incomplete", "response.failed") for k in kinds)
        == 1
    )
    items: dict[int, dict[str, Any]] = {}
    done: dict[int, dict[str, Any]] = {}
    text: dict[int, str] = {}
    for _, p in evs[2:-1]:
        kind = p["type"]
        if kind == "response.output_item.added":
            assert p["output_index"] == len(items), "output indexes grow by one"
            items[p["output_index"]] = p["item"]
            text[p["output_index"]] = ""
            continue
        index = p["output_index"]
        assert index in items and index not in done, (kind, index)
        if "item_id" in p:
            assert p["item_id"] == items[index]["id"]
        if kind == "response.output_text.delta":
            assert items[index]["type"] == "message"
            text[index] += p["delta"]
        elif kind == "response.output_text.done":
            assert p["text"] == text[index]
        elif kind == "response.function_call_arguments.delta":
            assert items[index]["type"] == "function_call"
            text[index] += p["delta"]
        elif kind == "response.function_call_arguments.done":
            assert p["arguments"] == (text[index] or "{}")
        elif kind == "response.reasoning_summary_text.delta":
            assert items[index]["type"] == "reasoning"
            text[index] += p["delta"]
        elif kind == "response.output_item.done":
            done[index] = p["item"]
    assert set(done) == set(items), "every added item is done before the response completes"
    final = evs[-1][1]["response"]
    assert set(final) >= _RESPONSE_FIELDS, _RESPONSE_FIELDS - set(final)
    assert final["output"] == [done[i] for i in sorted(done)]
    u = final["usage"]
    assert isinstance(u["output_tokens_details"]["reasoning_tokens"], int)
    assert isinstance(u["input_tokens_details"]["cached_tokens"], int)
    output = final["output"]
    calls = [
        (i["call_id"], i["name"], orjson.loads(i["arguments"]))
        for i in output
        if i["type"] == "function_call"
    ]
    if final["status"] == "incomplete":
        stop = (
            "max_tokens"
            if final["incomplete_details"]["reason"] == "max_output_tokens"
            else "content_filter"
        )
    else:
        stop = "tool_use" if calls else "end_turn"
    return {
        "text": "".join(p["text"] for i in output if i["type"] == "message" for p in i["content"]),
        "thinking": "".join(
            s["text"] for i in output if i["type"] == "reasoning" for s in i["summary"]
        ),
        "signatures": [i.get("encrypted_content", "") for i in output if i["type"] == "reasoning"],
        "calls": calls,
        "stop": stop,
        "usage": (
            u["input_tokens"],
            u["output_tokens"],
            u["input_tokens_details"]["cached_tokens"],
        ),
    }
