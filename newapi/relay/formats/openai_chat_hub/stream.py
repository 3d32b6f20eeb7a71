"""OpenAI chat completion chunks to hub ``StreamEvent``s and back."""

from __future__ import annotations

from typing import Any

import orjson

from newapi.billing.meter import Usage
from newapi.relay import sse
from newapi.relay.canonical import (
    BlockKind,
    BlockStart,
    BlockStop,
    MessageDelta,
    MessageStart,
    MessageStop,
    StopReason,
    StreamError,
    StreamEvent,
    TextDelta,
    ThinkingDelta,
    ToolArgumentsDelta,
)
from newapi.relay.formats.conversion import as_str, pack_signature, with_usage
from newapi.relay.formats.openai_chat_hub.response import (
    decode_finish,
    decode_usage,
    encode_finish,
    encode_usage,
)

__all__ = ["StreamDecoder", "StreamEncoder"]


class StreamDecoder:
    """Upstream chat chunks -> hub events. Feed every SSE event, then call ``finish``.

    Text and reasoning open a block each time the kind changes; every tool-call index gets
    its own block (spec §12.19), closed when the next block starts or at the finish.
    ``MessageDelta`` waits for ``[DONE]`` or the end so a trailing usage-only chunk is not lost
    (spec §12.1).
    """

    def __init__(self, **_: object) -> None:
        self._started = False
        self._next = 0
        self._open: int | None = None  # the open text/thinking block
        self._open_kind: BlockKind | None = None
        self._tools: dict[int, int] = {}  # OpenAI tool index -> block index
        self._tool_open: list[int] = []
        self._stop: StopReason | None = None
        self._usage: Usage | None = None
        self._done = False

    def feed(self, event: bytes | None, data: bytes) -> list[StreamEvent]:
        """Hub events for one SSE event (``event`` name is ignored by this format)."""
        if self._done:
            return []
        if data.strip() == b"[DONE]":
            return self.finish()
        try:
            chunk = orjson.loads(data)
        except orjson.JSONDecodeError:
            return []
        if not isinstance(chunk, dict):
            return []
        if isinstance(chunk.get("error"), dict):
            error = chunk["error"]
            return [
                StreamError(as_str(error.get("message")), as_str(error.get("type")) or "api_error")
            ]
        out: list[StreamEvent] = []
        if not self._started:
            self._started = True
            out.append(MessageStart(as_str(chunk.get("id")), as_str(chunk.get("model"))))
        self._usage = with_usage(self._usage, decode_usage(chunk.get("usage")))
        for choice in chunk.get("choices") or ():
            if isinstance(choice, dict) and choice.get("index", 0) == 0:
                out.extend(self._choice(choice))
        return out

    def _choice(self, choice: dict[str, Any]) -> list[StreamEvent]:
        out: list[StreamEvent] = []
        delta = choice.get("delta") or {}
        reasoning = delta.get("reasoning_content") or delta.get("reasoning")
        if isinstance(reasoning, str) and reasoning:
            out.extend(self._open_block("thinking"))
            out.append(ThinkingDelta(self._next - 1, reasoning))
        content = delta.get("content")
        if isinstance(content, str) and content:
            out.extend(self._open_block("text"))
            out.append(TextDelta(self._next - 1, content))
        for call in delta.get("tool_calls") or ():
            if isinstance(call, dict):
                out.extend(self._tool(call))
        if choice.get("finish_reason"):
            self._stop = decode_finish(choice["finish_reason"])
            out.extend(self._close_all())
        return out

    def _open_block(self, kind: BlockKind) -> list[StreamEvent]:
        if self._open is not None and self._open_kind == kind and self._open == self._next - 1:
            return []
        out = self._close_all()
        self._open, self._open_kind = self._next, kind
        self._next += 1
        return [*out, BlockStart(self._open, kind)]

    def _tool(self, call: dict[str, Any]) -> list[StreamEvent]:
        out: list[StreamEvent] = []
        position = call.get("index", len(self._tools))
        function = call.get("function") or {}
        if position not in self._tools:
            # Claude's grammar has one open block at a time: the previous call is complete once
            # the next one starts (servers stream calls one after the other).
            out.extend(self._close_all())
            self._tools[position] = self._next
            self._tool_open.append(self._next)
            out.append(
                BlockStart(
                    self._next, "tool_use", as_str(call.get("id")), as_str(function.get("name"))
                )
            )
            self._next += 1
        arguments = function.get("arguments")
        if isinstance(arguments, str) and arguments:
            out.append(ToolArgumentsDelta(self._tools[position], arguments))
        return out

    def _close_all(self) -> list[StreamEvent]:
        out: list[StreamEvent] = []
        if self._open is not None:
            out.append(BlockStop(self._open))
            self._open = self._open_kind = None
        out.extend(BlockStop(index) for index in self._tool_open)
        self._tool_open = []
        return out

    def finish(self) -> list[StreamEvent]:
        """Terminal events at ``[DONE]`` or the end of the upstream stream."""
        if self._done:
            return []
        self._done = True
        out: list[StreamEvent] = [] if self._started else [MessageStart()]
        out.extend(self._close_all())
        stop = self._stop
        if stop is None:
            stop = StopReason.TOOL_USE if self._tools else StopReason.END_TURN
        out.append(MessageDelta(stop, self._usage))
        out.append(MessageStop())
        return out


