"""The environment: ``${ENV_VAR}`` references in gateway.toml and New API's override variables.

This is the only module of newapi that reads ``os.environ`` (and only when the caller passes no
mapping). References are expanded only in the fields listed in ``REFERENCE_FIELDS`` (keys,
headers, URLs, secrets); ``$${NAME}`` stands for a literal ``${NAME}``. Override variables keep
New API's names and win over the file; a value that does not parse is a problem that names the
variable and never echoes a secret.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from newapi.config.locate import KeyPath, Problem

__all__ = [
    "ENV_OVERRIDES",
    "REFERENCE_FIELDS",
    "EnvOverride",
    "environment",
    "expand",
    "expand_references",
    "is_reference_field",
    "read_overrides",
]

# Key paths whose string values may contain ${ENV_VAR} references ("*" = any key or index).
REFERENCE_FIELDS: tuple[tuple[str, ...], ...] = (
    ("database", "url"),
    ("database", "log_url"),
    ("redis", "url"),
    ("security", "session_secret"),
    ("security", "crypto_secret"),
    ("providers", "*", "base_url"),
    ("providers", "*", "headers", "*"),
    ("channels", "*", "base_url"),
    ("channels", "*", "key"),
    ("channels", "*", "keys", "*"),
    ("channels", "*", "organization"),
    ("channels", "*", "headers", "*"),
    ("channels", "*", "settings", "proxy"),
)

_REFERENCE = re.compile(r"\$(\$?)\{([A-Za-z_][A-Za-z0-9_]*)\}")
_TRUE = {"1", "t", "T", "TRUE", "true", "True"}
_FALSE = {"0", "f", "F", "FALSE", "false", "False"}
_PLACEHOLDER_SECRET = "random_string"  # New API refuses this documented placeholder


def environment(environ: Mapping[str, str] | None) -> Mapping[str, str]:
    """The mapping to read variables from.

    Args:
        environ: an explicit mapping, or None for the process environment.

    Returns:
        ``environ`` itself, or ``os.environ``.
    """
    return os.environ if environ is None else environ


def expand(value: str, environ: Mapping[str, str]) -> tuple[str, list[str]]:
    """Replace ``${NAME}`` references in one string.

    Args:
        value: the string from the file.
        environ: the variables.

    Returns:
        The expanded string and the names that are not set (their references stay as written).
    """
    missing: list[str] = []

    def substitute(match: re.Match[str]) -> str:
        escaped, name = match.group(1), match.group(2)
        if escaped:
            return "${" + name + "}"
        if name not in environ:
            missing.append(name)
            return match.group(0)
        return environ[name]

    return _REFERENCE.sub(substitute, value), missing


def is_reference_field(path: KeyPath) -> bool:
    """Whether ``path`` is one of ``REFERENCE_FIELDS`` (a field that may hold a secret).

    Args:
        path: a key path in the document.

    Returns:
        True when a pattern matches the whole path.
    """
    return any(
        len(pattern) == len(path)
        and all(want in ("*", got) for want, got in zip(pattern, path, strict=True))
        for pattern in REFERENCE_FIELDS
    )


def _expand_node(
    node: object,
    patterns: list[tuple[str, ...]],
    path: KeyPath,
    environ: Mapping[str, str],
    problems: list[Problem],
) -> object:
    if isinstance(node, str):
        if not any(not pattern for pattern in patterns):
            return node
        text, missing = expand(node, environ)
        for name in dict.fromkeys(missing):
            problems.append(Problem(path, f"environment variable {name} is not set"))
        return text
    if isinstance(node, dict):
        return {
            key: _expand_node(
                value,
                [p[1:] for p in patterns if p and p[0] in ("*", key)],
                (*path, key),
                environ,
                problems,
            )
            for key, value in node.items()
        }
    if isinstance(node, list):
        inner = [p[1:] for p in patterns if p and p[0] == "*"]
        return [
            _expand_node(item, inner, (*path, index), environ, problems)
            for index, item in enumerate(node)
        ]
    return node


def expand_references(
    document: Mapping[str, object], environ: Mapping[str, str]
) -> tuple[dict[str, object], list[Problem]]:
    """Expand every reference in the fields that allow them.

    Args:
        document: the parsed file (not changed).
        environ: the variables.

    Returns:
        A copy with references expanded, and one problem per unset variable.
    """
    problems: list[Problem] = []
    expanded = {
        key: _expand_node(
            value,
            [p[1:] for p in REFERENCE_FIELDS if p[0] == key],
            (key,),
            environ,
            problems,
        )
        for key, value in document.items()
    }
    return expanded, problems


def _integer(low: int, high: int | None = None) -> Callable[[str], tuple[object, str | None]]:
    def parse(raw: str) -> tuple[object, str | None]:
        try:
            number = int(raw.strip())
        except ValueError:
            return None, f"'{raw}' is not an integer"
        if number < low or (high is not None and number > high):
            bound = f"between {low} and {high}" if high is not None else f"at least {low}"
            return None, f"{number} is out of range (must be {bound})"
        return number, None

    return parse


def _boolean(raw: str) -> tuple[object, str | None]:
    if raw.strip() in _TRUE:
        return True, None
    if raw.strip() in _FALSE:
        return False, None
    return None, f"'{raw}' is not a boolean (use true or false)"


def _text(raw: str) -> tuple[object, str | None]:
    return raw, None


def _secret(raw: str) -> tuple[object, str | None]:
    if raw == _PLACEHOLDER_SECRET:
        return None, f"'{_PLACEHOLDER_SECRET}' is the documented placeholder; set a real secret"
    return raw, None


def _node_type(raw: str) -> tuple[object, str | None]:
    if raw.strip() in ("master", "slave"):
        return raw.strip(), None
    return None, f"'{raw}' is not one of master, slave"


@dataclass(frozen=True, slots=True)
class EnvOverride:
    """One New API environment variable and the config field it sets."""

    variable: str
    section: str
    field: str
    parse: Callable[[str], tuple[object, str | None]]


ENV_OVERRIDES: tuple[EnvOverride, ...] = (
    EnvOverride("PORT", "server", "port", _integer(1, 65535)),
    EnvOverride("SQL_DSN", "database", "url", _text),
    EnvOverride("LOG_SQL_DSN", "database", "log_url", _text),
    EnvOverride("REDIS_CONN_STRING", "redis", "url", _text),
    EnvOverride("MEMORY_CACHE_ENABLED", "node", "memory_cache_enabled", _boolean),
    EnvOverride("SYNC_FREQUENCY", "node", "sync_frequency_s", _integer(1)),
    EnvOverride("NODE_TYPE", "node", "type", _node_type),
    EnvOverride("NODE_NAME", "node", "name", _text),
    EnvOverride("SESSION_SECRET", "security", "session_secret", _secret),
    EnvOverride("CRYPTO_SECRET", "security", "crypto_secret", _secret),
    EnvOverride("NEWAPI_ROOT_PASSWORD", "security", "root_password", _text),
    EnvOverride("STREAMING_TIMEOUT", "relay", "streaming_timeout_s", _integer(1)),
    EnvOverride("RELAY_TIMEOUT", "relay", "relay_timeout_s", _integer(0)),
    EnvOverride("AZURE_DEFAULT_API_VERSION", "relay", "azure_default_api_version", _text),
    EnvOverride("MAX_REQUEST_BODY_MB", "relay", "max_request_body_mb", _integer(1)),
    EnvOverride("FORCE_STREAM_OPTION", "relay", "force_stream_option", _boolean),
    EnvOverride("CountToken", "relay", "count_token", _boolean),
    EnvOverride("ERROR_LOG_ENABLED", "relay", "error_log_enabled", _boolean),
)


def read_overrides(
    environ: Mapping[str, str],
) -> tuple[dict[str, dict[str, object]], list[Problem]]:
    """Read New API's variables that override the file.

    An empty variable counts as unset (as in New API). ``SQLITE_PATH`` sets the database URL to
    ``sqlite://<path>`` when ``SQL_DSN`` is unset.

    Args:
        environ: the variables.

    Returns:
        ``{section: {field: value}}`` for the variables that are set, and one problem per
        variable whose value does not parse.
    """
    overrides: dict[str, dict[str, object]] = {}
    problems: list[Problem] = []
    for spec in ENV_OVERRIDES:
        raw = environ.get(spec.variable, "")
        if raw == "":
            continue
        value, error = spec.parse(raw)
        if error is not None:
            problems.append(Problem((), error, where=f"environment variable {spec.variable}"))
            continue
        overrides.setdefault(spec.section, {})[spec.field] = value
    sqlite_path = environ.get("SQLITE_PATH", "")
    if sqlite_path and not environ.get("SQL_DSN", ""):
        overrides.setdefault("database", {})["url"] = f"sqlite://{sqlite_path}"
    return overrides, problems
