"""Format-neutral helpers shared by the Anthropic, Gemini, Responses and rerank wires.

Rules (on top of ``newapi.testing.reply``):

* **Tool calls.** Every declared tool whose ``call <name>`` appears in the last user text is
  called, in declaration order (several names: parallel calls). Arguments fill each schema
  property with a placeholder: string ``"fake"`` or the first enum value, integer/number 1,
  boolean true, array [], object {} (schema type names are matched case-insensitively, so
  Gemini's ``STRING`` works). A tool call costs 1 token for its name plus one per 8-character
  piece of its arguments JSON (the pieces it streams in).
* **Thinking.** When a request turns thinking on, the thought is ``thinking: <last user text>``
  split like the reply, one token per piece. Its signature is
  ``base64(sha256(thought text))``.
* **Stop sequences.** The reply is cut just before the earliest stop sequence it contains.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
from collections.abc import Iterable
from typing import Any

import orjson

from newapi.testing.reply import split_fixed
from newapi.testing.scenario import Scenario

__all__ = [
    "call_tokens",
    "cut_at_stop",
    "first_token_pause",
    "named_event",
    "pick_by_name",
    "placeholder_args",
    "signature",
    "text_pieces",
    "thinking_pieces",
]

_PLACEHOLDERS: dict[str, Any] = {
    "string": "fake",
    "integer": 1,
    "number": 1,
    "boolean": True,
    "array": [],
    "object": {},
}


def text_pieces(words: list[str]) -> list[str]:
    """Words as stream pieces: each followed by a space except the last."""
    if not words:
        return []
    return [word + " " for word in words[:-1]] + [words[-1]]


def thinking_pieces(user_text: str) -> list[str]:
    """The fake's thought about ``user_text``, as pieces (one token each)."""
    return text_pieces(["thinking:", *user_text.split()])


def signature(text: str) -> str:
    """A deterministic thought signature for ``text``."""
    return base64.b64encode(hashlib.sha256(text.encode()).digest()).decode("ascii")


def placeholder_args(schema: Any) -> dict[str, Any]:
    """Placeholder arguments for a JSON schema's ``properties``."""
    props = schema.get("properties") if isinstance(schema, dict) else None
    args: dict[str, Any] = {}
    for name, prop in (props if isinstance(props, dict) else {}).items():
        prop = prop if isinstance(prop, dict) else {}
        enum = prop.get("enum")
        kind = prop.get("type", "string")
        kind = kind.lower() if isinstance(kind, str) else "string"
        args[name] = enum[0] if enum else _PLACEHOLDERS.get(kind, "fake")
    return args


def pick_by_name(names: Iterable[str], user_text: str) -> list[str]:
    """The names whose ``call <name>`` appears in ``user_text``, in the given order."""
    return [name for name in names if f"call {name}" in user_text]


def call_tokens(arguments_json: str) -> int:
    """Completion tokens of one tool call: its name plus its 8-character argument pieces."""
    return 1 + len(split_fixed(arguments_json))


def cut_at_stop(pieces: list[str], stops: Any) -> tuple[list[str], str | None]:
    """Cut ``pieces`` before the earliest stop sequence; returns the pieces and the match."""
    if isinstance(stops, str):
        stops = [stops]
    if not isinstance(stops, list):
        return pieces, None
    text = "".join(pieces)
    found = [(text.find(s), s) for s in stops if isinstance(s, str) and s and s in text]
    if not found:
        return pieces, None
    at, stop = min(found)
    kept: list[str] = []
    used = 0
    for piece in pieces:
        if used + len(piece) <= at:
            kept.append(piece)
            used += len(piece)
            continue
        if at > used:
            kept.append(piece[: at - used])
        break
    return kept, stop


def named_event(name: str, payload: Any) -> bytes:
    """One SSE event with an ``event:`` line."""
    return b"event: " + name.encode() + b"\ndata: " + orjson.dumps(payload) + b"\n\n"


async def first_token_pause(scenario: Scenario) -> None:
    """Non-stream answers: honour ``first_token_delay_ms`` before the body."""
    if scenario.first_token_delay_ms:
        await asyncio.sleep(scenario.first_token_delay_ms / 1000)
