"""Account queries for the GraphQL admin: sign-in lookups, sessions, and user management.

Users come back as ``Account`` (a frozen dataclass). Soft-deleted users (``deleted_at``) are
invisible to every function here except the username check of ``create_user``.
"""

from __future__ import annotations

import secrets
import string
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F, Q

from newapi.errors import InvalidRequestError, NotFoundError
from newapi.store.db import guard_db
from newapi.store.models import User
from newapi.store.passwords import hash_password, verify_password

__all__ = [
    "ACCESS_TOKEN_LENGTH",
    "Account",
    "account_by_access_token",
    "account_by_id",
    "accounts_by_ids",
    "add_account_quota",
    "bump_auth_version",
    "check_login",
    "list_accounts",
    "new_access_token",
    "set_password",
    "soft_delete_account",
    "update_account",
]

ACCESS_TOKEN_LENGTH = 32  # One API's users.access_token
_ALNUM = string.ascii_letters + string.digits


@dataclass(frozen=True, slots=True)
class Account:
    """A user as the admin API sees it (no password hash, no access token)."""

    id: int
    username: str
    display_name: str
    email: str
    role: int
    status: int
    group: str
    quota: int
    used_quota: int
    request_count: int
    remark: str
    created_at: int
    last_login_at: int
    auth_version: int
    has_access_token: bool


def _account(user: User) -> Account:
    return Account(
        id=user.id,
        username=user.username,
        display_name=user.display_name or "",
        email=user.email or "",
        role=int(user.role or 0),
        status=int(user.status or 0),
        group=user.group or "default",
        quota=int(user.quota or 0),
        used_quota=int(user.used_quota or 0),
        request_count=int(user.request_count or 0),
        remark=user.remark or "",
        created_at=int(user.created_at or 0),
        last_login_at=int(user.last_login_at or 0),
        auth_version=int(user.auth_version or 1),
        has_access_token=bool((user.access_token or "").strip()),
    )


def _live() -> Q:
    return Q(deleted_at__isnull=True)


@guard_db
async def account_by_id(user_id: int) -> Account | None:
    """The live user ``user_id`` (None when missing or deleted)."""
    user = await User.filter(_live(), id=user_id).first()
    return None if user is None else _account(user)


@guard_db
async def accounts_by_ids(ids: list[int]) -> dict[int, Account]:
    """Live users by id, in one query (for DataLoaders)."""
    users = await User.filter(_live(), id__in=sorted(set(ids)))
    return {user.id: _account(user) for user in users}


@guard_db
async def account_by_access_token(token: str) -> Account | None:
    """The live user whose personal access token is ``token``."""
    if len(token) != ACCESS_TOKEN_LENGTH:
        return None
    user = await User.filter(_live(), access_token=token).first()
    return None if user is None else _account(user)


@guard_db
async def check_login(login: str, password: str, *, now: int | None = None) -> Account | None:
    """The user called ``login`` (username, or email) when ``password`` is theirs.

    A successful check records ``last_login_at``. Returns None for an unknown login or a wrong
    password (the caller must not say which).
    """
    login = login.strip()
    if not login or not password:
        return None
    user = await User.filter(_live(), username=login).first()
    if user is None and "@" in login:
        user = await User.filter(_live(), email=login).first()
    if user is None or not verify_password(password, user.password or ""):
        return None
    stamp = int(time.time()) if now is None else now
    await User.filter(id=user.id).update(last_login_at=stamp)
    user.last_login_at = stamp
    return _account(user)


