"""Providers through a real gateway: URLs and auth per provider, multi-key channels."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import openai
import orjson
import pytest

from newapi.testing import FakeUpstream
from tests.relay.conftest import openai_channel
from tests.relay.expect import CHAT, aclient, attempts, ch
from tests.relay.seeded import gateway


def _channel(name: str, provider: str, base_url: str, *, models: str = '"gpt-4o"',
             key: str = "upstream-key", extra: str = "") -> str:
    return f"""
[channels.{name}]
provider = "{provider}"
base_url = "{base_url}"
key = "{key}"
models = [{models}]
{extra}
"""


def _auth(fake: FakeUpstream) -> list[str]:
    return [r.headers.get("authorization", "").removeprefix("Bearer ") for r in fake.requests]


# -- Azure -----------------------------------------------------------------------------------


async def test_azure_deployment_url_and_api_key(tmp_path: Path, fake: FakeUpstream) -> None:
    channels = _channel("az", "azure", fake.url, key="azure-key",
                        models='"gpt-4o", "text-embedding-3-small"')
    async with gateway(tmp_path, channels) as gw:
        async with aclient(gw) as client:
            reply = await client.chat.completions.create(**CHAT)
            assert reply.choices[0].message.content == "echo: hi"
            stream = await client.chat.completions.create(**CHAT, stream=True)
            chunks = [chunk async for chunk in stream]
            emb = await client.embeddings.create(model="text-embedding-3-small", input="hello")
        assert len(emb.data[0].embedding) == 1536
        assert chunks[-1].usage is not None and chunks[-1].usage.completion_tokens > 0
        rows = await gw.logs()
    chat, streamed, embedded = fake.requests
    for sent in fake.requests:
        assert sent.headers["api-key"] == "azure-key"
        assert "authorization" not in sent.headers
        assert sent.query == {"api-version": ["2025-04-01-preview"]}  # the default
    assert chat.path == streamed.path == "/openai/deployments/gpt-4o/chat/completions"
    assert embedded.path == "/openai/deployments/text-embedding-3-small/embeddings"
    assert streamed.json["stream_options"] == {"include_usage": True}
    assert [r["model_name"] for r in rows] == ["gpt-4o", "gpt-4o", "text-embedding-3-small"]
    assert all(r["quota"] > 0 for r in rows)


async def test_azure_api_version_and_deployment_mapping(tmp_path: Path,
                                                         fake: FakeUpstream) -> None:
    extra = 'api_version = "2024-10-21"\nmodel_mapping = { "gpt-4o" = "prod-4o" }'
    channels = _channel("az", "azure", fake.url, key="azure-key", extra=extra)
    async with gateway(tmp_path, channels) as gw:
        async with aclient(gw) as client:
            reply = await client.chat.completions.create(**CHAT)
            # a client's ?api-version= wins over the channel's (as in New API)
            await client.chat.completions.create(**CHAT,
                                                 extra_query={"api-version": "2025-01-01"})
        [first, second] = await gw.logs()
    assert reply.model == "prod-4o"  # Azure answers with the deployment name
    assert fake.requests[0].path == "/openai/deployments/prod-4o/chat/completions"
    assert fake.requests[0].query == {"api-version": ["2024-10-21"]}
    assert fake.requests[1].query == {"api-version": ["2025-01-01"]}
    assert first["model_name"] == "gpt-4o"
    assert orjson.loads(first["other"])["upstream_model_name"] == "prod-4o"
    assert second["model_name"] == "gpt-4o"


# -- custom, DeepSeek, OpenAI-compatible, OpenAI organization -------------------------------


async def test_custom_provider_full_url_with_model(tmp_path: Path, fake: FakeUpstream) -> None:
    url = fake.url + "/v1/chat/completions?deployment={model}&tenant=t1"
    channels = _channel("full", "custom", url, extra='model_mapping = { "gpt-4o" = "gpt-4o-x" }')
    async with gateway(tmp_path, channels) as gw:
        async with aclient(gw) as client:
            reply = await client.chat.completions.create(**CHAT)
            stream = await client.chat.completions.create(**CHAT, stream=True)
            chunks = [chunk async for chunk in stream]
        assert reply.choices[0].message.content == "echo: hi"
        rows = await gw.logs()
    for sent in fake.requests:
        assert sent.path == "/v1/chat/completions"
        assert sent.query == {"deployment": ["gpt-4o-x"], "tenant": ["t1"]}
        assert sent.headers["authorization"] == "Bearer upstream-key"
        assert sent.json["model"] == "gpt-4o-x"
    # custom channels never get stream_options (relay.md §12.25); usage is counted locally
    assert "stream_options" not in fake.requests[1].json
    assert chunks[-1].usage is not None  # the client still gets a usage chunk
    assert rows[1]["completion_tokens"] > 0 and rows[1]["quota"] > 0


@pytest.mark.parametrize("provider", ["deepseek", "openai_compatible"])
async def test_openai_like_providers_with_a_base_url(tmp_path: Path, fake: FakeUpstream,
                                                     provider: str) -> None:
    channels = _channel("p", provider, fake.url + "/", key="pk-123")
    async with gateway(tmp_path, channels) as gw:
        async with aclient(gw) as client:
            reply = await client.chat.completions.create(**CHAT)
        assert reply.choices[0].message.content == "echo: hi"
        [row] = await gw.logs()
    [sent] = fake.requests
    assert sent.path == "/v1/chat/completions"  # the trailing slash of base_url is dropped
    assert sent.headers["authorization"] == "Bearer pk-123"
    assert "openai-organization" not in sent.headers
    assert row["channel_id"] == ch("p")


async def test_openai_organization_header(tmp_path: Path, fake: FakeUpstream) -> None:
    channels = openai_channel("org", fake.url, extra='organization = "org-test-123"')
    async with gateway(tmp_path, channels) as gw, aclient(gw) as client:
        await client.chat.completions.create(**CHAT)
    assert fake.requests[0].headers["openai-organization"] == "org-test-123"
    assert fake.requests[0].headers["authorization"] == "Bearer sk-upstream-org"


# -- multi-key channels ----------------------------------------------------------------------


async def test_round_robin_keys_rotate(tmp_path: Path, fake: FakeUpstream) -> None:
    channels = _channel("multi", "openai", fake.url,
                        extra='keys = ["k1", "k2", "k3"]\nkey_mode = "round_robin"'
                        ).replace('key = "upstream-key"\n', "")
    async with gateway(tmp_path, channels) as gw, aclient(gw) as client:
        for _ in range(7):
            await client.chat.completions.create(**CHAT)
    assert _auth(fake) == ["k1", "k2", "k3", "k1", "k2", "k3", "k1"]


async def test_random_keys_use_every_key(tmp_path: Path, fake: FakeUpstream) -> None:
    channels = _channel("multi", "openai", fake.url, extra='keys = ["k1", "k2", "k3"]'
                        ).replace('key = "upstream-key"\n', "")
    async with gateway(tmp_path, channels) as gw, aclient(gw) as client:
        gw.relay.rng.seed(2)
        for _ in range(30):
            await client.chat.completions.create(**CHAT)
    assert set(Counter(_auth(fake))) == {"k1", "k2", "k3"}


_BAD_RING = 'keys = ["k1", "bad-key", "k3"]\nkey_mode = "round_robin"'


async def test_a_rejected_key_leaves_the_rotation(tmp_path: Path, fake: FakeUpstream) -> None:
    channels = (_channel("multi", "openai", fake.url, extra=_BAD_RING + "\npriority = 10")
                .replace('key = "upstream-key"\n', "")
                + openai_channel("backup", fake.url))
    async with gateway(tmp_path, channels, relay_extra="auto_disable = true") as gw:
        async with aclient(gw) as client:
            for _ in range(6):
                reply = await client.chat.completions.create(**CHAT)
                assert reply.choices[0].message.content == "echo: hi"
        rows = await gw.logs()
        ring = gw.relay.rings[ch("multi")]
        assert list(ring.disabled) == [1]
        assert ch("multi") not in gw.relay.disabled  # the channel itself stays in service
    # the failing key is replaced by another key of the same (preferred) channel
    assert _auth(fake) == ["k1", "bad-key", "k3", "k1", "k3", "k1", "k3"]
    assert attempts(rows[1]) == [(ch("multi"), 401), (ch("multi"), 200)]
    assert all(len(attempts(r)) == 1 for r in rows if r is not rows[1])


async def test_a_rejected_key_retries_the_same_channel(tmp_path: Path,
                                                       fake: FakeUpstream) -> None:
    """With one multi-key channel, the retry after a key was taken out uses another key."""
    channels = _channel("multi", "openai", fake.url, extra=_BAD_RING
                        ).replace('key = "upstream-key"\n', "")
    async with gateway(tmp_path, channels, relay_extra="auto_disable = true") as gw:
        async with aclient(gw) as client:
            for _ in range(4):
                reply = await client.chat.completions.create(**CHAT)
                assert reply.choices[0].message.content == "echo: hi"
        rows = await gw.logs()
    assert _auth(fake) == ["k1", "bad-key", "k3", "k1", "k3"]
    assert attempts(rows[1]) == [(ch("multi"), 401), (ch("multi"), 200)]


async def test_without_auto_disable_a_bad_key_stays(tmp_path: Path, fake: FakeUpstream) -> None:
    channels = (_channel("multi", "openai", fake.url,
                         extra='keys = ["k1", "bad-key"]\nkey_mode = "round_robin"\npriority = 1')
                .replace('key = "upstream-key"\n', "")
                + openai_channel("backup", fake.url))
    async with gateway(tmp_path, channels) as gw:
        async with aclient(gw) as client:
            for _ in range(4):
                await client.chat.completions.create(**CHAT)
        assert not gw.relay.rings[ch("multi")].disabled
    assert _auth(fake).count("bad-key") == 2


async def test_every_key_rejected_answers_with_the_upstream_error(tmp_path: Path,
                                                                  fake: FakeUpstream) -> None:
    channels = _channel("only", "openai", fake.url, key="bad-key")
    async with gateway(tmp_path, channels, relay_extra="auto_disable = true") as gw, \
            aclient(gw) as client:
        with pytest.raises(openai.APIStatusError) as first:
            await client.chat.completions.create(**CHAT)
        with pytest.raises(openai.APIStatusError) as second:
            await client.chat.completions.create(**CHAT)
    assert first.value.status_code == 401
    assert "bad-key" not in first.value.message  # the channel's key is masked
    # the only key is out: the channel is out, so the model has no channel left
    assert second.value.status_code in (404, 503)
    assert len(fake.requests) == 1
