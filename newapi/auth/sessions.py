"""Admin sessions: signed cookies, the CSRF token derived from them, and the login limiter.

A session cookie is ``<payload>.<signature>``: the payload is base64url of
``user_id:auth_version:expires_at`` and the signature is HMAC-SHA256 under ``SESSION_SECRET``,
so any node sharing the secret accepts it. Bumping a user's ``auth_version`` (password or
group change, deletion, logout) revokes every cookie signed before. The CSRF token is a second
HMAC of the cookie, which a cross-site page cannot read or compute.
"""

from __future__ import annotations

import base64
import hmac
import logging
import secrets
import time
from collections import deque
from dataclasses import dataclass

__all__ = [
    "COOKIE_NAME",
    "CSRF_HEADER",
    "SESSION_TTL_S",
    "LoginLimiter",
    "SessionClaims",
    "SessionSigner",
]

log = logging.getLogger(__name__)

COOKIE_NAME = "newapi_session"
CSRF_HEADER = "X-CSRF-Token"
SESSION_TTL_S = 30 * 24 * 3600  # New API's 30 days


@dataclass(frozen=True, slots=True)
class SessionClaims:
    user_id: int
    auth_version: int
    expires_at: int


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SessionSigner:
    """Signs and checks session cookies with one secret."""

    def __init__(self, secret: str | None, *, ttl_s: int = SESSION_TTL_S) -> None:
        if not secret:
            log.warning(
                "SESSION_SECRET is not set: sessions use a random per-process secret, so they "
                "end at restart and work on this node only"
            )
            secret = secrets.token_urlsafe(32)
        self._session_key = hmac.digest(secret.encode(), b"newapi session", "sha256")
        self._csrf_key = hmac.digest(secret.encode(), b"newapi csrf", "sha256")
        self._flow_key = hmac.digest(secret.encode(), b"newapi 2fa login", "sha256")
        self.ttl_s = ttl_s

    def _sign(self, payload: str, key: bytes | None = None) -> str:
        return _b64(hmac.digest(key or self._session_key, payload.encode(), "sha256"))

    def issue(
        self, user_id: int, auth_version: int, *, now: int | None = None, flow: int = 0
    ) -> str:
        """A cookie value for the user, valid for ``ttl_s`` seconds.

        With ``flow`` (seconds), a pending two-factor login's token instead: valid that long
        and signed with its own key, so it never works as a cookie.
        """
        expires = (int(time.time()) if now is None else now) + (flow or self.ttl_s)
        payload = _b64(f"{user_id}:{auth_version}:{expires}".encode())
        return f"{payload}.{self._sign(payload, self._flow_key if flow else None)}"

    def verify(
        self, cookie: str, *, now: int | None = None, flow: bool = False
    ) -> SessionClaims | None:
        """The claims of a genuine, unexpired cookie (or flow token); None otherwise."""
        payload, _, signature = cookie.partition(".")
        if not payload or not signature:
            return None
        expected = self._sign(payload, self._flow_key if flow else None)
        if not hmac.compare_digest(signature, expected):
            return None
        try:
            user_id, version, expires = (int(p) for p in _unb64(payload).decode().split(":"))
        except (ValueError, UnicodeDecodeError):
            return None
        if expires <= (int(time.time()) if now is None else now):
            return None
        return SessionClaims(user_id, version, expires)

    def csrf_token(self, cookie: str) -> str:
        """The value the ``X-CSRF-Token`` header must carry with this cookie."""
        return _b64(hmac.digest(self._csrf_key, cookie.encode(), "sha256"))[:32]

    def csrf_ok(self, cookie: str, header: str | None) -> bool:
        return bool(header) and hmac.compare_digest(self.csrf_token(cookie), header or "")

    def set_cookie_header(self, cookie: str) -> str:
        """The ``Set-Cookie`` value for a new session."""
        return f"{COOKIE_NAME}={cookie}; Path=/; Max-Age={self.ttl_s}; HttpOnly; SameSite=Strict"

    @staticmethod
    def clear_cookie_header() -> str:
        return f"{COOKIE_NAME}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"


class LoginLimiter:
    """Failed-login counters per client IP and per username, in process memory.

    A key with ``limit`` failures inside ``window_s`` seconds is refused until the oldest
    failure leaves the window. Successful logins clear the username's counter.
    """

    def __init__(self, *, per_ip: int = 20, per_username: int = 5, window_s: float = 300.0) -> None:
        self._limits = {"ip": per_ip, "user": per_username}
        self.window_s = window_s
        self._failures: dict[tuple[str, str], deque[float]] = {}

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        stamps = self._failures.setdefault(key, deque())
        while stamps and stamps[0] <= now - self.window_s:
            stamps.popleft()
        return stamps

    def blocked(self, ip: str, username: str, *, now: float | None = None) -> bool:
        """Whether another attempt from ``ip`` for ``username`` must be refused now."""
        stamp = time.monotonic() if now is None else now
        return (
            len(self._recent(("ip", ip), stamp)) >= self._limits["ip"]
            or len(self._recent(("user", username.lower()), stamp)) >= self._limits["user"]
        )

    def failed(self, ip: str, username: str, *, now: float | None = None) -> None:
        stamp = time.monotonic() if now is None else now
        self._recent(("ip", ip), stamp).append(stamp)
        self._recent(("user", username.lower()), stamp).append(stamp)
        if len(self._failures) > 100_000:  # bound memory under a spray of usernames
            self._failures.clear()

    def succeeded(self, username: str) -> None:
        self._failures.pop(("user", username.lower()), None)
