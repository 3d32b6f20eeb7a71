"""Request rewrites from gateway.toml: model renames and reasoning suffixes.

Renames (``[[rules.rename]]``) change the name routing uses. Reasoning suffixes
(``[[rules.reasoning_suffix]]``, then the built-ins of ``config/builtin/rules.toml``) are found
on the routed name by ``match_suffix``: the first rule whose suffix ends the name and whose
``models`` globs match the rest wins. The request is then routed to the channels that list the
suffixed name, or, when none does, to those that list the base name (``route_name``); the
upstream always gets the base name (``upstream_name``) and the edit, written into the body the
upstream receives, in the upstream's own format (``apply_suffix``), for passthrough and converted
requests alike. Billing keeps the name the client asked for (docs/routing.md).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import lru_cache
from typing import Any

from newapi.config.model import RenameRule, SuffixRule
from newapi.relay.channels import upstream_model
from newapi.relay.formats.conversion import budget_for_effort, effort_for_budget

__all__ = [
    "CLAUDE_BUDGET_SHARE",
    "CLAUDE_DEFAULT_MAX_TOKENS",
    "GEMINI_BUDGET_SHARE",
    "SuffixMatch",
    "apply_suffix",
    "match_suffix",
    "rename",
    "upstream_name",
]

# New API's Claude thinking adapter: budget = 80 % of max_tokens, max_tokens at least 1280
# (8192 when the request has none); Gemini's: 60 % of maxOutputTokens.
CLAUDE_BUDGET_SHARE = 0.8
CLAUDE_MIN_MAX_TOKENS = 1280
CLAUDE_DEFAULT_MAX_TOKENS = 8192
CLAUDE_MIN_BUDGET = 1024
GEMINI_BUDGET_SHARE = 0.6

# Gemini thinking-budget ranges (New API's clamp), the first matching glob wins.
_GEMINI_BUDGET_RANGES: tuple[tuple[str, int, int], ...] = (
    ("gemini-2.5-pro*", 128, 32768),
    ("gemini-2.5-flash-lite*", 512, 24576),
    ("*", 0, 24576),
)


def rename(rules: tuple[RenameRule, ...], model: str, group: str) -> str:
    """The model name routing uses: the first matching rule's target, else ``model``."""
    for rule in rules:
        if rule.groups and group not in rule.groups:
            continue
        if rule.match == model or ("*" in rule.match and fnmatchcase(model, rule.match)):
            return rule.to
    return model


# -- suffix rules -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SuffixMatch:
    """A reasoning suffix found on a model name.

    Attributes:
        rule: the rule that matched.
        model: the full (suffixed) name.
        base: the name without the suffix (what the upstream is sent).
        budget: the integer a ``{budget}`` suffix captured, else the rule's ``value`` as an
            integer for ``gemini_thinking_budget``, else None.
    """

    rule: SuffixRule
    model: str
    base: str
    budget: int | None = None

    @property
    def effort(self) -> str:
        """The reasoning effort a ``reasoning_effort`` rule sets ("" for other actions)."""
        return (self.rule.value or "") if self.rule.action == "reasoning_effort" else ""


@lru_cache(maxsize=256)
def _suffix_pattern(suffix: str) -> re.Pattern[str]:
    body = re.escape(suffix).replace(re.escape("{budget}"), r"(?P<budget>\d{1,7})")
    return re.compile(rf"^(?P<base>.+?){body}$")


def match_suffix(rules: tuple[SuffixRule, ...], model: str) -> SuffixMatch | None:
    """The first rule whose suffix ends ``model`` and whose globs match the rest."""
    for rule in rules:
        budget: int | None = None
        if "{budget}" in rule.suffix:
            if rule.suffix.partition("{budget}")[0] not in model:
                continue
            found = _suffix_pattern(rule.suffix).match(model)
            if found is None:
                continue
            base, budget = found["base"], int(found["budget"])
        elif model.endswith(rule.suffix) and len(model) > len(rule.suffix):
            base = model[: -len(rule.suffix)]  # the common case: no regex on the hot path
        else:
            continue
        if not any(fnmatchcase(base, glob) for glob in rule.models):
            continue
        if budget is None and rule.value is not None and rule.value.isdigit():
            budget = int(rule.value)
        return SuffixMatch(rule, model, base, budget)
    return None


def upstream_name(mapping: Mapping[str, str], routed: str, suffix: SuffixMatch | None) -> str:
    """The model name one channel's upstream gets.

    Without a suffix: the channel's model mapping of ``routed``. With one: the mapping of the
    suffixed name when the channel maps that name explicitly, else the mapping of the base
    name (the suffix itself is never sent; it became the body edit).
    """
    if suffix is not None and not (routed == suffix.model and routed in mapping):
        routed = suffix.base
    return upstream_model(mapping, routed)


