"""Gemini ``generateContent`` requests to and from the hub ``ChatRequest``.

Gemini has no tool-call ids (or only optional ones): decoding synthesizes stable ids
(``call_<n>`` in conversation order) and pairs each ``functionResponse`` with the oldest
unanswered call of the same name; encoding names each result from its call's id.
"""

from __future__ import annotations

from collections import defaultdict, deque
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
    dumps,
    json_object,
    reject_response_state,
    require_dict,
    tool_names,
)

__all__ = [
    "FORMAT",
    "MAX_STOP_SEQUENCES",
    "PLACEHOLDER_SIGNATURE",
    "decode_request",
    "encode_request",
]

FORMAT = "gemini"
MAX_STOP_SEQUENCES = 5
PLACEHOLDER_SIGNATURE = "skip_thought_signature_validator"
"""Gemini's documented stand-in for a replayed function call whose signature was lost."""

_KNOWN_CONFIG = {
    "temperature",
    "topP",
    "topK",
    "maxOutputTokens",
    "stopSequences",
    "thinkingConfig",
}
_KNOWN = {"contents", "systemInstruction", "tools", "toolConfig", "generationConfig", "model"}
_SCHEMA_KEYS = {
    "type",
    "format",
    "description",
    "nullable",
    "enum",
    "properties",
    "required",
    "items",
    "minItems",
    "maxItems",
    "minimum",
    "maximum",
    "anyOf",
    "title",
    "propertyOrdering",
    "minLength",
    "maxLength",
    "pattern",
    "minProperties",
    "maxProperties",
    "default",
}


# ---------------------------------------------------------------------------------------------
# decode


class _CallIds:
    """Synthesized ids for function calls and the queue of unanswered calls per name."""

    def __init__(self) -> None:
        self.count = 0
        self.pending: defaultdict[str, deque[str]] = defaultdict(deque)

    def call(self, name: str, given: str) -> str:
        self.count += 1
        call_id = given or f"call_{self.count}"
        self.pending[name].append(call_id)
        return call_id

    def result(self, name: str, given: str) -> str:
        queue = self.pending[name]
        if given and given in queue:
            queue.remove(given)
            return given
        return queue.popleft() if queue else given or f"call_{name}"


def _response_text(response: object) -> str:
    if isinstance(response, dict) and len(response) == 1:
        only = next(iter(response.values()))
        if isinstance(only, str) and next(iter(response)) in ("content", "result", "output"):
            return only
    return dumps(response if response is not None else {})


def _part(part: dict[str, Any], ids: _CallIds) -> Block | None:  # per part type
    signature = as_str(part.get("thoughtSignature"))
    if "functionCall" in part:
        call = part.get("functionCall") or {}
        name = as_str(call.get("name"))
        call_id = ids.call(name, as_str(call.get("id")))
        return ToolUseBlock(call_id, name, dumps(call.get("args") or {}), signature)
    if "functionResponse" in part:
        response = part.get("functionResponse") or {}
        name = as_str(response.get("name"))
        call_id = ids.result(name, as_str(response.get("id")))
        text = _response_text(response.get("response"))
        return ToolResultBlock(call_id, (TextBlock(text),), name=name)
    if "text" in part:
        if part.get("thought") is True:
            return ThinkingBlock(
                as_str(part.get("text")), signature, origin=FORMAT if signature else ""
            )
        return TextBlock(as_str(part.get("text")))
    inline = part.get("inlineData")
    if isinstance(inline, dict) and as_str(inline.get("mimeType")).startswith("image/"):
        return ImageBlock(media_type=inline["mimeType"], data=as_str(inline.get("data")))
    file_data = part.get("fileData")
    if isinstance(file_data, dict) and as_str(file_data.get("mimeType")).startswith("image/"):
        return ImageBlock(media_type=file_data["mimeType"], url=as_str(file_data.get("fileUri")))
    return OpaqueBlock(FORMAT, part)


def _contents(raw: list[Any]) -> tuple[Message, ...]:
    ids = _CallIds()
    messages: list[Message] = []
    for i, item in enumerate(raw):
        content = require_dict(item, f"contents[{i}]")
        parts = content.get("parts")
        if not isinstance(parts, list):
            raise InvalidRequestError(f"contents[{i}].parts must be an array", param="contents")
        blocks = [b for b in (_part(p, ids) for p in parts if isinstance(p, dict)) if b]
        role = "assistant" if content.get("role") == "model" else "user"
        messages.append(Message(role, tuple(blocks)))
    return tuple(messages)


