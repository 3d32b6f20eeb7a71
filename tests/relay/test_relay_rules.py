"""Reasoning-suffix rules through a real gateway: what the fake upstream received for each
suffix family (passthrough and converted), which channels were picked, and what was billed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anthropic
import httpx
import openai
import orjson
from google import genai
from google.genai import types

from newapi.testing import FakeUpstream
from tests.relay.conftest import gateway

USAGE = "usage=prompt:100|completion:20"

PRICES = """
[prices."o3-mini"]
model_ratio = 0.55
completion_ratio = 4

[prices."o3-mini-high"]
model_ratio = 1
completion_ratio = 4

[prices."gpt-5"]
model_ratio = 0.625
completion_ratio = 8

[prices."claude-test"]
model_ratio = 1.5
completion_ratio = 5

[prices."gemini-2.5-flash"]
model_ratio = 0.15
completion_ratio = 4

[providers.responses_native]
format = "openai_responses"
auth = "bearer"
"""


def channels(url: str) -> str:
    return f"""
[channels.oai]
provider = "openai"
base_url = "{url}/s/{USAGE}"
key = "sk-upstream-oai"
models = ["o3-mini"]

[channels.claude]
provider = "anthropic"
base_url = "{url}"
key = "sk-ant-upstream"
models = ["claude-test"]

[channels.gem]
provider = "gemini"
base_url = "{url}"
key = "gem-upstream-key"
models = ["gemini-2.5-flash"]

