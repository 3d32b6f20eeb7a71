"""Usage log queries for the GraphQL admin: a user's own consume rows and their sums."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.functions import Count, Sum

from newapi.store.db import guard_db
from newapi.store.models import Log

__all__ = ["LOG_CONSUME", "LogRecord", "LogSums", "list_own_logs"]

LOG_CONSUME = 2


@dataclass(frozen=True, slots=True)
class LogRecord:
    id: int
    created_at: int
    type: int
    model_name: str
    token_name: str
    quota: int
    prompt_tokens: int
    completion_tokens: int
    use_time: int
    is_stream: bool
    group: str
    request_id: str


@dataclass(frozen=True, slots=True)
class LogSums:
    count: int
    quota: int
    prompt_tokens: int
    completion_tokens: int


@guard_db
async def list_own_logs(
    user_id: int, start: int | None, end: int | None, offset: int, limit: int
) -> tuple[list[LogRecord], LogSums]:
    """A page of the user's consume rows in ``[start, end)`` (Unix seconds), newest first."""
    query = Log.filter(user_id=user_id, type=LOG_CONSUME)
    if start is not None:
        query = query.filter(created_at__gte=start)
    if end is not None:
        query = query.filter(created_at__lt=end)
    sums = (
        await query.annotate(
            n=Count("id"),
            q=Sum("quota"),
            p=Sum("prompt_tokens"),
            c=Sum("completion_tokens"),
        )
        .first()
        .values("n", "q", "p", "c")
    )
    rows = await query.order_by("-id").offset(offset).limit(limit)
    records = [
        LogRecord(
            id=row.id,
            created_at=int(row.created_at or 0),
            type=int(row.type or 0),
            model_name=row.model_name or "",
            token_name=row.token_name or "",
            quota=int(row.quota or 0),
            prompt_tokens=int(row.prompt_tokens or 0),
            completion_tokens=int(row.completion_tokens or 0),
            use_time=int(row.use_time or 0),
            is_stream=bool(row.is_stream),
            group=row.group or "",
            request_id=row.request_id or "",
        )
        for row in rows
    ]
    totals = LogSums(
        int((sums or {}).get("n") or 0),
        int((sums or {}).get("q") or 0),
        int((sums or {}).get("p") or 0),
        int((sums or {}).get("c") or 0),
    )
    return records, totals
