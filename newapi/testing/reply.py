"""What the fake says and how much it bills: reply pieces, token counting rules, usage, vectors.

These rules are format-neutral so every wire module answers the same request the same way:

* **Reply.** ``echo: <last user text>``, split on whitespace into pieces (runs of whitespace
  collapse to one space). With ``chunks=N`` the reply is instead the first N words of a fixed
  lorem text (cycled). Each piece is one stream event and one completion token; ``max_tokens``
  keeps the first ``max_tokens`` pieces and the finish reason becomes ``length``.
* **Prompt tokens.** The number of whitespace-separated words in all request text (message
  text content and text parts, prompts, inputs), at least 1. Token-id inputs count one token per
  id.
* **Completion tokens.** The number of reply pieces summed over choices; a tool call counts
  1 for its name plus one per arguments piece (arguments stream in 8-character pieces).
* **Usage override.** ``usage=...`` replaces any of prompt/completion/cached/reasoning (and
  sets Claude's cache writes ``write_5m``/``write_1h``);
  ``cached=N`` adds cached tokens; ``no_usage=1`` drops usage entirely.
* **Vectors.** An embedding is ``dims`` float32 values in [-1, 1) taken from
  ``shake_256(model + "\\0" + input)``; identical for float and base64 encodings.
"""

from __future__ import annotations

import base64
import hashlib
from array import array
from dataclasses import dataclass
from functools import lru_cache

from newapi.testing.scenario import Scenario

__all__ = [
    "ARGS_PIECE",
    "LOREM",
    "Usage",
    "count_words",
    "embedding_vector",
    "reply_pieces",
    "settle_usage",
    "split_fixed",
    "truncate",
]

_LOREM_TEXT = (
    "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt "
    "ut labore et dolore magna aliqua ut enim ad minim veniam quis nostrud exercitation"
)
LOREM = tuple(_LOREM_TEXT.split())
ARGS_PIECE = 8


@dataclass(frozen=True, slots=True)
class Usage:
    """Token counts to report; ``cached``/``reasoning`` are reported only when not None."""

    prompt: int
    completion: int
    cached: int | None = None
    reasoning: int | None = None
    write_5m: int = 0  # cache writes (Claude's wire reports them)
    write_1h: int = 0

    @property
    def total(self) -> int:
        """prompt + completion."""
        return self.prompt + self.completion


def count_words(text: str) -> int:
    """Whitespace-separated words in ``text``."""
    return len(text.split())


def _pieces(words: list[str]) -> list[str]:
    if not words:
        return []
    return [word + " " for word in words[:-1]] + [words[-1]]


@lru_cache(maxsize=256)
def _lorem(n: int) -> tuple[str, ...]:
    return tuple(_pieces([LOREM[i % len(LOREM)] for i in range(n)]))


def reply_pieces(text: str, scenario: Scenario) -> list[str]:
    """The reply for a request whose last user text is ``text``, as stream pieces."""
    if scenario.chunks is not None:
        return list(_lorem(scenario.chunks))
    return _pieces(["echo:", *text.split()])


def truncate(pieces: list[str], max_tokens: object) -> tuple[list[str], str]:
    """Apply ``max_tokens``: returns the kept pieces and the finish reason."""
    if isinstance(max_tokens, bool) or not isinstance(max_tokens, int):
        return pieces, "stop"
    if 0 <= max_tokens < len(pieces):
        return pieces[:max_tokens], "length"
    return pieces, "stop"


def split_fixed(text: str, size: int = ARGS_PIECE) -> list[str]:
    """``text`` in pieces of ``size`` characters (at least one piece)."""
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]


def settle_usage(scenario: Scenario, prompt: int, completion: int) -> Usage | None:
    """Computed counts with the scenario's overrides applied; None when usage is suppressed."""
    if scenario.no_usage:
        return None
    over = scenario.usage
    cached = scenario.cached
    if over is None:
        return Usage(prompt, completion, cached)
    return Usage(
        prompt=prompt if over.prompt is None else over.prompt,
        completion=completion if over.completion is None else over.completion,
        cached=cached if over.cached is None else over.cached,
        reasoning=over.reasoning,
        write_5m=over.write_5m or 0,
        write_1h=over.write_1h or 0,
    )


@lru_cache(maxsize=4096)
def _vector(key: bytes, dims: int) -> array[float]:
    raw = array("H", hashlib.shake_256(key).digest(2 * dims))
    return array("f", [v / 32768.0 - 1.0 for v in raw])


def embedding_vector(model: str, text: str, dims: int, encoding: str) -> list[float] | str:
    """The deterministic embedding of ``text``: floats, or base64 little-endian float32."""
    vec = _vector(f"{model}\0{text}".encode(), dims)
    if encoding == "base64":
        return base64.b64encode(vec.tobytes()).decode("ascii")
    return vec.tolist()
