"""Prompt-cache billing per upstream format, for passthrough and converted requests, stream and
non-stream: the exact quota of each log row, worked out by hand.

Claude's ``input_tokens`` exclude cache reads and writes; Gemini's ``promptTokenCount`` and
OpenAI's ``prompt_tokens`` include the cached tokens. Whatever the client's format, the same
upstream usage must cost the same.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anthropic
import httpx
import openai
import orjson
from google import genai
from google.genai import types

from newapi.relay.canonical import MessageDelta
from newapi.relay.formats.anthropic_messages.stream import StreamDecoder as ClaudeDecoder
from newapi.testing import FakeUpstream
from tests.relay.conftest import gateway

CLAUDE_USAGE = "usage=prompt:100|completion:20|cached:1000|write_5m:200|write_1h:50"
GEMINI_USAGE = "usage=prompt:100|completion:20|cached:60"
OPENAI_USAGE = "usage=prompt:100|completion:20|cached:30"

PRICES = """
[prices."claude-test"]
model_ratio = 1.5
completion_ratio = 5
cache_ratio = 0.1
create_cache_ratio = 1.25

[prices."gemini-test"]
model_ratio = 1
completion_ratio = 4
cache_ratio = 0.25
"""

# (100 + 1000 x 0.1 + 200 x 1.25 + 50 x 1.25 x 1.6 + 20 x 5) x 1.5 = 650 x 1.5
CLAUDE_QUOTA = 975
# (100 - 60 + 60 x 0.25 + 20 x 4) x 1 = 135
GEMINI_QUOTA = 135
# gpt-4o (base config): (100 - 30 + 30 x 0.5 + 20 x 4) x 1.25 = 206.25
OPENAI_QUOTA = 206


def channels(url: str) -> str:
    return f"""
[channels.claude]
provider = "anthropic"
base_url = "{url}/s/{CLAUDE_USAGE}"
key = "sk-ant-upstream"
models = ["claude-test"]

[channels.gem]
provider = "gemini"
base_url = "{url}/s/{GEMINI_USAGE}"
key = "gem-upstream-key"
models = ["gemini-test"]

