"""Every relay route that can cost quota goes through the one metering hook."""

from __future__ import annotations

from newapi.app import create_app
from newapi.config import load_config
from newapi.relay.routes import RELAY_PREFIXES

# Routes under a relay prefix that cost nothing: they only read the key's own state.
FREE = {
    "/v1/models",
    "/v1/models/<model:path>",
    "/v1/dashboard/billing/subscription",
    "/v1/dashboard/billing/usage",
}


def test_every_billable_relay_route_is_metered() -> None:
    app = create_app(load_config(None, {}), name="metering-hook-check")
    checked = 0
    for route in app.router.routes:
        path = "/" + route.path.lstrip("/")
        if not path.startswith(RELAY_PREFIXES) or path in FREE:
            continue
        handler = route.handler
        assert getattr(handler, "metered", False), (
            f"{sorted(route.methods)} {path} does not go through newapi.relay.routes.metered"
        )
        checked += 1
    assert checked >= 4  # chat, completions, embeddings, moderations at least
