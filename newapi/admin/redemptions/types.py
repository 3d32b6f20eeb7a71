"""Redemption codes as admins see them (keys masked), and the redeem result."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from newapi.admin.results import BigInt, FieldErrors
from newapi.admin.users.types import UserRef
from newapi.store.queries.admin_redemptions import RedemptionRecord

__all__ = [
    "CreateRedemptionsInput",
    "CreateRedemptionsResult",
    "RedeemResult",
    "Redeemed",
    "Redemption",
    "RedemptionPage",
    "RedemptionsCreated",
    "UpdateRedemptionInput",
    "UpdateRedemptionResult",
]


def _mask(key: str) -> str:
    return f"{key[:4]}****{key[-4:]}" if len(key) > 8 else "****"


async def _ref(info: Info[Any, Any], user_id: int) -> UserRef | None:
    if not user_id:
        return None
    user = await info.context.loaders.user_by_id.load(user_id)
    if user is None:
        return None
    return UserRef(id=user.id, username=user.username, display_name=user.display_name)


@strawberry.type
class Redemption:
    id: int
    name: str
    key: str = strawberry.field(description="Masked: abcd****wxyz (the full key is shown once).")
    status: int = strawberry.field(description="1 enabled, 2 disabled, 3 used.")
    quota: BigInt
    created_time: BigInt
    redeemed_time: BigInt = strawberry.field(description="Unix seconds; 0 while unused.")
    expired_time: BigInt = strawberry.field(description="Unix seconds; 0 never expires.")
    user_id: strawberry.Private[int]
    used_user_id: strawberry.Private[int]

    @strawberry.field(description="The admin who created the code.")
    async def created_by(self, info: Info[Any, Any]) -> UserRef | None:
        return await _ref(info, self.user_id)

    @strawberry.field(description="The user who redeemed the code; null while unused.")
    async def used_by(self, info: Info[Any, Any]) -> UserRef | None:
        return await _ref(info, self.used_user_id)

    @classmethod
    def of(cls, row: RedemptionRecord) -> Redemption:
        return cls(
            id=row.id,
            name=row.name,
            key=_mask(row.key),
            status=row.status,
            quota=BigInt(row.quota),
            created_time=BigInt(row.created_time),
            redeemed_time=BigInt(row.redeemed_time),
            expired_time=BigInt(row.expired_time),
            user_id=row.user_id,
            used_user_id=row.used_user_id,
        )


@strawberry.type
class RedemptionPage:
    items: list[Redemption]
    total: int
    page: int
    page_size: int


@strawberry.type
class RedemptionsCreated:
    keys: list[str] = strawberry.field(description="The full keys, shown this once.")
    items: list[Redemption]


@strawberry.type
class Redeemed:
    quota: BigInt = strawberry.field(description="Quota added to your balance.")
    redemption_id: int


@strawberry.input
class CreateRedemptionsInput:
    name: str = strawberry.field(description="1 to 20 characters.")
    quota: BigInt = strawberry.field(description="Quota each code adds (500 000 = 1 USD).")
    count: int = strawberry.field(default=1, description="How many codes: 1 to 100.")
    expires_at: BigInt | None = strawberry.field(
        default=None, description="Unix seconds; null or 0 never expires."
    )


@strawberry.input
class UpdateRedemptionInput:
    """Fields left out stay as they are. A used code cannot change."""

    id: int
    name: str | None = strawberry.UNSET
    quota: BigInt | None = strawberry.UNSET
    status: int | None = strawberry.field(default=strawberry.UNSET, description="1 or 2.")
    expires_at: BigInt | None = strawberry.UNSET


CreateRedemptionsResult = Annotated[
    RedemptionsCreated | FieldErrors, strawberry.union("CreateRedemptionsResult")
]
UpdateRedemptionResult = Annotated[
    Redemption | FieldErrors, strawberry.union("UpdateRedemptionResult")
]
RedeemResult = Annotated[Redeemed | FieldErrors, strawberry.union("RedeemResult")]
