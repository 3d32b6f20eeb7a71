"""API key queries for the GraphQL admin, always scoped to the owning user.

Every function takes the owner's ``user_id``: a token of another user is "not found", so the
admin API cannot be used to probe other users' keys. Keys are stored without ``sk-``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime

from tortoise.exceptions import IntegrityError

from newapi.errors import NotFoundError, StoreError
from newapi.store.db import guard_db
from newapi.store.models import Log, Token
from newapi.store.queries.tokens import KEY_PREFIX, new_token_key

__all__ = [
    "LOG_MANAGE",
    "TokenRecord",
    "count_tokens",
    "delete_token",
    "insert_token",
    "list_tokens",
    "reveal_token_key",
    "token_by_id",
    "token_name_taken",
    "update_token",
]

LOG_MANAGE = 3  # One API's log type "manage"


@dataclass(frozen=True, slots=True)
class TokenRecord:
    """A token with its full key (callers mask it before it leaves the server)."""

    id: int
    user_id: int
    key: str  # with sk-
    name: str
    status: int
    created_time: int
    accessed_time: int
    expired_time: int
    remain_quota: int
    unlimited_quota: bool
    used_quota: int
    model_limits: tuple[str, ...] | None
    allow_ips: tuple[str, ...]
    group: str


def _split(text: str | None, sep: str = ",") -> tuple[str, ...]:
    return tuple(part.strip() for part in (text or "").split(sep) if part.strip())


def _record(token: Token) -> TokenRecord:
    return TokenRecord(
        id=token.id,
        user_id=token.user_id,
        key=KEY_PREFIX + token.key,
        name=token.name or "",
        status=int(token.status or 0),
        created_time=int(token.created_time or 0),
        accessed_time=int(token.accessed_time or 0),
        expired_time=int(token.expired_time if token.expired_time is not None else -1),
        remain_quota=int(token.remain_quota or 0),
        unlimited_quota=bool(token.unlimited_quota),
        used_quota=int(token.used_quota or 0),
        model_limits=_split(token.model_limits) if token.model_limits_enabled else None,
        allow_ips=_split((token.allow_ips or "").replace("\n", ",")),
        group=token.group or "",
    )


@guard_db
async def list_tokens(
    user_id: int, search: str, offset: int, limit: int
) -> tuple[list[TokenRecord], int]:
    """A page of the user's live tokens, newest first; ``search`` matches a part of the name,
    or is a whole key (``sk-...``, New API's token search)."""
    query = Token.filter(user_id=user_id, deleted_at__isnull=True)
    search = search.strip()
    if search.startswith(KEY_PREFIX) and len(search) > len(KEY_PREFIX):
        query = query.filter(key=search[len(KEY_PREFIX) :])
    elif search:
        query = query.filter(name__icontains=search)
    total = await query.count()
    rows = await query.order_by("-id").offset(offset).limit(limit)
    return [_record(row) for row in rows], total


@guard_db
async def count_tokens(user_id: int) -> int:
    return await Token.filter(user_id=user_id, deleted_at__isnull=True).count()


@guard_db
async def token_name_taken(user_id: int, name: str, *, except_id: int | None = None) -> bool:
    query = Token.filter(user_id=user_id, deleted_at__isnull=True, name=name)
    if except_id is not None:
        query = query.exclude(id=except_id)
    return await query.exists()


@guard_db
async def token_by_id(user_id: int, token_id: int) -> TokenRecord | None:
    """The user's live token ``token_id`` (None when missing or someone else's)."""
    row = await Token.filter(id=token_id, user_id=user_id, deleted_at__isnull=True).first()
    return None if row is None else _record(row)


@guard_db
async def insert_token(
    user_id: int,
    name: str,
    *,
    remain_quota: int,
    unlimited_quota: bool,
    expired_time: int,
    model_limits: list[str] | None,
    allow_ips: list[str],
    group: str,
    now: int | None = None,
) -> TokenRecord:
    """Create an enabled token (the caller has validated the values)."""
    stamp = int(time.time()) if now is None else now
    for _ in range(3):
        try:
            row = await Token.create(
                user_id=user_id,
                key=new_token_key(),
                status=1,
                name=name,
                created_time=stamp,
                accessed_time=stamp,
                expired_time=expired_time,
                remain_quota=remain_quota,
                unlimited_quota=unlimited_quota,
                used_quota=0,
                model_limits_enabled=model_limits is not None,
                model_limits=",".join(model_limits or []),
                allow_ips="\n".join(allow_ips),
                group=group,
            )
        except IntegrityError:
            continue
        return _record(row)
    raise StoreError("could not create a unique token key", detail="3 key collisions in a row")


@guard_db
async def update_token(user_id: int, token_id: int, **changes: object) -> TokenRecord:
    """Apply validated ``changes`` (model field names) to the user's token."""
    query = Token.filter(id=token_id, user_id=user_id, deleted_at__isnull=True)
    if not await query.exists():
        raise NotFoundError(f"token {token_id} does not exist", code="token_not_found")
    if "model_limits" in changes:
        limits = changes.pop("model_limits")
        changes["model_limits_enabled"] = limits is not None
        changes["model_limits"] = ",".join(limits or [])  # type: ignore[call-overload]
    if "allow_ips" in changes:
        changes["allow_ips"] = "\n".join(changes["allow_ips"])  # type: ignore[arg-type]
    if changes:
        await query.update(**changes)
    row = await Token.get(id=token_id)
    return _record(row)


@guard_db
async def delete_token(user_id: int, token_id: int) -> bool:
    """Soft-delete the user's token; False when there is no such token."""
    count = await Token.filter(id=token_id, user_id=user_id, deleted_at__isnull=True).update(
        deleted_at=datetime.now(UTC)
    )
    return bool(count)


@guard_db
async def reveal_token_key(
    user_id: int, username: str, token_id: int, *, ip: str = "", now: int | None = None
) -> str | None:
    """The full key of the user's token, recording a "manage" log row; None when missing."""
    row = await Token.filter(id=token_id, user_id=user_id, deleted_at__isnull=True).first()
    if row is None:
        return None
    await Log.create(
        user_id=user_id,
        created_at=int(time.time()) if now is None else now,
        type=LOG_MANAGE,
        content=f"revealed the key of token {row.name!r} (id {row.id})",
        username=username,
        token_name=row.name or "",
        token_id=row.id,
        ip=ip,
    )
    return KEY_PREFIX + row.key
