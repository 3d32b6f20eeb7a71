"""API key queries: create a user's ``sk-`` key (stored without the prefix, like One API)."""

from __future__ import annotations

import logging
import secrets
import string
import time

from tortoise.exceptions import IntegrityError

from newapi.errors import InvalidRequestError, StoreError
from newapi.store.db import guard_db
from newapi.store.models import Token, User
from newapi.store.models.tokens import TOKEN_ENABLED

__all__ = ["KEY_LENGTH", "KEY_PREFIX", "create_token", "new_token_key"]

log = logging.getLogger(__name__)

KEY_LENGTH = 48
KEY_PREFIX = "sk-"
NAME_MAX = 50  # New API's limit
_ALNUM = string.ascii_letters + string.digits


def new_token_key() -> str:
    """48 random alphanumerics (One API's and New API's key format, without ``sk-``)."""
    return "".join(secrets.choice(_ALNUM) for _ in range(KEY_LENGTH))


def _check(name: str, quota: int, models: list[str] | None) -> None:
    if not name.strip():
        raise InvalidRequestError("the token name must not be empty", param="name")
    if len(name) > NAME_MAX:
        raise InvalidRequestError(
            f"the token name must be at most {NAME_MAX} characters", param="name"
        )
    if quota < 0:
        raise InvalidRequestError("the quota must be zero or more", param="quota")
    if models is not None and not [m for m in models if m.strip()]:
        raise InvalidRequestError("the model list must name at least one model", param="models")


@guard_db
async def create_token(
    user_id: int,
    name: str,
    quota: int = 0,
    unlimited: bool = False,
    group: str = "",
    models: list[str] | None = None,
    expired_time: int = -1,
    *,
    now: int | None = None,
) -> str:
    """Create an enabled API key for ``user_id``; return it with its ``sk-`` prefix.

    Args:
        quota: ``remain_quota`` (ignored while ``unlimited``).
        group: '' uses the user's group; a group name or ``auto`` (New API).
        models: allowed models (New API's ``model_limits``); None allows every model.
        expired_time: Unix seconds, or -1 for never.

    Raises:
        InvalidRequestError: the user does not exist or an argument is not acceptable.
    """
    _check(name, quota, models)
    if not await User.filter(id=user_id, deleted_at__isnull=True).exists():
        raise InvalidRequestError(f"no user with id {user_id}", param="user_id")
    allowed = [m.strip() for m in models or [] if m.strip()]
    stamp = int(time.time()) if now is None else now
    for _ in range(3):
        key = new_token_key()
        try:
            await Token.create(
                user_id=user_id,
                key=key,
                status=TOKEN_ENABLED,
                name=name,
                created_time=stamp,
                accessed_time=stamp,
                expired_time=expired_time,
                remain_quota=quota,
                unlimited_quota=unlimited,
                used_quota=0,
                model_limits_enabled=models is not None,
                model_limits=",".join(allowed),
                group=group,
            )
        except IntegrityError:
            continue
        log.info("created token %r for user %d", name, user_id)
        return KEY_PREFIX + key
    raise StoreError("could not create a unique token key", detail="3 key collisions in a row")
