"""Settings: the registry as root sees it, all-or-nothing updates, live effect on the relay."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from newapi import store
from newapi.admin.client import AdminClient, SettingInput
from newapi.admin.options.types import Setting
from newapi.billing.settings import ACCOUNT_KEYS, SETTINGS
from newapi.billing.settings import Setting as Definition
from newapi.relay.runtime import refresh
from newapi.store.models import Log
from newapi.store.queries.accounts import account_options
from newapi.store.queries.options import save_options
from tests.admin.conftest import AdminServer
from tests.admin.settings_server import SETTINGS_QUERY, api_key, chat, settings_server, update

USAGE = "#fake:usage=prompt:1000|completion:0"
SMTP_SECRET = "smtp-pass-Zq81-never-shown"
RAW_UPDATE = """mutation($input: [SettingInput!]!) { updateSettings(input: $input) {
  __typename ... on SettingList { settings { key value effective isSet } }
  ... on FieldErrors { errors { field message } } } }"""


@pytest.fixture
async def server(tmp_path: Path, template_dir: Path) -> AsyncIterator[AdminServer]:
    async with settings_server(tmp_path, template_dir) as running:
        yield running


async def _settings(server: AdminServer) -> dict[str, dict[str, Any]]:
    root = await server.signed_in("root")
    data = await root.data(SETTINGS_QUERY)
    return {s["key"]: s for s in data["settings"]}


async def _last_quota(server: AdminServer) -> int:
    await server.app.ctx.relay.ledger.flush()
    row = await Log.filter(type=2).order_by("-id").first()
    assert row is not None
    return int(row.quota)


async def test_settings_show_defaults_file_overrides_and_file_entries(server: AdminServer) -> None:
    found = await _settings(server)
    assert set(found) == set(SETTINGS)
    retry = found["RetryTimes"]
    assert retry == {
        "key": "RetryTimes", "kind": "int", "value": None, "isSet": False, "default": "2",
        "effective": "2", "effect": SETTINGS["RetryTimes"].effect, "secret": False,
        "fileOverride": False, "fileField": "retry_times", "fileEntries": [],
    }
    pre = found["PreConsumedQuota"]
    assert (pre["fileOverride"], pre["effective"], pre["default"]) == (True, "100", "500")
    assert found["ModelRatio"]["fileEntries"] == ["gpt-4o-mini"]
    assert "vip" in found["GroupRatio"]["fileEntries"]
    assert found["SystemName"]["effective"] == "newapi"
    assert found["AutomaticDisableChannelEnabled"]["effective"] == "false"


async def test_an_invalid_entry_writes_nothing(server: AdminServer) -> None:
    root = await server.signed_in("root")
    result = await update(
        root,
        ("SystemName", "Acme AI"),
        ("RetryTimes", "many"),
        ("PreConsumedQuota", "50"),
        ("ModelRatio", '{"gpt-4o": -1}'),
        ("CompletionRatio", '{"gpt-4o-mini": 2}'),
        ("GroupRatio", "[1, 2]"),
        ("AutomaticDisableChannelEnabled", "yes"),
        ("UserUsableGroups", '{"default": 1}'),
        ("GitHubClientSecret", "secret"),
        ("Notice", "x"),
        ("Notice", "y"),
    )
    assert result["__typename"] == "FieldErrors"
    errors = {e["field"]: e["message"] for e in result["errors"]}
    assert errors == {
        "RetryTimes": "must be a whole number",
        "PreConsumedQuota": "set in gateway.toml ([relay] pre_consumed_quota); change it there",
        "ModelRatio": "gpt-4o: must be a number, zero or more",
        "CompletionRatio": "gpt-4o-mini: priced in gateway.toml; change it there",
        "GroupRatio": "must be a JSON object of names to numbers",
        "AutomaticDisableChannelEnabled": "must be true or false",
        "UserUsableGroups": "must be a JSON object of names to texts",
        "GitHubClientSecret": "not a setting of this gateway",
        "Notice": "given more than once",
    }
    assert await store.load_options() == {}
    assert (await update(root))["errors"] == [
        {"field": "input", "message": "no setting to update"}
    ]
    too_many = await update(root, ("RetryTimes", "21"))
    assert too_many["errors"] == [{"field": "RetryTimes", "message": "must be between 0 and 20"}]


async def test_values_are_stored_in_new_api_form(server: AdminServer) -> None:
    root = await server.signed_in("root")
    result = await update(
        root,
        ("AutomaticDisableChannelEnabled", "TRUE"),
        ("RetryTimes", " 3 "),
        ("ModelRatio", '{ "gpt-4o" : 2.5 }'),
        ("SystemName", "Acme AI"),
    )
    assert result["__typename"] == "SettingList"
    assert await store.load_options() == {
        "AutomaticDisableChannelEnabled": "true",
        "RetryTimes": "3",
        "ModelRatio": '{"gpt-4o":2.5}',
        "SystemName": "Acme AI",
    }
    relay = server.app.ctx.relay
    assert (relay.retry_times, relay.config.relay.auto_disable) == (3, True)
    assert relay.config.relay.pre_consumed_quota == 100  # the file's, untouched
    shown = {s["key"]: s for s in result["settings"]}
    assert shown["RetryTimes"]["value"] == "3"
    assert shown["RetryTimes"]["effective"] == "3"


async def test_model_and_group_ratio_changes_bill_the_next_request(server: AdminServer) -> None:
    root = await server.signed_in("root")
    key = await api_key(server, "carol")
    assert (await chat(server, key, "gpt-4o", USAGE)).status_code == 200
    assert await _last_quota(server) == 1250  # built-in gpt-4o: model ratio 1.25

    assert (await update(root, ("ModelRatio", '{"gpt-4o": 2.5}')))["__typename"] == "SettingList"
    assert (await chat(server, key, "gpt-4o", USAGE)).status_code == 200
    assert await _last_quota(server) == 2500

    assert (await update(root, ("GroupRatio", '{"default": 2}')))["__typename"] == "SettingList"
    assert (await chat(server, key, "gpt-4o", USAGE)).status_code == 200
    assert await _last_quota(server) == 5000


async def test_retry_times_change_is_observed_against_the_upstream(server: AdminServer) -> None:
    root = await server.signed_in("root")
    key = await api_key(server, "dave")
    fake = server.upstream
    for retry_times, attempts in (("0", 1), ("3", 4), ("1", 2)):
        assert (await update(root, ("RetryTimes", retry_times)))["__typename"] == "SettingList"
        fake.clear()
        response = await chat(server, key, "gpt-4.1")
        assert response.status_code == 500
        assert len(fake.requests) == attempts, retry_times


async def test_usable_groups_decide_which_key_groups_the_relay_accepts(
    server: AdminServer,
) -> None:
    root = await server.signed_in("root")
    key = await api_key(server, "frank", group="vip")
    result = await update(root, ("UserUsableGroups", '{"default": "Default"}'),
                          ("ModelRatio", '{"gpt-4o-vip-preview": 1}'))
    assert result["__typename"] == "SettingList"
    refused = await chat(server, key, "gpt-4o-vip-preview", USAGE)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "group_not_allowed"

    await update(root, ("UserUsableGroups", '{"vip": "VIP"}'))
    assert (await chat(server, key, "gpt-4o-vip-preview", USAGE)).status_code == 200
    assert await _last_quota(server) == 1500  # ratio 1 x the file's vip ratio 1.5


async def test_other_nodes_pick_up_options_on_their_reload(server: AdminServer) -> None:
    """Another node writes the table; this node's periodic refresh applies it."""
    key = await api_key(server, "erin")
    relay = server.app.ctx.relay
    await save_options({"ModelRatio": '{"gpt-4o": 5}', "RetryTimes": "0"})
    assert relay.retry_times == 2
    await refresh(relay)
    assert relay.retry_times == 0
    assert (await chat(server, key, "gpt-4o", USAGE)).status_code == 200
    assert await _last_quota(server) == 5000


