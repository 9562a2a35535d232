"""A webhook receiver on loopback that records what it got and can be scripted to fail."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from aiohttp import web

from tests.api.conftest import api, api_feeds_file  # noqa: F401  (shared fixtures)
from tests.feedserver import loopback_app


@dataclass
class Received:
    headers: dict[str, str]
    body: str


@dataclass
class Receiver:
    url: str = ""
    got: list[Received] = field(default_factory=list)
    script: list[tuple[int, dict[str, str]]] = field(default_factory=list)  # status, headers
    delay: float = 0.0

    def ids(self) -> list[str]:
        return [r.headers["webhook-id"] for r in self.got]


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    state = Receiver()

    async def handle(request: web.Request) -> web.Response:
        body = await request.text()
        if state.delay:
            await asyncio.sleep(state.delay)
        status, headers = state.script.pop(0) if state.script else (204, {})
        if 200 <= status < 300:
            state.got.append(Received(dict(request.headers), body))
        return web.Response(status=status, headers=headers)

    app = web.Application()
    app.router.add_post("/hook", handle)
    async with loopback_app(app) as base_url:
        state.url = f"{base_url}/hook"
        yield state
