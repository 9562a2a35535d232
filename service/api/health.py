"""Liveness and readiness probes (Kubernetes and Docker HEALTHCHECK style)."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import text

from service.api.deps import RuntimeDep
from service.db import migrate
from service.errors import Unavailable

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="Liveness: the process answers")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", summary="Readiness: database reachable and fully migrated",
            responses={503: {"description": "not ready"}})
async def readyz(runtime: RuntimeDep) -> dict[str, str]:
    try:
        async with runtime.db.read() as session:
            await session.execute(text("SELECT 1"))
        up_to_date = await migrate.is_up_to_date(runtime.db.read_engine)
    except Exception as exc:
        raise Unavailable(f"database unreachable: {type(exc).__name__}") from exc
    if not up_to_date:
        raise Unavailable("database migrations are pending; run `alignwatch db upgrade`")
    return {"status": "ready"}
