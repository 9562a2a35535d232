"""FastAPI dependencies: the runtime, sessions, and API-key access checks (polar style)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth import service as auth_service
from service.auth.keys import Scope, scope_allows
from service.config import Settings
from service.db.models import ApiKey
from service.errors import Forbidden, Unauthorized
from service.runtime import Runtime

bearer = HTTPBearer(auto_error=False, description="An API key: `Authorization: Bearer aw_...`")


def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def get_settings(runtime: RuntimeDep) -> Settings:
    return runtime.settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


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


async def _authorize(runtime: Runtime, credentials: HTTPAuthorizationCredentials | None,
                     needed: Scope) -> ApiKey | None:
    if needed == "read" and runtime.settings.public_read:
        return None
    if credentials is None:
        raise Unauthorized("send an API key as `Authorization: Bearer <key>`")
    async with runtime.db.read() as session:
        key = await auth_service.find_key(session, credentials.credentials)
    if key is None:
        raise Unauthorized("the API key is unknown or revoked")
    if not scope_allows(key.scope, needed):
        raise Forbidden(f"this action needs a key with the {needed!r} scope")
    return key


async def require_read(runtime: RuntimeDep, credentials: Credentials) -> ApiKey | None:
    return await _authorize(runtime, credentials, "read")


async def require_admin(runtime: RuntimeDep, credentials: Credentials) -> ApiKey | None:
    return await _authorize(runtime, credentials, "admin")


ReadAccess = Depends(require_read)
AdminAccess = Depends(require_admin)
