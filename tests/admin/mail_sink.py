"""A real SMTP server on loopback (aiosmtpd) that keeps the mails it receives."""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from email.policy import default
from typing import Any

from aiosmtpd.controller import Controller

from newapi.store.models import Option
from tests.conftest import free_port

CODE = re.compile(r"\b(\d{6})\b")


@dataclass
class MailSink:
    port: int
    loop: asyncio.AbstractEventLoop
    inbox: asyncio.Queue[Message] = field(default_factory=asyncio.Queue)
    received: list[Message] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content, policy=default)
        message["X-Envelope-To"] = ",".join(envelope.rcpt_tos)
        self.loop.call_soon_threadsafe(self._deliver, message)
        return "250 OK"

    def _deliver(self, message: Message) -> None:
        self.received.append(message)
        self.inbox.put_nowait(message)

    async def next_mail(self) -> Message:
        return await asyncio.wait_for(self.inbox.get(), timeout=30)

    async def next_code(self, to: str) -> str:
        """The 6-digit code of the next mail, which must be addressed to ``to``."""
        message = await self.next_mail()
        assert message["To"] == to and message["X-Envelope-To"] == to, message
        body = message.get_body(("plain",))
        assert body is not None
        found = CODE.search(body.get_content())
        assert found, body.get_content()
        return found.group(1)


@contextlib.contextmanager
def mail_sink() -> Iterator[MailSink]:
    sink = MailSink(port=free_port(), loop=asyncio.get_running_loop())
    controller = Controller(sink, hostname="127.0.0.1", port=sink.port)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()


async def set_options(**values: str) -> None:
    """Write rows of the ``options`` table (New API keys), as the settings page would."""
    for key, value in values.items():
        await Option.update_or_create(key=key, defaults={"value": value})


async def use_sink_for_mail(sink: MailSink, **extra: str) -> None:
    await set_options(
        SMTPServer="127.0.0.1", SMTPPort=str(sink.port), SMTPFrom="noreply@example.test",
        **extra,
    )
