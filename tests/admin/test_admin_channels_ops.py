"""Channel operations: upstream model lists, balances, batch and tag edits, model mapping."""

from __future__ import annotations

import dataclasses
import datetime
from pathlib import Path
from typing import Any

import openai
import pytest

from newapi import store
from newapi.admin.channels.upstream_account import fetch_balance, fetch_models
from newapi.errors import UpstreamTimeoutError
from newapi.relay.catalog import config_channel_id
from newapi.store.models import Ability
from newapi.testing.account_wire import ANTHROPIC_MODELS, ANTHROPIC_MODELS_WIRE
from newapi.testing.fake_upstream import DEFAULT_MODELS, start_fake_upstream
from newapi.testing.gemini_wire import GEMINI_MODELS
from tests.admin.conftest import AdminServer, Caller, admin_server
from tests.conftest import REPO

MODELS = """mutation($id: Int, $input: UpstreamChannelInput) {
  fetchChannelModels(id: $id, input: $input) { __typename
    ... on ChannelModels { models }
    ... on UpstreamFailure { code message status }
    ... on FieldErrors { errors { field message } } } }"""
BALANCE = """mutation($id: Int!) { updateChannelBalance(id: $id) { __typename
    ... on ChannelBalance { channelId balance currency updatedTime stored }
    ... on UpstreamFailure { code message status } } }"""
CREATE = """mutation($input: ChannelInput!) { createChannel(input: $input) { __typename
    ... on Channel { id provider modelMapping { model upstreamModel } }
    ... on FieldErrors { errors { field message } } } }"""
BATCH = "changed skipped { id reason }"
ADD_QUOTA = "mutation($id: Int!) { addUserQuota(id: $id, amount: 1000000) { __typename } }"
FILED = config_channel_id("filed")


async def _channel(caller: Caller, name: str, type_: int, base_url: str, **extra: Any) -> int:
    made = (await caller.data(CREATE, {"input": {
        "name": name, "type": type_, "key": extra.pop("key", "sk-account-key-0123456789"),
        "baseUrl": base_url, "models": extra.pop("models", ["gpt-4o"]), **extra}}))
    assert made["createChannel"]["__typename"] == "Channel", made
    return int(made["createChannel"]["id"])


async def test_fetch_models_of_saved_and_unsaved_channels(server: AdminServer) -> None:
    admin = await server.signed_in("admin")
    url = server.upstream.url

    filed = (await admin.data(MODELS, {"id": FILED}))["fetchChannelModels"]
    assert filed == {"__typename": "ChannelModels", "models": sorted(DEFAULT_MODELS)}
    listed = server.upstream.requests[-1]
    assert (listed.method, listed.path) == ("GET", "/v1/models")
    assert listed.headers["authorization"] == "Bearer sk-upstream-filed-0123456789"

    gemini = (await admin.data(MODELS, {"input": {
        "provider": "gemini", "baseUrl": url, "key": "gemini-key-123"}}))["fetchChannelModels"]
    assert gemini["models"] == sorted(GEMINI_MODELS)
    assert server.upstream.requests[-1].path == "/v1beta/models"
    assert server.upstream.requests[-1].headers["x-goog-api-key"] == "gemini-key-123"

    refused = (await admin.data(MODELS, {"input": {
        "type": 1, "baseUrl": url, "key": "bad-key"}}))["fetchChannelModels"]
    assert refused["__typename"] == "UpstreamFailure" and refused["status"] == 401
    assert refused["message"].startswith("Incorrect API key provided")
    assert "bad-key" not in refused["message"]

    # Anthropic's list takes x-api-key and anthropic-version (the fake's /v1/models wants a
    # Bearer key, so it refuses: the failure comes back typed).
    anthropic = (await admin.data(MODELS, {"input": {
        "provider": "anthropic", "baseUrl": url, "key": "claude-key-1"}}))["fetchChannelModels"]
    assert anthropic["__typename"] == "UpstreamFailure" and anthropic["status"] == 401
    sent = server.upstream.requests[-1]
    assert (sent.path, sent.query) == ("/v1/models", {"limit": ["1000"]})
    assert sent.headers["x-api-key"] == "claude-key-1" and sent.headers["anthropic-version"]
    assert "authorization" not in sent.headers

    unsupported = (await admin.data(MODELS, {"input": {
        "provider": "azure", "baseUrl": url, "key": "azure-key"}}))["fetchChannelModels"]
    assert unsupported["__typename"] == "UpstreamFailure"
    assert unsupported["code"] == "not_supported"

    bad = (await admin.data(MODELS, {"input": {"provider": "nope", "key": " "}}))
    assert bad["fetchChannelModels"]["errors"] == [
        {"field": "provider", "message": "name a provider of the catalog, or a channel type"}]
    both = (await admin.data(MODELS, {"id": FILED, "input": {"provider": "openai", "key": "k"}}))
    assert both["fetchChannelModels"]["__typename"] == "FieldErrors"
    missing = await admin.post(MODELS, {"id": 987654})
    assert missing["errors"][0]["extensions"]["code"] == "channel_not_found"


