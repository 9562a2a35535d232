"""Shared fixtures: real SQLite files and the real PostgreSQL, settings, API clients.

PostgreSQL tests run against ``ALIGNWATCH_TEST_PG_URL`` (default: the local server's
``test`` database as ``postgres``). Each test session creates its own database there and
drops it afterwards. Without a reachable server the PostgreSQL cases skip — except under
CI (``CI=true``), where they fail, so CI can never pass without having run them.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from sqlalchemy import text

import service.db.models
import tests.paths  # noqa: F401  # sets ALIGNWATCH_SHARED_DIR before any test module imports bench
from service.config import Settings
from service.db import migrate
from service.db.session import Database, create_database

PG_URL = os.environ.get("ALIGNWATCH_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _pg_reachable() -> str | None:
    async def probe() -> None:
        conn = await asyncpg.connect(PG_URL, timeout=5)
        await conn.close()

    try:
        asyncio.run(probe())
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


@pytest.fixture(scope="session")
def pg_database_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, migrated to head."""
    problem = _pg_reachable()
    if problem is not None:
        if IN_CI:
            pytest.fail(f"PostgreSQL is required in CI but unreachable at {PG_URL}: {problem}")
        pytest.skip(f"PostgreSQL unreachable at {PG_URL}: {problem}")
    name = f"alignwatch_test_{uuid.uuid4().hex[:10]}"
    admin = PG_URL

    async def create() -> None:
        conn = await asyncpg.connect(admin)
        await conn.execute(f'CREATE DATABASE "{name}"')
        await conn.close()

    async def drop() -> None:
        conn = await asyncpg.connect(admin)
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.close()

    asyncio.run(create())
    base = PG_URL.rsplit("/", 1)[0]
    url = f"{base}/{name}".replace("postgresql://", "postgresql+asyncpg://", 1)

    async def upgrade() -> None:
        db = create_database(Settings(database_url=url))
        await migrate.upgrade(db.engine)
        await db.dispose()

    asyncio.run(upgrade())
    yield url
    asyncio.run(drop())


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file that each test copies (cheaper than migrating per test)."""
    path = tmp_path_factory.mktemp("template") / "template.db"

    async def upgrade() -> None:
        db = create_database(Settings(database_url=f"sqlite+aiosqlite:///{path}"))
        await migrate.upgrade(db.engine)
        await db.dispose()

    asyncio.run(upgrade())
    return path


async def truncate_all(url: str) -> None:
    db = create_database(Settings(database_url=url))
    tables = ", ".join(f'"{t}"' for t in service.db.models.SQLModel.metadata.tables)
    async with db.engine.begin() as conn:
        await conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        # A test may have tampered with the revision (readiness tests do): put it back.
        await conn.execute(text("UPDATE alembic_version SET version_num = :head"),
                           {"head": migrate.head_revision()})
    await db.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty, migrated database: a SQLite file, then PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "alignwatch.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite+aiosqlite:///{path}"
    url: str = request.getfixturevalue("pg_database_url")
    asyncio.run(truncate_all(url))
    return url


@pytest.fixture
def sqlite_url(tmp_path: Path, sqlite_template: Path) -> str:
    """A migrated SQLite database only, for tests that are about SQLite itself."""
    path = tmp_path / "alignwatch.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite+aiosqlite:///{path}"


def make_settings(database_url: str, feeds_file: Path, **overrides: Any) -> Settings:
    """Settings for tests: loopback feeds allowed, fast and deterministic schedules."""
    values: dict[str, Any] = {
        "database_url": database_url,
        "feeds_file": feeds_file,
        "feeds_watch": False,
        "scheduler_enabled": False,
        "allow_private_feeds": True,
        "poll_jitter": 0.0,
        "poll_min_interval": timedelta(seconds=60),
        "poll_default_interval": timedelta(minutes=30),
        "backoff_base": timedelta(seconds=30),
        "fetch_total_timeout": timedelta(seconds=10),
        "fetch_read_timeout": timedelta(seconds=5),
        "instance_id": "test-replica",
        "log_format": "console",
        "index_ship_history": False,  # index tests that need the shipped history turn it on
    }
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    database = create_database(Settings(database_url=database_url))
    yield database
    await database.dispose()


@pytest.fixture
async def feed_server() -> AsyncIterator[Any]:
    """A scripted feed server on a free loopback port."""
    from tests.feedserver import FeedServer

    server = FeedServer()
    await server.start()
    yield server
    await server.stop()


def write_feeds_yml(path: Path, feeds: list[dict[str, Any]], **top: Any) -> Path:
    """Write a feeds.yml for tests from plain dicts (id, url and the rest)."""
    import yaml

    entries = []
    for feed in feeds:
        entry = {"name": feed.get("id", "feed"), "country": "US", "kind": "government",
                 "language": "en"} | feed
        entries.append(entry)
    document = {"version": 1, "pairs": ["US-JP"]} | top | {"feeds": entries}
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), "utf-8")
    return path


@pytest.fixture
def asgi_client_factory() -> Any:
    """Build an httpx client that talks to an app in-process (lifespan handled by caller)."""

    def factory(app: Any, **headers: str) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://alignwatch.test", headers=headers)

    return factory
