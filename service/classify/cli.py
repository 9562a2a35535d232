"""The work behind ``alignwatch corrections export``."""

from __future__ import annotations

import json
from typing import TextIO

from service.classify.corrections import export_corrections
from service.config import Settings
from service.db import migrate
from service.db.session import create_database


async def export_all(settings: Settings, *, out: TextIO) -> int:
    database = create_database(settings)
    try:
        await migrate.upgrade(database.engine)
        async with database.read() as session:
            async for record in export_corrections(session):
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        return 0
    finally:
        await database.dispose()
