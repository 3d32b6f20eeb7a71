"""Rerank wires (Jina, Cohere) and the new wires' auth and request checks, over raw httpx."""

from __future__ import annotations

import httpx
import orjson
import pytest

from newapi.testing import FakeUpstream

BEARER = {"authorization": "Bearer k"}
DOCS = ["the cat sat", "a dog ran", "cat and dog together", "nothing here"]
RERANK = {"model": "rerank-x", "query": "cat dog", "documents": DOCS}


async def test_jina_rerank_shape_scores_and_usage(client: httpx.AsyncClient) -> None:
    r = await client.post("/v1/rerank", json=RERANK)
    assert r.status_code == 200
    body = r.json()
    assert body["model"] == "rerank-x"
    assert [x["index"] for x in body["results"]] == [2, 0, 1, 3]
    assert [x["relevance_score"] for x in body["results"]] == [1.0, 0.5, 0.5, 0.0]
    assert body["results"][0]["document"] == {"text": "cat and dog together"}
    assert body["usage"] == {"total_tokens": 2 + 3 + 3 + 4 + 2}
    top = await client.post("/v1/rerank", json={**RERANK, "top_n": 1, "return_documents": False})
    assert top.json()["results"] == [{"index": 2, "relevance_score": 1.0}]
    objects = {**RERANK, "documents": [{"text": d} for d in DOCS]}
    assert (await client.post("/v1/rerank", json=objects)).json()["results"] == body["results"]


async def test_jina_scenarios_and_errors(client: httpx.AsyncClient, fake: FakeUpstream) -> None:
    assert "usage" not in (await client.post("/s/no_usage=1/v1/rerank", json=RERANK)).json()
    forced = await client.post("/s/usage=prompt:42/v1/rerank", json=RERANK)
    assert forced.json()["usage"] == {"total_tokens": 42}
    limited = await client.post("/s/status=429/v1/rerank", json=RERANK)
    assert limited.status_code == 429
    assert set(limited.json()) == {"detail"}
    bad = await client.post("/v1/rerank", json={"query": "x"})
    assert bad.status_code == 400 and "documents" in bad.json()["detail"]
    async with httpx.AsyncClient(base_url=fake.url) as anonymous:
        denied = await anonymous.post("/v1/rerank", json=RERANK)
        wrong = await anonymous.post(
            "/v1/rerank", json=RERANK, headers={"authorization": "Bearer bad-key"}
        )
    assert denied.status_code == wrong.status_code == 401
    assert set(wrong.json()) == {"detail"}


@pytest.mark.parametrize(
    ("path", "version"),
    [("/v2/rerank", "2"), ("/cohere/v2/rerank", "2"), ("/cohere/v1/rerank", "1")],
)
async def test_cohere_rerank_shape(client: httpx.AsyncClient, path: str, version: str) -> None:
    body = (await client.post(path, json={**RERANK, "top_n": 2})).json()
    assert body["id"].startswith("fake-rerank-")
    assert body["results"] == [
        {"index": 2, "relevance_score": 1.0},
        {"index": 0, "relevance_score": 0.5},
    ]
    assert body["meta"] == {
        "api_version": {"version": version},
        "billed_units": {"search_units": 1},
    }


async def test_cohere_documents_units_scenarios_and_errors(client: httpx.AsyncClient) -> None:
    v1 = await client.post("/cohere/v1/rerank", json={**RERANK, "return_documents": True})
    assert v1.json()["results"][0]["document"] == {"text": "cat and dog together"}
    many = {**RERANK, "documents": [f"doc {i}" for i in range(150)]}
    units = (await client.post("/v2/rerank", json=many)).json()["meta"]["billed_units"]
    assert units == {"search_units": 2}
    quiet = (await client.post("/s/no_usage=1/v2/rerank", json=RERANK)).json()
    assert "billed_units" not in quiet["meta"]
    forced = (await client.post("/s/usage=prompt:5/cohere/v1/rerank", json=RERANK)).json()
    assert forced["meta"]["billed_units"] == {"search_units": 5}
    failed = await client.post("/s/status=500/cohere/v2/rerank", json=RERANK)
    assert failed.status_code == 500
    assert set(failed.json()) == {"id", "message"}
    wrong = await client.post(
        "/v2/rerank", json=RERANK, headers={"authorization": "Bearer bad-key"}
    )
    assert (wrong.status_code, wrong.json()["message"]) == (401, "invalid api token")


