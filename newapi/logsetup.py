"""Logging setup for the command line and the server: format, level, and no secrets.

Some libraries log request URLs or SQL parameters (which may hold keys) at INFO or DEBUG;
they are held at WARNING whatever the root level is.
"""

from __future__ import annotations

import logging

__all__ = ["configure_logging", "quiet_secret_loggers"]

_SECRET_LOGGERS = ("httpx", "httpcore", "tortoise.db_client", "aiosqlite", "asyncpg", "asyncmy")


def quiet_secret_loggers() -> None:
    """Keep keys out of the log: these loggers only speak at WARNING and above."""
    for name in _SECRET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


def configure_logging(level: int) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    quiet_secret_loggers()
