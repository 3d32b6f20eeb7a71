"""Anthropic Messages requests to and from the hub ``ChatRequest``."""

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
    import_signature,
    json_object,
    reject_response_state,
    require_dict,
    unpack_signature,
)

__all__ = ["DEFAULT_MAX_TOKENS", "FORMAT", "decode_request", "encode_request"]

FORMAT = "anthropic_messages"
DEFAULT_MAX_TOKENS = 8192
"""``max_tokens`` is required by Claude; spec §4.3's ``default_max_tokens`` default."""

_KNOWN = {
    "model",
    "messages",
    "system",
    "tools",
    "tool_choice",
    "max_tokens",
    "temperature",
    "top_p",
    "top_k",
    "stop_sequences",
    "stream",
    "metadata",
}


# ---------------------------------------------------------------------------------------------
# decode


def _image(source: dict[str, Any], cache: dict[str, Any]) -> Block:
    if source.get("type") == "base64":
        return ImageBlock(
            media_type=as_str(source.get("media_type")),
            data=as_str(source.get("data")),
            cache_control=cache,
        )
    if source.get("type") == "url":
        return ImageBlock(url=as_str(source.get("url")), cache_control=cache)
    return OpaqueBlock(FORMAT, {"type": "image", "source": source})


def _result_content(content: object) -> tuple[TextBlock | ImageBlock, ...]:
    if isinstance(content, str):
        return (TextBlock(content),)
    parts: list[TextBlock | ImageBlock] = []
    for part in content if isinstance(content, list) else ():
        if isinstance(part, dict) and part.get("type") == "text":
            parts.append(TextBlock(as_str(part.get("text"))))
        elif isinstance(part, dict) and part.get("type") == "image":
            image = _image(part.get("source") or {}, {})
            if isinstance(image, ImageBlock):
                parts.append(image)
    return tuple(parts)


def _block(part: dict[str, Any]) -> Block:  # one branch per block type
    kind = part.get("type")
    cache = part.get("cache_control") or {}
    if kind == "text":
        return TextBlock(as_str(part.get("text")), cache_control=cache)
    if kind == "image":
        return _image(part.get("source") or {}, cache)
    if kind == "tool_use":
        call_id, signature = unpack_signature(as_str(part.get("id")))
        return ToolUseBlock(
            call_id,
            as_str(part.get("name")),
            dumps(part.get("input") or {}),
            signature,
            cache_control=cache,
        )
    if kind == "tool_result":
        call_id, _ = unpack_signature(as_str(part.get("tool_use_id")))
        return ToolResultBlock(
            call_id,
            _result_content(part.get("content")),
            is_error=part.get("is_error") is True,
            cache_control=cache,
        )
    if kind == "thinking":
        signature, origin = import_signature(as_str(part.get("signature")))
        return ThinkingBlock(as_str(part.get("thinking")), signature, origin=origin)
    if kind == "redacted_thinking":
        return ThinkingBlock(redacted=as_str(part.get("data")))
    return OpaqueBlock(FORMAT, part)


def _content(content: object, where: str) -> tuple[Block, ...]:
    if isinstance(content, str):
        return (TextBlock(content),)
    if not isinstance(content, list):
        raise InvalidRequestError(f"{where}.content must be a string or an array", param=where)
    return tuple(_block(part) for part in content if isinstance(part, dict))


def _system(raw: object) -> tuple[TextBlock, ...]:
    if isinstance(raw, str):
        return (TextBlock(raw),) if raw else ()
    blocks = _content(raw, "system") if isinstance(raw, list) else ()
    return tuple(b for b in blocks if isinstance(b, TextBlock))


def _tools(raw: object) -> tuple[Tool, ...]:
    tools: list[Tool] = []
    for tool in raw if isinstance(raw, list) else ():
        if not isinstance(tool, dict):
            continue
        if tool.get("type") in (None, "custom"):
            tools.append(
                Tool(
                    as_str(tool.get("name")),
                    as_str(tool.get("description")),
                    tool.get("input_schema") or {},
                    cache_control=tool.get("cache_control") or {},
                )
            )
        else:  # server tools: web_search_20250305, bash_20250124, ...
            tools.append(Tool(as_str(tool.get("name")), raw=tool, raw_format=FORMAT))
    return tuple(tools)


