"""Mounting ``/graphql`` without paying for strawberry at start-up.

The schema (strawberry, the domains, the generated types) takes about a second to import; the
gateway must answer its first requests sooner than that. The route is registered at once, the
schema is imported in a thread right after the server starts, and a request that arrives
earlier waits for it.
"""

from __future__ import annotations

import asyncio
import importlib
from typing import Any

from sanic import Request, Sanic
from sanic.response import HTTPResponse

__all__ = ["register_admin"]

PATH = "/graphql"


def register_admin(app: Sanic, config: Any) -> None:
    """Add the admin API at ``/graphql``; the schema loads in the background."""
    state: dict[str, Any] = {}

    async def load() -> Any:
        if "view" not in state:
            loop = asyncio.get_running_loop()
            module = await loop.run_in_executor(
                None, importlib.import_module, "newapi.admin.view"
            )
            if "view" not in state:
                state["view"] = module.build_admin_view(app, config)
        return state["view"]

    async def graphql(request: Request) -> HTTPResponse:
        view = await load()
        response: HTTPResponse = await view(request)
        return response

    app.add_route(graphql, PATH, methods=["GET", "POST"], name="admin_graphql")

    @app.after_server_start
    async def warm_admin(app: Sanic, _: Any = None) -> None:
        app.ctx.admin_warmup = asyncio.create_task(load(), name="admin-schema-warmup")

    @app.after_server_stop
    async def close_accounts(app: Sanic, _: Any = None) -> None:
        if "view" in state:  # mail still being sent, the code store's Redis connections
            from newapi.admin.accounts.services import close_services

            await close_services(app)
