"""The groups: all of them for admins, the usable ones for everyone else."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from newapi.admin.access import IsAuthenticated
from newapi.admin.groups.types import Group
from newapi.auth.permissions import ROLE_ADMIN
from newapi.billing.options import EffectiveOptions, effective_options
from newapi.billing.prices import PriceBook
from newapi.store import load_options
from newapi.store.queries.admin_users import Account

__all__ = ["GroupQuery", "visible_groups"]


def visible_groups(values: EffectiveOptions, book: PriceBook, user: Account) -> list[Group]:
    """The groups ``user`` may see, by name: usable ones, and every group for admins.

    Usable: the user's own group and the groups of UserUsableGroups (New API's rule).
    """
    usable = {*values.usable_groups, user.group}
    names = usable | set(values.groups) if user.role >= ROLE_ADMIN else usable
    found = []
    for name in sorted(names):
        config = values.groups.get(name)
        description = values.usable_groups.get(name) or (config.description if config else "")
        found.append(
            Group(
                name=name,
                ratio=book.group_ratio(name, user.group),
                description=description,
                usable=name in usable,
            )
        )
    return found


async def caller_prices(info: Info[Any, Any]) -> tuple[EffectiveOptions, PriceBook]:
    """The options as stored now and the price book they give (the relay's own rules)."""
    values = effective_options(await load_options(), info.context.relay.config)
    return values, PriceBook(values.prices, values.groups)


@strawberry.type
class GroupQuery:
    @strawberry.field(
        permission_classes=[IsAuthenticated],
        description="Admins: every group; others: the groups they may use.",
    )
    async def groups(self, info: Info[Any, Any]) -> list[Group]:
        values, book = await caller_prices(info)
        return visible_groups(values, book, info.context.user)
