"""The caller's own API keys (never another user's)."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from newapi.admin.access import IsAuthenticated
from newapi.admin.results import page_window
from newapi.admin.tokens.types import Token, TokenPage
from newapi.store.queries.admin_tokens import list_tokens, token_by_id

__all__ = ["TokenQuery"]


@strawberry.type
class TokenQuery:
    @strawberry.field(
        permission_classes=[IsAuthenticated],
        description="search: a part of the name, or a whole key (sk-...).",
    )
    async def tokens(
        self, info: Info[Any, Any], search: str = "", page: int = 1, page_size: int = 20
    ) -> TokenPage:
        page, size, offset, limit = page_window(page, page_size)
        rows, total = await list_tokens(info.context.user.id, search, offset, limit)
        return TokenPage(items=[Token.of(r) for r in rows], total=total, page=page, page_size=size)

    @strawberry.field(permission_classes=[IsAuthenticated], description="Null unless yours.")
    async def token(self, info: Info[Any, Any], id: int) -> Token | None:
        row = await token_by_id(info.context.user.id, id)
        return None if row is None else Token.of(row)