async def test_invalid_rows_from_elsewhere_fall_back_to_defaults(server: AdminServer) -> None:
    relay = server.app.ctx.relay
    await save_options({"RetryTimes": "lots", "ModelRatio": "not json", "SystemName": "x" * 101})
    await refresh(relay)
    assert relay.retry_times == 2
    assert relay.prices.lookup("gpt-4o").model_ratio == Decimal("1.25")  # the built-in price
    found = await _settings(server)
    assert (found["RetryTimes"]["value"], found["RetryTimes"]["effective"]) == ("lots", "2")
    assert (found["ModelRatio"]["value"], found["ModelRatio"]["effective"]) == ("not json", "{}")
    assert found["SystemName"]["effective"] == "newapi"


async def test_site_info_is_public_and_follows_the_settings(server: AdminServer) -> None:
    anonymous = server.caller()
    query = "{ siteInfo { systemName notice footer about displayInCurrency quotaPerUnit } }"
    assert (await anonymous.data(query))["siteInfo"] == {
        "systemName": "newapi", "notice": "", "footer": "", "about": "",
        "displayInCurrency": True, "quotaPerUnit": 500000,
    }
    root = await server.signed_in("root")
    await update(root, ("SystemName", "Acme AI"), ("Notice", "**maintenance**"),
                 ("DisplayInCurrencyEnabled", "false"))
    info = (await anonymous.data(query))["siteInfo"]
    assert (info["systemName"], info["notice"], info["displayInCurrency"]) == (
        "Acme AI", "**maintenance**", False,
    )


