"""Alembic environment: async engines, batch mode for SQLite, models as the target.

``alignwatch db upgrade`` and the server's start-up hand in a live connection through
``config.attributes["connection"]``; plain ``alembic upgrade head`` builds its own engine
from the service settings.
"""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

import service.db.models  # noqa: F401  (registers every table on the metadata)
from service.config import Settings
from service.db.session import create_database

target_metadata = SQLModel.metadata


def _configure_and_run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_with_own_engine() -> None:
    database = create_database(Settings())
    try:
        async with database.engine.begin() as connection:
            await connection.run_sync(_configure_and_run)
    finally:
        await database.dispose()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _configure_and_run(connection)
    else:
        asyncio.run(_run_with_own_engine())


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) migrations are not supported; run against a database")
run_migrations_online()
