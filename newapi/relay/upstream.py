"""The one pooled HTTP client for all upstream traffic, and how its failures become errors.

httpx is the interface (its ``Request``/``Response`` and transport API); aiohttp's connector
is the transport under it (``httpx-aiohttp``). Measured on one core (the bench, CPU per relayed
request): httpx with its own httpcore pool cost 1.8-3.0 ms, growing with concurrency (the pool
scans every pooled connection per request); over the aiohttp transport 0.7-1.4 ms.
docs/benchmarks.md keeps what else was measured.

No cookies are kept: an upstream's ``Set-Cookie`` must never reach another request.
Proxies come from HTTP(S)_PROXY / ALL_PROXY / NO_PROXY, read once.

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
import httpx
from httpx_aiohttp import AiohttpTransport

from newapi.config.model import RelayConfig
from newapi.errors import UpstreamError, UpstreamTimeoutError

__all__ = ["Upstream", "UpstreamResponse"]

log = logging.getLogger(__name__)

_URL_CACHE = 4096  # parsed upstream URLs kept (a few per channel and model)


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
        encoded = self._response.headers.get("content-encoding", "identity") != "identity"
        # identity is asked for (outbound.py); decode only an upstream that compresses anyway
        pieces = self._response.aiter_bytes() if encoded else self._response.aiter_raw()
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


class Upstream:
    """Owns the transports; every relay request goes through ``open``.

    Requests are ``httpx.Request`` objects handed to the transport directly: the client layer
    (redirects, auth flows, cookie jar, event hooks) does nothing the relay needs, and it cost
    about a third of a relayed request (docs/benchmarks.md). Without it no cookie is ever kept,
    and parsed URLs are reused per address.
    """

    __slots__ = (
        "_bypass",
        "_direct",
        "_proxied",
        "_proxies",
        "_stream_timeout",
        "_urls",
        "_whole_timeout",
    )

    def __init__(self, relay: RelayConfig) -> None:
        # read is the idle gap allowed between two reads; streams use STREAMING_TIMEOUT.
        self._whole_timeout = httpx.Timeout(
            connect=10.0, read=relay.relay_timeout_s or None, write=60.0, pool=30.0
        ).as_dict()
        self._stream_timeout = httpx.Timeout(
            connect=10.0, read=relay.streaming_timeout_s or None, write=60.0, pool=30.0
        ).as_dict()
        self._direct = AiohttpTransport(client=_session)
        # HTTP(S)_PROXY / ALL_PROXY / NO_PROXY, read once.
        self._proxies = {
            k: v for k, v in urllib.request.getproxies_environment().items() if k != "no"
        }
        self._proxied: dict[str, AiohttpTransport] = {}
        self._bypass: dict[str, bool] = {}
        self._urls: dict[str, httpx.URL] = {}

    def _url(self, url: str) -> httpx.URL:
        parsed = self._urls.get(url)
        if parsed is None:
            if len(self._urls) >= _URL_CACHE:
                self._urls.clear()
            parsed = self._urls[url] = httpx.URL(url)
        return parsed

    def _transport(self, url: httpx.URL) -> AiohttpTransport:
        if not self._proxies:
            return self._direct
        proxy = self._proxies.get(url.scheme) or self._proxies.get("all")
        if proxy is None:
            return self._direct
        host = url.host
        bypass = self._bypass.get(host)
        if bypass is None:
            bypass = self._bypass[host] = bool(urllib.request.proxy_bypass_environment(host))
        if bypass:
            return self._direct
        transport = self._proxied.get(proxy)
        if transport is None:
            target = proxy if "://" in proxy else f"http://{proxy}"
            transport = self._proxied[proxy] = AiohttpTransport(
                client=_session, proxy=httpx.Proxy(target)
            )
        return transport

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
            target = self._url(url)
            request = httpx.Request(
                method,
                target,
                headers=headers,
                content=body,
                extensions={"timeout": self._stream_timeout if stream else self._whole_timeout},
            )
            response = await self._transport(target).handle_async_request(request)
        except httpx.TimeoutException as exc:
            raise UpstreamTimeoutError(
                "the upstream did not answer in time", detail=f"{type(exc).__name__} {_host(url)}"
            ) from None
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise UpstreamError(
                "could not reach the upstream",
                code="upstream_connect_error",
                detail=f"{type(exc).__name__} {_host(url)}{_reason(exc)}",
            ) from None
        return UpstreamResponse(response, _host(url))

    async def close(self) -> None:
        await self._direct.aclose()
        for transport in self._proxied.values():
            await transport.aclose()


def _body_error(exc: Exception, host: str) -> UpstreamError:
    if isinstance(exc, httpx.TimeoutException):
        return UpstreamTimeoutError(
            "the upstream went silent", detail=f"{type(exc).__name__} {host}"
        )
    return UpstreamError(
        "the upstream connection broke",
        code="upstream_connect_error",
        detail=f"{type(exc).__name__} {host}{_reason(exc)}",
    )


def _reason(exc: Exception) -> str:
    """The OS-level reason of a connection failure; never a URL (paths may carry keys)."""
    if isinstance(exc, httpx.ConnectError | httpx.ReadError | httpx.RemoteProtocolError):
        cause = exc.__cause__ or exc.__context__
        return f": {cause}" if isinstance(cause, OSError | aiohttp.ClientError) else ""
    return ""


def _host(url: str) -> str:
    """Scheme and host only: paths and query strings may carry keys."""
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0].split('?', 1)[0]}"
