"""What coding agents depend on: signatures, cache markers, tool-id pairing, images, usage,
stop reasons and error shapes, each checked on its own."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from newapi.billing.meter import CacheSemantics
from newapi.errors import InvalidRequestError, RateLimitError, UpstreamError
from newapi.relay.canonical import (
    ChatRequest,
    ChatResponse,
    ImageBlock,
    Message,
    StopReason,
    TextBlock,
    ThinkingBlock,
    ToolUseBlock,
)
from newapi.relay.formats.conversion import counting_ids, pack_signature, unpack_signature
from newapi.relay.formats.gemini.request import PLACEHOLDER_SIGNATURE
from newapi.relay.formats.hub import HUB_CODECS, convert_request, convert_response
from tests.formats.conftest import GOLDEN

CLAUDE = HUB_CODECS["anthropic_messages"]
GEMINI = HUB_CODECS["gemini"]
CHAT = HUB_CODECS["openai_chat"]
RESPONSES = HUB_CODECS["openai_responses"]


def _golden(case: str, name: str) -> dict:
    return orjson.loads((GOLDEN / case / name).read_bytes())


# --- Claude -> hub -> Claude -------------------------------------------------------------------


def test_claude_request_round_trip_keeps_thinking_signatures_and_cache_control() -> None:
    client = _golden(
        "anthropic_messages/claude_code_tools__to_anthropic_messages", "client_request.json"
    )
    client["messages"][1]["content"].insert(
        0, {"type": "redacted_thinking", "data": "EmwKAhgBEgy3va"}
    )
    _, upstream = convert_request(client, "anthropic_messages", "anthropic_messages", "claude-x")
    assert upstream["model"] == "claude-x"
    assert upstream["system"] == client["system"]
    assert upstream["tools"] == client["tools"]
    assert upstream["thinking"] == client["thinking"]
    assert upstream["metadata"] == client["metadata"]
    assistant = upstream["messages"][1]["content"]
    assert assistant[:3] == client["messages"][1]["content"][:3]
    assert upstream["messages"][2]["content"][1] == client["messages"][2]["content"][1]


def test_claude_response_round_trip_keeps_thinking_and_redacted_blocks() -> None:
    body = _golden(
        "anthropic_messages/claude_code_tools__to_anthropic_messages", "upstream_response.json"
    )
    body["content"].insert(1, {"type": "redacted_thinking", "data": "EmwKAhgBEgy3va"})
    out = convert_response(body, "anthropic_messages", "anthropic_messages", model="claude-x")
    assert out["content"] == body["content"]
    assert out["usage"]["input_tokens"] == body["usage"]["input_tokens"]
    assert out["usage"]["cache_read_input_tokens"] == 2000
    assert out["usage"]["cache_creation_input_tokens"] == 50


def test_other_providers_reasoning_is_not_replayed_to_claude() -> None:
    request = ChatRequest(
        model="m",
        messages=(
            Message("user", (TextBlock("hi"),)),
            Message(
                "assistant",
                (ThinkingBlock("gemini thought", "CiQsig", origin="gemini"), TextBlock("hello")),
            ),
            Message("user", (TextBlock("again"),)),
        ),
    )
    body = CLAUDE.encode_request(request, "claude-x")
    assert body["messages"][1]["content"] == [{"type": "text", "text": "hello"}]


def test_claude_thinking_is_kept_off_for_unsigned_tool_loops() -> None:
    codex = _golden("openai_responses/codex_tools__to_anthropic_messages", "client_request.json")
    _, body = convert_request(codex, "openai_responses", "anthropic_messages", "claude-x")
    assert "thinking" not in body  # the reasoning item is OpenAI's; Claude would answer 400
    codex["input"] = codex["input"][:2]
    _, body = convert_request(codex, "openai_responses", "anthropic_messages", "claude-x")
    assert body["thinking"] == {"type": "enabled", "budget_tokens": 2048}
    assert body["max_tokens"] > 2048


def test_empty_text_blocks_never_reach_claude() -> None:
    chat = {
        "model": "m",
        "messages": [
            {
                "role": "user",
                "content": [{"type": "text", "text": ""}, {"type": "text", "text": "x"}],
            },
            {"role": "assistant", "content": ""},
        ],
    }
    _, body = convert_request(chat, "openai_chat", "anthropic_messages", "claude-x")
    assert body["messages"] == [{"role": "user", "content": [{"type": "text", "text": "x"}]}]


# --- Gemini tool ids and signatures -------------------------------------------------------------


def test_gemini_results_pair_with_calls_by_name_and_order() -> None:
    body = _golden("gemini/gemini_cli_tools__to_openai_chat", "client_request.json")
    request = GEMINI.decode_request(body, model="gemini-2.5-pro")
    call_ids = [b.id for m in request.messages for b in m.content if isinstance(b, ToolUseBlock)]
    result_ids = [
        b.tool_use_id for m in request.messages for b in m.content if hasattr(b, "tool_use_id")
    ]
    assert call_ids == ["call_1", "call_2"] and result_ids == call_ids
    again = GEMINI.decode_request(body, model="gemini-2.5-pro")
    assert again == request, "ids are stable for the same history"
    first = request.messages[1].content[0]
    assert isinstance(first, ToolUseBlock) and first.signature == "CiQBsigA"


def test_gemini_signature_survives_a_chat_client_turn() -> None:
    answer = _golden("openai_chat/image_and_tools__to_gemini", "upstream_response.json")
    response = GEMINI.decode_response(answer, ids=counting_ids())
    chat = CHAT.encode_response(response, model="m")
    call = chat["choices"][0]["message"]["tool_calls"][0]
    assert unpack_signature(call["id"]) == ("call_1", "CiQBVKhc7sigXYZ")
    follow_up = {
        "model": "m",
        "messages": [
            {"role": "user", "content": "Weather?"},
            chat["choices"][0]["message"],
            {"role": "tool", "tool_call_id": call["id"], "content": '{"temp": 18}'},
        ],
    }
    _, body = convert_request(follow_up, "openai_chat", "gemini", "gemini-2.5-flash")
    model_turn = body["contents"][1]["parts"]
    fc = next(p for p in model_turn if "functionCall" in p)
    assert fc["thoughtSignature"] == "CiQBVKhc7sigXYZ"
    response_part = body["contents"][2]["parts"][0]["functionResponse"]
    assert response_part == {"name": "get_weather", "response": {"temp": 18}}


def test_gemini_gets_a_placeholder_signature_for_foreign_history() -> None:
    chat = {
        "model": "m",
        "messages": [
            {"role": "user", "content": "go"},
            {
                "role": "assistant",
                "tool_calls": [
                    {
                        "id": "call_x",
                        "type": "function",
                        "function": {"name": "f", "arguments": "{}"},
                    },
                    {
                        "id": "call_y",
                        "type": "function",
                        "function": {"name": "g", "arguments": "{}"},
                    },
                ],
            },
            {"role": "tool", "tool_call_id": "call_y", "content": "2"},
            {"role": "tool", "tool_call_id": "call_x", "content": "1"},
        ],
    }
    _, body = convert_request(chat, "openai_chat", "gemini", "g")
    parts = body["contents"][1]["parts"]
    assert parts[0]["thoughtSignature"] == PLACEHOLDER_SIGNATURE
    assert "thoughtSignature" not in parts[1]
    names = [p["functionResponse"]["name"] for p in body["contents"][2]["parts"]]
    assert names == ["g", "f"]


def test_signature_packing_is_reversible_and_id_safe() -> None:
    sig = "CiQB+/x==" * 5
    packed = pack_signature("toolu_1", sig)
    assert all(c.isalnum() or c in "_-" for c in packed)
    assert unpack_signature(packed) == ("toolu_1", sig)
    assert unpack_signature("call_plain") == ("call_plain", "")


# --- images -------------------------------------------------------------------------------------


def test_images_convert_between_data_urls_base64_and_inline_data() -> None:
    chat = _golden("openai_chat/image_and_tools__to_gemini", "client_request.json")
    _, claude = convert_request(chat, "openai_chat", "anthropic_messages", "c")
    image = claude["messages"][0]["content"][1]
    assert image == {
        "type": "image",
        "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="},
    }
    back = CLAUDE.decode_request(claude)
    _, chat_again = convert_request(claude, "anthropic_messages", "openai_chat", "o")
    part = chat_again["messages"][1]["content"][1]
    assert part == {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}}
    assert isinstance(back.messages[0].content[1], ImageBlock)
    _, responses = convert_request(chat, "openai_chat", "openai_responses", "r")
    assert responses["input"][0]["content"][1]["image_url"].startswith("data:image/png;base64,")
    url_chat = {
        "model": "m",
        "messages": [
            {
                "role": "user",
                "content": [
                    {"type": "image_url", "image_url": {"url": "https://example.com/cat.png"}}
                ],
            }
        ],
    }
    _, claude_url = convert_request(url_chat, "openai_chat", "anthropic_messages", "c")
    assert claude_url["messages"][0]["content"][0]["source"] == {
        "type": "url",
        "url": "https://example.com/cat.png",
    }


# --- usage and cache semantics --------------------------------------------------------------------


def test_usage_reports_each_formats_cache_semantics() -> None:
    claude = _golden(
        "anthropic_messages/claude_code_tools__to_anthropic_messages", "upstream_response.json"
    )
    usage = CLAUDE.usage(claude)
    assert CLAUDE.cache_semantics is CacheSemantics.ANTHROPIC
    assert (usage.prompt_tokens, usage.cached_tokens, usage.cache_write_5m_tokens) == (
        100,
        2000,
        50,
    )
    event = {"type": "message_start", "message": {"usage": {"input_tokens": 7, "output_tokens": 1}}}
    assert CLAUDE.usage(event).prompt_tokens == 7
    gemini = _golden("openai_chat/image_and_tools__to_gemini", "upstream_response.json")
    usage = GEMINI.usage(gemini)
    assert GEMINI.cache_semantics is CacheSemantics.OPENAI
    assert (
        usage.prompt_tokens,
        usage.completion_tokens,
        usage.cached_tokens,
        usage.reasoning_tokens,
    ) == (400, 50, 256, 30)
    responses = _golden(
        "openai_chat/image_and_tools__to_openai_responses", "upstream_response.json"
    )
    usage = RESPONSES.usage(responses)
    assert (usage.prompt_tokens, usage.cached_tokens, usage.reasoning_tokens) == (500, 128, 32)
    assert RESPONSES.usage({"type": "response.completed", "response": responses}) == usage
    chat = _golden("anthropic_messages/claude_code_tools__to_openai_chat", "upstream_response.json")
    assert CHAT.usage(chat).cached_tokens == 2000


def test_claude_client_sees_input_tokens_without_cache() -> None:
    chat = _golden("anthropic_messages/claude_code_tools__to_openai_chat", "upstream_response.json")
    out = convert_response(chat, "openai_chat", "anthropic_messages", model="m")
    assert out["usage"]["input_tokens"] == 100  # 2100 prompt - 2000 cached
    assert out["usage"]["cache_read_input_tokens"] == 2000


# --- stop reasons ---------------------------------------------------------------------------------


@pytest.mark.parametrize("reason", list(StopReason))
@pytest.mark.parametrize("fmt", list(HUB_CODECS))
def test_stop_reasons_survive_a_round_trip(fmt: str, reason: StopReason) -> None:
    content = (
        (ToolUseBlock("call_1", "f", "{}"),) if reason is StopReason.TOOL_USE else (TextBlock("x"),)
    )
    response = ChatResponse("id1", "m", content, stop_reason=reason)
    codec = HUB_CODECS[fmt]
    back = codec.decode_response(codec.encode_response(response, model="m"))
    lossy = {
        "openai_chat": {
            StopReason.STOP_SEQUENCE: StopReason.END_TURN,
            StopReason.ERROR: StopReason.END_TURN,
        },
        "gemini": {
            StopReason.STOP_SEQUENCE: StopReason.END_TURN,
            StopReason.ERROR: StopReason.CONTENT_FILTER,
        },
        "openai_responses": {StopReason.STOP_SEQUENCE: StopReason.END_TURN},
        "anthropic_messages": {StopReason.ERROR: StopReason.END_TURN},
    }[fmt]
    assert back.stop_reason is lossy.get(reason, reason)


def test_claude_refusal_maps_to_content_filter_everywhere() -> None:
    body = {
        "id": "msg_1",
        "type": "message",
        "role": "assistant",
        "model": "c",
        "content": [],
        "stop_reason": "refusal",
        "usage": {"input_tokens": 1, "output_tokens": 0},
    }
    assert (
        convert_response(body, "anthropic_messages", "openai_chat", model="m")["choices"][0][
            "finish_reason"
        ]
        == "content_filter"
    )
    assert (
        convert_response(body, "anthropic_messages", "gemini", model="m")["candidates"][0][
            "finishReason"
        ]
        == "SAFETY"
    )
    out = convert_response(body, "anthropic_messages", "openai_responses", model="m")
    assert out["status"] == "incomplete" and out["incomplete_details"] == {
        "reason": "content_filter"
    }


# --- bad input and upstream failures ------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "body"),
    [
        ("openai_chat", {"model": "m", "messages": "hi"}),
        ("openai_chat", {"model": "m", "messages": [{"role": "user", "content": 5}]}),
        ("anthropic_messages", {"model": "m", "max_tokens": 5}),
        ("gemini", {"contents": [{"parts": "x"}]}),
        ("openai_responses", {"model": "m", "input": 7}),
    ],
)
def test_malformed_requests_are_400s(fmt: str, body: dict) -> None:
    with pytest.raises(InvalidRequestError):
        HUB_CODECS[fmt].decode_request(body)


@pytest.mark.parametrize("upstream", ["openai_chat", "anthropic_messages", "gemini"])
def test_previous_response_id_needs_a_responses_upstream(upstream: str) -> None:
    body = {"model": "m", "input": "hi", "previous_response_id": "resp_1"}
    with pytest.raises(InvalidRequestError):
        convert_request(body, "openai_responses", upstream, "u")
    _, out = convert_request(body, "openai_responses", "openai_responses", "u")
    assert out["previous_response_id"] == "resp_1"


def test_gemini_without_candidates_is_an_error_that_keeps_usage() -> None:
    body = {"promptFeedback": {"blockReason": "SAFETY"}, "usageMetadata": {"promptTokenCount": 9}}
    with pytest.raises(UpstreamError) as caught:
        GEMINI.decode_response(body)
    assert caught.value.upstream_type == "prompt_blocked" and caught.value.upstream_status == 400
    assert GEMINI.usage(body).prompt_tokens == 9
    with pytest.raises(UpstreamError) as caught:
        GEMINI.decode_response({"usageMetadata": {"promptTokenCount": 9}})
    assert caught.value.upstream_type == "empty_response"


# --- errors in each format's own shape ------------------------------------------------------------


def test_error_shapes() -> None:
    error = RateLimitError("slow down")
    status, body = CLAUDE.render_error(error, "req1")
    assert status == 429
    assert orjson.loads(body) == {
        "type": "error",
        "error": {"type": "rate_limit_error", "message": "slow down (request id: req1)"},
    }
    status, body = GEMINI.render_error(error, "req1")
    assert orjson.loads(body) == {
        "error": {
            "code": 429,
            "message": "slow down (request id: req1)",
            "status": "RESOURCE_EXHAUSTED",
        }
    }
    status, body = RESPONSES.render_error(error, "req1")
    assert orjson.loads(body)["error"]["type"] == "rate_limit_error"
    assert CLAUDE.render_stream_error(error, "r").startswith(b"event: error\ndata: ")
    assert GEMINI.render_stream_error(error, "r").startswith(b'data: {"error"')
    stream = RESPONSES.render_stream_error(error, "r")
    assert stream.startswith(b"event: error\n")
    payload = orjson.loads(stream.split(b"data: ", 1)[1])
    assert payload["type"] == "error" and "sequence_number" in payload


def test_parse_error_reads_each_shape_and_masks_secrets() -> None:
    claude = CLAUDE.parse_error(
        529, b'{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}', ()
    )
    assert (claude.message, claude.upstream_type, claude.upstream_status) == (
        "Overloaded",
        "overloaded_error",
        529,
    )
    status, body = CLAUDE.render_error(claude, "")
    assert status == 529 and orjson.loads(body)["error"]["type"] == "overloaded_error"
    gemini = GEMINI.parse_error(
        400,
        b'[{"error":{"code":400,"status":"INVALID_ARGUMENT",'
        b'"message":"API key AIzaSyA1234567890abcdefghijk invalid"}}]',
        (),
    )
    assert "AIza" not in gemini.message and gemini.upstream_type == "INVALID_ARGUMENT"
    status, body = GEMINI.render_error(gemini, "")
    assert orjson.loads(body)["error"]["status"] == "INVALID_ARGUMENT"
    other = RESPONSES.parse_error(500, b"<html>oops</html>", ())
    assert "500" in other.message


def test_golden_dir_layout() -> None:
    for case in GOLDEN.glob("*/*"):
        names = {p.name for p in case.iterdir()}
        assert names in (
            {
                "client_request.json",
                "upstream_request.json",
                "upstream_response.json",
                "client_response.json",
            },
            {"upstream_stream.sse", "client_stream.sse"},
        ), (case, names)
    assert isinstance(GOLDEN, Path)


@pytest.mark.parametrize("fmt", list(HUB_CODECS))
def test_each_format_package_exposes_the_codec_api(fmt: str) -> None:
    import importlib

    from newapi.relay.formats.base import Adapter

    module = importlib.import_module(
        f"newapi.relay.formats.{'openai_chat_hub' if fmt == 'openai_chat' else fmt}"
    )
    for name in (
        "decode_request",
        "encode_request",
        "decode_response",
        "encode_response",
        "StreamDecoder",
        "StreamEncoder",
        "parse_error",
        "render_error",
        "render_stream_error",
        "usage",
        "CODEC",
    ):
        assert name in module.__all__ and hasattr(module, name), name
    codec: Adapter = module.CODEC
    assert codec.name == fmt


def test_codex_on_a_claude_channel_keeps_thinking_through_a_tool_loop() -> None:
    # Claude's signed thinking reaches Codex as tagged encrypted_content; Codex echoes the
    # reasoning item back and Claude gets its own thinking block again, so thinking stays on.
    claude = _golden(
        "anthropic_messages/claude_code_tools__to_anthropic_messages", "upstream_response.json"
    )
    out = convert_response(claude, "anthropic_messages", "openai_responses", model="codex")
    reasoning = next(i for i in out["output"] if i["type"] == "reasoning")
    assert reasoning["encrypted_content"] == "newapi.v1:anthropic_messages:EqgBCkYIBxgCIkBzaWc="
    call = next(i for i in out["output"] if i["type"] == "function_call")
    follow_up = {
        "model": "codex",
        "input": [
            {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "go"}]},
            reasoning,
            call,
            {"type": "function_call_output", "call_id": call["call_id"], "output": "hello"},
        ],
        "tools": [{"type": "function", "name": "Bash", "parameters": {"type": "object"}}],
        "reasoning": {"effort": "high"},
    }
    _, body = convert_request(follow_up, "openai_responses", "anthropic_messages", "claude-x")
    assistant = body["messages"][1]["content"]
    assert assistant[0] == {
        "type": "thinking",
        "thinking": "Run it with python.",
        "signature": "EqgBCkYIBxgCIkBzaWc=",
    }
    assert body["thinking"]["type"] == "enabled"
    # the same history sent to an OpenAI Responses channel does not replay Claude's signature
    _, openai = convert_request(follow_up, "openai_responses", "openai_responses", "gpt-5")
    assert all(i.get("type") != "reasoning" for i in openai["input"])


def test_hub_usage_bills_the_same_as_the_native_usage() -> None:
    from decimal import Decimal

    from newapi.billing.meter import compute_quota
    from newapi.billing.prices import ResolvedPrice

    price = ResolvedPrice(
        model="claude", key="claude", match="exact", base_model=None,
        model_ratio=Decimal("1.5"), completion_ratio=Decimal(5), cache_ratio=Decimal("0.1"),
        create_cache_ratio=Decimal("1.25"), create_cache_1h_ratio=Decimal(2),
    )  # fmt: skip
    body = _golden(
        "anthropic_messages/claude_code_tools__to_anthropic_messages", "upstream_response.json"
    )
    native = CLAUDE.usage(body)
    hub = CLAUDE.decode_response(body).usage
    by_native = compute_quota(native, price, Decimal(1), CacheSemantics.ANTHROPIC)
    by_hub = compute_quota(hub, price, Decimal(1), CacheSemantics.OPENAI)
    assert by_native.quota == by_hub.quota > 0
