"""``GET /v1/models[/{id}]`` in Anthropic's shape for Anthropic clients (the anthropic SDK),
in OpenAI's otherwise; errors in the shape the client reads."""

from __future__ import annotations

from pathlib import Path

import anthropic
import httpx
import openai
import pytest

from newapi.testing import FakeUpstream
from tests.relay.conftest import openai_channel
from tests.relay.seeded import gateway

PRICES = """
[prices."claude-test"]
model_ratio = 1
"""

MODELS = ["claude-test", "gpt-4o", "gpt-4o-mini"]


def _channels(url: str) -> str:
    return openai_channel("oai", url) + f"""
[channels.claude]
provider = "anthropic"
base_url = "{url}"
key = "sk-ant-upstream"
models = ["claude-test", "claude-unpriced"]
"""


def _claude(gw, key: str | None = None) -> anthropic.AsyncAnthropic:
    return anthropic.AsyncAnthropic(base_url=gw.url, api_key=key or gw.key, max_retries=0)


async def test_anthropic_sdk_lists_models(tmp_path: Path, fake: FakeUpstream) -> None:
    async with gateway(tmp_path, _channels(fake.url), extra_toml=PRICES) as gw:
        client = _claude(gw)
        page = await client.models.list()
        assert [m.id for m in page.data] == MODELS  # priced models only, sorted
        first = page.data[0]
        assert (first.type, first.display_name) == ("model", "claude-test")
        assert first.created_at.year == 2021 and first.created_at.tzinfo is not None
        assert (page.first_id, page.last_id, page.has_more) == ("claude-test", "gpt-4o-mini",
                                                                False)
        paged = [m.id async for m in client.models.list(limit=1)]  # follows after_id
        assert paged == MODELS
        one = await client.models.retrieve("gpt-4o")
        assert (one.id, one.type) == ("gpt-4o", "model")
        with pytest.raises(anthropic.NotFoundError) as missing:
            await client.models.retrieve("claude-unpriced")
        assert missing.value.body["type"] == "error"
        assert missing.value.body["error"]["type"] == "not_found_error"
        await client.close()
        bad = _claude(gw, key="sk-not-a-key")
        with pytest.raises(anthropic.AuthenticationError) as denied:
            await bad.models.list()
        await bad.close()
        assert denied.value.body["error"]["type"] == "authentication_error"


async def test_pages_and_limits(tmp_path: Path, fake: FakeUpstream) -> None:
    async with gateway(tmp_path, _channels(fake.url), extra_toml=PRICES) as gw:
        headers = {"x-api-key": gw.key}
        async with httpx.AsyncClient(base_url=gw.url, headers=headers) as http:
            before = (await http.get("/v1/models", params={"before_id": "gpt-4o-mini",
                                                           "limit": 1})).json()
            assert [m["id"] for m in before["data"]] == ["gpt-4o"] and before["has_more"]
            after = (await http.get("/v1/models", params={"after_id": "gpt-4o-mini"})).json()
            assert after == {"data": [], "has_more": False, "first_id": None, "last_id": None}
            bad = await http.get("/v1/models", params={"limit": "0"})
            assert bad.status_code == 400
            assert bad.json()["error"]["type"] == "invalid_request_error"


async def test_openai_clients_keep_openai_shape(tmp_path: Path, fake: FakeUpstream) -> None:
    async with gateway(tmp_path, _channels(fake.url), extra_toml=PRICES) as gw:
        client = openai.AsyncOpenAI(base_url=gw.url + "/v1", api_key=gw.key, max_retries=0)
        page = await client.models.list()
        assert [m.id for m in page.data] == MODELS
        assert page.data[1].owned_by == "openai"
        with pytest.raises(openai.NotFoundError) as missing:
            await client.models.retrieve("claude-unpriced")
        await client.close()
        assert missing.value.body["code"] == "model_not_found"
        async with httpx.AsyncClient(base_url=gw.url) as http:
            # x-api-key together with a Bearer header: an OpenAI client
            both = await http.get("/v1/models", headers={"x-api-key": gw.key,
                                                         "authorization": f"Bearer {gw.key}"})
        assert both.json()["object"] == "list"
