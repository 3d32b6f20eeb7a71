"""API keys on relay routes: where the key is read, what makes it unusable, channel pinning."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest

from newapi.testing import FakeUpstream
from tests.relay.conftest import Gateway, openai_channel
from tests.relay.expect import CHAT, aclient, attempts, capture_logs, ch, relay_error
from tests.relay.seeded import gateway


async def _post(gw: Gateway, headers: dict[str, str], body: Any = None) -> httpx.Response:
    async with httpx.AsyncClient(base_url=gw.url, timeout=30) as http:
        return await http.post("/v1/chat/completions", json=CHAT if body is None else body,
                               headers=headers)


async def _update_token(gw: Gateway, **fields: Any) -> None:
    from newapi.store.models import Token

    await Token.filter(id=gw.token_id).update(**fields)
    gw.relay.keys.invalidate()


async def _update_user(gw: Gateway, **fields: Any) -> None:
    from newapi.store.models import User

    await User.filter(id=gw.user_id).update(**fields)
    gw.relay.keys.invalidate()


async def test_where_the_key_is_read_from(tmp_path: Path, fake: FakeUpstream) -> None:
    async with gateway(tmp_path, openai_channel("main", fake.url)) as gw:
        bare = gw.key.removeprefix("sk-")
        async with aclient(gw) as client:  # Authorization: Bearer sk-...
            reply = await client.chat.completions.create(**CHAT)
            assert reply.choices[0].message.content == "echo: hi"
        async with aclient(gw, key=bare) as client:  # Bearer without sk-
            await client.chat.completions.create(**CHAT)
        for headers in ({"x-api-key": gw.key}, {"x-api-key": bare},
                        {"Authorization": f"bearer {gw.key}"}, {"Authorization": gw.key}):
            response = await _post(gw, headers)
            assert response.status_code == 200, (headers, response.text)
        assert len(await gw.logs()) == 6
    # the gateway's key never goes upstream; the channel's key does
    assert {r.headers["authorization"] for r in fake.requests} == {"Bearer sk-upstream-main"}


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({}, "missing_api_key"),
        ({"Authorization": "midjourney-proxy"}, "missing_api_key"),
        ({"Authorization": "Bearer sk-" + "x" * 48}, "invalid_api_key"),
        ({"x-api-key": "nonsense"}, "invalid_api_key"),
    ],
)
async def test_missing_and_unknown_keys(tmp_path: Path, fake: FakeUpstream,
                                        headers: dict[str, str], code: str) -> None:
    async with gateway(tmp_path, openai_channel("main", fake.url)) as gw:
        response = await _post(gw, headers)
    error = relay_error(response, 401, code)
    assert error["type"] == "authentication_error"
    assert fake.requests == []


async def test_the_sdk_sees_authentication_errors(tmp_path: Path, fake: FakeUpstream) -> None:
    async with gateway(tmp_path, openai_channel("main", fake.url)) as gw, \
            aclient(gw, key="sk-not-a-real-key") as client:
        with pytest.raises(openai.AuthenticationError) as caught:
            await client.chat.completions.create(**CHAT)
    assert caught.value.code == "invalid_api_key"
    assert caught.value.status_code == 401


@pytest.mark.parametrize(
    ("token", "code"),
    [
        ({"status": 2}, "token_disabled"),
        ({"status": 3}, "token_expired"),
        ({"expired_time": int(time.time()) - 60}, "token_expired"),
        ({"status": 4}, "token_exhausted"),
        ({"unlimited_quota": False, "remain_quota": 0}, "token_exhausted"),
    ],
)
async def test_unusable_tokens_get_401(tmp_path: Path, fake: FakeUpstream,
                                       token: dict[str, Any], code: str) -> None:
    async with gateway(tmp_path, openai_channel("main", fake.url)) as gw:
        await _update_token(gw, **token)
        response = await _post(gw, {"Authorization": f"Bearer {gw.key}"})
        assert await gw.logs() == []
    relay_error(response, 401, code)
    assert fake.requests == []


async def test_a_token_that_expires_later_still_works(tmp_path: Path, fake: FakeUpstream) -> None:
    async with gateway(tmp_path, openai_channel("main", fake.url), token_quota=100_000) as gw:
        await _update_token(gw, expired_time=int(time.time()) + 3600)
        response = await _post(gw, {"Authorization": f"Bearer {gw.key}"})
    assert response.status_code == 200, response.text


async def test_token_model_limits(tmp_path: Path, fake: FakeUpstream) -> None:
    async with gateway(tmp_path, openai_channel("main", fake.url), models=["gpt-4o-mini"]) as gw:
        async with aclient(gw) as client:
            await client.chat.completions.create(**{**CHAT, "model": "gpt-4o-mini"})
            with pytest.raises(openai.PermissionDeniedError) as caught:
                await client.chat.completions.create(**CHAT)
        response = await _post(gw, {"Authorization": f"Bearer {gw.key}"})
    assert caught.value.code == "model_not_allowed"
    error = relay_error(response, 403, "model_not_allowed")
    assert "gpt-4o" in error["message"] and error["param"] == "model"
    assert len(fake.requests) == 1


async def test_ip_allow_list(tmp_path: Path, fake: FakeUpstream) -> None:
    async with gateway(tmp_path, openai_channel("main", fake.url)) as gw:
        headers = {"Authorization": f"Bearer {gw.key}"}
        await _update_token(gw, allow_ips="10.0.0.0/8")
        relay_error(await _post(gw, headers), 403, "ip_not_allowed")
        await _update_token(gw, allow_ips="10.0.0.0/8\n127.0.0.1/32")
        assert (await _post(gw, headers)).status_code == 200
        await _update_token(gw, allow_ips="127.0.0.1")
        assert (await _post(gw, headers)).status_code == 200
    assert len(fake.requests) == 2


async def test_a_disabled_user_gets_403(tmp_path: Path, fake: FakeUpstream) -> None:
    async with gateway(tmp_path, openai_channel("main", fake.url)) as gw:
        await _update_user(gw, status=2)
        response = await _post(gw, {"Authorization": f"Bearer {gw.key}"})
    relay_error(response, 403, "user_disabled")
    assert fake.requests == []


async def test_channel_pinning(tmp_path: Path, fake: FakeUpstream) -> None:
    channels = (openai_channel("top", fake.url, priority=10)
                + openai_channel("low", fake.url, '"gpt-4o"')
                + openai_channel("broken", fake.scenario_url("status=500"), '"gpt-4o"'))
    async with gateway(tmp_path, channels, models=["gpt-4o-mini"]) as gw:
        pinned = f"{gw.key}-{ch('low')}"
        # a normal user may not pin
        relay_error(await _post(gw, {"Authorization": f"Bearer {pinned}"}), 403,
                    "channel_pin_forbidden")
        await _update_user(gw, role=10)
        # an admin is pinned to that channel, past the token's model limits (relay.md §1.3)
        async with aclient(gw, key=pinned) as client:
            reply = await client.chat.completions.create(**CHAT)
        assert reply.choices[0].message.content == "echo: hi"
        assert fake.requests[-1].headers["authorization"] == "Bearer sk-upstream-low"
        # a pinned request is never retried elsewhere
        broken = await _post(gw, {"Authorization": f"Bearer {gw.key}-{ch('broken')}"})
        relay_error(broken, 500)
        # the pin may name a database channel (positive id); an unknown one is a clear error
        missing = await _post(gw, {"Authorization": f"Bearer {gw.key}-999999"})
        relay_error(missing, 400, "channel_not_found")
        [row] = await gw.logs()
    assert attempts(row) == [(ch("low"), 200)]
    assert row["channel_id"] == ch("low")
    assert len(fake.requests) == 2  # the pinned success and the pinned failure


async def test_keys_never_leak_into_answers_or_logs(tmp_path: Path, fake: FakeUpstream) -> None:
    channels = (openai_channel("main", fake.url, '"gpt-4o"')
                + openai_channel("bad", fake.url, '"gpt-4o-mini"')
                .replace('key = "sk-upstream-bad"', 'key = "bad-key"'))
    with capture_logs() as logs:
        async with gateway(tmp_path, channels, relay_extra="error_log_enabled = true") as gw:
            secret = gw.key.removeprefix("sk-")
            answers: list[str] = []
            variants = [
                {"Authorization": f"Bearer {gw.key}"},
                {"Authorization": f"Bearer {gw.key}x"},  # unknown
                {"Authorization": f"Bearer {gw.key}-{ch('main')}"},  # pin by a normal user
                {"x-api-key": secret},
            ]
            for headers in variants:
                for body in (CHAT, {**CHAT, "model": "gpt-4o-mini"}, {"model": "gpt-4o"}, b"{"):
                    async with httpx.AsyncClient(base_url=gw.url, timeout=30) as http:
                        if isinstance(body, bytes):
                            response = await http.post("/v1/chat/completions", content=body,
                                                       headers=headers)
                        else:
                            response = await http.post("/v1/chat/completions", json=body,
                                                       headers=headers)
                    answers.append(response.text + str(response.headers))
            await _update_token(gw, status=2)
            response = await _post(gw, {"Authorization": f"Bearer {gw.key}"})
            answers.append(response.text + str(response.headers))
            await gw.flush()
            from newapi.store.models import Log

            stored = [str(row) for row in await Log.all().values()]
    assert len(answers) == 17
    assert any("Incorrect API key" in a for a in answers)  # the upstream's 401 came through
    for text in [*answers, logs.text, *stored]:
        assert secret not in text
        assert "bad-key" not in text  # the channel's key is masked too
