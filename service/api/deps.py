"""FastAPI dependencies: the runtime, sessions, and API-key access checks (polar style)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.guard import AccessGuard, Caller
from service.auth.keys import Scope
from service.runtime import Runtime

bearer = HTTPBearer(auto_error=False, description="An API key: `Authorization: Bearer aw_...`")


def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


async def read_session(runtime: RuntimeDep) -> AsyncIterator[AsyncSession]:
    async with runtime.db.read() as session:
        yield session


async def write_session(runtime: RuntimeDep) -> AsyncIterator[AsyncSession]:
    """Commits when the handler returns, rolls back when it raises (polar)."""
    async with runtime.db.begin() as session:
        yield session


ReadSessionDep = Annotated[AsyncSession, Depends(read_session)]
WriteSessionDep = Annotated[AsyncSession, Depends(write_session)]
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


async def authorize(request: Request, credentials: HTTPAuthorizationCredentials | None,
                    needed: Scope) -> Caller | None:
    """Check the request's key for ``needed`` (see ``service.auth.guard``)."""
    guard: AccessGuard = request.app.state.guard
    runtime: Runtime = request.app.state.runtime
    client = request.client.host if request.client else "unknown"
    secret = credentials.credentials if credentials else None
    return await guard.check(runtime.db, secret, needed, client)


async def require_read(request: Request, credentials: Credentials) -> Caller | None:
    return await authorize(request, credentials, "read")


async def require_admin(request: Request, credentials: Credentials) -> Caller | None:
    return await authorize(request, credentials, "admin")


ReadAccess = Depends(require_read)
AdminAccess = Depends(require_admin)
