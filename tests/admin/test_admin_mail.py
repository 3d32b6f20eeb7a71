"""SMTP settings from New API's option keys, login to the server, and failures kept off the API."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from newapi.auth.mail import SmtpSettings, send_mail
from newapi.store.models import User
from tests.admin.conftest import AdminServer
from tests.admin.mail_sink import mail_sink, set_options
from tests.conftest import free_port

SEND = """mutation($email: String!) { sendVerificationCode(email: $email, purpose: RESET) {
  __typename } }"""
SMTP_SECRET = "smtp-secret-token-123"


def test_tls_mode_follows_the_port_like_new_api() -> None:
    base = {"SMTPServer": "smtp.example.test", "SMTPAccount": "bot@example.test"}
    plain = SmtpSettings.from_options({**base, "SMTPPort": "587"})
    assert plain is not None and not plain.implicit_tls and not plain.require_starttls
    assert plain.sender == "bot@example.test"  # SMTPFrom falls back to the account
    ssl = SmtpSettings.from_options({**base, "SMTPPort": "465"})
    assert ssl is not None and ssl.implicit_tls
    starttls = SmtpSettings.from_options(
        {**base, "SMTPPort": "465", "SMTPStartTLSEnabled": "true"})
    assert starttls is not None and not starttls.implicit_tls and starttls.require_starttls
    forced = SmtpSettings.from_options({**base, "SMTPPort": "2525", "SMTPSSLEnabled": "true"})
    assert forced is not None and forced.implicit_tls
    assert SmtpSettings.from_options({"SMTPServer": "", "SMTPFrom": "a@b.test"}) is None
    assert SmtpSettings.from_options({"SMTPServer": "smtp.example.test"}) is None  # no sender
    odd = SmtpSettings.from_options({**base, "SMTPPort": "x"})
    assert odd is not None and odd.port == 587


async def test_mail_logs_in_with_the_account_and_token() -> None:
    seen: list[tuple[bytes, bytes]] = []

    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str,
                      data: Any) -> AuthResult:
        assert isinstance(data, LoginPassword)
        seen.append((data.login, data.password))
        return AuthResult(success=data.password == SMTP_SECRET.encode())

    with mail_sink() as sink:
        controller = Controller(sink, hostname="127.0.0.1", port=free_port(),
                                authenticator=authenticator, auth_require_tls=False)
        controller.start()
        try:
            settings = SmtpSettings.from_options({
                "SMTPServer": "127.0.0.1", "SMTPPort": str(controller.port),
                "SMTPAccount": "bot@example.test", "SMTPToken": SMTP_SECRET,
                "SystemName": "Acme AI"})
            assert settings is not None
            await send_mail(settings, "user@example.test", "Hello", "Your code is 123456.")
            mail = await sink.next_mail()
        finally:
            controller.stop()
    assert seen == [(b"bot@example.test", SMTP_SECRET.encode())]
    assert mail["From"] == "Acme AI <bot@example.test>" and mail["Subject"] == "Hello"


async def test_unreachable_smtp_is_logged_without_the_password(
    server: AdminServer, caplog: pytest.LogCaptureFixture
) -> None:
    await set_options(SMTPServer="127.0.0.1", SMTPPort=str(free_port()),
                      SMTPAccount="bot@example.test", SMTPToken=SMTP_SECRET)
    await User.filter(username="alice").update(email="alice@example.test")
    caller = server.caller()
    with caplog.at_level(logging.INFO, logger="newapi.auth.mail"):
        body = await caller.data(SEND, {"email": "alice@example.test"})
        assert body["sendVerificationCode"]["__typename"] == "VerificationCodeSent"
        await server.app.ctx.account_services.mailer.aclose()
    failures = [r for r in caplog.records if r.getMessage().startswith("could not send mail")]
    assert len(failures) == 1 and failures[0].levelno == logging.WARNING
    assert SMTP_SECRET not in caplog.text
