"""The contract between the fake's core and its wire modules, and the per-request pipeline.

A wire module (``openai_wire``, ``azure_openai``, ...) exposes ``WIRE: Wire``: its routes, how it
authenticates and how it renders an error body. ``endpoint`` wraps each route handler with the
shared steps, in this order: parse JSON, record, resolve the scenario, ``hang``, ``delay_ms``,
authenticate, scripted ``status``/``error_body``, then the handler.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import orjson
from sanic import HTTPResponse, Request

from newapi.testing.recorder import Recorder
from newapi.testing.scenario import Scenario, ScenarioError, Steering
from newapi.testing.streaming import HANG_SECONDS

__all__ = [
    "Call",
    "Denial",
    "FakeState",
    "Route",
    "Wire",
    "endpoint",
    "json_response",
]

JSON = "application/json"


@dataclass(frozen=True, slots=True)
class Denial:
    """A refused request: HTTP status, message and error code for the wire's error body."""

    status: int
    message: str
    code: str | None = None


@dataclass(slots=True)
class FakeState:
    """Everything mutable about one fake: recordings, steering and the id counter."""

    models: tuple[str, ...]
    recorder: Recorder = field(default_factory=Recorder)
    steering: Steering = field(default_factory=Steering)
    counter: itertools.count[int] = field(default_factory=lambda: itertools.count(1))


@dataclass(frozen=True, slots=True)
class Call:
    """One request handed to a wire handler."""

    request: Request
    body: Any
    scenario: Scenario
    params: dict[str, str]
    seq: int
    state: FakeState


Handler = Callable[[Call], Awaitable[HTTPResponse | None]]


@dataclass(frozen=True, slots=True)
class Route:
    """One endpoint of a wire format; ``path`` uses Sanic's ``<name>`` parameters."""

    method: str
    path: str
    handler: Handler
    name: str


@dataclass(frozen=True, slots=True)
class Wire:
    """A wire format the fake speaks."""

    name: str
    routes: tuple[Route, ...]
    authenticate: Callable[[Request], Denial | None]
    render_error: Callable[[int, str | None, str | None], bytes]


def json_response(payload: Any, status: int = 200) -> HTTPResponse:
    """``payload`` serialised with orjson."""
    return HTTPResponse(orjson.dumps(payload), status=status, content_type=JSON)


def _error_response(wire: Wire, scenario: Scenario, status: int) -> HTTPResponse:
    headers = {} if scenario.retry_after is None else {"retry-after": str(scenario.retry_after)}
    if scenario.error_body is not None:
        text = scenario.error_body
        kind = JSON if text.lstrip().startswith(("{", "[")) else "text/plain; charset=utf-8"
        return HTTPResponse(text, status=status, headers=headers, content_type=kind)
    body = wire.render_error(status, None, None)
    return HTTPResponse(body, status=status, headers=headers, content_type=JSON)


def _denied(wire: Wire, denial: Denial) -> HTTPResponse:
    body = wire.render_error(denial.status, denial.message, denial.code)
    return HTTPResponse(body, status=denial.status, content_type=JSON)


def endpoint(wire: Wire, route: Route) -> Callable[..., Awaitable[HTTPResponse | None]]:
    """The Sanic handler for ``route``: shared steps, then the wire's own handler."""

    async def handle(
        request: Request, scenario: str | None = None, **params: str
    ) -> HTTPResponse | None:
        state: FakeState = request.app.ctx.fake
        raw = request.body
        try:
            payload = orjson.loads(raw) if raw else None
        except orjson.JSONDecodeError:
            state.recorder.add(request, None)
            return _denied(wire, Denial(400, "We could not parse the JSON body of your request."))
        state.recorder.add(request, payload)
        try:
            scn = state.steering.resolve(scenario, raw)
        except ScenarioError as exc:
            return _denied(wire, Denial(400, f"invalid fake scenario: {exc}", "fake_scenario"))
        if scn.hang:
            await asyncio.sleep(HANG_SECONDS)
        if scn.delay_ms:
            await asyncio.sleep(scn.delay_ms / 1000)
        denial = wire.authenticate(request)
        if denial is not None:
            return _denied(wire, denial)
        if scn.status is not None:
            return _error_response(wire, scn, scn.status)
        call = Call(request, payload, scn, params, next(state.counter), state)
        return await route.handler(call)

    handle.__name__ = f"{wire.name}_{route.name}"
    return handle
