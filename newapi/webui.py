"""Serving the built admin UI (``newapi/ui_dist``, made by ``make ui``) at ``/``."""

from __future__ import annotations

import logging
from pathlib import Path

from sanic import Request, Sanic
from sanic.response import HTTPResponse

__all__ = ["UI_DIST", "register_webui"]

log = logging.getLogger(__name__)

UI_DIST = Path(__file__).resolve().parent / "ui_dist"

_MISSING_UI = b"""<!doctype html><meta charset="utf-8"><title>newapi</title>
<p>newapi is running. The web UI has not been built: run <code>make ui</code>.</p>
<p>Status: <a href="/api/status">/api/status</a></p>
"""


def register_webui(app: Sanic, dist: Path = UI_DIST) -> None:
    """Serve ``index.html`` at ``/`` and the hashed assets under ``/assets``.

    Unknown non-API paths fall back to ``index.html`` (the app's error handler does that, so
    that client-side routes survive a reload); ``app.ctx.webui_index`` holds its bytes.
    """
    index_file = dist / "index.html"
    index = index_file.read_bytes() if index_file.is_file() else None
    if index is None:
        log.info("web UI not built (%s missing); serving a placeholder page", index_file)
    app.ctx.webui_index = index
    page = index if index is not None else _MISSING_UI

    async def root(request: Request) -> HTTPResponse:
        return HTTPResponse(page, content_type="text/html; charset=utf-8")

    app.add_route(root, "/", methods=["GET", "HEAD"], name="webui_index")
    assets = dist / "assets"
    if assets.is_dir():
        app.static("/assets", assets, name="webui_assets")
    for extra in sorted(dist.glob("*")):
        if extra.is_file() and extra.name != "index.html":
            app.static(f"/{extra.name}", extra, name=f"webui_{extra.stem}_{extra.suffix[1:]}")
