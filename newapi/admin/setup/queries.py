"""Public: whether the first-start setup is done (the UI shows the setup wizard otherwise)."""

from __future__ import annotations

import strawberry

from newapi import __version__
from newapi.store import root_user_exists, setup_done

__all__ = ["SetupQuery", "SetupStatus"]


@strawberry.type
class SetupStatus:
    done: bool
    root_exists: bool
    version: str


@strawberry.type
class SetupQuery:
    @strawberry.field(description="Public.")
    async def setup_status(self) -> SetupStatus:
        return SetupStatus(
            done=await setup_done(), root_exists=await root_user_exists(), version=__version__
        )
