"""Sign-up, emailed verification codes and password reset (public mutations).

Settings come from the ``options`` table by New API key, read through the settings registry
(newapi/billing/settings.py, root's ``updateSettings``): ``RegisterEnabled`` and
``PasswordRegisterEnabled`` open sign-up, ``EmailVerificationEnabled`` makes it need an emailed
code, ``EmailDomainRestrictionEnabled``/``EmailDomainWhitelist`` and
``EmailAliasRestrictionEnabled`` limit the addresses, and a new user gets ``QuotaForNewUser``.
Whether an address belongs to an account is never revealed: ``sendVerificationCode`` answers
the same either way and only mails a code when it can be used.
"""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from newapi.admin.accounts.mutations import PASSWORD_MAX, PASSWORD_MIN
from newapi.admin.accounts.services import services, valid_email
from newapi.admin.accounts.types import (
    PasswordResetDone,
    Registered,
    RegisterInput,
    RegisterResult,
    ResetPasswordResult,
    SendVerificationCodeResult,
    VerificationCodeSent,
    VerificationPurpose,
)
from newapi.admin.results import FieldErrors, field_errors, from_invalid
from newapi.auth.codes import CODE_TTL_S
from newapi.auth.mail import SmtpSettings
from newapi.billing.settings import read_bool, read_int, read_text
from newapi.errors import InvalidRequestError
from newapi.store.queries.accounts import (
    account_id_by_email,
    account_options,
    email_in_use,
    register_account,
    reset_password_by_email,
    username_taken,
)

__all__ = ["RegistrationMutation"]

_BAD_CODE = "wrong or expired code"
_SUBJECTS = {
    VerificationPurpose.REGISTER: "{name}: your verification code",
    VerificationPurpose.RESET: "{name}: reset your password",
}
_BODIES = {
    VerificationPurpose.REGISTER: "Your verification code is {code}. It is valid for {minutes} "
    "minutes.\n\nIf you did not sign up, ignore this mail.\n",
    VerificationPurpose.RESET: "Your password reset code is {code}. It is valid for {minutes} "
    "minutes.\n\nIf you did not ask for it, ignore this mail; your password stays as it is.\n",
}


def _password_error(password: str, field: str) -> FieldErrors | None:
    if PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        return None
    return field_errors((field, f"must be {PASSWORD_MIN} to {PASSWORD_MAX} characters"))


def _email_refusal(options: dict[str, str], email: str) -> str | None:
    """Why sign-up does not accept this address (None when it does)."""
    if not valid_email(email):
        return "not a valid email address (at most 50 characters)"
    local, _, domain = email.rpartition("@")
    if read_bool("EmailDomainRestrictionEnabled", options):
        allowed = {d.strip() for d in read_text("EmailDomainWhitelist", options).lower().split(",")}
        if domain not in allowed:
            return f"addresses at {domain} are not accepted here"
    if read_bool("EmailAliasRestrictionEnabled", options) and ("+" in local or "." in local):
        return "addresses with '+' or '.' before the @ are not accepted here"
    return None


async def _verified_email(
    info: Info[Any, Any], options: dict[str, str], given: RegisterInput
) -> str | FieldErrors:
    email = (given.email or "").strip().lower()
    if not email:
        return field_errors(("email", "an email address is required"))
    refusal = _email_refusal(options, email)
    if refusal:
        return field_errors(("email", refusal))
    code = (given.verification_code or "").strip()
    if not code:
        return field_errors(("verificationCode", "the code mailed to you is required"))
    codes = services(info.context).codes
    if not await codes.consume(VerificationPurpose.REGISTER.value, email, code):
        return field_errors(("verificationCode", _BAD_CODE))
    if await email_in_use(email):
        return field_errors(("email", "this address is already used by another account"))
    return email


@strawberry.type
class RegistrationMutation:
    @strawberry.mutation(description="Create an account (when sign-up is open).")
    async def register(self, info: Info[Any, Any], input: RegisterInput) -> RegisterResult:
        options = await account_options()
        if not all(read_bool(k, options) for k in ("RegisterEnabled", "PasswordRegisterEnabled")):
            return field_errors(("username", "sign-up is closed on this server"))
        username = input.username.strip()
        if not username or len(username) > 20:
            return field_errors(("username", "must be 1 to 20 characters"))
        refused = _password_error(input.password, "password")
        if refused:
            return refused
        if await username_taken(username):  # before a mailed code is used up
            return field_errors(("username", f"a user named {username!r} already exists"))
        email = ""
        if read_bool("EmailVerificationEnabled", options):
            checked = await _verified_email(info, options, input)
            if isinstance(checked, FieldErrors):
                return checked
            email = checked
        try:
            quota = read_int("QuotaForNewUser", options)
            account = await register_account(username, input.password, email, quota)
        except InvalidRequestError as exc:
            return from_invalid(exc, "username")
        return Registered(id=account.id, username=account.username)

    @strawberry.mutation(
        description="Mail a 6-digit code (valid 10 minutes) for sign-up or a password reset. "
        "The answer does not tell whether the address has an account."
    )
    async def send_verification_code(
        self, info: Info[Any, Any], email: str, purpose: VerificationPurpose
    ) -> SendVerificationCodeResult:
        context = info.context
        email = email.strip().lower()
        options = await account_options()
        if purpose is VerificationPurpose.REGISTER:
            refusal = _email_refusal(options, email)
        else:
            refusal = None if valid_email(email) else "not a valid email address"
        if refusal:
            return field_errors(("email", refusal))
        smtp = SmtpSettings.from_options(options)
        if smtp is None:
            return field_errors(("email", "this server cannot send mail (SMTP is not set up)"))
        helpers = services(context)
        if helpers.send_limiter.blocked(context.client_ip, email):
            return field_errors(("email", "too many codes asked for; wait a minute"))
        helpers.send_limiter.failed(context.client_ip, email)
        if purpose is VerificationPurpose.REGISTER:
            usable = not await email_in_use(email)
        else:
            usable = await account_id_by_email(email) is not None
        if usable:
            code = await helpers.codes.issue(purpose.value, email)
            values = {"name": smtp.system_name, "code": code, "minutes": CODE_TTL_S // 60}
            helpers.mailer.send_later(
                smtp, email, _SUBJECTS[purpose].format(**values), _BODIES[purpose].format(**values)
            )
        return VerificationCodeSent(expires_in=CODE_TTL_S)

    @strawberry.mutation(
        description="Set a new password with the code mailed by sendVerificationCode(RESET); "
        "signs out every session of the account."
    )
    async def reset_password(
        self, info: Info[Any, Any], email: str, code: str, new_password: str
    ) -> ResetPasswordResult:
        refused = _password_error(new_password, "newPassword")
        if refused:
            return refused
        email = email.strip().lower()
        codes = services(info.context).codes
        if not await codes.consume(VerificationPurpose.RESET.value, email, code):
            return field_errors(("code", _BAD_CODE))
        if not await reset_password_by_email(email, new_password):
            return field_errors(("code", _BAD_CODE))
        return PasswordResetDone(done=True)