async def test_anthropic_auth_rules(fake: FakeUpstream) -> None:
    body = {"model": "m", "max_tokens": 5, "messages": [{"role": "user", "content": "hi"}]}
    version = {"anthropic-version": "2023-06-01"}
    async with httpx.AsyncClient(base_url=fake.url) as http:
        ok = await http.post("/v1/messages", json=body, headers={"x-api-key": "k", **version})
        missing = await http.post("/v1/messages", json=body, headers=version)
        bad = await http.post(
            "/v1/messages", json=body, headers={"x-api-key": "bad-key", **version}
        )
        no_version = await http.post("/v1/messages", json=body, headers={"x-api-key": "k"})
        headers = {"x-api-key": "k", **version}
        no_max = await http.post("/v1/messages", json={**body, "max_tokens": None}, headers=headers)
        counted = await http.post(
            "/s/usage=prompt:9/v1/messages/count_tokens", json=body, headers=headers
        )
    assert ok.status_code == 200
    assert missing.status_code == 401
    assert missing.json()["error"]["type"] == "authentication_error"
    assert bad.json() == {
        "type": "error",
        "error": {"type": "authentication_error", "message": "invalid x-api-key"},
        "request_id": "req_fake",
    }
    assert no_version.status_code == 400
    assert no_version.json()["error"]["type"] == "invalid_request_error"
    assert no_max.status_code == 400 and "max_tokens" in no_max.json()["error"]["message"]
    assert counted.json() == {"input_tokens": 9}


async def test_gemini_auth_streams_and_routes(fake: FakeUpstream) -> None:
    body = {"contents": [{"parts": [{"text": "hi there"}]}]}
    flash = "/v1beta/models/gemini-2.5-flash"
    async with httpx.AsyncClient(base_url=fake.url) as http:
        by_query = await http.post(f"{flash}:generateContent?key=k", json=body)
        anonymous = await http.post(f"{flash}:generateContent", json=body)
        array = await http.post(
            "/v1/models/gemini-2.5-flash:streamGenerateContent?key=k", json=body
        )
        cut = await http.post(
            "/s/cut_after=1/v1/models/gemini-2.5-flash:streamGenerateContent?key=k", json=body
        )
        counted = await http.post(f"{flash}:countTokens?key=k", json=body)
        unknown = await http.post(f"{flash}:explode?key=k", json=body)
        empty = await http.post(f"{flash}:generateContent?key=k", json={"contents": []})
        listed = await http.get("/v1beta/models?key=k")
        missing = await http.get("/v1beta/models/gemini-9?key=k")
        single = await http.post(
            "/v1beta/models/text-embedding-004:embedContent?key=k",
            json={"content": {"parts": [{"text": "x"}]}, "outputDimensionality": 4},
        )
    assert by_query.status_code == 200
    assert anonymous.status_code == 403
    assert anonymous.json()["error"]["status"] == "PERMISSION_DENIED"
    assert array.headers["content-type"].startswith("application/json")
    chunks = orjson.loads(array.content)
    assert "".join(c["candidates"][0]["content"]["parts"][0]["text"] for c in chunks) == (
        "echo: hi there"
    )
    assert chunks[-1]["candidates"][0]["finishReason"] == "STOP"
    assert cut.text.startswith("[") and not cut.text.endswith("]")
    assert counted.json()["totalTokens"] == 2
    assert (unknown.status_code, unknown.json()["error"]["status"]) == (404, "NOT_FOUND")
    assert empty.status_code == 400
    assert empty.json()["error"]["status"] == "INVALID_ARGUMENT"
    assert listed.json()["models"][0]["name"].startswith("models/")
    assert missing.status_code == 404
    assert len(single.json()["embedding"]["values"]) == 4


async def test_responses_rejects_bad_requests(client: httpx.AsyncClient) -> None:
    no_model = await client.post("/v1/responses", json={"input": "x"})
    assert no_model.json()["error"]["param"] == "model"
    no_input = await client.post("/v1/responses", json={"model": "gpt-4o"})
    assert no_input.json()["error"]["param"] == "input"
    cut = await client.post(
        "/v1/responses",
        json={"model": "gpt-4o", "input": "a b c", "stream": True, "max_output_tokens": 1},
    )
    assert "event: response.incomplete" in cut.text
    assert "response.completed" not in cut.text
