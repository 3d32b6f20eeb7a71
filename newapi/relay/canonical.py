"""The conversion hub: one request, response and stream-event model every wire format maps to.

When the client's format differs from the channel's, the ingress adapter decodes the client's
body into these types and the channel's adapter encodes them again (DESIGN.md, relay step 6).
Same-format traffic never goes through here.

Conventions kept by every codec:

* Tool-call arguments are JSON *text* (``ToolUseBlock.arguments``), never re-parsed on the way
  through, so a client's bytes reach the upstream unchanged where the formats allow it.
* ``Usage`` follows OpenAI semantics here: ``prompt_tokens`` *includes* cache reads and cache
  writes. Anthropic codecs add them on decode and subtract them on encode.
* Opaque provider data (Claude thinking signatures, Gemini ``thoughtSignature``, Responses
  ``encrypted_content``) is carried as-is together with the format it belongs to, so that an
  encoder only replays a signature to the provider that issued it.
* ``extra`` keeps the fields a decoder did not understand, keyed by the source format; only the
  encoder of that same format writes them back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Literal

from newapi.billing.meter import Usage

__all__ = [
    "EMPTY",
    "Block",
    "BlockKind",
    "BlockStart",
    "BlockStop",
    "ChatRequest",
    "ChatResponse",
    "ImageBlock",
    "Message",
    "MessageDelta",
    "MessageStart",
    "MessageStop",
    "OpaqueBlock",
    "Reasoning",
    "SignatureDelta",
    "StopReason",
    "StreamError",
    "StreamEvent",
    "TextBlock",
    "TextDelta",
    "ThinkingBlock",
    "ThinkingDelta",
    "Tool",
    "ToolArgumentsDelta",
    "ToolChoice",
    "ToolResultBlock",
    "ToolUseBlock",
    "Usage",
]

EMPTY: Mapping[str, Any] = MappingProxyType({})
"""The shared empty mapping used as the default of every ``extra``/``cache_control`` field."""

Role = Literal["user", "assistant"]


class StopReason(StrEnum):
    """Why the model stopped, in the hub's vocabulary (Claude's names).

    END_TURN: natural end (OpenAI ``stop``, Gemini ``STOP``, Responses ``completed``).
    MAX_TOKENS: the output limit was hit (``length``, ``MAX_TOKENS``, ``max_output_tokens``).
    STOP_SEQUENCE: a stop sequence matched (only Claude reports this apart from END_TURN).
    TOOL_USE: the turn ends with tool calls to run.
    CONTENT_FILTER: refused or filtered (Claude ``refusal``, Gemini ``SAFETY`` and kin).
    ERROR: the upstream failed mid-answer (Responses ``failed``, Gemini malformed calls).
    """

    END_TURN = "end_turn"
    MAX_TOKENS = "max_tokens"
    STOP_SEQUENCE = "stop_sequence"
    TOOL_USE = "tool_use"
    CONTENT_FILTER = "content_filter"
    ERROR = "error"


# ---------------------------------------------------------------------------------------------
# Content blocks


@dataclass(frozen=True, slots=True)
class TextBlock:
    """Plain text.

    Attributes:
        text: the text (may be empty in a stream; encoders drop empty text in requests).
        cache_control: Claude's prompt-cache marker on this block (``{"type": "ephemeral"}``,
            optionally ``ttl``); empty when absent. Only the Claude encoder writes it.
    """

    text: str
    cache_control: Mapping[str, Any] = field(default_factory=lambda: EMPTY)


@dataclass(frozen=True, slots=True)
class ImageBlock:
    """An image given inline (base64) or by URL; exactly one of ``data`` and ``url`` is set.

    Attributes:
        media_type: MIME type (``image/png``); may be empty for a URL.
        data: base64 bytes (no ``data:`` prefix).
        url: an ``http(s)`` URL (never downloaded by the codecs).
        detail: OpenAI's ``detail`` hint (``auto``/``low``/``high``) when the client gave one.
        cache_control: Claude's prompt-cache marker.
    """

    media_type: str = ""
    data: str = ""
    url: str = ""
    detail: str = ""
    cache_control: Mapping[str, Any] = field(default_factory=lambda: EMPTY)


@dataclass(frozen=True, slots=True)
class ToolUseBlock:
    """A tool (function) call made by the assistant.

    Attributes:
        id: the call id that pairs it with its ``ToolResultBlock`` (synthesized for Gemini).
        name: the function name.
        arguments: the arguments as JSON text (an object), exactly as received.
        signature: Gemini's ``thoughtSignature`` for this call, replayed to Gemini only.
        item_id: the Responses API item id (``fc_...``) when known.
        cache_control: Claude's prompt-cache marker.
    """

    id: str
    name: str
    arguments: str = "{}"
    signature: str = ""
    item_id: str = ""
    cache_control: Mapping[str, Any] = field(default_factory=lambda: EMPTY)


@dataclass(frozen=True, slots=True)
class ToolResultBlock:
    """The result of a tool call, sent back by the client.

    Attributes:
        tool_use_id: the ``ToolUseBlock.id`` it answers.
        content: text and image blocks of the result.
        is_error: the tool failed.
        name: the function name when the source format carries it (Gemini); otherwise
            encoders find it from the matching ``ToolUseBlock``.
        cache_control: Claude's prompt-cache marker.
    """

    tool_use_id: str
    content: tuple[TextBlock | ImageBlock, ...] = ()
    is_error: bool = False
    name: str = ""
    cache_control: Mapping[str, Any] = field(default_factory=lambda: EMPTY)

    @property
    def text(self) -> str:
        """The result's text parts joined (images left out)."""
        return "".join(part.text for part in self.content if isinstance(part, TextBlock))


