"""Serve the dashboard page at ``/`` and its assets under ``/static/``, all from the package.

The issue asks for a dashboard that works offline and behind a firewall, so nothing comes
from a CDN: uPlot is vendored under ``static/vendor/uplot/``. The page reads the public API
only, like any other client, so these routes carry no data and need no key; the
Content-Security-Policy lets the page load and call nothing but this origin.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response
from starlette.staticfiles import StaticFiles

STATIC_DIR = Path(__file__).resolve().parent / "static"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    # Revalidate (ETag / Last-Modified) on every load, so an upgrade shows at once.
    "Cache-Control": "no-cache",
}

# Inline rather than a file: package data ships *.html, *.js and *.css, not *.svg.
FAVICON = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" '
           b'rx="6" fill="#1d4ed8"/><path d="M5 22 L12 14 L18 18 L27 8" fill="none" stroke="#fff" '
           b'stroke-width="3" stroke-linecap="round" stroke-linejoin="round"/></svg>')

router = APIRouter(include_in_schema=False)
static_files = StaticFiles(directory=STATIC_DIR)


@router.api_route("/", methods=["GET", "HEAD"], include_in_schema=False)
async def dashboard_page() -> FileResponse:
    return FileResponse(STATIC_DIR / "index.html", media_type="text/html; charset=utf-8",
                        headers=SECURITY_HEADERS)


@router.api_route("/static/{path:path}", methods=["GET", "HEAD"], include_in_schema=False)
async def dashboard_asset(path: str, request: Request) -> Response:
    """One asset via Starlette's StaticFiles (ETag, 304, range, no path escape).

    A route rather than a mount, so that ``include_router`` carries it on every FastAPI
    version the project allows.
    """
    response = await static_files.get_response(path, request.scope)
    response.headers.update(SECURITY_HEADERS)
    return response


@router.get("/favicon.svg", include_in_schema=False)
async def dashboard_icon() -> Response:
    return Response(FAVICON, media_type="image/svg+xml",
                    headers={**SECURITY_HEADERS, "Cache-Control": "max-age=86400"})
