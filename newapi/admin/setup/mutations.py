"""Public until done: the first-run setup creates the root user (New API's POST /api/setup).

``newapi serve`` creates the root user itself on an empty database (password from
NEWAPI_ROOT_PASSWORD, or generated and printed once), so on a served gateway the setup is
already done and this mutation answers ``setup_done``. It completes the setup of a database
that has no root user and no ``setups`` row yet (an application built with ``create_app``).
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from newapi.admin.access import Denied
from newapi.admin.results import FieldErrors, field_errors, from_invalid
from newapi.errors import InvalidRequestError
from newapi.store import setup_done
from newapi.store.queries.setup import complete_setup

__all__ = ["SetupMutation"]

SETUP_USERNAME_MAX = 12  # New API's setup wizard
PASSWORD_MAX = 20  # New API's password rule (8 to 20 characters)


@strawberry.input
class SetupInput:
    username: str
    password: str
    confirm_password: str


@strawberry.type
class SetupComplete:
    user_id: int
    username: str


SetupResult = Annotated[SetupComplete | FieldErrors, strawberry.union("SetupResult")]


def _problems(data: SetupInput) -> list[tuple[str, str]]:
    problems = []
    if len(data.username) > SETUP_USERNAME_MAX:
        problems.append(("username", f"at most {SETUP_USERNAME_MAX} characters"))
    if len(data.password) > PASSWORD_MAX:
        problems.append(("password", f"at most {PASSWORD_MAX} characters"))
    if data.confirm_password != data.password:
        problems.append(("confirmPassword", "does not match the password"))
    return problems


@strawberry.type
class SetupMutation:
    @strawberry.mutation(
        description="Public while the setup is not done: creates the root user. "
        "Afterwards refused with extensions.code setup_done."
    )
    async def setup(self, input: SetupInput) -> SetupResult:
        if await setup_done():
            raise Denied("the setup is already done", "setup_done")
        problems = _problems(input)
        if problems:
            return field_errors(*problems)
        try:
            user = await complete_setup(input.username, input.password)
        except InvalidRequestError as exc:
            return from_invalid(exc, "username")
        return SetupComplete(user_id=user.id, username=user.username)
