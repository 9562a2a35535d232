"""Request ids, access logs, latency metrics and body limits, as one pure ASGI middleware.

Pure ASGI rather than Starlette's BaseHTTPMiddleware: it adds microseconds, not a task
per request, which matters on the hot ``GET /v1/index`` path. Every request gets an id
(the caller's ``X-Request-ID`` when it is sane, else a new one) that is bound to every log
line of the request and returned in the response.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from typing import Any

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.errors import PROBLEM_BASE, PROBLEM_MEDIA_TYPE
from service.metrics import Metrics

log = structlog.get_logger("service.access")
_SANE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class _TooLarge(Exception):
    pass


class RequestObserver:
    def __init__(self, app: ASGIApp, *, metrics_of: Any, max_body: int) -> None:
        self.app = app
        self._metrics_of = metrics_of  # callable returning Metrics | None (runtime starts later)
        self._max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        incoming = headers.get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if _SANE_ID.match(incoming) else uuid.uuid4().hex
        started = time.perf_counter()
        status = 500
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self._max_body:
            await self._too_large(scope, send, request_id)
            return
        seen = 0

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self._max_body:
                    raise _TooLarge
            return message

        async def tagged_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []),
                                      (b"x-request-id", request_id.encode())]
            await send(message)

        structlog.contextvars.bind_contextvars(request_id=request_id)
        try:
            await self.app(scope, limited_receive, tagged_send)
        except _TooLarge:
            status = 413
            await self._too_large(scope, send, request_id)
        finally:
            elapsed = time.perf_counter() - started
            route = scope.get("route")
            template = getattr(route, "path", "unmatched")
            metrics: Metrics | None = self._metrics_of()
            if metrics is not None:
                metrics.requests.labels(scope["method"], template, str(status)).observe(elapsed)
            log.info("request", method=scope["method"], path=scope["path"], route=template,
                     status=status, duration_ms=round(elapsed * 1000, 2),
                     client=(scope.get("client") or ("?",))[0])
            structlog.contextvars.unbind_contextvars("request_id")

    async def _too_large(self, scope: Scope, send: Send, request_id: str) -> None:
        body = json.dumps({"type": PROBLEM_BASE + "payload-too-large", "title": "Request body too large",
                           "status": 413, "detail": f"bodies are limited to {self._max_body} bytes",
                           "instance": scope["path"]}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", PROBLEM_MEDIA_TYPE.encode()),
                                (b"content-length", str(len(body)).encode()),
                                (b"x-request-id", request_id.encode())]})
        await send({"type": "http.response.body", "body": body})
