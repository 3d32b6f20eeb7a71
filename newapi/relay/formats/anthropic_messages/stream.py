"""Anthropic Messages stream events to hub ``StreamEvent``s and back."""

from __future__ import annotations

from typing import Any

import orjson

from newapi.billing.meter import Usage
from newapi.relay import sse
from newapi.relay.canonical import (
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
from newapi.relay.formats.anthropic_messages.response import (
    FORMAT,
    decode_stop,
    encode_stop,
    encode_usage,
    native_to_hub,
    native_usage,
)
from newapi.relay.formats.conversion import as_str, export_signature, pack_signature, with_usage

__all__ = ["StreamDecoder", "StreamEncoder"]


class StreamDecoder:
    """Upstream Claude events -> hub events (nearly one to one; server tool blocks such as
    ``server_tool_use`` and ``web_search_tool_result`` are left out and the rest renumbered).

    Usage: ``message_start`` carries input and cache tokens, ``message_delta`` the output;
    the final ``MessageDelta`` merges both (Bedrock leaves the delta's input at 0, spec §5.3).
    They are merged field by field in Claude's own semantics, then moved to the hub's, so a
    delta that repeats the cache counts without the input cannot lower the prompt count.
    """

    def __init__(self, **_: object) -> None:
        self._native: Usage | None = None  # merged, in Anthropic semantics
        self._usage: Usage | None = None
        self._open: set[int] = set()
        self._map: dict[int, int] = {}  # Claude block index -> hub index (server blocks skipped)
        self._done = False
        self._started = False
        self._stop: StopReason | None = None
        self._stop_sequence = ""

    def feed(self, event: bytes | None, data: bytes) -> list[StreamEvent]:
        """Hub events for one SSE event."""
        if self._done:
            return []
        try:
            payload = orjson.loads(data)
        except orjson.JSONDecodeError:
            return []
        if not isinstance(payload, dict):
            return []
        kind = payload.get("type")
        if kind == "message_start":
            message = payload.get("message") or {}
            self._started = True
            self._native = native_usage(message.get("usage"))
            self._usage = None if self._native is None else native_to_hub(self._native)
            return [
                MessageStart(as_str(message.get("id")), as_str(message.get("model")), self._usage)
            ]
        if kind == "content_block_start":
            return self._block_start(payload)
        if kind == "content_block_delta":
            return self._delta(payload)
        if kind == "content_block_stop":
            index = self._map.get(payload.get("index", 0), -1)
            if index not in self._open:
                return []
            self._open.discard(index)
            return [BlockStop(index)]
        if kind == "message_delta":
            delta = payload.get("delta") or {}
            self._native = with_usage(self._native, native_usage(payload.get("usage")))
            self._usage = None if self._native is None else native_to_hub(self._native)
            self._stop = decode_stop(delta.get("stop_reason"))
            self._stop_sequence = as_str(delta.get("stop_sequence"))
            return []
        if kind == "message_stop":
            return self.finish()
        if kind == "error":
            error = payload.get("error") or {}
            self._done = True
            return [
                StreamError(as_str(error.get("message")), as_str(error.get("type")) or "api_error")
            ]
        return []  # ping and unknown events

    def _block_start(self, payload: dict[str, Any]) -> list[StreamEvent]:
        block = payload.get("content_block") or {}
        kind = block.get("type")
        if kind not in ("text", "thinking", "redacted_thinking", "tool_use"):
            return []  # server tool blocks (web search, ...) have no form in other formats
        index = self._map[payload.get("index", 0)] = len(self._map)
        self._open.add(index)
        if kind == "tool_use":
            out: list[StreamEvent] = [
                BlockStart(index, "tool_use", as_str(block.get("id")), as_str(block.get("name")))
            ]
            if block.get("input"):  # complete input given up front (some proxies)
                out.append(ToolArgumentsDelta(index, orjson.dumps(block["input"]).decode()))
            return out
        if kind == "thinking":
            out = [BlockStart(index, "thinking")]
            if block.get("thinking"):
                out.append(ThinkingDelta(index, block["thinking"]))
            return out
        if kind == "redacted_thinking":
            return [BlockStart(index, "redacted_thinking", signature=as_str(block.get("data")))]
        out = [BlockStart(index, "text")]
        if block.get("text"):
            out.append(TextDelta(index, block["text"]))
        return out

    def _delta(self, payload: dict[str, Any]) -> list[StreamEvent]:
        index = self._map.get(payload.get("index", 0), -1)
        if index < 0:
            return []
        delta = payload.get("delta") or {}
        kind = delta.get("type")
        if kind == "text_delta":
            return [TextDelta(index, as_str(delta.get("text")))]
        if kind == "input_json_delta":
            return [ToolArgumentsDelta(index, as_str(delta.get("partial_json")))]
        if kind == "thinking_delta":
            return [ThinkingDelta(index, as_str(delta.get("thinking")))]
        if kind == "signature_delta":
            return [SignatureDelta(index, as_str(delta.get("signature")), FORMAT)]
        return []

    def finish(self) -> list[StreamEvent]:
        """Terminal events (``message_stop`` or the end of the upstream stream)."""
        if self._done:
            return []
        self._done = True
        out: list[StreamEvent] = [] if self._started else [MessageStart()]
        out.extend(BlockStop(index) for index in sorted(self._open))
        self._open.clear()
        out.append(
            MessageDelta(self._stop or StopReason.END_TURN, self._usage, self._stop_sequence)
        )
        out.append(MessageStop())
        return out


def _event(payload: dict[str, Any]) -> bytes:
    return sse.encode(orjson.dumps(payload), payload["type"].encode())


class StreamEncoder:
    """Hub events -> Claude SSE events (``event:`` + ``data:``; no ``[DONE]``).

    Block indexes are renumbered densely in the order blocks start, so hub blocks the client
    cannot see (none today) never leave holes; every started block is stopped before
    ``message_delta`` (spec §12.19).

    Args:
        model: the model name the client asked for.
        response_id: the message id (``msg_...``); the upstream's id when empty.
        input_tokens: the local prompt estimate for ``message_start`` when the upstream
            reports no usage before the end (OpenAI, Gemini; spec §5.5).
    """

    def __init__(
        self, *, model: str, response_id: str = "", input_tokens: int = 0, **_: object
    ) -> None:
        self._model = model
        self._input_estimate = input_tokens
        self._id = response_id
        self._index: dict[int, int] = {}
        self._kinds: dict[int, str] = {}
        self._open: list[int] = []
        self._started = False
        self._finished = False
        self._stop: StopReason | None = None
        self._usage: Usage | None = None

    def _start(self, upstream_id: str = "", usage: Usage | None = None) -> bytes:
        if self._started:
            return b""
        self._started = True
        self._usage = usage
        if not self._id:
            self._id = upstream_id if upstream_id.startswith("msg_") else f"msg_{upstream_id}"
        start_usage = encode_usage(usage or Usage(prompt_tokens=self._input_estimate))
        start_usage["output_tokens"] = min(start_usage["output_tokens"], 1)
        message = {
            "id": self._id,
            "type": "message",
            "role": "assistant",
            "model": self._model,
            "content": [],
            "stop_reason": None,
            "stop_sequence": None,
            "usage": start_usage,
        }
        return _event({"type": "message_start", "message": message})

    def encode(self, event: StreamEvent) -> bytes:  # one branch per event
        """SSE bytes for one hub event."""
        if self._finished:
            return b""
        if isinstance(event, MessageStart):
            return self._start(event.id, event.usage)
        head = self._start()
        if isinstance(event, BlockStart):
            return head + self._block_start(event)
        index = self._index.get(getattr(event, "index", -1), -1)
        if isinstance(event, TextDelta | ThinkingDelta | ToolArgumentsDelta | SignatureDelta):
            if index < 0 or (
                isinstance(event, SignatureDelta) and self._kinds.get(index) != "thinking"
            ):
                return head
            return head + _event(
                {"type": "content_block_delta", "index": index, "delta": _delta(event)}
            )
        if isinstance(event, BlockStop):
            if index in self._open:
                self._open.remove(index)
                return head + _event({"type": "content_block_stop", "index": index})
            return head
        if isinstance(event, MessageDelta):
            return head + self._message_delta(event)
        if isinstance(event, MessageStop):
            return head + self.finish()
        if isinstance(event, StreamError):
            self._finished = True
            return head + _event(
                {"type": "error", "error": {"type": event.type, "message": event.message}}
            )
        return head

    def _block_start(self, event: BlockStart) -> bytes:
        index = len(self._index)
        self._index[event.index] = index
        self._kinds[index] = event.kind
        self._open.append(index)
        if event.kind == "tool_use":
            block: dict[str, Any] = {
                "type": "tool_use",
                "id": pack_signature(event.id, event.signature),
                "name": event.name,
                "input": {},
            }
        elif event.kind == "thinking":
            block = {"type": "thinking", "thinking": "", "signature": ""}
        elif event.kind == "redacted_thinking":
            block = {"type": "redacted_thinking", "data": event.signature}
        else:
            block = {"type": "text", "text": ""}
        return _event({"type": "content_block_start", "index": index, "content_block": block})

    def _close_open(self) -> bytes:
        out = b"".join(_event({"type": "content_block_stop", "index": i}) for i in self._open)
        self._open = []
        return out

    def _message_delta(self, event: MessageDelta) -> bytes:
        if self._stop is not None:
            return b""
        self._stop = event.stop_reason
        self._usage = with_usage(self._usage, event.usage)
        delta = {
            "stop_reason": encode_stop(event.stop_reason),
            "stop_sequence": event.stop_sequence or None,
        }
        return self._close_open() + _event(
            {"type": "message_delta", "delta": delta, "usage": encode_usage(self._usage)}
        )

    def finish(self) -> bytes:
        """``message_delta`` (if not sent) and ``message_stop``."""
        if self._finished:
            return b""
        out = self._start()
        if self._stop is None:
            stop = (
                StopReason.TOOL_USE if "tool_use" in self._kinds.values() else StopReason.END_TURN
            )
            out += self._message_delta(MessageDelta(stop))
        self._finished = True
        return out + _event({"type": "message_stop"})


def _delta(
    event: TextDelta | ThinkingDelta | ToolArgumentsDelta | SignatureDelta,
) -> dict[str, Any]:
    if isinstance(event, TextDelta):
        return {"type": "text_delta", "text": event.text}
    if isinstance(event, ThinkingDelta):
        return {"type": "thinking_delta", "thinking": event.text}
    if isinstance(event, ToolArgumentsDelta):
        return {"type": "input_json_delta", "partial_json": event.partial_json}
    return {
        "type": "signature_delta",
        "signature": export_signature(event.signature, event.origin, FORMAT),
    }
