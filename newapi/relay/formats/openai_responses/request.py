"""OpenAI Responses API requests to and from the hub ``ChatRequest``.

``input`` items are grouped into turns: user/system messages and ``function_call_output``
items make user turns, assistant messages, ``function_call`` and ``reasoning`` items make
assistant turns. Items this codec does not model are kept as opaque blocks.
"""

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
    effort_for_budget,
    image_from_url,
    image_url,
    import_signature,
    unpack_signature,
)

__all__ = ["FORMAT", "decode_request", "encode_request"]

FORMAT = "openai_responses"

_KNOWN = {
    "model",
    "input",
    "instructions",
    "tools",
    "tool_choice",
    "max_output_tokens",
    "temperature",
    "top_p",
    "stream",
    "reasoning",
    "user",
    "parallel_tool_calls",
    "previous_response_id",
}
_ASSISTANT_ITEMS = {
    "function_call",
    "reasoning",
    "web_search_call",
    "file_search_call",
    "computer_call",
    "custom_tool_call",
    "local_shell_call",
    "image_generation_call",
}


# ---------------------------------------------------------------------------------------------
# decode


def _content(content: object) -> list[Block]:
    if isinstance(content, str):
        return [TextBlock(content)]
    blocks: list[Block] = []
    for part in content if isinstance(content, list) else ():
        if not isinstance(part, dict):
            continue
        kind = part.get("type")
        if kind in ("input_text", "output_text", "text"):
            blocks.append(TextBlock(as_str(part.get("text"))))
        elif kind == "refusal":
            blocks.append(TextBlock(as_str(part.get("refusal"))))
        elif kind == "input_image" and isinstance(part.get("image_url"), str):
            blocks.append(image_from_url(part["image_url"], as_str(part.get("detail"))))
        else:
            blocks.append(OpaqueBlock(FORMAT, part))
    return blocks


def _item(item: dict[str, Any]) -> tuple[str, list[Block]]:
    """The role (``system``, ``user``, ``assistant``) and blocks of one input item."""
    kind = item.get("type", "message")
    if kind == "message":
        role = as_str(item.get("role")) or "user"
        role = "system" if role == "developer" else role
        return (role if role in ("system", "assistant") else "user"), _content(item.get("content"))
    if kind == "function_call":
        call_id, signature = unpack_signature(as_str(item.get("call_id")))
        arguments = item.get("arguments")
        text = arguments if isinstance(arguments, str) else dumps(arguments or {})
        return "assistant", [
            ToolUseBlock(
                call_id, as_str(item.get("name")), text or "{}", signature, as_str(item.get("id"))
            )
        ]
    if kind == "function_call_output":
        call_id, _ = unpack_signature(as_str(item.get("call_id")))
        output = item.get("output")
        parts = [TextBlock(output)] if isinstance(output, str) else _content(output)
        content = tuple(p for p in parts if isinstance(p, TextBlock | ImageBlock))
        return "user", [ToolResultBlock(call_id, content)]
    if kind == "reasoning":
        summary = item.get("summary") or []
        text = "\n\n".join(as_str(s.get("text")) for s in summary if isinstance(s, dict))
        signature, origin = import_signature(as_str(item.get("encrypted_content")))
        return "assistant", [
            ThinkingBlock(text, signature, origin=origin or FORMAT, id=as_str(item.get("id")))
        ]
    role = "assistant" if kind in _ASSISTANT_ITEMS else "user"
    return role, [OpaqueBlock(FORMAT, item)]


def _input(raw: object) -> tuple[tuple[TextBlock, ...], tuple[Message, ...]]:
    if isinstance(raw, str):
        return (), (Message("user", (TextBlock(raw),)),)
    if not isinstance(raw, list):
        raise InvalidRequestError("input must be a string or an array", param="input")
    system: list[TextBlock] = []
    messages: list[Message] = []
    for item in raw:
        if not isinstance(item, dict):
            continue
        role, blocks = _item(item)
        if role == "system":
            system.extend(b for b in blocks if isinstance(b, TextBlock))
            continue
        if messages and messages[-1].role == role and _mergeable(messages[-1], blocks):
            messages[-1] = Message(role, (*messages[-1].content, *blocks))  # type: ignore[arg-type]  # role checked
        else:
            messages.append(Message(role, tuple(blocks)))  # type: ignore[arg-type]  # role checked
    return tuple(system), tuple(messages)


