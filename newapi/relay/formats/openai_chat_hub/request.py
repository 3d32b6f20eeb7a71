"""OpenAI chat completions requests to and from the hub ``ChatRequest``."""

from __future__ import annotations

from typing import Any

from newapi.errors import InvalidRequestError
from newapi.relay.canonical import (
    Block,
    ChatRequest,
    ImageBlock,
    Message,
    OpaqueBlock,
    Reasoning,
    TextBlock,
    ThinkingBlock,
    Tool,
    ToolChoice,
    ToolResultBlock,
    ToolUseBlock,
)
from newapi.relay.formats.conversion import (
    as_int,
    as_str,
    budget_for_effort,
    copy_sampling,
    dumps,
    image_from_url,
    image_url,
    join_text,
    reject_response_state,
    require_dict,
    unpack_signature,
)

__all__ = ["FORMAT", "MAX_STOP_SEQUENCES", "decode_request", "encode_request"]

FORMAT = "openai_chat"
MAX_STOP_SEQUENCES = 4
"""OpenAI accepts at most 4 stop sequences; the rest are dropped."""

_KNOWN = {
    "model",
    "messages",
    "tools",
    "tool_choice",
    "max_tokens",
    "max_completion_tokens",
    "temperature",
    "top_p",
    "top_k",
    "stop",
    "stream",
    "stream_options",
    "reasoning_effort",
    "user",
    "parallel_tool_calls",
    "functions",
    "function_call",
}


# ---------------------------------------------------------------------------------------------
# decode


def _parts(content: object, where: str) -> list[Block]:
    if content is None:
        return []
    if isinstance(content, str):
        return [TextBlock(content)] if content else []
    if not isinstance(content, list):
        raise InvalidRequestError(f"{where}.content must be a string or an array", param=where)
    blocks: list[Block] = []
    for part in content:
        if not isinstance(part, dict):
            continue
        kind = part.get("type")
        cache = part.get("cache_control") or {}
        if kind == "text":
            blocks.append(TextBlock(as_str(part.get("text")), cache_control=cache))
        elif kind == "image_url":
            image = part.get("image_url")
            url = image.get("url") if isinstance(image, dict) else image
            detail = as_str(image.get("detail")) if isinstance(image, dict) else ""
            if isinstance(url, str) and url:
                blocks.append(image_from_url(url, detail, cache))
        else:
            blocks.append(OpaqueBlock(FORMAT, part))
    return blocks


def _tool_calls(calls: object) -> list[Block]:
    blocks: list[Block] = []
    for call in calls if isinstance(calls, list) else ():
        if not isinstance(call, dict):
            continue
        function = call.get("function") or {}
        arguments = function.get("arguments")
        if not isinstance(arguments, str):  # some clients send an object
            arguments = dumps(arguments if arguments is not None else {})
        call_id, signature = unpack_signature(as_str(call.get("id")))
        blocks.append(
            ToolUseBlock(call_id, as_str(function.get("name")), arguments or "{}", signature)
        )
    return blocks


def _messages(raw: list[Any]) -> tuple[tuple[TextBlock, ...], tuple[Message, ...]]:
    system: list[TextBlock] = []
    messages: list[Message] = []
    for i, item in enumerate(raw):
        message = require_dict(item, f"messages[{i}]")
        role = message.get("role") or "user"
        where = f"messages[{i}]"
        if role in ("system", "developer"):
            system.extend(
                b for b in _parts(message.get("content"), where) if isinstance(b, TextBlock)
            )
        elif role in ("tool", "function"):
            content = message.get("content")
            parts = (
                _parts(content, where)
                if isinstance(content, list)
                else ([TextBlock(content)] if isinstance(content, str) else [])
            )
            call_id, _ = unpack_signature(as_str(message.get("tool_call_id")))
            result = ToolResultBlock(
                call_id or as_str(message.get("name")),
                tuple(p for p in parts if isinstance(p, TextBlock | ImageBlock)),
                name=as_str(message.get("name")),
            )
            if (
                messages
                and messages[-1].role == "user"
                and all(isinstance(b, ToolResultBlock) for b in messages[-1].content)
            ):
                messages[-1] = Message("user", (*messages[-1].content, result))
            else:
                messages.append(Message("user", (result,)))
        elif role == "assistant":
            blocks: list[Block] = []
            reasoning = message.get("reasoning_content") or message.get("reasoning")
            if isinstance(reasoning, str) and reasoning:
                blocks.append(ThinkingBlock(reasoning))
            blocks.extend(_parts(message.get("content"), where))
            blocks.extend(_tool_calls(message.get("tool_calls")))
            messages.append(Message("assistant", tuple(blocks)))
        else:
            messages.append(Message("user", tuple(_parts(message.get("content"), where))))
    return tuple(system), tuple(messages)


