"""Log search: users see their own rows; admins filter every row and see user and channel."""

from __future__ import annotations

from typing import Any

from newapi.relay.catalog import config_channel_id
from newapi.store.models import Channel, Log
from newapi.store.queries.admin_channels import insert_channel_row
from tests.admin.conftest import AdminServer

END = 4000  # after the rows below, long before the sign-ins' login rows

ALL = """query($v: Int, $u: Int, $name: String, $model: String, $token: String, $ch: Int,
  $start: BigInt, $end: BigInt, $page: Int, $size: Int) {
  allLogs(type: $v, userId: $u, username: $name, modelName: $model, tokenName: $token,
    channel: $ch, start: $start, end: $end, page: $page, pageSize: $size) {
  total quota promptTokens completionTokens
  items { id type userId username modelName channel channelName quota other } } }"""
OWN = """query($v: Int, $model: String, $page: Int, $size: Int, $end: BigInt) {
  logs(type: $v, modelName: $model, page: $page, pageSize: $size, end: $end) {
  total quota promptTokens completionTokens items { id type modelName content other } } }"""


async def _rows(server: AdminServer) -> dict[str, int]:
    spec = {"type": 1, "key": "sk-x", "base_url": server.upstream.url,
            "models": ["gpt-4o-mini"], "groups": ["default"]}
    gone = await insert_channel_row({"name": "retired", **spec})
    await Channel.filter(id=gone.id).delete()
    stored = await insert_channel_row({"name": "stored", **spec})  # not loaded by the relay yet
    filed = config_channel_id("filed")
    alice, bob = server.ids["alice"], server.ids["bob"]
    rows: list[dict[str, Any]] = [
        {"user_id": alice, "username": "alice", "type": 2, "created_at": 1000,
         "model_name": "gpt-4o-mini", "token_name": "a1", "channel_id": filed, "quota": 10,
         "prompt_tokens": 1, "completion_tokens": 2,
         "other": '{"model_ratio": 0.075, "admin_info": {"use_channel": [1]}}'},
        {"user_id": alice, "username": "alice", "type": 2, "created_at": 2000,
         "model_name": "gpt-4o", "token_name": "a2", "channel_id": gone.id, "quota": 20,
         "prompt_tokens": 3, "completion_tokens": 4},
        {"user_id": alice, "username": "alice", "type": 1, "created_at": 2500,
         "content": "redeemed code 1 for 5 quota"},
        {"user_id": bob, "username": "bob", "type": 2, "created_at": 3000,
         "model_name": "gpt-4o-mini", "token_name": "b1", "channel_id": filed, "quota": 40,
         "prompt_tokens": 5, "completion_tokens": 6},
        {"user_id": bob, "username": "bob", "type": 5, "created_at": 3500,
         "model_name": "gpt-4o-mini", "channel_id": stored.id, "content": "upstream failed"},
    ]
    for row in rows:
        await Log.create(**row)
    return {"filed": filed, "gone": gone.id, "stored": stored.id}


async def test_admins_filter_every_row(server: AdminServer) -> None:
    channels = await _rows(server)
    root = await server.signed_in("root")

    async def page(**variables: Any) -> dict[str, Any]:
        variables.setdefault("end", END)  # leave out the login rows of the sign-ins
        return (await root.data(ALL, variables))["allLogs"]

    everything = await page()
    assert everything["total"] == 5
    assert (everything["quota"], everything["promptTokens"], everything["completionTokens"]) == (
        70, 9, 12)
    names = {item["channel"]: item["channelName"] for item in everything["items"]}
    assert names == {
        0: None, channels["filed"]: "filed", channels["gone"]: None, channels["stored"]: "stored"
    }
    assert (await page(v=2))["total"] == 3
    assert '"admin_info"' in everything["items"][-1]["other"]
    assert (await page(v=2, model="gpt-4o-mini"))["quota"] == 50
    assert [i["username"] for i in (await page(name="bob"))["items"]] == ["bob", "bob"]
    assert (await page(u=server.ids["alice"]))["total"] == 3
    assert (await page(token="a2"))["quota"] == 20
    assert (await page(ch=channels["gone"]))["total"] == 1
    assert (await page(start=2000, end=3000))["total"] == 2  # start included, end excluded
    second = await page(size=2, page=2)
    assert [i["id"] for i in second["items"]] == [i["id"] for i in everything["items"][2:4]]
    assert second["total"] == 5


async def test_users_see_only_their_own_rows(server: AdminServer) -> None:
    await _rows(server)
    alice = await server.signed_in("alice")
    own = (await alice.data(OWN, {"end": END}))["logs"]
    assert own["total"] == 3 and own["quota"] == 30
    assert [item["type"] for item in own["items"]] == [1, 2, 2]
    assert own["items"][0]["content"] == "redeemed code 1 for 5 quota"
    assert [item["other"] for item in own["items"]] == [None, None, '{"model_ratio":0.075}']
    assert (await alice.data(OWN, {"v": 2, "model": "gpt-4o"}))["logs"]["total"] == 1
    assert (await alice.data(OWN, {"v": 7}))["logs"]["total"] == 1  # the sign-in
    body = await alice.post("{ logs { items { channel } } }")
    assert body["errors"], "channels are shown to admins only"
    body = await alice.post("{ allLogs { total } }")
    assert body["errors"][0]["extensions"]["code"] == "forbidden"