def _mergeable(previous: Message, blocks: list[Block]) -> bool:
    if previous.role == "assistant":
        return True  # message + function_call + reasoning items form one assistant turn
    return all(isinstance(b, ToolResultBlock) for b in (*previous.content, *blocks))


def _tools(raw: object) -> tuple[Tool, ...]:
    tools: list[Tool] = []
    for tool in raw if isinstance(raw, list) else ():
        if not isinstance(tool, dict):
            continue
        if tool.get("type") == "function":
            tools.append(
                Tool(
                    as_str(tool.get("name")),
                    as_str(tool.get("description")),
                    tool.get("parameters") or {},
                )
            )
        else:
            tools.append(
                Tool(as_str(tool.get("name") or tool.get("type")), raw=tool, raw_format=FORMAT)
            )
    return tuple(tools)


def _tool_choice(raw: object, parallel: object) -> ToolChoice | None:
    disable = parallel is False
    if isinstance(raw, str) and raw in ("auto", "none", "required"):
        return ToolChoice(raw, disable_parallel=disable)  # type: ignore[arg-type]  # checked
    if isinstance(raw, dict) and raw.get("type") == "function":
        return ToolChoice("tool", as_str(raw.get("name")), disable)
    return ToolChoice(disable_parallel=True) if disable else None


def decode_request(body: dict[str, Any]) -> ChatRequest:
    """A Responses API body as a ``ChatRequest`` (400 on a malformed body)."""
    system, messages = _input(body.get("input"))
    instructions = body.get("instructions")
    if isinstance(instructions, str) and instructions:
        system = (TextBlock(instructions), *system)
    reasoning = body.get("reasoning")
    hub_reasoning = None
    if isinstance(reasoning, dict):
        summary = reasoning.get("summary")
        hub_reasoning = Reasoning(
            effort=as_str(reasoning.get("effort")),
            include_thoughts=True if summary in ("auto", "concise", "detailed") else None,
        )
    return ChatRequest(
        model=as_str(body.get("model")),
        system=system,
        messages=messages,
        tools=_tools(body.get("tools")),
        tool_choice=_tool_choice(body.get("tool_choice"), body.get("parallel_tool_calls")),
        max_tokens=as_int(body.get("max_output_tokens")) or None,
        temperature=body.get("temperature"),
        top_p=body.get("top_p"),
        stream=body.get("stream") is True,
        reasoning=hub_reasoning,
        user=as_str(body.get("user")),
        previous_response_id=as_str(body.get("previous_response_id")),
        extra={FORMAT: {k: v for k, v in body.items() if k not in _KNOWN}},
    )


# ---------------------------------------------------------------------------------------------
# encode


def _encode_content(blocks: list[Block], role: str) -> list[dict[str, Any]]:
    text_type = "output_text" if role == "assistant" else "input_text"
    parts: list[dict[str, Any]] = []
    for block in blocks:
        if isinstance(block, TextBlock) and block.text:
            parts.append({"type": text_type, "text": block.text})
        elif isinstance(block, ImageBlock) and role == "user":
            part = {"type": "input_image", "image_url": image_url(block)}
            parts.append(part | ({"detail": block.detail} if block.detail else {}))
        elif _opaque_type(block).startswith(("input_", "output_")):
            parts.append(dict(block.raw))  # type: ignore[union-attr]  # an OpaqueBlock
    return parts


def _flush(items: list[dict[str, Any]], pending: list[Block], role: str) -> None:
    if pending:
        content = _encode_content(pending, role)
        if content:
            items.append({"type": "message", "role": role, "content": content})
        pending.clear()


