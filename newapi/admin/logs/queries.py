"""The caller's own consume log (type 2) over a time range, with sums."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from newapi.admin.access import IsAuthenticated
from newapi.admin.logs.types import LogEntry, LogPage
from newapi.admin.results import BigInt, page_window
from newapi.store.queries.admin_logs import list_own_logs

__all__ = ["LogQuery"]


@strawberry.type
class LogQuery:
    @strawberry.field(
        permission_classes=[IsAuthenticated],
        description="Your consume rows with start <= created_at < end (Unix seconds).",
    )
    async def logs(
        self,
        info: Info[Any, Any],
        start: BigInt | None = None,
        end: BigInt | None = None,
        page: int = 1,
        page_size: int = 20,
    ) -> LogPage:
        page, size, offset, limit = page_window(page, page_size)
        rows, sums = await list_own_logs(
            info.context.user.id,
            None if start is None else int(start),
            None if end is None else int(end),
            offset,
            limit,
        )
        return LogPage(
            items=[LogEntry.of(row) for row in rows],
            total=sums.count,
            page=page,
            page_size=size,
            quota=BigInt(sums.quota),
            prompt_tokens=BigInt(sums.prompt_tokens),
            completion_tokens=BigInt(sums.completion_tokens),
        )
