"""The fake upstream driven by the official openai SDK: every OpenAI route it serves."""

from __future__ import annotations

import openai
import orjson
import pytest
from openai import AsyncOpenAI

from newapi.testing import DEFAULT_MODELS, FakeUpstream

WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Weather for a city",
        "parameters": {
            "type": "object",
            "properties": {
                "city": {"type": "string"},
                "unit": {"type": "string", "enum": ["c", "f"]},
                "days": {"type": "integer"},
            },
            "required": ["city"],
        },
    },
}
TIME_TOOL = {"type": "function", "function": {"name": "get_time", "parameters": {}}}


def sdk(fake: FakeUpstream, key: str = "k", base: str | None = None) -> AsyncOpenAI:
    return AsyncOpenAI(base_url=(base or fake.url) + "/v1", api_key=key, max_retries=0)


async def test_chat_echoes_the_last_user_text_with_word_usage(fake: FakeUpstream) -> None:
    client = sdk(fake)
    reply = await client.chat.completions.create(
        model="gpt-4o",
        messages=[
            {"role": "system", "content": "be brief"},
            {"role": "user", "content": [{"type": "text", "text": "hello   big world"}]},
        ],
    )
    assert reply.model == "gpt-4o"
    assert reply.object == "chat.completion"
    assert reply.choices[0].message.content == "echo: hello big world"
    assert reply.choices[0].finish_reason == "stop"
    assert reply.usage is not None
    assert (reply.usage.prompt_tokens, reply.usage.completion_tokens) == (5, 4)
    assert reply.usage.total_tokens == 9
    assert reply.usage.prompt_tokens_details is None
    await client.close()


async def test_chat_honours_n_and_max_tokens(fake: FakeUpstream) -> None:
    client = sdk(fake)
    reply = await client.chat.completions.create(
        model="gpt-4o",
        n=2,
        max_completion_tokens=2,
        messages=[{"role": "user", "content": "one two three"}],
    )
    assert [c.index for c in reply.choices] == [0, 1]
    assert {c.message.content for c in reply.choices} == {"echo: one "}
    assert {c.finish_reason for c in reply.choices} == {"length"}
    assert reply.usage is not None
    assert reply.usage.completion_tokens == 4
    await client.close()


async def test_chat_stream_with_include_usage_ends_with_a_usage_chunk(fake: FakeUpstream) -> None:
    client = sdk(fake)
    stream = await client.chat.completions.create(
        model="gpt-4o-mini",
        stream=True,
        stream_options={"include_usage": True},
        messages=[{"role": "user", "content": "stream me"}],
    )
    chunks = [chunk async for chunk in stream]
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == "echo: stream me"
    assert chunks[0].choices[0].delta.role == "assistant"
    assert chunks[-2].choices[0].finish_reason == "stop"
    assert chunks[-1].choices == []
    assert chunks[-1].usage is not None
    assert chunks[-1].usage.model_dump(exclude_none=True) == {
        "prompt_tokens": 2,
        "completion_tokens": 3,
        "total_tokens": 5,
    }
    assert all(c.usage is None for c in chunks[:-1])
    await client.close()


async def test_chat_stream_without_include_usage_has_no_usage(fake: FakeUpstream) -> None:
    client = sdk(fake)
    stream = await client.chat.completions.create(
        model="gpt-4o", stream=True, messages=[{"role": "user", "content": "hi"}]
    )
    chunks = [chunk async for chunk in stream]
    assert all(c.choices for c in chunks)
    assert all(c.usage is None for c in chunks)
    await client.close()


async def test_chat_calls_the_tool_named_in_the_user_text(fake: FakeUpstream) -> None:
    client = sdk(fake)
    reply = await client.chat.completions.create(
        model="gpt-4o",
        tools=[TIME_TOOL, WEATHER_TOOL],  # type: ignore[list-item]  # plain dicts on purpose
        messages=[{"role": "user", "content": "please call get_weather for Paris"}],
    )
    choice = reply.choices[0]
    assert choice.finish_reason == "tool_calls"
    assert choice.message.content is None
    calls = choice.message.tool_calls or []
    assert [c.function.name for c in calls] == ["get_weather"]  # type: ignore[union-attr]
    args = orjson.loads(calls[0].function.arguments)  # type: ignore[union-attr]
    assert args == {"city": "fake", "unit": "c", "days": 1}
    assert calls[0].id.startswith("call_fake")
    await client.close()


async def test_chat_tool_choice_forces_a_tool_and_tool_results_get_text(
    fake: FakeUpstream,
) -> None:
    client = sdk(fake)
    forced = await client.chat.completions.create(
        model="gpt-4o",
        tools=[TIME_TOOL, WEATHER_TOOL],  # type: ignore[list-item]
        tool_choice={"type": "function", "function": {"name": "get_time"}},
        messages=[{"role": "user", "content": "what now"}],
    )
    call = (forced.choices[0].message.tool_calls or [])[0]
    assert call.function.name == "get_time"  # type: ignore[union-attr]
    assert call.function.arguments == "{}"  # type: ignore[union-attr]
    followup = await client.chat.completions.create(
        model="gpt-4o",
        tools=[TIME_TOOL, WEATHER_TOOL],  # type: ignore[list-item]
        tool_choice="required",
        messages=[
            {"role": "user", "content": "what now"},
            forced.choices[0].message.model_dump(exclude_none=True),  # type: ignore[misc]
            {"role": "tool", "tool_call_id": call.id, "content": "noon"},
        ],
    )
    assert followup.choices[0].message.content == "echo: what now"
    plain = await client.chat.completions.create(
        model="gpt-4o",
        tools=[WEATHER_TOOL],  # type: ignore[list-item]
        messages=[{"role": "user", "content": "no tools please"}],
    )
    assert plain.choices[0].message.tool_calls is None
    await client.close()


