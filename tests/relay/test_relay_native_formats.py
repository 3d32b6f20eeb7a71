"""Channels that speak several formats natively: a client request in one of them goes to that
format's endpoint with the body passed through (only the rule edits), streams too, billed in
that format's usage; other formats are converted to the channel's primary format."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anthropic
import httpx
import openai
import orjson
from google import genai
from google.genai import types

from newapi import store
from newapi.config import load_config
from newapi.relay.catalog import config_channels
from newapi.testing import FakeUpstream
from tests.relay.conftest import gateway
from tests.relay.expect import attempts, ch

USAGE = "/s/usage=prompt:11|completion:7"  # a fake-upstream scenario as the native path prefix

PRICES = """
[prices."dual-model"]
model_ratio = 1
completion_ratio = 2

[prices."multi-model"]
model_ratio = 1
completion_ratio = 2
"""


def _dual(url: str, channel_extra: str = "") -> str:
    """An OpenAI-compatible provider that declares a native Anthropic endpoint under a prefix;
    the channel uses the provider's default base URL."""
    return f"""
[providers.dual]
format = "openai_chat"
auth = "bearer"
base_url = "{url}"

[providers.dual.native.anthropic_messages]
path_prefix = "{USAGE}"

[channels.dual]
provider = "dual"
key = "sk-upstream-dual"
models = ["dual-model"]
{channel_extra}
"""


def _claude(gw: Any) -> anthropic.AsyncAnthropic:
    return anthropic.AsyncAnthropic(base_url=gw.url, api_key=gw.key, max_retries=0)


# Deliberately not what any encoder would produce: odd spacing, key order, escapes.
RAW_CLAUDE = (
    b'{ "max_tokens" :100,"model":"dual-model",\n "messages":[{"content":"caf\\u00e9 au lait",'
    b'"role":"user"}] , "metadata":{"user_id":"u-1"}}'
)


async def test_claude_body_passes_through_to_native_endpoint(tmp_path: Path,
                                                             fake: FakeUpstream) -> None:
    async with gateway(tmp_path, _dual(fake.url), extra_toml=PRICES) as gw:
        async with httpx.AsyncClient(base_url=gw.url) as http:
            plain = await http.post(
                "/v1/messages", content=RAW_CLAUDE,
                headers={"x-api-key": gw.key, "anthropic-version": "2023-06-01",
                         "content-type": "application/json"},
            )
        assert plain.status_code == 200 and plain.json()["type"] == "message"
        sent = fake.requests[-1]
        assert sent.body == RAW_CLAUDE  # byte for byte
        assert sent.path.startswith("/s/") and sent.path.endswith("/v1/messages")
        assert sent.headers["x-api-key"] == "sk-upstream-dual"  # Anthropic's key style
        assert "authorization" not in sent.headers
        assert sent.headers["anthropic-version"] == "2023-06-01"

        client = _claude(gw)
        reply = await client.messages.create(
            model="dual-model", max_tokens=100,
            messages=[{"role": "user", "content": "hello world"}],
        )
        await client.close()
        assert reply.content[0].text == "echo: hello world"
        assert (reply.usage.input_tokens, reply.usage.output_tokens) == (11, 7)
        assert fake.requests[-1].json["messages"] == [
            {"role": "user", "content": "hello world"}]  # Claude's shape, not converted
        rows = await gw.logs()
        assert len(rows) == 2
        for row in rows:  # the native endpoint's usage: 11 + 7 x 2
            assert (row["prompt_tokens"], row["completion_tokens"]) == (11, 7)
            assert row["quota"] == 25 and row["model_name"] == "dual-model"


