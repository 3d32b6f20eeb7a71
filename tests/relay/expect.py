"""Assertions shared by the relay tests: OpenAI error shapes, log-row attempts, clients."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import openai
import orjson

from newapi.relay.catalog import config_channel_id
from tests.relay.conftest import Gateway

__all__ = [
    "CHAT",
    "LogCapture",
    "aclient",
    "attempts",
    "capture_logs",
    "ch",
    "closed_port_url",
    "error_rows",
    "openai_error",
    "relay_error",
]

CHAT: dict[str, Any] = {"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}]}


def ch(name: str) -> int:
    """The id a gateway.toml channel gets (what log rows and ``sk-KEY-ID`` use)."""
    return config_channel_id(name)


def aclient(gw: Gateway, key: str | None = None, **kw: Any) -> openai.AsyncOpenAI:
    return openai.AsyncOpenAI(
        base_url=gw.url + "/v1", api_key=key or gw.key, max_retries=0, **kw
    )


def openai_error(response: httpx.Response, status: int, code: str | None = None) -> dict[str, Any]:
    """The ``error`` object of an OpenAI-shaped error answer, checked for shape and status."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert "Traceback" not in response.text
    body = response.json()
    assert list(body) == ["error"], body
    error = body["error"]
    assert set(error) == {"message", "type", "param", "code"}, error
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["type"], str) and error["type"]
    if code is not None:
        assert error["code"] == code, error
    return error


def relay_error(response: httpx.Response, status: int, code: str | None = None) -> dict[str, Any]:
    """An error the pipeline answered: OpenAI's shape, the request id in header and message."""
    error = openai_error(response, status, code)
    request_id = response.headers["x-oneapi-request-id"]
    assert len(request_id) == 22, request_id  # 14 timestamp digits + 8 random characters
    assert error["message"].endswith(f" (request id: {request_id})"), error["message"]
    return error


def attempts(row: dict[str, Any]) -> list[tuple[int, int]]:
    """(channel id, status) of every try recorded in a log row's ``other.admin_info``."""
    info = orjson.loads(row["other"])["admin_info"]
    return [(a["channel"], a["status"]) for a in info["attempts"]]


async def error_rows(gw: Gateway) -> list[dict[str, Any]]:
    """The error log rows (type 5, written with ``error_log_enabled = true``)."""
    await gw.flush()
    from newapi.store.models import Log

    return list(await Log.filter(type=5).order_by("id").values())


def closed_port_url() -> str:
    """A loopback base URL nothing listens on (connection refused)."""
    from tests.conftest import free_port

    return f"http://127.0.0.1:{free_port()}"


class LogCapture(logging.Handler):
    """Every log record of every logger, formatted with its arguments and traceback."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info:
            text += "\n" + logging.Formatter().formatException(record.exc_info)
        self.lines.append(f"{record.name} {text} {record.__dict__}")

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@contextmanager
def capture_logs() -> Iterator[LogCapture]:
    """Capture newapi's logging at DEBUG and everything else at INFO.

    Works with ``-p no:logging``, unlike caplog. Libraries' DEBUG output is left out: the
    database driver logs query parameters (key lookups included) at DEBUG.
    """
    handler = LogCapture()
    root, ours = logging.getLogger(), logging.getLogger("newapi")
    levels = root.level, ours.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    ours.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(levels[0])
        ours.setLevel(levels[1])
