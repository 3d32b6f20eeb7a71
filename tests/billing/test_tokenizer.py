"""Offline token counting gives the known counts for known strings."""

import socket

import pytest

from newapi.billing.tokenizer import count_tokens, encoding_for, encoding_name_for


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


def test_known_ids_cl100k(no_network: None) -> None:
    enc = encoding_for("gpt-4")
    assert enc.name == "cl100k_base"
    assert enc.encode("hello world") == [15339, 1917]


def test_known_ids_o200k(no_network: None) -> None:
    enc = encoding_for("gpt-4o-mini")
    assert enc.name == "o200k_base"
    assert enc.encode("hello world") == [24912, 2375]


@pytest.mark.parametrize(
    ("model", "encoding"),
    [
        ("gpt-3.5-turbo", "cl100k_base"),
        ("gpt-4", "cl100k_base"),
        ("gpt-4o", "o200k_base"),
        ("gpt-4.1-mini", "o200k_base"),
        ("gpt-5", "o200k_base"),
        ("o3-mini-high", "o200k_base"),
        ("openai/gpt-4o", "o200k_base"),
        ("claude-sonnet-4", "cl100k_base"),
        ("deepseek-chat", "cl100k_base"),
    ],
)
def test_encoding_choice(model: str, encoding: str) -> None:
    assert encoding_name_for(model) == encoding


def test_counts(no_network: None) -> None:
    assert count_tokens("", "gpt-4o") == 0
    assert count_tokens("hello world", "gpt-4") == 2
    assert count_tokens("hello world", "gpt-4o") == 2
    # special-token text is counted as ordinary text instead of raising
    assert count_tokens("<|endoftext|>", "gpt-4") > 1
    # CJK and emoji round-trip through the encoder
    text = "你好，世界 🌍"
    enc = encoding_for("gpt-4o")
    assert enc.decode(enc.encode(text)) == text
    assert count_tokens(text, "gpt-4o") == len(enc.encode(text))