def test_a_secret_setting_shows_only_whether_it_is_set() -> None:
    definition = Definition("SMTPToken", "text", "", "SMTP password.", secret=True, maximum=10)
    shown = Setting.of(definition, "hunter2", "hunter2", file_override=False,
                       file_entries=frozenset())
    assert (shown.value, shown.effective, shown.is_set, shown.secret) == (None, None, True, True)


async def test_a_script_changes_settings_with_the_generated_client(server: AdminServer) -> None:
    root = await server.signed_in("root")
    token = (await root.data("mutation { generateAccessToken { token } }"))[
        "generateAccessToken"]["token"]
    async with AdminClient(url=f"{server.url}/graphql",
                           headers={"Authorization": f"Bearer {token}"}) as client:
        refused = (await client.update_settings([SettingInput(key="RetryTimes", value="-1")]))
        assert refused.update_settings.typename__ == "FieldErrors"
        done = await client.update_settings([SettingInput(key="ModelRatio",
                                                          value='{"gpt-4o": 3}')])
        assert done.update_settings.typename__ == "SettingList"
        by_key = {s.key: s for s in (await client.settings()).settings}
        assert by_key["ModelRatio"].effective == '{"gpt-4o":3}'
        models = {m.model_name: m for m in (await client.pricing()).pricing.models}
        assert models["gpt-4o"].model_ratio == Decimal(3)


async def test_account_settings_have_new_api_defaults_and_no_file_field(
    server: AdminServer,
) -> None:
    found = await _settings(server)
    defaults = {key: found[key]["default"] for key in (
        "RegisterEnabled", "PasswordRegisterEnabled", "PasswordLoginEnabled",
        "EmailVerificationEnabled", "EmailDomainRestrictionEnabled",
        "EmailAliasRestrictionEnabled", "QuotaForNewUser", "SMTPPort", "SMTPSSLEnabled",
        "SMTPServer", "SMTPFrom")}
    assert defaults == {
        "RegisterEnabled": "true", "PasswordRegisterEnabled": "true",
        "PasswordLoginEnabled": "true", "EmailVerificationEnabled": "false",
        "EmailDomainRestrictionEnabled": "false", "EmailAliasRestrictionEnabled": "false",
        "QuotaForNewUser": "0", "SMTPPort": "587", "SMTPSSLEnabled": "false",
        "SMTPServer": "", "SMTPFrom": "",
    }
    assert found["EmailDomainWhitelist"]["default"].split(",") == [
        "gmail.com", "163.com", "126.com", "qq.com", "outlook.com", "hotmail.com",
        "icloud.com", "yahoo.com", "foxmail.com"]
    assert {found[key]["fileField"] for key in ACCOUNT_KEYS} == {None}  # not in gateway.toml
    assert (await account_options())["SMTPPort"] == "587"


