"""Access control for the admin API: permission classes, the denial error, and error codes.

Every root field that is not public carries one of the permission classes below. A denial is
a GraphQL error with ``extensions.code``; cookie-authenticated mutations also need the CSRF
header. ``AdminSchema.process_errors`` gives every other error its code and hides internal
messages.
"""

from __future__ import annotations

import logging
from typing import Any

from strawberry import Schema
from strawberry.permission import BasePermission
from strawberry.types import Info

from graphql import GraphQLError, OperationType
from newapi.auth.permissions import ROLE_ADMIN, ROLE_ROOT
from newapi.auth.sessions import CSRF_HEADER
from newapi.errors import GatewayError, InvalidRequestError, StoreError

__all__ = [
    "PUBLIC",
    "AdminSchema",
    "Denied",
    "IsAdmin",
    "IsAuthenticated",
    "IsRoot",
]

log = logging.getLogger(__name__)

# Root fields anyone may call (tests check that every other root field has a permission).
PUBLIC = frozenset({"setupStatus", "login", "siteInfo", "setup"})
PUBLIC |= {"register", "sendVerificationCode", "resetPassword", "loginTwoFactor"}


class Denied(Exception):
    """A refusal the client should see, with a stable code in ``extensions.code``."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.extensions = {"code": code}


def _check_csrf(info: Info[Any, Any]) -> None:
    context = info.context
    if info.operation.operation != OperationType.MUTATION or context.via != "session":
        return
    if not context.csrf_ok:
        raise Denied(f"missing or wrong {CSRF_HEADER} header", "csrf_failed")


class IsAuthenticated(BasePermission):
    """A signed-in user (session cookie or personal access token)."""

    message = "login required"
    error_extensions = {"code": "unauthenticated"}  # noqa: RUF012 (strawberry's attribute)
    min_role = 0
    denied_message = ""

    def has_permission(self, source: Any, info: Info[Any, Any], **kwargs: Any) -> bool:
        user = info.context.user
        if user is None:
            return False
        _check_csrf(info)
        if user.role < self.min_role:
            raise Denied(self.denied_message, "forbidden")
        return True


class IsAdmin(IsAuthenticated):
    """An admin (role 10) or root."""

    min_role = ROLE_ADMIN
    denied_message = "admin only"


class IsRoot(IsAuthenticated):
    """The root user (role 100)."""

    min_role = ROLE_ROOT
    denied_message = "root only"


def _code(error: GraphQLError) -> tuple[str, bool]:
    """The error's code and whether it was expected (no traceback in the log)."""
    original = error.original_error
    if original is None:
        return "bad_query", True
    if isinstance(original, GatewayError):
        if isinstance(original, InvalidRequestError | StoreError) or original.status < 500:
            return original.code, True
        return original.code, False
    extensions = getattr(original, "extensions", None)
    if isinstance(extensions, dict) and "code" in extensions:
        return str(extensions["code"]), True
    return "internal_error", False


class AdminSchema(Schema):
    """The strawberry schema, giving every error an ``extensions.code``."""

    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        for error in errors:
            code, expected = _code(error)
            if not expected:
                log.error("admin API error", exc_info=error.original_error)
                error.message = "Internal server error"
            elif isinstance(error.original_error, GatewayError) and error.original_error.detail:
                log.warning("admin API: %s (%s)", code, error.original_error.detail)
            error.extensions = {**(error.extensions or {}), "code": code}
