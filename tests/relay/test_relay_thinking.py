"""The ``thinking_to_content`` channel setting through a real gateway: reasoning reaches the
client as ``<think>…</think>`` at the start of the text, stream and non-stream, passthrough and
converted, for chat, Claude and Gemini clients; the request is still billed once."""

from __future__ import annotations

from pathlib import Path

import anthropic
import httpx
import openai
import orjson
from google import genai
from google.genai import types

from newapi.testing import FakeUpstream
from tests.relay.conftest import gateway

THOUGHT = "<think>\nthinking: hello\n</think>\n"
ANSWER = THOUGHT + "echo: hello"

PRICES = """
[prices."o3-mini"]
model_ratio = 0.55
completion_ratio = 4

[prices."claude-test"]
model_ratio = 1.5
completion_ratio = 5

[prices."gemini-2.5-flash"]
model_ratio = 0.15
completion_ratio = 4
"""


def channels(url: str, on: bool = True) -> str:
    setting = "\n[channels.{name}.settings]\nthinking_to_content = true\n" if on else ""
    return f"""
[channels.oai]
provider = "openai"
base_url = "{url}"
key = "sk-upstream-oai"
models = ["o3-mini"]
{setting.format(name="oai")}
[channels.claude]
provider = "anthropic"
base_url = "{url}"
key = "sk-ant-upstream"
models = ["claude-test"]
{setting.format(name="claude")}
[channels.gem]
provider = "gemini"
base_url = "{url}"
key = "gem-upstream-key"
models = ["gemini-2.5-flash"]
{setting.format(name="gem")}
"""


def _gw(tmp_path: Path, fake: FakeUpstream, on: bool = True):
    return gateway(tmp_path, channels(fake.url, on), extra_toml=PRICES)


def _oai(gw) -> openai.AsyncOpenAI:
    return openai.AsyncOpenAI(base_url=gw.url + "/v1", api_key=gw.key, max_retries=0)


def _claude(gw) -> anthropic.AsyncAnthropic:
    return anthropic.AsyncAnthropic(base_url=gw.url, api_key=gw.key, max_retries=0)


async def _chat_stream(gw, model: str) -> list[dict]:
    """The deltas of a chat stream (as dicts, so unknown fields are visible)."""
    client = _oai(gw)
    stream = await client.chat.completions.create(
        model=model, stream=True, messages=[{"role": "user", "content": "hello"}]
    )
    deltas = [c.choices[0].delta.model_dump() async for c in stream if c.choices]
    await client.close()
    return deltas


async def _billed_once(gw) -> None:
    rows = await gw.logs()
    assert len(rows) == 1 and rows[0]["quota"] > 0
    assert orjson.loads(rows[0]["other"])["stream_status"] == "completed"


# -- chat clients -----------------------------------------------------------------------------


async def test_chat_passthrough_non_stream(tmp_path: Path, fake: FakeUpstream) -> None:
    async with _gw(tmp_path, fake) as gw:
        client = _oai(gw)
        reply = await client.chat.completions.create(
            model="o3-mini-high", messages=[{"role": "user", "content": "hello"}]
        )
        await client.close()
        message = reply.choices[0].message
        assert message.content == ANSWER
        assert "reasoning_content" not in (message.model_extra or {})
        assert reply.usage is not None and reply.usage.completion_tokens == 4
        await _billed_once(gw)


async def test_chat_passthrough_stream(tmp_path: Path, fake: FakeUpstream) -> None:
    async with _gw(tmp_path, fake) as gw:
        deltas = await _chat_stream(gw, "o3-mini-high")
        assert all("reasoning_content" not in d for d in deltas)
        contents = [d["content"] for d in deltas if d.get("content")]
        assert "".join(contents) == ANSWER
        # opened with the first reasoning delta, closed before the first content delta
        assert contents[0].startswith("<think>\n")
        close = contents.index("\n</think>\n")
        assert contents[close + 1].startswith("echo:")
        await _billed_once(gw)


async def test_chat_client_on_a_claude_channel_stream(tmp_path: Path, fake: FakeUpstream) -> None:
    async with _gw(tmp_path, fake) as gw:
        deltas = await _chat_stream(gw, "claude-test-thinking")
        assert all("reasoning_content" not in d for d in deltas)
        assert "".join(d["content"] or "" for d in deltas) == ANSWER
        await _billed_once(gw)


async def test_chat_client_on_a_gemini_channel_non_stream(
    tmp_path: Path, fake: FakeUpstream
) -> None:
    async with _gw(tmp_path, fake) as gw:
        client = _oai(gw)
        reply = await client.chat.completions.create(
            model="gemini-2.5-flash-thinking", messages=[{"role": "user", "content": "hello"}]
        )
        await client.close()
        message = reply.choices[0].message
        assert message.content == ANSWER
        assert "reasoning_content" not in (message.model_extra or {})


