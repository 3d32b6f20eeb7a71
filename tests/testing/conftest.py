"""Fixtures for the fake upstream tests: one running fake per test and a client for it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from newapi.testing import FakeUpstream, start_fake_upstream

AUTH = {"authorization": "Bearer test-key"}


@pytest.fixture
async def fake() -> AsyncIterator[FakeUpstream]:
    """A fake upstream on a free loopback port, stopped after the test."""
    upstream = await start_fake_upstream()
    try:
        yield upstream
    finally:
        await upstream.stop()


@pytest.fixture
async def client(fake: FakeUpstream) -> AsyncIterator[httpx.AsyncClient]:
    """An httpx client with OpenAI bearer auth aimed at ``fake``."""
    async with httpx.AsyncClient(base_url=fake.url, headers=AUTH, timeout=10) as http:
        yield http
