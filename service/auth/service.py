"""Create, list, revoke and check API keys (used by the CLI and the admin API)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.keys import Scope, generate_key, hash_key, key_matches, split_key
from service.db.models import ApiKey
from service.errors import NotFound
from service.timeutil import utcnow


@dataclass(frozen=True)
class CreatedKey:
    """A new key; ``secret`` exists only here and is shown to its owner once."""

    key: ApiKey
    secret: str


async def create_key(session: AsyncSession, *, name: str, scope: Scope) -> CreatedKey:
    secret = generate_key(scope)
    split = split_key(secret)
    assert split is not None
    row = ApiKey(name=name, prefix=split[1], key_hash=hash_key(secret), scope=scope,
                 created_at=utcnow())
    session.add(row)
    await session.flush()
    return CreatedKey(row, secret)


async def list_keys(session: AsyncSession) -> list[ApiKey]:
    return list((await session.execute(select(ApiKey).order_by(ApiKey.id))).scalars())  # type: ignore[arg-type]


async def revoke_key(session: AsyncSession, key_id: int) -> ApiKey:
    row = await session.get(ApiKey, key_id)
    if row is None:
        raise NotFound(f"no API key with id {key_id}")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        session.add(row)
    return row


async def find_key(session: AsyncSession, secret: str) -> ApiKey | None:
    """The live key matching ``secret``, or None (malformed, unknown, revoked)."""
    split = split_key(secret)
    if split is None:
        return None
    row = (
        await session.execute(select(ApiKey).where(ApiKey.prefix == split[1]))  # type: ignore[arg-type]
    ).scalars().first()
    if row is None or row.revoked_at is not None or not key_matches(secret, row.key_hash):
        return None
    return row

