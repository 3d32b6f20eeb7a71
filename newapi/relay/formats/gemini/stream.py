"""Gemini ``streamGenerateContent?alt=sse`` chunks to hub ``StreamEvent``s and back.

Gemini streams whole ``GenerateContentResponse`` objects; function calls arrive complete in
one part, and there is no terminal event besides the ``finishReason`` chunk.
"""

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
    SignatureDelta,
    StopReason,
    StreamError,
    StreamEvent,
    TextDelta,
    ThinkingDelta,
    ToolArgumentsDelta,
)
from newapi.relay.formats.conversion import (
    IdSource,
    as_str,
    dumps,
    json_object,
    random_ids,
    with_usage,
)
from newapi.relay.formats.gemini.response import (
    FORMAT,
    decode_finish,
    decode_usage,
    encode_finish,
    encode_usage,
)

__all__ = ["StreamDecoder", "StreamEncoder"]


class StreamDecoder:
    """Upstream Gemini chunks -> hub events.

    Consecutive text (or thought) parts share one block; each function call is one tool block
    (start, the whole arguments, stop). The ``finishReason`` chunk ends the message.

    Args:
        ids: makes the tool-call ids Gemini does not send.
    """

    def __init__(self, *, ids: IdSource = random_ids, **_: object) -> None:
        self._ids = ids
        self._started = False
        self._next = 0
        self._open: int | None = None
        self._open_kind: BlockKind | None = None
        self._calls = False
        self._usage: Usage | None = None
        self._stop: StopReason | None = None
        self._done = False

    def feed(self, event: bytes | None, data: bytes) -> list[StreamEvent]:
        """Hub events for one SSE chunk."""
        if self._done:
            return []
        try:
            chunk = orjson.loads(data)
        except orjson.JSONDecodeError:
            return []
        if not isinstance(chunk, dict):
            return []
        if isinstance(chunk.get("error"), dict):
            error = chunk["error"]
            self._done = True
            return [
                StreamError(
                    as_str(error.get("message")), as_str(error.get("status")) or "api_error"
                )
            ]
        out: list[StreamEvent] = []
        if not self._started:
            self._started = True
            out.append(
                MessageStart(as_str(chunk.get("responseId")), as_str(chunk.get("modelVersion")))
            )
        self._usage = with_usage(self._usage, decode_usage(chunk.get("usageMetadata")))
        candidates = chunk.get("candidates")
        candidate = candidates[0] if isinstance(candidates, list) and candidates else {}
        if not isinstance(candidate, dict):
            return out
        for part in (candidate.get("content") or {}).get("parts") or ():
            if isinstance(part, dict):
                out.extend(self._part(part))
        if candidate.get("finishReason"):
            self._stop = decode_finish(candidate["finishReason"], self._calls)
            out.extend(self.finish())
        return out

    def _open_block(self, kind: BlockKind) -> list[StreamEvent]:
        if self._open is not None and self._open_kind == kind:
            return []
        out = self._close()
        self._open, self._open_kind = self._next, kind
        self._next += 1
        return [*out, BlockStart(self._open, kind)]

    def _close(self) -> list[StreamEvent]:
        if self._open is None:
            return []
        index, self._open, self._open_kind = self._open, None, None
        return [BlockStop(index)]

    def _part(self, part: dict[str, Any]) -> list[StreamEvent]:
        signature = as_str(part.get("thoughtSignature"))
        if isinstance(part.get("functionCall"), dict):
            call = part["functionCall"]
            out = self._close()
            index, self._next, self._calls = self._next, self._next + 1, True
            call_id = as_str(call.get("id")) or self._ids("call_")
            out.append(BlockStart(index, "tool_use", call_id, as_str(call.get("name")), signature))
            out.append(ToolArgumentsDelta(index, dumps(call.get("args") or {})))
            out.append(BlockStop(index))
            return out
        if "text" not in part:
            return []
        text = as_str(part.get("text"))
        if part.get("thought") is True:
            out = self._open_block("thinking")
            if text:
                out.append(ThinkingDelta(self._next - 1, text))
            if signature:
                out.append(SignatureDelta(self._next - 1, signature, FORMAT))
            return out
        if not text:
            return []  # an empty text part carrying only a signature: nowhere to put it
        out = self._open_block("text")
        out.append(TextDelta(self._next - 1, text))
        return out

    def finish(self) -> list[StreamEvent]:
        """Terminal events (at the ``finishReason`` chunk or the end of the stream)."""
        if self._done:
            return []
        self._done = True
        out: list[StreamEvent] = [] if self._started else [MessageStart()]
        out.extend(self._close())
        stop = self._stop or (StopReason.TOOL_USE if self._calls else StopReason.END_TURN)
        out.append(MessageDelta(stop, self._usage))
        out.append(MessageStop())
        return out


