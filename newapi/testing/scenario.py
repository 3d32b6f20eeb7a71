"""Fake-upstream scenarios: the directive grammar, its parser and per-request resolution.

A scenario steers how the fake answers one request. It is written as a comma list of
``key=value`` directives, for example ``status=500,times=2`` or ``chunks=20,chunk_delay_ms=10``.
Three sources can carry one, merged per request (later wins on each key):

1. a ``#fake:<directives>`` marker anywhere in the request body (normally in the user text; the
   directive ends at whitespace, a quote or a backslash; the last marker in the body wins);
2. a path prefix on the channel base URL: ``/s/<directives>/v1/chat/completions``
   (percent-decoded; may not contain ``/``);
3. the control API script, ``POST /_fake/script`` with a JSON list; each wire request consumes
   the head entry (an entry with ``times=N`` serves N requests).

``times=N`` limits the other directives of *its* source to the first N matching requests (counted
per source and directive text); later requests are answered normally.

Directives (all integers are >= 0):

=========================  ==================================================================
``status=N``               answer with HTTP N and the wire's error body (400..599)
``times=N``                apply this source's directives to the first N hits only
``error_body=TEXT``        raw error body (``status=500`` unless any source sets one); the
                           last directive: its value runs to the end, commas included
``retry_after=N``          add a ``retry-after: N`` header to the error response
``delay_ms=N``             sleep before sending response headers
``first_token_delay_ms=N`` stream: send the headers, then sleep before the first event;
                           non-stream (chat, completions): extra sleep before the response
``chunk_delay_ms=N``       stream: sleep between events
``chunks=N``               reply with N lorem words (N content pieces) instead of the echo
``cut_after=N``            stream: end the body cleanly after N events, without usage/[DONE]
``abort_after=N``          stream: reset the TCP connection after N events
``stall_after=N``          stream: send N events, then keep the connection open silently
``no_usage=1``             omit usage (stream and non-stream)
``usage=K:V|K:V``          report this usage; keys ``prompt``, ``completion``, ``cached``,
                           ``reasoning``, ``write_5m``, ``write_1h`` (cache writes, Claude
                           only; others are computed as usual)
``cached=N``               add ``prompt_tokens_details.cached_tokens = N``
``hang=1``                 never answer (until the client goes away or the fake stops)
=========================  ==================================================================
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import unquote

import orjson

__all__ = [
    "NORMAL",
    "Scenario",
    "ScenarioError",
    "Steering",
    "UsageOverride",
    "parse_scenario",
]

_INT_KEYS = frozenset(
    {
        "status",
        "times",
        "retry_after",
        "delay_ms",
        "first_token_delay_ms",
        "chunk_delay_ms",
        "chunks",
        "cut_after",
        "abort_after",
        "stall_after",
        "cached",
    }
)
_FLAG_KEYS = frozenset({"no_usage", "hang"})
_USAGE_KEYS = frozenset({"prompt", "completion", "cached", "reasoning", "write_5m", "write_1h"})
_BODY_MARKER = b"#fake:"
_BODY_RE = re.compile(rb'#fake:([^\s"\\]+)')


class ScenarioError(ValueError):
    """A scenario text or script entry that does not follow the grammar."""


@dataclass(frozen=True, slots=True)
class UsageOverride:
    """Usage numbers forced by ``usage=``; ``None`` means "compute as usual"."""

    prompt: int | None = None
    completion: int | None = None
    cached: int | None = None
    reasoning: int | None = None
    write_5m: int | None = None
    write_1h: int | None = None


@dataclass(frozen=True, slots=True)
class Scenario:
    """The merged directives that apply to one request."""

    status: int | None = None
    error_body: str | None = None
    retry_after: int | None = None
    delay_ms: int = 0
    first_token_delay_ms: int = 0
    chunk_delay_ms: int = 0
    chunks: int | None = None
    cut_after: int | None = None
    abort_after: int | None = None
    stall_after: int | None = None
    no_usage: bool = False
    usage: UsageOverride | None = None
    cached: int | None = None
    hang: bool = False

    @property
    def stream_stop(self) -> int | None:
        """The event count after which a stream is cut, aborted or stalled (smallest wins)."""
        stops = [n for n in (self.cut_after, self.abort_after, self.stall_after) if n is not None]
        return min(stops) if stops else None


NORMAL = Scenario()


def _parse_usage(value: str) -> UsageOverride:
    fields: dict[str, int] = {}
    for part in value.split("|"):
        key, sep, number = part.partition(":")
        if not sep or key not in _USAGE_KEYS or not number.isdigit():
            raise ScenarioError(f"bad usage part {part!r}; expected prompt:N|completion:N|...")
        fields[key] = int(number)
    return UsageOverride(**fields)


def _parse_value(key: str, value: str) -> object:
    if key in _INT_KEYS:
        if not value.isdigit():
            raise ScenarioError(f"{key} needs a non-negative integer, got {value!r}")
        number = int(value)
        if key == "status" and not 400 <= number <= 599:
            raise ScenarioError(f"status must be 400..599, got {number}")
        return number
    if key in _FLAG_KEYS:
        if value not in ("0", "1", "true", "false"):
            raise ScenarioError(f"{key} takes 1 or 0, got {value!r}")
        return value in ("1", "true")
    if key == "usage":
        return _parse_usage(value)
    raise ScenarioError(f"unknown directive {key!r}")


@lru_cache(maxsize=1024)
def _parse_cached(text: str) -> tuple[tuple[str, object], ...]:
    items: dict[str, object] = {}
    rest = text.strip()
    while rest:
        key, sep, tail = rest.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ScenarioError(f"expected key=value in {rest!r}")
        if key == "error_body":
            items[key] = tail
            break
        value, _, rest = tail.partition(",")
        items[key] = _parse_value(key, value.strip())
    return tuple(items.items())


def parse_scenario(text: str) -> dict[str, object]:
    """Parse ``key=value,...`` into a dict of directives (``times`` included).

    Raises:
        ScenarioError: on an unknown key or a malformed value.
    """
    return dict(_parse_cached(text))


def _directives_from_json(entry: Any) -> dict[str, object]:
    if isinstance(entry, str):
        return parse_scenario(entry)
    if isinstance(entry, dict):
        text = ",".join(f"{k}={_json_value(v)}" for k, v in entry.items() if k != "error_body")
        if "error_body" in entry:
            body = entry["error_body"]
            body = body if isinstance(body, str) else orjson.dumps(body).decode()
            text = f"{text},error_body={body}" if text else f"error_body={body}"
        return parse_scenario(text)
    raise ScenarioError(f"script entries are strings or objects, got {type(entry).__name__}")


def _json_value(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dict):
        return "|".join(f"{k}:{v}" for k, v in value.items())
    return str(value)


def _build(merged: dict[str, object]) -> Scenario:
    merged.pop("times", None)
    if "error_body" in merged and "status" not in merged:
        merged["status"] = 500
    return Scenario(**merged)  # type: ignore[arg-type]  # keys validated by the parser


@dataclass(slots=True)
class _ScriptEntry:
    directives: dict[str, object]
    remaining: int


@dataclass(slots=True)
class Steering:
    """Mutable steering state of one fake: hit counters for ``times`` and the script queue."""

    hits: dict[tuple[str, str], int] = field(default_factory=dict)
    script: deque[_ScriptEntry] = field(default_factory=deque)

    def reset(self) -> None:
        """Forget hit counters and the script."""
        self.hits.clear()
        self.script.clear()

    def set_script(self, entries: Any) -> int:
        """Replace the script with a JSON list of scenarios; returns how many were queued."""
        if not isinstance(entries, list):
            raise ScenarioError("the script must be a JSON list")
        parsed = [_directives_from_json(entry) for entry in entries]
        self.script.clear()
        for directives in parsed:
            times = directives.get("times", 1)
            self.script.append(_ScriptEntry(directives, times if isinstance(times, int) else 1))
        return len(parsed)

    def _gate(self, source: str, text: str) -> dict[str, object]:
        directives = parse_scenario(text)
        times = directives.get("times")
        if not isinstance(times, int):
            return directives
        key = (source, text)
        seen = self.hits.get(key, 0)
        self.hits[key] = seen + 1
        return directives if seen < times else {}

    def _next_scripted(self) -> dict[str, object]:
        while self.script:
            head = self.script[0]
            if head.remaining <= 0:
                self.script.popleft()
                continue
            head.remaining -= 1
            if head.remaining <= 0:
                self.script.popleft()
            return head.directives
        return {}

    def resolve(self, prefix: str | None, body: bytes) -> Scenario:
        """Merge body marker, path prefix and script head into the request's scenario.

        Raises:
            ScenarioError: when a marker or prefix does not parse.
        """
        if not self.script and prefix is None and _BODY_MARKER not in body:
            return NORMAL
        merged: dict[str, object] = {}
        if _BODY_MARKER in body:
            markers = _BODY_RE.findall(body)
            if markers:
                merged.update(self._gate("body", markers[-1].decode()))
        if prefix is not None:
            merged.update(self._gate("path", unquote(prefix)))
        merged.update(self._next_scripted())
        return _build(merged) if merged else NORMAL
