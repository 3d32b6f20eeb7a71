"""The fake upstream's OpenAI Responses wire, driven by the official openai SDK."""

from __future__ import annotations

import openai
import orjson
import pytest
from openai import AsyncOpenAI

from newapi.testing import FakeUpstream

WEATHER = {
    "type": "function",
    "name": "get_weather",
    "description": "Weather for a city",
    "parameters": {
        "type": "object",
        "properties": {
            "city": {"type": "string"},
            "unit": {"type": "string", "enum": ["c", "f"]},
        },
        "required": ["city"],
    },
}
CLOCK = {"type": "function", "name": "get_time", "parameters": {"type": "object"}}


def sdk(fake: FakeUpstream, key: str = "k", base: str | None = None) -> AsyncOpenAI:
    return AsyncOpenAI(base_url=(base or fake.url) + "/v1", api_key=key, max_retries=0)


async def test_create_echoes_with_usage_details(fake: FakeUpstream) -> None:
    client = sdk(fake)
    reply = await client.responses.create(
        model="gpt-4.1",
        instructions="be brief",
        input=[{"role": "user", "content": [{"type": "input_text", "text": "hello   big world"}]}],
    )
    assert reply.id.startswith("resp_")
    assert reply.status == "completed"
    assert reply.output_text == "echo: hello big world"
    message = reply.output[0]
    assert message.type == "message" and message.role == "assistant"
    assert reply.usage is not None
    assert (reply.usage.input_tokens, reply.usage.output_tokens) == (5, 4)
    assert reply.usage.total_tokens == 9
    assert reply.usage.input_tokens_details.cached_tokens == 0
    assert reply.usage.output_tokens_details.reasoning_tokens == 0
    assert fake.requests[-1].path == "/v1/responses"
    await client.close()


async def test_usage_overrides_and_max_output_tokens(fake: FakeUpstream) -> None:
    client = sdk(fake, base=fake.scenario_url("usage=reasoning:7,cached=2"))
    reply = await client.responses.create(model="o3-mini", input="a b c")
    assert reply.usage is not None
    assert reply.usage.input_tokens_details.cached_tokens == 2
    assert reply.usage.output_tokens_details.reasoning_tokens == 7
    plain = sdk(fake)
    short = await plain.responses.create(model="gpt-4o", input="one two three", max_output_tokens=2)
    assert short.status == "incomplete"
    assert short.incomplete_details is not None
    assert short.incomplete_details.reason == "max_output_tokens"
    assert short.output_text == "echo: one "
    await client.close()
    await plain.close()


async def test_function_calls_and_their_outputs(fake: FakeUpstream) -> None:
    client = sdk(fake)
    reply = await client.responses.create(
        model="gpt-4o",
        tools=[CLOCK, WEATHER],  # type: ignore[list-item]
        input="call get_weather and call get_time",
    )
    calls = [item for item in reply.output if item.type == "function_call"]
    assert [c.name for c in calls] == ["get_time", "get_weather"]
    assert orjson.loads(calls[1].arguments) == {"city": "fake", "unit": "c"}
    assert calls[0].call_id.startswith("call_")
    followup = await client.responses.create(
        model="gpt-4o",
        tools=[WEATHER],  # type: ignore[list-item]
        input=[
            {"role": "user", "content": "call get_weather"},
            calls[1].model_dump(),  # type: ignore[list-item]
            {"type": "function_call_output", "call_id": calls[1].call_id, "output": "sunny"},
        ],
    )
    assert followup.output_text == "echo: call get_weather"
    await client.close()


async def test_stream_events_are_typed_and_numbered(fake: FakeUpstream) -> None:
    client = sdk(fake)
    stream = await client.responses.create(model="gpt-4o", input="stream me", stream=True)
    events = [event async for event in stream]
    kinds = [e.type for e in events]
    assert kinds[:4] == [
        "response.created",
        "response.in_progress",
        "response.output_item.added",
        "response.content_part.added",
    ]
    assert kinds[-4:] == [
        "response.output_text.done",
        "response.content_part.done",
        "response.output_item.done",
        "response.completed",
    ]
    assert [e.sequence_number for e in events] == list(range(len(events)))
    deltas = [e.delta for e in events if e.type == "response.output_text.delta"]
    assert "".join(deltas) == "echo: stream me"
    done = events[-1]
    assert done.type == "response.completed"
    assert done.response.usage is not None
    assert done.response.usage.output_tokens == 3
    await client.close()


async def test_stream_helper_accumulates_a_function_call(fake: FakeUpstream) -> None:
    client = sdk(fake)
    async with client.responses.stream(
        model="gpt-4o",
        tools=[WEATHER],
        input="please call get_weather",  # type: ignore[list-item]
    ) as stream:
        kinds = [event.type async for event in stream]
        final = await stream.get_final_response()
    assert "response.function_call_arguments.delta" in kinds
    assert "response.function_call_arguments.done" in kinds
    call = final.output[0]
    assert call.type == "function_call"
    assert orjson.loads(call.arguments) == {"city": "fake", "unit": "c"}
    await client.close()


async def test_errors_in_openai_shape(fake: FakeUpstream) -> None:
    client = sdk(fake, key="bad-key")
    with pytest.raises(openai.AuthenticationError) as caught:
        await client.responses.create(model="gpt-4o", input="hi")
    assert caught.value.code == "invalid_api_key"
    limited = sdk(fake, base=fake.scenario_url("status=429"))
    with pytest.raises(openai.RateLimitError):
        await limited.responses.create(model="gpt-4o", input="hi")
    for each in (client, limited):
        await each.close()
