"""The native-format routes (Claude, Gemini, Responses) through a real gateway, with the
official SDKs as clients, against the fake upstream's four wires: passthrough when the channel
speaks the client's format, conversion through the hub otherwise; every request billed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anthropic
import httpx
import openai
import orjson
import pytest
from google import genai
from google.genai import types

from newapi.testing import FakeUpstream
from tests.relay.conftest import gateway

PRICES = """
[prices."claude-test"]
model_ratio = 1
completion_ratio = 2

[prices."gemini-test"]
model_ratio = 1
completion_ratio = 2

[prices."resp-test"]
model_ratio = 1
completion_ratio = 2

[providers.responses_native]
format = "openai_responses"
auth = "bearer"
"""


def channels(url: str) -> str:
    return f"""
[channels.oai]
provider = "openai"
base_url = "{url}"
key = "sk-upstream-oai"
models = ["gpt-4o", "gpt-4o-mini"]

[channels.claude]
provider = "anthropic"
base_url = "{url}"
key = "sk-ant-upstream"
models = ["claude-test"]

[channels.gem]
provider = "gemini"
base_url = "{url}"
key = "gem-upstream-key"
models = ["gemini-test"]

[channels.resp]
provider = "responses_native"
base_url = "{url}"
key = "sk-upstream-resp"
models = ["resp-test"]
"""


def _gw(tmp_path: Path, fake: FakeUpstream):
    return gateway(tmp_path, channels(fake.url), extra_toml=PRICES)


def _claude(gw) -> anthropic.AsyncAnthropic:
    return anthropic.AsyncAnthropic(base_url=gw.url, api_key=gw.key, max_retries=0)


def _gemini(gw) -> genai.Client:
    # an httpx transport: with aiohttp installed the SDK would use it, and its path warns
    return genai.Client(
        api_key=gw.key,
        http_options=types.HttpOptions(
            base_url=gw.url, timeout=30_000,
            async_client_args={"transport": httpx.AsyncHTTPTransport()},
        ),
    )


def _oai(gw) -> openai.AsyncOpenAI:
    return openai.AsyncOpenAI(base_url=gw.url + "/v1", api_key=gw.key, max_retries=0)


WEATHER_TOOL = {
    "name": "get_weather",
    "description": "Weather of a city",
    "input_schema": {
        "type": "object",
        "properties": {"city": {"type": "string"}},
        "required": ["city"],
    },
}


async def _row(gw) -> dict[str, Any]:
    rows = await gw.logs()
    assert len(rows) == 1, rows
    return rows[0]


# -- Claude client ---------------------------------------------------------------------------


async def test_claude_to_anthropic_passthrough(tmp_path: Path, fake: FakeUpstream) -> None:
    async with _gw(tmp_path, fake) as gw:
        client = _claude(gw)
        reply = await client.messages.create(
            model="claude-test", max_tokens=100,
            messages=[{"role": "user", "content": "hello world"}],
            extra_headers={"anthropic-beta": "some-future-beta-2099"},
        )
        await client.close()
        assert reply.content[0].text == "echo: hello world"
        assert (reply.usage.input_tokens, reply.usage.output_tokens) == (2, 3)
        sent = fake.requests[-1]
        assert sent.path == "/v1/messages"
        assert sent.headers["x-api-key"] == "sk-ant-upstream"
        assert sent.headers["anthropic-version"]  # the SDK's, forwarded
        assert sent.headers["anthropic-beta"] == "some-future-beta-2099"
        async with httpx.AsyncClient(base_url=gw.url) as http:
            plain = await http.post("/v1/messages", headers={"authorization": f"Bearer {gw.key}"},
                                    json={"model": "claude-test", "max_tokens": 5,
                                          "messages": [{"role": "user", "content": "hi"}]})
        assert plain.status_code == 200 and plain.json()["type"] == "message"
        assert fake.requests[-1].headers["anthropic-version"] == "2023-06-01"  # the default
        row = (await gw.logs())[0]
        # (2 + 3 x 2) x 1
        assert row["quota"] == 8 and row["model_name"] == "claude-test"
        assert (row["prompt_tokens"], row["completion_tokens"]) == (2, 3)


async def test_claude_stream_passthrough(tmp_path: Path, fake: FakeUpstream) -> None:
    async with _gw(tmp_path, fake) as gw:
        client = _claude(gw)
        async with client.messages.stream(
            model="claude-test", max_tokens=100,
            messages=[{"role": "user", "content": "one two three"}],
        ) as stream:
            text = "".join([t async for t in stream.text_stream])
            final = await stream.get_final_message()
        await client.close()
        assert text == "echo: one two three"
        assert final.usage.output_tokens == 4
        row = await _row(gw)
        assert row["is_stream"] is True
        assert (row["prompt_tokens"], row["completion_tokens"]) == (3, 4)
        assert row["quota"] == 3 + 4 * 2
        assert orjson.loads(row["other"])["stream_status"] == "completed"


async def test_claude_to_openai_channel(tmp_path: Path, fake: FakeUpstream) -> None:
    async with _gw(tmp_path, fake) as gw:
        client = _claude(gw)
        reply = await client.messages.create(
            model="gpt-4o", max_tokens=100, system="be brief",
            messages=[{"role": "user", "content": "hello world"}],
        )
        await client.close()
        assert reply.type == "message" and reply.model == "gpt-4o"
        assert reply.content[0].text == "echo: hello world"
        assert reply.stop_reason == "end_turn"
        sent = fake.requests[-1]
        assert sent.path == "/v1/chat/completions"
        assert sent.headers["authorization"] == "Bearer sk-upstream-oai"
        assert sent.json["messages"][0] == {"role": "system", "content": "be brief"}
        row = await _row(gw)
        # prompt 4 words (system + user), 3 completion: (4 + 3 x 4) x 1.25 = 20
        assert (row["prompt_tokens"], row["completion_tokens"]) == (4, 3)
        assert row["quota"] == 20 and row["model_name"] == "gpt-4o"


async def test_claude_stream_tool_use_to_openai_channel(tmp_path: Path,
                                                        fake: FakeUpstream) -> None:
    async with _gw(tmp_path, fake) as gw:
        client = _claude(gw)
        async with client.messages.stream(
            model="gpt-4o", max_tokens=200, tools=[WEATHER_TOOL],
            messages=[{"role": "user", "content": "please call get_weather now"}],
        ) as stream:
            events = [event.type async for event in stream]
            final = await stream.get_final_message()
        await client.close()
        assert events[0] == "message_start" and "content_block_start" in events
        assert final.stop_reason == "tool_use"
        [call] = [b for b in final.content if b.type == "tool_use"]
        assert call.name == "get_weather" and isinstance(call.input, dict)
        assert final.usage.output_tokens > 0
        sent = fake.requests[-1]
        assert sent.json["stream"] is True and sent.json["tools"][0]["function"]["name"] == (
            "get_weather"
        )
        row = await _row(gw)
        assert row["is_stream"] is True and row["completion_tokens"] == final.usage.output_tokens
        assert orjson.loads(row["other"])["stream_status"] == "completed"
        assert row["quota"] > 0


async def test_claude_count_tokens_is_local_and_free(tmp_path: Path,
                                                     fake: FakeUpstream) -> None:
    async with _gw(tmp_path, fake) as gw:
        client = _claude(gw)
        counted = await client.messages.count_tokens(
            model="claude-test", messages=[{"role": "user", "content": "hello there world"}]
        )
        await client.close()
        assert counted.input_tokens > 3
        assert fake.requests == [] and await gw.logs() == []


async def test_claude_errors_in_claude_shape(tmp_path: Path, fake: FakeUpstream) -> None:
    async with _gw(tmp_path, fake) as gw, httpx.AsyncClient(base_url=gw.url) as http:
        body = {"model": "claude-test", "max_tokens": 5,
                "messages": [{"role": "user", "content": "hi"}]}
        bad_key = await http.post("/v1/messages", json=body, headers={"x-api-key": "sk-nope"})
        assert bad_key.status_code == 401
        assert bad_key.json()["type"] == "error"
        assert bad_key.json()["error"]["type"] == "authentication_error"
        headers = {"x-api-key": gw.key}
        unknown = await http.post("/v1/messages", json={**body, "model": "nope"},
                                  headers=headers)
        assert unknown.status_code == 404 and unknown.json()["error"]["type"] == (
            "not_found_error"
        )
        bad_json = await http.post("/v1/messages", content=b"{nope", headers=headers)
        assert bad_json.status_code == 400
        assert bad_json.json()["error"]["type"] == "invalid_request_error"
        # an upstream error is read in the channel's format and rendered in the client's
        fake_status = await http.post(
            "/v1/messages", headers=headers,
            json={**body, "model": "gpt-4o", "messages": [
                {"role": "user", "content": "x #fake:status=400"}]},
        )
        assert fake_status.status_code == 400 and fake_status.json()["type"] == "error"
        assert fake.requests and await gw.logs() == []


# -- Gemini client ---------------------------------------------------------------------------


async def test_gemini_to_gemini_passthrough(tmp_path: Path, fake: FakeUpstream) -> None:
    async with _gw(tmp_path, fake) as gw:
        client = _gemini(gw)
        reply = await client.aio.models.generate_content(model="gemini-test",
                                                         contents="hello world")
        assert reply.text == "echo: hello world"
        sent = fake.requests[-1]
        assert sent.path.endswith("/models/gemini-test:generateContent")
        assert sent.headers["x-goog-api-key"] == "gem-upstream-key"
        assert "model" not in sent.json
        row = await _row(gw)
        assert (row["prompt_tokens"], row["completion_tokens"]) == (2, 3)
        assert row["quota"] == 8 and row["model_name"] == "gemini-test"


async def test_gemini_stream_to_openai_channel(tmp_path: Path, fake: FakeUpstream) -> None:
    async with _gw(tmp_path, fake) as gw:
        client = _gemini(gw)
        chunks = [
            c async for c in await client.aio.models.generate_content_stream(
                model="gpt-4o-mini", contents="one two three four"
            )
        ]
        text = "".join(c.text or "" for c in chunks)
        assert text == "echo: one two three four"
        assert chunks[-1].usage_metadata.candidates_token_count == 5
        sent = fake.requests[-1]
        assert sent.path == "/v1/chat/completions" and sent.json["stream"] is True
        row = await _row(gw)
        assert row["is_stream"] is True and (row["prompt_tokens"], row["completion_tokens"]) == (
            4, 5)
        # (4 + 5 x 4) x 0.075 = 1.8 -> 2
        assert row["quota"] == 2 and row["model_name"] == "gpt-4o-mini"


async def test_gemini_non_stream_to_openai_channel(tmp_path: Path, fake: FakeUpstream) -> None:
    async with _gw(tmp_path, fake) as gw:
        client = _gemini(gw)
        reply = await client.aio.models.generate_content(
            model="gpt-4o", contents="hello world",
            config=types.GenerateContentConfig(system_instruction="be brief"),
        )
        assert reply.text == "echo: hello world"
        assert reply.usage_metadata.prompt_token_count == 4
        row = await _row(gw)
        assert row["quota"] == 20 and row["model_name"] == "gpt-4o"


async def test_gemini_stream_passthrough_and_errors(tmp_path: Path, fake: FakeUpstream) -> None:
    async with _gw(tmp_path, fake) as gw:
        client = _gemini(gw)
        chunks = [
            c async for c in await client.aio.models.generate_content_stream(
                model="gemini-test", contents="a b c"
            )
        ]
        assert "".join(c.text or "" for c in chunks) == "echo: a b c"
        assert fake.requests[-1].path.endswith(":streamGenerateContent")
        assert fake.requests[-1].query.get("alt") == ["sse"]
        row = await _row(gw)
        assert (row["prompt_tokens"], row["completion_tokens"]) == (3, 4)
        async with httpx.AsyncClient(base_url=gw.url) as http:
            body = {"contents": [{"role": "user", "parts": [{"text": "hi"}]}]}
            unknown = await http.post("/v1beta/models/nope:generateContent", json=body,
                                      headers={"x-goog-api-key": gw.key})
            assert unknown.status_code == 404
            assert set(unknown.json()["error"]) >= {"code", "message", "status"}
            bad_key = await http.post("/v1beta/models/gemini-test:generateContent?key=bad",
                                      json=body)
            assert bad_key.status_code == 401 and "status" in bad_key.json()["error"]
            # /v1 works like /v1beta; GET /v1/models/<id> is still OpenAI's retrieve route
            v1 = await http.post("/v1/models/gemini-test:generateContent", json=body,
                                 headers={"x-goog-api-key": gw.key})
            assert v1.status_code == 200 and v1.json()["candidates"]
            retrieve = await http.get("/v1/models/gpt-4o",
                                      headers={"authorization": f"Bearer {gw.key}"})
            assert retrieve.json()["object"] == "model"
            listed = await http.get("/v1beta/models", headers={"x-goog-api-key": gw.key})
            names = [m["name"] for m in listed.json()["models"]]
            assert "models/gemini-test" in names and "models/gpt-4o" in names


# -- Responses client ------------------------------------------------------------------------


async def test_responses_to_openai_chat_channel(tmp_path: Path, fake: FakeUpstream) -> None:
    async with _gw(tmp_path, fake) as gw:
        client = _oai(gw)
        reply = await client.responses.create(model="gpt-4o", input="hello world",
                                              instructions="be brief")
        assert reply.output_text == "echo: hello world"
        assert reply.usage.input_tokens == 4 and reply.usage.output_tokens == 3
        assert fake.requests[-1].path == "/v1/chat/completions"
        stream = await client.responses.create(model="gpt-4o-mini", input="one two three",
                                               stream=True)
        kinds, text, usage = [], "", None
        async for event in stream:
            kinds.append(event.type)
            if event.type == "response.output_text.delta":
                text += event.delta
            if event.type == "response.completed":
                usage = event.response.usage
        await client.close()
        assert kinds[0] == "response.created" and kinds[-1] == "response.completed"
        assert text == "echo: one two three" and usage is not None
        rows = await gw.logs()
        assert [r["model_name"] for r in rows] == ["gpt-4o", "gpt-4o-mini"]
        assert rows[0]["quota"] == 20
        assert (rows[1]["prompt_tokens"], rows[1]["completion_tokens"]) == (
            usage.input_tokens, usage.output_tokens)


async def test_responses_native_passthrough(tmp_path: Path, fake: FakeUpstream) -> None:
    async with _gw(tmp_path, fake) as gw:
        client = _oai(gw)
        reply = await client.responses.create(model="resp-test", input="hello world")
        assert reply.output_text == "echo: hello world"
        sent = fake.requests[-1]
        assert sent.path == "/v1/responses" and sent.json["model"] == "resp-test"
        stream = await client.responses.create(model="resp-test", input="a b", stream=True)
        text = "".join([e.delta async for e in stream if e.type == "response.output_text.delta"])
        await client.close()
        assert text == "echo: a b"
        rows = await gw.logs()
        assert [(r["prompt_tokens"], r["completion_tokens"]) for r in rows] == [(2, 3), (2, 3)]
        assert orjson.loads(rows[1]["other"])["stream_status"] == "completed"


async def test_openai_chat_client_to_claude_and_gemini(tmp_path: Path,
                                                       fake: FakeUpstream) -> None:
    async with _gw(tmp_path, fake) as gw:
        client = _oai(gw)
        claude = await client.chat.completions.create(
            model="claude-test", messages=[{"role": "user", "content": "hello world"}]
        )
        gem = await client.chat.completions.create(
            model="gemini-test", messages=[{"role": "user", "content": "hello world"}],
            stream=True,
        )
        text = "".join([c.choices[0].delta.content or "" async for c in gem if c.choices])
        await client.close()
        assert claude.choices[0].message.content == "echo: hello world"
        assert text == "echo: hello world"
        rows = await gw.logs()
        assert [r["quota"] for r in rows] == [8, 8]


@pytest.mark.parametrize("cut", ["cut_after=2", "abort_after=2"])
async def test_claude_stream_cut_bills_delivered(tmp_path: Path, fake: FakeUpstream,
                                                 cut: str) -> None:
    async with _gw(tmp_path, fake) as gw, httpx.AsyncClient(base_url=gw.url) as http:
        body = {"model": "gpt-4o", "max_tokens": 50, "stream": True,
                "messages": [{"role": "user", "content": f"a b c d e f #fake:{cut}"}]}
        reply = await http.post("/v1/messages", json=body, headers={"x-api-key": gw.key})
        events = [line[7:] for line in reply.text.splitlines() if line.startswith("event: ")]
        assert events[0] == "message_start" and events[-1] == "error"
        assert "message_stop" not in events
        last = [line for line in reply.text.splitlines() if line.startswith("data: ")][-1]
        assert orjson.loads(last[6:])["type"] == "error"
        row = await _row(gw)
        assert orjson.loads(row["other"])["stream_status"] == "cut"
        assert row["completion_tokens"] > 0


async def test_gemini_count_tokens_is_local(tmp_path: Path, fake: FakeUpstream) -> None:
    async with _gw(tmp_path, fake) as gw:
        client = _gemini(gw)
        counted = await client.aio.models.count_tokens(model="gemini-test",
                                                       contents="hello there world")
        assert counted.total_tokens and counted.total_tokens > 3
        assert fake.requests == [] and await gw.logs() == []


async def test_gemini_tools_to_claude_channel(tmp_path: Path, fake: FakeUpstream) -> None:
    async with _gw(tmp_path, fake) as gw:
        client = _gemini(gw)
        tool = types.Tool(function_declarations=[types.FunctionDeclaration(
            name="get_weather", description="Weather of a city",
            parameters_json_schema=WEATHER_TOOL["input_schema"],
        )])
        reply = await client.aio.models.generate_content(
            model="claude-test", contents="please call get_weather",
            config=types.GenerateContentConfig(
                tools=[tool],
                automatic_function_calling=types.AutomaticFunctionCallingConfig(disable=True),
            ),
        )
        [call] = reply.function_calls
        assert call.name == "get_weather" and isinstance(call.args, dict)
        sent = fake.requests[-1]
        assert sent.path == "/v1/messages" and sent.json["tools"][0]["name"] == "get_weather"
        assert sent.json["model"] == "claude-test" and sent.json["max_tokens"] > 0
        row = await _row(gw)
        assert row["model_name"] == "claude-test" and row["completion_tokens"] > 0


async def test_responses_stream_to_claude_channel(tmp_path: Path, fake: FakeUpstream) -> None:
    async with _gw(tmp_path, fake) as gw:
        client = _oai(gw)
        stream = await client.responses.create(model="claude-test", input="x y z",
                                               max_output_tokens=50, stream=True)
        events = [e async for e in stream]
        await client.close()
        text = "".join(e.delta for e in events if e.type == "response.output_text.delta")
        assert text == "echo: x y z"
        assert events[-1].type == "response.completed"
        usage = events[-1].response.usage
        assert (usage.input_tokens, usage.output_tokens) == (3, 4)
        assert fake.requests[-1].path == "/v1/messages"
        row = await _row(gw)
        assert row["quota"] == 3 + 4 * 2


async def test_a_channel_that_cannot_convert_is_skipped(tmp_path: Path,
                                                        fake: FakeUpstream) -> None:
    rerank = f"""
[channels.rr]
provider = "jina"
base_url = "{fake.url}"
key = "jina-key"
models = ["claude-test"]
priority = 10
"""
    async with gateway(tmp_path, channels(fake.url) + rerank, extra_toml=PRICES) as gw:
        client = _claude(gw)
        reply = await client.messages.create(
            model="claude-test", max_tokens=10, messages=[{"role": "user", "content": "hi"}]
        )
        await client.close()
        assert reply.content[0].text == "echo: hi"
        assert [r.path for r in fake.requests] == ["/v1/messages"]
        other = orjson.loads((await _row(gw))["other"])
        assert [a["code"] for a in other["admin_info"]["attempts"]] == [
            "format_not_supported", None]
