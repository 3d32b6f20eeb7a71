"""Create, change, delete and reveal the caller's own API keys."""

from __future__ import annotations

import ipaddress
import time
from typing import Any

import orjson
import strawberry
from strawberry.types import Info

from newapi.admin.access import Denied, IsAuthenticated
from newapi.admin.results import Deleted, FieldErrors, field_errors
from newapi.admin.tokens.types import (
    CreateTokenInput,
    CreateTokenResult,
    RevealedKey,
    Token,
    TokenCreated,
    UpdateTokenInput,
    UpdateTokenResult,
)
from newapi.cache.changes import Change
from newapi.relay.sync import announce
from newapi.store import load_options
from newapi.store.queries.admin_tokens import (
    count_tokens,
    delete_token,
    insert_token,
    reveal_token_key,
    token_name_taken,
    update_token,
)
from newapi.store.queries.admin_users import Account

__all__ = ["TokenMutation"]

NAME_MAX = 50  # New API's limits
MAX_QUOTA = 10**18
MAX_TOKENS_PER_USER = 1000
DEFAULT_USABLE_GROUPS = frozenset({"default", "vip"})  # New API's UserUsableGroups default
_UPDATABLE = (
    "name",
    "status",
    "remain_quota",
    "unlimited_quota",
    "expired_time",
    "model_limits",
    "allow_ips",
    "group",
)
_CAMEL = {
    "remain_quota": "remainQuota",
    "unlimited_quota": "unlimitedQuota",
    "expired_time": "expiredTime",
    "model_limits": "modelLimits",
    "allow_ips": "allowIps",
}


def _ip_problem(entries: list[str]) -> str | None:
    for entry in entries:
        try:
            ipaddress.ip_network(entry.strip(), strict=False)
        except ValueError:
            return f"{entry!r} is not an IP address or network"
    return None


def _problems(values: dict[str, Any], now: int) -> list[tuple[str, str]]:
    checks: list[tuple[str, bool, str]] = []
    if "name" in values:
        name = values["name"]
        checks.append(("name", not name.strip() or len(name) > NAME_MAX, "1 to 50 characters"))
    if values.get("remain_quota") is not None:
        bad = not 0 <= int(values["remain_quota"]) <= MAX_QUOTA
        checks.append(("remain_quota", bad, "must be zero or more"))
    if values.get("expired_time") is not None:
        stamp = int(values["expired_time"])
        checks.append(("expired_time", stamp != -1 and stamp <= now, "must be -1 or in the future"))
    if values.get("model_limits") is not None:
        empty = not [m for m in values["model_limits"] if m.strip()]
        checks.append(("model_limits", empty, "name at least one model, or null for all"))
    if values.get("allow_ips"):
        problem = _ip_problem(values["allow_ips"])
        checks.append(("allow_ips", problem is not None, problem or ""))
    if values.get("status") is not None:
        checks.append(("status", values["status"] not in (1, 2), "1 (enabled) or 2 (disabled)"))
    if values.get("group") is not None:
        checks.append(("group", len(values["group"]) > 64, "at most 64 characters"))
    return [(_CAMEL.get(field, field), message) for field, bad, message in checks if bad]


def usable_groups(option: str) -> frozenset[str]:
    """The groups New API's ``UserUsableGroups`` option (a JSON object) lets users pick."""
    try:
        value = orjson.loads(option) if option.strip() else None
    except orjson.JSONDecodeError:
        value = None
    if not isinstance(value, dict) or not value:
        return DEFAULT_USABLE_GROUPS
    return frozenset(str(name) for name in value)


async def _group_problem(user: Account, group: str | None) -> str | None:
    """A token routes through its own group only when its owner may use that group."""
    group = (group or "").strip()
    if not group or group == user.group:
        return None
    usable = usable_groups((await load_options()).get("UserUsableGroups", "")) | {user.group}
    if group in usable:
        return None
    return f"not a group you may use ({', '.join(sorted(usable))})"


async def _check(
    user: Account, values: dict[str, Any], except_id: int | None
) -> FieldErrors | None:
    problems = _problems(values, int(time.time()))
    if not problems and "group" in values:
        group = await _group_problem(user, values["group"])
        if group is not None:
            problems.append(("group", group))
    if (
        not problems
        and values.get("name")
        and await token_name_taken(user.id, values["name"], except_id=except_id)
    ):
        problems.append(("name", "you already have a token with this name"))
    return field_errors(*problems) if problems else None


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    if values.get("model_limits") is not None:
        values["model_limits"] = [m.strip() for m in values["model_limits"] if m.strip()]
    if "allow_ips" in values:
        values["allow_ips"] = [ip.strip() for ip in values["allow_ips"] or [] if ip.strip()]
    for name in ("remain_quota", "expired_time"):
        if values.get(name) is not None:
            values[name] = int(values[name])
    if values.get("group") is not None:
        values["group"] = values["group"].strip()
    return values


@strawberry.type
class TokenMutation:
    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def create_token(
        self, info: Info[Any, Any], input: CreateTokenInput
    ) -> CreateTokenResult:
        user = info.context.user
        values = {name: getattr(input, name) for name in _UPDATABLE if name != "status"}
        refused = await _check(user, values, None)
        if refused is not None:
            return refused
        if await count_tokens(user.id) >= MAX_TOKENS_PER_USER:
            return field_errors(("name", f"at most {MAX_TOKENS_PER_USER} tokens per user"))
        row = await insert_token(user.id, **_clean(values))
        return TokenCreated(token=Token.of(row), key=row.key)

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def update_token(
        self, info: Info[Any, Any], input: UpdateTokenInput
    ) -> UpdateTokenResult:
        values = {}
        for name in _UPDATABLE:
            value = getattr(input, name)
            if value is strawberry.UNSET or (value is None and name != "model_limits"):
                continue
            values[name] = value
        refused = await _check(info.context.user, values, input.id)
        if refused is not None:
            return refused
        row = await update_token(info.context.user.id, input.id, **_clean(values))
        await announce(info.context.relay, Change.keys(tokens=[row.id]))  # every relay sees it
        return Token.of(row)

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def delete_token(self, info: Info[Any, Any], id: int) -> Deleted:
        if not await delete_token(info.context.user.id, id):
            raise Denied(f"token {id} does not exist", "not_found")
        await announce(info.context.relay, Change.keys(tokens=[id]))
        return Deleted(id=id, deleted=True)

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="The full key of one of your tokens; recorded in the log (type 3, manage).",
    )
    async def reveal_token_key(self, info: Info[Any, Any], id: int) -> RevealedKey:
        context = info.context
        key = await reveal_token_key(
            context.user.id, context.user.username, id, ip=context.client_ip
        )
        if key is None:
            raise Denied(f"token {id} does not exist", "not_found")
        return RevealedKey(id=id, key=key)