def _tools(raw: object) -> tuple[Tool, ...]:
    tools: list[Tool] = []
    for tool in raw if isinstance(raw, list) else ():
        if not isinstance(tool, dict):
            continue
        function = tool.get("function")
        if tool.get("type", "function") == "function" and isinstance(function, dict):
            tools.append(
                Tool(
                    as_str(function.get("name")),
                    as_str(function.get("description")),
                    function.get("parameters") or {},
                    cache_control=tool.get("cache_control") or {},
                )
            )
        else:
            tools.append(Tool(as_str(tool.get("type")), raw=tool, raw_format=FORMAT))
    return tuple(tools)


def _tool_choice(raw: object, parallel: object) -> ToolChoice | None:
    disable = parallel is False
    if isinstance(raw, str) and raw in ("auto", "none", "required"):
        return ToolChoice(raw, disable_parallel=disable)  # type: ignore[arg-type]  # checked
    if isinstance(raw, dict):
        name = as_str((raw.get("function") or {}).get("name"))
        return ToolChoice("tool", name, disable)
    return ToolChoice(disable_parallel=True) if disable else None


def _stop(raw: object) -> tuple[str, ...]:
    if isinstance(raw, str):
        return (raw,) if raw else ()
    if isinstance(raw, list):
        return tuple(s for s in raw if isinstance(s, str) and s)
    return ()


def decode_request(body: dict[str, Any]) -> ChatRequest:
    """An OpenAI chat completions body as a ``ChatRequest`` (400 on a malformed body)."""
    raw = body.get("messages")
    if not isinstance(raw, list):
        raise InvalidRequestError("messages must be an array", param="messages")
    system, messages = _messages(raw)
    effort = as_str(body.get("reasoning_effort"))
    options = body.get("stream_options")
    include_usage = not (isinstance(options, dict) and options.get("include_usage") is False)
    max_tokens = body.get("max_completion_tokens") or body.get("max_tokens")
    return ChatRequest(
        model=as_str(body.get("model")),
        system=system,
        messages=messages,
        tools=_tools(body.get("tools")),
        tool_choice=_tool_choice(body.get("tool_choice"), body.get("parallel_tool_calls")),
        max_tokens=as_int(max_tokens) or None,
        temperature=body.get("temperature"),
        top_p=body.get("top_p"),
        top_k=body.get("top_k"),
        stop=_stop(body.get("stop")),
        stream=body.get("stream") is True,
        include_usage=include_usage,
        reasoning=Reasoning(effort=effort) if effort else None,
        user=as_str(body.get("user")),
        extra={FORMAT: {k: v for k, v in body.items() if k not in _KNOWN}},
    )


# ---------------------------------------------------------------------------------------------
# encode


def _content(blocks: list[Block]) -> str | list[dict[str, Any]]:
    if all(isinstance(b, TextBlock) for b in blocks):
        return join_text(blocks)
    parts: list[dict[str, Any]] = []
    for block in blocks:
        if isinstance(block, TextBlock) and block.text:
            parts.append({"type": "text", "text": block.text})
        elif isinstance(block, ImageBlock):
            image: dict[str, Any] = {"url": image_url(block)}
            if block.detail:
                image["detail"] = block.detail
            parts.append({"type": "image_url", "image_url": image})
        elif isinstance(block, OpaqueBlock) and block.format == FORMAT:
            parts.append(dict(block.raw))
    return parts