async def test_claude_stream_passes_through_to_native_endpoint(tmp_path: Path,
                                                               fake: FakeUpstream) -> None:
    async with gateway(tmp_path, _dual(fake.url), extra_toml=PRICES) as gw:
        client = _claude(gw)
        async with client.messages.stream(
            model="dual-model", max_tokens=100,
            messages=[{"role": "user", "content": "one two three"}],
        ) as stream:
            events = [event.type async for event in stream]
            final = await stream.get_final_message()
        assert events[0] == "message_start" and "message_stop" in events
        assert final.content[0].text == "echo: one two three"
        assert final.usage.output_tokens == 7
        sent = fake.requests[-1]
        assert sent.path.endswith("/v1/messages") and sent.json["stream"] is True
        assert sent.headers["x-api-key"] == "sk-upstream-dual"

        raw = RAW_CLAUDE[:-1] + b',"stream":true}'
        async with httpx.AsyncClient(base_url=gw.url) as http:
            reply = await http.post("/v1/messages", content=raw,
                                    headers={"x-api-key": gw.key})
        await client.close()
        assert fake.requests[-1].body == raw
        kinds = [line[7:] for line in reply.text.splitlines() if line.startswith("event: ")]
        assert kinds[0] == "message_start" and kinds[-1] == "message_stop"
        rows = await gw.logs()
        assert len(rows) == 2
        for row in rows:
            assert row["is_stream"] is True
            assert (row["prompt_tokens"], row["completion_tokens"]) == (11, 7)
            assert row["quota"] == 25
            assert orjson.loads(row["other"])["stream_status"] == "completed"


async def test_native_endpoint_gets_the_model_mapping_edit_only(tmp_path: Path,
                                                                fake: FakeUpstream) -> None:
    mapped = _dual(fake.url, 'model_mapping = { "dual-model" = "upstream-x" }')
    async with gateway(tmp_path, mapped, extra_toml=PRICES) as gw:
        async with httpx.AsyncClient(base_url=gw.url) as http:
            reply = await http.post("/v1/messages", content=RAW_CLAUDE,
                                    headers={"x-api-key": gw.key})
        assert reply.status_code == 200
        sent = fake.requests[-1]
        assert sent.path.endswith("/v1/messages")
        assert sent.json == {**orjson.loads(RAW_CLAUDE), "model": "upstream-x"}
        [row] = await gw.logs()
        assert row["model_name"] == "dual-model" and row["quota"] == 25


async def test_native_endpoint_failure_fails_over(tmp_path: Path, fake: FakeUpstream) -> None:
    channels = f"""
[channels.first]
provider = "openai_compatible"
base_url = "{fake.url}"
key = "sk-upstream-first"
models = ["dual-model"]
priority = 10
formats = ["anthropic_messages"]

[channels.first.native.anthropic_messages]
path_prefix = "/s/status=529"

[channels.second]
provider = "openai_compatible"
base_url = "{fake.url}"
key = "sk-upstream-second"
models = ["dual-model"]
"""
    async with gateway(tmp_path, channels, extra_toml=PRICES) as gw:
        client = _claude(gw)
        reply = await client.messages.create(
            model="dual-model", max_tokens=10, messages=[{"role": "user", "content": "hi"}])
        await client.close()
        assert reply.content[0].text == "echo: hi"
        failed, served = fake.requests[-2:]
        assert failed.path == "/s/status=529/v1/messages"  # read as Claude's overloaded error
        assert served.path == "/v1/chat/completions"  # the next channel converts
        [row] = await gw.logs()
        assert attempts(row) == [(ch("first"), 529), (ch("second"), 200)]


async def test_primary_format_still_served_at_the_base_url(tmp_path: Path,
                                                           fake: FakeUpstream) -> None:
    async with gateway(tmp_path, _dual(fake.url), extra_toml=PRICES) as gw:
        client = openai.AsyncOpenAI(base_url=gw.url + "/v1", api_key=gw.key, max_retries=0)
        reply = await client.chat.completions.create(
            model="dual-model", messages=[{"role": "user", "content": "hello world"}])
        await client.close()
        assert reply.choices[0].message.content == "echo: hello world"
        sent = fake.requests[-1]
        assert sent.path == "/v1/chat/completions"
        assert sent.headers["authorization"] == "Bearer sk-upstream-dual"
        [row] = await gw.logs()
        assert (row["prompt_tokens"], row["completion_tokens"]) == (2, 3)


async def test_channel_restricting_formats_converts(tmp_path: Path, fake: FakeUpstream) -> None:
    async with gateway(tmp_path, _dual(fake.url, "formats = []"), extra_toml=PRICES) as gw:
        client = _claude(gw)
        reply = await client.messages.create(
            model="dual-model", max_tokens=100, system="be brief",
            messages=[{"role": "user", "content": "hello world"}],
        )
        await client.close()
        assert reply.type == "message" and reply.content[0].text == "echo: hello world"
        sent = fake.requests[-1]
        assert sent.path == "/v1/chat/completions"  # converted to the primary format
        assert sent.headers["authorization"] == "Bearer sk-upstream-dual"
        assert sent.json["messages"][0] == {"role": "system", "content": "be brief"}
        [row] = await gw.logs()
        # the OpenAI endpoint's usage: 4 prompt words, 3 completion: 4 + 3 x 2
        assert (row["prompt_tokens"], row["completion_tokens"]) == (4, 3)
        assert row["quota"] == 10


