"""Public: whether the first-run setup is done, and the site texts the UI shows to everyone."""

from __future__ import annotations

import strawberry

from newapi import __version__
from newapi.billing.meter import QUOTA_PER_USD
from newapi.billing.settings import SETTINGS, parse_bool, stored_or_default
from newapi.store import load_options, root_user_exists, setup_done

__all__ = ["SetupQuery", "SetupStatus", "SiteInfo"]


@strawberry.type
class SetupStatus:
    done: bool
    root_exists: bool
    version: str


@strawberry.type(description="Public site texts and display settings (SystemName, Notice, ...).")
class SiteInfo:
    system_name: str
    notice: str
    footer: str
    about: str
    display_in_currency: bool
    quota_per_unit: int


def _text(options: dict[str, str], key: str) -> str:
    return stored_or_default(SETTINGS[key], options)


@strawberry.type
class SetupQuery:
    @strawberry.field(description="Public.")
    async def setup_status(self) -> SetupStatus:
        return SetupStatus(
            done=await setup_done(), root_exists=await root_user_exists(), version=__version__
        )

    @strawberry.field(description="Public.")
    async def site_info(self) -> SiteInfo:
        options = await load_options()
        currency = parse_bool(_text(options, "DisplayInCurrencyEnabled"))
        return SiteInfo(
            system_name=_text(options, "SystemName"),
            notice=_text(options, "Notice"),
            footer=_text(options, "Footer"),
            about=_text(options, "About"),
            display_in_currency=currency is not False,
            quota_per_unit=QUOTA_PER_USD,
        )