class StreamEncoder:
    """Hub events -> Gemini SSE chunks (``data:`` lines only, as with ``alt=sse``).

    Text and thoughts stream as they come; a tool call is sent whole when its block stops.

    Args:
        model: the model name the client asked for (``modelVersion``).
        response_id: ``responseId`` of every chunk; the upstream's id when empty.
    """

    def __init__(self, *, model: str, response_id: str = "", **_: object) -> None:
        self._model = model
        self._id = response_id
        self._tools: dict[int, list[Any]] = {}  # block index -> [name, signature, args parts]
        self._usage: Usage | None = None
        self._finished = False
        self._stopped = False

    def _chunk(self, parts: list[dict[str, Any]], finish: str = "", usage: bool = False) -> bytes:
        candidate: dict[str, Any] = {"content": {"role": "model", "parts": parts}, "index": 0}
        if finish:
            candidate["finishReason"] = finish
        body: dict[str, Any] = {"candidates": [candidate]}
        if usage:
            body["usageMetadata"] = encode_usage(self._usage)
        body["modelVersion"] = self._model
        body["responseId"] = self._id
        return sse.encode(orjson.dumps(body))

    def encode(self, event: StreamEvent) -> bytes:  # noqa: C901  # one branch per event
        """SSE bytes for one hub event."""
        if self._finished:
            return b""
        if isinstance(event, MessageStart):
            self._id = self._id or event.id
            self._usage = event.usage
        elif isinstance(event, TextDelta) and event.text:
            return self._chunk([{"text": event.text}])
        elif isinstance(event, ThinkingDelta) and event.text:
            return self._chunk([{"text": event.text, "thought": True}])
        elif isinstance(event, SignatureDelta) and event.origin in ("", FORMAT):
            return self._chunk([{"text": "", "thought": True, "thoughtSignature": event.signature}])
        elif isinstance(event, BlockStart) and event.kind == "tool_use":
            self._tools[event.index] = [event.name, event.signature, []]
        elif isinstance(event, ToolArgumentsDelta) and event.index in self._tools:
            self._tools[event.index][2].append(event.partial_json)
        elif isinstance(event, BlockStop) and event.index in self._tools:
            name, signature, fragments = self._tools.pop(event.index)
            part: dict[str, Any] = {
                "functionCall": {"name": name, "args": json_object("".join(fragments))}
            }
            if signature:
                part["thoughtSignature"] = signature
            return self._chunk([part])
        elif isinstance(event, MessageDelta):
            self._usage = with_usage(self._usage, event.usage)
            self._stopped = True
            return self._chunk([], encode_finish(event.stop_reason), usage=True)
        elif isinstance(event, MessageStop):
            return self.finish()
        elif isinstance(event, StreamError):
            self._finished = True
            error = {"code": 500, "message": event.message, "status": "INTERNAL"}
            return sse.encode(orjson.dumps({"error": error}))
        return b""

    def finish(self) -> bytes:
        """The final ``finishReason`` chunk if none was sent."""
        if self._finished:
            return b""
        self._finished = True
        if self._stopped:
            return b""
        return self._chunk([], encode_finish(StopReason.END_TURN), usage=True)
