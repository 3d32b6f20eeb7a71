"""The data dashboard: your own usage, or (admins) every user's or one user's.

Usage comes from ``quota_data`` (hour buckets written with each ledger batch); RPM and TPM
count the consume log rows of the last 60 seconds.
"""

from __future__ import annotations

import time
from typing import Any

import strawberry
from strawberry.types import Info

from newapi.admin.access import IsAdmin, IsAuthenticated
from newapi.admin.dashboard.types import Dashboard, build_dashboard
from newapi.admin.results import BigInt
from newapi.errors import InvalidRequestError
from newapi.store.queries.admin_dashboard import last_minute_rate, usage_points

__all__ = ["DashboardQuery"]

DAY = 86400
SELF_MAX_RANGE = 30 * DAY  # New API's limit on /api/data/self


def _range(
    start: BigInt | None, end: BigInt | None, now: int, limit: int | None
) -> tuple[int, int]:
    stop = now if end is None else int(end)
    begin = stop - DAY if start is None else int(start)
    if begin >= stop:
        raise InvalidRequestError("start must be before end", param="start")
    if limit is not None and stop - begin > limit:
        raise InvalidRequestError(f"the range can span at most {limit // DAY} days", param="start")
    return begin, stop


async def _dashboard(user_id: int | None, begin: int, stop: int, now: int) -> Dashboard:
    points = await usage_points(user_id, begin, stop)
    rate = await last_minute_rate(user_id, now)
    return build_dashboard(user_id, begin, stop, points, rate)


@strawberry.type
class DashboardQuery:
    @strawberry.field(
        permission_classes=[IsAuthenticated],
        description="Your usage in [start, end) (Unix seconds; default the last 24 hours, "
        "at most 30 days).",
    )
    async def dashboard(
        self, info: Info[Any, Any], start: BigInt | None = None, end: BigInt | None = None
    ) -> Dashboard:
        now = int(time.time())
        begin, stop = _range(start, end, now, SELF_MAX_RANGE)
        return await _dashboard(info.context.user.id, begin, stop, now)

    @strawberry.field(
        permission_classes=[IsAdmin],
        description="Every user's usage in [start, end), or one user's with userId.",
    )
    async def all_dashboard(
        self,
        info: Info[Any, Any],
        start: BigInt | None = None,
        end: BigInt | None = None,
        user_id: int | None = None,
    ) -> Dashboard:
        now = int(time.time())
        begin, stop = _range(start, end, now, None)
        return await _dashboard(user_id, begin, stop, now)
