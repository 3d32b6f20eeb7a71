"""``POST /v1/rerank`` (Jina and Cohere v1 shapes) and ``POST /v2/rerank`` (Cohere v2) through a
real gateway against the fake's Jina and Cohere wires: passthrough, conversion both ways,
billing, failover and errors in each route's shape."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from newapi.testing import FakeUpstream
from tests.relay.expect import ch, openai_error
from tests.relay.seeded import gateway

PRICES = """
[prices."rr-jina"]
model_ratio = 1

[prices."rr-cohere"]
model_price_usd = 0.002

[prices."rr-compat"]
model_ratio = 2

[prices."rr-both"]
model_ratio = 1

[prices."claude-test"]
model_ratio = 1
"""

DOCS = ["the cat sat on the mat", "dogs chase cats", "a bird in the sky"]


def channels(url: str, *, jina_url: str | None = None) -> str:
    return f"""
[channels.jina]
provider = "jina"
base_url = "{jina_url or url}"
key = "jina-upstream-key"
models = ["rr-jina", "rr-both"]
priority = 10

[channels.cohere]
provider = "cohere_rerank"
base_url = "{url}"
key = "cohere-upstream-key"
models = ["rr-cohere", "rr-both"]
model_mapping = {{ "rr-cohere" = "rerank-v3.5" }}

[channels.compat]
provider = "siliconflow"
base_url = "{url}"
key = "sf-upstream-key"
models = ["rr-compat"]