async def test_anthropic_model_lists_are_read_page_by_page(server: AdminServer) -> None:
    admin = await server.signed_in("admin")
    async with await start_fake_upstream(wires=(ANTHROPIC_MODELS_WIRE,)) as claude:
        listed = (await admin.data(MODELS, {"input": {
            "provider": "anthropic", "baseUrl": claude.url, "key": "claude-key-1"}}))
        sent = claude.requests
    assert listed["fetchChannelModels"]["models"] == sorted(ANTHROPIC_MODELS)
    assert [r.query for r in sent] == [
        {"limit": ["1000"]}, {"limit": ["1000"], "after_id": [ANTHROPIC_MODELS[1]]}]
    assert all(r.headers["x-api-key"] == "claude-key-1" for r in sent)


@pytest.mark.parametrize(
    ("type_", "suffix", "balance", "currency"),
    [
        (1, "", "94.5", "USD"),  # OpenAI billing: 120 USD limit - 2550 cents
        (43, "", "15.25", "USD"),  # DeepSeek, its USD entry
        (40, "", "88.80", "CNY"),  # SiliconFlow
        (20, "/api", "37.5", "USD"),  # OpenRouter: 50 credits - 12.5 used
        (25, "", "49.58", "CNY"),  # Moonshot
    ],
)
async def test_balance_is_read_and_stored(
    server: AdminServer, type_: int, suffix: str, balance: str, currency: str
) -> None:
    admin = await server.signed_in("admin")
    channel_id = await _channel(admin, f"bal-{type_}", type_, server.upstream.url + suffix)
    read = (await admin.data(BALANCE, {"id": channel_id}))["updateChannelBalance"]
    assert read["__typename"] == "ChannelBalance", read
    assert (read["balance"], read["currency"], read["stored"]) == (balance, currency, True)
    listed = (await admin.data(
        "query($id: Int!) { channel(id: $id) { balance balanceUpdatedTime } }",
        {"id": channel_id}))["channel"]
    assert float(listed["balance"]) == float(balance)
    assert listed["balanceUpdatedTime"] == read["updatedTime"] > 0


async def test_balance_failures_are_typed(server: AdminServer) -> None:
    admin = await server.signed_in("admin")
    url = server.upstream.url
    wrong_key = await _channel(admin, "bal-bad", 43, url, key="bad-key")
    failed = (await admin.data(BALANCE, {"id": wrong_key}))["updateChannelBalance"]
    assert failed["__typename"] == "UpstreamFailure" and failed["status"] == 401
    assert "bad-key" not in failed["message"]
    gemini = await _channel(admin, "bal-gemini", 24, url, models=["gemini-2.5-flash"])
    unsupported = (await admin.data(BALANCE, {"id": gemini}))["updateChannelBalance"]
    assert (unsupported["code"], unsupported["status"]) == ("not_supported", None)
    filed = (await admin.data(BALANCE, {"id": FILED}))["updateChannelBalance"]
    assert (filed["balance"], filed["stored"]) == ("94.5", False)
    usage = server.upstream.requests[-1]
    assert usage.path == "/v1/dashboard/billing/usage" and usage.query["start_date"][0][-2:] == "01"


BALANCES = (REPO / "graphql" / "operations" / "UpdateChannelBalances.graphql").read_text()


