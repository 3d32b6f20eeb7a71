"""User queries the CLI and the server need: create, look up, and the first-start root user.

Users come back as ``UserRecord`` (a frozen dataclass), never as ORM objects. Soft-deleted rows
(New API's ``deleted_at``) are invisible here but still hold their username.
"""

from __future__ import annotations

import logging
import secrets
import string
import time
from dataclasses import dataclass

from tortoise.exceptions import IntegrityError

from newapi import __version__
from newapi.errors import InvalidRequestError
from newapi.store.db import guard_db
from newapi.store.models import Setup, User
from newapi.store.models.users import ROLE_ADMIN, ROLE_COMMON, ROLE_GUEST, ROLE_ROOT
from newapi.store.passwords import hash_password

__all__ = [
    "ROOT_INITIAL_QUOTA",
    "ROOT_USERNAME",
    "UserRecord",
    "create_user",
    "ensure_root_user",
    "get_user_by_username",
    "root_user_exists",
]

log = logging.getLogger(__name__)

ROOT_USERNAME = "root"
ROOT_INITIAL_QUOTA = 100_000_000  # what New API's setup gives the root user
USERNAME_MAX = 20  # New API's limit
PASSWORD_MIN = 8
ROLES = frozenset({ROLE_GUEST, ROLE_COMMON, ROLE_ADMIN, ROLE_ROOT})
_ALNUM = string.ascii_letters + string.digits


@dataclass(frozen=True, slots=True)
class UserRecord:
    """A user as the rest of newapi sees it (no password hash)."""

    id: int
    username: str
    display_name: str
    role: int
    status: int
    group: str
    quota: int
    used_quota: int
    request_count: int
    email: str
    access_token: str | None
    aff_code: str | None


def _record(user: User) -> UserRecord:
    return UserRecord(
        id=user.id,
        username=user.username,
        display_name=user.display_name or "",
        role=int(user.role or 0),
        status=int(user.status or 0),
        group=user.group or "default",
        quota=int(user.quota or 0),
        used_quota=int(user.used_quota or 0),
        request_count=int(user.request_count or 0),
        email=user.email or "",
        access_token=(user.access_token or "").strip() or None,
        aff_code=user.aff_code,
    )


def _random_text(length: int) -> str:
    return "".join(secrets.choice(_ALNUM) for _ in range(length))


def _check_new_user(username: str, password: str, role: int, quota: int) -> None:
    if not username or username != username.strip():
        raise InvalidRequestError("the username must not be empty or padded", param="username")
    if len(username) > USERNAME_MAX:
        raise InvalidRequestError(
            f"the username must be at most {USERNAME_MAX} characters", param="username"
        )
    if len(password) < PASSWORD_MIN:
        raise InvalidRequestError(
            f"the password must be at least {PASSWORD_MIN} characters", param="password"
        )
    if role not in ROLES:
        raise InvalidRequestError(f"unknown role {role} (0, 1, 10 or 100)", param="role")
    if username == ROOT_USERNAME and role != ROLE_ROOT:
        # Kept for the first-start root user (ensure_root_user), as in One API.
        raise InvalidRequestError(
            f"the username {ROOT_USERNAME!r} is reserved for the root user", param="username"
        )
    if quota < 0:
        raise InvalidRequestError("the quota must be zero or more", param="quota")


async def _unused_aff_code() -> str:
    for _ in range(20):
        code = _random_text(4)
        if not await User.filter(aff_code=code).exists():
            return code
    return _random_text(8)


@guard_db
async def create_user(
    username: str,
    password: str,
    role: int = ROLE_COMMON,
    group: str = "default",
    quota: int = 0,
    *,
    email: str = "",
    now: int | None = None,
) -> UserRecord:
    """Create an enabled user with a bcrypt password (and an email, stored lower-case).

    Raises:
        InvalidRequestError: the name is taken (also by a soft-deleted user), is ``root``
            without the root role, or an argument is not acceptable.
    """
    _check_new_user(username, password, role, quota)
    if await User.filter(username=username).exists():
        raise InvalidRequestError(f"a user named {username!r} already exists", param="username")
    try:
        user = await User.create(
            username=username,
            password=hash_password(password),
            display_name=username,
            email=email.strip().lower(),
            role=role,
            status=1,
            group=group or "default",
            quota=quota,
            aff_code=await _unused_aff_code(),
            access_token=None,
            created_at=int(time.time()) if now is None else now,
        )
    except IntegrityError:
        raise InvalidRequestError(
            f"a user named {username!r} already exists", param="username"
        ) from None
    log.info("created user %r (id %d, role %d)", username, user.id, role)
    return _record(user)


@guard_db
async def get_user_by_username(username: str) -> UserRecord | None:
    """The user called ``username`` (None when there is none or it was deleted)."""
    user = await User.filter(username=username, deleted_at__isnull=True).first()
    return None if user is None else _record(user)


@guard_db
async def root_user_exists() -> bool:
    """Whether an undeleted user has the root role (100)."""
    return await User.filter(role=ROLE_ROOT, deleted_at__isnull=True).exists()


async def _ensure_setup_row(now: int) -> None:
    if not await Setup.exists():
        await Setup.create(version=__version__, initialized_at=now)


@guard_db
async def ensure_root_user(
    password: str | None, *, now: int | None = None
) -> tuple[bool, str, str | None]:
    """Create the ``root`` user on first start; keep an existing root (One API's, New API's).

    Args:
        password: the root password to set; None generates a random one (never ``123456``).

    Returns:
        ``(created, username, generated_password)``: ``generated_password`` is the random
        password when one was generated and the root user was created, otherwise None.

    Also writes New API's ``setups`` row when it is missing and a root user exists.
    """
    stamp = int(time.time()) if now is None else now
    existing = await User.filter(role=ROLE_ROOT, deleted_at__isnull=True).order_by("id").first()
    if existing is not None:
        await _ensure_setup_row(stamp)
        return False, existing.username, None
    secret = password if password is not None else _random_text(16)
    user = await create_user(
        ROOT_USERNAME, secret, role=ROLE_ROOT, quota=ROOT_INITIAL_QUOTA, now=stamp
    )
    await _ensure_setup_row(stamp)
    return True, user.username, None if password is not None else secret
