"""Sign in and out, change the password, get a personal access token.

A user with two-factor authentication gets ``TwoFactorRequired`` from ``login`` (no cookie yet)
and finishes with ``loginTwoFactor`` (newapi/admin/accounts/two_factor.py), as New API's
``/api/user/login`` then ``/api/user/login/2fa``. With ``PasswordLoginEnabled`` false only root
may sign in with a password, so the server can never lock out its own root.
"""

from __future__ import annotations

import time
from typing import Any

import strawberry
from strawberry.types import Info

from newapi.admin.access import Denied, IsAuthenticated
from newapi.admin.accounts.services import finish_login
from newapi.admin.accounts.types import (
    AccessToken,
    ChangePasswordResult,
    LoginResult,
    PasswordChanged,
    TwoFactorRequired,
)
from newapi.admin.results import BigInt, field_errors
from newapi.auth.permissions import ROLE_ROOT, STATUS_ENABLED
from newapi.billing.settings import read_bool
from newapi.store.queries.accounts import account_options
from newapi.store.queries.admin_users import (
    Account,
    account_by_id,
    bump_auth_version,
    check_login,
    new_access_token,
    set_password,
)
from newapi.store.queries.two_factor import two_factor_state

__all__ = ["FLOW_TTL_S", "PASSWORD_MAX", "PASSWORD_MIN", "AccountMutation"]

PASSWORD_MIN, PASSWORD_MAX = 8, 20  # New API's password rule
FLOW_TTL_S = 300  # New API's pending two-factor login
_WRONG = "wrong username or password"
_LOGIN_OFF = "sign-in with a password is turned off on this server"


async def _password_login_allowed(user: Account | None) -> bool:
    """``PasswordLoginEnabled``, except for root, who can always sign in (never locked out).

    When it is off, a wrong password and a right one of a non-root user get the same answer.
    """
    if user is not None and user.role >= ROLE_ROOT:
        return True
    return read_bool("PasswordLoginEnabled", await account_options())


@strawberry.type
class AccountMutation:
    @strawberry.mutation(description="Sign in with a username or email; sets the session cookie.")
    async def login(self, info: Info[Any, Any], username: str, password: str) -> LoginResult:
        context = info.context
        ip = context.client_ip
        if context.limiter.blocked(ip, username):
            raise Denied("too many failed logins; try again later", "rate_limited")
        user = await check_login(username, password)
        if user is None:
            context.limiter.failed(ip, username)
        if not await _password_login_allowed(user):
            return field_errors(("password", _LOGIN_OFF))
        if user is None:
            return field_errors(("password", _WRONG))
        if user.status != STATUS_ENABLED:
            return field_errors(("username", "this user is disabled"))
        context.limiter.succeeded(username)
        state = await two_factor_state(user.id)
        if state is not None and state.enabled:
            now = int(time.time())
            token = context.signer.issue(user.id, user.auth_version, now=now, flow=FLOW_TTL_S)
            return TwoFactorRequired(flow_token=token, expires_at=BigInt(now + FLOW_TTL_S))
        return await finish_login(context, user, "password")

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Sign out: clears the cookie and ends every session of this user.",
    )
    async def logout(self, info: Info[Any, Any]) -> bool:
        context = info.context
        await bump_auth_version(context.user.id)
        context.end_session()
        return True

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def change_password(
        self, info: Info[Any, Any], old_password: str, new_password: str
    ) -> ChangePasswordResult:
        context = info.context
        if not PASSWORD_MIN <= len(new_password) <= PASSWORD_MAX:
            return field_errors(
                ("newPassword", f"must be {PASSWORD_MIN} to {PASSWORD_MAX} characters")
            )
        if not await set_password(context.user.id, old_password, new_password):
            return field_errors(("oldPassword", "the current password is wrong"))
        user = await account_by_id(context.user.id)
        if context.via == "session" and user is not None:
            return PasswordChanged(csrf_token=context.start_session(user))
        return PasswordChanged(csrf_token=None)

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="A new personal access token (replaces the previous one).",
    )
    async def generate_access_token(self, info: Info[Any, Any]) -> AccessToken:
        return AccessToken(token=await new_access_token(info.context.user.id))
