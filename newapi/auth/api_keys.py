"""API keys on relay routes: where the key is read from, and what makes a key usable.

Tokens and their users are cached in memory for ``ttl`` seconds (New API's SYNC_FREQUENCY);
unknown keys are remembered briefly so that a client retrying a wrong key does not reach the
database every time. A key is never written into a message or a log line.
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass

from newapi.errors import AuthenticationError, PermissionDeniedError

__all__ = ["ApiKeys", "Caller", "KeyOwner", "extract_key", "parse_allow_ips"]

ROLE_ADMIN = 10
TOKEN_ENABLED, TOKEN_DISABLED, TOKEN_EXPIRED, TOKEN_EXHAUSTED = 1, 2, 3, 4
USER_ENABLED = 1

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True, slots=True)
class KeyOwner:
    """A token row joined with its user, as the relay needs them."""

    token_id: int
    token_name: str
    token_status: int
    expired_time: int  # unix seconds, -1 = never
    remain_quota: int
    unlimited_quota: bool
    model_limits: frozenset[str] | None  # None = any model
    allow_ips: tuple[IPNetwork, ...] | None  # None = any address
    token_group: str  # "" = the user's group
    user_id: int
    username: str
    user_role: int
    user_status: int
    user_group: str
    user_quota: int
    token_used_quota: int = 0
    record_ip: bool = False

    @property
    def group(self) -> str:
        return self.token_group or self.user_group


@dataclass(frozen=True, slots=True)
class Caller:
    """An authenticated relay request: who pays, in which group, and an optional pinned channel."""

    owner: KeyOwner
    pinned_channel: int | None


def parse_allow_ips(text: str | None) -> tuple[IPNetwork, ...] | None:
    """New API's ``allow_ips``: IPs or CIDRs separated by newlines (commas tolerated)."""
    if not text or not text.strip():
        return None
    networks: list[IPNetwork] = []
    for item in text.replace(",", "\n").splitlines():
        item = item.strip()
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            continue  # an unreadable entry allows nothing
    return tuple(networks)


def extract_key(headers: Mapping[str, str], path: str, query_key: str | None) -> str:
    """The raw key of a relay request, in New API's order of precedence."""
    protocol = headers.get("sec-websocket-protocol")
    if protocol:
        for item in protocol.split(","):
            item = item.strip()
            if item.startswith("openai-insecure-api-key."):
                return item[len("openai-insecure-api-key.") :]
    if path.startswith(("/v1beta/", "/v1/models/")):
        google = headers.get("x-goog-api-key") or query_key
        if google:
            return google
    api_key = headers.get("x-api-key")
    if api_key:
        return api_key
    authorization = headers.get("authorization", "")
    if authorization[:7].lower() == "bearer ":
        authorization = authorization[7:]
    authorization = authorization.strip()
    if not authorization or authorization == "midjourney-proxy":
        authorization = headers.get("mj-api-secret", "")
    return authorization.strip()


def _split_key(raw: str) -> tuple[str, int | None]:
    key = raw[3:] if raw.startswith("sk-") else raw
    token, sep, channel = key.partition("-")
    # gateway.toml channels have negative ids, so their pin reads sk-KEY--123
    if sep and channel.removeprefix("-").isdigit():
        return token, int(channel)
    return key, None


class ApiKeys:
    """Authenticates relay requests against cached token rows."""

    __slots__ = ("_cache", "_clock", "_generation", "_load", "_ttl")

    def __init__(
        self,
        load: Callable[[str], Awaitable[KeyOwner | None]],
        ttl: float = 60.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._load = load
        self._ttl = ttl
        self._clock = clock
        self._cache: dict[str, tuple[float, KeyOwner | None]] = {}
        self._generation = 0  # bumped by every invalidation: a load begun before it is not kept

    def invalidate(self, key: str | None = None) -> None:
        """Forget one key (stored form, without ``sk-``) or all of them."""
        self._generation += 1
        if key is None:
            self._cache.clear()
        else:
            self._cache.pop(key, None)

    def forget_owners(
        self, token_ids: Iterable[int] = (), user_ids: Iterable[int] = ()
    ) -> None:
        """Forget the cached keys of these tokens and of every token of these users."""
        tokens, users = frozenset(token_ids), frozenset(user_ids)
        self._generation += 1
        stale = [
            key
            for key, (_, owner) in self._cache.items()
            if owner is not None and (owner.token_id in tokens or owner.user_id in users)
        ]
        for key in stale:
            self._cache.pop(key, None)

    async def _owner(self, key: str, now: float) -> KeyOwner | None:
        hit = self._cache.get(key)
        if hit is not None and hit[0] > now:
            return hit[1]
        generation = self._generation
        owner = await self._load(key)
        if generation != self._generation:  # changed while loading: answer, but do not keep
            return owner
        ttl = self._ttl if owner is not None else min(self._ttl, 5.0)
        if len(self._cache) > 100_000:
            self._cache.clear()
        self._cache[key] = (now + ttl, owner)
        return owner

    async def authenticate(self, raw_key: str, client_ip: str) -> Caller:
        """The caller behind ``raw_key``, or an error naming the check that failed."""
        if not raw_key:
            raise AuthenticationError(
                "no API key provided (use Authorization: Bearer sk-...)", code="missing_api_key"
            )
        key, pinned = _split_key(raw_key)
        now = self._clock()
        owner = await self._owner(key, now)
        if owner is None:
            raise AuthenticationError("invalid API key", code="invalid_api_key")
        _check_token(owner, now)
        if owner.allow_ips is not None and not _ip_allowed(owner.allow_ips, client_ip):
            raise PermissionDeniedError(
                f"this API key may not be used from {client_ip}", code="ip_not_allowed"
            )
        if owner.user_status != USER_ENABLED:
            raise PermissionDeniedError(
                "the user of this API key is disabled", code="user_disabled"
            )
        if pinned is not None and owner.user_role < ROLE_ADMIN:
            raise PermissionDeniedError(
                "only administrators may pin a channel with sk-KEY-CHANNEL",
                code="channel_pin_forbidden",
            )
        return Caller(owner, pinned)


def _check_token(owner: KeyOwner, now: float) -> None:
    if owner.token_status == TOKEN_DISABLED:
        raise AuthenticationError("this API key is disabled", code="token_disabled")
    if owner.token_status == TOKEN_EXPIRED or (
        owner.expired_time != -1 and owner.expired_time < now
    ):
        raise AuthenticationError("this API key has expired", code="token_expired")
    if owner.token_status == TOKEN_EXHAUSTED or (
        not owner.unlimited_quota and owner.remain_quota <= 0
    ):
        raise AuthenticationError("this API key's quota is used up", code="token_exhausted")
    if owner.token_status != TOKEN_ENABLED:
        raise AuthenticationError("this API key cannot be used", code="token_disabled")


def _ip_allowed(networks: tuple[IPNetwork, ...], client_ip: str) -> bool:
    try:
        address = ipaddress.ip_address(client_ip)
    except ValueError:
        return False
    return any(address in network for network in networks)
