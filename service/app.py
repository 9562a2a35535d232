"""The FastAPI application and its lifespan: runtime, feeds.yml reload, scheduler.

``create_app`` builds everything from one ``Settings``; nothing lives at module level
(polar), so tests and replicas each get their own engine, client and scheduler.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import structlog
from fastapi import FastAPI, Response
from sqlalchemy.exc import DBAPIError

from service import __version__
from service.api import alerts, feeds, health, index, items, ops, subscriptions
from service.api.openapi import install_openapi
from service.auth.guard import AccessGuard
from service.config import Settings
from service.dashboard import routes as dashboard
from service.demo import demo_feed_bytes
from service.errors import NotFound, install_error_handlers
from service.index.service import bring_up_to_date
from service.observe import RequestObserver
from service.runtime import open_runtime
from service.scheduler import JobRunner

log = structlog.get_logger(__name__)

DESCRIPTION = """
alignwatch watches whether two allies' economic-security policies are moving together or
apart. It polls government and think-tank feeds, classifies each item, and keeps a
running alignment index per country pair.

Reads need an API key with the `read` scope (unless the server runs with
`ALIGNWATCH_PUBLIC_READ=true`); writes need the `admin` scope. Send keys as
`Authorization: Bearer <key>`. Errors are RFC 9457 problem details. Times are ISO 8601 UTC.
"""


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    async with open_runtime(settings) as runtime:
        app.state.runtime = runtime
        app.state.guard = AccessGuard(settings, runtime.metrics)
        await _with_retries("feeds.yml sync", lambda: runtime.reloader.reload("start-up"))
        await _with_retries("index catch-up",
                            lambda: bring_up_to_date(runtime.db, settings, runtime.reloader.pairs()))
        background: list[asyncio.Task[object]] = []
        if settings.feeds_watch:
            background.append(asyncio.create_task(runtime.reloader.watch()))
        loop = asyncio.get_running_loop()
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(
                signal.SIGHUP,
                lambda: background.append(asyncio.create_task(runtime.reloader.reload("SIGHUP"))),
            )
        runner = JobRunner(runtime)
        if settings.scheduler_enabled:
            runner.start()
        log.info("service_started", version=__version__, instance=settings.instance_id,
                 database=runtime.db.dialect, demo=settings.demo)
        try:
            yield
        finally:
            log.info("service_stopping", instance=settings.instance_id)
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.remove_signal_handler(signal.SIGHUP)
            await runner.stop()
            for task in background:
                task.cancel()
            await asyncio.gather(*background, return_exceptions=True)


async def _with_retries(what: str, step: Callable[[], Awaitable[object]], attempts: int = 5) -> None:
    """Start-up work that other replicas may contend with (locks, a deadlock victim, a
    database restart) is retried with backoff instead of failing the process."""
    for attempt in range(1, attempts + 1):
        try:
            await step()
            return
        except DBAPIError as exc:
            if attempt == attempts:
                raise
            log.warning("startup_step_retrying", step=what, attempt=attempt,
                        error=type(exc.orig).__name__ if exc.orig else type(exc).__name__)
            await asyncio.sleep(min(30.0, 0.5 * 2**attempt))


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    app = FastAPI(
        title="alignwatch",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        openapi_url="/openapi.json",
        docs_url="/docs",
        redoc_url=None,
    )
    app.state.settings = settings
    install_error_handlers(app)
    install_openapi(app)
    app.add_middleware(RequestObserver,
                       metrics_of=lambda: getattr(getattr(app.state, "runtime", None), "metrics", None),
                       max_body=settings.api_max_body_bytes)
    app.include_router(health.router)
    app.include_router(index.router)  # early: GET /v1/index is the hot path, routes match in order
    app.include_router(feeds.router)
    app.include_router(items.router)
    app.include_router(alerts.router)
    app.include_router(subscriptions.router)
    app.include_router(dashboard.router)
    app.include_router(ops.router)
    if settings.demo:
        _add_demo_routes(app)
    return app


def _add_demo_routes(app: FastAPI) -> None:
    @app.get("/demo/feeds/{name}", include_in_schema=False)
    async def demo_feed(name: str) -> Response:
        body = demo_feed_bytes(name)
        if body is None:
            raise NotFound(f"no demo feed named {name!r}")
        media = "application/rdf+xml" if name.endswith(".rdf") else "application/xml"
        return Response(body, media_type=media, headers={"Cache-Control": "max-age=60"})
