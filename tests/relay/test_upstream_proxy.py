"""The upstream client honours HTTP(S)_PROXY and NO_PROXY (read when it is built) and keeps no
cookies between requests."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from newapi.config.model import RelayConfig
from newapi.relay.upstream import Upstream

_PROXY_VARS = ("ALL_PROXY", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY")


class Recorder:
    """A loopback HTTP/1.1 server that records each request head and answers 200."""

    def __init__(self, set_cookie: bool = False) -> None:
        self.heads: list[str] = []
        self.set_cookie = set_cookie
        self.port = 0
        self._server: asyncio.Server | None = None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while head := (await reader.readuntil(b"\r\n\r\n")).decode("latin-1"):
            self.heads.append(head)
            cookie = "Set-Cookie: session=upstream-secret; Path=/\r\n" if self.set_cookie else ""
            writer.write(
                f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n{cookie}"
                "Content-Length: 2\r\n\r\n{}".encode()
            )
            await writer.drain()
            if reader.at_eof():
                break

    async def __aenter__(self) -> Recorder:
        self._server = await asyncio.start_server(self._quiet, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def _quiet(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await self._serve(reader, writer)
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()


@pytest.fixture
def no_proxy_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in _PROXY_VARS:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    return monkeypatch


async def _get(upstream: Upstream, url: str) -> int:
    response = await upstream.open("GET", url, {}, None, stream=False)
    await response.aread()
    return response.status_code


@pytest.fixture
async def servers() -> AsyncIterator[tuple[Recorder, Recorder]]:
    async with Recorder() as proxy, Recorder() as direct:
        yield proxy, direct


async def test_http_proxy_from_the_environment(
    no_proxy_env: pytest.MonkeyPatch, servers: tuple[Recorder, Recorder]
) -> None:
    proxy, direct = servers
    no_proxy_env.setenv("HTTP_PROXY", f"http://127.0.0.1:{proxy.port}")
    no_proxy_env.setenv("NO_PROXY", "localhost,.corp.example")
    upstream = Upstream(RelayConfig())
    try:
        assert await _get(upstream, "http://api.example.invalid/v1/models") == 200
        assert await _get(upstream, f"http://localhost:{direct.port}/v1/models") == 200
    finally:
        await upstream.close()
    # through the proxy: the absolute URL on the request line; NO_PROXY hosts go direct
    assert proxy.heads[0].startswith("GET http://api.example.invalid/v1/models HTTP/1.1")
    assert direct.heads[0].startswith("GET /v1/models HTTP/1.1")
    assert len(proxy.heads) == 1


async def test_without_proxy_variables_requests_go_direct(
    no_proxy_env: pytest.MonkeyPatch, servers: tuple[Recorder, Recorder]
) -> None:
    _, direct = servers
    upstream = Upstream(RelayConfig())
    try:
        assert await _get(upstream, f"http://127.0.0.1:{direct.port}/x") == 200
    finally:
        await upstream.close()
    assert direct.heads[0].startswith("GET /x HTTP/1.1")


async def test_an_upstream_cookie_never_reaches_the_next_request(
    no_proxy_env: pytest.MonkeyPatch,
) -> None:
    async with Recorder(set_cookie=True) as server:
        upstream = Upstream(RelayConfig())
        try:
            for _ in range(2):
                assert await _get(upstream, f"http://127.0.0.1:{server.port}/c") == 200
        finally:
            await upstream.close()
    assert len(server.heads) == 2
    assert "cookie" not in server.heads[1].lower()