async def test_account_settings_are_checked_and_stored_in_new_api_form(
    server: AdminServer,
) -> None:
    root = await server.signed_in("root")
    refused = await update(
        root,
        ("RegisterEnabled", "maybe"),
        ("SMTPPort", "70000"),
        ("QuotaForNewUser", "-1"),
        ("SMTPFrom", "noreply"),
        ("EmailDomainWhitelist", "example.test, not a domain"),
        ("EmailAliasRestrictionEnabled", "true"),
        ("SMTPServer", "smtp example.test"),
        ("SMTPToken", "x" * 1025),
    )
    assert {e["field"]: e["message"] for e in refused["errors"]} == {
        "RegisterEnabled": "must be true or false",
        "SMTPPort": "must be between 1 and 65535",
        "QuotaForNewUser": f"must be between 0 and {10**15}",
        "SMTPFrom": "must be an email address (or empty)",
        "EmailDomainWhitelist": "not a domain name: not a domain",
        "SMTPServer": "must be a host name or address, without spaces",
        "SMTPToken": "at most 1024 characters",
    }
    empty = await update(root, ("EmailDomainWhitelist", " , "))
    assert empty["errors"] == [{"field": "EmailDomainWhitelist",
                                "message": "list at least one domain (comma-separated)"}]
    assert await store.load_options() == {}

    done = await update(
        root,
        ("RegisterEnabled", "FALSE"),
        ("SMTPPort", " 2525 "),
        ("EmailDomainWhitelist", " Example.TEST ,example.org,"),
        ("SMTPFrom", " noreply@example.test "),
        ("QuotaForNewUser", "100"),
    )
    assert done["__typename"] == "SettingList"
    assert await store.load_options() == {
        "RegisterEnabled": "false", "SMTPPort": "2525",
        "EmailDomainWhitelist": "example.test,example.org",
        "SMTPFrom": "noreply@example.test", "QuotaForNewUser": "100",
    }
    effective = await account_options()
    assert (effective["RegisterEnabled"], effective["SMTPPort"], effective["SMTPServer"]) == (
        "false", "2525", "")


async def test_invalid_account_rows_from_elsewhere_read_as_defaults(server: AdminServer) -> None:
    await save_options({"SMTPPort": "99999", "RegisterEnabled": "nope", "QuotaForNewUser": "-3",
                        "SMTPFrom": "Acme <bad>", "EmailVerificationEnabled": "TRUE"})
    effective = await account_options()
    assert (effective["SMTPPort"], effective["RegisterEnabled"], effective["QuotaForNewUser"],
            effective["SMTPFrom"], effective["EmailVerificationEnabled"]) == (
        "587", "true", "0", "", "TRUE")
    found = await _settings(server)
    assert (found["SMTPPort"]["value"], found["SMTPPort"]["effective"]) == ("99999", "587")


async def test_the_smtp_password_is_never_returned_and_kept_unless_cleared(
    server: AdminServer,
) -> None:
    root = await server.signed_in("root")
    written = await root.post(RAW_UPDATE, {"input": [
        {"key": "SMTPToken", "value": SMTP_SECRET},
        {"key": "SMTPAccount", "value": "bot@example.test"}]})
    assert written["data"]["updateSettings"]["__typename"] == "SettingList"
    listed = await root.post(SETTINGS_QUERY)
    for body in (written, listed):
        assert SMTP_SECRET not in str(body)
    token = next(s for s in listed["data"]["settings"] if s["key"] == "SMTPToken")
    assert (token["value"], token["effective"], token["isSet"], token["secret"]) == (
        None, None, True, True)
    assert (await account_options())["SMTPToken"] == SMTP_SECRET

    # A form sends the secret back empty: the stored password stays.
    kept = await update(root, ("SMTPToken", ""), ("SMTPAccount", "mailer@example.test"))
    assert kept["__typename"] == "SettingList"
    stored = await store.load_options()
    assert (stored["SMTPToken"], stored["SMTPAccount"]) == (SMTP_SECRET, "mailer@example.test")

    both = await root.data(RAW_UPDATE, {"input": [
        {"key": "SMTPToken", "value": "other", "clear": True}]})
    assert both["updateSettings"]["errors"] == [
        {"field": "SMTPToken", "message": "give no value with clear"}]
    cleared = await root.data(RAW_UPDATE, {"input": [
        {"key": "SMTPToken", "clear": True}, {"key": "SMTPAccount", "clear": True}]})
    shown = {s["key"]: s for s in cleared["updateSettings"]["settings"]}
    assert (shown["SMTPToken"]["isSet"], shown["SMTPAccount"]["isSet"]) == (False, False)
    assert await store.load_options() == {}
