"""OpenAI Responses API typed stream events to hub ``StreamEvent``s and back."""

from __future__ import annotations

from dataclasses import dataclass, field
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
from newapi.relay.formats.conversion import (
    IdSource,
    as_str,
    export_signature,
    pack_signature,
    random_ids,
)
from newapi.relay.formats.openai_responses.response import (
    FORMAT,
    decode_status,
    decode_usage,
    encode_status,
    encode_usage,
    response_object,
)

__all__ = ["StreamDecoder", "StreamEncoder"]

_TERMINAL = {"response.completed", "response.incomplete", "response.failed"}


class StreamDecoder:
    """Upstream Responses events -> hub events.

    Each output item becomes one block: ``message`` items (one block per ``output_text``
    part), ``reasoning`` (summary and reasoning text as thinking, ``encrypted_content`` as the
    signature) and ``function_call``. Other items (web search, ...) are not streamed through.
    """

    def __init__(self, **_: object) -> None:
        self._next = 0
        self._blocks: dict[tuple[str, int], int] = {}  # (item id, content index) -> block
        self._kinds: dict[int, str] = {}
        self._open: set[int] = set()
        self._calls = False
        self._done = False
        self._started = False

    def _block(self, key: tuple[str, int]) -> int:
        return self._blocks.get(key, -1)

    def _start(self, key: tuple[str, int], event: BlockStart) -> list[StreamEvent]:
        self._blocks[key] = self._next
        self._kinds[self._next] = event.kind
        self._open.add(self._next)
        self._next += 1
        return [event]

    def _stop(self, key: tuple[str, int]) -> list[StreamEvent]:
        index = self._block(key)
        if index in self._open:
            self._open.discard(index)
            return [BlockStop(index)]
        return []

    def feed(self, event: bytes | None, data: bytes) -> list[StreamEvent]:  # noqa: C901
        """Hub events for one SSE event (the ``type`` field names it)."""
        if self._done:
            return []
        try:
            payload = orjson.loads(data)
        except orjson.JSONDecodeError:
            return []
        if not isinstance(payload, dict):
            return []
        kind = as_str(payload.get("type"))
        item_id = as_str(payload.get("item_id"))
        if kind in ("response.created", "response.in_progress"):
            if self._started:
                return []
            self._started = True
            response = payload.get("response") or {}
            return [MessageStart(as_str(response.get("id")), as_str(response.get("model")))]
        if kind == "response.output_item.added":
            return self._item_added(payload.get("item") or {})
        if kind == "response.content_part.added":
            part = payload.get("part") or {}
            if part.get("type") in ("output_text", "refusal"):
                key = (item_id, payload.get("content_index", 0))
                return self._start(key, BlockStart(self._next, "text"))
            return []
        if kind in ("response.output_text.delta", "response.refusal.delta"):
            index = self._block((item_id, payload.get("content_index", 0)))
            return [TextDelta(index, as_str(payload.get("delta")))] if index >= 0 else []
        if kind == "response.content_part.done":
            return self._stop((item_id, payload.get("content_index", 0)))
        if kind in ("response.reasoning_summary_text.delta", "response.reasoning_text.delta"):
            index = self._block((item_id, -1))
            return [ThinkingDelta(index, as_str(payload.get("delta")))] if index >= 0 else []
        if kind == "response.reasoning_summary_part.added" and payload.get("summary_index", 0):
            index = self._block((item_id, -1))
            return [ThinkingDelta(index, "\n\n")] if index >= 0 else []
        if kind == "response.function_call_arguments.delta":
            index = self._block((item_id, -1))
            return [ToolArgumentsDelta(index, as_str(payload.get("delta")))] if index >= 0 else []
        if kind == "response.output_item.done":
            return self._item_done(payload.get("item") or {})
        if kind in _TERMINAL:
            return self._terminal(payload.get("response") or {})
        if kind == "error":
            self._done = True
            return [
                StreamError(
                    as_str(payload.get("message")), as_str(payload.get("code")) or "api_error"
                )
            ]
        return []

    def _item_added(self, item: dict[str, Any]) -> list[StreamEvent]:
        key = (as_str(item.get("id")), -1)
        if item.get("type") == "function_call":
            self._calls = True
            return self._start(
                key,
                BlockStart(
                    self._next, "tool_use", as_str(item.get("call_id")), as_str(item.get("name"))
                ),
            )
        if item.get("type") == "reasoning":
            return self._start(key, BlockStart(self._next, "thinking", id=key[0]))
        return []

    def _item_done(self, item: dict[str, Any]) -> list[StreamEvent]:
        key = (as_str(item.get("id")), -1)
        index = self._block(key)
        out: list[StreamEvent] = []
        if (
            item.get("type") == "reasoning"
            and index in self._open
            and item.get("encrypted_content")
        ):
            out.append(SignatureDelta(index, as_str(item["encrypted_content"]), FORMAT))
        if item.get("type") == "message":  # parts not closed by content_part.done
            for (item_id, _), block in list(self._blocks.items()):
                if item_id == key[0] and block in self._open:
                    self._open.discard(block)
                    out.append(BlockStop(block))
        return out + self._stop(key)

    def _terminal(self, response: dict[str, Any]) -> list[StreamEvent]:
        stop = decode_status(
            response.get("status"), response.get("incomplete_details"), self._calls
        )
        if response.get("status") == "failed":
            error = response.get("error") or {}
            self._done = True
            return [
                StreamError(
                    as_str(error.get("message")) or "response failed",
                    as_str(error.get("code")) or "api_error",
                )
            ]
        out = self._close()
        out.append(MessageDelta(stop, decode_usage(response.get("usage"))))
        out.append(MessageStop())
        self._done = True
        return out

    def _close(self) -> list[StreamEvent]:
        out: list[StreamEvent] = [BlockStop(i) for i in sorted(self._open)]
        self._open.clear()
        return out

    def finish(self) -> list[StreamEvent]:
        """Terminal events if the upstream ended without ``response.completed``."""
        if self._done:
            return []
        self._done = True
        out: list[StreamEvent] = [] if self._started else [MessageStart()]
        stop = StopReason.TOOL_USE if self._calls else StopReason.END_TURN
        return [*out, *self._close(), MessageDelta(stop), MessageStop()]