@dataclass(frozen=True, slots=True)
class ThinkingBlock:
    """Model reasoning.

    Attributes:
        text: the reasoning text (Claude ``thinking``, OpenAI ``reasoning_content``, Gemini
            ``thought`` parts, Responses reasoning summaries).
        signature: opaque proof issued by the provider (Claude ``signature``, Gemini
            ``thoughtSignature``, Responses ``encrypted_content``), kept byte for byte.
        redacted: Claude ``redacted_thinking`` data (then ``text`` is empty).
        origin: the format whose provider issued ``signature``/``redacted`` ("" = unknown,
            treated as the client's own format); encoders replay signatures only to it.
        id: the Responses reasoning item id (``rs_...``) when known.
    """

    text: str = ""
    signature: str = ""
    redacted: str = ""
    origin: str = ""
    id: str = ""


@dataclass(frozen=True, slots=True)
class OpaqueBlock:
    """A block only its own format understands (Claude ``document``, Gemini ``fileData``,
    Responses ``web_search_call``, ...). Written back by that format's encoder, dropped by others.

    Attributes:
        format: the format the raw block belongs to.
        raw: the block exactly as received.
    """

    format: str
    raw: Mapping[str, Any]


Block = TextBlock | ImageBlock | ToolUseBlock | ToolResultBlock | ThinkingBlock | OpaqueBlock


@dataclass(frozen=True, slots=True)
class Message:
    """One conversation turn.

    Attributes:
        role: ``user`` or ``assistant`` (system text lives in ``ChatRequest.system``; tool
            results are ``ToolResultBlock``s in a user turn).
        content: the turn's blocks in order.
    """

    role: Role
    content: tuple[Block, ...]


# ---------------------------------------------------------------------------------------------
# Request


@dataclass(frozen=True, slots=True)
class Tool:
    """A function the model may call.

    Attributes:
        name: function name.
        description: what it does.
        parameters: JSON Schema of the arguments object.
        cache_control: Claude's prompt-cache marker.
        raw: a built-in tool of one format (web search, code execution, ...), written back
            only by ``raw_format``'s encoder; ``name``/``parameters`` are then informational.
        raw_format: the format of ``raw``.
    """

    name: str
    description: str = ""
    parameters: Mapping[str, Any] = field(default_factory=lambda: EMPTY)
    cache_control: Mapping[str, Any] = field(default_factory=lambda: EMPTY)
    raw: Mapping[str, Any] = field(default_factory=lambda: EMPTY)
    raw_format: str = ""


@dataclass(frozen=True, slots=True)
class ToolChoice:
    """How the model must use tools.

    Attributes:
        mode: ``auto``, ``none``, ``required`` (some tool) or ``tool`` (the one in ``name``).
        name: the forced function for mode ``tool``.
        disable_parallel: at most one call per turn (OpenAI ``parallel_tool_calls: false``,
            Claude ``disable_parallel_tool_use``).
    """

    mode: Literal["auto", "none", "required", "tool"] = "auto"
    name: str = ""
    disable_parallel: bool = False


@dataclass(frozen=True, slots=True)
class Reasoning:
    """Reasoning ("thinking") settings; all optional.

    Attributes:
        effort: ``minimal``/``low``/``medium``/``high``/``xhigh`` or ``none``.
        budget_tokens: a token budget (Claude ``budget_tokens``, Gemini ``thinkingBudget``).
        include_thoughts: return reasoning text (Gemini ``includeThoughts``, Responses
            ``summary``); ``None`` = the format's default.
        enabled: ``False`` when the client explicitly disabled thinking.
    """

    effort: str = ""
    budget_tokens: int | None = None
    include_thoughts: bool | None = None
    enabled: bool | None = None