[channels.resp]
provider = "responses_native"
base_url = "{url}"
key = "sk-upstream-resp"
models = ["gpt-5"]
"""


def _gw(tmp_path: Path, fake: FakeUpstream, extra: str = "", more_channels: str = ""):
    return gateway(tmp_path, channels(fake.url) + more_channels, extra_toml=PRICES + extra)


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


async def _row(gw) -> tuple[dict[str, Any], dict[str, Any]]:
    rows = await gw.logs()
    assert len(rows) == 1, rows
    return rows[0], orjson.loads(rows[0]["other"])


# -- OpenAI reasoning effort ------------------------------------------------------------------


async def test_effort_suffix_on_chat_is_stripped_and_billed_by_its_own_price(
    tmp_path: Path, fake: FakeUpstream
) -> None:
    async with _gw(tmp_path, fake) as gw:
        client = _oai(gw)
        reply = await client.chat.completions.create(
            model="o3-mini-high", messages=[{"role": "user", "content": "hello there"}]
        )
        await client.close()
        sent = fake.requests[-1].json
        assert sent["model"] == "o3-mini" and sent["reasoning_effort"] == "high"
        assert reply.choices[0].message.content == "echo: hello there"
        row, other = await _row(gw)
        assert row["model_name"] == "o3-mini-high"
        assert other["upstream_model_name"] == "o3-mini" and other["is_model_mapped"] is True
        # the suffixed name has its own price: (100 + 20 x 4) x 1 = 180
        assert other["price_key"] == "o3-mini-high" and other["base_model"] is None
        assert row["quota"] == 180
        assert other["reasoning_effort"] == "high"


async def test_effort_suffix_without_own_price_falls_back_to_the_base_price(
    tmp_path: Path, fake: FakeUpstream
) -> None:
    async with _gw(tmp_path, fake) as gw:
        client = _oai(gw)
        stream = await client.chat.completions.create(
            model="o3-mini-xhigh", stream=True, messages=[{"role": "user", "content": "hi"}]
        )
        text = "".join([c.choices[0].delta.content or "" async for c in stream if c.choices])
        await client.close()
        assert text == "echo: hi"
        sent = fake.requests[-1].json
        assert sent["model"] == "o3-mini" and sent["reasoning_effort"] == "xhigh"
        assert sent["stream_options"] == {"include_usage": True}
        row, other = await _row(gw)
        # o3-mini's price: (100 + 20 x 4) x 0.55 = 99
        assert other["price_key"] == "o3-mini" and other["base_model"] == "o3-mini"
        assert row["model_name"] == "o3-mini-xhigh" and row["quota"] == 99


async def test_effort_suffix_on_responses_sets_reasoning_effort(
    tmp_path: Path, fake: FakeUpstream
) -> None:
    async with _gw(tmp_path, fake) as gw:
        client = _oai(gw)
        reply = await client.responses.create(
            model="gpt-5-minimal", input="hello", reasoning={"summary": "auto"}
        )
        await client.close()
        assert reply.output_text == "echo: hello"
        sent = fake.requests[-1].json
        assert sent["model"] == "gpt-5"
        assert sent["reasoning"] == {"summary": "auto", "effort": "minimal"}
        row, other = await _row(gw)
        assert row["model_name"] == "gpt-5-minimal" and other["price_key"] == "gpt-5"


async def test_effort_suffix_from_a_claude_client_reaches_the_chat_upstream(
    tmp_path: Path, fake: FakeUpstream
) -> None:
    async with _gw(tmp_path, fake) as gw:
        client = _claude(gw)
        reply = await client.messages.create(
            model="o3-mini-medium", max_tokens=200,
            messages=[{"role": "user", "content": "hello"}],
        )
        await client.close()
        sent = fake.requests[-1]
        assert sent.path.endswith("/v1/chat/completions")
        assert sent.json["model"] == "o3-mini" and sent.json["reasoning_effort"] == "medium"
        assert [b.type for b in reply.content] == ["thinking", "text"]
        assert reply.content[1].text == "echo: hello"


# -- Claude thinking --------------------------------------------------------------------------


async def test_claude_thinking_suffix_passthrough_applies_the_budget_rule(
    tmp_path: Path, fake: FakeUpstream
) -> None:
    async with _gw(tmp_path, fake) as gw:
        client = _claude(gw)
        reply = await client.messages.create(
            model="claude-test-thinking", max_tokens=2000,
            messages=[{"role": "user", "content": "hello"}],
            extra_body={"temperature": 0.2, "top_p": 0.9},
        )
        await client.close()
        sent = fake.requests[-1].json
        assert sent["model"] == "claude-test"
        assert sent["thinking"] == {"type": "enabled", "budget_tokens": 1600}  # 80 %
        assert sent["temperature"] == 1 and "top_p" not in sent
        assert sent["max_tokens"] == 2000
        assert [b.type for b in reply.content] == ["thinking", "text"]
        row, other = await _row(gw)
        assert row["model_name"] == "claude-test-thinking"
        assert "reasoning_effort" not in other
        assert other["price_key"] == "claude-test" and other["upstream_model_name"] == "claude-test"


async def test_claude_thinking_suffix_from_chat_raises_small_max_tokens(
    tmp_path: Path, fake: FakeUpstream
) -> None:
    async with _gw(tmp_path, fake) as gw:
        client = _oai(gw)
        reply = await client.chat.completions.create(
            model="claude-test-thinking", max_tokens=500,
            messages=[{"role": "user", "content": "hello"}],
        )
        await client.close()
        sent = fake.requests[-1]
        assert sent.path.endswith("/v1/messages")
        assert sent.json["model"] == "claude-test"
        # max_tokens raised to 1280 first, then 80 % of it
        assert sent.json["max_tokens"] == 1280
        assert sent.json["thinking"] == {"type": "enabled", "budget_tokens": 1024}
        message = reply.choices[0].message
        assert message.content == "echo: hello"
        assert message.model_extra["reasoning_content"] == "thinking: hello"


async def test_claude_thinking_suffix_keeps_the_clients_own_thinking(
    tmp_path: Path, fake: FakeUpstream
) -> None:
    async with _gw(tmp_path, fake) as gw:
        client = _claude(gw)
        await client.messages.create(
            model="claude-test-thinking", max_tokens=4000,
            thinking={"type": "enabled", "budget_tokens": 1500},
            messages=[{"role": "user", "content": "hello"}],
        )
        await client.close()
        sent = fake.requests[-1].json
        assert sent["model"] == "claude-test"
        assert sent["thinking"] == {"type": "enabled", "budget_tokens": 1500}


# -- Gemini thinking --------------------------------------------------------------------------


async def test_gemini_budget_suffix_native(tmp_path: Path, fake: FakeUpstream) -> None:
    async with _gw(tmp_path, fake) as gw:
        client = _gemini(gw)
        reply = await client.aio.models.generate_content(
            model="gemini-2.5-flash-thinking-512", contents="hello",
        )
        sent = fake.requests[-1]
        assert sent.path == "/v1beta/models/gemini-2.5-flash:generateContent"
        thinking = sent.json["generationConfig"]["thinkingConfig"]
        assert thinking == {"thinkingBudget": 512, "includeThoughts": True}
        parts = reply.candidates[0].content.parts
        assert [bool(p.thought) for p in parts] == [True, False]
        row, other = await _row(gw)
        assert row["model_name"] == "gemini-2.5-flash-thinking-512"
        assert other["price_key"] == "gemini-2.5-flash"


async def test_gemini_budget_suffix_is_clamped(tmp_path: Path, fake: FakeUpstream) -> None:
    async with _gw(tmp_path, fake) as gw:
        client = _gemini(gw)
        await client.aio.models.generate_content(
            model="gemini-2.5-flash-thinking-99999", contents="hello",
        )
        thinking = fake.requests[-1].json["generationConfig"]["thinkingConfig"]
        assert thinking["thinkingBudget"] == 24576


async def test_gemini_nothinking_suffix_overrides_the_clients_setting(
    tmp_path: Path, fake: FakeUpstream
) -> None:
    async with _gw(tmp_path, fake) as gw:
        client = _gemini(gw)
        reply = await client.aio.models.generate_content(
            model="gemini-2.5-flash-nothinking", contents="hello",
            config=types.GenerateContentConfig(
                thinking_config=types.ThinkingConfig(include_thoughts=True)
            ),
        )
        sent = fake.requests[-1]
        assert sent.path == "/v1beta/models/gemini-2.5-flash:generateContent"
        assert sent.json["generationConfig"]["thinkingConfig"] == {"thinkingBudget": 0}
        assert reply.text == "echo: hello"


async def test_gemini_thinking_suffix_from_chat_uses_sixty_percent_of_max_tokens(
    tmp_path: Path, fake: FakeUpstream
) -> None:
    async with _gw(tmp_path, fake) as gw:
        client = _oai(gw)
        stream = await client.chat.completions.create(
            model="gemini-2.5-flash-thinking", max_tokens=1000, stream=True,
            messages=[{"role": "user", "content": "hello"}],
        )
        reasoning, content = "", ""
        async for chunk in stream:
            if chunk.choices:
                delta = chunk.choices[0].delta
                reasoning += (delta.model_extra or {}).get("reasoning_content") or ""
                content += delta.content or ""
        await client.close()
        sent = fake.requests[-1]
        assert sent.path == "/v1beta/models/gemini-2.5-flash:streamGenerateContent"
        thinking = sent.json["generationConfig"]["thinkingConfig"]
        assert thinking == {"includeThoughts": True, "thinkingBudget": 600}
        assert reasoning == "thinking: hello" and content == "echo: hello"


# -- routing and configuration ----------------------------------------------------------------


async def test_a_channel_listing_the_suffixed_name_wins(
    tmp_path: Path, fake: FakeUpstream
) -> None:
    full = f"""
