"""Every user mutation follows the role rule; list filters; quota adds; sessions after changes."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from newapi import store
from tests.admin.conftest import AdminServer, Caller

UPDATE = """mutation($input: UpdateUserInput!) { updateUser(input: $input) { __typename
  ... on User { id role status group quota } ... on FieldErrors { errors { field message } } } }"""
ADD = """mutation($id: Int!, $amount: BigInt!) { addUserQuota(id: $id, amount: $amount) {
  __typename ... on User { quota } ... on FieldErrors { errors { field message } } } }"""
DELETE = "mutation($id: Int!) { deleteUser(id: $id) { deleted } }"
_names = itertools.count(1)


def _outcome(body: dict[str, Any]) -> str:
    if body.get("errors"):
        return str(body["errors"][0]["extensions"]["code"])
    result = next(iter(body["data"].values()))
    return str(result.get("__typename") or "ok")


async def _try_all(caller: Caller, target: int) -> dict[str, str]:
    """Every user mutation against ``target``, each on its own."""
    attempts = {
        "disable": (UPDATE, {"input": {"id": target, "status": 2}}),
        "quota": (UPDATE, {"input": {"id": target, "quota": 7}}),
        "group": (UPDATE, {"input": {"id": target, "group": "vip"}}),
        "demote": (UPDATE, {"input": {"id": target, "role": 1}}),
        "addQuota": (ADD, {"id": target, "amount": 1}),
        "delete": (DELETE, {"id": target}),
    }
    return {name: _outcome(await caller.post(doc, v)) for name, (doc, v) in attempts.items()}


async def _admin(name: str) -> int:
    return (await store.create_user(name, "password-123", role=10)).id


async def test_an_admin_acts_on_no_admin_and_not_on_root(server: AdminServer) -> None:
    admin = await server.signed_in("admin")
    peer = await _admin(f"peer{next(_names)}")
    denied = dict.fromkeys(("disable", "quota", "group", "demote", "addQuota", "delete"),
                           "forbidden")
    assert await _try_all(admin, peer) == denied
    assert await _try_all(admin, server.ids["root"]) == denied
    assert await _try_all(admin, server.ids["admin"]) == dict.fromkeys(denied, "not_found")
    visible = await admin.data("query($id: Int!) { user(id: $id) { id } }", {"id": peer})
    assert visible["user"] is None
    promoted = await admin.post(UPDATE, {"input": {"id": server.ids["bob"], "role": 10}})
    assert promoted["data"]["updateUser"]["errors"][0]["field"] == "role"


async def test_root_manages_admins_but_no_one_makes_a_root(server: AdminServer) -> None:
    root = await server.signed_in("root")
    peer = await _admin(f"peer{next(_names)}")
    outcomes = await _try_all(root, peer)
    assert outcomes == dict.fromkeys(outcomes, "User") | {"delete": "ok"}
    to_root = await root.data(UPDATE, {"input": {"id": server.ids["bob"], "role": 100}})
    assert to_root["updateUser"]["errors"] == [{"field": "role", "message": (
        "you can only grant a role below your own (1 common, 10 admin)")}]
    odd = await root.data(UPDATE, {"input": {"id": server.ids["bob"], "role": 5}})
    assert odd["updateUser"]["__typename"] == "FieldErrors"


async def test_a_role_or_status_change_ends_the_users_sessions(server: AdminServer) -> None:
    root = await server.signed_in("root")
    admin = await server.signed_in("admin")
    assert (await admin.data("{ me { role } }"))["me"]["role"] == 10
    await root.data(UPDATE, {"input": {"id": server.ids["admin"], "role": 1}})
    assert (await admin.post("{ me { role } }"))["errors"][0]["extensions"]["code"] == (
        "unauthenticated")
    bob = await server.signed_in("bob")
    await root.data(UPDATE, {"input": {"id": server.ids["bob"], "remark": "note"}})
    assert (await bob.data("{ me { id } }"))["me"]["id"] == server.ids["bob"]


async def test_quota_adds_and_subtracts_but_never_below_zero(server: AdminServer) -> None:
    admin = await server.signed_in("admin")
    alice = server.ids["alice"]
    assert (await admin.data(ADD, {"id": alice, "amount": 2500}))["addUserQuota"] == {
        "__typename": "User", "quota": 7500}
    assert (await admin.data(ADD, {"id": alice, "amount": -7000}))["addUserQuota"]["quota"] == 500
    refused = (await admin.data(ADD, {"id": alice, "amount": -501}))["addUserQuota"]
    assert refused["errors"] == [
        {"field": "amount", "message": "the quota is 500; it cannot go below 0"}]
    assert (await admin.data("query($id: Int!) { user(id: $id) { quota } }",
                             {"id": alice}))["user"]["quota"] == 500


@pytest.mark.parametrize(
    ("arguments", "names"),
    [
        ("role: 10", ["admin"]),
        ("role: 1, search: \"b\"", ["bob"]),
        ("status: 2", ["alice"]),
        ('group: "vip"', ["bob"]),
        ('group: "vip", status: 2', []),
    ],
)
async def test_user_list_filters(server: AdminServer, arguments: str, names: list[str]) -> None:
    root = await server.signed_in("root")
    await root.data(UPDATE, {"input": {"id": server.ids["alice"], "status": 2}})
    await root.data(UPDATE, {"input": {"id": server.ids["bob"], "group": "vip"}})
    listed = await root.data(f"{{ users({arguments}) {{ total items {{ username }} }} }}")
    assert listed["users"] == {"total": len(names), "items": [{"username": n} for n in names]}


async def test_an_admin_renames_a_user_and_resets_the_password(server: AdminServer) -> None:
    admin = await server.signed_in("admin")
    bob = await server.signed_in("bob")
    bob_id = server.ids["bob"]
    taken = await admin.data(UPDATE, {"input": {"id": bob_id, "username": "alice"}})
    assert taken["updateUser"]["errors"] == [
        {"field": "username", "message": "a user named 'alice' already exists"}]
    bad = await admin.data(UPDATE, {"input": {"id": bob_id, "username": " b", "password": "x"}})
    assert [e["field"] for e in bad["updateUser"]["errors"]] == ["username", "password"]
    renamed = await admin.data(UPDATE, {"input": {"id": bob_id, "username": "robert"}})
    assert renamed["updateUser"]["__typename"] == "User"
    assert (await bob.data("{ me { username } }"))["me"]["username"] == "robert"

    await admin.data(UPDATE, {"input": {"id": bob_id, "password": "new-password-1"}})
    assert (await bob.post("{ me { id } }"))["errors"][0]["extensions"]["code"] == (
        "unauthenticated")
    assert (await server.caller().login("robert", "bob-password"))["__typename"] == (
        "FieldErrors")
    assert (await server.caller().login("robert", "new-password-1"))["__typename"] == (
        "LoginSuccess")
    root_pw = await admin.post(UPDATE, {"input": {"id": server.ids["root"],
                                                  "password": "new-password-1"}})
    assert root_pw["errors"][0]["extensions"]["code"] == "forbidden"
