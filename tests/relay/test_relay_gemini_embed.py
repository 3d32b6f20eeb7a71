"""Gemini embeddings (``:embedContent``, ``:batchEmbedContents``, under /v1beta and /v1) through a
real gateway: the google-genai SDK against a Gemini channel (passthrough) and an OpenAI channel
(converted to ``/v1/embeddings`` and back); the openai SDK's ``embeddings.create`` against a
Gemini channel; billing on prompt tokens; errors in Gemini's shape."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import httpx
import openai
import orjson
import pytest
from google import genai
from google.genai import errors as genai_errors
from google.genai import types

from newapi.billing.tokenizer import count_tokens
from newapi.testing import FakeUpstream
from newapi.testing.openai_wire import DEFAULT_DIMENSIONS as OPENAI_DIMENSIONS
from newapi.testing.reply import embedding_vector
from tests.relay.seeded import gateway

PRICES = """
[prices."gem-embed"]
model_ratio = 1

[prices."oai-embed"]
model_ratio = 1

[prices."gem-mapped"]
model_ratio = 1
"""


def channels(url: str, oai_url: str | None = None) -> str:
    return f"""
[channels.gem]
provider = "gemini"
base_url = "{url}"
key = "gem-upstream-key"
models = ["gem-embed", "gem-mapped"]
model_mapping = {{ "gem-mapped" = "text-embedding-004" }}

