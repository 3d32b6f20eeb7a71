"""bcrypt compatible with Go's golang.org/x/crypto/bcrypt (One API and New API hashes)."""

from __future__ import annotations

import pytest

from newapi.errors import InvalidRequestError
from newapi.store import hash_password, verify_password
from tests.store.store_oneapi_db import ROOT_PASSWORD, ROWS


def test_one_api_hashes_verify() -> None:
    root = ROWS["users"][0]
    assert root["password"].startswith("$2a$10$")
    assert verify_password(ROOT_PASSWORD, root["password"])
    assert not verify_password(ROOT_PASSWORD + "x", root["password"])


def test_hashes_look_like_go() -> None:
    hashed = hash_password("correct horse battery")
    assert hashed.startswith("$2a$10$") and len(hashed) == 60
    assert verify_password("correct horse battery", hashed)
    assert not verify_password("Correct horse battery", hashed)


def test_other_prefixes_and_garbage() -> None:
    hashed = hash_password("pw-12345678")
    assert verify_password("pw-12345678", "$2b$" + hashed[4:])
    assert verify_password("pw-12345678", "$2y$" + hashed[4:])
    assert not verify_password("pw-12345678", "")
    assert not verify_password("pw-12345678", None)
    assert not verify_password("pw-12345678", "not a hash")
    assert not verify_password("", hashed)


def test_go_limits() -> None:
    with pytest.raises(InvalidRequestError):
        hash_password("x" * 73)
    with pytest.raises(InvalidRequestError):
        hash_password("")
    assert not verify_password("x" * 73, hash_password("x" * 72))
