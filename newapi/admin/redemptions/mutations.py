"""Admin: create codes in batches, change and delete them. Users: redeem a code.

Redeem attempts that fail (unknown, used, disabled or expired code) count against the caller's
user id and IP in process memory (``app.ctx.redeem_limiter``); past the limit the mutation is
refused with ``rate_limited`` until the window has passed.
"""

from __future__ import annotations

import re
import time
from typing import Any

import strawberry
from strawberry.types import Info

from newapi.admin.access import Denied, IsAdmin, IsAuthenticated
from newapi.admin.redemptions.types import (
    CreateRedemptionsInput,
    CreateRedemptionsResult,
    Redeemed,
    RedeemResult,
    Redemption,
    RedemptionsCreated,
    UpdateRedemptionInput,
    UpdateRedemptionResult,
)
from newapi.admin.results import BigInt, Deleted, field_errors
from newapi.cache.changes import Change
from newapi.relay.sync import announce
from newapi.store.queries.admin_redemptions import (
    REDEMPTION_DISABLED,
    REDEMPTION_ENABLED,
    delete_redemption,
    insert_redemptions,
    purge_redemptions,
    redeem_code,
    update_redemption,
)

__all__ = ["RedemptionMutation"]

NAME_MAX = 20  # New API's limits
COUNT_MAX = 100
QUOTA_MAX = 10**15
_KEY = re.compile(r"[0-9a-fA-F]{32}")
_PROBLEMS = {
    "invalid": "no such redemption code",
    "used": "this code has already been used",
    "disabled": "this code is disabled",
    "expired": "this code has expired",
}


def _common_problems(name: Any, quota: Any, expires_at: Any, now: int) -> list[tuple[str, str]]:
    """Problems of the fields create and update share (UNSET/None means not given)."""
    problems = []
    if isinstance(name, str) and not 0 < len(name.strip()) <= NAME_MAX:
        problems.append(("name", f"1 to {NAME_MAX} characters"))
    if isinstance(quota, int) and not 0 < quota <= QUOTA_MAX:
        problems.append(("quota", f"more than 0 and at most {QUOTA_MAX}"))
    if isinstance(expires_at, int) and expires_at != 0 and expires_at <= now:
        problems.append(("expiresAt", "must be in the future (or 0: never)"))
    return problems


def _update_changes(data: UpdateRedemptionInput) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for name, column in (
        ("name", "name"),
        ("quota", "quota"),
        ("status", "status"),
        ("expires_at", "expired_time"),
    ):
        value = getattr(data, name)
        if value is not strawberry.UNSET and value is not None:
            changes[column] = value.strip() if isinstance(value, str) else int(value)
    return changes


@strawberry.type
class RedemptionMutation:
    @strawberry.mutation(
        permission_classes=[IsAdmin],
        description="Create 1 to 100 codes; their keys are shown once.",
    )
    async def create_redemptions(
        self, info: Info[Any, Any], input: CreateRedemptionsInput
    ) -> CreateRedemptionsResult:
        now = int(time.time())
        expires = int(input.expires_at or 0)
        problems = _common_problems(input.name, int(input.quota), expires, now)
        if not 1 <= input.count <= COUNT_MAX:
            problems.append(("count", f"1 to {COUNT_MAX}"))
        if problems:
            return field_errors(*problems)
        rows = await insert_redemptions(
            info.context.user.id, input.name.strip(), int(input.quota), input.count, expires, now
        )
        return RedemptionsCreated(
            keys=[row.key for row in rows], items=[Redemption.of(row) for row in rows]
        )

    @strawberry.mutation(permission_classes=[IsAdmin])
    async def update_redemption(
        self, info: Info[Any, Any], input: UpdateRedemptionInput
    ) -> UpdateRedemptionResult:
        changes = _update_changes(input)
        problems = _common_problems(
            changes.get("name"), changes.get("quota"), changes.get("expired_time"), int(time.time())
        )
        status = changes.get("status", REDEMPTION_ENABLED)
        if status not in (REDEMPTION_ENABLED, REDEMPTION_DISABLED):
            problems.append(("status", "1 (enabled) or 2 (disabled)"))
        if problems:
            return field_errors(*problems)
        row = await update_redemption(input.id, **changes)
        if row is None:
            return field_errors(("id", "no such code, or it was already used"))
        return Redemption.of(row)

    @strawberry.mutation(permission_classes=[IsAdmin], description="Soft delete (deleted_at).")
    async def delete_redemption(self, info: Info[Any, Any], id: int) -> Deleted:
        await delete_redemption(id)
        return Deleted(id=id, deleted=True)

    @strawberry.mutation(
        permission_classes=[IsAdmin],
        description="Delete every used, disabled or expired code; returns how many.",
    )
    async def purge_redemptions(self, info: Info[Any, Any]) -> int:
        return await purge_redemptions(int(time.time()))

    @strawberry.mutation(
        permission_classes=[IsAuthenticated], description="Add a code's quota to your balance."
    )
    async def redeem(self, info: Info[Any, Any], key: str) -> RedeemResult:
        context = info.context
        user = context.user
        limiter = context.request.app.ctx.redeem_limiter
        who = str(user.id)
        if limiter.blocked(context.client_ip, who):
            raise Denied("too many failed redeem attempts; try again later", "rate_limited")
        key = key.strip()
        if _KEY.fullmatch(key) is None:
            limiter.failed(context.client_ip, who)
            return field_errors(("key", _PROBLEMS["invalid"]))
        async with context.relay.ledger.outside_write() as accounts:
            outcome = await redeem_code(key.lower(), user.id, user.username, int(time.time()))
            if outcome.problem is None:
                # The live balance takes the credit the database just got.
                accounts.credit_user(user.id, outcome.quota)
        if outcome.problem is not None:
            limiter.failed(context.client_ip, who)
            return field_errors(("key", _PROBLEMS[outcome.problem]))
        # cached key owners are read again, on this process and on the others
        await announce(context.relay, Change.keys(users=[user.id]))
        return Redeemed(quota=BigInt(outcome.quota), redemption_id=outcome.redemption_id)