async def test_balances_of_many_channels(server: AdminServer) -> None:
    admin = await server.signed_in("admin")
    url = server.upstream.url
    deepseek = await _channel(admin, "many-ds", 43, url)
    gemini = await _channel(admin, "many-gemini", 24, url, models=["gemini-2.5-flash"])
    refused = await _channel(admin, "many-bad", 1, url, key="bad-key")
    every = (await admin.data(BALANCES))["updateChannelBalances"]
    results = {o["channelId"]: o["result"] for o in every}
    assert list(results) == sorted([FILED, deepseek, refused])  # gemini reports no balance
    assert (results[FILED]["balance"], results[FILED]["stored"]) == ("94.5", False)
    assert (results[deepseek]["balance"], results[deepseek]["stored"]) == ("15.25", True)
    assert (results[refused]["code"], results[refused]["status"]) == ("invalid_api_key", 401)
    chosen = (await admin.data(BALANCES, {"ids": [gemini, 987654, gemini]}))
    assert [(o["channelId"], o["result"]["code"]) for o in chosen["updateChannelBalances"]] == [
        (gemini, "not_supported"), (987654, "channel_not_found")]


async def _chat(server: AdminServer, key: str, model: str = "gpt-4o") -> Any:
    async with openai.AsyncOpenAI(base_url=server.url + "/v1", api_key=key, max_retries=0) as sdk:
        return await sdk.chat.completions.create(
            model=model, messages=[{"role": "user", "content": "hi"}], max_tokens=8)


async def test_batch_status_and_delete_reach_the_relay(server: AdminServer) -> None:
    admin = await server.signed_in("admin")
    first = await _channel(admin, "batch-1", 1, server.upstream.url)
    second = await _channel(admin, "batch-2", 1, server.upstream.url)
    await admin.data(ADD_QUOTA, {"id": server.ids["alice"]})
    key = await store.create_token(server.ids["alice"], "batch", unlimited=True)
    assert (await _chat(server, key)).choices[0].message.content

    off = (await admin.data(
        f"mutation($ids: [Int!]!) {{ setChannelsStatus(ids: $ids, enabled: false) {{ {BATCH} }} }}",
        {"ids": [second, first, FILED, 999999, first]}))["setChannelsStatus"]
    assert off == {"changed": [first, second], "skipped": [
        {"id": FILED, "reason": "gateway.toml channel (read-only; edit the file)"},
        {"id": 999999, "reason": "no such channel"}]}
    with pytest.raises(openai.APIStatusError) as caught:
        await _chat(server, key)
    assert (caught.value.status_code, caught.value.code) == (404, "model_not_found")
    assert await Ability.filter(channel_id__in=[first, second], enabled=True).count() == 0

    on = (await admin.data(
        f"mutation($ids: [Int!]!) {{ setChannelsStatus(ids: $ids, enabled: true) {{ {BATCH} }} }}",
        {"ids": [first]}))["setChannelsStatus"]
    assert on == {"changed": [first], "skipped": []}
    assert (await _chat(server, key)).model

    gone = (await admin.data(
        f"mutation($ids: [Int!]!) {{ deleteChannels(ids: $ids) {{ {BATCH} }} }}",
        {"ids": [first, second, FILED]}))["deleteChannels"]
    assert gone["changed"] == [first, second] and [s["id"] for s in gone["skipped"]] == [FILED]
    relay = server.app.ctx.relay
    assert first not in relay.table.by_id and second not in relay.table.by_id
    assert await Ability.filter(channel_id__in=[first, second]).count() == 0
    kept = await _channel(admin, "batch-kept", 1, server.upstream.url)
    stopped = await _channel(admin, "batch-stopped", 1, server.upstream.url, status=2)
    purged = (await admin.data(f"mutation {{ deleteDisabledChannels {{ {BATCH} }} }}"))
    assert purged["deleteDisabledChannels"] == {"changed": [stopped], "skipped": []}
    assert kept in relay.table.by_id and stopped not in relay.table.by_id
    too_many = await admin.post("mutation($ids: [Int!]!) { deleteChannels(ids: $ids) { changed } }",
                                {"ids": list(range(1001))})
    assert too_many["errors"][0]["extensions"]["code"] == "invalid_request"


