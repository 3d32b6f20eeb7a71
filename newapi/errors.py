"""The one error hierarchy of newapi.

Every failure that crosses a package boundary is a ``GatewayError``. Class attributes say how
the error behaves; instances carry a client-safe ``message``, an optional ``param`` and an
internal ``detail`` that is logged but never sent to a client.

    GatewayError
    ├── ConfigError                 gateway.toml (or the environment) is not valid
    ├── InvalidRequestError         400  the client's request is malformed
    │   └── BodyTooLargeError       413
    ├── AuthenticationError         401  no key, unknown key, expired/disabled/exhausted key
    ├── PermissionDeniedError       403  model, IP, group or role not allowed
    ├── QuotaError                  403  not enough quota for the request
    ├── NotFoundError               404  unknown route or object
    ├── RateLimitError              429
    ├── UpstreamError               502  the upstream answered with an error
    ├── UpstreamTimeoutError        504  the upstream did not answer in time
    ├── UnavailableError            503  no channel can serve the request right now
    │   └── PriceMissingError            the model has no price and is not marked free
    ├── StoreError                  503  the database is unreachable or behind
    │   └── SchemaBehindError            the database schema needs ``newapi db migrate``
    └── InternalError               500  a bug; the detail goes to the log only

This module imports nothing from sanic, tortoise, redis or httpx.
"""

from __future__ import annotations

from typing import ClassVar

__all__ = [
    "AuthenticationError",
    "BodyTooLargeError",
    "ConfigError",
    "GatewayError",
    "InternalError",
    "InvalidRequestError",
    "NotFoundError",
    "PermissionDeniedError",
    "PriceMissingError",
    "QuotaError",
    "RateLimitError",
    "SchemaBehindError",
    "StoreError",
    "UnavailableError",
    "UpstreamError",
    "UpstreamTimeoutError",
]


class GatewayError(Exception):
    """Base of every error newapi raises across a package boundary.

    Attributes:
        status: HTTP status a client sees.
        code: stable, unique snake_case code (listed in docs/errors.md).
        kind: one of invalid_request, authentication, permission, not_found, rate_limit,
            quota, upstream, timeout, unavailable, internal, config.
        retryable: another channel may succeed where this attempt failed.
        provider_fault: counts against the channel's health.
        quiet: logged without a traceback.
    """

    status: ClassVar[int] = 500
    code: ClassVar[str] = "internal_error"
    kind: ClassVar[str] = "internal"
    retryable: ClassVar[bool] = False
    provider_fault: ClassVar[bool] = False
    quiet: ClassVar[bool] = True

    def __init__(
        self,
        message: str,
        *,
        param: str | None = None,
        detail: str | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.param = param
        self.detail = detail
        if code is not None:
            self.code = code  # type: ignore[misc]  # instance override of the class default

    def __str__(self) -> str:
        return self.message


class ConfigError(GatewayError):
    """The configuration is not valid; ``problems`` holds one line per problem."""

    code = "config_invalid"
    kind = "config"

    def __init__(self, problems: list[str], *, source: str = "gateway.toml") -> None:
        self.problems = list(problems)
        self.source = source
        count = len(self.problems)
        head = f"{source}: {count} problem{'s' if count != 1 else ''}"
        super().__init__("\n".join([head, *self.problems]))


class InvalidRequestError(GatewayError):
    """The client's request is malformed or names something that cannot be served."""

    status = 400
    code = "invalid_request"
    kind = "invalid_request"


class BodyTooLargeError(InvalidRequestError):
    """The request body is larger than the configured limit."""

    status = 413
    code = "request_body_too_large"


class AuthenticationError(GatewayError):
    """The API key or session is missing, unknown, expired, disabled or exhausted."""

    status = 401
    code = "invalid_api_key"
    kind = "authentication"


class PermissionDeniedError(GatewayError):
    """The caller is known but may not do this (model, IP, group or role)."""

    status = 403
    code = "permission_denied"
    kind = "permission"


class QuotaError(GatewayError):
    """The user or token does not have enough quota for the request."""

    status = 403
    code = "insufficient_user_quota"
    kind = "quota"


class NotFoundError(GatewayError):
    """The route or object does not exist."""

    status = 404
    code = "not_found"
    kind = "not_found"


class RateLimitError(GatewayError):
    """Too many requests in the current window."""

    status = 429
    code = "rate_limited"
    kind = "rate_limit"
    retryable = True


class UpstreamError(GatewayError):
    """The upstream answered with an error status or an unusable body."""

    status = 502
    code = "upstream_error"
    kind = "upstream"
    retryable = True
    provider_fault = True

    def __init__(
        self,
        message: str,
        *,
        upstream_status: int | None = None,
        upstream_body: object = None,
        upstream_type: str | None = None,
        param: str | None = None,
        detail: str | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message, param=param, detail=detail, code=code)
        self.upstream_status = upstream_status
        self.upstream_body = upstream_body
        self.upstream_type = upstream_type


class UpstreamTimeoutError(UpstreamError):
    """The upstream did not answer (or went silent) within the timeout."""

    status = 504
    code = "upstream_timeout"
    kind = "timeout"


class UnavailableError(GatewayError):
    """No channel can serve the request right now."""

    status = 503
    code = "service_unavailable"
    kind = "unavailable"


class PriceMissingError(UnavailableError):
    """The requested model has no price; the operator must add one (or mark it free)."""

    code = "model_price_error"
    quiet = False


class StoreError(GatewayError):
    """The database cannot be used."""

    status = 503
    code = "database_unavailable"
    kind = "unavailable"


class SchemaBehindError(StoreError):
    """The database schema is older than this build expects."""

    code = "database_schema_behind"


class InternalError(GatewayError):
    """A bug. The client sees a generic message; the detail is logged."""

    code = "internal_error"
    quiet = False
