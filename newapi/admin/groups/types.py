"""A group with its price ratio and description."""

from __future__ import annotations

from decimal import Decimal

import strawberry

__all__ = ["Group"]


@strawberry.type
class Group:
    name: str
    ratio: Decimal = strawberry.field(description="Price multiplier (GroupRatio); 0 = free.")
    description: str
    usable: bool = strawberry.field(
        description="The caller may use it (their own group or one in UserUsableGroups)."
    )
