"""Conformance matrix: 4 client formats × 4 upstream formats × the scenarios.

For each cell the client's request is decoded and re-encoded for the upstream, and the
upstream's answer is decoded and re-encoded for the client; independent views of the wire
bodies check what must survive (text, system, tool calls paired with their results, images,
stop sequences, limits, stop reasons, usage including cached tokens).
"""

from __future__ import annotations

import itertools
from typing import Any

import orjson
import pytest

from newapi.relay.canonical import ImageBlock, TextBlock, ToolResultBlock, ToolUseBlock
from newapi.relay.formats.gemini.request import MAX_STOP_SEQUENCES
from newapi.relay.formats.hub import HUB_CODECS
from tests.formats.scenarios import SCENARIOS, Scenario
from tests.formats.views import request_view, response_view

FORMATS = list(HUB_CODECS)
CELLS = [
    pytest.param(client, upstream, scenario, id=f"{client}->{upstream}-{scenario.name}")
    for scenario in SCENARIOS
    for client in FORMATS
    for upstream in FORMATS
]


def client_request(client: str, scenario: Scenario) -> dict[str, Any]:
    """The scenario's request as the client would send it."""
    return HUB_CODECS[client].encode_request(scenario.request, "client-model")


def decode_client(client: str, body: dict[str, Any]) -> Any:
    kw = {"model": "client-model"} if client == "gemini" else {}
    return HUB_CODECS[client].decode_request(body, **kw)


def _expected_texts(scenario: Scenario) -> list[str]:
    return [
        b.text
        for m in scenario.request.messages
        for b in m.content
        if isinstance(b, TextBlock) and b.text
    ]


def _expected_stop(client: str, upstream: str, scenario: Scenario) -> list[str]:
    stop = list(scenario.request.stop)
    for fmt in (client, upstream):
        if fmt == "gemini":
            stop = stop[:MAX_STOP_SEQUENCES]
        if fmt == "openai_responses":
            stop = []
        if fmt == "openai_chat":
            stop = stop[:4]
    return stop


@pytest.mark.parametrize(("client", "upstream", "scenario"), CELLS)
def test_request_conversion(client: str, upstream: str, scenario: Scenario) -> None:
    hub = decode_client(client, client_request(client, scenario))
    body = HUB_CODECS[upstream].encode_request(hub, "upstream-model")
    view = request_view(upstream, body)
    if upstream != "gemini":
        assert body["model"] == "upstream-model"
    assert view["system"] == "".join(b.text for b in scenario.request.system)
    assert view["texts"] == _expected_texts(scenario)
    images = sum(isinstance(b, ImageBlock) for m in scenario.request.messages for b in m.content)
    assert view["images"] == images
    calls = [b for m in scenario.request.messages for b in m.content if isinstance(b, ToolUseBlock)]
    assert [(name, args) for _, name, args in view["calls"]] == [
        (c.name, orjson.loads(c.arguments)) for c in calls
    ]
    # every tool result references a call made earlier (by id, or by name for Gemini)
    refs = {ref for ref, _, _ in view["calls"]}
    results = [
        b for m in scenario.request.messages for b in m.content if isinstance(b, ToolResultBlock)
    ]
    assert [text for _, text in view["results"]] == [r.text for r in results]
    assert all(ref in refs for ref, _ in view["results"])
    if client != "gemini" and upstream != "gemini":
        assert [ref for ref, _, _ in view["calls"]] == [c.id for c in calls]
    assert view["tools"] == [t.name for t in scenario.request.tools]
    assert view["stop"] == _expected_stop(client, upstream, scenario)
    expected_max = scenario.request.max_tokens
    if expected_max is None and "anthropic_messages" in (client, upstream):
        expected_max = 8192  # Claude requires max_tokens; the default fills it
    assert view["max_tokens"] == expected_max
    if upstream == "anthropic_messages":
        roles = view["roles"]
        assert roles[0] == "user"
        assert all(a != b for a, b in itertools.pairwise(roles)), roles


@pytest.mark.parametrize(("client", "upstream", "scenario"), CELLS)
def test_response_conversion(client: str, upstream: str, scenario: Scenario) -> None:
    upstream_body = HUB_CODECS[upstream].encode_response(scenario.response, model="upstream-model")
    hub = HUB_CODECS[upstream].decode_response(upstream_body)
    body = HUB_CODECS[client].encode_response(hub, model="client-model")
    view = response_view(client, body)
    expected_text = "".join(b.text for b in scenario.response.content if isinstance(b, TextBlock))
    assert view["text"] == expected_text
    calls = [b for b in scenario.response.content if isinstance(b, ToolUseBlock)]
    assert [(name, args) for _, name, args in view["calls"]] == [
        (c.name, orjson.loads(c.arguments)) for c in calls
    ]
    ids = [ref for ref, _, _ in view["calls"]]
    assert len(set(ids)) == len(ids) and all(ids)
    if client != "gemini" and upstream != "gemini":
        assert ids == [c.id for c in calls]
    stop = scenario.response.stop_reason.value
    assert view["stop"] == stop
    usage = scenario.response.usage
    assert view["usage"] == (usage.prompt_tokens, usage.completion_tokens, usage.cached_tokens)
    if client == "gemini":
        assert body["modelVersion"] == "client-model"
    else:
        assert body["model"] == "client-model"
