"""Every query and mutation as anonymous, a user, another user, an admin and root."""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from newapi import store
from newapi.admin.schema import schema
from newapi.relay.catalog import config_channel_id
from newapi.store.models import Token
from newapi.store.queries.admin_channels import insert_channel_row
from newapi.store.queries.admin_redemptions import insert_redemptions
from tests.admin.conftest import AdminServer, Caller

ROLES = ("anonymous", "user", "other", "admin", "root")
LOGINS = {"user": "alice", "other": "bob", "admin": "admin", "root": "root"}
EVERYONE = frozenset(ROLES)
SIGNED_IN = EVERYONE - {"anonymous"}
ADMINS = frozenset({"admin", "root"})
ROOT = frozenset({"root"})
NOBODY: frozenset[str] = frozenset()
OWNER = frozenset({"user"})  # the object belongs to "user" (alice)
DENIED = {"unauthenticated", "forbidden", "not_found", "token_not_found", "setup_done"}
_names = itertools.count(1)

Vars = Callable[[AdminServer], Awaitable[dict[str, Any]]]


async def _none(server: AdminServer) -> dict[str, Any]:
    return {}


async def _alice_token(server: AdminServer) -> dict[str, Any]:
    key = await store.create_token(server.ids["alice"], f"t{next(_names)}")
    return {"id": (await Token.get(key=key[3:])).id}


async def _common_user(server: AdminServer) -> dict[str, Any]:
    user = await store.create_user(f"u{next(_names)}", "password-123", role=1)
    return {"id": user.id}


async def _db_channel(server: AdminServer) -> dict[str, Any]:
    row = await insert_channel_row(
        {"name": f"c{next(_names)}", "type": 1, "key": "sk-x", "base_url": server.upstream.url,
         "models": ["gpt-4o-mini"], "groups": ["default"]}
    )
    return {"id": row.id}


async def _new_username(server: AdminServer) -> dict[str, Any]:
    return {"name": f"n{next(_names)}"}


async def _filed_channel(server: AdminServer) -> dict[str, Any]:
    return {"id": config_channel_id("filed")}


async def _redemption(server: AdminServer) -> dict[str, Any]:
    [row] = await insert_redemptions(server.ids["root"], f"r{next(_names)}", 10, 1, 0, 1)
    return {"id": row.id}


async def _redemption_key(server: AdminServer) -> dict[str, Any]:
    [row] = await insert_redemptions(server.ids["root"], f"r{next(_names)}", 10, 1, 0, 1)
    return {"key": row.key}


@dataclass(frozen=True)
class Case:
    field: str
    document: str
    allowed: frozenset[str]
    variables: Vars = _none
    fresh_login: bool = False  # the operation ends the caller's sessions