[channels.full]
provider = "openai"
base_url = "{fake.url}"
key = "sk-upstream-full"
models = ["o3-mini-high"]
"""
    async with _gw(tmp_path, fake, more_channels=full) as gw:
        client = _oai(gw)
        for _ in range(3):
            await client.chat.completions.create(
                model="o3-mini-high", messages=[{"role": "user", "content": "hi"}]
            )
        await client.close()
        for sent in fake.requests:
            assert sent.headers["authorization"] == "Bearer sk-upstream-full"
            assert sent.json["model"] == "o3-mini" and sent.json["reasoning_effort"] == "high"


async def test_unknown_names_are_not_found(tmp_path: Path, fake: FakeUpstream) -> None:
    async with _gw(tmp_path, fake) as gw:
        client = _oai(gw)
        try:
            await client.chat.completions.create(
                model="gpt-4o-high", messages=[{"role": "user", "content": "hi"}]
            )
        except openai.NotFoundError as exc:
            assert exc.body["code"] == "model_not_found"
            assert "gpt-4o-high" in exc.body["message"]
        else:
            raise AssertionError("gpt-4o-high is served by no channel")
        finally:
            await client.close()
        assert fake.requests == []


async def test_file_rules_come_before_the_built_in_ones(
    tmp_path: Path, fake: FakeUpstream
) -> None:
    rules = """
