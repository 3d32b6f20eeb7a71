"""New API's role rule: act only on lower roles; root acts on all but never loses its role."""

from __future__ import annotations

from typing import Any

from newapi.auth.permissions import can_act_on, can_grant_role, role_change_problem
from tests.admin.conftest import AdminServer, Caller

UPDATE = """mutation($input: UpdateUserInput!) { updateUser(input: $input) { __typename
  ... on User { id group quota role status } ... on FieldErrors { errors { field message } } } }"""
CREATE = """mutation($input: CreateUserInput!) { createUser(input: $input) { __typename
  ... on User { id username role } ... on FieldErrors { errors { field message } } } }"""


async def _update(caller: Caller, **fields: Any) -> dict[str, Any]:
    body = await caller.post(UPDATE, {"input": fields})
    if body.get("errors"):
        return {"code": body["errors"][0]["extensions"]["code"]}
    return body["data"]["updateUser"]


def test_role_rule_table() -> None:
    assert can_act_on(10, 1) and not can_act_on(10, 10) and not can_act_on(10, 100)
    assert can_act_on(100, 100) and not can_act_on(1, 1)
    assert can_grant_role(100, 10) and not can_grant_role(10, 10) and not can_grant_role(100, 100)
    assert role_change_problem(100, 100, role=1, status=None, delete=False)
    assert role_change_problem(100, 100, role=None, status=2, delete=False)
    assert role_change_problem(100, 100, role=None, status=None, delete=True)
    assert role_change_problem(100, 100, role=None, status=1, delete=False) is None


async def test_admin_manages_common_users_only(server: AdminServer) -> None:
    admin = await server.signed_in("admin")
    alice = server.ids["alice"]
    changed = await _update(admin, id=alice, group="vip", quota=123, status=2)
    assert changed == {"__typename": "User", "id": alice, "group": "vip", "quota": 123,
                       "role": 1, "status": 2}
    # Disabled users cannot sign in.
    assert (await server.caller().login("alice"))["__typename"] == "FieldErrors"
    promote = await _update(admin, id=alice, role=10)
    assert promote["__typename"] == "FieldErrors" and promote["errors"][0]["field"] == "role"
    assert await _update(admin, id=server.ids["root"], quota=1) == {"code": "forbidden"}
    assert await _update(admin, id=server.ids["admin"], quota=1) == {"code": "not_found"}
    bad = await _update(admin, id=server.ids["bob"], status=7, quota=-1)
    assert [e["field"] for e in bad["errors"]] == ["status", "quota"]
    users = await admin.data("{ users(search: \"bo\") { total items { username } } }")
    assert users["users"] == {"total": 1, "items": [{"username": "bob"}]}
    made = (await admin.data(CREATE, {"input": {"username": "carl", "password": "pass-word-1",
                                                "role": 10}}))["createUser"]
    assert made["__typename"] == "FieldErrors" and made["errors"][0]["field"] == "role"
    dup = (await admin.data(CREATE, {"input": {"username": "bob", "password": "pass-word-1"}}))
    assert dup["createUser"]["errors"][0] == {
        "field": "username", "message": "a user named 'bob' already exists"}


async def test_root_acts_on_admins_but_root_stays_root(server: AdminServer) -> None:
    root = await server.signed_in("root")
    demoted = await _update(root, id=server.ids["admin"], role=1)
    assert demoted["role"] == 1
    promoted = await _update(root, id=server.ids["bob"], role=10)
    assert promoted["role"] == 10
    made = (await root.data(CREATE, {"input": {"username": "dora", "password": "pass-word-1",
                                               "role": 10, "displayName": "Dora"}}))
    assert made["createUser"]["role"] == 10
    # root cannot be demoted, disabled or deleted, not even by itself through these mutations
    assert await _update(root, id=server.ids["root"], role=1) == {"code": "not_found"}
    deleted = await root.data("mutation($id: Int!) { deleteUser(id: $id) { id deleted } }",
                              {"id": server.ids["alice"]})
    assert deleted["deleteUser"] == {"id": server.ids["alice"], "deleted": True}
    gone = await root.data("query($id: Int!) { user(id: $id) { id } }",
                           {"id": server.ids["alice"]})
    assert gone["user"] is None
    assert (await server.caller().login("alice"))["__typename"] == "FieldErrors"