async def test_tags_group_channels_for_status_priority_and_weight(server: AdminServer) -> None:
    admin = await server.signed_in("admin")
    ids = [await _channel(admin, f"tag-{n}", 1, server.upstream.url) for n in range(3)]
    tagged = (await admin.data(
        f'mutation($ids: [Int!]!) {{ setChannelsTag(ids: $ids, tag: " team-a ") {{ {BATCH} }} }}',
        {"ids": [*ids[:2], FILED]}))["setChannelsTag"]
    assert tagged["changed"] == ids[:2] and [s["id"] for s in tagged["skipped"]] == [FILED]

    edited = (await admin.data(
        f'mutation {{ editChannelTag(input: {{tag: "team-a", newTag: "team-b", priority: 5, '
        f"weight: 7}}) {{ {BATCH} }} }}"))["editChannelTag"]
    assert edited == {"changed": ids[:2], "skipped": []}
    relay = server.app.ctx.relay
    for channel_id in ids[:2]:
        loaded = relay.table.by_id[channel_id]
        assert (loaded.tag, loaded.priority, loaded.weight) == ("team-b", 5, 7)
    assert relay.table.by_id[ids[2]].priority == 0
    rows = await Ability.filter(channel_id__in=ids[:2]).values_list("tag", "priority", "weight")
    assert rows == [("team-b", 5, 7)] * 2

    paused = (await admin.data(
        f'mutation {{ setTagStatus(tag: "team-b", enabled: false) {{ {BATCH} }} }}'
    ))["setTagStatus"]
    assert paused["changed"] == ids[:2]
    listed = (await admin.data("{ channels { id enabled tag } }"))["channels"]
    state = {c["id"]: (c["enabled"], c["tag"]) for c in listed}
    assert state[ids[0]] == state[ids[1]] == (False, "team-b") and state[ids[2]] == (True, "")
    filed_tag = (await admin.data(
        f'mutation {{ setTagStatus(tag: "filed-tag", enabled: false) {{ {BATCH} }} }}'
    ))["setTagStatus"]
    assert filed_tag == {"changed": [], "skipped": [
        {"id": FILED, "reason": "gateway.toml channel (read-only; edit the file)"}]}


async def test_model_mapping_is_saved_and_routed(server: AdminServer) -> None:
    admin = await server.signed_in("admin")
    mapping = [{"model": "gpt-4o", "upstreamModel": "gpt-4.1"}]
    made = (await admin.data(CREATE, {"input": {
        "name": "mapped", "type": 1, "key": "sk-account-key-0123456789",
        "baseUrl": server.upstream.url, "models": ["gpt-4o"], "modelMapping": mapping,
        "priority": 9}}))["createChannel"]
    assert made["modelMapping"] == mapping
    await admin.data(ADD_QUOTA, {"id": server.ids["alice"]})
    key = await store.create_token(server.ids["alice"], "mapped", unlimited=True)
    server.upstream.clear()
    await _chat(server, key)
    assert [r.json["model"] for r in server.upstream.requests] == ["gpt-4.1"]

    twice = (await admin.data(
        "mutation($input: UpdateChannelInput!) { updateChannel(input: $input) { __typename "
        "... on FieldErrors { errors { field message } } } }",
        {"input": {"id": made["id"], "modelMapping": [*mapping, *mapping]}}))["updateChannel"]
    assert twice["errors"] == [{"field": "modelMapping", "message": "'gpt-4o' is mapped twice"}]