class StreamEncoder:
    """Hub events -> chat completion chunks (``data:`` lines, then ``[DONE]``).

    Args:
        model: the model name the client asked for.
        response_id: the chunk id (``chatcmpl-...``); the upstream's id when empty.
        created: Unix time for every chunk.
        include_usage: send the usage-only chunk before ``[DONE]`` (spec §12.2).
    """

    def __init__(
        self,
        *,
        model: str,
        response_id: str = "",
        created: int = 0,
        include_usage: bool = True,
        **_: object,
    ) -> None:
        self._model = model
        self._id = response_id
        self._created = created
        self._include_usage = include_usage
        self._tool_index: dict[int, int] = {}
        self._started = False
        self._finished = False
        self._usage: Usage | None = None
        self._stop: StopReason | None = None

    def _chunk(self, delta: dict[str, Any], finish: str | None = None) -> bytes:
        body = {
            "id": self._id,
            "object": "chat.completion.chunk",
            "created": self._created,
            "model": self._model,
            "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
        }
        return sse.encode(orjson.dumps(body))

    def _start(self, upstream_id: str = "") -> bytes:
        if self._started:
            return b""
        self._started = True
        if not self._id:
            self._id = (
                upstream_id if upstream_id.startswith("chatcmpl-") else f"chatcmpl-{upstream_id}"
            )
        return self._chunk({"role": "assistant", "content": ""})

    def encode(self, event: StreamEvent) -> bytes:
        """SSE bytes for one hub event (often empty)."""
        if self._finished:
            return b""
        if isinstance(event, MessageStart):
            self._usage = event.usage
            return self._start(event.id)
        head = self._start()
        if isinstance(event, TextDelta):
            return head + self._chunk({"content": event.text})
        if isinstance(event, ThinkingDelta):
            return head + self._chunk({"reasoning_content": event.text})
        if isinstance(event, BlockStart) and event.kind == "tool_use":
            position = len(self._tool_index)
            self._tool_index[event.index] = position
            call = {
                "index": position,
                "id": pack_signature(event.id, event.signature),
                "type": "function",
                "function": {"name": event.name, "arguments": ""},
            }
            return head + self._chunk({"tool_calls": [call]})
        if isinstance(event, ToolArgumentsDelta):
            call = {
                "index": self._tool_index.get(event.index, 0),
                "function": {"arguments": event.partial_json},
            }
            return head + self._chunk({"tool_calls": [call]})
        if isinstance(event, MessageDelta):
            self._usage = with_usage(self._usage, event.usage)
            self._stop = event.stop_reason
            return head + self._chunk({}, encode_finish(event.stop_reason))
        if isinstance(event, MessageStop):
            return head + self.finish()
        if isinstance(event, StreamError):
            self._finished = True
            error = {"message": event.message, "type": event.type}
            return head + sse.encode(orjson.dumps({"error": error}))
        # BlockStop, SignatureDelta (no place in chat chunks; Gemini's rides in the tool id),
        # text/thinking block starts: nothing to send.
        return head

    def finish(self) -> bytes:
        """The closing chunks: a finish chunk if none was sent, usage, ``[DONE]``."""
        if self._finished:
            return b""
        out = self._start()
        if self._stop is None:
            self._stop = StopReason.TOOL_USE if self._tool_index else StopReason.END_TURN
            out += self._chunk({}, encode_finish(self._stop))
        self._finished = True
        if self._include_usage:
            body = {
                "id": self._id,
                "object": "chat.completion.chunk",
                "created": self._created,
                "model": self._model,
                "choices": [],
                "usage": encode_usage(self._usage),
            }
            out += sse.encode(orjson.dumps(body))
        return out + sse.encode(b"[DONE]")
