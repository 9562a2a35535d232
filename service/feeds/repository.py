"""All SQL of the feeds package: feed rows, leases, item identity and storage.

Claims use ``FOR UPDATE SKIP LOCKED`` on PostgreSQL so that replicas never poll the same
feed at once; on SQLite the same statement runs under ``BEGIN IMMEDIATE``, which already
serialises writers. Inserts that several replicas may race on use ON CONFLICT DO NOTHING.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Integer, and_, bindparam, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from service.db.models import Feed, FeedState, Item, ItemEvent, ItemFeed, ItemKey, table_of
from service.db.sql import chunks, insert_ignoring_conflicts


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


async def hold_leases(session: AsyncSession, claims: Sequence[Claim], now: datetime) -> set[str]:
    """The feeds of ``claims`` whose lease is still held (their rows locked until commit).

    One statement per lease token (the claims of one tick share it), so a batch of poll
    results is fenced at once: a result whose lease was lost is not written.
    """
    table = table_of(FeedState)
    by_token: dict[str, list[str]] = {}
    for claim in claims:
        by_token.setdefault(claim.token, []).append(claim.feed_id)
    held: set[str] = set()
    for token, feed_ids in by_token.items():
        for chunk in chunks(sorted(feed_ids)):
            result = await session.execute(
                table.update()
                .where(table.c.feed_id.in_(chunk), table.c.lease_token == token,
                       table.c.lease_until > now)
                .values(lease_until=table.c.lease_until)
                .returning(table.c.feed_id)
            )
            held.update(result.scalars())
    return held


@dataclass(frozen=True)
class FinishedPoll:
    """What to write for one polled feed: its next state and how many items it newly carries."""

    claim: Claim
    values: dict[str, object]
    linked: int = 0


async def finish_polls(session: AsyncSession, polls: Sequence[FinishedPoll], now: datetime) -> None:
    """Write each feed's state after its poll and release the lease, only while still ours.

    Core executemany, one cached statement per set of columns written (the 304s of a batch
    share one). ``items_total`` grows by the links made instead of being recounted.
    """
    table = table_of(FeedState)
    groups: dict[tuple[str, ...], list[dict[str, object]]] = {}
    for poll in polls:
        groups.setdefault(tuple(sorted(poll.values)), []).append({
            **{f"v_{name}": value for name, value in poll.values.items()},
            "b_feed_id": poll.claim.feed_id, "b_token": poll.claim.token, "b_now": now,
            "b_error": 1 if "last_error_at" in poll.values else 0, "b_linked": poll.linked,
        })
    for names, rows in groups.items():
        statement = (
            table.update()
            .where(table.c.feed_id == bindparam("b_feed_id"),
                   table.c.lease_token == bindparam("b_token"),
                   table.c.lease_until > bindparam("b_now", type_=table.c.lease_until.type))
            .values({
                **{name: bindparam(f"v_{name}", type_=table.c[name].type) for name in names},
                "polls_total": table.c.polls_total + 1,
                "errors_total": table.c.errors_total + bindparam("b_error", type_=Integer()),
                "items_total": table.c.items_total + bindparam("b_linked", type_=Integer()),
            })
        )
        await session.execute(statement, rows)


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
    for chunk in chunks(list(dict.fromkeys(keys))):
        rows = await session.execute(
            select(col(ItemKey.key), col(ItemKey.item_id)).where(col(ItemKey.key).in_(chunk))
        )
        found.update({key: item_id for key, item_id in rows.all()})
    return found


async def content_hashes(session: AsyncSession, item_ids: Iterable[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    for chunk in chunks(sorted(set(item_ids))):
        rows = await session.execute(
            select(col(Item.id), col(Item.content_hash)).where(col(Item.id).in_(chunk))
        )
        found.update({item_id: digest for item_id, digest in rows.all() if item_id is not None})
    return found


async def insert_items(session: AsyncSession, rows: Sequence[dict[str, object]]) -> list[int]:
    """Insert items and return their ids in the order given.

    One multi-row INSERT .. RETURNING, its rows matched back to the parameter sets by the
    values that tell a batch's new items apart. ``sort_by_parameter_order`` would do the
    matching for us, but on SQLite SQLAlchemy can only honour it one INSERT per row, which
    cost a third of a first poll (bench/ingest.py). Two new items of one batch never share a
    dedupe key, so they differ in one of these columns unless they are the same entry in
    all but the columns not compared, where either id serves as well.
    """
    if not rows:
        return []
    table = table_of(Item)
    matched = [table.c[name] for name in _ITEM_IDENTITY]
    result = await session.execute(table.insert().returning(table.c.id, *matched), list(rows))
    ids: dict[tuple[object, ...], list[int]] = {}
    for item_id, *values in result.all():
        ids.setdefault(_identity(values), []).append(item_id)
    return [ids[_identity([row[name] for name in _ITEM_IDENTITY])].pop() for row in rows]


# Every input of an item's dedupe keys, as stored (published_at may be the fetch time).
_ITEM_IDENTITY = ("feed_id", "guid", "link", "content_hash", "published_at", "language")


def _identity(values: Sequence[object]) -> tuple[object, ...]:
    """Values comparable however the database returned them (datetimes as UTC instants)."""
    return tuple(v.timestamp() if isinstance(v, datetime) else v for v in values)


async def insert_keys(session: AsyncSession, pairs: Sequence[tuple[str, int]]) -> set[str]:
    """Claim keys for items; return the keys actually inserted (others were taken).

    One executemany of a cached statement (SQLAlchemy batches it into multi-row INSERTs).
    """
    if not pairs:
        return set()
    table = table_of(ItemKey)
    statement = insert_ignoring_conflicts(session, table).returning(table.c.key)
    result = await session.execute(statement, [{"key": key, "item_id": item} for key, item in pairs])
    return set(result.scalars())


async def delete_items(session: AsyncSession, item_ids: Sequence[int]) -> None:
    if item_ids:
        await session.execute(delete(Item).where(col(Item.id).in_(item_ids)))


async def link_items(session: AsyncSession, links: Iterable[tuple[int, str]], now: datetime) -> Counter[str]:
    """Link items to the feeds that carried them; return how many new links each feed got."""
    rows = [{"item_id": item, "feed_id": feed, "first_seen_at": now} for item, feed in sorted(set(links))]
    if not rows:
        return Counter()
    table = table_of(ItemFeed)
    statement = insert_ignoring_conflicts(session, table).returning(table.c.feed_id)
    return Counter(str(feed) for feed in (await session.execute(statement, rows)).scalars())


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
