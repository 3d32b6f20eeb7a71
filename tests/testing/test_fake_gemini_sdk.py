"""The fake upstream's Gemini wire, driven by the official google-genai SDK (v1 and v1beta)."""

from __future__ import annotations

import httpx
import pytest
from google import genai
from google.genai import errors, types

from newapi.testing import FakeUpstream

WEATHER = types.FunctionDeclaration(
    name="get_weather",
    description="Weather for a city",
    parameters=types.Schema(
        type=types.Type.OBJECT,
        properties={
            "city": types.Schema(type=types.Type.STRING),
            "unit": types.Schema(type=types.Type.STRING, enum=["c", "f"]),
            "days": types.Schema(type=types.Type.INTEGER),
        },
    ),
)
CLOCK = types.FunctionDeclaration(name="get_time", description="The time")
VERSIONS = pytest.mark.parametrize("version", ["v1beta", "v1"])


def sdk(
    fake: FakeUpstream, version: str = "v1beta", key: str = "goog-key", base: str | None = None
) -> genai.Client:
    """A client on httpx: with aiohttp installed the SDK would pick it, and its session
    subclass raises a DeprecationWarning (an error under this project's pytest settings)."""
    options = types.HttpOptions(
        base_url=base or fake.url,
        api_version=version,
        async_client_args={"transport": httpx.AsyncHTTPTransport()},
    )
    return genai.Client(api_key=key, http_options=options)


@VERSIONS
async def test_generate_content_echoes_with_usage(fake: FakeUpstream, version: str) -> None:
    client = sdk(fake, version)
    reply = await client.aio.models.generate_content(
        model="gemini-2.5-flash",
        contents="hello   big world",
        config=types.GenerateContentConfig(system_instruction="be brief"),
    )
    assert reply.text == "echo: hello big world"
    candidate = (reply.candidates or [])[0]
    assert candidate.finish_reason == types.FinishReason.STOP
    usage = reply.usage_metadata
    assert usage is not None
    assert (usage.prompt_token_count, usage.candidates_token_count) == (5, 4)
    assert usage.total_token_count == 9
    assert usage.cached_content_token_count is None
    assert usage.thoughts_token_count is None
    assert reply.model_version == "gemini-2.5-flash"
    seen = fake.requests[-1]
    assert seen.path == f"/{version}/models/gemini-2.5-flash:generateContent"
    assert seen.headers["x-goog-api-key"] == "goog-key"
    await client.aio.aclose()


@VERSIONS
async def test_generate_content_stream(fake: FakeUpstream, version: str) -> None:
    client = sdk(fake, version)
    chunks = [
        chunk
        async for chunk in await client.aio.models.generate_content_stream(
            model="gemini-2.0-flash", contents="stream me please"
        )
    ]
    assert "".join(c.text or "" for c in chunks) == "echo: stream me please"
    assert len(chunks) == 4 + 1  # one per piece, then the finishing chunk
    last = chunks[-1]
    assert (last.candidates or [])[0].finish_reason == types.FinishReason.STOP
    assert last.usage_metadata is not None
    assert last.usage_metadata.candidates_token_count == 4
    assert all(c.usage_metadata is None for c in chunks[:-1])
    assert fake.requests[-1].query == {"alt": ["sse"]}
    await client.aio.aclose()


async def test_max_tokens_and_stop_sequences(fake: FakeUpstream) -> None:
    client = sdk(fake)
    short = await client.aio.models.generate_content(
        model="gemini-2.5-flash",
        contents="one two three",
        config=types.GenerateContentConfig(max_output_tokens=2),
    )
    assert short.text == "echo: one "
    assert (short.candidates or [])[0].finish_reason == types.FinishReason.MAX_TOKENS
    stopped = await client.aio.models.generate_content(
        model="gemini-2.5-flash",
        contents="one two three",
        config=types.GenerateContentConfig(stop_sequences=["three"]),
    )
    assert stopped.text == "echo: one two "
    await client.aio.aclose()


