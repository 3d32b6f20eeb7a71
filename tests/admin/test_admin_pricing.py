"""Groups and pricing: what each caller may see, priced the way the relay bills."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tests.admin.conftest import AdminServer
from tests.admin.settings_server import settings_server, update

GROUPS = "{ groups { name ratio description usable } }"
PRICING = """{ pricing { quotaPerUnit groups { name ratio usable }
  models { modelName quotaType priced modelRatio completionRatio cacheRatio createCacheRatio
           modelPrice enableGroups channels } } }"""


@pytest.fixture
async def server(tmp_path: Path, template_dir: Path) -> AsyncIterator[AdminServer]:
    async with settings_server(tmp_path, template_dir) as running:
        yield running


def _by_name(rows: list[dict[str, Any]], key: str) -> dict[str, dict[str, Any]]:
    return {row[key]: row for row in rows}


async def test_users_see_their_usable_groups_and_admins_see_all(server: AdminServer) -> None:
    alice = await server.signed_in("alice")
    groups = (await alice.data(GROUPS))["groups"]
    assert groups == [
        {"name": "default", "ratio": "1", "description": "Default group", "usable": True},
        {"name": "vip", "ratio": "1.5", "description": "VIP group", "usable": True},
    ]
    admin = await server.signed_in("admin")
    every = _by_name((await admin.data(GROUPS))["groups"], "name")
    assert set(every) == {"default", "vip", "svip"}
    assert every["svip"] == {"name": "svip", "ratio": "1", "description": "SVIP tier.",
                             "usable": False}


async def test_group_settings_change_what_users_see(server: AdminServer) -> None:
    root = await server.signed_in("root")
    result = await update(root, ("UserUsableGroups", '{"svip": "Priority lane"}'),
                          ("GroupRatio", '{"svip": 0.5, "default": 0.8}'))
    assert result["__typename"] == "SettingList"
    alice = await server.signed_in("alice")
    groups = _by_name((await alice.data(GROUPS))["groups"], "name")
    assert groups == {
        "default": {"name": "default", "ratio": "0.8", "description": "Everyone starts here.",
                    "usable": True},  # the user's own group is always usable
        "svip": {"name": "svip", "ratio": "0.5", "description": "Priority lane", "usable": True},
    }


async def test_pricing_lists_the_models_of_the_callers_groups(server: AdminServer) -> None:
    alice = await server.signed_in("alice")
    body = await alice.post(PRICING)
    assert "sk-upstream" not in str(body)
    pricing = body["data"]["pricing"]
    assert pricing["quotaPerUnit"] == 500000
    models = _by_name(pricing["models"], "modelName")
    assert set(models) == {"gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4o-vip-preview"}
    mini = models["gpt-4o-mini"]
    assert (mini["modelRatio"], mini["completionRatio"], mini["quotaType"]) == ("0.075", "4", 0)
    assert mini["enableGroups"] == ["default"]
    assert mini["channels"] is None  # channel names are for admins
    vip = models["gpt-4o-vip-preview"]
    assert (vip["priced"], vip["modelRatio"], vip["enableGroups"]) == (False, None, ["vip"])

    admin = await server.signed_in("admin")
    seen = _by_name((await admin.data(PRICING))["pricing"]["models"], "modelName")
    assert seen["gpt-4.1"]["channels"] == ["bad-0", "bad-1", "bad-2", "bad-3"]
    assert seen["gpt-4o"]["channels"] == ["good"]


async def test_pricing_follows_the_settings(server: AdminServer) -> None:
    root = await server.signed_in("root")
    result = await update(root, ("UserUsableGroups", "{}"),
                          ("ModelPrice", '{"gpt-4o": 0.02}'), ("CompletionRatio", '{"gpt-4.1": 5}'))
    assert result["__typename"] == "SettingList"
    alice = await server.signed_in("alice")
    pricing = (await alice.data(PRICING))["pricing"]
    models = _by_name(pricing["models"], "modelName")
    assert "gpt-4o-vip-preview" not in models  # vip is no longer usable
    assert [g["name"] for g in pricing["groups"]] == ["default"]
    assert (models["gpt-4o"]["quotaType"], models["gpt-4o"]["modelPrice"]) == (1, "0.02")
    assert models["gpt-4.1"]["completionRatio"] == "5"
