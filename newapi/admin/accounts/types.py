"""Sign-in results."""

from __future__ import annotations

from typing import Annotated

import strawberry

from newapi.admin.me.types import Me
from newapi.admin.results import FieldErrors

__all__ = ["AccessToken", "ChangePasswordResult", "LoginResult", "LoginSuccess", "PasswordChanged"]


@strawberry.type
class LoginSuccess:
    user: Me
    csrf_token: str


@strawberry.type
class PasswordChanged:
    csrf_token: str | None = strawberry.field(
        description="The new session's CSRF token (other sessions are signed out)."
    )


@strawberry.type
class AccessToken:
    token: str = strawberry.field(description="Send as 'Authorization: Bearer <token>'.")


LoginResult = Annotated[LoginSuccess | FieldErrors, strawberry.union("LoginResult")]
ChangePasswordResult = Annotated[
    PasswordChanged | FieldErrors, strawberry.union("ChangePasswordResult")
]
