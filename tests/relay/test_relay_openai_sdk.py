"""The OpenAI SDK against a real gateway in front of the fake upstream: every route, billed."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import openai
import orjson
import pytest

from newapi.testing import FakeUpstream
from tests.relay.conftest import gateway, openai_channel


def _client(gw, **kw) -> openai.OpenAI:
    """The sync client: only for use in a worker thread (the gateway runs on the test loop)."""
    return openai.OpenAI(base_url=gw.url + "/v1", api_key=gw.key, max_retries=0, **kw)


def _aclient(gw, **kw) -> openai.AsyncOpenAI:
    return openai.AsyncOpenAI(base_url=gw.url + "/v1", api_key=gw.key, max_retries=0, **kw)


async def test_chat_non_stream_is_billed_exactly(tmp_path: Path, fake: FakeUpstream) -> None:
    async with gateway(tmp_path, openai_channel("main", fake.url)) as gw:
        client = openai.AsyncOpenAI(base_url=gw.url + "/v1", api_key=gw.key, max_retries=0)
        reply = await client.chat.completions.create(
            model="gpt-4o", messages=[{"role": "user", "content": "hello world"}]
        )
        await client.close()
        assert reply.choices[0].message.content == "echo: hello world"
        assert reply.usage is not None
        assert (reply.usage.prompt_tokens, reply.usage.completion_tokens) == (2, 3)
        # (2 prompt + 3 completion x 4) x model ratio 1.25 x group ratio 1 = 17.5 -> 18
        balances = await gw.balances()
        assert balances["used"] == 18 and balances["quota"] == 50_000_000 - 18
        assert balances["requests"] == 1 and balances["token_used"] == 18
        [row] = await gw.logs()
        assert row["quota"] == 18 and row["model_name"] == "gpt-4o"
        assert (row["prompt_tokens"], row["completion_tokens"]) == (2, 3)
        assert row["is_stream"] is False and row["token_name"] == "test"
        other = orjson.loads(row["other"])
        assert other["model_ratio"] == 1.25 and other["completion_ratio"] == 4
        assert other["group_ratio"] == 1
        sent = fake.requests[-1]
        assert sent.headers["authorization"] == "Bearer sk-upstream-main"
        assert sent.json["model"] == "gpt-4o"


async def test_chat_stream_forwards_chunks_and_usage(tmp_path: Path, fake: FakeUpstream) -> None:
    async with gateway(tmp_path, openai_channel("main", fake.url)) as gw:
        client = openai.AsyncOpenAI(base_url=gw.url + "/v1", api_key=gw.key, max_retries=0)
        stream = await client.chat.completions.create(
            model="gpt-4o-mini", stream=True,
            messages=[{"role": "user", "content": "one two three four"}],
        )
        text, usage = "", None
        async for chunk in stream:
            if chunk.choices:
                text += chunk.choices[0].delta.content or ""
            if chunk.usage is not None:
                usage = chunk.usage
        await client.close()
        assert text == "echo: one two three four"
        assert usage is not None and usage.completion_tokens == 5
        # the gateway asked the upstream for usage even though the client did not say
        assert fake.requests[-1].json["stream_options"] == {"include_usage": True}
        [row] = await gw.logs()
        # (4 + 5 x 4) x 0.075 = 1.8 -> 2
        assert row["quota"] == 2 and row["is_stream"] is True
        assert orjson.loads(row["other"])["stream_status"] == "completed"


async def test_include_usage_false_hides_the_usage_chunk(tmp_path: Path,
                                                          fake: FakeUpstream) -> None:
    async with gateway(tmp_path, openai_channel("main", fake.url)) as gw:

        def run() -> list:  # the sync client, in a thread (the gateway runs on this loop)
            with _client(gw) as client:
                return list(client.chat.completions.create(
                    model="gpt-4o", stream=True, stream_options={"include_usage": False},
                    messages=[{"role": "user", "content": "a b"}],
                ))

        chunks = await asyncio.to_thread(run)
        assert all(c.usage is None for c in chunks)
        assert all(c.choices for c in chunks)
        [row] = await gw.logs()
        assert row["completion_tokens"] == 3 and row["quota"] > 0  # billed anyway


async def test_tools_round_trip(tmp_path: Path, fake: FakeUpstream) -> None:
    tools = [{"type": "function", "function": {
        "name": "get_weather", "parameters": {"type": "object",
                                              "properties": {"city": {"type": "string"}}}}}]
    async with gateway(tmp_path, openai_channel("main", fake.url)) as gw:
        async with _aclient(gw) as client:
            first = await client.chat.completions.create(
                model="gpt-4o", tools=tools,
                messages=[{"role": "user", "content": "call get_weather please"}],
            )
            call = first.choices[0].message.tool_calls[0]
            assert call.function.name == "get_weather"
            second = await client.chat.completions.create(
                model="gpt-4o", tools=tools,
                messages=[
                    {"role": "user", "content": "call get_weather please"},
                    first.choices[0].message.model_dump(exclude_none=True),
                    {"role": "tool", "tool_call_id": call.id, "content": "sunny"},
                ],
            )
        assert second.choices[0].finish_reason == "stop"
        assert fake.requests[-1].json["messages"][-1]["tool_call_id"] == call.id
        assert len(await gw.logs()) == 2


async def test_other_routes(tmp_path: Path, fake: FakeUpstream) -> None:
    channels = openai_channel(
        "main", fake.url,
        '"gpt-4o", "gpt-4o-mini", "text-embedding-3-small", "omni-moderation-latest", '
        '"gpt-3.5-turbo-instruct"',
    ) + '\n[prices."gpt-3.5-turbo-instruct"]\nmodel_ratio = 0.75\ncompletion_ratio = 1.33\n'
    async with gateway(tmp_path, channels) as gw:
        async with _aclient(gw) as client:
            emb = await client.embeddings.create(model="text-embedding-3-small",
                                                 input=["hello there", "general kenobi"])
            assert len(emb.data) == 2 and len(emb.data[0].embedding) == 1536
            done = await client.completions.create(model="gpt-3.5-turbo-instruct",
                                                   prompt="say this", max_tokens=5)
            assert done.choices[0].text
            mod = await client.moderations.create(model="omni-moderation-latest", input="hello")
            assert mod.results[0].flagged is False
            listed = sorted([m.id async for m in client.models.list()])
            assert "gpt-4o" in listed and "text-embedding-3-small" in listed
            assert (await client.models.retrieve("gpt-4o")).id == "gpt-4o"
            with pytest.raises(openai.NotFoundError):
                await client.models.retrieve("no-such-model")
        rows = await gw.logs()
        assert [r["model_name"] for r in rows] == [
            "text-embedding-3-small", "gpt-3.5-turbo-instruct", "omni-moderation-latest"]
        assert rows[2]["quota"] == 0  # free model


async def test_key_routes(tmp_path: Path, fake: FakeUpstream) -> None:
    async with gateway(tmp_path, openai_channel("main", fake.url), token_quota=1_000_000) as gw:
        headers = {"Authorization": f"Bearer {gw.key}"}
        async with httpx.AsyncClient(base_url=gw.url, headers=headers) as http:
            sub = (await http.get("/v1/dashboard/billing/subscription")).json()
            assert sub["object"] == "billing_subscription" and sub["hard_limit_usd"] == 2.0
            usage = (await http.get("/dashboard/billing/usage")).json()
            assert usage == {"object": "list", "total_usage": 0.0}
            info = (await http.get("/api/usage/token")).json()
            assert info["data"]["total_available"] == 1_000_000
            assert info["data"]["unlimited_quota"] is False
