"""Usage log queries for the GraphQL admin: filtered pages of ``logs`` rows and their sums."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.functions import Count, Sum
from tortoise.queryset import QuerySet

from newapi.store.db import guard_db
from newapi.store.models import Channel, Log

__all__ = [
    "LOG_CONSUME",
    "LogFilter",
    "LogRecord",
    "LogSums",
    "channel_names_by_ids",
    "list_logs",
]

LOG_CONSUME = 2


@dataclass(frozen=True, slots=True)
class LogFilter:
    """Which rows: empty strings and None match everything; ``type`` 0 is every type."""

    start: int | None = None
    end: int | None = None
    type: int = 0
    user_id: int | None = None
    username: str = ""
    model_name: str = ""
    token_name: str = ""
    channel_id: int | None = None
    group: str = ""
    request_id: str = ""


@dataclass(frozen=True, slots=True)
class LogRecord:
    id: int
    user_id: int
    username: str
    created_at: int
    type: int
    content: str
    model_name: str
    token_name: str
    quota: int
    prompt_tokens: int
    completion_tokens: int
    use_time: int
    is_stream: bool
    group: str
    request_id: str
    channel_id: int
    other: str


@dataclass(frozen=True, slots=True)
class LogSums:
    count: int
    quota: int
    prompt_tokens: int
    completion_tokens: int


def _filtered(where: LogFilter) -> QuerySet[Log]:
    query = Log.all()
    if where.start is not None:
        query = query.filter(created_at__gte=where.start)
    if where.end is not None:
        query = query.filter(created_at__lt=where.end)
    if where.type:
        query = query.filter(type=where.type)
    if where.user_id is not None:
        query = query.filter(user_id=where.user_id)
    if where.channel_id is not None:
        query = query.filter(channel_id=where.channel_id)
    for column in ("username", "model_name", "token_name", "group", "request_id"):
        value = getattr(where, column).strip()
        if value:
            query = query.filter(**{column: value})
    return query


def _record(row: Log) -> LogRecord:
    return LogRecord(
        id=row.id,
        user_id=int(row.user_id or 0),
        username=row.username or "",
        created_at=int(row.created_at or 0),
        type=int(row.type or 0),
        content=row.content or "",
        model_name=row.model_name or "",
        token_name=row.token_name or "",
        quota=int(row.quota or 0),
        prompt_tokens=int(row.prompt_tokens or 0),
        completion_tokens=int(row.completion_tokens or 0),
        use_time=int(row.use_time or 0),
        is_stream=bool(row.is_stream),
        group=row.group or "",
        request_id=row.request_id or "",
        channel_id=int(row.channel_id or 0),
        other=row.other or "",
    )


@guard_db
async def list_logs(where: LogFilter, offset: int, limit: int) -> tuple[list[LogRecord], LogSums]:
    """A page of the matching rows, newest first, and the sums over every matching row."""
    query = _filtered(where)
    sums = (
        await query.annotate(
            n=Count("id"),
            q=Sum("quota"),
            p=Sum("prompt_tokens"),
            c=Sum("completion_tokens"),
        )
        .first()
        .values("n", "q", "p", "c")
    ) or {}
    rows = await query.order_by("-id").offset(offset).limit(limit)
    totals = LogSums(
        int(sums.get("n") or 0),
        int(sums.get("q") or 0),
        int(sums.get("p") or 0),
        int(sums.get("c") or 0),
    )
    return [_record(row) for row in rows], totals


@guard_db
async def channel_names_by_ids(ids: list[int]) -> dict[int, str]:
    """Names of database channels (deleted ones included: logs outlive channels)."""
    if not ids:
        return {}
    rows = await Channel.filter(id__in=ids).values("id", "name")
    return {int(row["id"]): row["name"] or "" for row in rows}
