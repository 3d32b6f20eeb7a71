"""Database locations: New API's ``SQL_DSN`` / ``SQLITE_PATH`` forms turned into tortoise URLs.

Accepted forms (New API, admin.md §1.1):

* empty, or a value starting with ``local`` -> SQLite at ``sqlite_path``
  (New API's ``SQLITE_PATH``, default ``one-api.db?_busy_timeout=30000``);
* ``sqlite://path`` or a bare file path (Go driver options after ``?`` are dropped);
* ``postgres://`` / ``postgresql://`` URLs (``sslmode`` becomes tortoise's ``ssl``);
* go-sql-driver MySQL DSNs ``user:pass@tcp(host:3306)/db?charset=utf8mb4&parseTime=true``;
* plain ``mysql://`` URLs.

Passwords are URL-encoded so any character survives, and never appear in an error message or
a log line (``redact_url`` gives the printable form).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

from newapi.errors import ConfigError

__all__ = [
    "DEFAULT_SQLITE_PATH",
    "dialect_of",
    "ensure_sqlite_parent",
    "is_sqlite",
    "redact_url",
    "scrub_secret",
    "sqlite_file",
    "to_tortoise_url",
]

log = logging.getLogger(__name__)

DEFAULT_SQLITE_PATH = "one-api.db?_busy_timeout=30000"

_REFUSED = ("clickhouse://", "tcp://", "http://", "https://")
_MYSQL_KEEP = {"charset"}  # go-sql-driver options that mean the same to asyncmy
_PG_DROP = {"sslmode", "connect_timeout", "application_name", "timezone", "search_path"}
_SSL_ON = {"require", "verify-ca", "verify-full"}
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")


@dataclass(frozen=True, slots=True)
class _GoMySQL:
    user: str
    password: str | None
    net: str
    address: str
    database: str
    params: str


def _problem(message: str) -> ConfigError:
    return ConfigError([message], source="SQL_DSN")


def to_tortoise_url(dsn: str, *, sqlite_path: str = DEFAULT_SQLITE_PATH) -> str:
    """Return the tortoise URL for one of New API's database locations.

    Args:
        dsn: ``SQL_DSN`` as New API reads it, or a tortoise URL (returned normalised).
        sqlite_path: ``SQLITE_PATH``, used when ``dsn`` is empty or starts with ``local``.

    Raises:
        ConfigError: the value cannot be used as the main database (never echoes a password).
    """
    text = (dsn or "").strip()
    if not text or text.startswith("local"):
        return _sqlite_url(sqlite_path or DEFAULT_SQLITE_PATH)
    lowered = text.lower()
    if lowered.startswith(_REFUSED):
        raise _problem(
            "SQL_DSN: ClickHouse/HTTP locations can only hold logs (LOG_SQL_DSN), "
            "not the main database"
        )
    if lowered.startswith("sqlite://"):
        return _sqlite_url(text[len("sqlite://") :])
    if lowered.startswith(("postgres://", "postgresql://")):
        return _postgres_url(text)
    if lowered.startswith("mysql://"):
        return _mysql_url_from_url(text)
    if _SCHEME.match(text):
        scheme = text.split("://", 1)[0]
        raise _problem(f"SQL_DSN: unsupported database scheme {scheme!r}")
    go = _parse_go_mysql(text)
    if go is None:
        return _sqlite_url(text)
    return _mysql_url_from_go(go)


def is_sqlite(url: str) -> bool:
    """Whether ``url`` (any accepted form) names a SQLite database."""
    return to_tortoise_url(url).startswith("sqlite://")


def dialect_of(url: str) -> str:
    """``sqlite``, ``postgres`` or ``mysql`` for any accepted form of ``url``."""
    scheme = to_tortoise_url(url).split("://", 1)[0]
    return {"sqlite": "sqlite", "postgres": "postgres", "mysql": "mysql"}[scheme]


def sqlite_file(url: str) -> Path | None:
    """The database file a SQLite URL points at (None for other backends and ``:memory:``)."""
    tortoise_url = to_tortoise_url(url)
    if not tortoise_url.startswith("sqlite://"):
        return None
    path = urlsplit(tortoise_url.replace("sqlite://", "sqlite://x/", 1)).path[1:]
    if not path or path == ":memory:":
        return None
    return Path(path)


def ensure_sqlite_parent(url: str) -> None:
    """Create the folder that will hold a SQLite file, if it is missing."""
    path = sqlite_file(url)
    if path is not None and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        log.info("created folder %s for the SQLite database", path.parent)


def redact_url(url: str) -> str:
    """A printable form of ``url`` with any password replaced by ``***``."""
    try:
        text = to_tortoise_url(url)
    except ConfigError:
        return "<unparseable database location>"
    if "://" not in text or "@" not in text:
        return text
    scheme, rest = text.split("://", 1)
    userinfo, host = rest.rsplit("@", 1)
    user = userinfo.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}" if ":" in userinfo else f"{scheme}://{user}@{host}"


def _sqlite_url(path: str) -> str:
    file_part = path.split("?", 1)[0].strip()  # Go driver options (_busy_timeout, _pragma, ...)
    if file_part.startswith("file:"):
        file_part = file_part[len("file:") :]
    if not file_part:
        raise _problem("SQL_DSN: the SQLite location has no file path")
    return f"sqlite://{file_part}"


def _postgres_url(text: str) -> str:
    base, _, query = text.split("://", 1)[1].partition("?")
    params: list[tuple[str, str]] = []
    for key, value in parse_qsl(query, keep_blank_values=True):
        if key == "sslmode":
            if value in _SSL_ON:
                params.append(("ssl", "true"))
            continue
        if key in _PG_DROP:
            continue
        params.append((key, value))
    suffix = f"?{urlencode(params)}" if params else ""
    return f"postgres://{base}{suffix}"


def _mysql_url_from_url(text: str) -> str:
    rest = text.split("://", 1)[1]
    base, _, query = rest.partition("?")
    return f"mysql://{base}{_mysql_query(query)}"


def _mysql_query(query: str) -> str:
    params = {k: v for k, v in parse_qsl(query, keep_blank_values=True) if k in _MYSQL_KEEP}
    charset = params.get("charset", "utf8mb4").split(",")[0] or "utf8mb4"
    return f"?charset={charset}"


def _parse_go_mysql(text: str) -> _GoMySQL | None:
    """Parse ``[user[:password]@][net[(addr)]]/dbname[?params]`` like go-sql-driver does.

    Returns None when the text reads as a file path instead (no ``@`` and no ``(``).
    """
    slash = text.rfind("/")
    if slash < 0:
        return None
    left, right = text[:slash], text[slash + 1 :]
    at = left.rfind("@")
    if at < 0 and "(" not in left:
        return None
    user, password = "", None
    if at >= 0:
        creds = left[:at]
        user, sep, secret = creds.partition(":")
        password = secret if sep else None
    net_addr = left[at + 1 :]
    net, address = net_addr, ""
    if "(" in net_addr:
        if not net_addr.endswith(")"):
            raise _problem("SQL_DSN: the MySQL address must be written as tcp(host:port)")
        net, address = net_addr[: net_addr.index("(")], net_addr[net_addr.index("(") + 1 : -1]
    database, _, params = right.partition("?")
    return _GoMySQL(user, password, net or "tcp", address, database, params)


def _mysql_url_from_go(go: _GoMySQL) -> str:
    if go.net not in ("tcp", "tcp6"):
        raise _problem(f"SQL_DSN: MySQL over {go.net!r} is not supported; use tcp(host:port)")
    host, port = _split_address(go.address or "127.0.0.1:3306")
    auth = ""
    if go.user or go.password:
        auth = quote(go.user, safe="")
        if go.password is not None:
            auth += ":" + quote(go.password, safe="")
        auth += "@"
    return f"mysql://{auth}{host}:{port}/{go.database}{_mysql_query(go.params)}"


def _split_address(address: str) -> tuple[str, int]:
    if address.startswith("["):  # [::1]:3306
        host, _, tail = address[1:].partition("]")
        port_text = tail.lstrip(":")
        host = f"[{host}]"
    elif address.count(":") == 1:
        host, port_text = address.split(":")
    else:
        host, port_text = address, ""
    if not port_text:
        return host, 3306
    if not port_text.isdigit():
        raise _problem("SQL_DSN: the MySQL port is not a number")
    return host, int(port_text)


def scrub_secret(text: str, url: str) -> str:
    """``text`` with the password of ``url`` (plain or URL-encoded) replaced by ``***``."""
    try:
        netloc = urlsplit(to_tortoise_url(url)).netloc
    except (ConfigError, ValueError):
        return text
    if "@" not in netloc:
        return text
    userinfo = netloc.rsplit("@", 1)[0]
    if ":" not in userinfo:
        return text
    encoded = userinfo.split(":", 1)[1]
    for secret in {encoded, unquote(encoded)}:
        if secret:
            text = text.replace(secret, "***")
    return text