async def test_chat_stream_tool_call_reassembles(fake: FakeUpstream) -> None:
    client = sdk(fake)
    stream = await client.chat.completions.create(
        model="gpt-4o",
        stream=True,
        stream_options={"include_usage": True},
        tools=[WEATHER_TOOL],  # type: ignore[list-item]
        messages=[{"role": "user", "content": "call get_weather"}],
    )
    chunks = [chunk async for chunk in stream]
    deltas = [tc for c in chunks if c.choices for tc in (c.choices[0].delta.tool_calls or [])]
    assert deltas[0].id and deltas[0].function and deltas[0].function.name == "get_weather"
    args = "".join((d.function.arguments or "") for d in deltas if d.function)
    assert orjson.loads(args) == {"city": "fake", "unit": "c", "days": 1}
    assert len(deltas) > 2  # arguments arrive in pieces
    assert chunks[-2].choices[0].finish_reason == "tool_calls"
    usage = chunks[-1].usage
    assert usage is not None
    assert usage.completion_tokens == len(deltas)
    await client.close()


async def test_completions_non_stream_and_stream(fake: FakeUpstream) -> None:
    client = sdk(fake)
    reply = await client.completions.create(
        model="gpt-3.5-turbo-instruct", prompt=["say a", "say b c"], n=2
    )
    assert [c.index for c in reply.choices] == [0, 1, 2, 3]
    assert [c.text for c in reply.choices] == ["echo: say a"] * 2 + ["echo: say b c"] * 2
    assert reply.usage is not None
    assert (reply.usage.prompt_tokens, reply.usage.completion_tokens) == (5, 14)
    stream = await client.completions.create(
        model="gpt-3.5-turbo-instruct",
        prompt="tell me",
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = [chunk async for chunk in stream]
    assert "".join(c.choices[0].text for c in chunks if c.choices) == "echo: tell me"
    assert chunks[-1].usage is not None
    assert chunks[-1].usage.total_tokens == 5
    await client.close()


async def test_embeddings_float_and_base64_agree(fake: FakeUpstream) -> None:
    client = sdk(fake)
    as_float = await client.embeddings.create(
        model="text-embedding-3-small", input=["alpha beta", "gamma"], encoding_format="float"
    )
    as_base64 = await client.embeddings.create(  # the SDK asks for base64 and decodes it
        model="text-embedding-3-small", input=["alpha beta", "gamma"]
    )
    assert len(as_float.data) == 2
    assert len(as_float.data[0].embedding) == 1536
    assert as_float.data[0].embedding == as_base64.data[0].embedding
    assert as_float.data[0].embedding != as_float.data[1].embedding
    assert all(-1 <= v < 1 for v in as_float.data[1].embedding)
    assert (as_float.usage.prompt_tokens, as_float.usage.total_tokens) == (3, 3)
    small = await client.embeddings.create(
        model="text-embedding-3-small", input=[1, 2, 3], dimensions=8
    )
    assert len(small.data[0].embedding) == 8
    assert small.usage.prompt_tokens == 3
    await client.close()


async def test_moderations_flag_named_categories(fake: FakeUpstream) -> None:
    client = sdk(fake)
    result = await client.moderations.create(
        model="omni-moderation-latest", input=["graphic violence here", "a nice day"]
    )
    first, second = result.results
    assert first.flagged and first.categories.violence
    assert not first.categories.hate
    assert first.category_scores.violence > 0.9
    assert not second.flagged
    assert result.model == "omni-moderation-latest"
    await client.close()


async def test_models_list_and_retrieve(fake: FakeUpstream) -> None:
    client = sdk(fake)
    listed = [m.id async for m in client.models.list()]
    assert listed == list(DEFAULT_MODELS)
    model = await client.models.retrieve("gpt-4o")
    assert model.owned_by == "fake-upstream"
    with pytest.raises(openai.NotFoundError) as caught:
        await client.models.retrieve("nope")
    assert caught.value.code == "model_not_found"
    await client.close()


async def test_bad_key_is_rejected_in_openai_shape(fake: FakeUpstream) -> None:
    client = sdk(fake, key="bad-key")
    with pytest.raises(openai.AuthenticationError) as caught:
        await client.chat.completions.create(
            model="gpt-4o", messages=[{"role": "user", "content": "hi"}]
        )
    assert caught.value.status_code == 401
    assert caught.value.code == "invalid_api_key"
    assert caught.value.type == "invalid_request_error"
    await client.close()


async def test_sdk_sees_scenario_errors_from_a_prefixed_base_url(fake: FakeUpstream) -> None:
    client = sdk(fake, base=fake.scenario_url("status=429,retry_after=0"))
    with pytest.raises(openai.RateLimitError) as caught:
        await client.chat.completions.create(
            model="gpt-4o", messages=[{"role": "user", "content": "hi"}]
        )
    assert caught.value.code == "rate_limit_exceeded"
    assert caught.value.response.headers["retry-after"] == "0"
    await client.close()
