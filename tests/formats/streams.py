"""Realistic upstream SSE streams (shaped after recorded sessions) and what each carries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson


def _sse(events: list[dict[str, Any]], named: bool = False, done: bool = False) -> bytes:
    out = b""
    for event in events:
        data = orjson.dumps(event)
        out += (
            (b"event: " + event["type"].encode() + b"\n" if named else b"")
            + b"data: "
            + data
            + b"\n\n"
        )
    return out + (b"data: [DONE]\n\n" if done else b"")


@dataclass(frozen=True)
class UpstreamStream:
    """An upstream stream and the content a client must get from it."""

    name: str
    format: str
    body: bytes
    text: str
    thinking: str
    calls: list[tuple[str, dict[str, Any]]]
    stop: str
    usage: tuple[int, int, int]  # prompt (incl. cache), completion, cached


# --- Anthropic: thinking with signature, text, two parallel tool calls -----------------------
_CLAUDE_TOOLS = [
    {
        "type": "message_start",
        "message": {
            "id": "msg_01",
            "type": "message",
            "role": "assistant",
            "model": "claude-sonnet-4-5",
            "content": [],
            "stop_reason": None,
            "stop_sequence": None,
            "usage": {
                "input_tokens": 30,
                "cache_creation_input_tokens": 100,
                "cache_read_input_tokens": 900,
                "output_tokens": 1,
                "cache_creation": {
                    "ephemeral_5m_input_tokens": 100,
                    "ephemeral_1h_input_tokens": 0,
                },
            },
        },
    },
    {
        "type": "content_block_start",
        "index": 0,
        "content_block": {"type": "thinking", "thinking": "", "signature": ""},
    },
    {"type": "ping"},
    {
        "type": "content_block_delta",
        "index": 0,
        "delta": {"type": "thinking_delta", "thinking": "Need weather "},
    },
    {
        "type": "content_block_delta",
        "index": 0,
        "delta": {"type": "thinking_delta", "thinking": "and time."},
    },
    {
        "type": "content_block_delta",
        "index": 0,
        "delta": {"type": "signature_delta", "signature": "EqQBCkYIARgCKkB+sig=="},
    },
    {"type": "content_block_stop", "index": 0},
    {"type": "content_block_start", "index": 1, "content_block": {"type": "text", "text": ""}},
    {
        "type": "content_block_delta",
        "index": 1,
        "delta": {"type": "text_delta", "text": "Checking "},
    },
    {"type": "content_block_delta", "index": 1, "delta": {"type": "text_delta", "text": "both."}},
    {"type": "content_block_stop", "index": 1},
    {
        "type": "content_block_start",
        "index": 2,
        "content_block": {"type": "tool_use", "id": "toolu_A", "name": "get_weather", "input": {}},
    },
    {
        "type": "content_block_delta",
        "index": 2,
        "delta": {"type": "input_json_delta", "partial_json": ""},
    },
    {
        "type": "content_block_delta",
        "index": 2,
        "delta": {"type": "input_json_delta", "partial_json": '{"city": "Pa'},
    },
    {
        "type": "content_block_delta",
        "index": 2,
        "delta": {"type": "input_json_delta", "partial_json": 'ris"}'},
    },
    {"type": "content_block_stop", "index": 2},
    {
        "type": "content_block_start",
        "index": 3,
        "content_block": {"type": "tool_use", "id": "toolu_B", "name": "get_time", "input": {}},
    },
    {
        "type": "content_block_delta",
        "index": 3,
        "delta": {"type": "input_json_delta", "partial_json": '{"city": "Tokyo"}'},
    },
    {"type": "content_block_stop", "index": 3},
    {
        "type": "message_delta",
        "delta": {"stop_reason": "tool_use", "stop_sequence": None},
        "usage": {"output_tokens": 57},
    },
    {"type": "message_stop"},
]
_CLAUDE_MAX = [
    {
        "type": "message_start",
        "message": {
            "id": "msg_02",
            "type": "message",
            "role": "assistant",
            "model": "claude-haiku-4-5",
            "content": [],
            "stop_reason": None,
            "stop_sequence": None,
            "usage": {"input_tokens": 12, "output_tokens": 1},
        },
    },
    {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
    {
        "type": "content_block_delta",
        "index": 0,
        "delta": {"type": "text_delta", "text": "Once upon"},
    },
    {"type": "content_block_stop", "index": 0},
    {
        "type": "message_delta",
        "delta": {"stop_reason": "max_tokens", "stop_sequence": None},
        "usage": {"output_tokens": 16},
    },
    {"type": "message_stop"},
]


# --- OpenAI chat: reasoning_content, content, two parallel tool calls, usage chunk -----------
def _chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
    return {
        "id": "chatcmpl-9x",
        "object": "chat.completion.chunk",
        "created": 1700000000,
        "model": "deepseek-reasoner",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }


_CHAT_TOOLS = [
    _chunk({"role": "assistant", "content": ""}),
    _chunk({"reasoning_content": "Need weather "}),
    _chunk({"reasoning_content": "and time."}),
    _chunk({"content": "Checking "}),
    _chunk({"content": "both."}),
    _chunk(
        {
            "tool_calls": [
                {
                    "index": 0,
                    "id": "call_A",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": ""},
                }
            ]
        }
    ),
    _chunk({"tool_calls": [{"index": 0, "function": {"arguments": '{"city": "Pa'}}]}),
    _chunk({"tool_calls": [{"index": 0, "function": {"arguments": 'ris"}'}}]}),
    _chunk(
        {
            "tool_calls": [
                {
                    "index": 1,
                    "id": "call_B",
                    "type": "function",
                    "function": {"name": "get_time", "arguments": ""},
                }
            ]
        }
    ),
    _chunk({"tool_calls": [{"index": 1, "function": {"arguments": '{"city": "Tokyo"}'}}]}),
    _chunk({}, "tool_calls"),
    {
        "id": "chatcmpl-9x",
        "object": "chat.completion.chunk",
        "created": 1700000000,
        "model": "deepseek-reasoner",
        "choices": [],
        "usage": {
            "prompt_tokens": 1030,
            "completion_tokens": 57,
            "total_tokens": 1087,
            "prompt_tokens_details": {"cached_tokens": 900},
            "completion_tokens_details": {"reasoning_tokens": 20},
        },
    },
]
_CHAT_MAX = [
    _chunk({"role": "assistant", "content": ""}),
    _chunk({"content": "Once upon"}),
    _chunk({}, "length"),
    {
        "id": "chatcmpl-9x",
        "object": "chat.completion.chunk",
        "created": 1700000000,
        "model": "gpt-4o",
        "choices": [],
        "usage": {"prompt_tokens": 12, "completion_tokens": 16, "total_tokens": 28},
    },
]

# --- Gemini: thought part, text, two function calls (first with thoughtSignature) ------------
_GEMINI_TOOLS = [
    {
        "candidates": [
            {
                "content": {
                    "role": "model",
                    "parts": [{"text": "Need weather and time.", "thought": True}],
                },
                "index": 0,
            }
        ],
        "usageMetadata": {"promptTokenCount": 1030, "totalTokenCount": 1030},
        "modelVersion": "gemini-2.5-pro",
        "responseId": "g1",
    },
    {
        "candidates": [
            {"content": {"role": "model", "parts": [{"text": "Checking "}]}, "index": 0}
        ],
        "modelVersion": "gemini-2.5-pro",
        "responseId": "g1",
    },
    {
        "candidates": [{"content": {"role": "model", "parts": [{"text": "both."}]}, "index": 0}],
        "modelVersion": "gemini-2.5-pro",
        "responseId": "g1",
    },
    {
        "candidates": [
            {
                "content": {
                    "role": "model",
                    "parts": [
                        {
                            "functionCall": {"name": "get_weather", "args": {"city": "Paris"}},
                            "thoughtSignature": "CiQBVKhc7sig",
                        },
                        {"functionCall": {"name": "get_time", "args": {"city": "Tokyo"}}},
                    ],
                },
                "finishReason": "STOP",
                "index": 0,
            }
        ],
        "usageMetadata": {
            "promptTokenCount": 1030,
            "candidatesTokenCount": 37,
            "thoughtsTokenCount": 20,
            "totalTokenCount": 1087,
            "cachedContentTokenCount": 900,
        },
        "modelVersion": "gemini-2.5-pro",
        "responseId": "g1",
    },
]
_GEMINI_MAX = [
    {
        "candidates": [
            {"content": {"role": "model", "parts": [{"text": "Once upon"}]}, "index": 0}
        ],
        "modelVersion": "gemini-2.5-flash",
        "responseId": "g2",
    },
    {
        "candidates": [
            {
                "content": {"role": "model", "parts": [{"text": ""}]},
                "finishReason": "MAX_TOKENS",
                "index": 0,
            }
        ],
        "usageMetadata": {
            "promptTokenCount": 12,
            "candidatesTokenCount": 16,
            "totalTokenCount": 28,
        },
        "modelVersion": "gemini-2.5-flash",
        "responseId": "g2",
    },
]


# --- Responses: reasoning item, message, two function calls, completed ------------------------
def _responses_tools() -> list[dict[str, Any]]:
    resp = {
        "id": "resp_1",
        "object": "response",
        "created_at": 1700000000,
        "status": "in_progress",
        "model": "gpt-5",
        "output": [],
        "usage": None,
    }
    rs = {"type": "reasoning", "id": "rs_1", "summary": []}
    msg = {
        "type": "message",
        "id": "msg_1",
        "status": "in_progress",
        "role": "assistant",
        "content": [],
    }
    fa = {
        "type": "function_call",
        "id": "fc_1",
        "call_id": "call_A",
        "name": "get_weather",
        "arguments": "",
        "status": "in_progress",
    }
    fb = {
        "type": "function_call",
        "id": "fc_2",
        "call_id": "call_B",
        "name": "get_time",
        "arguments": "",
        "status": "in_progress",
    }
    events: list[dict[str, Any]] = [
        {"type": "response.created", "response": resp},
        {"type": "response.in_progress", "response": resp},
        {"type": "response.output_item.added", "output_index": 0, "item": rs},
        {
            "type": "response.reasoning_summary_part.added",
            "item_id": "rs_1",
            "output_index": 0,
            "summary_index": 0,
            "part": {"type": "summary_text", "text": ""},
        },
        {
            "type": "response.reasoning_summary_text.delta",
            "item_id": "rs_1",
            "output_index": 0,
            "summary_index": 0,
            "delta": "Need weather ",
        },
        {
            "type": "response.reasoning_summary_text.delta",
            "item_id": "rs_1",
            "output_index": 0,
            "summary_index": 0,
            "delta": "and time.",
        },
        {
            "type": "response.reasoning_summary_text.done",
            "item_id": "rs_1",
            "output_index": 0,
            "summary_index": 0,
            "text": "Need weather and time.",
        },
        {
            "type": "response.reasoning_summary_part.done",
            "item_id": "rs_1",
            "output_index": 0,
            "summary_index": 0,
            "part": {"type": "summary_text", "text": "Need weather and time."},
        },
        {
            "type": "response.output_item.done",
            "output_index": 0,
            "item": rs
            | {
                "summary": [{"type": "summary_text", "text": "Need weather and time."}],
                "encrypted_content": "gAAAAenc",
            },
        },
        {"type": "response.output_item.added", "output_index": 1, "item": msg},
        {
            "type": "response.content_part.added",
            "item_id": "msg_1",
            "output_index": 1,
            "content_index": 0,
            "part": {"type": "output_text", "text": "", "annotations": []},
        },
        {
            "type": "response.output_text.delta",
            "item_id": "msg_1",
            "output_index": 1,
            "content_index": 0,
            "delta": "Checking ",
        },
        {
            "type": "response.output_text.delta",
            "item_id": "msg_1",
            "output_index": 1,
            "content_index": 0,
            "delta": "both.",
        },
        {
            "type": "response.output_text.done",
            "item_id": "msg_1",
            "output_index": 1,
            "content_index": 0,
            "text": "Checking both.",
        },
        {
            "type": "response.content_part.done",
            "item_id": "msg_1",
            "output_index": 1,
            "content_index": 0,
            "part": {"type": "output_text", "text": "Checking both.", "annotations": []},
        },
        {
            "type": "response.output_item.done",
            "output_index": 1,
            "item": msg | {"status": "completed"},
        },
        {"type": "response.output_item.added", "output_index": 2, "item": fa},
        {
            "type": "response.function_call_arguments.delta",
            "item_id": "fc_1",
            "output_index": 2,
            "delta": '{"city": "Pa',
        },
        {
            "type": "response.function_call_arguments.delta",
            "item_id": "fc_1",
            "output_index": 2,
            "delta": 'ris"}',
        },
        {
            "type": "response.function_call_arguments.done",
            "item_id": "fc_1",
            "output_index": 2,
            "arguments": '{"city": "Paris"}',
        },
        {
            "type": "response.output_item.done",
            "output_index": 2,
            "item": fa | {"arguments": '{"city": "Paris"}', "status": "completed"},
        },
        {"type": "response.output_item.added", "output_index": 3, "item": fb},
        {
            "type": "response.function_call_arguments.delta",
            "item_id": "fc_2",
            "output_index": 3,
            "delta": '{"city": "Tokyo"}',
        },
        {
            "type": "response.function_call_arguments.done",
            "item_id": "fc_2",
            "output_index": 3,
            "arguments": '{"city": "Tokyo"}',
        },
        {
            "type": "response.output_item.done",
            "output_index": 3,
            "item": fb | {"arguments": '{"city": "Tokyo"}', "status": "completed"},
        },
        {
            "type": "response.completed",
            "response": resp
            | {
                "status": "completed",
                "usage": {
                    "input_tokens": 1030,
                    "input_tokens_details": {"cached_tokens": 900},
                    "output_tokens": 57,
                    "output_tokens_details": {"reasoning_tokens": 20},
                    "total_tokens": 1087,
                },
            },
        },
    ]
    for n, event in enumerate(events):
        event["sequence_number"] = n
    return events


def _responses_max() -> list[dict[str, Any]]:
    resp = {
        "id": "resp_2",
        "object": "response",
        "created_at": 1700000000,
        "status": "in_progress",
        "model": "gpt-4.1",
        "output": [],
        "usage": None,
    }
    msg = {
        "type": "message",
        "id": "msg_9",
        "status": "in_progress",
        "role": "assistant",
        "content": [],
    }
    return [
        {"type": "response.created", "sequence_number": 0, "response": resp},
        {
            "type": "response.output_item.added",
            "sequence_number": 1,
            "output_index": 0,
            "item": msg,
        },
        {
            "type": "response.content_part.added",
            "sequence_number": 2,
            "item_id": "msg_9",
            "output_index": 0,
            "content_index": 0,
            "part": {"type": "output_text", "text": ""},
        },
        {
            "type": "response.output_text.delta",
            "sequence_number": 3,
            "item_id": "msg_9",
            "output_index": 0,
            "content_index": 0,
            "delta": "Once upon",
        },
        {
            "type": "response.incomplete",
            "sequence_number": 4,
            "response": resp
            | {
                "status": "incomplete",
                "incomplete_details": {"reason": "max_output_tokens"},
                "usage": {"input_tokens": 12, "output_tokens": 16, "total_tokens": 28},
            },
        },
    ]


CALLS = [("get_weather", {"city": "Paris"}), ("get_time", {"city": "Tokyo"})]
THINK = "Need weather and time."
STREAMS = [
    UpstreamStream(
        "tools",
        "anthropic_messages",
        _sse(_CLAUDE_TOOLS, named=True),
        "Checking both.",
        THINK,
        CALLS,
        "tool_use",
        (1030, 57, 900),
    ),
    UpstreamStream(
        "max_tokens",
        "anthropic_messages",
        _sse(_CLAUDE_MAX, named=True),
        "Once upon",
        "",
        [],
        "max_tokens",
        (12, 16, 0),
    ),
    UpstreamStream(
        "tools",
        "openai_chat",
        _sse(_CHAT_TOOLS, done=True),
        "Checking both.",
        THINK,
        CALLS,
        "tool_use",
        (1030, 57, 900),
    ),
    UpstreamStream(
        "max_tokens",
        "openai_chat",
        _sse(_CHAT_MAX, done=True),
        "Once upon",
        "",
        [],
        "max_tokens",
        (12, 16, 0),
    ),
    UpstreamStream(
        "tools",
        "gemini",
        _sse(_GEMINI_TOOLS),
        "Checking both.",
        THINK,
        CALLS,
        "tool_use",
        (1030, 57, 900),
    ),
    UpstreamStream(
        "max_tokens", "gemini", _sse(_GEMINI_MAX), "Once upon", "", [], "max_tokens", (12, 16, 0)
    ),
    UpstreamStream(
        "tools",
        "openai_responses",
        _sse(_responses_tools(), named=True),
        "Checking both.",
        THINK,
        CALLS,
        "tool_use",
        (1030, 57, 900),
    ),
    UpstreamStream(
        "max_tokens",
        "openai_responses",
        _sse(_responses_max(), named=True),
        "Once upon",
        "",
        [],
        "max_tokens",
        (12, 16, 0),
    ),
]
