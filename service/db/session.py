"""Engines and session factories, made once per process by the app's lifespan or the CLI.

SQLite allows one writer at a time. Writers therefore go through a one-connection pool
whose transactions start with ``BEGIN IMMEDIATE`` (so a reader never has to upgrade its
lock and fail with "database is locked"), while API reads use a separate pool of plain
connections in WAL mode that never block on the writer. PostgreSQL uses one pool for both.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from service.config import Settings

SessionMaker = async_sessionmaker[AsyncSession]


@dataclass(frozen=True)
class Database:
    """The engines and session makers of one process."""

    engine: AsyncEngine
    read_engine: AsyncEngine
    maker: SessionMaker
    read_maker: SessionMaker

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @asynccontextmanager
    async def begin(self) -> AsyncIterator[AsyncSession]:
        """A write transaction: committed when the block ends, rolled back if it raises."""
        async with self.maker.begin() as session:
            yield session

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        """A read-only session on the read pool."""
        async with self.read_maker() as session:
            yield session

    async def dispose(self) -> None:
        await self.engine.dispose()
        if self.read_engine is not self.engine:
            await self.read_engine.dispose()


def _sqlite_engine(url: str, settings: Settings, *, writer: bool) -> AsyncEngine:
    kwargs: dict[str, Any] = {"connect_args": {"timeout": settings.sqlite_busy_timeout_ms / 1000}}
    if writer:
        kwargs.update(pool_size=1, max_overflow=0, pool_timeout=settings.sqlite_busy_timeout_ms)
    engine = create_async_engine(url, **kwargs)
    busy_ms = settings.sqlite_busy_timeout_ms

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control from the driver so that BEGIN is ours to choose.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_ms)}")
        cursor.close()

    begin_sql = "BEGIN IMMEDIATE" if writer else "BEGIN"

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql(begin_sql)

    return engine


def create_database(settings: Settings) -> Database:
    """Build the engines for ``settings.database_url``."""
    url = settings.database_url
    if url.startswith("sqlite"):
        engine = _sqlite_engine(url, settings, writer=True)
        read_engine = _sqlite_engine(url, settings, writer=False)
    else:
        engine = create_async_engine(
            url,
            pool_size=settings.db_pool_size,
            max_overflow=settings.db_max_overflow,
            pool_pre_ping=True,
            pool_recycle=1800,
        )
        read_engine = engine
    return Database(
        engine=engine,
        read_engine=read_engine,
        maker=async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False),
        read_maker=async_sessionmaker(read_engine, class_=AsyncSession, expire_on_commit=False),
    )
