"""Redemption (top-up) codes: create in batches, list, change, delete, and redeem once.

A redeem is one transaction: a compare-and-set of the code from enabled to used, the quota
added to the user (relative to the stored value, like the ledger's writes) and a top-up log row
(type 1). Two concurrent redeems of one code cannot both pass the compare-and-set.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from tortoise.expressions import F, Q
from tortoise.transactions import in_transaction

from newapi.errors import NotFoundError
from newapi.store.db import guard_db
from newapi.store.models import Log, Redemption, User
from newapi.store.models.redemptions import (
    REDEMPTION_DISABLED,
    REDEMPTION_ENABLED,
    REDEMPTION_USED,
)

__all__ = [
    "LOG_TOPUP",
    "REDEMPTION_DISABLED",
    "REDEMPTION_ENABLED",
    "REDEMPTION_USED",
    "RedeemOutcome",
    "RedemptionRecord",
    "delete_redemption",
    "insert_redemptions",
    "list_redemptions",
    "purge_redemptions",
    "redeem_code",
    "update_redemption",
]

LOG_TOPUP = 1


@dataclass(frozen=True, slots=True)
class RedemptionRecord:
    id: int
    user_id: int
    key: str
    status: int
    name: str
    quota: int
    created_time: int
    redeemed_time: int
    used_user_id: int
    expired_time: int


@dataclass(frozen=True, slots=True)
class RedeemOutcome:
    """``problem`` is None on success, else one of invalid, used, disabled, expired."""

    problem: str | None
    quota: int = 0
    redemption_id: int = 0


def _record(row: Redemption) -> RedemptionRecord:
    return RedemptionRecord(
        id=row.id,
        user_id=int(row.user_id or 0),
        key=row.key,
        status=int(row.status or 0),
        name=row.name or "",
        quota=int(row.quota or 0),
        created_time=int(row.created_time or 0),
        redeemed_time=int(row.redeemed_time or 0),
        used_user_id=int(row.used_user_id or 0),
        expired_time=int(row.expired_time or 0),
    )


def _live() -> Q:
    return Q(deleted_at__isnull=True)


@guard_db
async def insert_redemptions(
    creator_id: int, name: str, quota: int, count: int, expired_time: int, now: int
) -> list[RedemptionRecord]:
    """Create ``count`` enabled codes with random 32-hex keys (New API's UUID without dashes)."""
    rows = [
        Redemption(
            user_id=creator_id,
            key=uuid.uuid4().hex,
            status=REDEMPTION_ENABLED,
            name=name,
            quota=quota,
            created_time=now,
            expired_time=expired_time,
        )
        for _ in range(count)
    ]
    async with in_transaction():
        await Redemption.bulk_create(rows)
        created = await Redemption.filter(key__in=[row.key for row in rows]).order_by("id")
    return [_record(row) for row in created]


@guard_db
async def list_redemptions(
    search: str, status: int | None, offset: int, limit: int
) -> tuple[list[RedemptionRecord], int]:
    """A page of live codes, newest first; ``search`` is an id or a name prefix."""
    query = Redemption.filter(_live())
    search = search.strip()
    if search:
        match = Q(name__startswith=search)
        if search.isdigit():
            match |= Q(id=int(search))
        query = query.filter(match)
    if status is not None:
        query = query.filter(status=status)
    total = await query.count()
    rows = await query.order_by("-id").offset(offset).limit(limit)
    return [_record(row) for row in rows], total


@guard_db
async def redemption_by_id(redemption_id: int) -> RedemptionRecord | None:
    row = await Redemption.filter(_live(), id=redemption_id).first()
    return None if row is None else _record(row)


@guard_db
async def update_redemption(redemption_id: int, **changes: object) -> RedemptionRecord | None:
    """Set ``changes`` (name, quota, status, expired_time) on a live code that is not used.

    Returns None when the code does not exist or was used meanwhile (a used code is final).
    """
    if changes:
        updated = (
            await Redemption.filter(_live(), id=redemption_id)
            .exclude(status=REDEMPTION_USED)
            .update(**changes)
        )
        if not updated:
            return None
    return await redemption_by_id(redemption_id)


@guard_db
async def delete_redemption(redemption_id: int) -> None:
    """Soft delete (New API's ``deleted_at``); the key stays taken."""
    updated = await Redemption.filter(_live(), id=redemption_id).update(
        deleted_at=datetime.now(UTC)
    )
    if not updated:
        raise NotFoundError(
            f"redemption {redemption_id} does not exist", code="redemption_not_found"
        )


@guard_db
async def purge_redemptions(now: int) -> int:
    """Soft delete every used, disabled or expired code (New API's ``DELETE /invalid``)."""
    expired = Q(expired_time__gt=0) & Q(expired_time__lte=now)
    return await Redemption.filter(
        _live(), Q(status__in=(REDEMPTION_USED, REDEMPTION_DISABLED)) | expired
    ).update(deleted_at=datetime.now(UTC))


def _problem(row: Redemption | None, now: int) -> str | None:
    if row is None:
        return "invalid"
    if row.status == REDEMPTION_USED:
        return "used"
    if row.status != REDEMPTION_ENABLED:
        return "disabled"
    if row.expired_time and row.expired_time <= now:
        return "expired"
    return None


@guard_db
async def redeem_code(key: str, user_id: int, username: str, now: int) -> RedeemOutcome:
    """Mark the code used by ``user_id`` and add its quota to the user, atomically."""
    async with in_transaction():
        # The compare-and-set: only one transaction turns this enabled, unexpired code into a
        # used one. Its row stays locked until the commit, so the quota read below is final
        # (an admin's concurrent change waits, then finds the code used).
        unexpired = Q(expired_time=0) | Q(expired_time__gt=now)
        taken = await Redemption.filter(
            _live(), unexpired, key=key, status=REDEMPTION_ENABLED
        ).update(status=REDEMPTION_USED, redeemed_time=now, used_user_id=user_id)
        row = await Redemption.filter(_live(), key=key).first()
        if not taken or row is None:
            return RedeemOutcome(_problem(row, now) or "used")
        credited = await User.filter(id=user_id, deleted_at__isnull=True).update(
            quota=F("quota") + int(row.quota)
        )
        if not credited:
            raise NotFoundError(f"user {user_id} does not exist", code="user_not_found")
        await Log.create(
            user_id=user_id,
            username=username,
            created_at=now,
            type=LOG_TOPUP,
            content=f"redeemed code {row.id} for {row.quota} quota",
            quota=0,
        )
    return RedeemOutcome(None, int(row.quota), row.id)
