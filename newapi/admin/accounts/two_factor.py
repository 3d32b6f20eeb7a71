"""TOTP two-factor authentication: set up, enable, disable, status, and the login's second step.

Setup stores a new secret (not yet active) and shows it once; enabling needs a code from the
app and returns the backup codes once; disabling needs a TOTP or backup code. Enabling and
disabling sign out every other session of the user (``auth_version``), as New API does for
security-factor changes.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import strawberry
from strawberry.types import Info

from newapi.admin.access import Denied, IsAdmin, IsAuthenticated
from newapi.admin.accounts.services import check_second_factor, finish_login
from newapi.admin.accounts.types import (
    DisableTwoFactorResult,
    EnableTwoFactorResult,
    LoginResult,
    SetupTwoFactorResult,
    TwoFactorDisabled,
    TwoFactorEnabled,
    TwoFactorReset,
    TwoFactorSetup,
    TwoFactorStatus,
)
from newapi.admin.results import BigInt, field_errors
from newapi.auth.permissions import STATUS_ENABLED, can_act_on
from newapi.auth.totp import (
    hash_backup_code,
    match_step,
    new_backup_codes,
    new_secret,
    provisioning_uri,
)
from newapi.store.queries.accounts import account_options
from newapi.store.queries.admin_users import account_by_id
from newapi.store.queries.two_factor import (
    delete_two_factor,
    enable_two_factor,
    reset_two_factor_by_admin,
    save_pending_secret,
    two_factor_state,
)

__all__ = ["TwoFactorMutation", "TwoFactorQuery"]

_EXPIRED = "this sign-in has expired; sign in with the password again"
_FAILED = {
    "wrong": "wrong code",
    "locked": "too many wrong codes: two-factor sign-in is locked for 5 minutes",
    "off": "two-factor authentication is not enabled",
}


async def _renew_session(context: Any) -> str | None:
    """After ``auth_version`` moved on: a new cookie for this session (None for a token)."""
    user = await account_by_id(context.user.id)
    if context.via == "session" and user is not None:
        return str(context.start_session(user))
    return None


def _hashes(codes: list[str]) -> list[str]:
    return [hash_backup_code(code) for code in codes]


@strawberry.type
class TwoFactorQuery:
    @strawberry.field(permission_classes=[IsAuthenticated])
    async def two_factor_status(self, info: Info[Any, Any]) -> TwoFactorStatus:
        state = await two_factor_state(info.context.user.id)
        if state is None or not state.enabled:
            return TwoFactorStatus(enabled=False, backup_codes_left=0, locked_until=BigInt(0))
        locked = state.locked_until if state.locked_until > time.time() else 0
        return TwoFactorStatus(
            enabled=True, backup_codes_left=state.backup_codes_left, locked_until=BigInt(locked)
        )


@strawberry.type
class TwoFactorMutation:
    @strawberry.mutation(
        description="Second step of a login that answered TwoFactorRequired: a TOTP code or an "
        "unused backup code."
    )
    async def login_two_factor(
        self, info: Info[Any, Any], flow_token: str, code: str
    ) -> LoginResult:
        context = info.context
        claims = context.signer.verify(flow_token, flow=True)
        if claims is None:
            return field_errors(("flowToken", _EXPIRED))
        key = f"2fa:{claims.user_id}"
        if context.limiter.blocked(context.client_ip, key):
            raise Denied("too many failed codes; try again later", "rate_limited")
        user = await account_by_id(claims.user_id)
        if user is None or user.auth_version != claims.auth_version:
            return field_errors(("flowToken", _EXPIRED))
        if user.status != STATUS_ENABLED:
            return field_errors(("flowToken", "this user is disabled"))
        outcome = await check_second_factor(user.id, code)
        if outcome != "ok":
            context.limiter.failed(context.client_ip, key)
            return field_errors(("code", _FAILED[outcome]))
        context.limiter.succeeded(key)
        return await finish_login(context, user, "2fa")

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Start two-factor setup: a new TOTP secret, shown once (not active yet).",
    )
    async def setup_two_factor(self, info: Info[Any, Any]) -> SetupTwoFactorResult:
        user = info.context.user
        state = await two_factor_state(user.id)
        if state is not None and state.enabled:
            return field_errors(("code", "two-factor authentication is already enabled"))
        secret = new_secret()
        await save_pending_secret(user.id, secret, now=time.time())
        issuer = (await account_options())["SystemName"]
        return TwoFactorSetup(
            secret=secret, otpauth_uri=provisioning_uri(secret, user.username, issuer)
        )

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Turn two-factor on with a code from the app; returns the backup codes once.",
    )
    async def enable_two_factor(self, info: Info[Any, Any], code: str) -> EnableTwoFactorResult:
        context = info.context
        state = await two_factor_state(context.user.id)
        if state is None:
            return field_errors(("code", "call setupTwoFactor first"))
        if state.enabled:
            return field_errors(("code", "two-factor authentication is already enabled"))
        step = match_step(state.secret, code)
        if step is None:
            return field_errors(("code", "wrong code"))
        codes = new_backup_codes()
        hashes = await asyncio.to_thread(_hashes, codes)
        if not await enable_two_factor(context.user.id, hashes, step, now=time.time()):
            return field_errors(("code", "call setupTwoFactor first"))
        return TwoFactorEnabled(backup_codes=codes, csrf_token=await _renew_session(context))

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Turn two-factor off with a TOTP code or a backup code.",
    )
    async def disable_two_factor(self, info: Info[Any, Any], code: str) -> DisableTwoFactorResult:
        context = info.context
        outcome = await check_second_factor(context.user.id, code)
        if outcome != "ok":
            return field_errors(("code", _FAILED[outcome]))
        await delete_two_factor(context.user.id)
        return TwoFactorDisabled(csrf_token=await _renew_session(context))

    @strawberry.mutation(
        permission_classes=[IsAdmin],
        description="Turn off another user's two-factor authentication (lost phone and backup "
        "codes); admins act on lower roles only. Writes a manage log row.",
    )
    async def reset_user_two_factor(self, info: Info[Any, Any], user_id: int) -> TwoFactorReset:
        context = info.context
        actor = context.user
        target = await account_by_id(user_id)
        if target is None or target.id == actor.id:
            raise Denied(f"user {user_id} does not exist or is not yours to manage", "not_found")
        if not can_act_on(actor.role, target.role):
            raise Denied("you can only manage users of a lower role", "forbidden")
        had = await reset_two_factor_by_admin(
            actor.id, actor.username, target.id, target.username, ip=context.client_ip
        )
        return TwoFactorReset(user_id=target.id, was_set_up=had)