def _tools(raw: object) -> tuple[Tool, ...]:
    tools: list[Tool] = []
    for tool in raw if isinstance(raw, list) else ():
        if not isinstance(tool, dict):
            continue
        declarations = tool.get("functionDeclarations") or tool.get("function_declarations")
        if isinstance(declarations, list):
            for fn in declarations:
                if isinstance(fn, dict):
                    schema = fn.get("parametersJsonSchema") or fn.get("parameters") or {}
                    tools.append(
                        Tool(as_str(fn.get("name")), as_str(fn.get("description")), schema)
                    )
        else:  # googleSearch, codeExecution, urlContext, ...
            tools.append(Tool(next(iter(tool), ""), raw=tool, raw_format=FORMAT))
    return tuple(tools)


def _tool_choice(raw: object) -> ToolChoice | None:
    config = raw.get("functionCallingConfig") if isinstance(raw, dict) else None
    if not isinstance(config, dict):
        return None
    mode = as_str(config.get("mode")).upper()
    allowed = config.get("allowedFunctionNames")
    if mode == "ANY" and isinstance(allowed, list) and len(allowed) == 1:
        return ToolChoice("tool", as_str(allowed[0]))
    return ToolChoice({"ANY": "required", "NONE": "none"}.get(mode, "auto"))  # type: ignore[arg-type]  # mapped


def _reasoning(config: dict[str, Any]) -> Reasoning | None:
    thinking = config.get("thinkingConfig")
    if not isinstance(thinking, dict):
        return None
    budget = thinking.get("thinkingBudget")
    level = as_str(thinking.get("thinkingLevel")).lower()
    include = thinking.get("includeThoughts")
    return Reasoning(
        effort=level,
        budget_tokens=budget if isinstance(budget, int) and budget >= 0 else None,
        include_thoughts=include if isinstance(include, bool) else None,
        enabled=False if budget == 0 else None,
    )


def decode_request(body: dict[str, Any], *, model: str = "", stream: bool = False) -> ChatRequest:
    """A Gemini body as a ``ChatRequest``; ``model`` and ``stream`` come from the URL."""
    raw = body.get("contents")
    if not isinstance(raw, list):
        raise InvalidRequestError("contents must be an array", param="contents")
    config = body.get("generationConfig") or {}
    config = require_dict(config, "generationConfig")
    system = body.get("systemInstruction") or body.get("system_instruction") or {}
    system_parts = system.get("parts") if isinstance(system, dict) else None
    stop = config.get("stopSequences")
    extra = {k: v for k, v in body.items() if k not in _KNOWN}
    rest = {k: v for k, v in config.items() if k not in _KNOWN_CONFIG}
    if rest:
        extra["generationConfig"] = rest
    return ChatRequest(
        model=model or as_str(body.get("model")).removeprefix("models/"),
        system=tuple(
            TextBlock(as_str(p.get("text")))
            for p in system_parts or ()
            if isinstance(p, dict) and "text" in p
        ),
        messages=_contents(raw),
        tools=_tools(body.get("tools")),
        tool_choice=_tool_choice(body.get("toolConfig")),
        max_tokens=as_int(config.get("maxOutputTokens")) or None,
        temperature=config.get("temperature"),
        top_p=config.get("topP"),
        top_k=config.get("topK"),
        stop=tuple(s for s in stop if isinstance(s, str)) if isinstance(stop, list) else (),
        stream=stream,
        reasoning=_reasoning(config),
        extra={FORMAT: extra},
    )


# ---------------------------------------------------------------------------------------------
# encode


