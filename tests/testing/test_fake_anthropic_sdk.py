"""The fake upstream's Anthropic Messages wire, driven by the official anthropic SDK."""

from __future__ import annotations

import anthropic
import pytest
from anthropic import AsyncAnthropic

from newapi.testing import FakeUpstream

WEATHER = {
    "name": "get_weather",
    "description": "Weather for a city",
    "input_schema": {
        "type": "object",
        "properties": {
            "city": {"type": "string"},
            "unit": {"type": "string", "enum": ["c", "f"]},
            "days": {"type": "integer"},
        },
        "required": ["city"],
    },
}
CLOCK = {"name": "get_time", "input_schema": {"type": "object", "properties": {}}}
MODEL = "claude-fake-1"
WEATHER_ARGS = {"city": "fake", "unit": "c", "days": 1}


def sdk(fake: FakeUpstream, key: str = "ant-key", base: str | None = None) -> AsyncAnthropic:
    return AsyncAnthropic(base_url=base or fake.url, api_key=key, max_retries=0)


async def test_create_echoes_with_word_usage(fake: FakeUpstream) -> None:
    client = sdk(fake)
    reply = await client.messages.create(
        model=MODEL,
        max_tokens=100,
        system="be brief",
        messages=[{"role": "user", "content": [{"type": "text", "text": "hello   big world"}]}],
    )
    assert reply.id.startswith("msg_")
    assert reply.type == "message" and reply.role == "assistant"
    assert reply.model == MODEL
    assert [b.type for b in reply.content] == ["text"]
    assert reply.content[0].text == "echo: hello big world"  # type: ignore[union-attr]
    assert (reply.stop_reason, reply.stop_sequence) == ("end_turn", None)
    assert reply.usage.input_tokens == 5
    assert reply.usage.output_tokens == 4
    assert reply.usage.cache_read_input_tokens == 0
    assert reply.usage.cache_creation_input_tokens == 0
    seen = fake.requests[-1]
    assert seen.path == "/v1/messages"
    sent_key = seen.headers.get("x-api-key") or seen.headers["authorization"]
    assert sent_key.removeprefix("Bearer ") == "ant-key"  # this SDK release sends Bearer
    assert seen.headers["anthropic-version"]
    await client.close()


async def test_max_tokens_and_stop_sequences(fake: FakeUpstream) -> None:
    client = sdk(fake)
    short = await client.messages.create(
        model=MODEL, max_tokens=2, messages=[{"role": "user", "content": "one two three"}]
    )
    assert short.content[0].text == "echo: one "  # type: ignore[union-attr]
    assert short.stop_reason == "max_tokens"
    assert short.usage.output_tokens == 2
    stopped = await client.messages.create(
        model=MODEL,
        max_tokens=50,
        stop_sequences=["zzz", "two"],
        messages=[{"role": "user", "content": "one two three"}],
    )
    assert stopped.content[0].text == "echo: one "  # type: ignore[union-attr]
    assert (stopped.stop_reason, stopped.stop_sequence) == ("stop_sequence", "two")
    await client.close()


async def test_tool_use_parallel_and_forced(fake: FakeUpstream) -> None:
    client = sdk(fake)
    reply = await client.messages.create(
        model=MODEL,
        max_tokens=100,
        tools=[CLOCK, WEATHER],  # type: ignore[list-item]
        messages=[{"role": "user", "content": "call get_weather then call get_time"}],
    )
    assert reply.stop_reason == "tool_use"
    uses = [b for b in reply.content if b.type == "tool_use"]
    assert [u.name for u in uses] == ["get_time", "get_weather"]
    assert uses[1].input == WEATHER_ARGS
    assert uses[0].id.startswith("toolu_")
    forced = await client.messages.create(
        model=MODEL,
        max_tokens=100,
        tools=[CLOCK, WEATHER],  # type: ignore[list-item]
        tool_choice={"type": "tool", "name": "get_weather"},
        messages=[{"role": "user", "content": "what now"}],
    )
    assert [b.name for b in forced.content if b.type == "tool_use"] == ["get_weather"]
    followup = await client.messages.create(
        model=MODEL,
        max_tokens=100,
        tools=[WEATHER],  # type: ignore[list-item]
        messages=[
            {"role": "user", "content": "call get_weather"},
            {"role": "assistant", "content": [u.model_dump() for u in uses[1:]]},  # type: ignore[misc]
            {
                "role": "user",
                "content": [{"type": "tool_result", "tool_use_id": uses[1].id, "content": "sunny"}],
            },
        ],
    )
    assert followup.stop_reason == "end_turn"
    assert followup.content[0].text == "echo: call get_weather"  # type: ignore[union-attr]
    await client.close()


