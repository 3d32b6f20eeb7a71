"""Usage log rows and their sums; admins also see the user and the channel of each row."""

from __future__ import annotations

from typing import Any

import orjson
import strawberry
from strawberry.types import Info

from newapi.admin.results import BigInt
from newapi.store.queries.admin_logs import LogRecord

__all__ = ["AdminLogEntry", "AdminLogPage", "LogEntry", "LogPage"]

_ADMIN_ONLY = ("admin_info", "audit_info")  # keys of logs.other that only admins see


def _user_other(text: str) -> str | None:
    """``logs.other`` without the admin-only keys; None when it is empty or not a JSON object."""
    if not text:
        return None
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(value, dict):
        return None
    return orjson.dumps({k: v for k, v in value.items() if k not in _ADMIN_ONLY}).decode()


@strawberry.type
class LogEntry:
    id: int
    created_at: BigInt
    type: int = strawberry.field(
        description="1 top-up, 2 consume, 3 manage, 4 system, 5 error, 6 refund, 7 login."
    )
    content: str
    model_name: str
    token_name: str
    quota: BigInt
    prompt_tokens: int
    completion_tokens: int
    use_time: int
    is_stream: bool
    group: str
    request_id: str
    other: str | None = strawberry.field(
        description="JSON object: prices and ratios applied, timings (logs.other)."
    )

    @classmethod
    def fields_of(cls, row: LogRecord) -> dict[str, Any]:
        return {
            "id": row.id,
            "created_at": BigInt(row.created_at),
            "type": row.type,
            "content": row.content,
            "model_name": row.model_name,
            "token_name": row.token_name,
            "quota": BigInt(row.quota),
            "prompt_tokens": row.prompt_tokens,
            "completion_tokens": row.completion_tokens,
            "use_time": row.use_time,
            "is_stream": row.is_stream,
            "group": row.group,
            "request_id": row.request_id,
            "other": _user_other(row.other),
        }

    @classmethod
    def of(cls, row: LogRecord) -> LogEntry:
        return cls(**cls.fields_of(row))


@strawberry.type
class AdminLogEntry(LogEntry):
    user_id: int
    username: str
    channel: int = strawberry.field(description="The channel id (logs.channel_id).")

    @strawberry.field(description="Null when the channel no longer exists.")
    async def channel_name(self, info: Info[Any, Any]) -> str | None:
        if not self.channel:
            return None
        loaded = info.context.relay.table.by_id.get(self.channel)
        if loaded is not None:
            return str(loaded.name)
        return await info.context.loaders.channel_name_by_id.load(self.channel)

    @classmethod
    def of(cls, row: LogRecord) -> AdminLogEntry:
        fields = {**cls.fields_of(row), "other": row.other or None}  # admins see every key
        return cls(**fields, user_id=row.user_id, username=row.username, channel=row.channel_id)


@strawberry.type
class LogPage:
    items: list[LogEntry]
    total: int
    page: int
    page_size: int
    quota: BigInt = strawberry.field(description="Sum over every matching row, not the page.")
    prompt_tokens: BigInt
    completion_tokens: BigInt


@strawberry.type
class AdminLogPage:
    items: list[AdminLogEntry]
    total: int
    page: int
    page_size: int
    quota: BigInt = strawberry.field(description="Sum over every matching row, not the page.")
    prompt_tokens: BigInt
    completion_tokens: BigInt
