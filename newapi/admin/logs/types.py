"""Usage log rows and their sums."""

from __future__ import annotations

import strawberry

from newapi.admin.results import BigInt
from newapi.store.queries.admin_logs import LogRecord

__all__ = ["LogEntry", "LogPage"]


@strawberry.type
class LogEntry:
    id: int
    created_at: BigInt
    type: int
    model_name: str
    token_name: str
    quota: BigInt
    prompt_tokens: int
    completion_tokens: int
    use_time: int
    is_stream: bool
    group: str
    request_id: str

    @classmethod
    def of(cls, row: LogRecord) -> LogEntry:
        return cls(
            id=row.id,
            created_at=BigInt(row.created_at),
            type=row.type,
            model_name=row.model_name,
            token_name=row.token_name,
            quota=BigInt(row.quota),
            prompt_tokens=row.prompt_tokens,
            completion_tokens=row.completion_tokens,
            use_time=row.use_time,
            is_stream=row.is_stream,
            group=row.group,
            request_id=row.request_id,
        )


@strawberry.type
class LogPage:
    items: list[LogEntry]
    total: int
    page: int
    page_size: int
    quota: BigInt = strawberry.field(description="Sum over the whole range, not just the page.")
    prompt_tokens: BigInt
    completion_tokens: BigInt
