"""The channel test takes the same path as client traffic, streaming included, and bills nothing."""

from __future__ import annotations

from pathlib import Path

from newapi.relay.catalog import config_channel_id
from newapi.relay.probe import test_channel as probe_channel
from newapi.testing import FakeUpstream
from tests.relay.conftest import gateway, openai_channel


async def test_probe_ok_stream_and_failure(tmp_path: Path, fake: FakeUpstream) -> None:
    channels = openai_channel("good", fake.url) + openai_channel(
        "bad", fake.scenario_url("status=401"), extra='test_model = "gpt-4o-mini"'
    )
    async with gateway(tmp_path, channels) as gw:
        good = await probe_channel(gw.relay, config_channel_id("good"))
        assert good.ok and good.status == 200 and good.reply == "echo: hi"
        assert good.usage is not None and good.usage.prompt_tokens == 1
        assert fake.requests[-1].json["max_tokens"] == 16

        streamed = await probe_channel(gw.relay, config_channel_id("good"), stream=True)
        assert streamed.ok and streamed.reply == "echo: hi" and streamed.first_byte_ms is not None

        bad = await probe_channel(gw.relay, config_channel_id("bad"))
        assert not bad.ok and bad.status == 401 and bad.model == "gpt-4o-mini"
        assert bad.error

        assert await gw.logs() == []  # tests are not billed
        balances = await gw.balances()
        assert balances["used"] == 0
