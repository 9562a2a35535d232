"""All SQL of the feeds package: feed rows, leases, item identity and storage.

Claims use ``FOR UPDATE SKIP LOCKED`` on PostgreSQL so that replicas never poll the same
feed at once; on SQLite the same statement runs under ``BEGIN IMMEDIATE``, which already
serialises writers. Inserts that several replicas may race on use ON CONFLICT DO NOTHING.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Insert
from sqlmodel import col

from service.db.models import Feed, FeedState, Item, ItemEvent, ItemFeed, ItemKey, table_of

_CHUNK = 500  # bound parameters per IN (...) list, well under SQLite's limit


def insert_ignoring_conflicts(session: AsyncSession, table: Any) -> Insert:
    """INSERT ... ON CONFLICT DO NOTHING in the session's dialect."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    return sqlite.insert(table).on_conflict_do_nothing()


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


@dataclass(frozen=True)
class Claim:
    """A feed leased to this replica for one poll."""

    feed_id: str
    token: str
    fetch_url: str
    etag: str | None
    last_modified: str | None
    consecutive_errors: int
    failing_since: datetime | None
    interval_s: int | None
    poll_interval_s: int | None


def _due(now: datetime) -> Any:
    return and_(
        col(Feed.enabled).is_(True),
        col(Feed.in_catalog).is_(True),
        col(FeedState.disabled_at).is_(None),
        col(FeedState.next_poll_at) <= now,
        or_(col(FeedState.lease_until).is_(None), col(FeedState.lease_until) < now),
    )


async def claim_due_feeds(
    session: AsyncSession, *, owner: str, now: datetime, lease: timedelta, limit: int
) -> list[Claim]:
    """Lease up to ``limit`` due feeds to ``owner``, oldest due first."""
    token = str(uuid.uuid4())
    due = (
        select(col(FeedState.feed_id))
        .join(Feed, col(Feed.id) == col(FeedState.feed_id))
        .where(_due(now))
        .order_by(col(FeedState.next_poll_at))
        .limit(limit)
        .with_for_update(skip_locked=True, of=FeedState)
    )
    claimed = (
        update(FeedState)
        .where(col(FeedState.feed_id).in_(due.scalar_subquery()))
        .values(lease_owner=owner, lease_token=token, lease_until=now + lease)
        .returning(col(FeedState.feed_id))
    )
    feed_ids = list((await session.execute(claimed)).scalars())
    if not feed_ids:
        return []
    rows = await session.execute(
        select(FeedState, col(Feed.poll_interval_s))
        .join(Feed, col(Feed.id) == col(FeedState.feed_id))
        .where(col(FeedState.feed_id).in_(feed_ids))
        .order_by(col(FeedState.next_poll_at))
    )
    return [
        Claim(
            feed_id=state.feed_id,
            token=token,
            fetch_url=state.fetch_url,
            etag=state.etag,
            last_modified=state.last_modified,
            consecutive_errors=state.consecutive_errors,
            failing_since=state.failing_since,
            interval_s=state.interval_s,
            poll_interval_s=interval,
        )
        for state, interval in rows.all()
    ]


async def hold_lease(session: AsyncSession, claim: Claim, now: datetime) -> bool:
    """True (and the row locked until commit) while ``claim`` still holds its lease."""
    result = await session.execute(
        update(FeedState)
        .where(
            col(FeedState.feed_id) == claim.feed_id,
            col(FeedState.lease_token) == claim.token,
            col(FeedState.lease_until) > now,
        )
        .values(lease_until=col(FeedState.lease_until))
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def finish_poll(session: AsyncSession, claim: Claim, values: dict[str, object]) -> None:
    """Write the state after a poll and release the lease (only if still ours)."""
    await session.execute(
        update(FeedState)
        .where(
            col(FeedState.feed_id) == claim.feed_id,
            col(FeedState.lease_token) == claim.token,
        )
        .values(
            **values,
            polls_total=col(FeedState.polls_total) + 1,
            errors_total=col(FeedState.errors_total) + (1 if "last_error_at" in values else 0),
        )
    )


async def release_lease(session: AsyncSession, claim: Claim) -> None:
    """Give a claimed feed back untouched (graceful shutdown)."""
    await session.execute(
        update(FeedState)
        .where(col(FeedState.feed_id) == claim.feed_id, col(FeedState.lease_token) == claim.token)
        .values(lease_owner=None, lease_token=None, lease_until=None)
    )


async def known_keys(session: AsyncSession, keys: Sequence[str]) -> dict[str, int]:
    """Which of ``keys`` are stored, and for which item."""
    found: dict[str, int] = {}
    for chunk in _chunks(list(dict.fromkeys(keys))):
        rows = await session.execute(
            select(col(ItemKey.key), col(ItemKey.item_id)).where(col(ItemKey.key).in_(chunk))
        )
        found.update({key: item_id for key, item_id in rows.all()})
    return found


async def content_hashes(session: AsyncSession, item_ids: Iterable[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    for chunk in _chunks(sorted(set(item_ids))):
        rows = await session.execute(
            select(col(Item.id), col(Item.content_hash)).where(col(Item.id).in_(chunk))
        )
        found.update({item_id: digest for item_id, digest in rows.all() if item_id is not None})
    return found


async def insert_items(session: AsyncSession, rows: Sequence[dict[str, object]]) -> list[int]:
    """Insert items and return their ids in the order given."""
    if not rows:
        return []
    result = await session.execute(
        table_of(Item).insert().returning(table_of(Item).c.id, sort_by_parameter_order=True),
        list(rows),
    )
    return [row[0] for row in result.all()]


async def insert_keys(session: AsyncSession, pairs: Sequence[tuple[str, int]]) -> set[str]:
    """Claim keys for items; return the keys actually inserted (others were taken)."""
    if not pairs:
        return set()
    inserted: set[str] = set()
    for chunk in _chunks(pairs):
        statement = insert_ignoring_conflicts(session, table_of(ItemKey)).returning(
            table_of(ItemKey).c.key
        )
        result = await session.execute(
            statement.values([{"key": key, "item_id": item_id} for key, item_id in chunk])
        )
        inserted.update(result.scalars())
    return inserted


async def delete_items(session: AsyncSession, item_ids: Sequence[int]) -> None:
    if item_ids:
        await session.execute(delete(Item).where(col(Item.id).in_(item_ids)))


async def link_items_to_feed(
    session: AsyncSession, feed_id: str, item_ids: Iterable[int], now: datetime
) -> None:
    rows = [{"item_id": i, "feed_id": feed_id, "first_seen_at": now} for i in sorted(set(item_ids))]
    for chunk in _chunks(rows):
        await session.execute(insert_ignoring_conflicts(session, table_of(ItemFeed)).values(chunk))


async def update_item(session: AsyncSession, item_id: int, values: dict[str, object]) -> int:
    """Apply a changed entry; returns the new revision."""
    result = await session.execute(
        update(Item)
        .where(col(Item.id) == item_id)
        .values(**values, revision=col(Item.revision) + 1)
        .returning(col(Item.revision))
    )
    return int(result.scalar_one())


async def enqueue_events(session: AsyncSession, rows: Sequence[dict[str, object]]) -> None:
    if rows:
        await session.execute(table_of(ItemEvent).insert(), list(rows))


async def count_items_for_feed(session: AsyncSession, feed_id: str) -> int:
    result = await session.execute(
        select(func.count()).select_from(ItemFeed).where(col(ItemFeed.feed_id) == feed_id)
    )
    return int(result.scalar_one())