async def test_function_calls_carry_thought_signatures(fake: FakeUpstream) -> None:
    client = sdk(fake)
    tools = [types.Tool(function_declarations=[CLOCK, WEATHER])]
    reply = await client.aio.models.generate_content(
        model="gemini-2.5-pro",
        contents="call get_weather and call get_time",
        config=types.GenerateContentConfig(tools=tools),
    )
    calls = reply.function_calls or []
    assert [c.name for c in calls] == ["get_time", "get_weather"]
    assert calls[1].args == {"city": "fake", "unit": "c", "days": 1}
    parts = (reply.candidates or [])[0].content.parts or []  # type: ignore[union-attr]
    assert all(p.thought_signature for p in parts)
    forced = await client.aio.models.generate_content(
        model="gemini-2.5-pro",
        contents="what now",
        config=types.GenerateContentConfig(
            tools=tools,
            tool_config=types.ToolConfig(
                function_calling_config=types.FunctionCallingConfig(
                    mode=types.FunctionCallingConfigMode.ANY
                )
            ),
        ),
    )
    assert [c.name for c in forced.function_calls or []] == ["get_time"]
    await client.aio.aclose()


async def test_thoughts_and_cached_tokens(fake: FakeUpstream) -> None:
    client = sdk(fake)
    config = types.GenerateContentConfig(
        thinking_config=types.ThinkingConfig(include_thoughts=True, thinking_budget=512)
    )
    reply = await client.aio.models.generate_content(
        model="gemini-2.5-flash", contents="think hard #fake:cached=1", config=config
    )
    parts = (reply.candidates or [])[0].content.parts or []  # type: ignore[union-attr]
    assert [bool(p.thought) for p in parts] == [True, False]
    assert parts[0].text == "thinking: think hard #fake:cached=1"
    assert parts[1].text == "echo: think hard #fake:cached=1"
    usage = reply.usage_metadata
    assert usage is not None
    assert (usage.prompt_token_count, usage.candidates_token_count) == (3, 4)
    assert (usage.thoughts_token_count, usage.cached_content_token_count) == (4, 1)
    assert usage.total_token_count == 3 + 4 + 4
    stream = await client.aio.models.generate_content_stream(
        model="gemini-2.5-flash", contents="think", config=config
    )
    chunks = [c async for c in stream]
    thought = [
        p.text for c in chunks for p in (c.candidates or [])[0].content.parts or [] if p.thought
    ]  # type: ignore[union-attr]
    assert "".join(t or "" for t in thought) == "thinking: think"
    await client.aio.aclose()


@VERSIONS
async def test_embed_content(fake: FakeUpstream, version: str) -> None:
    client = sdk(fake, version)
    result = await client.aio.models.embed_content(
        model="gemini-embedding-001", contents=["alpha beta", "gamma"]
    )
    vectors = [e.values or [] for e in result.embeddings or []]
    assert [len(v) for v in vectors] == [768, 768]
    assert vectors[0] != vectors[1]
    assert fake.requests[-1].path == f"/{version}/models/gemini-embedding-001:batchEmbedContents"
    small = await client.aio.models.embed_content(
        model="gemini-embedding-001",
        contents="alpha beta",
        config=types.EmbedContentConfig(output_dimensionality=8),
    )
    assert len((small.embeddings or [])[0].values or []) == 8
    await client.aio.aclose()


async def test_errors_in_google_shape(fake: FakeUpstream) -> None:
    client = sdk(fake, key="bad-key")
    with pytest.raises(errors.ClientError) as caught:
        await client.aio.models.generate_content(model="gemini-2.5-flash", contents="hi")
    assert caught.value.code == 400
    assert caught.value.status == "INVALID_ARGUMENT"
    assert "API key not valid" in (caught.value.message or "")
    await client.aio.aclose()
    limited = sdk(fake, base=fake.scenario_url("status=429"))
    with pytest.raises(errors.ClientError) as exhausted:
        await limited.aio.models.generate_content(model="gemini-2.5-flash", contents="hi")
    assert (exhausted.value.code, exhausted.value.status) == (429, "RESOURCE_EXHAUSTED")
    await limited.aio.aclose()
    broken = sdk(fake, base=fake.scenario_url("status=503"))
    with pytest.raises(errors.ServerError) as unavailable:
        await broken.aio.models.generate_content(model="gemini-2.5-flash", contents="hi")
    assert unavailable.value.status == "UNAVAILABLE"
    await broken.aio.aclose()


async def test_models_list(fake: FakeUpstream) -> None:
    client = sdk(fake)
    names = [m.name async for m in await client.aio.models.list()]
    assert "models/gemini-2.5-flash" in names
    one = await client.aio.models.get(model="gemini-2.0-flash")
    assert one.name == "models/gemini-2.0-flash"
    await client.aio.aclose()
