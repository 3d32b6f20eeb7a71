"""TOTP codes (RFC 6238, as New API: SHA-1, 6 digits, 30 s) and 2FA backup codes.

A code is accepted for the current step and one step either side (clock drift); ``match_step``
returns which step matched so the caller can refuse a step used before. Backup codes are 8
characters shown as ``XXXX-XXXX``; only bcrypt hashes of that upper-case form are stored (as
New API does, so its backup codes keep working here and ours there), and a code is checked with
the separators, spaces and case ignored.
"""

from __future__ import annotations

import hmac
import secrets
import time

import pyotp

from newapi.store.passwords import hash_password, verify_password

__all__ = [
    "BACKUP_CODE_COUNT",
    "STEP_SECONDS",
    "hash_backup_code",
    "match_backup_code",
    "match_step",
    "new_backup_codes",
    "new_secret",
    "provisioning_uri",
]

STEP_SECONDS = 30
DIGITS = 6
BACKUP_CODE_COUNT = 10
_BACKUP_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def new_secret() -> str:
    """A random base32 TOTP secret (160 bits, as authenticator apps expect)."""
    return pyotp.random_base32(32)


def provisioning_uri(secret: str, account: str, issuer: str) -> str:
    """The ``otpauth://totp/...`` URI an authenticator app scans (issuer = SystemName)."""
    return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=issuer or None)


def match_step(secret: str, code: str, *, now: float | None = None) -> int | None:
    """The Unix time of the step whose code ``code`` is (now ± one step); None if no match."""
    code = code.strip().replace(" ", "")
    if len(code) != DIGITS or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS)
    stamp = time.time() if now is None else now
    current = int(stamp // STEP_SECONDS)
    for step in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.at(step * STEP_SECONDS), code):
            return step * STEP_SECONDS
    return None


def _normalise(code: str) -> str | None:
    """New API's form ``XXXX-XXXX`` (upper case); None when it is not 8 letters and digits."""
    clean = "".join(ch for ch in code.upper() if ch not in "- ")
    if len(clean) != 8 or not (clean.isascii() and clean.isalnum()):
        return None
    return f"{clean[:4]}-{clean[4:]}"


def new_backup_codes(count: int = BACKUP_CODE_COUNT) -> list[str]:
    """Fresh backup codes in the ``XXXX-XXXX`` form shown to the user."""
    codes = []
    for _ in range(count):
        text = "".join(secrets.choice(_BACKUP_ALPHABET) for _ in range(8))
        codes.append(f"{text[:4]}-{text[4:]}")
    return codes


def hash_backup_code(code: str) -> str:
    """The bcrypt hash stored for a backup code."""
    normal = _normalise(code)
    if normal is None:
        raise ValueError("a backup code is 8 letters and digits")
    return hash_password(normal)


def match_backup_code(code: str, stored: list[tuple[int, str]]) -> int | None:
    """The id of the stored ``(id, hash)`` pair that ``code`` matches; None if none does."""
    plain = _normalise(code)
    if plain is None:
        return None
    for code_id, hashed in stored:
        if verify_password(plain, hashed):
            return code_id
    return None
