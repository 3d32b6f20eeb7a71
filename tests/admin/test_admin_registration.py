"""Sign-up with an emailed code, login by email, TOTP two-factor with backup codes, logout."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pyotp
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from newapi.store.models import Log, TwoFA, TwoFABackupCode, User
from newapi.store.passwords import verify_password
from tests.admin.conftest import AdminServer, Caller
from tests.admin.mail_sink import MailSink, mail_sink, set_options, use_sink_for_mail
from tests.admin.settings_server import SETTINGS_QUERY, update
from tests.conftest import free_port

REGISTER = """mutation($input: RegisterInput!) { register(input: $input) {
  __typename ... on Registered { id username }
  ... on FieldErrors { errors { field message } } } }"""
SEND = """mutation($email: String!, $purpose: VerificationPurpose!) {
  sendVerificationCode(email: $email, purpose: $purpose) {
  __typename ... on VerificationCodeSent { expiresIn }
  ... on FieldErrors { errors { field message } } } }"""
LOGIN_2FA = """mutation($flow: String!, $code: String!) {
  loginTwoFactor(flowToken: $flow, code: $code) {
  __typename ... on LoginSuccess { csrfToken user { username } }
  ... on FieldErrors { errors { field message } } } }"""
SETUP = """mutation { setupTwoFactor { __typename ... on TwoFactorSetup { secret otpauthUri } } }"""
ENABLE = """mutation($code: String!) { enableTwoFactor(code: $code) {
  __typename ... on TwoFactorEnabled { backupCodes csrfToken }
  ... on FieldErrors { errors { field message } } } }"""
DISABLE = """mutation($code: String!) { disableTwoFactor(code: $code) {
  __typename ... on TwoFactorDisabled { csrfToken } ... on FieldErrors { errors { field } } } }"""
STATUS = "{ twoFactorStatus { enabled backupCodesLeft lockedUntil } }"
ME = "{ me { username email quota } }"
PASSWORD = "carol-password"
SMTP_SECRET = "smtp-token-8Yt2-only-for-the-server"


@pytest.fixture
async def sink() -> AsyncIterator[MailSink]:
    with mail_sink() as running:
        yield running


async def _login_raw(caller: Caller, login: str, password: str) -> dict[str, Any]:
    data = await caller.data(
        """mutation($u: String!, $p: String!) { login(username: $u, password: $p) {
             __typename ... on LoginSuccess { csrfToken }
             ... on TwoFactorRequired { flowToken expiresAt }
             ... on FieldErrors { errors { field message } } } }""",
        {"u": login, "p": password},
    )
    return data["login"]


async def _second_step(caller: Caller, flow: str, code: str) -> dict[str, Any]:
    result = (await caller.data(LOGIN_2FA, {"flow": flow, "code": code}))["loginTwoFactor"]
    if result["__typename"] == "LoginSuccess":
        caller.csrf = result["csrfToken"]
    return result


async def _register_carol(server: AdminServer, sink: MailSink) -> Caller:
    anonymous = server.caller()
    needs_email = await anonymous.data(
        REGISTER, {"input": {"username": "carol", "password": PASSWORD}})
    assert needs_email["register"]["errors"][0]["field"] == "email"
    sent = await anonymous.data(SEND, {"email": "Carol@Example.test", "purpose": "REGISTER"})
    assert sent["sendVerificationCode"] == {"__typename": "VerificationCodeSent",
                                            "expiresIn": 600}
    code = await sink.next_code("carol@example.test")
    wrong = "000000" if code != "000000" else "111111"
    form = {"username": "carol", "password": PASSWORD, "email": "carol@example.test"}
    refused = await anonymous.data(REGISTER, {"input": {**form, "verificationCode": wrong}})
    assert refused["register"]["errors"] == [
        {"field": "verificationCode", "message": "wrong or expired code"}]
    made = await anonymous.data(REGISTER, {"input": {**form, "verificationCode": code}})
    assert made["register"]["__typename"] == "Registered"
    assert made["register"]["username"] == "carol"
    again = await anonymous.data(
        REGISTER, {"input": {**form, "username": "carol2", "verificationCode": code}})
    assert again["register"]["errors"][0]["field"] == "verificationCode"  # used up
    return anonymous


async def test_register_verify_login_two_factor_token_logout(
    server: AdminServer, sink: MailSink
) -> None:
    await use_sink_for_mail(
        sink, EmailVerificationEnabled="true", QuotaForNewUser="12345",
        EmailDomainRestrictionEnabled="true", EmailDomainWhitelist="example.test,example.org",
    )
    await _register_carol(server, sink)
    carol = server.caller()
    assert (await _login_raw(carol, "carol@example.test", PASSWORD))["__typename"] == "LoginSuccess"
    carol.csrf = (await carol.data("{ me { csrfToken } }"))["me"]["csrfToken"]
    assert (await carol.data(ME))["me"] == {
        "username": "carol", "email": "carol@example.test", "quota": 12345}
    user_id = (await User.get(username="carol")).id
    logs = await Log.filter(user_id=user_id).order_by("id").values_list("type", "content")
    assert logs == [(4, "new user quota 12345"), (7, "login (password)")]

    setup = (await carol.data(SETUP))["setupTwoFactor"]
    assert setup["otpauthUri"].startswith("otpauth://totp/newapi:carol?secret=")  # SystemName
    totp = pyotp.TOTP(setup["secret"])
    assert (await carol.data(ENABLE, {"code": "12345"}))["enableTwoFactor"]["__typename"] == (
        "FieldErrors")
    first = totp.now()
    enabled = (await carol.data(ENABLE, {"code": first}))["enableTwoFactor"]
    backups = enabled["backupCodes"]
    assert len(backups) == 10 and len(set(backups)) == 10
    assert all(len(c) == 9 and c[4] == "-" for c in backups)
    row = await TwoFA.get(user_id=user_id)
    assert row.is_enabled and row.secret == setup["secret"]
    hashes = await TwoFABackupCode.filter(user_id=user_id).values_list("code_hash", flat=True)
    assert len(hashes) == 10 and all(h.startswith("$2a$10$") for h in hashes)
    assert not any(code.replace("-", "") in h for code in backups for h in hashes)
    assert sum(verify_password(backups[2], h) for h in hashes) == 1  # New API's XXXX-XXXX form
    carol.csrf = enabled["csrfToken"]  # enabling 2FA signed out the other sessions
    assert (await carol.data(STATUS))["twoFactorStatus"] == {
        "enabled": True, "backupCodesLeft": 10, "lockedUntil": 0}

    phone = server.caller()
    pending = await _login_raw(phone, "carol", PASSWORD)
    assert pending["__typename"] == "TwoFactorRequired"
    assert phone.http.cookies.get("newapi_session") is None
    assert pending["expiresAt"] > time.time()
    replay = await _second_step(phone, pending["flowToken"], first)
    assert replay["errors"] == [{"field": "code", "message": "wrong code"}]
    fresh = totp.at(time.time() + 30)
    done = await _second_step(phone, pending["flowToken"], fresh)
    assert done["__typename"] == "LoginSuccess" and done["user"]["username"] == "carol"
    assert (await phone.data("{ me { username } }"))["me"]["username"] == "carol"

    laptop = server.caller()
    flow = (await _login_raw(laptop, "carol", PASSWORD))["flowToken"]
    assert (await _second_step(laptop, flow, backups[0].lower()))["__typename"] == "LoginSuccess"
    other = server.caller()
    flow = (await _login_raw(other, "carol", PASSWORD))["flowToken"]
    assert (await _second_step(other, flow, backups[0]))["__typename"] == "FieldErrors"
    forged = await _second_step(other, flow[:-2] + "xx", fresh)
    assert forged["errors"][0]["field"] == "flowToken"
    assert (await laptop.data(STATUS))["twoFactorStatus"]["backupCodesLeft"] == 9
    assert await Log.filter(user_id=user_id, type=7, content="login (2fa)").count() == 2

    token = (await laptop.data("mutation { generateAccessToken { token } }"))[
        "generateAccessToken"]["token"]
    script = server.caller()
    script.bearer = token
    assert (await script.data(ME))["me"]["username"] == "carol"

    off = (await laptop.data(DISABLE, {"code": backups[1]}))["disableTwoFactor"]
    assert off["__typename"] == "TwoFactorDisabled"
    laptop.csrf = off["csrfToken"]
    assert await TwoFA.filter(user_id=user_id).count() == 0
    assert (await _login_raw(server.caller(), "carol", PASSWORD))["__typename"] == "LoginSuccess"

    assert (await laptop.data("mutation { logout }"))["logout"] is True
    gone = await laptop.post("{ me { id } }")
    assert gone["errors"][0]["extensions"]["code"] == "unauthenticated"


async def test_sign_up_switches_and_address_rules(server: AdminServer, sink: MailSink) -> None:
    anonymous = server.caller()
    form = {"input": {"username": "dave", "password": "dave-password"}}
    await set_options(RegisterEnabled="false")
    closed = (await anonymous.data(REGISTER, form))["register"]
    assert closed["errors"] == [
        {"field": "username", "message": "sign-up is closed on this server"}]
    await set_options(RegisterEnabled="true", PasswordRegisterEnabled="false")
    assert (await anonymous.data(REGISTER, form))["register"]["__typename"] == "FieldErrors"
    await set_options(PasswordRegisterEnabled="true")
    short = {"input": {"username": "dave", "password": "short"}}
    assert (await anonymous.data(REGISTER, short))["register"]["errors"][0]["field"] == "password"
    taken = {"input": {"username": "alice", "password": "whatever-1"}}
    assert (await anonymous.data(REGISTER, taken))["register"]["errors"][0]["field"] == "username"
    made = (await anonymous.data(REGISTER, form))["register"]
    assert made["__typename"] == "Registered"
    user = await User.get(username="dave")
    assert user.quota == 0 and user.role == 1 and user.email == ""  # QuotaForNewUser's default
    assert (await anonymous.login("dave", "dave-password"))["__typename"] == "LoginSuccess"

    unset = (await anonymous.data(SEND, {"email": "e@example.test", "purpose": "REGISTER"}))
    assert unset["sendVerificationCode"]["errors"][0]["message"].startswith(
        "this server cannot send mail")
    await use_sink_for_mail(sink, EmailDomainRestrictionEnabled="true",
                            EmailDomainWhitelist="example.test",
                            EmailAliasRestrictionEnabled="true")
    for bad in ("not-an-address", "x@elsewhere.test", "x+tag@example.test"):
        body = await anonymous.data(SEND, {"email": bad, "purpose": "REGISTER"})
        assert body["sendVerificationCode"]["__typename"] == "FieldErrors", bad
    await User.filter(username="alice").update(email="alice@example.test")
    used = await anonymous.data(SEND, {"email": "alice@example.test", "purpose": "REGISTER"})
    new = await anonymous.data(SEND, {"email": "erin@example.test", "purpose": "REGISTER"})
    assert used["sendVerificationCode"] == new["sendVerificationCode"]  # nothing revealed
    limited = await anonymous.data(SEND, {"email": "erin@example.test", "purpose": "REGISTER"})
    third = await anonymous.data(SEND, {"email": "erin@example.test", "purpose": "REGISTER"})
    assert limited["sendVerificationCode"]["__typename"] == "VerificationCodeSent"
    assert third["sendVerificationCode"]["errors"][0]["message"].startswith("too many codes")
    await server.app.ctx.account_services.mailer.aclose()  # every mail handed to the sink
    assert [m["To"] for m in sink.received] == ["erin@example.test", "erin@example.test"]


async def test_wrong_second_factor_codes_lock_two_factor(server: AdminServer) -> None:
    bob = await server.signed_in("bob")
    totp = pyotp.TOTP((await bob.data(SETUP))["setupTwoFactor"]["secret"])
    assert (await bob.data(ENABLE, {"code": totp.now()}))["enableTwoFactor"]["backupCodes"]
    caller = server.caller()
    flow = (await _login_raw(caller, "bob", "bob-password"))["flowToken"]
    now = time.time()
    near = {totp.at(now + shift) for shift in (-60, -30, 0, 30, 60)}
    wrong = next(c for c in (f"{n:06d}" for n in range(10**6)) if c not in near)
    messages = [(await _second_step(caller, flow, "abcd-efgh"))["errors"][0]["message"]]
    for _ in range(4):
        messages.append((await _second_step(caller, flow, wrong))["errors"][0]["message"])
    assert messages[:4] == ["wrong code"] * 4
    assert messages[4].startswith("too many wrong codes")
    row = await TwoFA.get(user_id=server.ids["bob"])
    assert row.locked_until is not None and row.locked_until.timestamp() > time.time()
    body = await caller.post(LOGIN_2FA, {"flow": flow, "code": totp.at(time.time() + 30)})
    assert body["errors"][0]["extensions"]["code"] == "rate_limited"

    admin = await server.signed_in("admin")
    reset = "mutation($id: Int!) { resetUserTwoFactor(userId: $id) { userId wasSetUp } }"
    done = await admin.data(reset, {"id": server.ids["bob"]})
    assert done["resetUserTwoFactor"] == {"userId": server.ids["bob"], "wasSetUp": True}
    assert (await _login_raw(server.caller(), "bob", "bob-password"))["__typename"] == (
        "LoginSuccess")
    logged = await Log.filter(type=3, user_id=server.ids["admin"]).values_list("content", flat=True)
    bob_id = server.ids["bob"]
    assert logged == [f"turned off two-factor authentication of user 'bob' (id {bob_id})"]
    above = await admin.post(reset, {"id": server.ids["root"]})
    assert above["errors"][0]["extensions"]["code"] == "forbidden"


async def test_root_opens_and_closes_sign_up_with_update_settings(server: AdminServer) -> None:
    root = await server.signed_in("root")
    anonymous = server.caller()
    form = {"input": {"username": "gina", "password": "gina-password"}}
    closed = [{"field": "username", "message": "sign-up is closed on this server"}]
    for key in ("RegisterEnabled", "PasswordRegisterEnabled"):
        assert (await update(root, (key, "false")))["__typename"] == "SettingList"
        assert (await anonymous.data(REGISTER, form))["register"]["errors"] == closed, key
        assert (await update(root, (key, "true")))["__typename"] == "SettingList"
    assert await User.filter(username="gina").count() == 0
    assert (await update(root, ("QuotaForNewUser", "777")))["__typename"] == "SettingList"
    assert (await anonymous.data(REGISTER, form))["register"]["__typename"] == "Registered"
    assert (await User.get(username="gina")).quota == 777


async def test_password_login_off_refuses_everyone_but_root(server: AdminServer) -> None:
    root = await server.signed_in("root")
    assert (await update(root, ("PasswordLoginEnabled", "false")))["__typename"] == "SettingList"
    off = [{"field": "password", "message": "sign-in with a password is turned off on this server"}]
    right = await _login_raw(server.caller(), "alice", "alice-password")
    wrong = await _login_raw(server.caller(), "alice", "not-her-password")
    assert right["errors"] == off and wrong["errors"] == off  # the same answer either way
    assert (await _login_raw(server.caller(), "root", "nope-nope"))["errors"] == off
    again = server.caller()
    assert (await again.login("root"))["__typename"] == "LoginSuccess"  # never locked out
    async with httpx.AsyncClient() as http:
        status = (await http.get(f"{server.url}/api/status")).json()["data"]
    assert status["login_methods"]["password"] is False
    assert (await update(root, ("PasswordLoginEnabled", "true")))["__typename"] == "SettingList"
    assert (await server.caller().login("alice"))["__typename"] == "LoginSuccess"


async def test_sign_up_with_a_code_mailed_through_smtp_set_by_root(
    server: AdminServer, sink: MailSink
) -> None:
    logins: list[tuple[bytes, bytes]] = []

    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str,
                      data: Any) -> AuthResult:
        assert isinstance(data, LoginPassword)
        logins.append((data.login, data.password))
        return AuthResult(success=data.password == SMTP_SECRET.encode())

    smtp = Controller(sink, hostname="127.0.0.1", port=free_port(),
                      authenticator=authenticator, auth_require_tls=False)
    smtp.start()
    try:
        await _sign_up_with_mailed_code(server, sink, smtp.port)
    finally:
        smtp.stop()
    assert logins == [(b"bot@example.test", SMTP_SECRET.encode())]


async def _sign_up_with_mailed_code(server: AdminServer, sink: MailSink, port: int) -> None:
    root = await server.signed_in("root")
    anonymous = server.caller()
    form = {"username": "hana", "password": "hana-password", "email": "hana@example.test"}
    assert (await update(root, ("EmailVerificationEnabled", "true")))["__typename"] == (
        "SettingList")
    needs = (await anonymous.data(REGISTER, {"input": form}))["register"]["errors"]
    assert needs == [{"field": "verificationCode", "message": "the code mailed to you is required"}]
    no_mail = await anonymous.data(SEND, {"email": "hana@example.test", "purpose": "REGISTER"})
    assert no_mail["sendVerificationCode"]["errors"][0]["message"].startswith(
        "this server cannot send mail")

    result = await update(
        root, ("SMTPServer", "127.0.0.1"), ("SMTPPort", str(port)),
        ("SMTPAccount", "bot@example.test"), ("SMTPToken", SMTP_SECRET),
        ("SMTPFrom", "noreply@example.test"), ("SystemName", "Acme AI"),
    )
    assert result["__typename"] == "SettingList" and SMTP_SECRET not in str(result)
    assert SMTP_SECRET not in str(await root.post(SETTINGS_QUERY))

    sent = await anonymous.data(SEND, {"email": "hana@example.test", "purpose": "REGISTER"})
    assert sent["sendVerificationCode"]["__typename"] == "VerificationCodeSent"
    code = await sink.next_code("hana@example.test")
    mail = sink.received[-1]
    assert mail["From"] == "Acme AI <noreply@example.test>"
    assert mail["Subject"] == "Acme AI: your verification code"
    made = await anonymous.data(REGISTER, {"input": {**form, "verificationCode": code}})
    assert made["register"]["__typename"] == "Registered"
    assert (await User.get(username="hana")).email == "hana@example.test"