def _encode_block(block: Block) -> dict[str, Any] | None:
    if isinstance(block, ToolUseBlock):
        item = {
            "type": "function_call",
            "call_id": block.id,
            "name": block.name,
            "arguments": block.arguments or "{}",
        }
        return item | ({"id": block.item_id} if block.item_id else {})
    if isinstance(block, ToolResultBlock):
        output: str | list[dict[str, Any]] = block.text
        if any(isinstance(p, ImageBlock) for p in block.content):
            output = _encode_content(list(block.content), "user")
        return {"type": "function_call_output", "call_id": block.tool_use_id, "output": output}
    if isinstance(block, ThinkingBlock):
        if block.origin != FORMAT or not block.signature:
            return None  # only OpenAI's own encrypted reasoning can be replayed
        summary = [{"type": "summary_text", "text": block.text}] if block.text else []
        item = {"type": "reasoning", "summary": summary, "encrypted_content": block.signature}
        return item | ({"id": block.id} if block.id else {})
    if _opaque_type(block).endswith(("_call", "_output", "item_reference")):
        return dict(block.raw)  # type: ignore[union-attr]  # an OpaqueBlock
    return None


def _opaque_type(block: Block) -> str:
    """The ``type`` of a Responses opaque block ("" for anything else)."""
    if isinstance(block, OpaqueBlock) and block.format == FORMAT:
        return str(block.raw.get("type") or "")
    return ""


def _encode_input(req: ChatRequest) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for message in req.messages:
        pending: list[Block] = []
        for block in message.content:
            item = _encode_block(block)
            if item is not None:
                _flush(items, pending, message.role)
                items.append(item)
            elif isinstance(block, TextBlock | ImageBlock | OpaqueBlock):
                pending.append(block)
        _flush(items, pending, message.role)
    return items


def _encode_tools(req: ChatRequest) -> list[dict[str, Any]]:
    tools: list[dict[str, Any]] = []
    for tool in req.tools:
        if tool.raw:
            if tool.raw_format == FORMAT:
                tools.append(dict(tool.raw))
            continue
        out: dict[str, Any] = {"type": "function", "name": tool.name}
        if tool.description:
            out["description"] = tool.description
        out["parameters"] = dict(tool.parameters) or {"type": "object", "properties": {}}
        tools.append(out)
    return tools


def _encode_reasoning(req: ChatRequest) -> dict[str, Any] | None:
    reasoning = req.reasoning
    if reasoning is None:
        return None
    effort = reasoning.effort
    if not effort and reasoning.budget_tokens is not None:
        effort = effort_for_budget(reasoning.budget_tokens)
    if reasoning.enabled is False:
        effort = "none"
    out: dict[str, Any] = {}
    if effort and (budget_for_effort(effort) is not None or effort == "none"):
        out["effort"] = effort
    if reasoning.include_thoughts:
        out["summary"] = "auto"
    return out or None


def _encode_choice(out: dict[str, Any], choice: ToolChoice | None) -> None:
    if choice is None or "tools" not in out:
        return  # tool_choice without tools is a 400 upstream
    if choice.mode == "tool":
        out["tool_choice"] = {"type": "function", "name": choice.name}
    else:
        out["tool_choice"] = choice.mode
    if choice.disable_parallel:
        out["parallel_tool_calls"] = False


def encode_request(req: ChatRequest, upstream_model: str) -> dict[str, Any]:
    """The ``ChatRequest`` as a Responses API body for ``upstream_model``.

    Stop sequences are dropped (the Responses API has none)."""
    out: dict[str, Any] = {"model": upstream_model}
    instructions = "\n".join(b.text for b in req.system if b.text)
    if instructions:
        out["instructions"] = instructions
    out["input"] = _encode_input(req)
    tools = _encode_tools(req)
    if tools:
        out["tools"] = tools
    _encode_choice(out, req.tool_choice)
    if req.max_tokens:
        out["max_output_tokens"] = req.max_tokens
    copy_sampling(out, req, {"temperature": "temperature", "top_p": "top_p"})
    reasoning = _encode_reasoning(req)
    if reasoning:
        out["reasoning"] = reasoning
    if req.user:
        out["user"] = req.user
    if req.previous_response_id:
        out["previous_response_id"] = req.previous_response_id
    if req.stream:
        out["stream"] = True
    for key, value in req.extra_for(FORMAT).items():
        out.setdefault(key, value)
    return out
