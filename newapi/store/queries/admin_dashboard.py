"""Dashboard numbers: New API's ``quota_data`` aggregate (written with each ledger batch) and
the request and token rates of the last minute (read from ``logs``).

``quota_data`` holds one row per (user, model, hour, group, token, channel) with the number of
consume rows, their quota and their prompt + completion tokens. Rows are only ever incremented
or inserted, and every reader sums them, so two nodes inserting the same key at once only
split a sum over two rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from tortoise.expressions import F, Q
from tortoise.functions import Count, Sum

from newapi.store.db import guard_db
from newapi.store.models import Log, QuotaData

__all__ = [
    "HOUR",
    "UsagePoint",
    "UserUsage",
    "add_quota_data",
    "last_minute_rate",
    "usage_by_user",
    "usage_points",
]

HOUR = 3600
LOG_CONSUME = 2
_SHORT = 64  # quota_data.username and model_name are varchar(64)

_Key = tuple[int, str, str, int, str, int, int]


@dataclass(frozen=True, slots=True)
class UsagePoint:
    """Sums for one model in one hour."""

    hour: int
    model_name: str
    count: int
    quota: int
    token_used: int


@dataclass(frozen=True, slots=True)
class UserUsage:
    """Sums for one user over a range."""

    user_id: int
    username: str
    count: int
    quota: int
    token_used: int


def _groups(rows: Iterable[dict[str, Any]]) -> dict[_Key, list[int]]:
    """Consume rows folded by quota_data key into ``[count, quota, token_used]``."""
    groups: dict[_Key, list[int]] = {}
    for row in rows:
        if row.get("type") != LOG_CONSUME:
            continue
        created = int(row.get("created_at") or 0)
        key = (
            int(row.get("user_id") or 0),
            str(row.get("username") or "")[:_SHORT],
            str(row.get("model_name") or "")[:_SHORT],
            created - created % HOUR,
            str(row.get("group") or "")[:_SHORT],
            int(row.get("token_id") or 0),
            int(row.get("channel_id") or 0),
        )
        sums = groups.setdefault(key, [0, 0, 0])
        sums[0] += 1
        sums[1] += int(row.get("quota") or 0)
        sums[2] += int(row.get("prompt_tokens") or 0) + int(row.get("completion_tokens") or 0)
    return groups


async def add_quota_data(rows: Iterable[dict[str, Any]]) -> None:
    """Add a batch's consume log rows to ``quota_data``: one update per key, one bulk insert.

    Runs inside the caller's transaction (the ledger batch), so the aggregate and the log rows
    are written together or not at all.
    """
    missing = []
    for key, (count, quota, tokens) in _groups(rows).items():
        user_id, username, model, hour, group, token_id, channel_id = key
        updated = await QuotaData.filter(
            user_id=user_id,
            username=username,
            model_name=model,
            created_at=hour,
            use_group=group,
            token_id=token_id,
            channel_id=channel_id,
        ).update(
            count=F("count") + count,
            quota=F("quota") + quota,
            token_used=F("token_used") + tokens,
        )
        if not updated:
            missing.append(
                QuotaData(
                    user_id=user_id,
                    username=username,
                    model_name=model,
                    created_at=hour,
                    use_group=group,
                    token_id=token_id,
                    channel_id=channel_id,
                    count=count,
                    quota=quota,
                    token_used=tokens,
                )
            )
    if missing:
        await QuotaData.bulk_create(missing)


def _summed(user_id: int | None, start: int, end: int) -> Any:
    """``quota_data`` rows of the hours that overlap ``[start, end)`` (one user's, or all),
    with their sums as ``n`` (requests), ``q`` (quota) and ``t`` (tokens)."""
    query = QuotaData.filter(created_at__gte=start - start % HOUR, created_at__lt=end)
    if user_id is not None:
        query = query.filter(user_id=user_id)
    return query.annotate(n=Sum("count"), q=Sum("quota"), t=Sum("token_used"))


@guard_db
async def usage_points(user_id: int | None, start: int, end: int) -> list[UsagePoint]:
    """Sums per (hour, model) for the hours that overlap ``[start, end)``; all users if None."""
    rows = (
        await _summed(user_id, start, end)
        .group_by("created_at", "model_name")
        .order_by("created_at", "model_name")
        .values("created_at", "model_name", "n", "q", "t")
    )
    return [
        UsagePoint(
            hour=int(row["created_at"]),
            model_name=row["model_name"] or "",
            count=int(row["n"] or 0),
            quota=int(row["q"] or 0),
            token_used=int(row["t"] or 0),
        )
        for row in rows
    ]


@guard_db
async def usage_by_user(user_id: int | None, start: int, end: int) -> list[UserUsage]:
    """Sums per user for the hours that overlap ``[start, end)``, largest quota first."""
    rows = (
        await _summed(user_id, start, end)
        .group_by("user_id", "username")
        .values("user_id", "username", "n", "q", "t")
    )
    found = [
        UserUsage(
            user_id=int(row["user_id"]),
            username=row["username"] or "",
            count=int(row["n"] or 0),
            quota=int(row["q"] or 0),
            token_used=int(row["t"] or 0),
        )
        for row in rows
    ]
    return sorted(found, key=lambda u: (-u.quota, u.user_id))


@guard_db
async def last_minute_rate(user_id: int | None, now: int) -> tuple[int, int]:
    """``(requests, tokens)`` of the consume rows of the last 60 seconds (RPM and TPM)."""
    query = Log.filter(Q(type=LOG_CONSUME), created_at__gt=now - 60, created_at__lte=now)
    if user_id is not None:
        query = query.filter(user_id=user_id)
    sums = (
        await query.annotate(n=Count("id"), p=Sum("prompt_tokens"), c=Sum("completion_tokens"))
        .first()
        .values("n", "p", "c")
    )
    sums = sums or {}
    return int(sums.get("n") or 0), int(sums.get("p") or 0) + int(sums.get("c") or 0)
