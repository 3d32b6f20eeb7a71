"""Thinking to content: a channel's reasoning shown to the client as ``<think>…</think>`` text.

With the channel setting ``thinking_to_content`` on, reasoning (OpenAI ``reasoning_content``,
Claude ``thinking`` blocks, Gemini ``thought`` parts, Responses reasoning summaries) reaches
the client at the start of the answer's text instead of in its own field, in every client
format. The work is done on the hub types, so it is the same for every pair of formats:

* non-stream: ``thinking_as_text`` moves the thinking blocks' text to the front of the first
  text block as ``"<think>\\n" + reasoning + "\\n</think>\\n"``;
* stream: ``ThinkingAsText`` wraps the upstream's stream decoder; a thinking block becomes a
  text block whose first delta opens ``<think>\\n`` and that is closed with ``\\n</think>\\n``
  when the block ends, i.e. before the first content delta. Signatures and redacted thinking
  are dropped (there is no reasoning block left to carry them).
"""

from __future__ import annotations

from dataclasses import replace

from newapi.relay.canonical import (
    Block,
    BlockStart,
    BlockStop,
    ChatResponse,
    SignatureDelta,
    StreamEvent,
    TextBlock,
    TextDelta,
    ThinkingBlock,
    ThinkingDelta,
)
from newapi.relay.formats.codec import StreamDecoder

__all__ = ["THINK_CLOSE", "THINK_OPEN", "ThinkingAsText", "thinking_as_text"]

THINK_OPEN = "<think>\n"
THINK_CLOSE = "\n</think>\n"


def thinking_as_text(response: ChatResponse) -> ChatResponse:
    """``response`` with its reasoning moved into the text, as ``<think>…</think>``."""
    thoughts = "".join(b.text for b in response.content if isinstance(b, ThinkingBlock))
    rest: list[Block] = [b for b in response.content if not isinstance(b, ThinkingBlock)]
    if thoughts:
        prefix = THINK_OPEN + thoughts + THINK_CLOSE
        if rest and isinstance(rest[0], TextBlock):
            rest[0] = replace(rest[0], text=prefix + rest[0].text)
        else:
            rest.insert(0, TextBlock(prefix))
    return replace(response, content=tuple(rest))


class ThinkingAsText:
    """A stream decoder whose thinking blocks come out as ``<think>`` text blocks."""

    def __init__(self, inner: StreamDecoder) -> None:
        self._inner = inner
        self._thinking: dict[int, bool] = {}  # block index -> a delta was sent
        self._dropped: set[int] = set()  # redacted thinking blocks

    def feed(self, event: bytes | None, data: bytes) -> list[StreamEvent]:
        """The inner decoder's events, rewritten."""
        return self._rewrite(self._inner.feed(event, data))

    def finish(self) -> list[StreamEvent]:
        """The inner decoder's terminal events, rewritten."""
        return self._rewrite(self._inner.finish())

    def _rewrite(self, events: list[StreamEvent]) -> list[StreamEvent]:
        out: list[StreamEvent] = []
        for event in events:
            out.extend(self._one(event))
        return out

    def _one(self, event: StreamEvent) -> list[StreamEvent]:
        if isinstance(event, BlockStart) and event.kind == "redacted_thinking":
            self._dropped.add(event.index)
            return []
        if isinstance(event, BlockStart) and event.kind == "thinking":
            self._thinking[event.index] = False
            return [BlockStart(event.index, "text")]
        if isinstance(event, SignatureDelta) or getattr(event, "index", None) in self._dropped:
            return []
        if isinstance(event, ThinkingDelta):
            if event.index not in self._thinking:  # reasoning without a block start
                self._thinking[event.index] = False
                return [BlockStart(event.index, "text"), *self._one(event)]
            opened = self._thinking[event.index]
            self._thinking[event.index] = True
            text = event.text if opened else THINK_OPEN + event.text
            return [TextDelta(event.index, text)]
        if isinstance(event, BlockStop) and event.index in self._thinking:
            opened = self._thinking.pop(event.index)
            return [TextDelta(event.index, THINK_CLOSE), event] if opened else [event]
        return [event]
