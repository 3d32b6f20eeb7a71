"""The one pooled HTTP client for all upstream traffic, and how its failures become errors.

httpx is the interface; aiohttp is the transport under it. Measured on one core (the bench),
httpcore's pool costs 1.8-3.0 ms of CPU per relayed request, growing with concurrency (it scans
every pooled connection per request); aiohttp's connector costs 0.7-1.4 ms.

Requests are always opened in streaming mode: the caller sees the status and headers first and
then decides to read the whole body or forward it piece by piece.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

import httpx
from httpx_aiohttp import AiohttpTransport

from newapi.config.model import RelayConfig
from newapi.errors import UpstreamError, UpstreamTimeoutError

__all__ = ["Upstream"]

log = logging.getLogger(__name__)


class Upstream:
    """Owns the ``httpx.AsyncClient``; every relay request goes through ``open``."""

    __slots__ = ("_client", "_stream_timeout", "_whole_timeout")

    def __init__(self, relay: RelayConfig) -> None:
        whole = relay.relay_timeout_s or None
        self._whole_timeout = httpx.Timeout(connect=10.0, read=whole, write=60.0, pool=30.0)
        # Streams: the read timeout is the idle gap allowed between two pieces.
        self._stream_timeout = httpx.Timeout(
            connect=10.0, read=relay.streaming_timeout_s or None, write=60.0, pool=30.0
        )
        limits = httpx.Limits(
            max_connections=2000, max_keepalive_connections=500, keepalive_expiry=90.0
        )
        self._client = httpx.AsyncClient(
            timeout=self._whole_timeout,
            limits=limits,
            transport=AiohttpTransport(limits=limits),
            follow_redirects=False,
            trust_env=True,
        )

    async def open(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        body: bytes | None,
        *,
        stream: bool,
    ) -> httpx.Response:
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
            return await self._client.send(request, stream=True)
        except httpx.TimeoutException as exc:
            raise UpstreamTimeoutError(
                "the upstream did not answer in time", detail=f"{type(exc).__name__} {_host(url)}"
            ) from None
        except httpx.HTTPError as exc:
            raise UpstreamError(
                "could not reach the upstream",
                code="upstream_connect_error",
                detail=f"{type(exc).__name__} {_host(url)}: {exc}",
            ) from None

    async def close(self) -> None:
        await self._client.aclose()


def _host(url: str) -> str:
    """Scheme and host only: paths and query strings may carry keys."""
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0].split('?', 1)[0]}"