def _tool_choice(raw: object) -> ToolChoice | None:
    if not isinstance(raw, dict):
        return None
    disable = raw.get("disable_parallel_tool_use") is True
    mode = {"auto": "auto", "any": "required", "none": "none", "tool": "tool"}.get(
        as_str(raw.get("type")), "auto"
    )
    return ToolChoice(mode, as_str(raw.get("name")), disable)  # type: ignore[arg-type]  # mapped


def _reasoning(body: dict[str, Any]) -> Reasoning | None:
    thinking = body.get("thinking")
    effort = as_str((body.get("output_config") or {}).get("effort"))
    if isinstance(thinking, dict):
        kind = thinking.get("type")
        if kind == "disabled":
            return Reasoning(enabled=False)
        budget = as_int(thinking.get("budget_tokens")) or None
        return Reasoning(effort=effort, budget_tokens=budget, include_thoughts=True, enabled=True)
    return Reasoning(effort=effort) if effort else None


def decode_request(body: dict[str, Any]) -> ChatRequest:
    """An Anthropic Messages body as a ``ChatRequest`` (400 on a malformed body)."""
    raw = body.get("messages")
    if not isinstance(raw, list):
        raise InvalidRequestError("messages must be an array", param="messages")
    messages = []
    for i, item in enumerate(raw):
        message = require_dict(item, f"messages[{i}]")
        role = "assistant" if message.get("role") == "assistant" else "user"
        messages.append(Message(role, _content(message.get("content"), f"messages[{i}]")))
    stop = body.get("stop_sequences")
    metadata = body.get("metadata")
    extra = {k: v for k, v in body.items() if k not in _KNOWN}
    if isinstance(metadata, dict):
        extra["metadata"] = metadata
    return ChatRequest(
        model=as_str(body.get("model")),
        system=_system(body.get("system")),
        messages=tuple(messages),
        tools=_tools(body.get("tools")),
        tool_choice=_tool_choice(body.get("tool_choice")),
        max_tokens=as_int(body.get("max_tokens")) or None,
        temperature=body.get("temperature"),
        top_p=body.get("top_p"),
        top_k=body.get("top_k"),
        stop=tuple(s for s in stop if isinstance(s, str)) if isinstance(stop, list) else (),
        stream=body.get("stream") is True,
        reasoning=_reasoning(body),
        user=as_str(metadata.get("user_id")) if isinstance(metadata, dict) else "",
        extra={FORMAT: extra},
    )


# ---------------------------------------------------------------------------------------------
# encode


def _with_cache(out: dict[str, Any], cache: object) -> dict[str, Any]:
    if cache:
        out["cache_control"] = dict(cache)  # type: ignore[call-overload]  # a Mapping
    return out


def _encode_image(block: ImageBlock) -> dict[str, Any]:
    if block.url:
        source: dict[str, Any] = {"type": "url", "url": block.url}
    else:
        source = {"type": "base64", "media_type": block.media_type, "data": block.data}
    return _with_cache({"type": "image", "source": source}, block.cache_control)


def _encode_block(block: Block) -> dict[str, Any] | None:  # noqa: C901  # one branch per type
    if isinstance(block, TextBlock):
        if not block.text:  # "text content blocks must be non-empty" (new-api#1854)
            return None
        return _with_cache({"type": "text", "text": block.text}, block.cache_control)
    if isinstance(block, ImageBlock):
        return _encode_image(block)
    if isinstance(block, ToolUseBlock):
        out = {
            "type": "tool_use",
            "id": block.id,
            "name": block.name,
            "input": json_object(block.arguments),
        }
        return _with_cache(out, block.cache_control)
    if isinstance(block, ToolResultBlock):
        content = [b for b in (_encode_block(p) for p in block.content) if b]
        result: dict[str, Any] = {"type": "tool_result", "tool_use_id": block.tool_use_id}
        if content:
            result["content"] = content
        if block.is_error:
            result["is_error"] = True
        return _with_cache(result, block.cache_control)
    if isinstance(block, ThinkingBlock):
        if block.origin not in ("", FORMAT):
            return None  # another provider's reasoning cannot be replayed to Claude
        if block.redacted:
            return {"type": "redacted_thinking", "data": block.redacted}
        if not block.signature:
            return None  # Claude rejects unsigned thinking in history
        return {"type": "thinking", "thinking": block.text, "signature": block.signature}
    if isinstance(block, OpaqueBlock) and block.format == FORMAT:
        return dict(block.raw)
    return None


