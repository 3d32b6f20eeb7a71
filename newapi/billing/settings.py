"""The operational settings kept in the ``options`` table: one table of definitions.

Each ``Setting`` names New API's option key, the kind of value (stored as text, the way New
API stores it), the default used while the key is unset, what the gateway does with it, and
the ``[relay]`` field of gateway.toml that overrides it (the file wins). Only settings this
gateway acts on are listed; ``check_value`` validates a new value and ``normal_value`` gives
the text that is stored.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import orjson

__all__ = [
    "SETTINGS",
    "Setting",
    "check_value",
    "normal_value",
    "parse_bool",
    "parse_int",
    "parse_text_map",
    "stored_or_default",
]

INT = "int"
BOOL = "bool"
TEXT = "text"
RATIO_MAP = "ratio_map"  # JSON {name: non-negative number}
TEXT_MAP = "text_map"  # JSON {name: text}


@dataclass(frozen=True, slots=True)
class Setting:
    key: str  # New API's option key
    kind: str  # int | bool | text | ratio_map | text_map
    default: str  # the value in effect while the key is unset
    effect: str  # what the gateway does with it
    secret: bool = False  # never returned, only whether it is set
    file_field: str | None = None  # the [relay] field of gateway.toml that overrides it
    minimum: int = 0
    maximum: int = 0  # ints: the largest accepted value; texts: the longest
    map_keys: str = ""  # ratio maps: "models" or "groups" (entries the file may own)


_MAX_INT = 10**15
_DEFINITIONS = (
    Setting(
        "RetryTimes",
        INT,
        "2",
        "How many more channels a request may try after a retryable upstream failure.",
        file_field="retry_times",
        maximum=20,  # gateway.toml's limit
    ),
    Setting(
        "PreConsumedQuota",
        INT,
        "500",
        "Smallest prompt size, in tokens, that a request's reservation holds before the "
        "upstream call.",
        file_field="pre_consumed_quota",
        maximum=_MAX_INT,
    ),
    Setting(
        "AutomaticDisableChannelEnabled",
        BOOL,
        "false",
        "Upstream errors that the upstream-error rules mark with `disable` take a key or "
        "channel out of rotation.",
        file_field="auto_disable",
    ),
    Setting(
        "ModelRatio",
        RATIO_MAP,
        "{}",
        "Input price per model (1 = 2 USD per million tokens), over the built-in table.",
        map_keys="models",
    ),
    Setting(
        "CompletionRatio",
        RATIO_MAP,
        "{}",
        "Output price per model as a multiple of its input price.",
        map_keys="models",
    ),
    Setting(
        "ModelPrice",
        RATIO_MAP,
        "{}",
        "Fixed USD price per call per model; wins over the ratios.",
        map_keys="models",
    ),
    Setting(
        "CacheRatio",
        RATIO_MAP,
        "{}",
        "Cache-read price per model as a multiple of its input price.",
        map_keys="models",
    ),
    Setting(
        "CreateCacheRatio",
        RATIO_MAP,
        "{}",
        "Cache-write price per model as a multiple of its input price.",
        map_keys="models",
    ),
    Setting(
        "GroupRatio",
        RATIO_MAP,
        "{}",
        "Price multiplier per group, over the built-in and gateway.toml groups.",
        map_keys="groups",
    ),
    Setting(
        "UserUsableGroups",
        TEXT_MAP,
        '{"default":"Default group","vip":"VIP group"}',
        "The groups (with descriptions) every user may use besides their own: an API key "
        "in another group is refused (403 group_not_allowed).",
        maximum=65536,
    ),
    Setting(
        "SystemName", TEXT, "newapi", "The site name shown by the UI and /api/status.", maximum=100
    ),
    Setting("Notice", TEXT, "", "Notice shown by the UI (Markdown).", maximum=65536),
    Setting("Footer", TEXT, "", "Page footer (HTML).", maximum=65536),
    Setting("About", TEXT, "", "The About page (Markdown or HTML).", maximum=65536),
    Setting(
        "DisplayInCurrencyEnabled",
        BOOL,
        "true",
        "The UI shows amounts in USD (true) or in raw quota units (false).",
    ),
)

SETTINGS: Mapping[str, Setting] = MappingProxyType({s.key: s for s in _DEFINITIONS})


def parse_int(text: str | None) -> int | None:
    """An option's integer value; None when unset or not an integer."""
    if text is None:
        return None
    text = text.strip()
    if not text.lstrip("-").isdigit() or len(text) > 20:
        return None
    return int(text)


def parse_bool(text: str | None) -> bool | None:
    """An option's boolean value (New API stores ``true``/``false``); None when unset."""
    if text is None:
        return None
    lowered = text.strip().lower()
    if lowered in ("true", "1"):
        return True
    if lowered in ("false", "0"):
        return False
    return None


def parse_text_map(text: str | None) -> dict[str, str] | None:
    """A JSON ``{name: text}`` option; None when unset or not such an object."""
    if not text:
        return None
    try:
        raw = orjson.loads(text)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(raw, dict) or not all(isinstance(v, str) for v in raw.values()):
        return None
    return {str(k): v for k, v in raw.items()}


def _check_ratio_map(text: str) -> str | None:
    try:
        raw = orjson.loads(text)
    except orjson.JSONDecodeError:
        return "must be a JSON object of names to numbers"
    if not isinstance(raw, dict):
        return "must be a JSON object of names to numbers"
    for name, value in raw.items():
        if not name.strip():
            return "names must not be empty"
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if not number or not math.isfinite(value) or value < 0:
            return f"{name}: must be a number, zero or more"
    return None


def _check_text_map(text: str, setting: Setting) -> str | None:
    if len(text) > setting.maximum:
        return f"at most {setting.maximum} characters"
    values = parse_text_map(text)
    if values is None:
        return "must be a JSON object of names to texts"
    if any(not name.strip() for name in values):
        return "names must not be empty"
    return None


def check_value(setting: Setting, text: str) -> str | None:
    """Why ``text`` is not acceptable for ``setting``; None when it is."""
    if setting.kind == INT:
        number = parse_int(text)
        if number is None:
            return "must be a whole number"
        if not setting.minimum <= number <= setting.maximum:
            return f"must be between {setting.minimum} and {setting.maximum}"
        return None
    if setting.kind == BOOL:
        return None if parse_bool(text) is not None else "must be true or false"
    if setting.kind == RATIO_MAP:
        return _check_ratio_map(text)
    if setting.kind == TEXT_MAP:
        return _check_text_map(text, setting)
    if len(text) > setting.maximum:
        return f"at most {setting.maximum} characters"
    return None


def normal_value(setting: Setting, text: str) -> str:
    """The text stored for an accepted value (compact JSON, ``true``/``false``, digits)."""
    if setting.kind == INT:
        return str(parse_int(text))
    if setting.kind == BOOL:
        return "true" if parse_bool(text) else "false"
    if setting.kind in (RATIO_MAP, TEXT_MAP):
        return orjson.dumps(orjson.loads(text)).decode()
    return text


def stored_or_default(setting: Setting, options: Mapping[str, str]) -> str:
    """The stored value when it is acceptable, else the default (unset or ignored rows)."""
    stored = options.get(setting.key)
    if stored and check_value(setting, stored) is None:
        return stored
    return setting.default
