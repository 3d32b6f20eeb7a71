"""The per-request context: who is calling (session cookie or access token) and the loaders."""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from typing import Any

from sanic import Request
from strawberry.http.temporal_response import TemporalResponse

from newapi.admin.loaders import Loaders
from newapi.auth.permissions import STATUS_ENABLED
from newapi.auth.sessions import COOKIE_NAME, CSRF_HEADER, LoginLimiter, SessionSigner
from newapi.store.queries.admin_users import (
    ACCESS_TOKEN_LENGTH,
    Account,
    account_by_access_token,
    account_by_id,
)

__all__ = ["AdminContext", "build_context"]


@dataclass
class AdminContext:
    request: Request
    response: TemporalResponse
    signer: SessionSigner
    limiter: LoginLimiter
    user: Account | None = None
    via: str | None = None  # "session" | "token" | None
    cookie: str | None = None
    csrf_ok: bool = False
    loaders: Loaders = field(default_factory=Loaders)

    @property
    def relay(self) -> Any:
        return self.request.app.ctx.relay

    @property
    def config(self) -> Any:
        return self.request.app.ctx.config

    @property
    def client_ip(self) -> str:
        return str(self.request.remote_addr or self.request.ip or "")

    @property
    def csrf_token(self) -> str | None:
        return self.signer.csrf_token(self.cookie) if self.cookie else None

    def start_session(self, user: Account) -> str:
        """Set the session cookie for ``user``; return its CSRF token."""
        self.cookie = self.signer.issue(user.id, user.auth_version)
        self.response.headers["Set-Cookie"] = self.signer.set_cookie_header(self.cookie)
        self.user, self.via, self.csrf_ok = user, "session", True
        return self.signer.csrf_token(self.cookie)

    def end_session(self) -> None:
        self.response.headers["Set-Cookie"] = self.signer.clear_cookie_header()
        self.cookie = None


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "").strip()
    if header[:7].lower() == "bearer ":
        header = header[7:].strip()
    return header if len(header) == ACCESS_TOKEN_LENGTH and header.isalnum() else None


async def _session_user(signer: SessionSigner, cookie: str) -> Account | None:
    claims = signer.verify(cookie)
    if claims is None:
        return None
    user = await account_by_id(claims.user_id)
    if user is None or not hmac.compare_digest(str(user.auth_version), str(claims.auth_version)):
        return None
    return user


async def build_context(request: Request, response: TemporalResponse) -> AdminContext:
    """Authenticate the request: an access token first, then the session cookie."""
    ctx = request.app.ctx
    context = AdminContext(request, response, ctx.admin_signer, ctx.login_limiter)
    token = _bearer(request)
    if token is not None:
        user = await account_by_access_token(token)
        if user is not None and user.status == STATUS_ENABLED:
            context.user, context.via = user, "token"
        return context
    cookie = request.cookies.get(COOKIE_NAME)
    if cookie:
        user = await _session_user(context.signer, cookie)
        if user is not None and user.status == STATUS_ENABLED:
            context.user, context.via, context.cookie = user, "session", cookie
            context.csrf_ok = context.signer.csrf_ok(cookie, request.headers.get(CSRF_HEADER))
    return context
