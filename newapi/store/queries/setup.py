"""First-run setup (New API's ``POST /api/setup``): the root user and the ``setups`` row."""

from __future__ import annotations

import time

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from newapi import __version__
from newapi.errors import PermissionDeniedError
from newapi.store.db import CONNECTION, guard_db
from newapi.store.models import Setup, User
from newapi.store.models.users import ROLE_ROOT
from newapi.store.queries.users import ROOT_INITIAL_QUOTA, UserRecord, create_user

__all__ = ["complete_setup"]

SETUP_ROW_ID = 1  # one row; a second setup collides on the primary key


def _already() -> PermissionDeniedError:
    return PermissionDeniedError("the setup is already done", code="setup_done")


@guard_db
async def complete_setup(username: str, password: str, *, now: int | None = None) -> UserRecord:
    """Create the root user and the ``setups`` row, unless setup is already done.

    Raises:
        PermissionDeniedError: (``setup_done``) a ``setups`` row or a root user exists, also when
            another setup won a race.
        InvalidRequestError: the username or password is not acceptable.
    """
    stamp = int(time.time()) if now is None else now
    if await Setup.exists() or await User.filter(role=ROLE_ROOT, deleted_at__isnull=True).exists():
        raise _already()
    try:
        async with in_transaction(CONNECTION) as connection:
            await Setup.create(
                id=SETUP_ROW_ID, version=__version__, initialized_at=stamp, using_db=connection
            )
            return await create_user(
                username, password, role=ROLE_ROOT, quota=ROOT_INITIAL_QUOTA, now=stamp
            )
    except IntegrityError:
        raise _already() from None
