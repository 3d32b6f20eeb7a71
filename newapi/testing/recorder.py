"""What the fake upstream received: one RecordedRequest per wire request, kept in a bounded log."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any

from sanic import Request

__all__ = ["RecordedRequest", "Recorder"]


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    """One request as the fake saw it (header names lower-cased, body parsed when JSON)."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    json: Any
    body: bytes

    def to_json(self) -> dict[str, Any]:
        """The shape served by ``GET /_fake/requests`` (raw body left out)."""
        return {
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "headers": self.headers,
            "json": self.json,
        }


class Recorder:
    """A bounded, append-only log of recorded requests (oldest dropped first)."""

    __slots__ = ("_log",)

    def __init__(self, limit: int = 10_000) -> None:
        self._log: deque[RecordedRequest] = deque(maxlen=limit)

    def add(self, request: Request, payload: Any) -> None:
        """Record ``request`` with its already-parsed JSON ``payload``."""
        self._log.append(
            RecordedRequest(
                method=request.method,
                path=request.path,
                query={k: list(v) for k, v in request.args.items()},
                headers={k.lower(): v for k, v in request.headers.items()},
                json=payload,
                body=request.body,
            )
        )

    def snapshot(self) -> list[RecordedRequest]:
        """A copy of the log, oldest first."""
        return list(self._log)

    def clear(self) -> None:
        """Forget every recorded request."""
        self._log.clear()

    def __len__(self) -> int:
        return len(self._log)
