"""The one pooled HTTP client for all upstream traffic, and how its failures become errors.

aiohttp's client session is used directly. Measured on one core (the bench, CPU per relayed
request): httpx with its own httpcore pool cost 1.8-3.0 ms, growing with concurrency (the pool
scans every pooled connection per request); httpx over an aiohttp transport 0.7-1.4 ms, of which
httpx's own request/response models and cookie handling were about a fifth. The session keeps
no cookies: an upstream's ``Set-Cookie`` must never reach another request.

Requests are always opened in streaming mode: the caller sees the status and headers first and
then decides to read the whole body (``aread``) or forward it piece by piece (``aiter_raw``).
Failures while reading the body are ``UpstreamTimeoutError`` (idle longer than the read
timeout) or ``UpstreamError`` (connection broken), like failures to connect.
"""

from __future__ import annotations

import logging
import urllib.request
from collections.abc import AsyncIterator, Mapping

import aiohttp
from multidict import CIMultiDictProxy

from newapi.config.model import RelayConfig
from newapi.errors import UpstreamError, UpstreamTimeoutError

__all__ = ["Upstream", "UpstreamResponse"]

log = logging.getLogger(__name__)


class UpstreamResponse:
    """An upstream response whose body has not been read yet."""

    __slots__ = ("_host", "_response", "headers", "status_code")

    def __init__(self, response: aiohttp.ClientResponse, host: str) -> None:
        self._response = response
        self._host = host
        self.status_code: int = response.status
        self.headers: CIMultiDictProxy[str] = response.headers

    async def aread(self) -> bytes:
        """The whole (decoded) body."""
        try:
            return await self._response.read()
        except (TimeoutError, aiohttp.ClientError) as exc:
            raise _body_error(exc, self._host) from None

    async def aiter_raw(self) -> AsyncIterator[bytes]:
        """Body pieces as they arrive."""
        content = self._response.content
        while True:
            try:
                piece = await content.readany()
            except (TimeoutError, aiohttp.ClientError) as exc:
                raise _body_error(exc, self._host) from None
            if not piece:
                return
            yield piece

    async def aclose(self) -> None:
        self._response.release()


class Upstream:
    """Owns the ``aiohttp.ClientSession``; every relay request goes through ``open``."""

    __slots__ = ("_bypass", "_proxies", "_session", "_stream_timeout", "_whole_timeout")

    def __init__(self, relay: RelayConfig) -> None:
        # sock_read is the idle gap allowed between two reads; streams use STREAMING_TIMEOUT.
        self._whole_timeout = aiohttp.ClientTimeout(
            total=None, connect=10.0, sock_read=relay.relay_timeout_s or None
        )
        self._stream_timeout = aiohttp.ClientTimeout(
            total=None, connect=10.0, sock_read=relay.streaming_timeout_s or None
        )
        self._session: aiohttp.ClientSession | None = None
        # HTTP(S)_PROXY / ALL_PROXY / NO_PROXY are read once: aiohttp's trust_env reads them
        # (and ~/.netrc, in a worker thread) on every request.
        self._proxies = {
            k: v for k, v in urllib.request.getproxies_environment().items() if k != "no"
        }
        self._bypass: dict[str, bool] = {}

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None:  # created on the running loop, on first use
            connector = aiohttp.TCPConnector(
                limit=2000, limit_per_host=0, keepalive_timeout=90.0, ttl_dns_cache=300
            )
            self._session = aiohttp.ClientSession(
                connector=connector,
                cookie_jar=aiohttp.DummyCookieJar(),
                timeout=self._whole_timeout,
                auto_decompress=True,
            )
        return self._session

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
        try:
            response = await self._client().request(
                method,
                url,
                headers=headers,
                data=body,
                allow_redirects=False,
                timeout=self._stream_timeout if stream else self._whole_timeout,
                proxy=self._proxy(url) if self._proxies else None,
            )
        except TimeoutError as exc:
            raise UpstreamTimeoutError(
                "the upstream did not answer in time", detail=f"{type(exc).__name__} {_host(url)}"
            ) from None
        except (aiohttp.ClientError, ValueError) as exc:
            raise UpstreamError(
                "could not reach the upstream",
                code="upstream_connect_error",
                detail=f"{type(exc).__name__} {_host(url)}{_reason(exc)}",
            ) from None
        return UpstreamResponse(response, _host(url))

    def _proxy(self, url: str) -> str | None:
        scheme, _, rest = url.partition("://")
        proxy = self._proxies.get(scheme) or self._proxies.get("all")
        if proxy is None:
            return None
        host = rest.split("/", 1)[0].split("?", 1)[0]
        bypass = self._bypass.get(host)
        if bypass is None:
            bypass = self._bypass[host] = bool(urllib.request.proxy_bypass_environment(host))
        return None if bypass else proxy

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


def _body_error(exc: BaseException, host: str) -> UpstreamError:
    if isinstance(exc, TimeoutError):
        return UpstreamTimeoutError(
            "the upstream went silent", detail=f"{type(exc).__name__} {host}"
        )
    return UpstreamError(
        "the upstream connection broke",
        code="upstream_connect_error",
        detail=f"{type(exc).__name__} {host}{_reason(exc)}",
    )


def _reason(exc: BaseException) -> str:
    """The OS-level reason of a connection failure; never a URL (paths may carry keys)."""
    if isinstance(exc, aiohttp.ClientConnectorError):
        return f": {exc.os_error}"
    if isinstance(exc, aiohttp.ClientOSError | aiohttp.ServerDisconnectedError):
        return f": {exc}"
    return ""


def _host(url: str) -> str:
    """Scheme and host only: paths and query strings may carry keys."""
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0].split('?', 1)[0]}"
