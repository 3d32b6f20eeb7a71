"""``me``: the caller's account."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from newapi.admin.access import IsAuthenticated
from newapi.admin.me.types import Me

__all__ = ["MeQuery"]


@strawberry.type
class MeQuery:
    @strawberry.field(permission_classes=[IsAuthenticated])
    def me(self, info: Info[Any, Any]) -> Me:
        context = info.context
        return Me.of(context.user, context.csrf_token)
