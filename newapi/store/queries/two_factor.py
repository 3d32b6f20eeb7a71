"""TOTP two-factor state in New API's ``two_fas`` and ``two_fa_backup_codes`` tables.

One ``two_fas`` row per user (``user_id`` is unique): setting up writes the secret with
``is_enabled`` false, enabling flips it and stores the backup codes' bcrypt hashes, disabling
removes both. ``failed_attempts``/``locked_until`` carry New API's lockout (5 failures lock
2FA for 300 s), so every node sharing the database sees it. ``last_used_at`` holds the start of
the last accepted TOTP time step, which refuses a code seen before.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime

from tortoise.expressions import F, Q
from tortoise.transactions import in_transaction

from newapi.store.db import guard_db
from newapi.store.models import Log, TwoFA, TwoFABackupCode
from newapi.store.models.users import User

__all__ = [
    "LOCK_AFTER_FAILURES",
    "LOCK_SECONDS",
    "TwoFactorState",
    "delete_two_factor",
    "enable_two_factor",
    "record_two_factor_failure",
    "record_two_factor_success",
    "reset_two_factor_by_admin",
    "save_pending_secret",
    "two_factor_state",
    "unused_backup_codes",
    "use_backup_code",
]

LOCK_AFTER_FAILURES = 5
LOCK_SECONDS = 300
LOG_MANAGE = 3  # New API's log type "manage"


@dataclass(frozen=True, slots=True)
class TwoFactorState:
    user_id: int
    secret: str
    enabled: bool
    locked_until: int  # Unix seconds; 0 when not locked
    last_step_at: int  # Unix seconds of the last accepted TOTP step; 0 when none
    backup_codes_left: int


def _stamp(value: datetime | None) -> int:
    return 0 if value is None else int(value.timestamp())


def _at(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


@guard_db
async def two_factor_state(user_id: int) -> TwoFactorState | None:
    """The user's 2FA row (set up or enabled); None when there is none."""
    row = await TwoFA.filter(user_id=user_id, deleted_at__isnull=True).first()
    if row is None:
        return None
    left = await TwoFABackupCode.filter(
        user_id=user_id, is_used=False, deleted_at__isnull=True
    ).count()
    return TwoFactorState(
        user_id=user_id,
        secret=row.secret,
        enabled=bool(row.is_enabled),
        locked_until=_stamp(row.locked_until),
        last_step_at=_stamp(row.last_used_at),
        backup_codes_left=left,
    )


@guard_db
async def save_pending_secret(user_id: int, secret: str, *, now: float) -> None:
    """Store a new, not yet enabled secret (replacing an earlier unfinished setup)."""
    async with in_transaction():
        await TwoFA.filter(user_id=user_id).delete()
        await TwoFABackupCode.filter(user_id=user_id).delete()
        await TwoFA.create(
            user_id=user_id, secret=secret, is_enabled=False, created_at=_at(now),
            updated_at=_at(now),
        )


@guard_db
async def enable_two_factor(
    user_id: int, code_hashes: list[str], step_at: int, *, now: float
) -> bool:
    """Turn 2FA on with these backup-code hashes; bump ``auth_version``. False if not set up."""
    async with in_transaction():
        changed = await TwoFA.filter(user_id=user_id, is_enabled=False).update(
            is_enabled=True, failed_attempts=0, locked_until=None,
            last_used_at=_at(step_at), updated_at=_at(now),
        )
        if not changed:
            return False
        await TwoFABackupCode.filter(user_id=user_id).delete()
        await TwoFABackupCode.bulk_create(
            [TwoFABackupCode(user_id=user_id, code_hash=h, created_at=_at(now))
             for h in code_hashes]
        )
        await User.filter(id=user_id).update(auth_version=F("auth_version") + 1)
    return True


@guard_db
async def delete_two_factor(user_id: int) -> None:
    """Remove the user's 2FA (secret and backup codes); bump ``auth_version``."""
    async with in_transaction():
        await TwoFA.filter(user_id=user_id).delete()
        await TwoFABackupCode.filter(user_id=user_id).delete()
        await User.filter(id=user_id).update(auth_version=F("auth_version") + 1)


@guard_db
async def reset_two_factor_by_admin(
    admin_id: int, admin_name: str, user_id: int, username: str, *, ip: str = "",
    now: int | None = None,
) -> bool:
    """An admin removes a user's 2FA (lost phone and codes); writes a "manage" log row.

    Returns whether the user had 2FA set up.
    """
    had = await TwoFA.filter(user_id=user_id).exists()
    await delete_two_factor(user_id)
    await Log.create(
        user_id=admin_id,
        created_at=int(time.time()) if now is None else now,
        type=LOG_MANAGE,
        content=f"turned off two-factor authentication of user {username!r} (id {user_id})",
        username=admin_name,
        ip=ip,
    )
    return had


@guard_db
async def record_two_factor_failure(user_id: int, *, now: float) -> bool:
    """Count a wrong code; the fifth in a row locks 2FA for 300 s. True when now locked."""
    await TwoFA.filter(user_id=user_id).update(failed_attempts=F("failed_attempts") + 1)
    row = await TwoFA.filter(user_id=user_id).first()
    if row is None or row.failed_attempts < LOCK_AFTER_FAILURES:
        return False
    await TwoFA.filter(user_id=user_id).update(
        failed_attempts=0, locked_until=_at(now + LOCK_SECONDS), updated_at=_at(now)
    )
    return True


@guard_db
async def record_two_factor_success(user_id: int, step_at: int | None, *, now: float) -> bool:
    """Clear the failure count; with ``step_at`` (a TOTP step) remember it as the last one.

    Returns False when that step (or a later one) was already used: the code is a replay.
    """
    changes: dict[str, object] = {"failed_attempts": 0, "updated_at": _at(now)}
    query = TwoFA.filter(user_id=user_id)
    if step_at is not None:
        # One conditional UPDATE, so two requests racing with one code cannot both pass.
        changes["last_used_at"] = _at(step_at)
        query = query.filter(Q(last_used_at__isnull=True) | Q(last_used_at__lt=_at(step_at)))
    return bool(await query.update(**changes)) or step_at is None


@guard_db
async def unused_backup_codes(user_id: int) -> list[tuple[int, str]]:
    """``(id, bcrypt hash)`` of the user's unused backup codes."""
    rows = await TwoFABackupCode.filter(
        user_id=user_id, is_used=False, deleted_at__isnull=True
    ).values_list("id", "code_hash")
    return [(int(i), str(h)) for i, h in rows]


@guard_db
async def use_backup_code(code_id: int, *, now: float) -> bool:
    """Mark a backup code used; False when another request used it first."""
    changed = await TwoFABackupCode.filter(id=code_id, is_used=False).update(
        is_used=True, used_at=_at(now)
    )
    return bool(changed)
