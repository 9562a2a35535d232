"""Apply and inspect Alembic migrations from inside the service.

The server migrates on start-up and ``/readyz`` reports pending migrations, so both need
Alembic's API on an existing async engine rather than the ``alembic`` command line.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

import migrations


def alembic_config() -> Config:
    """An Alembic config pointing at the shipped migrations, wherever they are installed."""
    config = Config()
    config.set_main_option("script_location", str(Path(migrations.__file__).parent))
    return config


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Bring the database up to ``revision``."""

    def _upgrade(connection: Connection) -> None:
        if connection.dialect.name == "postgresql":
            # Replicas starting together: one migrates, the others wait, then find nothing to do.
            connection.execute(text("SELECT pg_advisory_xact_lock(hashtext('alignwatch-migrate'))"))
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)

    async with engine.begin() as connection:
        await connection.run_sync(_upgrade)


async def current_revision(engine: AsyncEngine) -> str | None:
    def _current(connection: Connection) -> str | None:
        return MigrationContext.configure(connection).get_current_revision()

    async with engine.connect() as connection:
        return await connection.run_sync(_current)


async def is_up_to_date(engine: AsyncEngine) -> bool:
    """True when the database is at the newest shipped revision."""
    return await current_revision(engine) == head_revision()
