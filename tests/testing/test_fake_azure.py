"""Azure OpenAI deployment routes of the fake upstream (SDK and raw HTTP)."""

from __future__ import annotations

import httpx
import openai
import pytest
from openai import AsyncAzureOpenAI

from newapi.testing import FakeUpstream

VERSION = "2024-10-21"
DEPLOY = "/openai/deployments/my-gpt"


def azure(fake: FakeUpstream, key: str = "azure-key") -> AsyncAzureOpenAI:
    return AsyncAzureOpenAI(
        azure_endpoint=fake.url, api_key=key, api_version=VERSION, max_retries=0
    )


async def test_azure_sdk_chat_answers_as_the_deployment(fake: FakeUpstream) -> None:
    client = azure(fake)
    reply = await client.chat.completions.create(
        model="my-gpt", messages=[{"role": "user", "content": "hi azure"}]
    )
    assert reply.model == "my-gpt"
    assert reply.choices[0].message.content == "echo: hi azure"
    seen = fake.requests[-1]
    assert seen.path == f"{DEPLOY}/chat/completions"
    assert seen.query == {"api-version": [VERSION]}
    assert seen.headers["api-key"] == "azure-key"
    assert "authorization" not in seen.headers
    await client.close()


async def test_azure_sdk_stream_and_embeddings(fake: FakeUpstream) -> None:
    client = azure(fake)
    stream = await client.chat.completions.create(
        model="my-gpt",
        stream=True,
        stream_options={"include_usage": True},
        messages=[{"role": "user", "content": "go"}],
    )
    chunks = [chunk async for chunk in stream]
    assert {c.model for c in chunks} == {"my-gpt"}
    assert chunks[-1].usage is not None
    vectors = await client.embeddings.create(model="my-embed", input="text", dimensions=4)
    assert vectors.model == "my-embed"
    assert len(vectors.data[0].embedding) == 4
    assert fake.requests[-1].path == "/openai/deployments/my-embed/embeddings"
    await client.close()


async def test_azure_bad_key_is_401(fake: FakeUpstream) -> None:
    client = azure(fake, key="bad-key")
    with pytest.raises(openai.AuthenticationError):
        await client.chat.completions.create(
            model="my-gpt", messages=[{"role": "user", "content": "hi"}]
        )
    await client.close()


async def test_azure_requires_api_version_and_api_key(fake: FakeUpstream) -> None:
    body = {"messages": [{"role": "user", "content": "hi"}]}
    async with httpx.AsyncClient(base_url=fake.url) as http:
        no_version = await http.post(
            f"{DEPLOY}/chat/completions", json=body, headers={"api-key": "k"}
        )
        assert no_version.status_code == 404
        assert no_version.json()["error"]["message"] == "Resource not found"
        bearer_only = await http.post(
            f"{DEPLOY}/chat/completions",
            params={"api-version": VERSION},
            json=body,
            headers={"authorization": "Bearer k"},
        )
        assert bearer_only.status_code == 401
        assert set(bearer_only.json()["error"]) == {"message", "type", "param", "code"}
        ok = await http.post(
            f"{DEPLOY}/chat/completions",
            params={"api-version": VERSION},
            json=body,
            headers={"api-key": "k"},
        )
        assert ok.status_code == 200
        assert ok.json()["model"] == "my-gpt"


async def test_azure_routes_take_scenario_prefixes(fake: FakeUpstream) -> None:
    body = {"messages": [{"role": "user", "content": "hi"}]}
    async with httpx.AsyncClient(base_url=fake.url, headers={"api-key": "k"}) as http:
        r = await http.post(
            f"/s/status=429,times=1{DEPLOY}/chat/completions",
            params={"api-version": VERSION},
            json=body,
        )
        assert r.status_code == 429
        again = await http.post(
            f"/s/status=429,times=1{DEPLOY}/completions",
            params={"api-version": VERSION},
            json={"prompt": "x"},
        )
        assert again.status_code == 200  # same prefix text, so the one failure is used up
        assert again.json()["choices"][0]["text"] == "echo: x"
