"""The GraphQL admin API at ``/graphql``: schema, sessions, permissions and the domains."""

from __future__ import annotations

from newapi.admin.mount import register_admin

__all__ = ["register_admin"]
