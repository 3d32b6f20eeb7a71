"""Self-service account queries: account settings from ``options``, sign-up, reset, login logs.

Settings are read by New API's option keys (``RegisterEnabled``, ``QuotaForNewUser``,
``SMTPServer``, ...) through the settings registry (newapi/billing/settings.py), which holds
their defaults and validation. Emails are compared lower-case, as New API stores them.
"""

from __future__ import annotations

import time

import orjson
from tortoise.queryset import QuerySet

from newapi.billing.settings import ACCOUNT_KEYS, read_text
from newapi.store.db import guard_db
from newapi.store.models import Log, Option, User
from newapi.store.queries.admin_users import Account, account_by_id, set_password
from newapi.store.queries.users import create_user

__all__ = [
    "LOG_LOGIN",
    "LOG_SYSTEM",
    "account_id_by_email",
    "account_options",
    "email_in_use",
    "register_account",
    "reset_password_by_email",
    "username_taken",
    "write_login_log",
]

LOG_SYSTEM = 4  # New API's log type "system" (new-user quota)
LOG_LOGIN = 7  # New API's log type "login"


@guard_db
async def account_options() -> dict[str, str]:
    """The effective account settings by New API key (``billing.settings.ACCOUNT_KEYS``).

    Each value is the stored one when the registry accepts it, else the registry's default.
    """
    rows = await Option.filter(key__in=list(ACCOUNT_KEYS)).values_list("key", "value")
    stored = {str(key): "" if value is None else str(value) for key, value in rows}
    return {key: read_text(key, stored) for key in ACCOUNT_KEYS}


def _live_email(email: str) -> QuerySet[User]:
    return User.filter(email=email.strip().lower(), deleted_at__isnull=True)


@guard_db
async def email_in_use(email: str) -> bool:
    """Whether a live user has this email (compared lower-case)."""
    return bool(email.strip()) and await _live_email(email).exists()


@guard_db
async def username_taken(username: str) -> bool:
    """Whether any user, deleted ones included, has this username."""
    return await User.filter(username=username).exists()


@guard_db
async def account_id_by_email(email: str) -> int | None:
    """The id of the live user with this email, if there is one."""
    if not email.strip():
        return None
    user = await _live_email(email).order_by("id").first()
    return None if user is None else int(user.id)


@guard_db
async def register_account(
    username: str, password: str, email: str, quota: int, *, now: int | None = None
) -> Account:
    """Create a common user who signed up; log the new-user quota as New API does (type 4).

    Raises:
        InvalidRequestError: the username is taken or not acceptable.
    """
    stamp = int(time.time()) if now is None else now
    record = await create_user(username, password, quota=quota, email=email, now=stamp)
    if quota > 0:
        await Log.create(
            user_id=record.id,
            created_at=stamp,
            type=LOG_SYSTEM,
            content=f"new user quota {quota}",
            username=record.username,
            quota=quota,
        )
    account = await account_by_id(record.id)
    assert account is not None  # created just above
    return account


@guard_db
async def reset_password_by_email(email: str, new_password: str) -> bool:
    """Set the password of the user with this email and end its sessions; False if none."""
    user_id = await account_id_by_email(email)
    if user_id is None:
        return False
    return await set_password(user_id, None, new_password)


def _records_ip(setting: str | None) -> bool:
    try:
        parsed = orjson.loads(setting or "{}")
    except orjson.JSONDecodeError:
        return False
    return isinstance(parsed, dict) and parsed.get("record_ip_log") is True


@guard_db
async def write_login_log(
    user_id: int, username: str, method: str, ip: str, *, now: int | None = None
) -> None:
    """A type-7 log row for a successful login; the IP only if the user chose ``record_ip_log``."""
    user = await User.filter(id=user_id).only("id", "setting").first()
    keep_ip = user is not None and _records_ip(user.setting)
    await Log.create(
        user_id=user_id,
        created_at=int(time.time()) if now is None else now,
        type=LOG_LOGIN,
        content=f"login ({method})",
        username=username,
        ip=ip if keep_ip else "",
    )
