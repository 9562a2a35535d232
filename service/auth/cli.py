"""The work behind ``alignwatch keys ...``: the CLI stays a thin shell around it."""

from __future__ import annotations

from typing import Literal, TextIO, cast

from service.auth import service
from service.config import Settings
from service.db import migrate
from service.db.session import create_database
from service.errors import NotFound
from service.timeutil import isoformat


async def create(settings: Settings, *, scope: str, name: str, out: TextIO) -> int:
    database = create_database(settings)
    try:
        await migrate.upgrade(database.engine)
        async with database.begin() as session:
            created = await service.create_key(
                session, name=name, scope=cast(Literal["read", "admin"], scope)
            )
        out.write(f"{created.secret}\n")
        out.write(f"# key id {created.key.id}, scope {scope}, name {name!r}: "
                  "store it now, it is not shown again\n")
        return 0
    finally:
        await database.dispose()


async def list_all(settings: Settings, *, out: TextIO) -> int:
    database = create_database(settings)
    try:
        await migrate.upgrade(database.engine)
        async with database.read() as session:
            rows = await service.list_keys(session)
        out.write(f"{'id':>4}  {'scope':6} {'prefix':14} {'created':21} {'last used':21} "
                  f"{'revoked':21} name\n")
        for row in rows:
            out.write(f"{row.id:>4}  {row.scope:6} {row.prefix:14} {isoformat(row.created_at)!s:21} "
                      f"{isoformat(row.last_used_at) or '-':21} {isoformat(row.revoked_at) or '-':21} "
                      f"{row.name}\n")
        return 0
    finally:
        await database.dispose()


async def revoke(settings: Settings, *, key_id: int, out: TextIO) -> int:
    database = create_database(settings)
    try:
        await migrate.upgrade(database.engine)
        async with database.begin() as session:
            row = await service.revoke_key(session, key_id)
        out.write(f"key {row.id} ({row.name}) revoked at {isoformat(row.revoked_at)}\n")
        return 0
    except NotFound as exc:
        out.write(f"error: {exc.detail}\n")
        return 1
    finally:
        await database.dispose()
