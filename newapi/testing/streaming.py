"""Sending an SSE body with the scenario's timing and failure directives applied."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from sanic import Request

from newapi.testing.scenario import Scenario

__all__ = ["HANG_SECONDS", "send_events"]

HANG_SECONDS = 24 * 3600.0
_HEADERS = {"cache-control": "no-cache", "x-accel-buffering": "no"}


async def send_events(
    request: Request,
    scenario: Scenario,
    events: Sequence[bytes],
    trailer: Sequence[bytes] = (),
    content_type: str = "text/event-stream; charset=utf-8",
) -> None:
    """Stream ``events`` then ``trailer`` (usage, ``[DONE]``) as one chunked response.

    Without delays or stop directives everything goes out in one write. ``cut_after``,
    ``abort_after`` and ``stall_after`` stop after that many events (never sending the
    trailer): a clean end of body, a TCP reset, or silence until the client leaves.
    """
    response = await request.respond(content_type=content_type, headers=_HEADERS)
    stop = scenario.stream_stop
    paced = scenario.first_token_delay_ms or scenario.chunk_delay_ms
    if stop is None and not paced:
        await response.send(b"".join((*events, *trailer)))
        await response.eof()
        return
    if scenario.first_token_delay_ms:
        await response.send(b"")  # flush the headers now, like a real upstream
        await asyncio.sleep(scenario.first_token_delay_ms / 1000)
    limit = len(events) if stop is None else min(stop, len(events))
    gap = scenario.chunk_delay_ms / 1000
    for index in range(limit):
        if index and gap:
            await asyncio.sleep(gap)
        await response.send(events[index])
    if stop is None:
        if gap:
            await asyncio.sleep(gap)
        await response.send(b"".join(trailer))
        await response.eof()
    elif stop == scenario.cut_after:
        await response.eof()
    elif stop == scenario.abort_after:
        transport = request.transport
        if transport is not None:
            transport.abort()
        await asyncio.sleep(HANG_SECONDS)
    else:
        await asyncio.sleep(HANG_SECONDS)