[channels.claude]
provider = "anthropic"
base_url = "{url}"
key = "sk-ant-upstream"
models = ["claude-test"]
priority = 10
"""


def _gw(tmp_path: Path, fake: FakeUpstream, **kw: Any):
    return gateway(tmp_path, channels(fake.url, **kw), extra_toml=PRICES)


async def _post(gw, path: str, body: Any, **headers: str) -> httpx.Response:
    async with httpx.AsyncClient(base_url=gw.url) as http:
        content = body if isinstance(body, bytes) else orjson.dumps(body)
        return await http.post(path, content=content, headers={
            "authorization": f"Bearer {gw.key}", "content-type": "application/json", **headers})


async def _row(gw) -> dict[str, Any]:
    rows = await gw.logs()
    assert len(rows) == 1, rows
    return rows[0]


async def test_jina_shape_passes_through_to_jina(tmp_path: Path, fake: FakeUpstream) -> None:
    async with _gw(tmp_path, fake) as gw:
        body = {"model": "rr-jina", "query": "cat on mat", "documents": DOCS, "top_n": 2}
        reply = await _post(gw, "/v1/rerank", body)
        assert reply.status_code == 200, reply.text
        data = reply.json()
        assert [r["index"] for r in data["results"]] == [0, 1]
        assert data["results"][0]["document"] == {"text": DOCS[0]}
        # query 3 words + documents 6 + 3 + 5 words, as the fake counts
        assert data["usage"] == {"total_tokens": 17}
        sent = fake.requests[-1]
        assert sent.path == "/v1/rerank"
        assert orjson.loads(sent.body) == body  # the client's bytes
        assert sent.headers["authorization"] == "Bearer jina-upstream-key"
        row = await _row(gw)
        assert (row["model_name"], row["prompt_tokens"], row["quota"]) == ("rr-jina", 17, 17)
        assert row["channel_id"] == ch("jina")


async def test_jina_shape_to_cohere_channel(tmp_path: Path, fake: FakeUpstream) -> None:
    async with _gw(tmp_path, fake) as gw:
        docs = [{"text": d} for d in DOCS]
        reply = await _post(gw, "/v1/rerank", {"model": "rr-cohere", "query": "dogs",
                                               "documents": docs})
        assert reply.status_code == 200, reply.text
        data = reply.json()
        assert set(data) == {"model", "results", "usage"}
        assert data["model"] == "rr-cohere"
        assert data["results"][0] == {"index": 1, "relevance_score": 1.0,
                                      "document": {"text": DOCS[1]}}
        assert len(data["results"]) == 3
        sent = fake.requests[-1]
        assert sent.path == "/v2/rerank"
        assert orjson.loads(sent.body) == {"model": "rerank-v3.5", "query": "dogs",
                                           "documents": DOCS}
        row = await _row(gw)
        # a per-call price: 0.002 USD x 500000 x 1 search unit
        assert row["quota"] == 1000
        assert row["prompt_tokens"] == data["usage"]["total_tokens"] > 0


async def test_cohere_v1_shape_is_answered_like_cohere(tmp_path: Path,
                                                       fake: FakeUpstream) -> None:
    async with _gw(tmp_path, fake) as gw:
        body = {"model": "rr-jina", "query": "bird sky", "documents": DOCS,
                "return_documents": True, "max_chunks_per_doc": 10}
        reply = await _post(gw, "/v1/rerank", body)
        assert reply.status_code == 200, reply.text
        data = reply.json()
        assert set(data) == {"id", "results", "meta"}
        assert data["meta"] == {"api_version": {"version": "1"},
                                "billed_units": {"search_units": 1}}
        assert data["results"][0] == {"index": 2, "relevance_score": 1.0,
                                      "document": {"text": DOCS[2]}}
        sent = orjson.loads(fake.requests[-1].body)
        assert "max_chunks_per_doc" not in sent and sent["return_documents"] is False
        row = await _row(gw)
        assert row["prompt_tokens"] == 16 and row["quota"] == 16  # the fake's usage


async def test_v2_route_passes_through_to_cohere(tmp_path: Path, fake: FakeUpstream) -> None:
    async with _gw(tmp_path, fake) as gw:
        docs = [f"document number {i}" for i in range(150)]
        reply = await _post(gw, "/v2/rerank", {"model": "rr-cohere", "query": "number 7",
                                               "documents": docs, "top_n": 3})
        assert reply.status_code == 200, reply.text
        data = reply.json()
        assert data["id"].startswith("fake-rerank-")  # the upstream's own answer
        assert data["meta"]["billed_units"] == {"search_units": 2}
        assert [r["index"] for r in data["results"]] == [7, 0, 1]
        assert fake.requests[-1].path == "/v2/rerank"
        assert orjson.loads(fake.requests[-1].body)["model"] == "rerank-v3.5"
        row = await _row(gw)
        assert row["quota"] == 2000  # two search units at 0.002 USD each


async def test_v2_route_to_jina_channel(tmp_path: Path, fake: FakeUpstream) -> None:
    async with _gw(tmp_path, fake) as gw:
        reply = await _post(gw, "/v2/rerank", {"model": "rr-jina", "query": "cats",
                                               "documents": DOCS, "top_n": 1})
        assert reply.status_code == 200, reply.text
        data = reply.json()
        assert data["results"] == [{"index": 1, "relevance_score": 1.0}]
        assert data["meta"]["api_version"] == {"version": "2"}
        assert fake.requests[-1].path == "/v1/rerank"


async def test_openai_compatible_channel_serves_rerank(tmp_path: Path,
                                                       fake: FakeUpstream) -> None:
    async with _gw(tmp_path, fake) as gw:
        reply = await _post(gw, "/v1/rerank", {"model": "rr-compat", "query": "mat",
                                               "documents": DOCS[:2]})
        assert reply.status_code == 200, reply.text
        assert reply.json()["results"][0]["index"] == 0
        assert fake.requests[-1].headers["authorization"] == "Bearer sf-upstream-key"
        row = await _row(gw)
        assert row["prompt_tokens"] == 1 + 6 + 3 and row["quota"] == 20  # model ratio 2


async def test_failover_from_a_failing_jina_to_cohere(tmp_path: Path,
                                                      fake: FakeUpstream) -> None:
    async with _gw(tmp_path, fake, jina_url=fake.scenario_url("status=500")) as gw:
        reply = await _post(gw, "/v1/rerank", {"model": "rr-both", "query": "sky",
                                               "documents": DOCS})
        assert reply.status_code == 200, reply.text
        assert reply.json()["results"][0]["index"] == 2
        assert [r.path for r in fake.requests] == ["/s/status=500/v1/rerank", "/v2/rerank"]
        row = await _row(gw)
        other = orjson.loads(row["other"])
        assert [a["channel"] for a in other["admin_info"]["attempts"]] == [ch("jina"),
                                                                           ch("cohere")]


async def test_a_chat_channel_is_skipped_for_rerank(tmp_path: Path, fake: FakeUpstream) -> None:
    extra = """
