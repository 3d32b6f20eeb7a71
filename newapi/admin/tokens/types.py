"""API keys as their owner sees them (masked), and token inputs and results."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from newapi.admin.results import BigInt, FieldErrors, mask_key
from newapi.admin.users.types import UserRef
from newapi.store.queries.admin_tokens import TokenRecord

__all__ = [
    "CreateTokenInput",
    "CreateTokenResult",
    "RevealedKey",
    "Token",
    "TokenCreated",
    "TokenPage",
    "UpdateTokenInput",
    "UpdateTokenResult",
]


@strawberry.type
class Token:
    id: int
    name: str
    key: str = strawberry.field(description="Masked: sk-abcd****wxyz (revealTokenKey for all).")
    status: int
    created_time: BigInt
    accessed_time: BigInt
    expired_time: BigInt = strawberry.field(description="Unix seconds; -1 never expires.")
    remain_quota: BigInt
    unlimited_quota: bool
    used_quota: BigInt
    model_limits: list[str] | None = strawberry.field(description="Null allows every model.")
    allow_ips: list[str]
    group: str
    user_id: strawberry.Private[int]

    @strawberry.field(description="The owner (one query for a whole list).")
    async def owner(self, info: Info[Any, Any]) -> UserRef | None:
        user = await info.context.loaders.user_by_id.load(self.user_id)
        if user is None:
            return None
        return UserRef(id=user.id, username=user.username, display_name=user.display_name)

    @classmethod
    def of(cls, row: TokenRecord) -> Token:
        return cls(
            id=row.id,
            name=row.name,
            key=mask_key(row.key),
            status=row.status,
            created_time=BigInt(row.created_time),
            accessed_time=BigInt(row.accessed_time),
            expired_time=BigInt(row.expired_time),
            remain_quota=BigInt(row.remain_quota),
            unlimited_quota=row.unlimited_quota,
            used_quota=BigInt(row.used_quota),
            model_limits=list(row.model_limits) if row.model_limits is not None else None,
            allow_ips=list(row.allow_ips),
            group=row.group,
            user_id=row.user_id,
        )


@strawberry.type
class TokenPage:
    items: list[Token]
    total: int
    page: int
    page_size: int


@strawberry.type
class TokenCreated:
    token: Token
    key: str = strawberry.field(description="The full key, shown once.")


@strawberry.type
class RevealedKey:
    id: int
    key: str


@strawberry.input
class CreateTokenInput:
    name: str
    remain_quota: BigInt = BigInt(0)
    unlimited_quota: bool = False
    expired_time: BigInt = strawberry.field(default=BigInt(-1), description="-1: never.")
    model_limits: list[str] | None = None
    allow_ips: list[str] = strawberry.field(default_factory=list)
    group: str = ""


@strawberry.input
class UpdateTokenInput:
    """Fields left out stay as they are; ``modelLimits: null`` allows every model."""

    id: int
    name: str | None = strawberry.UNSET
    status: int | None = strawberry.UNSET
    remain_quota: BigInt | None = strawberry.UNSET
    unlimited_quota: bool | None = strawberry.UNSET
    expired_time: BigInt | None = strawberry.UNSET
    model_limits: list[str] | None = strawberry.UNSET
    allow_ips: list[str] | None = strawberry.UNSET
    group: str | None = strawberry.UNSET


CreateTokenResult = Annotated[TokenCreated | FieldErrors, strawberry.union("CreateTokenResult")]
UpdateTokenResult = Annotated[Token | FieldErrors, strawberry.union("UpdateTokenResult")]