CASES = [
    Case("setupStatus", "{ setupStatus { done } }", EVERYONE),
    Case("me", "{ me { id } }", SIGNED_IN),
    Case("users", "{ users { total } }", ADMINS),
    Case("user", "query($id: Int!) { user(id: $id) { id } }", ADMINS, _common_user),
    Case("tokens", "{ tokens { total } }", SIGNED_IN),
    Case("token", "query($id: Int!) { token(id: $id) { id } }", OWNER, _alice_token),
    Case("channels", "{ channels { id } }", ADMINS),
    Case("channel", "query($id: Int!) { channel(id: $id) { id } }", ADMINS, _filed_channel),
    Case("logs", "{ logs { total } }", SIGNED_IN),
    Case("login", 'mutation { login(username: "nobody", password: "x") { __typename } }',
         EVERYONE),
    Case("logout", "mutation { logout }", SIGNED_IN, fresh_login=True),
    Case("changePassword", 'mutation { changePassword(oldPassword: "wrong-one", '
         'newPassword: "new-password-9") { __typename } }', SIGNED_IN),
    Case("generateAccessToken", "mutation { generateAccessToken { token } }", SIGNED_IN),
    Case("createUser", 'mutation($name: String!) { createUser(input: {username: $name, '
         'password: "password-123"}) { __typename } }', ADMINS, _new_username),
    Case("updateUser", 'mutation($id: Int!) { updateUser(input: {id: $id, group: "vip"}) '
         "{ __typename } }", ADMINS, _common_user),
    Case("deleteUser", "mutation($id: Int!) { deleteUser(id: $id) { deleted } }", ADMINS,
         _common_user),
    Case("createToken", 'mutation($name: String!) { createToken(input: {name: $name}) '
         "{ __typename } }", SIGNED_IN, _new_username),
    Case("updateToken", 'mutation($id: Int!) { updateToken(input: {id: $id, status: 2}) '
         "{ __typename } }", OWNER, _alice_token),
    Case("deleteToken", "mutation($id: Int!) { deleteToken(id: $id) { deleted } }", OWNER,
         _alice_token),
    Case("revealTokenKey", "mutation($id: Int!) { revealTokenKey(id: $id) { key } }", OWNER,
         _alice_token),
    Case("createChannel", 'mutation($name: String!) { createChannel(input: {name: $name, '
         'type: 1, key: "sk-k"}) { __typename } }', ADMINS, _new_username),
    Case("updateChannel", 'mutation($id: Int!) { updateChannel(input: {id: $id, weight: 3}) '
         "{ __typename } }", ADMINS, _db_channel),
    Case("deleteChannel", "mutation($id: Int!) { deleteChannel(id: $id) { deleted } }", ADMINS,
         _db_channel),
    Case("testChannel", "mutation($id: Int!) { testChannel(id: $id) { ok } }", ADMINS,
         _filed_channel),
    # accounts: sign-up, mailed codes, reset and the second login step are public
    Case("register", 'mutation($name: String!) { register(input: {username: $name, '
         'password: "password-123"}) { __typename } }', EVERYONE, _new_username),
    Case("sendVerificationCode", 'mutation { sendVerificationCode(email: "m@example.test", '
         "purpose: RESET) { __typename } }", EVERYONE),
    Case("resetPassword", 'mutation { resetPassword(email: "m@example.test", code: "123456", '
         'newPassword: "password-123") { __typename } }', EVERYONE),
    Case("loginTwoFactor", 'mutation { loginTwoFactor(flowToken: "x.y", code: "123456") '
         "{ __typename } }", EVERYONE),
    Case("twoFactorStatus", "{ twoFactorStatus { enabled } }", SIGNED_IN),
    Case("setupTwoFactor", "mutation { setupTwoFactor { __typename } }", SIGNED_IN),
    Case("enableTwoFactor", 'mutation { enableTwoFactor(code: "wrong") { __typename } }',
         SIGNED_IN),
    Case("disableTwoFactor", 'mutation { disableTwoFactor(code: "wrong") { __typename } }',
         SIGNED_IN),
    Case("resetUserTwoFactor", "mutation($id: Int!) { resetUserTwoFactor(userId: $id) "
         "{ userId } }", ADMINS, _common_user),
    Case("siteInfo", "{ siteInfo { systemName } }", EVERYONE),
    Case("settings", "{ settings { key } }", ROOT),
    Case("updateSettings", 'mutation { updateSettings(input: [{key: "Notice", value: "hi"}]) '
         "{ __typename } }", ROOT),
    Case("groups", "{ groups { name } }", SIGNED_IN),
    Case("pricing", "{ pricing { quotaPerUnit } }", SIGNED_IN),
    Case("setup", 'mutation { setup(input: {username: "owner", password: "owner-pass-1", '
         'confirmPassword: "owner-pass-1"}) { __typename } }', NOBODY),  # done by then
    # redemptions, dashboard and log search
    Case("allLogs", "{ allLogs { total } }", ADMINS),
    Case("dashboard", "{ dashboard { count } }", SIGNED_IN),
    Case("allDashboard", "{ allDashboard { count } }", ADMINS),
    Case("redemptions", "{ redemptions { total } }", ADMINS),
    Case("createRedemptions", 'mutation { createRedemptions(input: {name: "m", quota: 5, '
         "count: 2}) { __typename } }", ADMINS),
    Case("updateRedemption", "mutation($id: Int!) { updateRedemption(input: {id: $id, "
         "status: 2}) { __typename } }", ADMINS, _redemption),
    Case("deleteRedemption", "mutation($id: Int!) { deleteRedemption(id: $id) { deleted } }",
         ADMINS, _redemption),
    Case("purgeRedemptions", "mutation { purgeRedemptions }", ADMINS),
    Case("redeem", "mutation($key: String!) { redeem(key: $key) { __typename } }", SIGNED_IN,
         _redemption_key),
    Case("addUserQuota", "mutation($id: Int!) { addUserQuota(id: $id, amount: 5) "
         "{ __typename } }", ADMINS, _common_user),
    Case("fetchChannelModels", "mutation($id: Int!) { fetchChannelModels(id: $id) "
         "{ __typename } }", ADMINS, _filed_channel),
    Case("updateChannelBalance", "mutation($id: Int!) { updateChannelBalance(id: $id) "
         "{ __typename } }", ADMINS, _filed_channel),
    Case("updateChannelBalances", "mutation($id: Int!) { updateChannelBalances(ids: [$id]) "
         "{ channelId } }", ADMINS, _filed_channel),
    Case("setChannelsStatus", "mutation($id: Int!) { setChannelsStatus(ids: [$id], "
         "enabled: false) { changed } }", ADMINS, _db_channel),
    Case("deleteChannels", "mutation($id: Int!) { deleteChannels(ids: [$id]) { changed } }",
         ADMINS, _db_channel),
    Case("deleteDisabledChannels", "mutation { deleteDisabledChannels { changed } }", ADMINS),
    Case("setChannelsTag", 'mutation($id: Int!) { setChannelsTag(ids: [$id], tag: "t") '
         "{ changed } }", ADMINS, _db_channel),
    Case("setTagStatus", 'mutation { setTagStatus(tag: "t", enabled: true) { changed } }',
         ADMINS),
    Case("editChannelTag", 'mutation { editChannelTag(input: {tag: "t", weight: 2}) '
         "{ changed } }", ADMINS),
]


