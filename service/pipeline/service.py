"""Drain the durable queue of stored items through the processing stages.

Ingestion writes an ``item_event`` in the same transaction as each new or changed item.
This module claims due events with a lease, runs every registered processor
(classification, index, alerts) on their items in one transaction, and marks the events
done in that same transaction: an item is either fully processed or still queued. A
failing batch is retried with backoff and, after ``pipeline_max_attempts``, parked as
failed for an operator to see, never silently dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

import structlog
from sqlalchemy import ColumnElement, and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from service.db.models import Item, ItemEvent
from service.db.session import Database
from service.timeutil import utcnow

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class PendingItem:
    """An item to process, at its current revision, with the events that asked for it."""

    item: Item
    event_ids: tuple[int, ...]
    reasons: tuple[str, ...]


class ItemProcessor(Protocol):
    """One stage of the pipeline; runs inside the transaction that marks events done."""

    name: str

    async def process(self, session: AsyncSession, batch: Sequence[PendingItem]) -> None: ...


@dataclass(frozen=True)
class PipelineReport:
    processed: int
    failed: int


def _pending(now: datetime) -> ColumnElement[bool]:
    return and_(
        col(ItemEvent.processed_at).is_(None),
        col(ItemEvent.failed_at).is_(None),
        col(ItemEvent.available_at) <= now,
        or_(col(ItemEvent.lease_until).is_(None), col(ItemEvent.lease_until) < now),
    )


async def _claim(
    session: AsyncSession, owner: str, now: datetime, lease: timedelta, limit: int
) -> list[int]:
    due = (
        select(col(ItemEvent.id))
        .where(_pending(now))
        .order_by(col(ItemEvent.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    result = await session.execute(
        update(ItemEvent)
        .where(col(ItemEvent.id).in_(due.scalar_subquery()))
        .values(lease_owner=owner, lease_until=now + lease)
        .returning(col(ItemEvent.id))
    )
    return sorted(event_id for event_id in result.scalars() if event_id is not None)


async def _load(session: AsyncSession, event_ids: Sequence[int]) -> list[PendingItem]:
    # The events' own columns only: an ORM object per event cost as much as its item's.
    rows = (
        await session.execute(
            select(col(ItemEvent.id), col(ItemEvent.reason), Item)
            .join(Item, col(Item.id) == col(ItemEvent.item_id))
            .where(col(ItemEvent.id).in_(event_ids))
            .order_by(col(ItemEvent.id))
        )
    ).all()
    grouped: dict[int, tuple[Item, list[int], list[str]]] = {}
    for event_id, reason, item in rows:
        assert event_id is not None and item.id is not None
        _, ids, reasons = grouped.setdefault(item.id, (item, [], []))
        ids.append(event_id)
        reasons.append(reason)
    return [PendingItem(item, tuple(ids), tuple(reasons)) for item, ids, reasons in grouped.values()]


async def process_pending(
    db: Database,
    processors: Sequence[ItemProcessor],
    *,
    owner: str,
    batch_size: int,
    lease: timedelta,
    max_attempts: int,
) -> PipelineReport:
    """Process every due event, one claimed batch at a time, until none is left."""
    processed = failed = 0
    while True:
        now = utcnow()
        async with db.begin() as session:
            event_ids = await _claim(session, owner, now, lease, batch_size)
        if not event_ids:
            return PipelineReport(processed, failed)
        try:
            await _run(db, processors, event_ids, owner)
            processed += len(event_ids)
        except Exception:
            # Isolate the item that fails so one poisonous entry cannot hold up the rest.
            log.warning("pipeline_batch_failed_retrying_singly", events=len(event_ids))
            async with db.read() as session:
                groups = [p.event_ids for p in await _load(session, event_ids)]
            for ids in groups:
                try:
                    await _run(db, processors, ids, owner)
                    processed += len(ids)
                except Exception as exc:
                    log.exception("pipeline_item_failed", event_ids=list(ids))
                    failed += await _record_failure(db, ids, owner, exc, max_attempts)


async def _run(
    db: Database, processors: Sequence[ItemProcessor], event_ids: Sequence[int], owner: str
) -> None:
    """Run every processor on the events' items and mark the events done, atomically."""
    async with db.begin() as session:
        batch = await _load(session, event_ids)
        for processor in processors:
            await processor.process(session, batch)
        await session.execute(
            update(ItemEvent)
            .where(col(ItemEvent.id).in_(event_ids), col(ItemEvent.lease_owner) == owner)
            .values(processed_at=utcnow(), lease_owner=None, lease_until=None)
        )


async def _record_failure(
    db: Database, event_ids: Sequence[int], owner: str, exc: Exception, max_attempts: int
) -> int:
    now = utcnow()
    message = f"{type(exc).__name__}: {exc}"[:1000]
    async with db.begin() as session:
        events = (
            await session.execute(
                select(ItemEvent).where(col(ItemEvent.id).in_(event_ids))
            )
        ).scalars().all()
        parked = 0
        for event in events:
            attempts = event.attempts + 1
            values: dict[str, object] = {
                "attempts": attempts,
                "last_error": message,
                "lease_owner": None,
                "lease_until": None,
                "available_at": now + timedelta(seconds=min(3600, 5 * 2**attempts)),
            }
            if attempts >= max_attempts:
                values["failed_at"] = now
                parked += 1
            await session.execute(
                update(ItemEvent).where(col(ItemEvent.id) == event.id).values(**values)
            )
    return parked


async def queue_depth(session: AsyncSession) -> int:
    """Events waiting to be processed (for /readyz, metrics and the soak)."""
    result = await session.execute(
        select(func.count()).select_from(ItemEvent).where(
            col(ItemEvent.processed_at).is_(None), col(ItemEvent.failed_at).is_(None)
        )
    )
    return int(result.scalar_one())
