"""The Alembic migrations and the SQLModel models describe the same schema, on both databases."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from service.config import Settings
from service.db import migrate
from service.db.session import create_database


async def test_models_and_migrations_agree(database_url):
    db = create_database(Settings(database_url=database_url))
    try:
        async with db.engine.connect() as conn:
            diff = await conn.run_sync(
                lambda sync: compare_metadata(MigrationContext.configure(sync), SQLModel.metadata)
            )
        assert diff == []
        assert await migrate.is_up_to_date(db.engine)
    finally:
        await db.dispose()


async def test_upgrade_is_idempotent_and_reports_head(database_url):
    db = create_database(Settings(database_url=database_url))
    try:
        await migrate.upgrade(db.engine)
        assert await migrate.current_revision(db.engine) == migrate.head_revision()
    finally:
        await db.dispose()
