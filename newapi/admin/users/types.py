"""Users as admins see them, and the inputs and results of user management."""

from __future__ import annotations

from typing import Annotated

import strawberry

from newapi.admin.results import BigInt, FieldErrors
from newapi.store.queries.admin_users import Account

__all__ = [
    "CreateUserInput",
    "CreateUserResult",
    "UpdateUserInput",
    "UpdateUserResult",
    "User",
    "UserPage",
    "UserRef",
]


@strawberry.type
class UserRef:
    """Another user, as far as a list row needs it."""

    id: int
    username: str
    display_name: str


@strawberry.type
class User:
    id: int
    username: str
    display_name: str
    email: str
    role: int
    status: int
    group: str
    quota: BigInt
    used_quota: BigInt
    request_count: int
    remark: str
    created_at: BigInt
    last_login_at: BigInt

    @classmethod
    def of(cls, user: Account) -> User:
        return cls(
            id=user.id,
            username=user.username,
            display_name=user.display_name,
            email=user.email,
            role=user.role,
            status=user.status,
            group=user.group,
            quota=BigInt(user.quota),
            used_quota=BigInt(user.used_quota),
            request_count=user.request_count,
            remark=user.remark,
            created_at=BigInt(user.created_at),
            last_login_at=BigInt(user.last_login_at),
        )


@strawberry.type
class UserPage:
    items: list[User]
    total: int
    page: int
    page_size: int


@strawberry.input
class CreateUserInput:
    username: str
    password: str
    display_name: str | None = None
    role: int = 1
    group: str = "default"
    quota: BigInt = BigInt(0)


@strawberry.input
class UpdateUserInput:
    """Fields left out stay as they are."""

    id: int
    username: str | None = strawberry.UNSET
    password: str | None = strawberry.field(
        default=strawberry.UNSET, description="A new password; signs the user out everywhere."
    )
    display_name: str | None = strawberry.UNSET
    group: str | None = strawberry.UNSET
    quota: BigInt | None = strawberry.UNSET
    role: int | None = strawberry.UNSET
    status: int | None = strawberry.UNSET
    remark: str | None = strawberry.UNSET


CreateUserResult = Annotated[User | FieldErrors, strawberry.union("CreateUserResult")]
UpdateUserResult = Annotated[User | FieldErrors, strawberry.union("UpdateUserResult")]
