"""An app with its lifespan running, plus keys of each scope, for API tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from service.app import create_app
from service.auth import service as auth_service
from tests.conftest import make_settings, write_feeds_yml


@dataclass
class Api:
    app: Any
    client: httpx.AsyncClient
    read_key: str
    admin_key: str

    @property
    def runtime(self) -> Any:
        return self.app.state.runtime

    def auth(self, key: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {key}"}

    async def get(self, path: str, key: str | None = None, **kw: Any) -> httpx.Response:
        return await self.client.get(path, headers=self.auth(key or self.read_key), **kw)

    async def post(self, path: str, key: str | None = None, **kw: Any) -> httpx.Response:
        return await self.client.post(path, headers=self.auth(key or self.admin_key), **kw)


@pytest.fixture
def api_feeds_file(tmp_path: Path) -> Path:
    return write_feeds_yml(tmp_path / "feeds.yml", [])


@pytest.fixture
async def api(database_url: str, api_feeds_file: Path, request: pytest.FixtureRequest
              ) -> AsyncIterator[Api]:
    overrides = getattr(request, "param", {})
    app = create_app(make_settings(database_url, api_feeds_file, **overrides))
    async with app.router.lifespan_context(app):
        async with app.state.runtime.db.begin() as session:
            read = await auth_service.create_key(session, name="reader", scope="read")
            admin = await auth_service.create_key(session, name="admin", scope="admin")
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield Api(app, client, read.secret, admin.secret)
