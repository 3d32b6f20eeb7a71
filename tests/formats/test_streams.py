"""Streams: realistic upstream event sequences through decoder -> encoder for every client
format, checked against the client format's event grammar and for lost content."""

from __future__ import annotations

import orjson
import pytest

from newapi.relay.canonical import (
    BlockStart,
    BlockStop,
    ChatResponse,
    MessageDelta,
    MessageStart,
    MessageStop,
    StreamError,
    StreamEvent,
    TextBlock,
    TextDelta,
    ToolArgumentsDelta,
    ToolUseBlock,
)
from newapi.relay.formats.conversion import counting_ids, unpack_signature
from newapi.relay.formats.hub import HUB_CODECS, StreamConverter
from newapi.relay.sse import SSEDecoder
from tests.formats.grammar import validate
from tests.formats.scenarios import SCENARIOS, Scenario
from tests.formats.streams import STREAMS, UpstreamStream

CLIENTS = list(HUB_CODECS)
CELLS = [
    pytest.param(stream, client, id=f"{stream.format}:{stream.name}->{client}")
    for stream in STREAMS
    for client in CLIENTS
]


def convert(stream: UpstreamStream, client: str, chunk_size: int = 0) -> bytes:
    converter = StreamConverter(stream.format, client, model="client-model", created=1700000000)
    if stream.format == "gemini":
        converter.decoder = HUB_CODECS["gemini"].stream_decoder(ids=counting_ids())
    body = stream.body
    step = chunk_size or len(body)
    out = b"".join(converter.feed(body[i : i + step]) for i in range(0, len(body), step))
    return out + converter.close()


@pytest.mark.parametrize(("stream", "client"), CELLS)
def test_stream_grammar_and_content(stream: UpstreamStream, client: str) -> None:
    result = validate(client, convert(stream, client))
    assert result["text"] == stream.text
    if client != "gemini" or stream.thinking:
        assert result["thinking"] == stream.thinking
    assert [(name, args) for _, name, args in result["calls"]] == stream.calls
    ids = [ref for ref, _, _ in result["calls"]]
    assert len(set(ids)) == len(ids) and all(ids)
    assert result["stop"] == stream.stop
    assert result["usage"] == stream.usage


@pytest.mark.parametrize(("stream", "client"), CELLS)
def test_stream_survives_byte_splits(stream: UpstreamStream, client: str) -> None:
    whole = validate(client, convert(stream, client))
    split = validate(client, convert(stream, client, chunk_size=7))
    assert split == whole


@pytest.mark.parametrize("upstream", CLIENTS)
def test_parallel_tool_calls_get_their_own_block(upstream: str) -> None:
    stream = next(s for s in STREAMS if s.format == upstream and s.name == "tools")
    decoder = HUB_CODECS[upstream].stream_decoder()
    hub = [e for ev, data in SSEDecoder().feed(stream.body) for e in decoder.feed(ev, data)]
    hub += decoder.finish()
    starts = [e for e in hub if isinstance(e, BlockStart)]
    assert [s.index for s in starts] == list(range(len(starts)))
    tools = [s for s in starts if s.kind == "tool_use"]
    assert len(tools) == 2 and tools[0].index != tools[1].index
    stops = {e.index for e in hub if isinstance(e, BlockStop)}
    assert stops == {s.index for s in starts}
    assert isinstance(hub[-1], MessageStop) and isinstance(hub[-2], MessageDelta)


def test_claude_signature_round_trips_to_claude_client() -> None:
    stream = next(s for s in STREAMS if s.format == "anthropic_messages" and s.name == "tools")
    result = validate("anthropic_messages", convert(stream, "anthropic_messages"))
    assert result["signatures"] == ["EqQBCkYIARgCKkB+sig=="]


def test_responses_encrypted_reasoning_reaches_responses_client() -> None:
    stream = next(s for s in STREAMS if s.format == "openai_responses" and s.name == "tools")
    result = validate("openai_responses", convert(stream, "openai_responses"))
    assert result["signatures"] == ["gAAAAenc"]


def test_gemini_thought_signature_rides_in_tool_call_id() -> None:
    stream = next(s for s in STREAMS if s.format == "gemini" and s.name == "tools")
    for client in ("openai_chat", "anthropic_messages", "openai_responses"):
        result = validate(client, convert(stream, client))
        first, second = (ref for ref, _, _ in result["calls"])
        assert unpack_signature(first)[1] == "CiQBVKhc7sig"
        assert unpack_signature(second) == (second, "")
    result = validate("gemini", convert(stream, "gemini"))
    assert result["signatures"] == ["CiQBVKhc7sig", ""]


@pytest.mark.parametrize("client", CLIENTS)
def test_upstream_error_mid_stream_is_rendered_in_client_format(client: str) -> None:
    encoder = HUB_CODECS[client].stream_encoder(model="m")
    out = encoder.encode(MessageStart("x", "m")) + encoder.encode(BlockStart(0, "text"))
    out += encoder.encode(TextDelta(0, "partial"))
    out += encoder.encode(StreamError("Overloaded", "overloaded_error"))
    assert b"Overloaded" in out
    assert encoder.finish() == b"", "no terminal success events after an error"
    if client == "openai_responses":
        assert b"event: response.failed" in out


