"""Usage logs: your own rows (``logs``), or every user's with user and channel (``allLogs``).

Both filter by time range (``start <= created_at < end``, Unix seconds), type (0 or null:
every type), model, token name, group and request id, and return the sums of quota and tokens
over every matching row. Names match exactly.
"""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from newapi.admin.access import IsAdmin, IsAuthenticated
from newapi.admin.logs.types import AdminLogEntry, AdminLogPage, LogEntry, LogPage
from newapi.admin.results import BigInt, page_window
from newapi.store.queries.admin_logs import LogFilter, list_logs

__all__ = ["LogQuery"]


def _int(value: BigInt | None) -> int | None:
    return None if value is None else int(value)


async def _page(
    page_type: Any, entry_type: Any, where: LogFilter, page: int, size: int, offset: int, limit: int
) -> Any:
    """One page of matching rows, with the sums over every matching row."""
    rows, sums = await list_logs(where, offset, limit)
    return page_type(
        items=[entry_type.of(row) for row in rows],
        total=sums.count,
        page=page,
        page_size=size,
        quota=BigInt(sums.quota),
        prompt_tokens=BigInt(sums.prompt_tokens),
        completion_tokens=BigInt(sums.completion_tokens),
    )


@strawberry.type
class LogQuery:
    @strawberry.field(permission_classes=[IsAuthenticated], description="Your own log rows.")
    async def logs(
        self,
        info: Info[Any, Any],
        start: BigInt | None = None,
        end: BigInt | None = None,
        type: int | None = None,
        model_name: str = "",
        token_name: str = "",
        group: str = "",
        request_id: str = "",
        page: int = 1,
        page_size: int = 20,
    ) -> LogPage:
        page, size, offset, limit = page_window(page, page_size)
        where = LogFilter(
            start=_int(start),
            end=_int(end),
            type=type or 0,
            user_id=info.context.user.id,
            model_name=model_name,
            token_name=token_name,
            group=group,
            request_id=request_id,
        )
        return await _page(LogPage, LogEntry, where, page, size, offset, limit)

    @strawberry.field(
        permission_classes=[IsAdmin],
        description="Every user's log rows; also by user id, username and channel id.",
    )
    async def all_logs(
        self,
        info: Info[Any, Any],
        start: BigInt | None = None,
        end: BigInt | None = None,
        type: int | None = None,
        user_id: int | None = None,
        username: str = "",
        model_name: str = "",
        token_name: str = "",
        channel: int | None = None,
        group: str = "",
        request_id: str = "",
        page: int = 1,
        page_size: int = 20,
    ) -> AdminLogPage:
        page, size, offset, limit = page_window(page, page_size)
        where = LogFilter(
            start=_int(start),
            end=_int(end),
            type=type or 0,
            user_id=user_id,
            username=username,
            model_name=model_name,
            token_name=token_name,
            channel_id=channel,
            group=group,
            request_id=request_id,
        )
        return await _page(AdminLogPage, AdminLogEntry, where, page, size, offset, limit)
