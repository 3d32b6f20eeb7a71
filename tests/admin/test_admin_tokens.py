"""Tokens: masked keys, expected failures as field errors, and the owner check."""

from __future__ import annotations

import time

from tests.admin.conftest import AdminServer

CREATE = """mutation($input: CreateTokenInput!) { createToken(input: $input) { __typename
  ... on TokenCreated { key token { id name key remainQuota unlimitedQuota expiredTime
    modelLimits allowIps group } }
  ... on FieldErrors { errors { field message } } } }"""
UPDATE = """mutation($input: UpdateTokenInput!) { updateToken(input: $input) { __typename
  ... on Token { id name status modelLimits allowIps }
  ... on FieldErrors { errors { field message } } } }"""


async def test_create_list_update_with_masked_keys(server: AdminServer) -> None:
    alice = await server.signed_in("alice")
    later = int(time.time()) + 3600
    created = (await alice.data(CREATE, {"input": {
        "name": "ci", "remainQuota": 5_000_000_000, "expiredTime": later,
        "modelLimits": ["gpt-4o-mini", " "], "allowIps": ["10.0.0.0/8", "127.0.0.1"],
        "group": "vip"}}))["createToken"]
    key, token = created["key"], created["token"]
    assert token == {"id": token["id"], "name": "ci", "key": f"sk-{key[3:7]}****{key[-4:]}",
                     "remainQuota": 5_000_000_000, "unlimitedQuota": False,
                     "expiredTime": later, "modelLimits": ["gpt-4o-mini"],
                     "allowIps": ["10.0.0.0/8", "127.0.0.1"], "group": "vip"}
    listed = (await alice.data("{ tokens { total items { id key owner { username } } } }"))
    assert listed["tokens"]["total"] == 1
    assert listed["tokens"]["items"] == [{"id": token["id"], "key": token["key"],
                                          "owner": {"username": "alice"}}]
    assert key not in str(listed)

    changed = (await alice.data(UPDATE, {"input": {"id": token["id"], "name": "ci-2",
                                                   "status": 2, "modelLimits": None}}))
    assert changed["updateToken"] == {"__typename": "Token", "id": token["id"], "name": "ci-2",
                                      "status": 2, "modelLimits": None,
                                      "allowIps": ["10.0.0.0/8", "127.0.0.1"]}


async def test_expected_failures_are_field_errors(server: AdminServer) -> None:
    alice = await server.signed_in("alice")
    assert (await alice.data(CREATE, {"input": {"name": "a"}}))["createToken"][
        "__typename"] == "TokenCreated"
    dup = (await alice.data(CREATE, {"input": {"name": "a"}}))["createToken"]
    assert dup["errors"] == [{"field": "name",
                              "message": "you already have a token with this name"}]
    bad = (await alice.data(CREATE, {"input": {
        "name": "b", "remainQuota": -1, "expiredTime": 5, "modelLimits": [],
        "allowIps": ["not-an-ip"]}}))["createToken"]
    assert [e["field"] for e in bad["errors"]] == [
        "remainQuota", "expiredTime", "modelLimits", "allowIps"]
    # Bob may have a token of the same name: names are per user.
    bob = await server.signed_in("bob")
    assert (await bob.data(CREATE, {"input": {"name": "a"}}))["createToken"][
        "__typename"] == "TokenCreated"


async def test_nobody_reaches_another_users_token(server: AdminServer) -> None:
    alice = await server.signed_in("alice")
    root = await server.signed_in("root")
    made = (await alice.data(CREATE, {"input": {"name": "mine"}}))["createToken"]
    token_id = made["token"]["id"]
    seen = await root.data("query($id: Int!) { token(id: $id) { id } }", {"id": token_id})
    assert seen["token"] is None
    listed = await root.data("{ tokens { items { name } } }")
    assert listed["tokens"]["items"] == []
    for document in (
        "mutation($id: Int!) { revealTokenKey(id: $id) { key } }",
        "mutation($id: Int!) { deleteToken(id: $id) { deleted } }",
        'mutation($id: Int!) { updateToken(input: {id: $id, name: "x"}) { __typename } }',
    ):
        body = await root.post(document, {"id": token_id})
        assert body["data"] is None
        assert body["errors"][0]["extensions"]["code"] in ("not_found", "token_not_found")
        assert made["key"] not in str(body)
    deleted = await alice.data("mutation($id: Int!) { deleteToken(id: $id) { deleted } }",
                               {"id": token_id})
    assert deleted["deleteToken"]["deleted"] is True
    assert (await alice.data("{ tokens { total } }"))["tokens"]["total"] == 0
