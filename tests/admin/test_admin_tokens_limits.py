"""Token limits set through the admin API hold at the relay at once (the openai SDK as client)."""

from __future__ import annotations

from typing import Any

import openai
import pytest

from newapi.store.models import Option
from tests.admin.conftest import AdminServer, Caller

CREATE = """mutation($input: CreateTokenInput!) { createToken(input: $input) { __typename
  ... on TokenCreated { key token { id } } ... on FieldErrors { errors { field message } } } }"""
UPDATE = """mutation($input: UpdateTokenInput!) { updateToken(input: $input) { __typename
  ... on Token { id status modelLimits allowIps remainQuota unlimitedQuota }
  ... on FieldErrors { errors { field message } } } }"""


async def _chat(server: AdminServer, key: str, model: str = "gpt-4o-mini") -> str:
    async with openai.AsyncOpenAI(base_url=server.url + "/v1", api_key=key, max_retries=0) as sdk:
        reply = await sdk.chat.completions.create(
            model=model, messages=[{"role": "user", "content": "hi"}], max_tokens=8)
    return reply.choices[0].message.content or ""


async def _update(alice: Caller, token_id: int, **fields: Any) -> dict[str, Any]:
    result = (await alice.data(UPDATE, {"input": {"id": token_id, **fields}}))["updateToken"]
    assert result["__typename"] == "Token", result
    return result


async def _refused(server: AdminServer, key: str, model: str = "gpt-4o-mini") -> Any:
    with pytest.raises(openai.APIStatusError) as caught:
        await _chat(server, key, model)
    return caught.value


async def test_limits_changed_in_the_admin_hold_at_the_relay_at_once(server: AdminServer) -> None:
    alice = await server.signed_in("alice")
    made = (await alice.data(CREATE, {"input": {"name": "limited", "unlimitedQuota": True}}))
    key, token_id = made["createToken"]["key"], made["createToken"]["token"]["id"]
    assert await _chat(server, key)  # cached by the relay from here on

    await _update(alice, token_id, modelLimits=["gpt-4.1"])
    refused = await _refused(server, key)
    assert (refused.status_code, refused.code) == (403, "model_not_allowed")

    await _update(alice, token_id, modelLimits=None, allowIps=["10.0.0.0/8", "fd00::/8"])
    refused = await _refused(server, key)
    assert (refused.status_code, refused.code) == (403, "ip_not_allowed")

    await _update(alice, token_id, allowIps=["127.0.0.0/8"])
    assert await _chat(server, key)

    await _update(alice, token_id, status=2)
    assert (await _refused(server, key)).status_code == 401
    await _update(alice, token_id, status=1, unlimitedQuota=False, remainQuota=0)
    refused = await _refused(server, key)
    assert (refused.status_code, refused.code) == (401, "token_exhausted")

    await alice.data("mutation($id: Int!) { deleteToken(id: $id) { deleted } }", {"id": token_id})
    refused = await _refused(server, key)
    assert (refused.status_code, refused.code) == (401, "invalid_api_key")


async def test_a_user_change_by_an_admin_holds_at_the_relay_at_once(server: AdminServer) -> None:
    alice = await server.signed_in("alice")
    admin = await server.signed_in("admin")
    made = (await alice.data(CREATE, {"input": {"name": "mine", "unlimitedQuota": True}}))
    key = made["createToken"]["key"]
    assert await _chat(server, key)
    await admin.data('mutation($id: Int!) { updateUser(input: {id: $id, status: 2}) '
                     "{ __typename } }", {"id": server.ids["alice"]})
    refused = await _refused(server, key)
    assert (refused.status_code, refused.code) == (403, "user_disabled")


@pytest.mark.parametrize(
    ("entries", "bad"),
    [
        (["10.0.0.0/33"], "'10.0.0.0/33'"),
        (["127.0.0.1", "::1", "2001:db8::/32", "bogus"], "'bogus'"),
        (["300.1.1.1"], "'300.1.1.1'"),
    ],
)
async def test_allow_lists_take_ips_and_networks_only(
    server: AdminServer, entries: list[str], bad: str
) -> None:
    alice = await server.signed_in("alice")
    refused = (await alice.data(CREATE, {"input": {"name": "ips", "allowIps": entries}}))
    assert refused["createToken"]["errors"] == [
        {"field": "allowIps", "message": f"{bad} is not an IP address or network"}]


async def test_a_token_group_must_be_one_its_owner_may_use(server: AdminServer) -> None:
    alice = await server.signed_in("alice")
    free = (await alice.data(CREATE, {"input": {"name": "g1", "group": "free"}}))["createToken"]
    assert free["errors"] == [{"field": "group",
                               "message": "not a group you may use (default, vip)"}]
    assert (await alice.data(CREATE, {"input": {"name": "g2", "group": " vip "}}))[
        "createToken"]["__typename"] == "TokenCreated"
    await Option.create(key="UserUsableGroups", value='{"default": "Default", "free": "Free"}')
    made = (await alice.data(CREATE, {"input": {"name": "g3", "group": "free"}}))["createToken"]
    assert made["__typename"] == "TokenCreated"
    moved = (await alice.data(UPDATE, {"input": {"id": made["token"]["id"], "group": "vip"}}))
    assert moved["updateToken"]["errors"][0]["field"] == "group"


async def test_tokens_are_found_by_name_or_by_whole_key(server: AdminServer) -> None:
    alice = await server.signed_in("alice")
    made = {}
    for name in ("laptop", "server", "sk-named"):
        made[name] = (await alice.data(CREATE, {"input": {"name": name}}))["createToken"]["key"]
    query = "query($s: String!) { tokens(search: $s) { items { name } } }"

    async def names(search: str) -> list[str]:
        found = (await alice.data(query, {"s": search}))["tokens"]["items"]
        return sorted(t["name"] for t in found)

    assert await names("lap") == ["laptop"]
    assert await names(made["server"]) == ["server"]
    assert await names(made["server"][:-1]) == []
    assert await names("sk-") == ["sk-named"]
    bob = await server.signed_in("bob")
    found = await bob.data(query, {"s": made["laptop"]})
    assert found["tokens"]["items"] == []
