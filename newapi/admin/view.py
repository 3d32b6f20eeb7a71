"""Mount the schema at ``/graphql`` on the Sanic app (queries over GET or POST)."""

from __future__ import annotations

from typing import Any

from sanic import Request, Sanic
from strawberry.http.temporal_response import TemporalResponse
from strawberry.sanic.views import GraphQLView

from newapi.admin.context import AdminContext, build_context
from newapi.admin.schema import schema
from newapi.auth.sessions import LoginLimiter, SessionSigner

__all__ = ["build_admin_view"]


class AdminView(GraphQLView):  # type: ignore[type-arg]  # strawberry's generics
    async def get_context(  # type: ignore[override]  # a typed context instead of a dict
        self, request: Request, response: TemporalResponse
    ) -> AdminContext:
        return await build_context(request, response)


def build_admin_view(app: Sanic, config: Any) -> Any:
    """The GraphQL view; sessions are signed with ``config.security.session_secret``."""
    app.ctx.admin_signer = SessionSigner(config.security.session_secret)
    app.ctx.login_limiter = LoginLimiter()
    # Failed redeem attempts per user id and IP (docs/billing.md, "Redemption codes").
    app.ctx.redeem_limiter = LoginLimiter(per_ip=30, per_username=10, window_s=600.0)
    return AdminView.as_view(
        schema=schema, graphql_ide=None, subscription_protocols=("multipart-subscription",)
    )