async def test_setting_off_keeps_reasoning_apart(tmp_path: Path, fake: FakeUpstream) -> None:
    async with _gw(tmp_path, fake, on=False) as gw:
        deltas = await _chat_stream(gw, "o3-mini-high")
        assert "".join(d.get("reasoning_content") or "" for d in deltas) == "thinking: hello"
        assert "".join(d["content"] or "" for d in deltas) == "echo: hello"


# -- Claude clients ---------------------------------------------------------------------------


async def test_claude_passthrough_non_stream(tmp_path: Path, fake: FakeUpstream) -> None:
    async with _gw(tmp_path, fake) as gw:
        client = _claude(gw)
        reply = await client.messages.create(
            model="claude-test-thinking", max_tokens=2000,
            messages=[{"role": "user", "content": "hello"}],
        )
        await client.close()
        assert [b.type for b in reply.content] == ["text"]
        assert reply.content[0].text == ANSWER
        assert reply.usage.output_tokens > 0
        await _billed_once(gw)


async def test_claude_passthrough_stream(tmp_path: Path, fake: FakeUpstream) -> None:
    async with _gw(tmp_path, fake) as gw:
        client = _claude(gw)
        kinds: list[str] = []
        text = ""
        async with client.messages.stream(
            model="claude-test-thinking", max_tokens=2000,
            messages=[{"role": "user", "content": "hello"}],
        ) as stream:
            async for event in stream:
                if event.type == "content_block_start":
                    kinds.append(event.content_block.type)
                elif event.type == "content_block_delta":
                    assert event.delta.type == "text_delta"
                    text += event.delta.text
            final = await stream.get_final_message()
        await client.close()
        assert kinds == ["text", "text"] and text == ANSWER
        assert "".join(b.text for b in final.content if b.type == "text") == ANSWER
        await _billed_once(gw)


async def test_claude_client_on_a_chat_channel_stream(tmp_path: Path, fake: FakeUpstream) -> None:
    async with _gw(tmp_path, fake) as gw:
        client = _claude(gw)
        async with client.messages.stream(
            model="o3-mini-high", max_tokens=200,
            messages=[{"role": "user", "content": "hello"}],
        ) as stream:
            final = await stream.get_final_message()
        await client.close()
        assert {b.type for b in final.content} == {"text"}
        assert "".join(b.text for b in final.content) == ANSWER
        await _billed_once(gw)


# -- Gemini clients ---------------------------------------------------------------------------


async def test_gemini_passthrough_stream(tmp_path: Path, fake: FakeUpstream) -> None:
    async with _gw(tmp_path, fake) as gw:
        client = genai.Client(
            api_key=gw.key,
            http_options=types.HttpOptions(
                base_url=gw.url, timeout=30_000,
                async_client_args={"transport": httpx.AsyncHTTPTransport()},
            ),
        )
        text = ""
        async for chunk in await client.aio.models.generate_content_stream(
            model="gemini-2.5-flash-thinking", contents="hello",
        ):
            for part in chunk.candidates[0].content.parts or ():
                assert not part.thought
                text += part.text or ""
        assert text == ANSWER
        await _billed_once(gw)


async def test_responses_client_on_a_chat_channel(tmp_path: Path, fake: FakeUpstream) -> None:
    async with _gw(tmp_path, fake) as gw:
        client = _oai(gw)
        reply = await client.responses.create(model="o3-mini-high", input="hello")
        stream = await client.responses.create(model="o3-mini-high", input="hello", stream=True)
        delta = "response.output_text.delta"
        streamed = "".join([e.delta async for e in stream if e.type == delta])
        await client.close()
        assert [item.type for item in reply.output] == ["message"]
        assert reply.output_text == ANSWER and streamed == ANSWER


async def test_database_channel_setting(tmp_path: Path, fake: FakeUpstream) -> None:
    # One API's channels.setting JSON carries the same switch for channels made in the UI.
    from newapi import store

    async def add_row(db: Path) -> None:
        await store.open_db(f"sqlite://{db}")
        try:
            from newapi.store.models import Channel

            await Channel.create(
                id=7, type=1, key="sk-db", status=1, name="db-openai", base_url=fake.url,
                models="o1", group="default",
                setting=orjson.dumps({"thinking_to_content": True}).decode(),
            )
        finally:
            await store.close_db()

    prices = '\n[prices."o1"]\nmodel_ratio = 7.5\ncompletion_ratio = 4\n'
    async with gateway(tmp_path, "", extra_toml=PRICES + prices, setup=add_row) as gw:
        deltas = await _chat_stream(gw, "o1-low")
        assert "".join(d["content"] or "" for d in deltas) == ANSWER
        assert fake.requests[-1].json["reasoning_effort"] == "low"
