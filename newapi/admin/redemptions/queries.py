"""Admin: the redemption code list, searched by id or name prefix and filtered by status."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from newapi.admin.access import IsAdmin
from newapi.admin.redemptions.types import Redemption, RedemptionPage
from newapi.admin.results import page_window
from newapi.store.queries.admin_redemptions import list_redemptions

__all__ = ["RedemptionQuery"]


@strawberry.type
class RedemptionQuery:
    @strawberry.field(
        permission_classes=[IsAdmin],
        description="Codes, newest first; search is an id or a name prefix; status 1, 2 or 3.",
    )
    async def redemptions(
        self,
        info: Info[Any, Any],
        search: str = "",
        status: int | None = None,
        page: int = 1,
        page_size: int = 20,
    ) -> RedemptionPage:
        page, size, offset, limit = page_window(page, page_size)
        rows, total = await list_redemptions(search, status, offset, limit)
        return RedemptionPage(
            items=[Redemption.of(row) for row in rows], total=total, page=page, page_size=size
        )
