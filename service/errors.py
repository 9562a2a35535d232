"""Errors the API can answer with, and their rendering as RFC 9457 problem details.

    ServiceError (500, internal)
    ├── BadRequest (400)            ── InvalidCursor, InvalidFilter
    ├── Unauthorized (401)          ── missing or unknown API key
    ├── Forbidden (403)             ── key lacks the scope
    ├── NotFound (404)              ── FeedNotFound, ItemNotFound, ...
    ├── Conflict (409)
    ├── PayloadTooLarge (413)
    ├── RateLimited (429)           ── carries Retry-After
    └── Unavailable (503)           ── not ready (migrations pending, database down)

Services raise these, never ``HTTPException`` (polar). Every response carries a stable
``type`` URI so clients can branch on it; no stack trace ever reaches a client.
"""

from __future__ import annotations

from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

log = structlog.get_logger(__name__)

PROBLEM_BASE = "https://alignwatch.dev/problems/"
PROBLEM_MEDIA_TYPE = "application/problem+json"


class ServiceError(Exception):
    status = 500
    code = "internal"
    title = "Internal error"

    def __init__(self, detail: str | None = None, **extra: Any) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.extra = extra
        self.headers: dict[str, str] = {}


class BadRequest(ServiceError):
    status, code, title = 400, "bad-request", "Bad request"


class InvalidCursor(BadRequest):
    code, title = "invalid-cursor", "Invalid pagination cursor"


class InvalidFilter(BadRequest):
    code, title = "invalid-filter", "Invalid filter"


class Unauthorized(ServiceError):
    status, code, title = 401, "unauthorized", "Authentication required"

    def __init__(self, detail: str | None = None, **extra: Any) -> None:
        super().__init__(detail, **extra)
        self.headers["WWW-Authenticate"] = 'Bearer realm="alignwatch"'


class Forbidden(ServiceError):
    status, code, title = 403, "forbidden", "Not allowed with this key"


class NotFound(ServiceError):
    status, code, title = 404, "not-found", "Not found"


class FeedNotFound(NotFound):
    code, title = "feed-not-found", "Feed not found"


class ItemNotFound(NotFound):
    code, title = "item-not-found", "Item not found"


class Conflict(ServiceError):
    status, code, title = 409, "conflict", "Conflict"


class PayloadTooLarge(ServiceError):
    status, code, title = 413, "payload-too-large", "Request body too large"


class RateLimited(ServiceError):
    status, code, title = 429, "rate-limited", "Too many requests"

    def __init__(self, retry_after: int, detail: str | None = None) -> None:
        super().__init__(detail, retry_after=retry_after)
        self.headers["Retry-After"] = str(retry_after)


class Unavailable(ServiceError):
    status, code, title = 503, "unavailable", "Service unavailable"


def problem(
    status: int, code: str, title: str, detail: str, instance: str, **extra: Any
) -> dict[str, Any]:
    return {"type": PROBLEM_BASE + code, "title": title, "status": status,
            "detail": detail, "instance": instance, **extra}


def _response(body: dict[str, Any], headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(body, status_code=int(body["status"]), headers=headers,
                        media_type=PROBLEM_MEDIA_TYPE)


async def _service_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ServiceError)
    body = problem(exc.status, exc.code, exc.title, exc.detail, request.url.path, **exc.extra)
    return _response(body, exc.headers)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {"field": ".".join(str(part) for part in err.get("loc", ())), "message": err.get("msg", ""),
         "type": err.get("type", "")}
        for err in exc.errors()
    ]
    body = problem(422, "validation", "Invalid request",
                   f"{len(errors)} field(s) failed validation", request.url.path, errors=errors)
    return _response(body)


_HTTP_CODES = {404: "not-found", 405: "method-not-allowed", 401: "unauthorized",
               403: "forbidden", 413: "payload-too-large", 406: "not-acceptable"}


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = _HTTP_CODES.get(exc.status_code, "http-error")
    title = str(exc.detail) if exc.detail else "HTTP error"
    body = problem(exc.status_code, code, title, title, request.url.path)
    return _response(body, dict(exc.headers or {}))


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled_error", path=request.url.path, error_type=type(exc).__name__)
    body = problem(500, "internal", "Internal error",
                   "The server failed to answer; the error has been logged.", request.url.path)
    return _response(body)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ServiceError, _service_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
