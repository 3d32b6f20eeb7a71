"""What the account resolvers share: the code store, the mailer, limiters, finishing a login.

``services(context)`` builds them once per app on first use (Redis when ``REDIS_CONN_STRING`` is
set); ``close_services(app)`` releases them at shutdown.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

from newapi.admin.accounts.types import LoginSuccess
from newapi.admin.me.types import Me
from newapi.auth.codes import VerificationCodes
from newapi.auth.mail import Mailer
from newapi.auth.sessions import LoginLimiter
from newapi.auth.totp import match_backup_code, match_step
from newapi.billing.settings import EMAIL_PATTERN
from newapi.store.queries.accounts import write_login_log
from newapi.store.queries.admin_users import Account
from newapi.store.queries.two_factor import (
    record_two_factor_failure,
    record_two_factor_success,
    two_factor_state,
    unused_backup_codes,
    use_backup_code,
)

__all__ = [
    "AccountServices",
    "check_second_factor",
    "close_services",
    "finish_login",
    "services",
    "valid_email",
]

EMAIL_MAX = 50  # New API's limit


@dataclass
class AccountServices:
    codes: VerificationCodes
    mailer: Mailer
    send_limiter: LoginLimiter  # codes sent per IP and per email address
    own_redis: bool = False  # a client of its own (closed here) rather than the process's one


def _build(app: Any) -> AccountServices:
    config = app.ctx.config
    redis = getattr(app.ctx, "redis", None)  # the process's client (newapi.relay.sync)
    own = redis is None and bool(config.redis.url)
    if own:
        from redis.asyncio import Redis

        redis = Redis.from_url(config.redis.url)
    return AccountServices(
        codes=VerificationCodes(config.security.session_secret, redis),
        mailer=Mailer(),
        # New API allows 2 mails per address in 30 s; an address-hopping client is held by IP.
        send_limiter=LoginLimiter(per_ip=10, per_username=2, window_s=30.0),
        own_redis=own,
    )


def services(context: Any) -> AccountServices:
    app = context.request.app
    found = getattr(app.ctx, "account_services", None)
    if found is None:
        found = app.ctx.account_services = _build(app)
    return found


async def close_services(app: Any) -> None:
    found = getattr(app.ctx, "account_services", None)
    if found is not None:
        await found.mailer.aclose()
        if found.own_redis:
            await found.codes.aclose()


def valid_email(email: str) -> bool:
    return len(email) <= EMAIL_MAX and EMAIL_PATTERN.match(email) is not None


async def finish_login(context: Any, user: Account, method: str) -> LoginSuccess:
    """Start the session and write New API's login log (type 7)."""
    csrf = context.start_session(user)
    await write_login_log(user.id, user.username, method, context.client_ip)
    return LoginSuccess(user=Me.of(user, csrf), csrf_token=csrf)


async def check_second_factor(user_id: int, code: str, *, now: float | None = None) -> str:
    """``ok``, ``wrong``, ``locked`` or ``off``: a TOTP code (unused step) or a backup code.

    Wrong codes count toward New API's lockout (5 in a row lock 2FA for 300 s).
    """
    stamp = time.time() if now is None else now
    state = await two_factor_state(user_id)
    if state is None or not state.enabled:
        return "off"
    if state.locked_until > stamp:
        return "locked"
    step = match_step(state.secret, code, now=stamp)
    if step is not None:
        if await record_two_factor_success(user_id, step, now=stamp):
            return "ok"
    else:
        stored = await unused_backup_codes(user_id)
        code_id = await asyncio.to_thread(match_backup_code, code, stored)
        if code_id is not None and await use_backup_code(code_id, now=stamp):
            await record_two_factor_success(user_id, None, now=stamp)
            return "ok"
    return "locked" if await record_two_factor_failure(user_id, now=stamp) else "wrong"