MULTI = """
[channels.newapi]
provider = "openai_compatible"
base_url = "{url}"
key = "sk-upstream-multi"
models = ["multi-model"]
formats = ["anthropic_messages", "gemini", "openai_responses"]
"""


def _gemini(gw: Any) -> genai.Client:
    return genai.Client(
        api_key=gw.key,
        http_options=types.HttpOptions(
            base_url=gw.url, timeout=30_000,
            async_client_args={"transport": httpx.AsyncHTTPTransport()},
        ),
    )


async def test_gemini_client_on_multi_format_channel(tmp_path: Path,
                                                     fake: FakeUpstream) -> None:
    async with gateway(tmp_path, MULTI.format(url=fake.url), extra_toml=PRICES) as gw:
        client = _gemini(gw)
        reply = await client.aio.models.generate_content(model="multi-model",
                                                         contents="hello world")
        assert reply.text == "echo: hello world"
        sent = fake.requests[-1]
        assert sent.path == "/v1beta/models/multi-model:generateContent"
        assert sent.headers["x-goog-api-key"] == "sk-upstream-multi"
        assert "authorization" not in sent.headers
        assert sent.json["contents"][0]["parts"] == [{"text": "hello world"}]
        chunks = [
            c async for c in await client.aio.models.generate_content_stream(
                model="multi-model", contents="a b c")
        ]
        assert "".join(c.text or "" for c in chunks) == "echo: a b c"
        assert fake.requests[-1].path.endswith(":streamGenerateContent")
        assert fake.requests[-1].query.get("alt") == ["sse"]

        responses = openai.AsyncOpenAI(base_url=gw.url + "/v1", api_key=gw.key, max_retries=0)
        answer = await responses.responses.create(model="multi-model", input="hello world")
        await responses.close()
        assert answer.output_text == "echo: hello world"
        assert fake.requests[-1].path == "/v1/responses"
        assert fake.requests[-1].headers["authorization"] == "Bearer sk-upstream-multi"
        rows = await gw.logs()
        assert [(r["prompt_tokens"], r["completion_tokens"]) for r in rows] == [
            (2, 3), (3, 4), (2, 3)]
        assert [r["quota"] for r in rows] == [8, 11, 8]


async def test_gateway_toml_overrides_a_catalog_entry(tmp_path: Path,
                                                      fake: FakeUpstream) -> None:
    channels = f"""
[channels.proxy]
provider = "deepseek"
base_url = "{fake.url}"
key = "sk-upstream-ds"
models = ["dual-model"]

[channels.ds]
provider = "deepseek"
base_url = "{fake.url}"
key = "sk-upstream-ds"
models = ["multi-model"]
formats = ["anthropic_messages"]

[channels.ds.native.anthropic_messages]
base_url = "{fake.url}/s/usage=prompt:5|completion:1"
"""
    async with gateway(tmp_path, channels, extra_toml=PRICES) as gw:
        client = _claude(gw)
        for model in ("dual-model", "multi-model"):
            await client.messages.create(
                model=model, max_tokens=10, messages=[{"role": "user", "content": "hi there"}])
        await client.close()
        proxied, native = fake.requests[-2:]
        # a channel on its own base URL (a proxy) does not inherit the catalog's endpoints
        assert proxied.path == "/v1/chat/completions"
        assert native.path == "/s/usage=prompt:5%7Ccompletion:1/v1/messages"
        assert native.headers["x-api-key"] == "sk-upstream-ds"  # the catalog entry's auth
        rows = await gw.logs()
        assert [(r["prompt_tokens"], r["completion_tokens"]) for r in rows] == [(2, 3), (5, 1)]