@dataclass(frozen=True, slots=True)
class ChatRequest:
    """A chat request in hub form.

    Attributes:
        model: the model name as sent by the client (encoders take the upstream name apart).
        system: system/developer instructions, in order.
        messages: the conversation.
        tools: callable functions and built-in tools.
        tool_choice: ``None`` = the format's default.
        max_tokens: output limit (``max_tokens``, ``max_completion_tokens``,
            ``maxOutputTokens``, ``max_output_tokens``).
        temperature: sampling temperature.
        top_p: nucleus sampling.
        top_k: top-k sampling (Claude, Gemini).
        stop: stop sequences (Gemini keeps the first 5, Responses has none).
        stream: the client asked for a stream.
        include_usage: OpenAI ``stream_options.include_usage`` (defaults to true, spec §12.2).
        reasoning: thinking settings.
        user: end-user id (OpenAI ``user``, Claude ``metadata.user_id``).
        previous_response_id: Responses API server-side state; only a Responses upstream can
            honour it.
        extra: unknown fields of the source request, keyed by format name.
    """

    model: str
    messages: tuple[Message, ...]
    system: tuple[TextBlock, ...] = ()
    tools: tuple[Tool, ...] = ()
    tool_choice: ToolChoice | None = None
    max_tokens: int | None = None
    temperature: float | None = None
    top_p: float | None = None
    top_k: int | None = None
    stop: tuple[str, ...] = ()
    stream: bool = False
    include_usage: bool = True
    reasoning: Reasoning | None = None
    user: str = ""
    previous_response_id: str = ""
    extra: Mapping[str, Mapping[str, Any]] = field(default_factory=lambda: EMPTY)

    def extra_for(self, fmt: str) -> Mapping[str, Any]:
        """The unknown fields that came from format ``fmt`` (empty for any other format)."""
        return self.extra.get(fmt, EMPTY)


# ---------------------------------------------------------------------------------------------
# Response


@dataclass(frozen=True, slots=True)
class ChatResponse:
    """A complete (non-stream) answer in hub form.

    Attributes:
        id: the upstream's response id.
        model: the model the upstream reports.
        content: text, thinking and tool-use blocks in order.
        stop_reason: why it stopped.
        stop_sequence: the matched stop sequence, when reported.
        usage: token usage (OpenAI semantics: prompt includes cache reads and writes).
        created: Unix time the upstream reports (0 when unknown).
    """

    id: str
    model: str
    content: tuple[Block, ...]
    stop_reason: StopReason = StopReason.END_TURN
    stop_sequence: str = ""
    usage: Usage = field(default_factory=Usage)
    created: int = 0


# ---------------------------------------------------------------------------------------------
# Stream events

BlockKind = Literal["text", "thinking", "redacted_thinking", "tool_use"]


@dataclass(frozen=True, slots=True)
class MessageStart:
    """The first event of a stream.

    Attributes:
        id: the upstream's message/response id ("" when it gives none).
        model: the upstream's model name.
        usage: usage known at the start (Claude reports input and cache tokens here).
    """

    id: str = ""
    model: str = ""
    usage: Usage | None = None


@dataclass(frozen=True, slots=True)
class BlockStart:
    """A content block opens.

    Attributes:
        index: 0-based, increasing by one per block; parallel tool calls get one index each.
        kind: the block's kind.
        id: tool call id (``tool_use``) or Responses reasoning item id (``thinking``).
        name: function name (``tool_use``).
        signature: Gemini ``thoughtSignature`` of a tool call, or Claude redacted data.
    """

    index: int
    kind: BlockKind
    id: str = ""
    name: str = ""
    signature: str = ""


@dataclass(frozen=True, slots=True)
class TextDelta:
    """Text appended to text block ``index``."""

    index: int
    text: str


@dataclass(frozen=True, slots=True)
class ToolArgumentsDelta:
    """A fragment of tool block ``index``'s JSON arguments."""

    index: int
    partial_json: str


@dataclass(frozen=True, slots=True)
class ThinkingDelta:
    """Reasoning text appended to thinking block ``index``."""

    index: int
    text: str


@dataclass(frozen=True, slots=True)
class SignatureDelta:
    """The signature of thinking block ``index`` (Claude ``signature_delta``, Responses
    ``encrypted_content``, Gemini ``thoughtSignature``); ``origin`` names the issuing format."""

    index: int
    signature: str
    origin: str = ""


@dataclass(frozen=True, slots=True)
class BlockStop:
    """Content block ``index`` is complete."""

    index: int


@dataclass(frozen=True, slots=True)
class MessageDelta:
    """The end-of-message summary (sent once, after every block stopped).

    Attributes:
        stop_reason: why the model stopped.
        usage: final usage (OpenAI semantics), ``None`` when the upstream sent none.
        stop_sequence: the matched stop sequence, when reported.
    """

    stop_reason: StopReason
    usage: Usage | None = None
    stop_sequence: str = ""


@dataclass(frozen=True, slots=True)
class MessageStop:
    """The stream is complete (always the last event of a successful stream)."""


@dataclass(frozen=True, slots=True)
class StreamError:
    """The upstream reported an error inside the stream.

    Attributes:
        message: the upstream's message.
        type: the upstream's error type/code (``overloaded_error``, ``server_error``, ...).
    """

    message: str
    type: str = "api_error"


StreamEvent = (
    MessageStart
    | BlockStart
    | TextDelta
    | ToolArgumentsDelta
    | ThinkingDelta
    | SignatureDelta
    | BlockStop
    | MessageDelta
    | MessageStop
    | StreamError
)
