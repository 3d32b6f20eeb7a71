"""Admin: list and read users (only users of a lower role, root excepted)."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from newapi.admin.access import IsAdmin
from newapi.admin.results import page_window
from newapi.admin.users.types import User, UserPage
from newapi.auth.permissions import can_act_on
from newapi.store.queries.admin_users import account_by_id, list_accounts

__all__ = ["UserQuery"]


@strawberry.type
class UserQuery:
    @strawberry.field(permission_classes=[IsAdmin])
    async def users(
        self,
        info: Info[Any, Any],
        search: str = "",
        page: int = 1,
        page_size: int = 20,
        role: int | None = None,
        status: int | None = None,
        group: str | None = None,
    ) -> UserPage:
        page, size, offset, limit = page_window(page, page_size)
        rows, total = await list_accounts(
            search, offset, limit, role=role, status=status, group=group
        )
        return UserPage(items=[User.of(r) for r in rows], total=total, page=page, page_size=size)

    @strawberry.field(permission_classes=[IsAdmin], description="Null when missing or not lower.")
    async def user(self, info: Info[Any, Any], id: int) -> User | None:
        found = await account_by_id(id)
        actor = info.context.user
        if found is None or (found.id != actor.id and not can_act_on(actor.role, found.role)):
            return None
        return User.of(found)