def _outcome(body: dict[str, Any], field: str) -> str:
    errors = body.get("errors") or []
    if errors:
        code = errors[0].get("extensions", {}).get("code")
        return "denied" if code in DENIED else f"error {code}: {errors[0]['message']}"
    return "denied" if (body.get("data") or {}).get(field) is None else "allowed"


def test_the_matrix_covers_every_root_field() -> None:
    fields = {f.name for f in schema.schema_converter.type_map["Query"].definition.fields}
    fields |= {f.name for f in schema.schema_converter.type_map["Mutation"].definition.fields}
    camel = {schema.config.name_converter.apply_naming_config(name) for name in fields}
    assert camel == {case.field for case in CASES}


async def test_authorization_matrix(server: AdminServer) -> None:
    callers: dict[str, Caller] = {"anonymous": server.caller()}
    for role, username in LOGINS.items():
        callers[role] = await server.signed_in(username)
    wrong, checked = [], 0
    for case, role in itertools.product(CASES, ROLES):
        checked += 1
        caller = callers[role]
        body = await caller.post(case.document, await case.variables(server))
        if case.fresh_login and role != "anonymous":  # logout ends every session of the user
            callers[role] = await server.signed_in(LOGINS[role])
        got = _outcome(body, case.field)
        want = "allowed" if role in case.allowed else "denied"
        if got != want:
            wrong.append(f"{case.field} as {role}: {got}, expected {want}")
    assert not wrong, "\n".join(wrong)
    assert checked == len(CASES) * len(ROLES)
