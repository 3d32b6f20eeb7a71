"""Password hashing compatible with One API and New API (Go's ``golang.org/x/crypto/bcrypt``).

Go writes ``$2a$10$...`` hashes (default cost 10); those verify here unchanged, and hashes made
here (``$2a$``, cost 10) verify in Go. Go's bcrypt rejects passwords longer than 72 bytes, and
so does ``hash_password``; ``verify_password`` simply answers False for them.
"""

from __future__ import annotations

import bcrypt

from newapi.errors import InvalidRequestError

__all__ = ["BCRYPT_COST", "MAX_PASSWORD_BYTES", "hash_password", "verify_password"]

BCRYPT_COST = 10
MAX_PASSWORD_BYTES = 72


def hash_password(password: str) -> str:
    """A ``$2a$10$`` bcrypt hash of ``password``.

    Raises:
        InvalidRequestError: the password is empty or longer than 72 bytes in UTF-8.
    """
    secret = password.encode("utf-8")
    if not secret:
        raise InvalidRequestError("the password must not be empty", param="password")
    if len(secret) > MAX_PASSWORD_BYTES:
        raise InvalidRequestError(
            f"the password must be at most {MAX_PASSWORD_BYTES} bytes", param="password"
        )
    hashed = bcrypt.hashpw(secret, bcrypt.gensalt(rounds=BCRYPT_COST, prefix=b"2a"))
    return hashed.decode("ascii")


def verify_password(password: str, hashed: str | None) -> bool:
    """Whether ``password`` matches a bcrypt hash (``$2a$``, ``$2b$`` or ``$2y$``)."""
    if not hashed or not password:
        return False
    secret = password.encode("utf-8")
    if len(secret) > MAX_PASSWORD_BYTES:
        return False
    try:
        return bcrypt.checkpw(secret, hashed.strip().encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        return False
