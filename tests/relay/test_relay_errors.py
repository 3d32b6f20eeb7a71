"""Malformed and unservable requests: always a 4xx in OpenAI's error shape, never a 500."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import openai
import pytest

from newapi.testing import FakeUpstream
from tests.relay.conftest import openai_channel
from tests.relay.expect import CHAT, aclient, openai_error, relay_error
from tests.relay.seeded import gateway

_MESSAGES = [{"role": "user", "content": "hi"}]

# (body, param named in the error or None)
_BAD_BODIES: list[tuple[bytes | Any, str | None]] = [
    (b"", None),
    (b"{not json", None),
    (b'{"model": "gpt-4o", "messages": [', None),
    (b"[1, 2, 3]", None),
    (b'"a string"', None),
    (b"null", None),
    ({"messages": _MESSAGES}, "model"),
    ({"model": "", "messages": _MESSAGES}, "model"),
    ({"model": 42, "messages": _MESSAGES}, "model"),
    ({"model": "gpt-4o"}, "messages"),
    ({"model": "gpt-4o", "messages": "hi"}, "messages"),
    ({"model": "gpt-4o", "messages": {"role": "user"}}, "messages"),
    ({"model": "gpt-4o", "messages": _MESSAGES, "stream": "yes"}, "stream"),
    ({"model": "gpt-4o", "messages": _MESSAGES, "stream": 1}, "stream"),
    ({"model": "gpt-4o", "messages": _MESSAGES, "max_tokens": -1}, "max_tokens"),
    ({"model": "gpt-4o", "messages": _MESSAGES, "max_tokens": "10"}, "max_tokens"),
    ({"model": "gpt-4o", "messages": _MESSAGES, "max_completion_tokens": 1.5},
     "max_completion_tokens"),
    ({"model": "gpt-4o", "messages": _MESSAGES, "n": True}, "n"),
    ({"model": "gpt-4o", "messages": _MESSAGES, "stream_options": "x"}, "stream_options"),
]


async def test_malformed_bodies_get_400(tmp_path: Path, fake: FakeUpstream) -> None:
    async with gateway(tmp_path, openai_channel("main", fake.url)) as gw:
        headers = {"Authorization": f"Bearer {gw.key}", "content-type": "application/json"}
        async with httpx.AsyncClient(base_url=gw.url, timeout=30, headers=headers) as http:
            for body, param in _BAD_BODIES:
                if isinstance(body, bytes):
                    response = await http.post("/v1/chat/completions", content=body)
                else:
                    response = await http.post("/v1/chat/completions", json=body)
                error = relay_error(response, 400, "invalid_request")
                assert error["type"] == "invalid_request_error", body
                assert error["param"] == param, (body, error)
            # the other relay routes check their own required fields
            for path, body, param in (
                ("/v1/completions", {"model": "gpt-4o"}, "prompt"),
                ("/v1/embeddings", {"model": "text-embedding-3-small"}, "input"),
                ("/v1/embeddings", {"input": "x"}, "model"),
                ("/v1/moderations", {"model": "omni-moderation-latest"}, "input"),
            ):
                response = await http.post(path, json=body)
                assert relay_error(response, 400)["param"] == param, (path, body)
        assert await gw.logs() == []
    assert fake.requests == []


async def test_the_sdk_raises_bad_request(tmp_path: Path, fake: FakeUpstream) -> None:
    async with gateway(tmp_path, openai_channel("main", fake.url)) as gw, aclient(gw) as client:
        with pytest.raises(openai.BadRequestError) as caught:
            await client.chat.completions.create(model="gpt-4o", messages=_MESSAGES,
                                                 max_tokens=-5)
    assert caught.value.param == "max_tokens"
    assert "(request id: " in caught.value.message


async def test_unknown_model_is_404(tmp_path: Path, fake: FakeUpstream) -> None:
    async with gateway(tmp_path, openai_channel("main", fake.url)) as gw:
        async with httpx.AsyncClient(base_url=gw.url, timeout=30,
                                     headers={"Authorization": f"Bearer {gw.key}"}) as http:
            # served nowhere and priced nowhere: "not found" wins over "no price"
            unknown = await http.post("/v1/chat/completions",
                                      json={**CHAT, "model": "no-such-model"})
            # priced, but no channel in this group serves it
            unserved = await http.post("/v1/chat/completions",
                                       json={**CHAT, "model": "dall-e-3"})
        async with aclient(gw) as client:
            with pytest.raises(openai.NotFoundError):
                await client.chat.completions.create(**{**CHAT, "model": "no-such-model"})
    for response, name in ((unknown, "no-such-model"), (unserved, "dall-e-3")):
        error = relay_error(response, 404, "model_not_found")
        assert name in error["message"] and error["param"] == "model"
    assert fake.requests == []


async def test_a_served_model_without_price(tmp_path: Path, fake: FakeUpstream) -> None:
    channels = openai_channel("main", fake.url, '"gpt-4o", "house-model"')
    async with gateway(tmp_path, channels) as gw, httpx.AsyncClient(base_url=gw.url) as http:
        response = await http.post("/v1/chat/completions", json={**CHAT, "model": "house-model"},
                                   headers={"Authorization": f"Bearer {gw.key}"})
    # an operator's mistake, not the client's: 503 with a message naming the model
    error = relay_error(response, 503, "model_price_error")
    assert "house-model" in error["message"] and error["param"] == "model"
    assert fake.requests == []


async def test_unknown_routes_and_methods(tmp_path: Path, fake: FakeUpstream) -> None:
    async with gateway(tmp_path, openai_channel("main", fake.url)) as gw:
        headers = {"Authorization": f"Bearer {gw.key}"}
        async with httpx.AsyncClient(base_url=gw.url, timeout=30, headers=headers) as http:
            missing = await http.post("/v1/whatever", json=CHAT)
            missing_get = await http.get("/v1/whatever/deeper")
            wrong_method = await http.get("/v1/chat/completions")
            wrong_method_put = await http.put("/v1/embeddings", json={})
    error = openai_error(missing, 404)
    assert error["message"] == "Invalid URL (POST /v1/whatever)"
    assert error["type"] == "invalid_request_error"
    openai_error(missing_get, 404)
    for response in (wrong_method, wrong_method_put):
        assert openai_error(response, 405)["type"] == "invalid_request_error"
    assert fake.requests == []


async def test_a_body_over_the_limit_is_413(tmp_path: Path, fake: FakeUpstream) -> None:
    async with gateway(tmp_path, openai_channel("main", fake.url),
                       relay_extra="max_request_body_mb = 1") as gw:
        big = {"model": "gpt-4o",
               "messages": [{"role": "user", "content": "x" * (1024 * 1024 + 10)}]}
        small = {"model": "gpt-4o", "messages": [{"role": "user", "content": "x" * 500_000}]}
        async with httpx.AsyncClient(base_url=gw.url, timeout=30,
                                     headers={"Authorization": f"Bearer {gw.key}"}) as http:
            too_big = await http.post("/v1/chat/completions", json=big)
            fits = await http.post("/v1/chat/completions", json=small)
    error = openai_error(too_big, 413, "request_body_too_large")
    assert "1 MiB" in error["message"]
    assert fits.status_code == 200, fits.text
    assert len(fake.requests) == 1


async def test_errors_before_and_after_auth_carry_the_request_id(tmp_path: Path,
                                                                 fake: FakeUpstream) -> None:
    async with gateway(tmp_path, openai_channel("main", fake.url)) as gw, \
            httpx.AsyncClient(base_url=gw.url, timeout=30) as http:
        ids = set()
        for headers, body, status in (
            ({}, CHAT, 401),  # no key
            ({"Authorization": f"Bearer {gw.key}"}, b"{", 400),  # bad JSON
            ({"Authorization": f"Bearer {gw.key}"}, {**CHAT, "model": "nope"}, 404),
        ):
            kwargs: dict[str, Any] = ({"content": body} if isinstance(body, bytes)
                                      else {"json": body})
            response = await http.post("/v1/chat/completions", headers=headers, **kwargs)
            relay_error(response, status)
            ids.add(response.headers["x-oneapi-request-id"])
        ok = await http.post("/v1/chat/completions", json=CHAT,
                             headers={"Authorization": f"Bearer {gw.key}"})
    assert len(ids) == 3  # a fresh id per request
    assert len(ok.headers["x-oneapi-request-id"]) == 22