@dataclass(slots=True)
class _Item:
    """One output item being streamed to the client."""

    kind: str
    output_index: int
    item: dict[str, Any]
    text: list[str] = field(default_factory=list)
    signature: str = ""
    origin: str = ""
    summary_open: bool = False


class StreamEncoder:
    """Hub events -> Responses API typed events, with ``sequence_number`` on each.

    Args:
        model: the model name the client asked for.
        response_id: ``resp_...``; derived from the upstream's id when empty.
        created: Unix time for ``created_at``.
        ids: makes item ids (``msg_``, ``fc_``, ``rs_``).
    """

    def __init__(
        self,
        *,
        model: str,
        response_id: str = "",
        created: int = 0,
        ids: IdSource = random_ids,
        **_: object,
    ) -> None:
        self._model = model
        self._id = response_id
        self._created = created
        self._ids = ids
        self._seq = 0
        self._items: dict[int, _Item] = {}  # hub block index -> item
        self._done_items: list[tuple[int, dict[str, Any]]] = []
        self._outputs = 0
        self._started = False
        self._finished = False
        self._stop: StopReason | None = None
        self._usage: Usage | None = None

    def _event(self, kind: str, **fields: Any) -> bytes:
        payload = {"type": kind, "sequence_number": self._seq, **fields}
        self._seq += 1
        return sse.encode(orjson.dumps(payload), kind.encode())

    def _response(self, status: str, **extra: Any) -> dict[str, Any]:
        output = [item for _, item in sorted(self._done_items, key=lambda pair: pair[0])]
        usage = extra.pop("usage", None)
        return response_object(
            self._id, self._model, self._created, status=status, output=output, usage=usage, **extra
        )

    def _start(self, upstream_id: str = "") -> bytes:
        if self._started:
            return b""
        self._started = True
        if not self._id:
            self._id = upstream_id if upstream_id.startswith("resp_") else f"resp_{upstream_id}"
        response = self._response("in_progress")
        return self._event("response.created", response=response) + self._event(
            "response.in_progress", response=response
        )

    def encode(self, event: StreamEvent) -> bytes:  # one branch per event
        """SSE bytes for one hub event."""
        if self._finished:
            return b""
        if isinstance(event, MessageStart):
            self._usage = event.usage
            return self._start(event.id)
        head = self._start()
        if isinstance(event, BlockStart):
            return head + self._block_start(event)
        item = self._items.get(getattr(event, "index", -1))
        if isinstance(event, TextDelta | ThinkingDelta | ToolArgumentsDelta) and item:
            return head + self._delta(item, event)
        if isinstance(event, SignatureDelta) and item:
            item.signature += event.signature
            item.origin = event.origin
        elif isinstance(event, BlockStop) and item:
            del self._items[event.index]
            return head + self._block_stop(item)
        elif isinstance(event, MessageDelta):
            self._stop = event.stop_reason
            if event.usage is not None:
                self._usage = event.usage
        elif isinstance(event, MessageStop):
            return head + self.finish()
        elif isinstance(event, StreamError):
            self._finished = True
            error = {"code": "server_error", "message": event.message}
            return head + self._event(
                "response.failed",
                response=self._response("failed", error=error, usage=encode_usage(self._usage)),
            )
        return head

    def _block_start(self, event: BlockStart) -> bytes:
        index, self._outputs = self._outputs, self._outputs + 1
        if event.kind == "tool_use":
            item = {
                "type": "function_call",
                "id": self._ids("fc_"),
                "call_id": pack_signature(event.id, event.signature),
                "name": event.name,
                "arguments": "",
                "status": "in_progress",
            }
        elif event.kind in ("thinking", "redacted_thinking"):
            item = {"type": "reasoning", "id": event.id or self._ids("rs_"), "summary": []}
        else:
            item = {
                "type": "message",
                "id": self._ids("msg_"),
                "status": "in_progress",
                "role": "assistant",
                "content": [],
            }
        state = _Item(item["type"], index, item)
        self._items[event.index] = state
        out = self._event("response.output_item.added", output_index=index, item=dict(item))
        if state.kind == "message":
            out += self._event(
                "response.content_part.added",
                item_id=item["id"],
                output_index=index,
                content_index=0,
                part=_text_part(""),
            )
        return out

    def _delta(self, item: _Item, event: TextDelta | ThinkingDelta | ToolArgumentsDelta) -> bytes:
        ids = {"item_id": item.item["id"], "output_index": item.output_index}
        if isinstance(event, ToolArgumentsDelta) and item.kind == "function_call":
            item.text.append(event.partial_json)
            return self._event(
                "response.function_call_arguments.delta", **ids, delta=event.partial_json
            )
        if isinstance(event, ThinkingDelta) and item.kind == "reasoning":
            item.text.append(event.text)
            out = b""
            if not item.summary_open:
                item.summary_open = True
                out = self._event(
                    "response.reasoning_summary_part.added",
                    **ids,
                    summary_index=0,
                    part={"type": "summary_text", "text": ""},
                )
            return out + self._event(
                "response.reasoning_summary_text.delta", **ids, summary_index=0, delta=event.text
            )
        if isinstance(event, TextDelta) and item.kind == "message":
            item.text.append(event.text)
            return self._event(
                "response.output_text.delta", **ids, content_index=0, delta=event.text, logprobs=[]
            )
        return b""

    def _block_stop(self, item: _Item) -> bytes:
        ids = {"item_id": item.item["id"], "output_index": item.output_index}
        text = "".join(item.text)
        done = dict(item.item)
        out = b""
        if item.kind == "message":
            out += self._event(
                "response.output_text.done", **ids, content_index=0, text=text, logprobs=[]
            )
            out += self._event(
                "response.content_part.done", **ids, content_index=0, part=_text_part(text)
            )
            done.update(status="completed", content=[_text_part(text)])
        elif item.kind == "function_call":
            arguments = text or "{}"
            out += self._event("response.function_call_arguments.done", **ids, arguments=arguments)
            done.update(status="completed", arguments=arguments)
        else:
            part = {"type": "summary_text", "text": text}
            if item.summary_open:
                out += self._event(
                    "response.reasoning_summary_text.done", **ids, summary_index=0, text=text
                )
                out += self._event(
                    "response.reasoning_summary_part.done", **ids, summary_index=0, part=part
                )
            done["summary"] = [part] if text else []
            if item.signature:
                done["encrypted_content"] = export_signature(item.signature, item.origin, FORMAT)
        self._done_items.append((item.output_index, done))
        return out + self._event(
            "response.output_item.done", output_index=item.output_index, item=done
        )

    def finish(self) -> bytes:
        """Closes open items and sends ``response.completed`` (or ``.incomplete``)."""
        if self._finished:
            return b""
        out = self._start()
        for index in sorted(self._items):
            out += self._block_stop(self._items.pop(index))
        self._finished = True
        stop = self._stop or StopReason.END_TURN
        status, incomplete = encode_status(stop)
        kind = {"completed": "response.completed", "incomplete": "response.incomplete"}.get(
            status, "response.failed"
        )
        response = self._response(status, incomplete=incomplete, usage=encode_usage(self._usage))
        return out + self._event(kind, response=response)


def _text_part(text: str) -> dict[str, Any]:
    return {"type": "output_text", "text": text, "annotations": []}