@dataclass(frozen=True, slots=True)
class _Want:
    """What a rule asks for, independent of the wire format."""

    effort: str = ""  # an explicit effort level
    budget: int | None = None  # an explicit token budget
    share: float | None = None  # budget as a share of the request's output limit
    off: bool = False  # thinking off


def _want(match: SuffixMatch) -> _Want:
    action = match.rule.action
    if action == "reasoning_effort":
        effort = match.effort
        return _Want(off=True) if effort == "none" else _Want(effort=effort)
    if action == "claude_thinking":
        return _Want(share=CLAUDE_BUDGET_SHARE)
    if action == "gemini_thinking":
        return _Want(share=GEMINI_BUDGET_SHARE)
    if action == "gemini_nothinking":
        return _Want(off=True)
    return _Want(budget=match.budget if match.budget is not None else 0)  # thinking_budget


def apply_suffix(match: SuffixMatch | None, fmt: str, body: dict[str, Any]) -> dict[str, Any]:
    """``body`` (in format ``fmt``) with the suffix's edit; a new dict, ``body`` is kept."""
    if match is None:
        return body
    out = dict(body)
    want = _want(match)
    if fmt == "anthropic_messages":
        _claude(out, want)
    elif fmt == "gemini":
        _gemini(out, want, match.base)
    elif fmt == "openai_responses":
        effort = _effort(want, out.get("max_output_tokens"))
        out["reasoning"] = {**_dict(out.get("reasoning")), "effort": effort}
    else:
        limit = out.get("max_completion_tokens", out.get("max_tokens"))
        out["reasoning_effort"] = _effort(want, limit)
    return out


def _dict(value: object) -> dict[str, Any]:
    return dict(value) if isinstance(value, dict) else {}


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def _effort(want: _Want, limit: object) -> str:
    """The OpenAI reasoning effort closest to ``want``."""
    if want.off:
        return "none"
    if want.effort:
        return want.effort
    if want.budget is not None:
        return effort_for_budget(want.budget)
    tokens = _int(limit)
    if want.share is not None and tokens is not None:
        return effort_for_budget(int(tokens * want.share))
    return "medium"


def _claude(out: dict[str, Any], want: _Want) -> None:
    """Claude extended thinking, New API's adapter rule (spec §4.3)."""
    if want.off:
        out["thinking"] = {"type": "disabled"}
        return
    current = out.get("thinking")
    if want.share is not None and isinstance(current, dict) and current.get("type") != "disabled":
        return  # the client's own thinking settings win over the -thinking suffix
    max_tokens = _int(out.get("max_tokens")) or CLAUDE_DEFAULT_MAX_TOKENS
    if want.share is not None:
        max_tokens = max(max_tokens, CLAUDE_MIN_MAX_TOKENS)
        budget = int(max_tokens * want.share)
    elif want.budget is not None:
        budget = want.budget
    else:
        budget = budget_for_effort(want.effort) or budget_for_effort("medium") or 0
    budget = max(budget, CLAUDE_MIN_BUDGET)
    if max_tokens <= budget:
        max_tokens = budget + max(CLAUDE_MIN_BUDGET, max_tokens)
    out["max_tokens"] = max_tokens
    out["thinking"] = {"type": "enabled", "budget_tokens": budget}
    out["temperature"] = 1  # Claude allows thinking only at the default temperature
    out.pop("top_p", None)
    out.pop("top_k", None)


def _gemini_clamp(model: str, budget: int) -> int:
    for glob, low, high in _GEMINI_BUDGET_RANGES:
        if fnmatchcase(model, glob):
            return min(max(budget, low), high)
    return budget


def _gemini(out: dict[str, Any], want: _Want, model: str) -> None:
    """``generationConfig.thinkingConfig`` (camelCase; snake_case duplicates are dropped)."""
    key = "generation_config" if "generation_config" in out else "generationConfig"
    config = _dict(out.get(key))
    thinking = _dict(config.pop("thinking_config", None) or config.get("thinkingConfig"))
    for snake in ("thinking_budget", "include_thoughts", "thinking_level"):
        thinking.pop(snake, None)
    if want.off:
        thinking.pop("includeThoughts", None)
        thinking.pop("thinkingLevel", None)
        thinking["thinkingBudget"] = _gemini_clamp(model, 0)
    else:
        thinking["includeThoughts"] = True
        limit = _int(config.get("maxOutputTokens", config.get("max_output_tokens")))
        if want.effort:
            thinking["thinkingLevel"] = want.effort
        elif want.budget is not None:
            thinking["thinkingBudget"] = _gemini_clamp(model, want.budget)
        elif want.share is not None and limit is not None:
            thinking["thinkingBudget"] = _gemini_clamp(model, int(limit * want.share))
    config["thinkingConfig"] = thinking
    out[key] = config