[channels.jina_claude]
provider = "jina"
base_url = "{url}"
key = "jina-upstream-key"
models = ["claude-test"]
"""
    async with gateway(tmp_path, channels(fake.url) + extra.format(url=fake.url),
                       extra_toml=PRICES) as gw:
        reply = await _post(gw, "/v1/rerank", {"model": "claude-test", "query": "sky",
                                               "documents": DOCS})
        assert reply.status_code == 200, reply.text
        assert [r.path for r in fake.requests] == ["/v1/rerank"]
        other = orjson.loads((await _row(gw))["other"])
        assert [a["code"] for a in other["admin_info"]["attempts"]] == [
            "format_not_supported", None]


@pytest.mark.parametrize(
    ("body", "status", "code", "param"),
    [
        (b"{not json", 400, "invalid_request", None),
        ({"model": "rr-jina", "documents": DOCS}, 400, "invalid_request", "query"),
        ({"model": "rr-jina", "query": "q"}, 400, "invalid_request", "documents"),
        ({"model": "rr-jina", "query": "q", "documents": []}, 400, "invalid_request",
         "documents"),
        ({"model": "rr-jina", "query": "q", "documents": [3]}, 400, "invalid_request",
         "documents"),
        ({"model": "rr-jina", "query": "q", "documents": DOCS, "top_n": 0}, 400,
         "invalid_request", "top_n"),
        ({"query": "q", "documents": DOCS}, 400, "invalid_request", "model"),
        ({"model": "no-such-reranker", "query": "q", "documents": DOCS}, 404,
         "model_not_found", "model"),
    ],
)
async def test_bad_requests_get_openai_errors_on_v1(tmp_path: Path, fake: FakeUpstream,
                                                    body: Any, status: int, code: str,
                                                    param: str | None) -> None:
    async with _gw(tmp_path, fake) as gw:
        reply = await _post(gw, "/v1/rerank", body)
        error = openai_error(reply, status, code)
        assert error["param"] == param
        assert fake.requests == []
        assert await gw.logs() == []


async def test_bad_requests_get_cohere_errors_on_v2(tmp_path: Path, fake: FakeUpstream) -> None:
    async with _gw(tmp_path, fake) as gw:
        for body, status in ((b"[]", 400), ({"model": "rr-cohere", "documents": DOCS}, 400),
                             ({"model": "nope", "query": "q", "documents": DOCS}, 404)):
            reply = await _post(gw, "/v2/rerank", body)
            assert reply.status_code == status, reply.text
            data = reply.json()
            assert set(data) == {"id", "message"}, data
            assert data["id"] == reply.headers["x-oneapi-request-id"]
        async with httpx.AsyncClient(base_url=gw.url) as http:
            no_key = await http.post("/v2/rerank", json={})
        assert no_key.status_code == 401 and set(no_key.json()) == {"id", "message"}


async def test_upstream_errors_keep_their_message(tmp_path: Path, fake: FakeUpstream) -> None:
    async with _gw(tmp_path, fake, jina_url=fake.scenario_url("status=422")) as gw:
        reply = await _post(gw, "/v1/rerank", {"model": "rr-jina", "query": "q",
                                               "documents": DOCS})
        error = openai_error(reply, 422)
        assert error["message"].startswith("Fake upstream error 422.")
        cohere = await _post(gw, "/v2/rerank", {"model": "rr-jina", "query": "q",
                                                "documents": DOCS})
        assert cohere.status_code == 422
        assert cohere.json()["message"].startswith("Fake upstream error 422.")


async def test_cohere_upstream_errors_are_read(tmp_path: Path, fake: FakeUpstream) -> None:
    bad = channels(fake.url).replace('key = "cohere-upstream-key"', 'key = "bad-key"')
    async with gateway(tmp_path, bad, extra_toml=PRICES) as gw:
        reply = await _post(gw, "/v2/rerank", {"model": "rr-cohere", "query": "q",
                                               "documents": DOCS})
        assert reply.status_code == 401
        data = reply.json()
        assert set(data) == {"id", "message"}
        assert data["message"].startswith("invalid api token")
        assert "bad-key" not in reply.text
        assert await gw.logs() == []