[channels.oai]
provider = "openai"
base_url = "{url}/s/{OPENAI_USAGE}"
key = "sk-upstream-oai"
models = ["gpt-4o"]
"""


def _gw(tmp_path: Path, fake: FakeUpstream):
    return gateway(tmp_path, channels(fake.url), extra_toml=PRICES)


def _oai(gw) -> openai.AsyncOpenAI:
    return openai.AsyncOpenAI(base_url=gw.url + "/v1", api_key=gw.key, max_retries=0)


def _claude(gw) -> anthropic.AsyncAnthropic:
    return anthropic.AsyncAnthropic(base_url=gw.url, api_key=gw.key, max_retries=0)


def _gemini(gw) -> genai.Client:
    return genai.Client(
        api_key=gw.key,
        http_options=types.HttpOptions(
            base_url=gw.url, timeout=30_000,
            async_client_args={"transport": httpx.AsyncHTTPTransport()},
        ),
    )


HELLO = [{"role": "user", "content": "hello"}]


async def _chat(gw, model: str, *, stream: bool) -> dict[str, Any]:
    """A chat request; returns the usage the client saw."""
    client = _oai(gw)
    if stream:
        chunks = await client.chat.completions.create(model=model, messages=HELLO, stream=True)
        usage = [c.usage async for c in chunks if c.usage is not None][-1]
    else:
        usage = (await client.chat.completions.create(model=model, messages=HELLO)).usage
    await client.close()
    assert usage is not None
    return usage.model_dump()


async def _messages(gw, model: str, *, stream: bool) -> dict[str, Any]:
    """A Claude request; returns the usage the client saw."""
    client = _claude(gw)
    if stream:
        async with client.messages.stream(model=model, max_tokens=100, messages=HELLO) as s:
            reply = await s.get_final_message()
    else:
        reply = await client.messages.create(model=model, max_tokens=100, messages=HELLO)
    await client.close()
    return reply.usage.model_dump()


async def _generate(gw, model: str, *, stream: bool) -> types.GenerateContentResponseUsageMetadata:
    """A Gemini request; returns the usage metadata the client saw."""
    client = _gemini(gw)
    if stream:
        chunks = [c async for c in await client.aio.models.generate_content_stream(
            model=model, contents="hello")]
        meta = chunks[-1].usage_metadata
    else:
        reply = await client.aio.models.generate_content(model=model, contents="hello")
        meta = reply.usage_metadata
    assert meta is not None
    return meta


async def _quotas(gw) -> list[tuple[int, dict[str, Any]]]:
    return [(row["quota"], orjson.loads(row["other"])) for row in await gw.logs()]


async def test_claude_cache_reads_and_writes(tmp_path: Path, fake: FakeUpstream) -> None:
    async with _gw(tmp_path, fake) as gw:
        for stream in (False, True):
            usage = await _messages(gw, "claude-test", stream=stream)  # passthrough
            assert usage["input_tokens"] == 100 and usage["cache_read_input_tokens"] == 1000
            assert usage["cache_creation_input_tokens"] == 250
            assert usage["cache_creation"] == {
                "ephemeral_5m_input_tokens": 200, "ephemeral_1h_input_tokens": 50,
            }
        for stream in (False, True):
            usage = await _chat(gw, "claude-test", stream=stream)  # converted
            # the chat client sees OpenAI semantics: prompt includes the cache tokens
            assert usage["prompt_tokens"] == 1350 and usage["completion_tokens"] == 20
            assert usage["prompt_tokens_details"]["cached_tokens"] == 1000
        rows = await _quotas(gw)
        assert [quota for quota, _ in rows] == [CLAUDE_QUOTA] * 4
        for _, other in rows:
            assert other["cache_tokens"] == 1000 and other["cache_creation_tokens"] == 250
            assert other["cache_creation_tokens_5m"] == 200
            assert other["cache_creation_tokens_1h"] == 50
            assert other["cache_creation_ratio_1h"] == 2  # 1.6 x the 5-minute ratio


async def test_gemini_cached_content_tokens(tmp_path: Path, fake: FakeUpstream) -> None:
    async with _gw(tmp_path, fake) as gw:
        for stream in (False, True):
            meta = await _generate(gw, "gemini-test", stream=stream)  # passthrough
            assert meta.prompt_token_count == 100 and meta.cached_content_token_count == 60
        for stream in (False, True):
            usage = await _chat(gw, "gemini-test", stream=stream)
            assert usage["prompt_tokens"] == 100
            assert usage["prompt_tokens_details"]["cached_tokens"] == 60
        for stream in (False, True):
            usage = await _messages(gw, "gemini-test", stream=stream)
            # the Claude client sees Claude semantics: input excludes the cached tokens
            assert usage["input_tokens"] == 40 and usage["cache_read_input_tokens"] == 60
        rows = await _quotas(gw)
        assert [quota for quota, _ in rows] == [GEMINI_QUOTA] * 6
        assert all(other["cache_tokens"] == 60 for _, other in rows)


async def test_openai_cached_tokens_seen_by_other_clients(
    tmp_path: Path, fake: FakeUpstream
) -> None:
    async with _gw(tmp_path, fake) as gw:
        for stream in (False, True):
            usage = await _messages(gw, "gpt-4o", stream=stream)
            assert usage["input_tokens"] == 70 and usage["cache_read_input_tokens"] == 30
        for stream in (False, True):
            meta = await _generate(gw, "gpt-4o", stream=stream)
            assert meta.prompt_token_count == 100 and meta.cached_content_token_count == 30
        rows = await _quotas(gw)
        assert [quota for quota, _ in rows] == [OPENAI_QUOTA] * 4


def test_claude_stream_delta_without_input_keeps_the_start_counts() -> None:
    # A message_delta that repeats the cache counts but reports no input (Bedrock-style)
    # must not lower the prompt count taken from message_start.
    decoder = ClaudeDecoder()
    start = {
        "type": "message_start",
        "message": {
            "id": "msg_1", "model": "claude-test", "content": [],
            "usage": {"input_tokens": 10, "cache_read_input_tokens": 100,
                      "cache_creation_input_tokens": 5, "output_tokens": 1},
        },
    }
    delta = {
        "type": "message_delta", "delta": {"stop_reason": "end_turn"},
        "usage": {"input_tokens": 0, "cache_read_input_tokens": 100, "output_tokens": 7},
    }
    decoder.feed(b"message_start", orjson.dumps(start))
    decoder.feed(b"message_delta", orjson.dumps(delta))
    [final] = [e for e in decoder.finish() if isinstance(e, MessageDelta)]
    assert final.usage is not None
    assert final.usage.prompt_tokens == 115  # hub semantics: 10 + 100 + 5
    assert final.usage.cached_tokens == 100 and final.usage.cache_write_5m_tokens == 5
    assert final.usage.completion_tokens == 7


async def test_claude_full_cache_hit_with_zero_input_is_not_recounted(
    tmp_path: Path, fake: FakeUpstream
) -> None:
    # input_tokens 0 is a real count when everything else came from the cache: it must not be
    # replaced by a local estimate of the whole prompt (which would bill the cache twice).
    async with _gw(tmp_path, fake) as gw:
        fake.script(["usage=prompt:0|completion:20|cached:1000|write_5m:200"])
        client = _claude(gw)
        await client.messages.create(model="claude-test", max_tokens=100, messages=HELLO)
        await client.close()
        [(quota, other)] = await _quotas(gw)
        # (0 + 1000 x 0.1 + 200 x 1.25 + 20 x 5) x 1.5 = 450 x 1.5
        assert quota == 675
        assert other["usage_source"] == "upstream" and other["cache_creation_tokens_5m"] == 200