def _encode_messages(req: ChatRequest) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for message in req.messages:
        blocks = [b for b in (_encode_block(block) for block in message.content) if b]
        if not blocks:
            continue
        if out and out[-1]["role"] == message.role:  # Claude wants alternating turns
            out[-1]["content"].extend(blocks)
        else:
            out.append({"role": message.role, "content": blocks})
    if not out or out[0]["role"] != "user":
        out.insert(0, {"role": "user", "content": [{"type": "text", "text": "..."}]})
    return out


def _encode_tools(req: ChatRequest) -> list[dict[str, Any]]:
    tools: list[dict[str, Any]] = []
    for tool in req.tools:
        if tool.raw:
            if tool.raw_format == FORMAT:
                tools.append(dict(tool.raw))
            continue
        out: dict[str, Any] = {"name": tool.name}
        if tool.description:
            out["description"] = tool.description
        out["input_schema"] = dict(tool.parameters) or {"type": "object", "properties": {}}
        tools.append(_with_cache(out, tool.cache_control))
    return tools


def _encode_choice(choice: ToolChoice) -> dict[str, Any]:
    kind = {"auto": "auto", "required": "any", "none": "none", "tool": "tool"}[choice.mode]
    out: dict[str, Any] = {"type": kind}
    if choice.mode == "tool":
        out["name"] = choice.name
    if choice.disable_parallel and choice.mode != "none":
        out["disable_parallel_tool_use"] = True
    return out


def _unsigned_tool_turn(req: ChatRequest) -> bool:
    """The last assistant turn calls tools without a thinking block Claude can verify.

    With thinking on, Claude rejects such a turn ("a final assistant message must start with
    a thinking block"); history from another provider never has Claude's signatures.
    """
    for message in reversed(req.messages):
        if message.role != "assistant":
            continue
        if not any(isinstance(b, ToolUseBlock) for b in message.content):
            return False
        first = next((b for b in message.content if _encode_block(b) is not None), None)
        return not isinstance(first, ThinkingBlock)
    return False


def _encode_reasoning(out: dict[str, Any], req: ChatRequest) -> None:
    reasoning = req.reasoning
    if reasoning is None or reasoning.enabled is False or reasoning.effort == "none":
        return
    if _unsigned_tool_turn(req):
        return  # thinking stays off for this tool loop rather than failing with a 400
    if out.get("tool_choice", {}).get("type") in ("any", "tool"):
        return  # Claude allows thinking only with tool_choice auto or none
    budget = reasoning.budget_tokens or budget_for_effort(reasoning.effort)
    if budget is None and reasoning.enabled:
        budget = budget_for_effort("medium")
    if budget is None:
        return
    budget = max(budget, 1024)  # Claude's minimum
    if out["max_tokens"] <= budget:
        out["max_tokens"] = budget + max(1024, out["max_tokens"])
    out["thinking"] = {"type": "enabled", "budget_tokens": budget}
    out.pop("temperature", None)  # thinking requires the default temperature (spec §4.3)
    out.pop("top_p", None)
    out.pop("top_k", None)


def encode_request(req: ChatRequest, upstream_model: str) -> dict[str, Any]:
    """The ``ChatRequest`` as an Anthropic Messages body for ``upstream_model``."""
    reject_response_state(req)
    out: dict[str, Any] = {"model": upstream_model}
    system = [b for b in (_encode_block(block) for block in req.system) if b]
    if system:
        out["system"] = system
    out["messages"] = _encode_messages(req)
    out["max_tokens"] = req.max_tokens or DEFAULT_MAX_TOKENS
    tools = _encode_tools(req)
    if tools:
        out["tools"] = tools
    if req.tool_choice is not None and tools:
        out["tool_choice"] = _encode_choice(req.tool_choice)
    copy_sampling(out, req, {"temperature": "temperature", "top_p": "top_p", "top_k": "top_k"})
    if req.stop:
        out["stop_sequences"] = list(req.stop)
    extra = dict(req.extra_for(FORMAT))
    if "thinking" not in extra:  # a Claude client's own thinking settings are kept as sent
        _encode_reasoning(out, req)
    metadata = dict(extra.pop("metadata", None) or {})
    if req.user:
        metadata["user_id"] = req.user
    if metadata:
        out["metadata"] = metadata
    if req.stream:
        out["stream"] = True
    for key, value in extra.items():
        out.setdefault(key, value)
    return out