def test_catalog_native_endpoints(tmp_path: Path) -> None:
    path = tmp_path / "gateway.toml"
    path.write_text("""config_version = 1

[channels.ds]
provider = "deepseek"
key = "k"
models = ["deepseek-chat"]

[channels.kimi]
provider = "moonshot"
key = "k"
models = ["kimi-k2"]

[providers.deepseek.native.openai_responses]
path_prefix = "/v1-responses"

[channels.ds_proxy]
provider = "deepseek"
base_url = "https://proxy.example"
key = "k"
models = ["deepseek-chat"]

[providers.selfhosted]
format = "openai_chat"
auth = "bearer"

[providers.selfhosted.native.anthropic_messages]
auth = "none"

[channels.gpu]
provider = "selfhosted"
base_url = "http://10.0.0.5:8000/"
key = "k"
models = ["qwen"]

[channels.or]
provider = "openrouter"
key = "k"
models = ["x"]
formats = ["anthropic_messages", "openai_responses"]

[channels.or.native.openai_responses]
headers = { x-extra = "1" }
""")
    channels = {c.name: c for c in config_channels(load_config(path, {}))}
    ds = channels["ds"].speaking("anthropic_messages")
    assert ds.base_url == "https://api.deepseek.com/anthropic"
    assert (ds.provider.format, ds.provider.auth) == ("anthropic_messages", "x-api-key")
    assert channels["ds"].speaking("gemini") is channels["ds"]
    # the file's entry is added next to the catalog's, not instead of it
    assert channels["ds"].formats == ("openai_chat", "anthropic_messages", "openai_responses")
    assert channels["ds"].speaking("openai_responses").base_url == (
        "https://api.deepseek.com/v1-responses")
    kimi = channels["kimi"].speaking("anthropic_messages")
    assert (kimi.base_url, kimi.provider.auth) == ("https://api.moonshot.cn/anthropic", "bearer")
    assert channels["ds_proxy"].formats == ("openai_chat",)
    gpu = channels["gpu"].speaking("anthropic_messages")  # no default: every channel
    assert (gpu.base_url, gpu.provider.auth) == ("http://10.0.0.5:8000", "none")
    routed = channels["or"]
    assert routed.formats == ("openai_chat", "anthropic_messages", "openai_responses")
    responses = routed.speaking("openai_responses")
    assert responses.base_url == "https://openrouter.ai/api"
    assert responses.provider.auth == "bearer"
    assert responses.provider.headers["x-extra"] == "1"
    assert responses.provider.headers["HTTP-Referer"]  # the provider's headers stay


async def _add_rows(db: Path, rows: list[dict[str, Any]]) -> None:
    await store.open_db(f"sqlite://{db}")
    try:
        from newapi.store.models import Channel

        for row in rows:
            await Channel.create(**row)
    finally:
        await store.close_db()


async def test_database_channel_setting(tmp_path: Path, fake: FakeUpstream) -> None:
    setting = {"formats": ["anthropic_messages"], "thinking_to_content": False,
               "native": {"anthropic_messages": {"auth": "bearer", "path_prefix": ""}}}
    broken = {"formats": ["anthropic_messages", "klingon"],
              "native": {"anthropic_messages": {"auth": "carrier-pigeon"}}}

    async def setup(db: Path) -> None:
        await _add_rows(db, [
            {"id": 7, "type": 1, "key": "sk-db-native", "status": 1, "name": "db-native",
             "base_url": fake.url, "models": "dual-model", "group": "default",
             "setting": orjson.dumps(setting).decode()},
            {"id": 8, "type": 1, "key": "sk-db-broken", "status": 1, "name": "db-broken",
             "base_url": fake.url, "models": "multi-model", "group": "default",
             "setting": orjson.dumps(broken).decode()},
        ])

    async with gateway(tmp_path, "", extra_toml=PRICES, setup=setup) as gw:
        client = _claude(gw)
        for model in ("dual-model", "multi-model"):
            reply = await client.messages.create(
                model=model, max_tokens=10, messages=[{"role": "user", "content": "hi"}])
            assert reply.content[0].text == "echo: hi"
        await client.close()
        native, broken_sent = fake.requests[-2:]
        assert native.path == "/v1/messages"
        assert native.headers["authorization"] == "Bearer sk-db-native"
        assert "x-api-key" not in native.headers
        # the bad parts are left out: anthropic_messages stays, with its own key style
        assert broken_sent.path == "/v1/messages"
        assert broken_sent.headers["x-api-key"] == "sk-db-broken"
        rows = await gw.logs()
        assert [r["channel_id"] for r in rows] == [7, 8]
        for row in rows:  # Claude's usage from the fake, priced 1 and 2
            assert row["prompt_tokens"] > 0 and row["completion_tokens"] > 0
            assert row["quota"] == row["prompt_tokens"] + 2 * row["completion_tokens"]
