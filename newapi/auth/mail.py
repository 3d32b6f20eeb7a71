"""Outgoing mail through the SMTP settings in ``options`` (New API's SMTP* keys).

The keys, their defaults and validation are in the settings registry
(newapi/billing/settings.py).

TLS follows New API: implicit TLS when ``SMTPSSLEnabled`` is true or the port is 465 (unless
``SMTPStartTLSEnabled``); otherwise STARTTLS when the server offers it (required when
``SMTPStartTLSEnabled``). Login uses ``SMTPAccount``/``SMTPToken`` when an account is set.
Mail is sent off the request path by ``Mailer.send_later``: a slow or broken SMTP server never
holds up a request, and failures are logged without the password.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

import aiosmtplib

from newapi.billing.settings import read_bool, read_int, read_text

__all__ = ["SEND_TIMEOUT_S", "Mailer", "SmtpSettings", "send_mail"]

log = logging.getLogger(__name__)

SEND_TIMEOUT_S = 15.0


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    server: str
    port: int
    account: str
    sender: str
    password: str
    implicit_tls: bool
    require_starttls: bool
    system_name: str

    @classmethod
    def from_options(cls, options: Mapping[str, str]) -> SmtpSettings | None:
        """The settings, or None when mail is not configured (no server or no sender).

        ``options`` are rows of the ``options`` table (or account_options' effective values):
        a missing or invalid value reads as the registry's default.
        """
        server = read_text("SMTPServer", options).strip()
        account = read_text("SMTPAccount", options).strip()
        sender = read_text("SMTPFrom", options).strip() or account
        port = read_int("SMTPPort", options)
        if not server or not sender:
            return None
        starttls = read_bool("SMTPStartTLSEnabled", options)
        implicit = read_bool("SMTPSSLEnabled", options) or (port == 465 and not starttls)
        return cls(
            server=server,
            port=port,
            account=account,
            sender=sender,
            password=read_text("SMTPToken", options),
            implicit_tls=implicit,
            require_starttls=starttls and not implicit,
            system_name=read_text("SystemName", options),
        )


def _message(settings: SmtpSettings, to: str, subject: str, text: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = formataddr((settings.system_name, settings.sender))
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2] or None)
    message.set_content(text)
    return message


async def send_mail(settings: SmtpSettings, to: str, subject: str, text: str) -> None:
    """Send one plain-text mail now.

    Raises:
        aiosmtplib.SMTPException, OSError: the server refused it or could not be reached.
    """
    await aiosmtplib.send(
        _message(settings, to, subject, text),
        hostname=settings.server,
        port=settings.port,
        username=settings.account or None,
        password=settings.password if settings.account else None,
        use_tls=settings.implicit_tls,
        start_tls=True if settings.require_starttls else (False if settings.implicit_tls else None),
        timeout=SEND_TIMEOUT_S,
    )


class Mailer:
    """Sends mail in background tasks and waits for the pending ones at shutdown."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[None]] = set()

    def send_later(self, settings: SmtpSettings, to: str, subject: str, text: str) -> None:
        task = asyncio.create_task(self._send(settings, to, subject, text), name="newapi-mail")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    @staticmethod
    async def _send(settings: SmtpSettings, to: str, subject: str, text: str) -> None:
        try:
            await send_mail(settings, to, subject, text)
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            # The exception text can quote the server's reply, never our password.
            log.warning(
                "could not send mail via %s:%d: %s: %s",
                settings.server, settings.port, type(exc).__name__, exc,
            )
        else:
            log.info("sent mail %r via %s:%d", subject, settings.server, settings.port)

    async def aclose(self) -> None:
        """Wait for the mails still being sent (each is bounded by ``SEND_TIMEOUT_S``)."""
        if self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
