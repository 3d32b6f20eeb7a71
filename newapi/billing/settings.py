"""The operational settings kept in the ``options`` table: one table of definitions.

Each ``Setting`` names New API's option key, the kind of value (stored as text, the way New
API stores it), the default used while the key is unset, what the gateway does with it, and
the ``[relay]`` field of gateway.toml that overrides it (the file wins). Only settings this
gateway acts on are listed; ``check_value`` validates a new value and ``normal_value`` gives
the text that is stored. ``read_text``, ``read_bool`` and ``read_int`` give a setting's
effective value from the table's rows: this module is the one place that holds each default
and how it is parsed (``ACCOUNT_KEYS`` are the ones sign-up, sign-in and mail read).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import orjson

__all__ = [
    "ACCOUNT_KEYS",
    "EMAIL_PATTERN",
    "SETTINGS",
    "Setting",
    "check_value",
    "normal_value",
    "parse_bool",
    "parse_int",
    "parse_text_map",
    "read_bool",
    "read_int",
    "read_text",
    "stored_or_default",
]

INT = "int"
BOOL = "bool"
TEXT = "text"
RATIO_MAP = "ratio_map"  # JSON {name: non-negative number}
TEXT_MAP = "text_map"  # JSON {name: text}

# Extra rules for text settings (``Setting.rule``).
EMAIL = "email"  # empty or one address
DOMAINS = "domains"  # comma-separated domain names, at least one
HOST = "host"  # empty or a host name / address without spaces

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_DOMAIN = re.compile(rf"^(?=.{{1,253}}$){_LABEL}(?:\.{_LABEL})+$")


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
    rule: str = ""  # texts: "email", "domains" or "host"


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
    # Sign-up, sign-in and mail (newapi/admin/accounts, newapi/auth/mail.py).
    Setting("RegisterEnabled", BOOL, "true", "Sign-up is open at all."),
    Setting(
        "PasswordRegisterEnabled",
        BOOL,
        "true",
        "Sign-up with a username and password is open (needs RegisterEnabled too).",
    ),
    Setting(
        "PasswordLoginEnabled",
        BOOL,
        "true",
        "Sign-in with a password; when false only root may still sign in with one.",
    ),
    Setting(
        "EmailVerificationEnabled",
        BOOL,
        "false",
        "Sign-up needs an email address and the code mailed to it.",
    ),
    Setting(
        "EmailDomainRestrictionEnabled",
        BOOL,
        "false",
        "Sign-up accepts only addresses at the EmailDomainWhitelist domains.",
    ),
    Setting(
        "EmailDomainWhitelist",
        TEXT,
        "gmail.com,163.com,126.com,qq.com,outlook.com,hotmail.com,icloud.com,yahoo.com,"
        "foxmail.com",
        "The domains sign-up accepts while EmailDomainRestrictionEnabled (comma-separated).",
        maximum=4096,
        rule=DOMAINS,
    ),
    Setting(
        "EmailAliasRestrictionEnabled",
        BOOL,
        "false",
        "Sign-up refuses addresses with '+' or '.' before the @.",
    ),
    Setting(
        "QuotaForNewUser",
        INT,
        "0",
        "Quota a new account starts with (logged as a system log row).",
        maximum=_MAX_INT,
    ),
    Setting(
        "SMTPServer",
        TEXT,
        "",
        "Mail server host; empty: no mail (sign-up codes and password resets are refused).",
        maximum=255,
        rule=HOST,
    ),
    Setting("SMTPPort", INT, "587", "Mail server port.", minimum=1, maximum=65535),
    Setting(
        "SMTPAccount",
        TEXT,
        "",
        "Mail server login; empty: send without logging in.",
        maximum=255,
    ),
    Setting(
        "SMTPFrom",
        TEXT,
        "",
        "Sender address; empty: SMTPAccount.",
        maximum=255,
        rule=EMAIL,
    ),
    Setting(
        "SMTPToken",
        TEXT,
        "",
        "Mail server password (secret: never shown; an empty value keeps it, clear removes it).",
        secret=True,
        maximum=1024,
    ),
    Setting(
        "SMTPSSLEnabled",
        BOOL,
        "false",
        "Implicit TLS to the mail server (port 465 implies it unless SMTPStartTLSEnabled).",
    ),
    Setting(
        "SMTPStartTLSEnabled",
        BOOL,
        "false",
        "Require STARTTLS (otherwise it is used when the server offers it).",
    ),
)

SETTINGS: Mapping[str, Setting] = MappingProxyType({s.key: s for s in _DEFINITIONS})

# The settings sign-up, sign-in, codes and mail act on.
ACCOUNT_KEYS: tuple[str, ...] = (
    "RegisterEnabled",
    "PasswordRegisterEnabled",
    "PasswordLoginEnabled",
    "EmailVerificationEnabled",
    "EmailDomainRestrictionEnabled",
    "EmailDomainWhitelist",
    "EmailAliasRestrictionEnabled",
    "QuotaForNewUser",
    "SystemName",
    "SMTPServer",
    "SMTPPort",
    "SMTPAccount",
    "SMTPFrom",
    "SMTPToken",
    "SMTPSSLEnabled",
    "SMTPStartTLSEnabled",
)


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


def _domains(text: str) -> list[str]:
    return [d.strip().lower() for d in text.split(",") if d.strip()]


def _check_rule(text: str, rule: str) -> str | None:
    if rule == EMAIL:
        ok = not text.strip() or EMAIL_PATTERN.match(text.strip()) is not None
        return None if ok else "must be an email address (or empty)"
    if rule == HOST:
        ok = not any(c.isspace() for c in text.strip())
        return None if ok else "must be a host name or address, without spaces"
    if rule == DOMAINS:
        domains = _domains(text)
        if not domains:
            return "list at least one domain (comma-separated)"
        bad = [d for d in domains if _DOMAIN.match(d) is None]
        return f"not a domain name: {', '.join(bad)}" if bad else None
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
    return _check_rule(text, setting.rule)


def normal_value(setting: Setting, text: str) -> str:
    """The text stored for an accepted value (compact JSON, ``true``/``false``, digits)."""
    if setting.kind == INT:
        return str(parse_int(text))
    if setting.kind == BOOL:
        return "true" if parse_bool(text) else "false"
    if setting.kind in (RATIO_MAP, TEXT_MAP):
        return orjson.dumps(orjson.loads(text)).decode()
    if setting.rule == DOMAINS:
        return ",".join(_domains(text))
    if setting.rule in (EMAIL, HOST):
        return text.strip()
    return text


def stored_or_default(setting: Setting, options: Mapping[str, str]) -> str:
    """The stored value when it is acceptable, else the default (unset or ignored rows)."""
    stored = options.get(setting.key)
    if stored and check_value(setting, stored) is None:
        return stored
    return setting.default


def read_text(key: str, options: Mapping[str, str]) -> str:
    """The effective text of setting ``key`` given the table's rows (or a subset of them)."""
    return stored_or_default(SETTINGS[key], options)


def read_bool(key: str, options: Mapping[str, str]) -> bool:
    """The effective value of boolean setting ``key``."""
    return parse_bool(read_text(key, options)) is True


def read_int(key: str, options: Mapping[str, str]) -> int:
    """The effective value of integer setting ``key`` (always within its range)."""
    value = parse_int(read_text(key, options))
    return 0 if value is None else value
