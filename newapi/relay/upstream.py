"""The one pooled HTTP client for all upstream traffic, and how its failures become errors.

httpx is the interface; aiohttp's connector is the transport under it (``httpx-aiohttp``).
Measured on one core (the bench, CPU per relayed request): httpx with its own httpcore pool cost
1.8-3.0 ms, growing with concurrency (the pool scans every pooled connection per request); over
the aiohttp transport 0.7-1.4 ms. docs/benchmarks.md keeps what else was measured (aiohttp's
session without httpx on top saves a further 0.3-0.8 ms; httpx stays the project's client).

The client keeps no cookies: an upstream's ``Set-Cookie`` must never reach another request.
Proxies come from HTTP(S)_PROXY / ALL_PROXY / NO_PROXY, read once when the client is built.

Requests are always opened in streaming mode: the caller sees the status and headers first and
then decides to read the whole body (``aread``) or forward it piece by piece (``aiter_raw``).
Failures while reading the body are ``UpstreamTimeoutError`` (idle longer than the read
timeout) or ``UpstreamError`` (connection broken), like failures to connect.
"""

from __future__ import annotations

import ipaddress
import logging
import urllib.request
from collections.abc import AsyncIterator, Mapping
from http.cookiejar import CookieJar, DefaultCookiePolicy

import aiohttp
import httpx
from httpx_aiohttp import AiohttpTransport

from newapi.config.model import RelayConfig
from newapi.errors import UpstreamError, UpstreamTimeoutError

__all__ = ["Upstream", "UpstreamResponse"]

log = logging.getLogger(__name__)


class _NoCookies(DefaultCookiePolicy):
    """Neither keeps an upstream's cookies nor sends any."""

    def set_ok(self, cookie: object, request: object) -> bool:
        return False

    def return_ok(self, cookie: object, request: object) -> bool:
        return False


class UpstreamResponse:
    """An upstream response whose body has not been read yet."""

    __slots__ = ("_host", "_response", "headers", "status_code")

    def __init__(self, response: httpx.Response, host: str) -> None:
        self._response = response
        self._host = host
        self.status_code: int = response.status_code
        self.headers: httpx.Headers = response.headers

    async def aread(self) -> bytes:
        """The whole (decoded) body."""
        try:
            return await self._response.aread()
        except httpx.HTTPError as exc:
            raise _body_error(exc, self._host) from None

    async def aiter_raw(self) -> AsyncIterator[bytes]:
        """Body pieces as they arrive."""
        pieces = self._response.aiter_bytes()  # decoded, should an upstream compress anyway
        while True:
            try:
                piece = await anext(pieces)
            except StopAsyncIteration:
                return
            except httpx.HTTPError as exc:
                raise _body_error(exc, self._host) from None
            yield piece

    async def aclose(self) -> None:
        await self._response.aclose()


def _session() -> aiohttp.ClientSession:
    """The aiohttp session under httpx; made by the transport on first use, on the running loop."""
    connector = aiohttp.TCPConnector(
        limit=2000, limit_per_host=0, keepalive_timeout=90.0, ttl_dns_cache=300
    )
    return aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.DummyCookieJar())


def _proxy_mounts() -> dict[str, httpx.AsyncBaseTransport | None]:
    """Transports for HTTP(S)_PROXY / ALL_PROXY, and direct routes for NO_PROXY hosts.

    httpx reads the environment only for its own transport, so the mounts are built here."""
    env = urllib.request.getproxies_environment()
    mounts: dict[str, httpx.AsyncBaseTransport | None] = {}
    for scheme in ("http", "https", "all"):
        url = env.get(scheme)
        if url:
            proxy = httpx.Proxy(url if "://" in url else f"http://{url}")
            mounts[f"{scheme}://"] = AiohttpTransport(client=_session, proxy=proxy)
    if not mounts:
        return mounts
    for host in (h.strip() for h in env.get("no", "").split(",")):
        if host == "*":
            return {}
        pattern = _no_proxy_pattern(host) if host else None
        if pattern is not None:
            mounts[pattern] = None
    return mounts


def _no_proxy_pattern(host: str) -> str | None:
    """The httpx mount pattern of one NO_PROXY entry: an IP, or a name with its subdomains."""
    if "/" in host:
        log.warning("NO_PROXY entry %r: networks are not supported; list the hosts", host)
        return None
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return f"all://*{host.lstrip('.')}"
    return f"all://{host}"


class Upstream:
    """Owns the ``httpx.AsyncClient``; every relay request goes through ``open``."""

    __slots__ = ("_client", "_stream_timeout", "_whole_timeout")

    def __init__(self, relay: RelayConfig) -> None:
        # read is the idle gap allowed between two reads; streams use STREAMING_TIMEOUT.
        self._whole_timeout = httpx.Timeout(
            connect=10.0, read=relay.relay_timeout_s or None, write=60.0, pool=30.0
        )
        self._stream_timeout = httpx.Timeout(
            connect=10.0, read=relay.streaming_timeout_s or None, write=60.0, pool=30.0
        )
        self._client = httpx.AsyncClient(
            timeout=self._whole_timeout,
            transport=AiohttpTransport(client=_session),
            mounts=_proxy_mounts(),
            cookies=CookieJar(policy=_NoCookies()),
            follow_redirects=False,
            trust_env=False,  # proxies: _proxy_mounts; no ~/.netrc
        )

    async def open(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        body: bytes | None,
        *,
        stream: bool,
    ) -> UpstreamResponse:
        """Send the request and return once the response headers arrived.

        Raises ``UpstreamError`` (connect failures, broken connections) or
        ``UpstreamTimeoutError`` (no answer in time); both are retryable.
        """
        request = self._client.build_request(
            method,
            url,
            headers=headers,
            content=body,
            timeout=self._stream_timeout if stream else self._whole_timeout,
        )
        try:
            response = await self._client.send(request, stream=True)
        except httpx.TimeoutException as exc:
            raise UpstreamTimeoutError(
                "the upstream did not answer in time", detail=f"{type(exc).__name__} {_host(url)}"
            ) from None
        except httpx.HTTPError as exc:
            raise UpstreamError(
                "could not reach the upstream",
                code="upstream_connect_error",
                detail=f"{type(exc).__name__} {_host(url)}{_reason(exc)}",
            ) from None
        return UpstreamResponse(response, _host(url))

    async def close(self) -> None:
        await self._client.aclose()


def _body_error(exc: httpx.HTTPError, host: str) -> UpstreamError:
    if isinstance(exc, httpx.TimeoutException):
        return UpstreamTimeoutError(
            "the upstream went silent", detail=f"{type(exc).__name__} {host}"
        )
    return UpstreamError(
        "the upstream connection broke",
        code="upstream_connect_error",
        detail=f"{type(exc).__name__} {host}{_reason(exc)}",
    )


def _reason(exc: httpx.HTTPError) -> str:
    """The OS-level reason of a connection failure; never a URL (paths may carry keys)."""
    if isinstance(exc, httpx.ConnectError | httpx.ReadError | httpx.RemoteProtocolError):
        cause = exc.__cause__ or exc.__context__
        return f": {cause}" if isinstance(cause, OSError | aiohttp.ClientError) else ""
    return ""


def _host(url: str) -> str:
    """Scheme and host only: paths and query strings may carry keys."""
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0].split('?', 1)[0]}"
