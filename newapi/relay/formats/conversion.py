"""Small pure pieces shared by the hub codecs: JSON text, data URLs, ids, effort budgets.

Nothing here knows a wire format; each codec package imports what it needs.
"""

from __future__ import annotations

import base64
import itertools
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from typing import Any

import orjson

from newapi.billing.meter import Usage
from newapi.errors import InvalidRequestError
from newapi.relay.canonical import (
    EMPTY,
    ChatRequest,
    ImageBlock,
    Message,
    TextBlock,
    ToolUseBlock,
)

__all__ = [
    "IdSource",
    "as_int",
    "as_str",
    "budget_for_effort",
    "copy_sampling",
    "counting_ids",
    "data_url",
    "dumps",
    "effort_for_budget",
    "export_signature",
    "image_from_url",
    "image_url",
    "import_signature",
    "join_text",
    "json_object",
    "pack_signature",
    "parse_data_url",
    "random_ids",
    "reject_response_state",
    "require_dict",
    "tool_names",
    "unpack_signature",
    "usage_or_none",
    "with_usage",
]

IdSource = Callable[[str], str]
"""Makes a new id with the given prefix (``call_``, ``msg_``, ...)."""

_SIG_MARK = "__ts__"
_ORIGIN_TAG = "newapi.v1:"

# Reasoning effort <-> token budget (spec §4.3: low/medium/high -> 1280/2048/4096).
_EFFORT_BUDGET = {"minimal": 1024, "low": 1280, "medium": 2048, "high": 4096, "xhigh": 16384}


def random_ids(prefix: str) -> str:
    """A fresh random id (the default ``IdSource``)."""
    return prefix + uuid.uuid4().hex[:24]


def counting_ids() -> IdSource:
    """A deterministic ``IdSource`` (``call_1``, ``msg_2``, ...) for tests and golden files."""
    counter = itertools.count(1)
    return lambda prefix: f"{prefix}{next(counter)}"


def dumps(value: object) -> str:
    """Compact JSON text."""
    return orjson.dumps(value).decode()


def json_object(text: str) -> dict[str, Any]:
    """Tool arguments as an object; invalid or non-object JSON becomes ``{}`` (empty text too)."""
    if not text or not text.strip():
        return {}
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}


def require_dict(value: object, what: str) -> dict[str, Any]:
    """``value`` if it is a JSON object, else a clear 400."""
    if not isinstance(value, dict):
        raise InvalidRequestError(f"{what} must be a JSON object", param=what)
    return value


