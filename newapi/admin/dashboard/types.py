"""Dashboard numbers: usage per hour and per model, totals, and the last minute's rates."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import strawberry

from newapi.admin.results import BigInt
from newapi.store.queries.admin_dashboard import UsagePoint, usage_by_user

K = TypeVar("K", int, str)

__all__ = [
    "Dashboard",
    "HourUsage",
    "ModelUsage",
    "UsageSeriesPoint",
    "UserUsage",
    "build_dashboard",
]


@strawberry.type
class UsageSeriesPoint:
    """One model in one hour."""

    hour: BigInt = strawberry.field(description="Start of the hour, Unix seconds.")
    model_name: str
    count: int
    quota: BigInt
    token_used: BigInt


@strawberry.type
class HourUsage:
    hour: BigInt = strawberry.field(description="Start of the hour, Unix seconds.")
    count: int
    quota: BigInt
    token_used: BigInt


@strawberry.type
class ModelUsage:
    model_name: str
    count: int
    quota: BigInt
    token_used: BigInt


@strawberry.type
class UserUsage:
    user_id: int
    username: str
    count: int
    quota: BigInt
    token_used: BigInt


@strawberry.type
class Dashboard:
    start: BigInt
    end: BigInt
    series: list[UsageSeriesPoint] = strawberry.field(description="Per (hour, model).")
    by_hour: list[HourUsage]
    by_model: list[ModelUsage] = strawberry.field(description="Largest quota first.")
    count: int = strawberry.field(description="Requests billed in the range.")
    quota: BigInt
    token_used: BigInt = strawberry.field(description="Prompt plus completion tokens.")
    rpm: int = strawberry.field(description="Requests billed in the last 60 seconds.")
    tpm: BigInt = strawberry.field(description="Tokens of the requests of the last 60 seconds.")
    user_id: strawberry.Private[int | None]

    @strawberry.field(description="Per user, largest quota first (one more query).")
    async def by_user(self) -> list[UserUsage]:
        rows = await usage_by_user(self.user_id, int(self.start), int(self.end))
        return [
            UserUsage(
                user_id=row.user_id,
                username=row.username,
                count=row.count,
                quota=BigInt(row.quota),
                token_used=BigInt(row.token_used),
            )
            for row in rows
        ]


def _fold(points: list[UsagePoint], key: Callable[[UsagePoint], K]) -> dict[K, list[int]]:
    """``[count, quota, token_used]`` summed per ``key(point)``."""
    sums: dict[K, list[int]] = {}
    for point in points:
        total = sums.setdefault(key(point), [0, 0, 0])
        total[0] += point.count
        total[1] += point.quota
        total[2] += point.token_used
    return sums


def build_dashboard(
    user_id: int | None, start: int, end: int, points: list[UsagePoint], rate: tuple[int, int]
) -> Dashboard:
    """The per-hour and per-model sums and the totals, folded from the (hour, model) points."""
    hours = _fold(points, lambda p: p.hour)
    models = _fold(points, lambda p: p.model_name)
    ordered_models = sorted(models.items(), key=lambda item: (-item[1][1], item[0]))
    return Dashboard(
        start=BigInt(start),
        end=BigInt(end),
        series=[
            UsageSeriesPoint(
                hour=BigInt(p.hour),
                model_name=p.model_name,
                count=p.count,
                quota=BigInt(p.quota),
                token_used=BigInt(p.token_used),
            )
            for p in points
        ],
        by_hour=[
            HourUsage(hour=BigInt(h), count=c, quota=BigInt(q), token_used=BigInt(t))
            for h, (c, q, t) in sorted(hours.items())
        ],
        by_model=[
            ModelUsage(model_name=m, count=c, quota=BigInt(q), token_used=BigInt(t))
            for m, (c, q, t) in ordered_models
        ],
        count=sum(p.count for p in points),
        quota=BigInt(sum(p.quota for p in points)),
        token_used=BigInt(sum(p.token_used for p in points)),
        rpm=rate[0],
        tpm=BigInt(rate[1]),
        user_id=user_id,
    )
