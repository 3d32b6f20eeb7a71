"""Streams that are not OpenAI chat on both sides: converted through the hub, or passed
through in their own (non-OpenAI) format while a hub decoder reads usage and text.

Terminal states follow docs/billing.md: the stream is settled before the client's terminal
event goes out; a stream the upstream breaks (cut, reset, silent past STREAMING_TIMEOUT) is
billed for what was delivered and ends with an in-band error in the client's format; a client
that goes away is billed for what was delivered.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from newapi.billing.estimate import estimate_completion_tokens
from newapi.billing.meter import CacheSemantics, Usage
from newapi.relay.canonical import MessageDelta, MessageStop, StreamEvent
from newapi.relay.formats.base import Adapter
from newapi.relay.formats.conversion import with_usage
from newapi.relay.formats.hub import StreamConverter
from newapi.relay.metering import Meter
from newapi.relay.sse import SSEDecoder, encode, encode_comment
from newapi.relay.streaming import Respond, open_stream, read_pieces, run_stream
from newapi.relay.thinking import ThinkingAsText
from newapi.relay.upstream import UpstreamResponse

__all__ = ["HubStreamPlan", "forward_hub_stream"]


@dataclass(frozen=True, slots=True)
class HubStreamPlan:
    """What a hub stream needs to know about the request."""

    upstream: str  # the channel's format
    client: str  # the client's format
    passthrough: bool  # same format: forward the upstream's events unchanged
    model: str  # the requested (billed) name, shown to the client
    adapter: Adapter  # the client's, for in-band errors
    include_usage: bool
    prompt_estimate: int
    keepalive_s: float
    request_id: str
    created: int
    thinking_to_content: bool = False  # reasoning as <think> text (relay.thinking)


class _Stream(StreamConverter):
    """A ``StreamConverter`` that notes the terminal event and fills a final usage the upstream
    did not report with local counts (so the client and the bill agree)."""

    def __init__(self, plan: HubStreamPlan) -> None:
        super().__init__(
            plan.upstream,
            plan.client,
            model=plan.model,
            created=plan.created,
            include_usage=plan.include_usage,
            input_tokens=plan.prompt_estimate,
        )
        self.plan = plan
        if plan.thinking_to_content:
            self.decoder = ThinkingAsText(self.decoder)
        self.stopped = False
        self.raw = SSEDecoder() if plan.passthrough else None

    def local_usage(self) -> Usage:
        """The upstream's usage with what is missing counted locally."""
        usage = self.usage
        text = self.output_text
        completion = usage.completion_tokens if usage is not None else 0
        if not completion and text:
            completion = estimate_completion_tokens(text, self.plan.model)
        prompt = usage.prompt_tokens if usage is not None else 0
        if usage is not None and completion == usage.completion_tokens and prompt:
            return usage
        if usage is None:
            return Usage(
                prompt_tokens=self.plan.prompt_estimate,
                completion_tokens=completion,
                source="local",
            )
        # what the upstream reported (cache reads and writes too) stays; the gaps are counted
        return replace(
            usage,
            prompt_tokens=prompt or self.plan.prompt_estimate,
            completion_tokens=completion,
            source="mixed",
        )

    def _encode(self, events: list[StreamEvent]) -> bytes:
        out = b""
        for event in events:
            if isinstance(event, MessageDelta) and not self.plan.passthrough:
                self.usage = with_usage(self.usage, event.usage)
                event = replace(event, usage=self.local_usage())
            if isinstance(event, MessageStop):
                self.stopped = True
            out += super()._encode([event])
        return out

    def feed(self, chunk: bytes) -> bytes:
        if self.raw is None:
            return super().feed(chunk)
        out = b""
        for event, data in self.raw.feed(chunk):
            self._encode(self.decoder.feed(event, data))  # read usage, text and the end
            out += encode(data, event)
        return out


async def _pump(sink: Any, upstream: UpstreamResponse, meter: Meter, conv: _Stream) -> str:
    """Forward until the upstream's terminal event; returns how the stream ended."""

    async def send_comment() -> None:
        # google-genai reads a line that is not "data: ..." as a JSON error body: no comments
        if conv.plan.client != "gemini":
            await sink.send(encode_comment())

    async for piece in read_pieces(upstream, conv.plan.keepalive_s, send_comment):
        out = conv.feed(piece)
        if conv.error is not None:
            status = "upstream_error"
        elif conv.stopped:
            status = "completed"
        else:
            status = ""
        if status:
            meter.settle(conv.local_usage(), stream_status=status)  # before the terminal event
        if out:
            meter.mark_first_byte()
            await sink.send(out)
        if status:
            return status
    return "cut"


async def forward_hub_stream(
    respond: Respond, upstream: UpstreamResponse, meter: Meter, plan: HubStreamPlan
) -> None:
    """Send the upstream stream to the client in its format and settle it exactly once."""
    sink = await open_stream(respond, plan.request_id)
    meter.semantics = CacheSemantics.OPENAI  # hub usage, whatever the upstream format
    conv = _Stream(plan)
    status, failure = await run_stream(
        _pump(sink, upstream, meter, conv),
        upstream,
        lambda: meter.settle(conv.local_usage(), stream_status="client_gone"),
    )
    meter.settle(conv.local_usage(), stream_status=status)  # no-op when settled in the pump
    if failure is not None:
        await sink.send(plan.adapter.render_stream_error(failure, plan.request_id))
    await sink.eof()