async def test_enabling_ends_an_automatic_disable(tmp_path: Path, template_dir: Path) -> None:
    async with admin_server(tmp_path, template_dir, "[relay]\nauto_disable = true\n") as server:
        admin = await server.signed_in("admin")
        channel_id = await _channel(admin, "flaky", 1, server.upstream.url)
        await admin.data(ADD_QUOTA, {"id": server.ids["alice"]})
        key = await store.create_token(server.ids["alice"], "flaky", unlimited=True)
        server.upstream.script(["status=401"])
        with pytest.raises(openai.APIStatusError):
            await _chat(server, key)
        relay = server.app.ctx.relay
        assert channel_id in relay.disabled and channel_id not in relay.table.by_id
        state = "query($id: Int!) { channel(id: $id) { enabled loaded autoDisabled } }"
        shown = (await admin.data(state, {"id": channel_id}))["channel"]
        assert shown["enabled"] and not shown["loaded"]
        assert shown["autoDisabled"].startswith("401")
        # its upstream can still be asked about its models and balance
        models = (await admin.data(MODELS, {"id": channel_id}))["fetchChannelModels"]
        assert models["models"] == sorted(DEFAULT_MODELS)
        balances = (await admin.data(BALANCES, {"ids": [channel_id]}))["updateChannelBalances"]
        assert balances[0]["result"]["balance"] == "94.5"
        on = (await admin.data(
            "mutation($ids: [Int!]!) { setChannelsStatus(ids: $ids, enabled: true) "
            f"{{ {BATCH} }} }}", {"ids": [channel_id]}))["setChannelsStatus"]
        assert on["changed"] == [channel_id] and channel_id not in relay.disabled
        assert await _chat(server, key)
        # the same through updateChannel
        server.upstream.script(["status=401"])
        with pytest.raises(openai.APIStatusError):
            await _chat(server, key)
        assert channel_id in relay.disabled
        await admin.data("mutation($id: Int!) { updateChannel(input: {id: $id, status: 1}) "
                         "{ __typename } }", {"id": channel_id})
        assert await _chat(server, key)
        assert (await admin.data(state, {"id": channel_id}))["channel"] == {
            "enabled": True, "loaded": True, "autoDisabled": None}

        # a gateway.toml channel taken out of rotation stays in the list, and says why
        server.upstream.script(["status=401"])
        with pytest.raises(openai.APIStatusError):
            await _chat(server, key, "gpt-4o-mini")
        filed = (await admin.data(state, {"id": FILED}))["channel"]
        assert filed["autoDisabled"].startswith("401") and not filed["loaded"]
        read = (await admin.data(BALANCE, {"id": FILED}))["updateChannelBalance"]
        assert (read["balance"], read["stored"]) == ("94.5", False)


@pytest.mark.parametrize(
    ("arguments", "names"),
    [
        ('search: "LIST-"', ["list-a", "list-b"]),
        ('search: "/s/x"', ["list-b"]),
        ('tag: "filed-tag"', ["filed"]),
        ("enabled: false", ["list-b"]),
        ('group: "vip"', ["list-a"]),
        ('model: "gpt-4o-mini"', ["filed", "list-b"]),
        ('model: "gpt-4o-mini", enabled: true', ["filed"]),
        ("type: 1", ["list-a", "list-b"]),
        ("type: 43", []),
    ],
)
async def test_channel_list_filters(server: AdminServer, arguments: str, names: list[str]) -> None:
    admin = await server.signed_in("admin")
    await _channel(admin, "list-a", 1, server.upstream.url, groups=["default", "vip"])
    await _channel(admin, "list-b", 1, server.upstream.url + "/s/x", models=["gpt-4o-mini"],
                   status=2)
    listed = (await admin.data(f"{{ channels({arguments}) {{ name }} }}"))["channels"]
    assert [c["name"] for c in listed] == names


async def test_channel_search_by_id(server: AdminServer) -> None:
    admin = await server.signed_in("admin")
    made = await _channel(admin, "by-id", 1, server.upstream.url)
    listed = (await admin.data(f'{{ channels(search: "{made}") {{ id name baseUrl }} }}'))
    ids = [c["id"] for c in listed["channels"]]
    assert made in ids  # like New API, a number also matches names and base URLs holding it
    others = [c for c in listed["channels"] if c["id"] != made]
    assert all(str(made) in c["name"] + c["baseUrl"] for c in others)


async def test_a_silent_upstream_is_a_timeout_not_a_hang(server: AdminServer) -> None:
    relay = server.app.ctx.relay
    silent = dataclasses.replace(
        relay.table.by_id[FILED], base_url=server.upstream.scenario_url("hang=1"))
    with pytest.raises(UpstreamTimeoutError) as caught:
        await fetch_models(relay.upstream, silent, timeout_s=0.2)
    assert caught.value.message == "the upstream did not answer within 0.2 s"
    with pytest.raises(UpstreamTimeoutError):
        await fetch_balance(relay.upstream, silent, datetime.date(2026, 1, 1), timeout_s=0.2)
