"""Password reset by a mailed code: same answer for every address, one use, sessions end."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest

from newapi.auth.codes import CODE_TTL_S, MAX_GUESSES, VerificationCodes
from newapi.store.models import User
from tests.admin.conftest import AdminServer, Caller
from tests.admin.mail_sink import MailSink, mail_sink, use_sink_for_mail

SEND = """mutation($email: String!) { sendVerificationCode(email: $email, purpose: RESET) {
  __typename ... on VerificationCodeSent { expiresIn }
  ... on FieldErrors { errors { field message } } } }"""
RESET = """mutation($email: String!, $code: String!, $password: String!) {
  resetPassword(email: $email, code: $code, newPassword: $password) {
  __typename ... on PasswordResetDone { done }
  ... on FieldErrors { errors { field message } } } }"""
ADDRESS = "alice@example.test"
NEW_PASSWORD = "alice-new-password"
REDIS = "redis://127.0.0.1:6379/0"


@pytest.fixture
async def sink() -> AsyncIterator[MailSink]:
    with mail_sink() as running:
        yield running


async def _reset(caller: Caller, email: str, code: str, password: str) -> dict[str, Any]:
    body = await caller.data(RESET, {"email": email, "code": code, "password": password})
    return body["resetPassword"]


def _other(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


async def test_password_reset_by_mailed_code(server: AdminServer, sink: MailSink) -> None:
    await use_sink_for_mail(sink)
    await User.filter(username="alice").update(email=ADDRESS)
    alice = await server.signed_in("alice")
    anonymous = server.caller()

    known = await anonymous.data(SEND, {"email": "Alice@Example.test"})
    unknown = await anonymous.data(SEND, {"email": "nobody@example.test"})
    assert known == unknown == {"sendVerificationCode": {
        "__typename": "VerificationCodeSent", "expiresIn": 600}}
    code = await sink.next_code(ADDRESS)
    await server.app.ctx.account_services.mailer.aclose()
    assert [m["To"] for m in sink.received] == [ADDRESS]  # no mail for the unknown address
    mail = sink.received[0]
    assert "reset your password" in mail["Subject"] and "noreply@example.test" in mail["From"]

    short = await _reset(anonymous, ADDRESS, code, "short")
    assert short["errors"][0]["field"] == "newPassword"
    wrong = await _reset(anonymous, ADDRESS, _other(code), NEW_PASSWORD)
    assert wrong == {"__typename": "FieldErrors",
                     "errors": [{"field": "code", "message": "wrong or expired code"}]}
    nobody = await _reset(anonymous, "nobody@example.test", code, NEW_PASSWORD)
    assert nobody == wrong
    done = await _reset(anonymous, ADDRESS.upper(), code, NEW_PASSWORD)
    assert done == {"__typename": "PasswordResetDone", "done": True}
    assert (await _reset(anonymous, ADDRESS, code, "another-password"))["errors"]  # used up

    signed_out = await alice.post("{ me { id } }")
    assert signed_out["errors"][0]["extensions"]["code"] == "unauthenticated"
    assert (await server.caller().login("alice"))["__typename"] == "FieldErrors"
    assert (await server.caller().login("alice", NEW_PASSWORD))["__typename"] == "LoginSuccess"
    by_email = await server.caller().login(ADDRESS, NEW_PASSWORD)
    assert by_email["__typename"] == "LoginSuccess"


async def test_five_wrong_guesses_use_up_the_code(server: AdminServer, sink: MailSink) -> None:
    await use_sink_for_mail(sink)
    await User.filter(username="bob").update(email="bob@example.test")
    anonymous = server.caller()
    await anonymous.data(SEND, {"email": "bob@example.test"})
    code = await sink.next_code("bob@example.test")
    guess = code
    for _ in range(5):
        guess = _other(guess)
        assert (await _reset(anonymous, "bob@example.test", guess, NEW_PASSWORD))["errors"]
    late = await _reset(anonymous, "bob@example.test", code, NEW_PASSWORD)
    assert late["errors"] == [{"field": "code", "message": "wrong or expired code"}]
    assert (await server.caller().login("bob"))["__typename"] == "LoginSuccess"


async def test_codes_in_memory_expire_after_ten_minutes() -> None:
    codes = VerificationCodes("secret")
    code = await codes.issue("reset", "a@example.test", now=1000.0)
    assert not await codes.consume("reset", "a@example.test", code, now=1000.0 + CODE_TTL_S)
    code = await codes.issue("reset", "a@example.test", now=2000.0)
    assert not await codes.consume("register", "a@example.test", code, now=2001.0)
    assert await codes.consume("reset", "A@example.test ", code, now=2001.0)
    assert not await codes.consume("reset", "a@example.test", code, now=2002.0)


@pytest.mark.redis
async def test_codes_in_redis_are_shared_between_nodes() -> None:
    from redis.asyncio import Redis

    first = VerificationCodes("shared-secret", Redis.from_url(REDIS))
    second = VerificationCodes("shared-secret", Redis.from_url(REDIS))
    email = f"{uuid.uuid4().hex}@example.test"
    try:
        code = await first.issue("register", email)
        slot = first._slot("register", email)
        assert code.encode() not in b"".join(
            v for v in (await second._redis.hgetall(slot)).values())  # only the HMAC is stored
        assert 0 < await second._redis.ttl(slot) <= CODE_TTL_S
        assert not await second.consume("register", email, _other(code))
        assert await second.consume("register", email, code)
        assert not await first.consume("register", email, code)
        code = await first.issue("register", email)
        for guess in range(MAX_GUESSES):
            assert not await second.consume("register", email, _other(str(int(code) + guess)))
        assert not await first.consume("register", email, code)
    finally:
        await first.aclose()
        await second.aclose()
