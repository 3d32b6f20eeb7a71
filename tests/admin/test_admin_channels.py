"""Channels: database rows and gateway.toml channels in one list; keys masked but for root."""

from __future__ import annotations

import orjson

from newapi.relay.catalog import config_channel_id
from tests.admin.conftest import AdminServer

FIELDS = "id name source readOnly type provider baseUrl key models groups enabled loaded"
CREATE = f"""mutation($input: ChannelInput!) {{ createChannel(input: $input) {{ __typename
  ... on Channel {{ {FIELDS} }} ... on FieldErrors {{ errors {{ field message }} }} }} }}"""
UPDATE = f"""mutation($input: UpdateChannelInput!) {{ updateChannel(input: $input) {{ __typename
  ... on Channel {{ {FIELDS} }} ... on FieldErrors {{ errors {{ field message }} }} }} }}"""


async def test_channels_crud_masking_and_test(server: AdminServer) -> None:
    admin = await server.signed_in("admin")
    root = await server.signed_in("root")
    filed_id = config_channel_id("filed")

    listed = (await admin.data(f"{{ channels {{ {FIELDS} }} }}"))["channels"]
    assert listed == [{
        "id": filed_id, "name": "filed", "source": "config", "readOnly": True, "type": None,
        "provider": "openai", "baseUrl": listed[0]["baseUrl"], "key": "sk-u****6789",
        "models": ["gpt-4o-mini"], "groups": ["default"], "enabled": True, "loaded": True}]
    native = (await admin.data("{ channels { formats } }"))["channels"]
    assert native == [{"formats": ["openai_chat"]}]  # on its own base URL: the primary only
    as_root = (await root.data("{ channels { key } }"))["channels"]
    assert as_root == [{"key": "sk-upstream-filed-0123456789"}]

    made = (await admin.data(CREATE, {"input": {
        "name": "db-one", "type": 1, "key": "sk-db-secret-key-abcdef", "baseUrl":
        server.upstream.url, "models": ["gpt-4o-mini"]}}))["createChannel"]
    assert made["__typename"] == "Channel" and made["source"] == "db" and not made["readOnly"]
    assert made["key"] == "sk-d****cdef" and made["loaded"] is True
    assert made["provider"] == "openai"
    made_formats = await admin.data("{ channels { name formats } }")
    assert {"name": "db-one", "formats": ["openai_chat"]} in made_formats["channels"]

    bad = (await admin.data(CREATE, {"input": {"name": " ", "type": 99999, "key": ""}}))
    assert [e["field"] for e in bad["createChannel"]["errors"]] == ["name", "key", "type"]

    changed = (await admin.data(UPDATE, {"input": {"id": made["id"], "models": ["gpt-4o"],
                                                   "status": 2}}))["updateChannel"]
    assert changed["models"] == ["gpt-4o"] and changed["enabled"] is False

    read_only = await admin.post(UPDATE, {"input": {"id": filed_id, "weight": 2}})
    assert read_only["errors"][0]["extensions"]["code"] == "read_only"

    tested = await admin.data(
        "mutation($id: Int!) { testChannel(id: $id, stream: true) "
        "{ ok status model reply promptTokens } }", {"id": filed_id})
    assert tested["testChannel"] == {"ok": True, "status": 200, "model": "gpt-4o-mini",
                                     "reply": "echo: hi", "promptTokens": 1}

    gone = await admin.data("mutation($id: Int!) { deleteChannel(id: $id) { deleted } }",
                            {"id": made["id"]})
    assert gone["deleteChannel"]["deleted"] is True
    assert made["id"] not in server.app.ctx.relay.table.by_id
    assert [c["id"] for c in (await admin.data("{ channels { id } }"))["channels"]] == [filed_id]


async def test_channel_native_formats_are_kept_in_the_setting(server: AdminServer) -> None:
    from newapi.store.models import Channel as ChannelRow

    admin = await server.signed_in("admin")
    made = (await admin.data(CREATE, {"input": {
        "name": "multi", "type": 1, "key": "sk-db-multi-key-abcdef", "baseUrl":
        server.upstream.url, "models": ["gpt-4o-mini"],
        "formats": ["anthropic_messages", "gemini", "gemini"]}}))["createChannel"]
    assert made["__typename"] == "Channel"
    listed = (await admin.data("{ channels { id formats } }"))["channels"]
    assert {"id": made["id"], "formats": ["openai_chat", "anthropic_messages", "gemini"]} in listed
    loaded = server.app.ctx.relay.table.by_id[made["id"]]
    assert loaded.speaking("gemini").provider.auth == "x-goog-api-key"

    row = await ChannelRow.get(id=made["id"])
    await ChannelRow.filter(id=made["id"]).update(
        setting=orjson.dumps({**orjson.loads(row.setting), "thinking_to_content": True}).decode())
    changed = (await admin.data(UPDATE, {"input": {"id": made["id"],
                                                   "formats": ["openai_responses"]}}))
    assert changed["updateChannel"]["__typename"] == "Channel"
    setting = orjson.loads((await ChannelRow.get(id=made["id"])).setting)
    assert setting == {"formats": ["openai_responses"], "thinking_to_content": True}
    assert server.app.ctx.relay.table.by_id[made["id"]].formats == (
        "openai_chat", "openai_responses")

    await admin.data(UPDATE, {"input": {"id": made["id"], "formats": None}})
    setting = orjson.loads((await ChannelRow.get(id=made["id"])).setting)
    assert setting == {"thinking_to_content": True}
    # back to the provider's: none, as the channel is not on OpenAI's own base URL
    assert server.app.ctx.relay.table.by_id[made["id"]].formats == ("openai_chat",)

    bad = await admin.data(UPDATE, {"input": {"id": made["id"], "formats": ["claude"]}})
    assert bad["updateChannel"]["errors"] == [{
        "field": "formats", "message": "unknown format 'claude'; use openai_chat, "
        "openai_responses, anthropic_messages, gemini"}]
