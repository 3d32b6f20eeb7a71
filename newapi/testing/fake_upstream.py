"""The fake upstream server: app factory, control API, in-loop runner and command line.

``create_fake_upstream()`` builds a Sanic app speaking every module in ``WIRES``; each route is
also mounted under ``/s/<scenario>`` (see ``newapi.testing.scenario`` for the grammar).
``start_fake_upstream()`` runs one in the current asyncio loop and returns a ``FakeUpstream``
handle. Control API (never recorded, never steered):

* ``POST /_fake/script``: body is a JSON list of scenarios (strings or objects) for the next
  wire requests; replaces any previous script; answers ``{"queued": N}``.
* ``GET /_fake/requests``: the recorded requests, oldest first.
* ``POST /_fake/reset``: forget recordings, hit counters and the script.

Standalone: ``python -m newapi.testing.fake_upstream --port 3001`` (single process).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import logging
import socket
from collections.abc import Sequence
from typing import Any

import orjson
from sanic import HTTPResponse, Request, Sanic
from sanic.server.async_server import AsyncioServer

from newapi.testing import (
    account_wire,
    anthropic_wire,
    azure_openai,
    gemini_wire,
    openai_wire,
    rerank_wire,
    responses_wire,
)
from newapi.testing.recorder import RecordedRequest, Recorder
from newapi.testing.scenario import ScenarioError
from newapi.testing.streaming import HANG_SECONDS
from newapi.testing.wire import FakeState, Wire, endpoint, json_response

__all__ = [
    "DEFAULT_MODELS",
    "WIRES",
    "FakeUpstream",
    "create_fake_upstream",
    "start_fake_upstream",
]

logger = logging.getLogger(__name__)

WIRES: tuple[Wire, ...] = (
    openai_wire.WIRE,
    azure_openai.WIRE,
    anthropic_wire.WIRE,
    gemini_wire.WIRE,
    responses_wire.WIRE,
    rerank_wire.WIRE,
    rerank_wire.COHERE_WIRE,
    account_wire.WIRE,
)
DEFAULT_MODELS = (
    "gpt-4o",
    "gpt-4o-mini",
    "gpt-4.1",
    "o3-mini",
    "gpt-3.5-turbo-instruct",
    "text-embedding-3-small",
    "text-embedding-3-large",
    "omni-moderation-latest",
)
_names = itertools.count(1)


async def _script(request: Request) -> HTTPResponse:
    state: FakeState = request.app.ctx.fake
    try:
        queued = state.steering.set_script(orjson.loads(request.body or b"null"))
    except (orjson.JSONDecodeError, ScenarioError) as exc:
        return json_response({"error": {"message": str(exc), "type": "fake_control"}}, 400)
    return json_response({"queued": queued})


async def _requests(request: Request) -> HTTPResponse:
    state: FakeState = request.app.ctx.fake
    return json_response([r.to_json() for r in state.recorder.snapshot()])


async def _reset(request: Request) -> HTTPResponse:
    state: FakeState = request.app.ctx.fake
    state.recorder.clear()
    state.steering.reset()
    return json_response({"reset": True})


def create_fake_upstream(
    name: str = "fake-upstream",
    *,
    models: Sequence[str] = DEFAULT_MODELS,
    record_limit: int = 10_000,
    wires: Sequence[Wire] = WIRES,
) -> Sanic:
    """A Sanic app speaking ``wires``; ``name`` must be unique among this process's apps."""
    app = Sanic(name, configure_logging=False)
    app.config.ACCESS_LOG = False
    app.config.MOTD = False
    app.config.RESPONSE_TIMEOUT = HANG_SECONDS
    app.ctx.fake = FakeState(models=tuple(models), recorder=Recorder(record_limit))
    for wire in wires:
        for route in wire.routes:
            handler = endpoint(wire, route)
            label = f"{wire.name}_{route.name}"
            app.add_route(handler, route.path, methods=[route.method], name=label)
            app.add_route(
                handler, f"/s/<scenario:str>{route.path}", methods=[route.method], name=f"{label}_s"
            )
    app.add_route(_script, "/_fake/script", methods=["POST"], name="fake_script")
    app.add_route(_requests, "/_fake/requests", methods=["GET"], name="fake_requests")
    app.add_route(_reset, "/_fake/reset", methods=["POST"], name="fake_reset")
    return app


class FakeUpstream:
    """A running fake: its ``url``, recorded ``requests`` and lifecycle."""

    def __init__(self, app: Sanic, server: AsyncioServer, host: str, port: int) -> None:
        self.app = app
        self.server = server
        self.host = host
        self.port = port
        self.url = f"http://{host}:{port}"
        self._state: FakeState = app.ctx.fake

    @property
    def requests(self) -> list[RecordedRequest]:
        """Recorded wire requests, oldest first (a copy)."""
        return self._state.recorder.snapshot()

    def clear(self) -> None:
        """Forget recorded requests."""
        self._state.recorder.clear()

    def reset(self) -> None:
        """Forget recorded requests, ``times`` hit counters and the script."""
        self._state.recorder.clear()
        self._state.steering.reset()

    def script(self, entries: list[Any]) -> None:
        """Queue scenarios for the next wire requests (same as ``POST /_fake/script``)."""
        self._state.steering.set_script(entries)

    def scenario_url(self, scenario: str) -> str:
        """Base URL whose requests follow ``scenario``, e.g. ``url + "/s/status=429"``."""
        return f"{self.url}/s/{scenario}"

    async def stop(self) -> None:
        """Close idle connections, abort busy ones (hung requests) and stop the server."""
        srv = self.server
        await srv.before_stop()
        if srv.server is not None:
            srv.server.close()
        tasks = [conn._task for conn in list(srv.connections) if conn._task is not None]
        for conn in list(srv.connections):
            if not conn.close_if_idle():
                conn.abort()
        if tasks:
            await asyncio.wait(tasks, timeout=5)
        closing = srv.wait_closed()
        if closing is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(closing, timeout=5)
        await srv.after_stop()
        Sanic.unregister_app(self.app)

    async def __aenter__(self) -> FakeUpstream:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()


def _bind(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.setblocking(False)
    return sock


async def start_fake_upstream(
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    name: str | None = None,
    models: Sequence[str] = DEFAULT_MODELS,
    wires: Sequence[Wire] = WIRES,
) -> FakeUpstream:
    """Run a fake upstream in the current loop on ``host:port`` (0 picks a free port)."""
    app = create_fake_upstream(
        name or f"fake-upstream-{next(_names)}", models=models, wires=wires
    )
    sock = _bind(host, port)
    server = await app.create_server(sock=sock, access_log=False, return_asyncio_server=True)
    if server is None:
        raise RuntimeError("sanic did not return an asyncio server")
    await server.startup()
    await server.before_start()
    await server.after_start()
    bound_port = sock.getsockname()[1]
    logger.info("fake upstream listening", extra={"host": host, "port": bound_port})
    return FakeUpstream(app, server, host, bound_port)


def main(argv: Sequence[str] | None = None) -> None:
    """Command line: serve a fake upstream in a single process until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m newapi.testing.fake_upstream")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=3001)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    app = create_fake_upstream()
    app.run(host=args.host, port=args.port, single_process=True, access_log=False)


if __name__ == "__main__":
    main()
