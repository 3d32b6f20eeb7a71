"""Test doubles served over real HTTP: the fake upstream that speaks providers' wire formats.

Names are imported lazily so ``python -m newapi.testing.fake_upstream`` runs cleanly.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newapi.testing.fake_upstream import (
        DEFAULT_MODELS,
        WIRES,
        FakeUpstream,
        create_fake_upstream,
        start_fake_upstream,
    )
    from newapi.testing.recorder import RecordedRequest
    from newapi.testing.scenario import Scenario, ScenarioError, parse_scenario
    from newapi.testing.wire import Call, Denial, Route, Wire

__all__ = [
    "DEFAULT_MODELS",
    "WIRES",
    "Call",
    "Denial",
    "FakeUpstream",
    "RecordedRequest",
    "Route",
    "Scenario",
    "ScenarioError",
    "Wire",
    "create_fake_upstream",
    "parse_scenario",
    "start_fake_upstream",
]

_HOMES = {
    "DEFAULT_MODELS": "fake_upstream",
    "WIRES": "fake_upstream",
    "FakeUpstream": "fake_upstream",
    "create_fake_upstream": "fake_upstream",
    "start_fake_upstream": "fake_upstream",
    "RecordedRequest": "recorder",
    "Scenario": "scenario",
    "ScenarioError": "scenario",
    "parse_scenario": "scenario",
    "Call": "wire",
    "Denial": "wire",
    "Route": "wire",
    "Wire": "wire",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'newapi.testing' has no attribute {name!r}")
    return getattr(importlib.import_module(f"newapi.testing.{home}"), name)