def _assistant(message: Message) -> dict[str, Any]:
    out: dict[str, Any] = {"role": "assistant"}
    body = [b for b in message.content if isinstance(b, TextBlock | ImageBlock | OpaqueBlock)]
    calls = [b for b in message.content if isinstance(b, ToolUseBlock)]
    thinking = "".join(b.text for b in message.content if isinstance(b, ThinkingBlock))
    content = _content(body)
    out["content"] = content if content or not calls else None
    if thinking:
        out["reasoning_content"] = thinking
    if calls:
        out["tool_calls"] = [
            {
                "id": call.id,
                "type": "function",
                "function": {"name": call.name, "arguments": call.arguments or "{}"},
            }
            for call in calls
        ]
    return out


def _user(message: Message) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    pending: list[Block] = []
    for block in message.content:
        if isinstance(block, ToolResultBlock):
            if pending:
                out.append({"role": "user", "content": _content(pending)})
                pending = []
            text = block.text
            if not text and block.content:
                text = "[image]"  # chat tool messages carry text only
            out.append({"role": "tool", "tool_call_id": block.tool_use_id, "content": text})
        elif not isinstance(block, ThinkingBlock | ToolUseBlock):
            pending.append(block)
    if pending:
        out.append({"role": "user", "content": _content(pending)})
    return out


def _encode_tools(req: ChatRequest) -> list[dict[str, Any]]:
    tools: list[dict[str, Any]] = []
    for tool in req.tools:
        if tool.raw:
            if tool.raw_format == FORMAT:
                tools.append(dict(tool.raw))
            continue
        function: dict[str, Any] = {"name": tool.name}
        if tool.description:
            function["description"] = tool.description
        function["parameters"] = dict(tool.parameters) or {"type": "object", "properties": {}}
        tools.append({"type": "function", "function": function})
    return tools


def _encode_choice(out: dict[str, Any], choice: ToolChoice | None) -> None:
    if choice is None or "tools" not in out:
        return  # tool_choice without tools is a 400 upstream
    if choice.mode == "tool":
        out["tool_choice"] = {"type": "function", "function": {"name": choice.name}}
    else:
        out["tool_choice"] = choice.mode
    if choice.disable_parallel:
        out["parallel_tool_calls"] = False


def encode_request(req: ChatRequest, upstream_model: str) -> dict[str, Any]:
    """The ``ChatRequest`` as an OpenAI chat completions body for ``upstream_model``."""
    reject_response_state(req)
    messages: list[dict[str, Any]] = []
    if req.system:
        messages.append({"role": "system", "content": join_text(req.system, "\n")})
    for message in req.messages:
        if message.role == "assistant":
            messages.append(_assistant(message))
        else:
            messages.extend(_user(message))
    out: dict[str, Any] = {"model": upstream_model, "messages": messages}
    tools = _encode_tools(req)
    if tools:
        out["tools"] = tools
    _encode_choice(out, req.tool_choice)
    if req.max_tokens:
        out["max_tokens"] = req.max_tokens
    copy_sampling(out, req, {"temperature": "temperature", "top_p": "top_p"})
    if req.stop:
        out["stop"] = list(req.stop[:MAX_STOP_SEQUENCES])
    # Only an effort the client named: a budget (Claude, Gemini) says nothing about whether
    # the chat model accepts reasoning_effort, and non-reasoning models reject it.
    effort = req.reasoning.effort if req.reasoning is not None else ""
    if effort and budget_for_effort(effort) is not None:
        out["reasoning_effort"] = effort
    if req.user:
        out["user"] = req.user
    if req.stream:
        out["stream"] = True
        out["stream_options"] = {"include_usage": True}
    for key, value in req.extra_for(FORMAT).items():
        out.setdefault(key, value)
    return out