[channels.oai]
provider = "openai"
base_url = "{oai_url or url}"
key = "sk-upstream-oai"
models = ["oai-embed"]
"""


def _gw(tmp_path: Path, fake: FakeUpstream, **kw: Any):
    return gateway(tmp_path, channels(fake.url, **kw), extra_toml=PRICES)


def _gemini(gw, api_version: str | None = None) -> genai.Client:
    return genai.Client(
        api_key=gw.key,
        http_options=types.HttpOptions(
            base_url=gw.url, api_version=api_version, timeout=30_000,
            async_client_args={"transport": httpx.AsyncHTTPTransport()},
        ),
    )


async def _row(gw) -> dict[str, Any]:
    rows = await gw.logs()
    assert len(rows) == 1, rows
    return rows[0]


def _close(a: list[float], b: list[float]) -> bool:
    return len(a) == len(b) and all(math.isclose(x, y, rel_tol=1e-6, abs_tol=1e-7)
                                    for x, y in zip(a, b, strict=True))


async def test_sdk_embed_content_to_gemini_channel(tmp_path: Path, fake: FakeUpstream) -> None:
    async with _gw(tmp_path, fake) as gw:
        client = _gemini(gw)
        reply = await client.aio.models.embed_content(
            model="gem-embed", contents=["hello world", "foo bar baz"],
            config=types.EmbedContentConfig(output_dimensionality=8),
        )
        await client.aio.aclose()
        vectors = [e.values for e in reply.embeddings]
        assert vectors == [embedding_vector("gem-embed", t, 8, "float")
                           for t in ("hello world", "foo bar baz")]
        sent = fake.requests[-1]
        assert sent.path == "/v1beta/models/gem-embed:batchEmbedContents"
        assert sent.headers["x-goog-api-key"] == "gem-upstream-key"
        row = await _row(gw)
        tokens = count_tokens("hello world\nfoo bar baz", "gem-embed")
        assert (row["prompt_tokens"], row["completion_tokens"], row["quota"]) == (
            tokens, 0, tokens)


async def test_sdk_embed_content_to_openai_channel(tmp_path: Path, fake: FakeUpstream) -> None:
    async with _gw(tmp_path, fake) as gw:
        client = _gemini(gw, api_version="v1")
        reply = await client.aio.models.embed_content(
            model="oai-embed", contents=["hello world", "foo bar baz"],
            config=types.EmbedContentConfig(output_dimensionality=4),
        )
        await client.aio.aclose()
        vectors = [e.values for e in reply.embeddings]
        assert vectors == [embedding_vector("oai-embed", t, 4, "float")
                           for t in ("hello world", "foo bar baz")]
        sent = fake.requests[-1]
        assert sent.path == "/v1/embeddings"
        assert orjson.loads(sent.body) == {"model": "oai-embed", "dimensions": 4,
                                           "input": ["hello world", "foo bar baz"],
                                           "encoding_format": "float"}
        row = await _row(gw)
        assert (row["prompt_tokens"], row["quota"]) == (5, 5)  # the upstream's usage
        assert row["other"] and orjson.loads(row["other"])["request_path"] == (
            "/v1/models/oai-embed:batchEmbedContents")


async def test_embed_content_single(tmp_path: Path, fake: FakeUpstream) -> None:
    body = {"content": {"parts": [{"text": "one"}, {"text": "two"}]}}
    async with _gw(tmp_path, fake) as gw, httpx.AsyncClient(base_url=gw.url) as http:
        to_oai = await http.post(f"/v1beta/models/oai-embed:embedContent?key={gw.key}",
                                 json=body)
        assert to_oai.status_code == 200, to_oai.text
        vector = embedding_vector("oai-embed", "one two", OPENAI_DIMENSIONS, "float")
        assert to_oai.json() == {"embedding": {"values": vector}}
        mapped = {"model": "models/gem-mapped", **body}
        to_gem = await http.post("/v1/models/gem-mapped:embedContent", json=mapped,
                                 headers={"x-goog-api-key": gw.key})
        assert to_gem.status_code == 200, to_gem.text
        assert list(to_gem.json()) == ["embedding"]
        sent = fake.requests[-1]
        assert sent.path == "/v1beta/models/text-embedding-004:embedContent"
        assert orjson.loads(sent.body)["model"] == "models/text-embedding-004"
        rows = await gw.logs()
        assert [r["model_name"] for r in rows] == ["oai-embed", "gem-mapped"]
        assert all(r["quota"] > 0 for r in rows)


async def test_openai_sdk_embeddings_to_gemini_channel(tmp_path: Path,
                                                       fake: FakeUpstream) -> None:
    async with _gw(tmp_path, fake) as gw:
        client = openai.AsyncOpenAI(base_url=gw.url + "/v1", api_key=gw.key, max_retries=0)
        reply = await client.embeddings.create(model="gem-embed", input=["a b", "c"],
                                               dimensions=16)  # base64 on the wire
        floats = await client.embeddings.create(model="gem-embed", input="c",
                                                encoding_format="float")
        await client.close()
        assert _close(reply.data[0].embedding, embedding_vector("gem-embed", "a b", 16, "float"))
        assert _close(reply.data[1].embedding, embedding_vector("gem-embed", "c", 16, "float"))
        assert floats.data[0].embedding == embedding_vector("gem-embed", "c", 768, "float")
        # counted locally like any OpenAI embeddings input (the upstream reports no usage)
        assert reply.usage.prompt_tokens == count_tokens("a b\nc", "gem-embed")
        sent = fake.requests[0]
        assert sent.path == "/v1beta/models/gem-embed:batchEmbedContents"
        assert orjson.loads(sent.body) == {"requests": [
            {"model": "models/gem-embed", "content": {"parts": [{"text": t}]},
             "outputDimensionality": 16} for t in ("a b", "c")]}
        rows = await gw.logs()
        assert [r["prompt_tokens"] for r in rows] == [reply.usage.prompt_tokens,
                                                      floats.usage.prompt_tokens]


def _gemini_error(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert list(body) == ["error"] and set(body["error"]) == {"code", "message", "status"}
    assert body["error"]["code"] == status
    return body["error"]


@pytest.mark.parametrize(
    ("path", "body", "status", "text"),
    [
        ("/v1beta/models/gem-embed:embedContent", b"{oops", 400, "not valid JSON"),
        ("/v1beta/models/gem-embed:embedContent", b'{"content": "x"}', 400, "'content'"),
        ("/v1beta/models/gem-embed:batchEmbedContents", b'{"requests": []}', 400,
         "'requests'"),
        ("/v1/models/oai-embed:batchEmbedContents",
         b'{"requests": [{"content": {"parts": [{"text": "a"}]}, "outputDimensionality": 3},'
         b' {"content": {"parts": [{"text": "b"}]}, "outputDimensionality": 4}]}', 400,
         "outputDimensionality"),
        ("/v1beta/models/no-such-model:embedContent",
         b'{"content": {"parts": [{"text": "a"}]}}', 404, "no-such-model"),
    ],
)
async def test_bad_requests_get_gemini_errors(tmp_path: Path, fake: FakeUpstream, path: str,
                                              body: bytes, status: int, text: str) -> None:
    async with _gw(tmp_path, fake) as gw, httpx.AsyncClient(base_url=gw.url) as http:
        reply = await http.post(path, content=body, headers={"x-goog-api-key": gw.key})
        assert text in _gemini_error(reply, status)["message"]
        assert await gw.logs() == []


async def test_sdk_sees_errors(tmp_path: Path, fake: FakeUpstream) -> None:
    async with _gw(tmp_path, fake, oai_url=fake.scenario_url("status=429")) as gw:
        client = _gemini(gw)
        with pytest.raises(genai_errors.ClientError) as missing:
            await client.aio.models.embed_content(model="nope", contents="x")
        assert missing.value.code == 404 and missing.value.status == "NOT_FOUND"
        with pytest.raises(genai_errors.ClientError) as limited:
            await client.aio.models.embed_content(model="oai-embed", contents="x")
        await client.aio.aclose()
        assert limited.value.code == 429 and limited.value.status == "RESOURCE_EXHAUSTED"
        oai = openai.AsyncOpenAI(base_url=gw.url + "/v1", api_key=gw.key, max_retries=0)
        with pytest.raises(openai.BadRequestError) as ids:
            await oai.embeddings.create(model="gem-embed", input=[[1, 2, 3]])
        await oai.close()
        assert ids.value.body["param"] == "input"
        assert await gw.logs() == []


async def test_gemini_upstream_errors_keep_gemini_status(tmp_path: Path,
                                                         fake: FakeUpstream) -> None:
    bad = channels(fake.url).replace('key = "gem-upstream-key"', 'key = "bad-key"')
    async with gateway(tmp_path, bad, extra_toml=PRICES) as gw, \
            httpx.AsyncClient(base_url=gw.url) as http:
        reply = await http.post("/v1beta/models/gem-embed:embedContent",
                                json={"content": {"parts": [{"text": "a"}]}},
                                headers={"x-goog-api-key": gw.key})
        error = _gemini_error(reply, 400)
        assert error["status"] == "INVALID_ARGUMENT" and "API key not valid" in error["message"]
        assert "bad-key" not in reply.text
