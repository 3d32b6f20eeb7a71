"""One-time email codes (sign-up verification, password reset): issued, stored hashed, checked.

A code is 6 digits, valid 10 minutes (New API's lifetime) and good for one use; five wrong
guesses throw it away. Only an HMAC of the code is kept, under a key derived from
``SESSION_SECRET``. With Redis configured (``REDIS_CONN_STRING``) codes live there and every
node sees them; without it they live in this process, so a multi-node deployment without Redis
must send the code and check it on the same node (New API keeps them in process memory too).
The Redis key is ``CODE_KEY`` (newapi/cache/keys.py).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from typing import Any

from newapi.cache.keys import CODE_KEY

__all__ = ["CODE_TTL_S", "MAX_GUESSES", "VerificationCodes"]

CODE_TTL_S = 600
MAX_GUESSES = 5


class VerificationCodes:
    """Codes per (purpose, email); in Redis when a client is given, else in memory."""

    def __init__(self, secret: str | None, redis: Any = None, *, ttl_s: int = CODE_TTL_S) -> None:
        base = (secret or secrets.token_urlsafe(32)).encode()
        self._key = hmac.digest(base, b"newapi email codes", "sha256")
        self._redis = redis
        self.ttl_s = ttl_s
        self._memory: dict[str, tuple[str, float, int]] = {}

    def _digest(self, text: str) -> str:
        return hmac.new(self._key, text.encode(), hashlib.sha256).hexdigest()

    def _slot(self, purpose: str, email: str) -> str:
        subject = self._digest("email:" + email.strip().lower())[:32]
        return CODE_KEY.format(purpose=purpose, subject=subject)

    async def issue(self, purpose: str, email: str, *, now: float | None = None) -> str:
        """A new code for ``email`` (replacing an earlier one for the same purpose)."""
        code, email = f"{secrets.randbelow(10**6):06d}", email.strip().lower()
        slot, digest = self._slot(purpose, email), self._digest(f"{purpose}:{email}:{code}")
        if self._redis is not None:
            await self._redis.hset(slot, mapping={"digest": digest, "guesses": 0})
            await self._redis.expire(slot, self.ttl_s)
            return code
        stamp = time.monotonic() if now is None else now
        if len(self._memory) > 10_000:
            self._memory = {k: v for k, v in self._memory.items() if v[1] > stamp}
        self._memory[slot] = (digest, stamp + self.ttl_s, 0)
        return code

    async def consume(
        self, purpose: str, email: str, code: str, *, now: float | None = None
    ) -> bool:
        """Whether ``code`` is the live code for ``email``; a right code is used up."""
        email, code = email.strip().lower(), code.strip()
        slot, digest = self._slot(purpose, email), self._digest(f"{purpose}:{email}:{code}")
        if self._redis is not None:
            return await self._consume_redis(slot, digest)
        stamp = time.monotonic() if now is None else now
        stored = self._memory.get(slot)
        if stored is None or stored[1] <= stamp:
            self._memory.pop(slot, None)
            return False
        if hmac.compare_digest(stored[0], digest):
            del self._memory[slot]
            return True
        if stored[2] + 1 >= MAX_GUESSES:
            del self._memory[slot]
        else:
            self._memory[slot] = (stored[0], stored[1], stored[2] + 1)
        return False

    async def _consume_redis(self, slot: str, digest: str) -> bool:
        stored = await self._redis.hget(slot, "digest")
        if stored is None:
            return False
        stored = stored.decode() if isinstance(stored, bytes) else str(stored)
        if hmac.compare_digest(stored, digest):
            return bool(await self._redis.delete(slot))  # only one request wins the code
        if int(await self._redis.hincrby(slot, "guesses", 1)) >= MAX_GUESSES:
            await self._redis.delete(slot)
        return False

    async def aclose(self) -> None:
        if self._redis is not None:
            await self._redis.aclose()
