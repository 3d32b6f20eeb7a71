"""Every relay route that can cost quota goes through the one metering hook."""

from __future__ import annotations

from newapi.app import create_app
from newapi.config import load_config
from newapi.relay.routes import RELAY_PREFIXES

# Routes under a relay prefix that cost nothing: they only read the key's own state (or count
# tokens locally). A POST on the same path as a free GET (Gemini's models/<model>:action) is
# still checked.
FREE = {
    ("GET", "/v1/models"),
    ("GET", "/v1/models/<model:path>"),
    ("GET", "/v1/dashboard/billing/subscription"),
    ("GET", "/v1/dashboard/billing/usage"),
    ("GET", "/v1beta/models"),
    ("GET", "/v1beta/models/<model:path>"),
    ("POST", "/v1/messages/count_tokens"),  # answered locally with the tokenizer
}


def test_every_billable_relay_route_is_metered() -> None:
    app = create_app(load_config(None, {}), name="metering-hook-check")
    checked = 0
    for route in app.router.routes:
        path = "/" + route.path.lstrip("/")
        if not path.startswith(RELAY_PREFIXES) or route.methods <= {
            method for method, free in FREE if free == path
        } | {"HEAD", "OPTIONS"}:
            continue
        handler = route.handler
        assert getattr(handler, "metered", False), (
            f"{sorted(route.methods)} {path} does not go through newapi.relay.routes.metered"
        )
        checked += 1
    assert checked >= 8  # the 4 OpenAI routes, messages, responses, Gemini (v1beta, v1)