@guard_db
async def list_accounts(
    search: str,
    offset: int,
    limit: int,
    *,
    role: int | None = None,
    status: int | None = None,
    group: str | None = None,
) -> tuple[list[Account], int]:
    """A page of live users, newest first; ``search`` matches the id or username/email/name,
    and ``role``, ``status`` and ``group`` must match exactly when given."""
    query = User.filter(_live())
    exact = {"role": role, "status": status, "group": group}
    query = query.filter(**{name: value for name, value in exact.items() if value is not None})
    search = search.strip()
    if search:
        match = (
            Q(username__icontains=search)
            | Q(email__icontains=search)
            | Q(display_name__icontains=search)
        )
        if search.isdigit():
            match |= Q(id=int(search))
        query = query.filter(match)
    total = await query.count()
    users = await query.order_by("-id").offset(offset).limit(limit)
    return [_account(user) for user in users], total


@guard_db
async def update_account(user_id: int, **changes: object) -> Account:
    """Set ``changes`` (username, group, quota, role, status, display_name, remark) on a live
    user; a username must not be taken.

    A group, role or status change bumps ``auth_version`` (sessions signed before it stop
    working), as New API does.
    """
    user = await User.filter(_live(), id=user_id).first()
    if user is None:
        raise NotFoundError(f"user {user_id} does not exist", code="user_not_found")
    allowed = {"username", "group", "quota", "role", "status", "display_name", "remark"}
    unknown = set(changes) - allowed
    if unknown:
        raise InvalidRequestError(f"cannot change {sorted(unknown)}", param=min(unknown))
    name = changes.get("username")
    taken = InvalidRequestError(f"a user named {name!r} already exists", param="username")
    # soft-deleted users keep their name, as in create_user
    if name not in (None, user.username) and await User.filter(username=name).exists():
        raise taken
    if any(
        name in changes and changes[name] != getattr(user, name)
        for name in ("group", "role", "status")
    ):
        changes["auth_version"] = int(user.auth_version or 1) + 1
    if changes:
        try:
            await User.filter(id=user_id).update(**changes)
        except IntegrityError:
            raise taken from None
    refreshed = await User.get(id=user_id)
    return _account(refreshed)


@guard_db
async def add_account_quota(user_id: int, delta: int) -> Account | None:
    """Add ``delta`` (negative subtracts) to a live user's quota in one statement.

    Returns None, changing nothing, when the quota would fall below zero.
    """
    query = User.filter(_live(), id=user_id)
    if delta < 0:
        query = query.filter(quota__gte=-delta)
    if not await query.update(quota=F("quota") + delta):
        if not await User.filter(_live(), id=user_id).exists():
            raise NotFoundError(f"user {user_id} does not exist", code="user_not_found")
        return None
    return _account(await User.get(id=user_id))


@guard_db
async def soft_delete_account(user_id: int) -> None:
    """Mark the user deleted (New API's ``deleted_at``) and revoke its sessions."""
    await User.filter(_live(), id=user_id).update(
        deleted_at=datetime.now(UTC), auth_version=F("auth_version") + 1, access_token=None
    )


@guard_db
async def set_password(user_id: int, old: str | None, new: str) -> bool:
    """Replace the password (checking ``old`` unless None); bump ``auth_version``.

    Returns False when ``old`` is wrong.
    """
    user = await User.filter(_live(), id=user_id).first()
    if user is None:
        raise NotFoundError(f"user {user_id} does not exist", code="user_not_found")
    if old is not None and not verify_password(old, user.password or ""):
        return False
    await User.filter(id=user_id).update(
        password=hash_password(new), auth_version=int(user.auth_version or 1) + 1
    )
    return True


@guard_db
async def bump_auth_version(user_id: int) -> int:
    """Invalidate every session of the user; return the new version."""
    await User.filter(id=user_id).update(auth_version=F("auth_version") + 1)
    user = await User.get(id=user_id)
    return int(user.auth_version)


@guard_db
async def new_access_token(user_id: int) -> str:
    """Give the user a fresh 32-character personal access token and return it."""
    for _ in range(3):
        token = "".join(secrets.choice(_ALNUM) for _ in range(ACCESS_TOKEN_LENGTH))
        if not await User.filter(access_token=token).exists():
            await User.filter(_live(), id=user_id).update(access_token=token)
            return token
    raise InvalidRequestError("could not create a unique access token")