[[rules.reasoning_suffix]]
suffix = "-high"
models = ["o3-mini"]
action = "reasoning_effort"
value = "medium"

[[rules.reasoning_suffix]]
suffix = "-deep"
models = ["o3*"]
action = "reasoning_effort"
value = "xhigh"
"""
    async with _gw(tmp_path, fake, extra=rules) as gw:
        client = _oai(gw)
        for model in ("o3-mini-high", "o3-mini-deep", "o3-mini-low"):
            await client.chat.completions.create(
                model=model, messages=[{"role": "user", "content": "hi"}]
            )
        await client.close()
        sent = [(r.json["model"], r.json["reasoning_effort"]) for r in fake.requests]
        assert sent == [("o3-mini", "medium"), ("o3-mini", "xhigh"), ("o3-mini", "low")]
        rows = await gw.logs()
        # -deep has no price of its own: the file's suffix is also a price fallback
        assert [orjson.loads(r["other"])["price_key"] for r in rows] == [
            "o3-mini-high", "o3-mini", "o3-mini-low",
        ]


async def test_built_in_rules_can_be_turned_off(tmp_path: Path, fake: FakeUpstream) -> None:
    literal = f"""
[channels.literal]
provider = "openai"
base_url = "{fake.url}"
key = "sk-upstream-literal"
models = ["o3-mini-high"]
"""
    off = "\n[rules]\nbuiltin_reasoning_suffix = false\n"
    async with _gw(tmp_path, fake, extra=off, more_channels=literal) as gw:
        client = _oai(gw)
        await client.chat.completions.create(
            model="o3-mini-high", messages=[{"role": "user", "content": "hi"}]
        )
        try:
            await client.chat.completions.create(
                model="o3-mini-low", messages=[{"role": "user", "content": "hi"}]
            )
        except openai.NotFoundError as exc:
            assert exc.body["code"] == "model_not_found"
        else:
            raise AssertionError("without suffix rules o3-mini-low is an unknown model")
        finally:
            await client.close()
        [sent] = fake.requests
        assert sent.json["model"] == "o3-mini-high" and "reasoning_effort" not in sent.json
        _, other = await _row(gw)
        assert other["upstream_model_name"] == "o3-mini-high" and other["is_model_mapped"] is False


async def test_model_mapping_applies_to_the_base_name(tmp_path: Path, fake: FakeUpstream) -> None:
    mapped = f"""
[channels.mapped]
provider = "openai"
base_url = "{fake.url}"
key = "sk-upstream-mapped"
models = ["o4-mini"]
model_mapping = {{ "o4-mini" = "o4-mini-2025-04-16" }}
"""
    prices = '\n[prices."o4-mini"]\nmodel_ratio = 0.55\ncompletion_ratio = 4\n'
    async with _gw(tmp_path, fake, extra=prices, more_channels=mapped) as gw:
        client = _oai(gw)
        await client.chat.completions.create(
            model="o4-mini-high", messages=[{"role": "user", "content": "hi"}]
        )
        await client.close()
        sent = fake.requests[-1].json
        assert sent["model"] == "o4-mini-2025-04-16" and sent["reasoning_effort"] == "high"
        _, other = await _row(gw)
        assert other["upstream_model_name"] == "o4-mini-2025-04-16"
