"""Sign-in, sign-up, password reset and two-factor results."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import strawberry

from newapi.admin.me.types import Me
from newapi.admin.results import BigInt, FieldErrors

__all__ = [
    "AccessToken",
    "ChangePasswordResult",
    "DisableTwoFactorResult",
    "EnableTwoFactorResult",
    "LoginResult",
    "LoginSuccess",
    "PasswordChanged",
    "PasswordResetDone",
    "RegisterInput",
    "RegisterResult",
    "Registered",
    "ResetPasswordResult",
    "SendVerificationCodeResult",
    "SetupTwoFactorResult",
    "TwoFactorDisabled",
    "TwoFactorEnabled",
    "TwoFactorRequired",
    "TwoFactorReset",
    "TwoFactorSetup",
    "TwoFactorStatus",
    "VerificationCodeSent",
    "VerificationPurpose",
]


@strawberry.type
class LoginSuccess:
    user: Me
    csrf_token: str


@strawberry.type(description="The password was right; finish with loginTwoFactor.")
class TwoFactorRequired:
    flow_token: str = strawberry.field(description="Pass to loginTwoFactor (valid 5 minutes).")
    expires_at: BigInt


@strawberry.type
class PasswordChanged:
    csrf_token: str | None = strawberry.field(
        description="The new session's CSRF token (other sessions are signed out)."
    )


@strawberry.type
class AccessToken:
    token: str = strawberry.field(description="Send as 'Authorization: Bearer <token>'.")


@strawberry.enum
class VerificationPurpose(Enum):
    REGISTER = "register"
    RESET = "reset"


@strawberry.input
class RegisterInput:
    username: str
    password: str
    email: str | None = strawberry.field(
        default=None, description="Required (with verificationCode) when email verification is on."
    )
    verification_code: str | None = None


@strawberry.type
class Registered:
    id: int
    username: str


@strawberry.type
class VerificationCodeSent:
    expires_in: int = strawberry.field(
        description="Seconds the code stays valid. The answer is the same whether or not the "
        "address belongs to an account."
    )


@strawberry.type
class PasswordResetDone:
    done: bool = strawberry.field(description="Every session of the account was signed out.")


@strawberry.type
class TwoFactorSetup:
    secret: str = strawberry.field(description="Base32 TOTP secret (shown only now).")
    otpauth_uri: str = strawberry.field(description="otpauth:// URI for an authenticator app.")


@strawberry.type
class TwoFactorEnabled:
    backup_codes: list[str] = strawberry.field(
        description="One-time codes usable instead of a TOTP code (shown only now)."
    )
    csrf_token: str | None = strawberry.field(
        description="The new session's CSRF token (other sessions are signed out)."
    )


@strawberry.type
class TwoFactorDisabled:
    csrf_token: str | None = strawberry.field(
        description="The new session's CSRF token (other sessions are signed out)."
    )


@strawberry.type
class TwoFactorReset:
    user_id: int
    was_set_up: bool


@strawberry.type
class TwoFactorStatus:
    enabled: bool
    backup_codes_left: int
    locked_until: BigInt = strawberry.field(description="Unix seconds; 0 when not locked.")


LoginResult = Annotated[
    LoginSuccess | TwoFactorRequired | FieldErrors, strawberry.union("LoginResult")
]
ChangePasswordResult = Annotated[
    PasswordChanged | FieldErrors, strawberry.union("ChangePasswordResult")
]
RegisterResult = Annotated[Registered | FieldErrors, strawberry.union("RegisterResult")]
SendVerificationCodeResult = Annotated[
    VerificationCodeSent | FieldErrors, strawberry.union("SendVerificationCodeResult")
]
ResetPasswordResult = Annotated[
    PasswordResetDone | FieldErrors, strawberry.union("ResetPasswordResult")
]
SetupTwoFactorResult = Annotated[
    TwoFactorSetup | FieldErrors, strawberry.union("SetupTwoFactorResult")
]
EnableTwoFactorResult = Annotated[
    TwoFactorEnabled | FieldErrors, strawberry.union("EnableTwoFactorResult")
]
DisableTwoFactorResult = Annotated[
    TwoFactorDisabled | FieldErrors, strawberry.union("DisableTwoFactorResult")
]
