"""What an upstream failure does: retry elsewhere, take a key or channel out, or answer the client.

The decision is data: ``[[rules.upstream_error]]`` from gateway.toml, then the built-in rules
(New API's retry status ranges and auto-disable codes, types and keywords). Connection failures
and timeouts before the response headers count as status 500.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from newapi.config.model import UpstreamErrorRule
from newapi.errors import UpstreamError

__all__ = ["Decision", "decide", "mapped_status"]


@dataclass(frozen=True, slots=True)
class Decision:
    retry: bool
    disable: str  # none | key | channel


_RETURN = Decision(retry=False, disable="none")


def mapped_status(status: int, mapping: Mapping[str, str]) -> int:
    """The channel's ``status_code_mapping`` (e.g. ``{"429": "500"}``) applied to ``status``."""
    target = mapping.get(str(status)) if mapping else None
    if target and target.isdigit():
        return int(target)
    return status


def _matches(rule: UpstreamErrorRule, status: int, error: UpstreamError) -> bool:
    if any(low <= status <= high for low, high in rule.status):
        return True
    if rule.codes and error.code in rule.codes:
        return True
    if rule.types and error.upstream_type in rule.types:
        return True
    if rule.messages:
        text = error.message.lower()
        return any(fragment in text for fragment in rule.messages)
    return False


def decide(rules: tuple[UpstreamErrorRule, ...], status: int, error: UpstreamError) -> Decision:
    """The first matching rule's decision; no match answers the client with the error."""
    for rule in rules:
        if _matches(rule, status, error):
            return Decision(retry=rule.retry, disable=rule.disable)
    return _RETURN
