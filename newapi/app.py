"""The Sanic application factory: routes, error rendering and lifecycle in one place."""

from __future__ import annotations

import itertools
import logging
from typing import Any

import orjson
from sanic import Request, Sanic
from sanic.exceptions import MethodNotAllowed, NotFound, PayloadTooLarge, SanicException
from sanic.response import HTTPResponse

from newapi.admin import register_admin
from newapi.config import GatewayConfig
from newapi.errors import GatewayError, InternalError
from newapi.logsetup import quiet_secret_loggers
from newapi.relay.runtime import register_relay
from newapi.status import status_blueprint
from newapi.store import register_store
from newapi.webui import register_webui

__all__ = ["create_app", "error_body", "json_response"]

log = logging.getLogger(__name__)

_MIB = 1024 * 1024
_app_ids = itertools.count(1)

# Paths whose unknown routes answer in JSON (OpenAI's error shape) instead of the web UI.
_API_PREFIXES = ("/v1/", "/v1beta/", "/api/", "/dashboard/", "/assets/")


def json_response(
    data: Any, status: int = 200, headers: dict[str, str] | None = None
) -> HTTPResponse:
    """A JSON response serialised with orjson."""
    return HTTPResponse(
        orjson.dumps(data), status=status, headers=headers, content_type="application/json"
    )


def error_body(
    message: str, *, type_: str, code: str | None, param: str | None = None
) -> dict[str, Any]:
    """OpenAI's error body shape, used for every non-relay JSON error."""
    return {"error": {"message": message, "type": type_, "param": param, "code": code}}


def _is_api_path(path: str) -> bool:
    return path in ("/v1", "/api", "/v1beta") or path.startswith(_API_PREFIXES)


def _render_gateway_error(request: Request, exc: GatewayError) -> HTTPResponse:
    if exc.detail:
        log.warning("%s %s: %s (%s)", request.method, request.path, exc.code, exc.detail)
    type_ = "invalid_request_error" if exc.kind == "invalid_request" else f"{exc.kind}_error"
    if isinstance(exc, InternalError):
        type_ = "server_error"
    return json_response(
        error_body(exc.message, type_=type_, code=exc.code, param=exc.param), status=exc.status
    )


def _not_found(request: Request, exc: Exception) -> HTTPResponse:
    if not _is_api_path(request.path):
        index = request.app.ctx.webui_index
        if index is not None and request.method in ("GET", "HEAD"):
            return HTTPResponse(index, content_type="text/html; charset=utf-8")
    message = f"Invalid URL ({request.method} {request.path})"
    return json_response(
        error_body(message, type_="invalid_request_error", code="not_found"), status=404
    )


def _method_not_allowed(request: Request, exc: Exception) -> HTTPResponse:
    message = f"Method {request.method} is not allowed for {request.path}"
    return json_response(
        error_body(message, type_="invalid_request_error", code="method_not_allowed"), status=405
    )


def _too_large(request: Request, exc: Exception) -> HTTPResponse:
    limit = request.app.config.REQUEST_MAX_SIZE // _MIB
    message = f"Request body is larger than the limit of {limit} MiB (MAX_REQUEST_BODY_MB)"
    return json_response(
        error_body(message, type_="invalid_request_error", code="request_body_too_large"),
        status=413,
    )


def _sanic_error(request: Request, exc: SanicException) -> HTTPResponse:
    status = exc.status_code or 500
    if status >= 500:
        log.error("%s %s failed", request.method, request.path, exc_info=exc)
        return _unexpected(request, exc)
    return json_response(
        error_body(str(exc) or "Bad request", type_="invalid_request_error", code="bad_request"),
        status=status,
    )


def _unexpected(request: Request, exc: Exception) -> HTTPResponse:
    if not isinstance(exc, SanicException):
        log.error("%s %s failed", request.method, request.path, exc_info=exc)
    return json_response(
        error_body("Internal server error", type_="server_error", code="internal_error"),
        status=500,
    )


def create_app(config: GatewayConfig, *, name: str | None = None) -> Sanic:
    """Build the gateway application for ``config``.

    Args:
        config: the loaded, immutable gateway configuration.
        name: Sanic app name; unique per process (tests build several apps).
    """
    quiet_secret_loggers()
    app = Sanic(name or f"newapi{next(_app_ids)}")
    app.config.ACCESS_LOG = False
    app.config.REQUEST_MAX_SIZE = config.relay.max_request_body_mb * _MIB
    # Streams may run for many minutes; the relay enforces its own idle timeout.
    app.config.RESPONSE_TIMEOUT = 24 * 3600
    app.config.KEEP_ALIVE_TIMEOUT = 75
    app.config.FALLBACK_ERROR_FORMAT = "json"
    app.ctx.config = config

    register_store(app, config.database.url)
    app.blueprint(status_blueprint)
    register_relay(app, config)
    register_admin(app, config)
    register_webui(app)

    app.error_handler.add(GatewayError, _render_gateway_error)
    app.error_handler.add(NotFound, _not_found)
    app.error_handler.add(MethodNotAllowed, _method_not_allowed)
    app.error_handler.add(PayloadTooLarge, _too_large)
    app.error_handler.add(SanicException, _sanic_error)
    app.error_handler.add(Exception, _unexpected)
    return app