def as_int(value: object) -> int:
    """A non-negative int from a JSON number, anything else 0."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0
    return max(int(value), 0)


def as_str(value: object) -> str:
    """``value`` if it is a string, else ""."""
    return value if isinstance(value, str) else ""


def parse_data_url(url: str) -> tuple[str, str] | None:
    """``(media_type, base64 data)`` of a ``data:`` URL, or ``None`` for any other URL."""
    if not url.startswith("data:"):
        return None
    head, sep, data = url[5:].partition(",")
    if not sep:
        return None
    media_type, _, encoding = head.partition(";")
    if encoding != "base64":
        data = base64.b64encode(data.encode()).decode()
    return media_type or "application/octet-stream", data


def data_url(media_type: str, data: str) -> str:
    """A ``data:`` URL for base64 ``data``."""
    return f"data:{media_type or 'image/png'};base64,{data}"


def image_url(block: ImageBlock) -> str:
    """The block as a URL (its own URL, or a data URL)."""
    return block.url or data_url(block.media_type, block.data)


def image_from_url(
    url: str, detail: str = "", cache_control: Mapping[str, Any] = EMPTY
) -> ImageBlock:
    """An ``ImageBlock`` from a URL: data URLs become base64 blocks."""
    parsed = parse_data_url(url)
    if parsed is not None:
        return ImageBlock(
            media_type=parsed[0], data=parsed[1], detail=detail, cache_control=cache_control
        )
    return ImageBlock(url=url, detail=detail, cache_control=cache_control)


def pack_signature(call_id: str, signature: str) -> str:
    """Carry a Gemini ``thoughtSignature`` inside a tool-call id for clients without a field
    for it (the id comes back with the tool result; ``unpack_signature`` recovers both).

    The signature is stored as unpadded base64url of its bytes, so the id stays within
    ``[A-Za-z0-9_-]`` (Claude's tool id pattern) and any signature text round-trips exactly."""
    if not signature:
        return call_id
    packed = base64.urlsafe_b64encode(signature.encode()).decode().rstrip("=")
    return f"{call_id}{_SIG_MARK}{packed}"


def unpack_signature(call_id: str) -> tuple[str, str]:
    """``(id, signature)`` from an id made by ``pack_signature`` (signature "" if none)."""
    base, sep, packed = call_id.partition(_SIG_MARK)
    if not sep or not packed:
        return call_id, ""
    try:
        raw = base64.urlsafe_b64decode(packed + "=" * (-len(packed) % 4))
        return base, raw.decode()
    except (ValueError, UnicodeDecodeError):
        return call_id, ""  # not ours: keep the id as the client sent it


def export_signature(signature: str, origin: str, client: str) -> str:
    """A reasoning signature as shown to a ``client``-format client.

    The client's own provider's signatures (and ones of unknown origin) go out unchanged;
    another provider's are tagged with their origin, so that when the client echoes them back
    (Codex echoes ``encrypted_content``, Claude Code echoes ``signature``) they are replayed to
    the provider that issued them and never to one that would reject them."""
    if not signature or origin in ("", client):
        return signature
    return f"{_ORIGIN_TAG}{origin}:{signature}"


def import_signature(value: str) -> tuple[str, str]:
    """``(signature, origin)`` of a signature a client sent back (origin "" if untagged)."""
    if not value.startswith(_ORIGIN_TAG):
        return value, ""
    origin, sep, signature = value[len(_ORIGIN_TAG) :].partition(":")
    return (signature, origin) if sep else (value, "")


def tool_names(messages: Iterable[Message]) -> dict[str, str]:
    """Tool-call id -> function name over a conversation (to name results for Gemini)."""
    names: dict[str, str] = {}
    for message in messages:
        for block in message.content:
            if isinstance(block, ToolUseBlock):
                names[block.id] = block.name
    return names


def reject_response_state(req: ChatRequest) -> None:
    """400 when the request relies on Responses server state another upstream cannot see."""
    if req.previous_response_id:
        raise InvalidRequestError(
            "previous_response_id needs a channel that speaks the Responses API",
            param="previous_response_id",
        )


def copy_sampling(out: dict[str, Any], req: ChatRequest, names: Mapping[str, str]) -> None:
    """Copy the set sampling fields (``temperature``, ``top_p``, ``top_k``) under ``names``."""
    for key, name in names.items():
        value = getattr(req, key)
        if value is not None:
            out[name] = value


def budget_for_effort(effort: str) -> int | None:
    """A thinking budget for a reasoning effort (``None`` for ``none`` or unknown)."""
    return _EFFORT_BUDGET.get(effort)


def effort_for_budget(budget: int) -> str:
    """The closest reasoning effort for a thinking budget."""
    if budget <= 0:
        return "none"
    if budget <= _EFFORT_BUDGET["low"]:
        return "low"
    if budget <= _EFFORT_BUDGET["medium"] * 2:
        return "medium"
    return "high"


def usage_or_none(usage: Usage) -> Usage | None:
    """``None`` for an all-zero usage."""
    if usage.prompt_tokens or usage.completion_tokens or usage.cached_tokens:
        return usage
    if usage.cache_write_tokens:
        return usage
    return None


def join_text(blocks: Iterable[object], sep: str = "") -> str:
    """Text of the ``TextBlock``s among ``blocks``."""
    return sep.join(block.text for block in blocks if isinstance(block, TextBlock))


def with_usage(current: Usage | None, update: Usage | None) -> Usage | None:
    """Merge a later usage report: its non-zero numbers win (spec §5.3)."""
    if update is None:
        return current
    if current is None:
        return update
    return replace(
        current,
        prompt_tokens=update.prompt_tokens or current.prompt_tokens,
        completion_tokens=update.completion_tokens or current.completion_tokens,
        cached_tokens=update.cached_tokens or current.cached_tokens,
        cache_write_5m_tokens=update.cache_write_5m_tokens or current.cache_write_5m_tokens,
        cache_write_1h_tokens=update.cache_write_1h_tokens or current.cache_write_1h_tokens,
        reasoning_tokens=update.reasoning_tokens or current.reasoning_tokens,
    )