def clean_schema(schema: object) -> object:
    """A JSON Schema reduced to the OpenAPI subset Gemini accepts (spec §5.6)."""
    if isinstance(schema, list):
        return [clean_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key not in _SCHEMA_KEYS:
            continue
        if key == "properties" and isinstance(value, dict):
            out[key] = {name: clean_schema(sub) for name, sub in value.items()}
        elif key == "type" and isinstance(value, list):  # ["string", "null"]
            types = [t for t in value if t != "null"]
            out[key] = types[0] if types else "string"
            if "null" in value:
                out["nullable"] = True
        else:
            out[key] = clean_schema(value)
    return out


def _encode_part(
    block: Block, names: dict[str, str], first_call: list[bool]
) -> dict[str, Any] | None:
    if isinstance(block, TextBlock):
        return {"text": block.text} if block.text else None
    if isinstance(block, ImageBlock):
        if block.url:
            return {"fileData": {"mimeType": block.media_type or "image/png", "fileUri": block.url}}
        return {"inlineData": {"mimeType": block.media_type, "data": block.data}}
    if isinstance(block, ToolUseBlock):
        part: dict[str, Any] = {
            "functionCall": {"name": block.name, "args": json_object(block.arguments)}
        }
        if block.signature:
            part["thoughtSignature"] = block.signature
        elif first_call[0]:
            part["thoughtSignature"] = PLACEHOLDER_SIGNATURE
        first_call[0] = False
        return part
    if isinstance(block, ToolResultBlock):
        text = block.text
        response = json_object(text) if text.lstrip().startswith("{") else {}
        if not response:
            response = {"error" if block.is_error else "content": text}
        name = block.name or names.get(block.tool_use_id, "") or block.tool_use_id
        return {"functionResponse": {"name": name, "response": response}}
    if isinstance(block, ThinkingBlock):
        if block.origin == FORMAT and block.signature:
            return {"text": block.text, "thought": True, "thoughtSignature": block.signature}
        return None
    if isinstance(block, OpaqueBlock) and block.format == FORMAT:
        return dict(block.raw)
    return None


def _encode_contents(req: ChatRequest) -> list[dict[str, Any]]:
    names = tool_names(req.messages)
    out: list[dict[str, Any]] = []
    for message in req.messages:
        first_call = [message.role == "assistant"]
        parts = [p for p in (_encode_part(b, names, first_call) for b in message.content) if p]
        if not parts:
            continue
        role = "model" if message.role == "assistant" else "user"
        if out and out[-1]["role"] == role:
            out[-1]["parts"].extend(parts)
        else:
            out.append({"role": role, "parts": parts})
    return out


def _encode_tools(req: ChatRequest) -> list[dict[str, Any]]:
    declarations: list[dict[str, Any]] = []
    builtins: list[dict[str, Any]] = []
    for tool in req.tools:
        if tool.raw:
            if tool.raw_format == FORMAT:
                builtins.append(dict(tool.raw))
            continue
        fn: dict[str, Any] = {"name": tool.name}
        if tool.description:
            fn["description"] = tool.description
        schema = clean_schema(dict(tool.parameters))
        if isinstance(schema, dict) and schema.get("properties"):
            fn["parameters"] = schema
        declarations.append(fn)
    tools = [{"functionDeclarations": declarations}] if declarations else []
    return tools + builtins


def _encode_config(req: ChatRequest) -> dict[str, Any]:
    config: dict[str, Any] = {}
    for key, name in (("temperature", "temperature"), ("top_p", "topP"), ("top_k", "topK")):
        if getattr(req, key) is not None:
            config[name] = getattr(req, key)
    if req.max_tokens:
        config["maxOutputTokens"] = req.max_tokens
    if req.stop:
        config["stopSequences"] = list(req.stop[:MAX_STOP_SEQUENCES])
    reasoning = req.reasoning
    if reasoning is not None:
        thinking: dict[str, Any] = {}
        if reasoning.enabled is False or reasoning.effort == "none":
            thinking["thinkingBudget"] = 0
        elif reasoning.budget_tokens is not None:
            thinking["thinkingBudget"] = reasoning.budget_tokens
        elif reasoning.effort:
            thinking["thinkingBudget"] = budget_for_effort(reasoning.effort) or -1
        if reasoning.include_thoughts is not None:
            thinking["includeThoughts"] = reasoning.include_thoughts
        if thinking:
            config["thinkingConfig"] = thinking
    return config


def encode_request(req: ChatRequest, upstream_model: str) -> dict[str, Any]:
    """The ``ChatRequest`` as a Gemini body (the model goes in the URL, ``upstream_model``)."""
    del upstream_model  # Gemini names the model in the URL, not the body
    reject_response_state(req)
    out: dict[str, Any] = {"contents": _encode_contents(req)}
    system = "\n".join(b.text for b in req.system if b.text)
    if system:
        out["systemInstruction"] = {"parts": [{"text": system}]}
    tools = _encode_tools(req)
    if tools:
        out["tools"] = tools
    choice = req.tool_choice
    if choice is not None and tools:
        mode = {"auto": "AUTO", "none": "NONE", "required": "ANY", "tool": "ANY"}[choice.mode]
        calling: dict[str, Any] = {"mode": mode}
        if choice.mode == "tool":
            calling["allowedFunctionNames"] = [choice.name]
        out["toolConfig"] = {"functionCallingConfig": calling}
    extra = dict(req.extra_for(FORMAT))
    config = _encode_config(req) | dict(extra.pop("generationConfig", None) or {})
    if config:
        out["generationConfig"] = config
    for key, value in extra.items():
        out.setdefault(key, value)
    return out