async def test_stream_with_tool_use_reassembles(fake: FakeUpstream) -> None:
    client = sdk(fake)
    async with client.messages.stream(
        model=MODEL,
        max_tokens=100,
        tools=[WEATHER],  # type: ignore[list-item]
        messages=[{"role": "user", "content": "please call get_weather"}],
    ) as stream:
        kinds = [event.type async for event in stream]
        final = await stream.get_final_message()
    assert kinds[0] == "message_start"
    assert "input_json" in kinds
    assert kinds[-1] == "message_stop"
    assert final.stop_reason == "tool_use"
    use = final.content[0]
    assert use.type == "tool_use" and use.name == "get_weather"
    assert use.input == WEATHER_ARGS
    assert final.usage.input_tokens == 3
    assert final.usage.output_tokens == 1 + 5  # name + five 8-char argument pieces
    await client.close()


async def test_stream_text_and_thinking(fake: FakeUpstream) -> None:
    client = sdk(fake)
    async with client.messages.stream(
        model=MODEL,
        max_tokens=1024,
        thinking={"type": "enabled", "budget_tokens": 512},
        messages=[{"role": "user", "content": "think hard"}],
    ) as stream:
        text = "".join([piece async for piece in stream.text_stream])
        final = await stream.get_final_message()
    assert text == "echo: think hard"
    thinking, answer = final.content
    assert thinking.type == "thinking"
    assert thinking.thinking == "thinking: think hard"
    assert thinking.signature
    assert answer.type == "text" and answer.text == text
    assert final.stop_reason == "end_turn"
    assert final.usage.output_tokens == 3 + 3
    plain = await client.messages.create(
        model=MODEL,
        max_tokens=1024,
        thinking={"type": "enabled", "budget_tokens": 512},
        messages=[{"role": "user", "content": "think hard"}],
    )
    assert [b.type for b in plain.content] == ["thinking", "text"]
    assert plain.content[0].signature == thinking.signature  # type: ignore[union-attr]
    await client.close()


async def test_count_tokens(fake: FakeUpstream) -> None:
    client = sdk(fake)
    counted = await client.messages.count_tokens(
        model=MODEL,
        system="you are terse",
        messages=[{"role": "user", "content": "count these four words"}],
    )
    assert counted.input_tokens == 3 + 4
    await client.close()


async def test_errors_in_anthropic_shape(fake: FakeUpstream) -> None:
    client = sdk(fake, key="bad-key")
    with pytest.raises(anthropic.AuthenticationError) as caught:
        await client.messages.create(
            model=MODEL, max_tokens=10, messages=[{"role": "user", "content": "hi"}]
        )
    assert caught.value.body == {
        "type": "error",
        "error": {"type": "authentication_error", "message": "invalid x-api-key"},
        "request_id": "req_fake",
    }
    limited = sdk(fake, base=fake.scenario_url("status=529"))
    with pytest.raises(anthropic.InternalServerError) as overloaded:
        await limited.messages.create(
            model=MODEL, max_tokens=10, messages=[{"role": "user", "content": "hi"}]
        )
    assert overloaded.value.status_code == 529
    assert overloaded.value.body["error"]["type"] == "overloaded_error"  # type: ignore[index]
    rate = sdk(fake, base=fake.scenario_url("status=429,retry_after=0"))
    with pytest.raises(anthropic.RateLimitError) as limited_err:
        await rate.messages.create(
            model=MODEL, max_tokens=10, messages=[{"role": "user", "content": "hi"}]
        )
    assert limited_err.value.body["error"]["type"] == "rate_limit_error"  # type: ignore[index]
    for each in (client, limited, rate):
        await each.close()
