"""The signed-in user's view of itself."""

from __future__ import annotations

import strawberry

from newapi.admin.results import BigInt
from newapi.store.queries.admin_users import Account

__all__ = ["Me"]


@strawberry.type
class Me:
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
    has_access_token: bool
    csrf_token: str | None = strawberry.field(
        description="Send as X-CSRF-Token with mutations (null with an access token)."
    )

    @classmethod
    def of(cls, user: Account, csrf_token: str | None) -> Me:
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
            has_access_token=user.has_access_token,
            csrf_token=csrf_token,
        )