@pytest.mark.parametrize("client", CLIENTS)
def test_stream_ending_without_terminal_event_is_closed(client: str) -> None:
    stream = next(s for s in STREAMS if s.format == "openai_chat" and s.name == "max_tokens")
    body = stream.body.replace(b"data: [DONE]\n\n", b"")
    converter = StreamConverter("openai_chat", client, model="client-model")
    out = converter.feed(body) + converter.close()
    result = validate(client, out)
    assert result["text"] == "Once upon"
    assert result["stop"] == "max_tokens"


def test_claude_stream_usage_keeps_message_start_input() -> None:
    # Bedrock-style: message_delta has output tokens only; input/cache come from message_start.
    stream = next(s for s in STREAMS if s.format == "anthropic_messages" and s.name == "tools")
    decoder = HUB_CODECS["anthropic_messages"].stream_decoder()
    hub = [e for ev, data in SSEDecoder().feed(stream.body) for e in decoder.feed(ev, data)]
    delta = next(e for e in hub if isinstance(e, MessageDelta))
    assert delta.usage is not None
    assert delta.usage.prompt_tokens == 1030
    assert delta.usage.cached_tokens == 900
    assert delta.usage.cache_write_5m_tokens == 100
    assert delta.usage.completion_tokens == 57


# --- the scenario matrix as streams: hub events -> upstream encoder -> decoder -> client ----------


def hub_events(response: ChatResponse) -> list[StreamEvent]:
    """The stream an upstream would send for ``response``."""
    out: list[StreamEvent] = [MessageStart(response.id, response.model)]
    for index, block in enumerate(response.content):
        if isinstance(block, TextBlock):
            out += [
                BlockStart(index, "text"),
                TextDelta(index, block.text[:3]),
                TextDelta(index, block.text[3:]),
                BlockStop(index),
            ]
        elif isinstance(block, ToolUseBlock):
            out += [
                BlockStart(index, "tool_use", block.id, block.name),
                ToolArgumentsDelta(index, block.arguments[:5]),
                ToolArgumentsDelta(index, block.arguments[5:]),
                BlockStop(index),
            ]
    out += [MessageDelta(response.stop_reason, response.usage), MessageStop()]
    return out


@pytest.mark.parametrize(
    ("scenario", "upstream", "client"),
    [
        pytest.param(s, u, c, id=f"{u}->{c}-{s.name}")
        for s in SCENARIOS
        for u in CLIENTS
        for c in CLIENTS
    ],
)
def test_scenario_streams(scenario: Scenario, upstream: str, client: str) -> None:
    encoder = HUB_CODECS[upstream].stream_encoder(model="upstream-model")
    upstream_bytes = (
        b"".join(encoder.encode(e) for e in hub_events(scenario.response)) + encoder.finish()
    )
    validate(upstream, upstream_bytes)  # our own upstream-side output obeys the grammar too
    converter = StreamConverter(upstream, client, model="client-model")
    result = validate(client, converter.feed(upstream_bytes) + converter.close())
    response = scenario.response
    assert result["text"] == "".join(b.text for b in response.content if isinstance(b, TextBlock))
    calls = [
        (b.name, orjson.loads(b.arguments)) for b in response.content if isinstance(b, ToolUseBlock)
    ]
    assert [(name, args) for _, name, args in result["calls"]] == calls
    assert result["stop"] == response.stop_reason.value
    usage = response.usage
    assert result["usage"] == (usage.prompt_tokens, usage.completion_tokens, usage.cached_tokens)


def test_claude_server_tool_blocks_are_left_out_of_other_formats() -> None:
    events = [
        {
            "type": "message_start",
            "message": {"id": "msg_s", "model": "c", "usage": {"input_tokens": 5}},
        },
        {
            "type": "content_block_start",
            "index": 0,
            "content_block": {
                "type": "server_tool_use",
                "id": "srvtoolu_1",
                "name": "web_search",
                "input": {},
            },
        },
        {
            "type": "content_block_delta",
            "index": 0,
            "delta": {"type": "input_json_delta", "partial_json": '{"query": "x"}'},
        },
        {"type": "content_block_stop", "index": 0},
        {
            "type": "content_block_start",
            "index": 1,
            "content_block": {
                "type": "web_search_tool_result",
                "tool_use_id": "srvtoolu_1",
                "content": [],
            },
        },
        {"type": "content_block_stop", "index": 1},
        {"type": "content_block_start", "index": 2, "content_block": {"type": "text", "text": ""}},
        {
            "type": "content_block_delta",
            "index": 2,
            "delta": {"type": "text_delta", "text": "Found it."},
        },
        {"type": "content_block_stop", "index": 2},
        {
            "type": "message_delta",
            "delta": {"stop_reason": "end_turn"},
            "usage": {"output_tokens": 9},
        },
        {"type": "message_stop"},
    ]
    body = b"".join(
        b"event: " + e["type"].encode() + b"\ndata: " + orjson.dumps(e) + b"\n\n" for e in events
    )
    for client in CLIENTS:
        converter = StreamConverter("anthropic_messages", client, model="m")
        result = validate(client, converter.feed(body) + converter.close())
        assert result["text"] == "Found it." and result["calls"] == []


@pytest.mark.parametrize("stream", STREAMS, ids=lambda s: f"{s.format}:{s.name}")
def test_converter_reports_usage_in_hub_semantics(stream: UpstreamStream) -> None:
    converter = StreamConverter(stream.format, "openai_chat", model="m")
    converter.feed(stream.body)
    converter.close()
    assert converter.usage is not None
    usage = converter.usage
    assert (usage.prompt_tokens, usage.completion_tokens, usage.cached_tokens) == stream.usage
    assert stream.text in converter.output_text
    assert converter.error is None
