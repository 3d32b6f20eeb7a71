"""The upstream client honours HTTP(S)_PROXY and NO_PROXY, read once when it is built."""

from __future__ import annotations

import pytest

from newapi.config.model import RelayConfig
from newapi.relay.upstream import Upstream


def test_proxy_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ALL_PROXY", "all_proxy", "HTTPS_PROXY", "https_proxy", "http_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.internal:3128")
    monkeypatch.setenv("NO_PROXY", "localhost,.corp.example")
    upstream = Upstream(RelayConfig())
    assert upstream._proxy("http://api.example.com/v1/chat/completions") == (
        "http://proxy.internal:3128"
    )
    assert upstream._proxy("http://localhost:8080/v1/chat/completions") is None
    assert upstream._proxy("http://llm.corp.example/v1") is None
    assert upstream._proxy("https://api.example.com/v1") is None  # no HTTPS_PROXY set


def test_no_proxy_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ALL_PROXY", "all_proxy", "HTTPS_PROXY", "https_proxy", "HTTP_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    assert Upstream(RelayConfig())._proxies == {}
