"""Make the feed rows match a validated catalog (feeds.yml); idempotent, replica-safe.

Removing a feed from the file stops its polling and keeps its items (``in_catalog`` goes
false); changing a feed's URL starts it afresh at the new address. Every replica may run
this at the same time: inserts ignore conflicts and updates are last-writer-wins on the
same values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from service.db.models import Feed, FeedState, table_of
from service.db.sql import insert_ignoring_conflicts
from service.feeds.catalog import Catalog, FeedSpec


@dataclass(frozen=True)
class SyncReport:
    added: tuple[str, ...]
    updated: tuple[str, ...]
    removed: tuple[str, ...]


def _feed_values(spec: FeedSpec) -> dict[str, object]:
    return {
        "name": spec.name,
        "url": spec.url,
        "country": spec.country,
        "kind": spec.kind,
        "language": spec.language,
        "tags": list(spec.tags),
        "poll_interval_s": int(spec.poll_interval.total_seconds()) if spec.poll_interval else None,
        "enabled": spec.enabled,
        "in_catalog": True,
    }


async def sync_catalog(session: AsyncSession, catalog: Catalog, now: datetime) -> SyncReport:
    """Upsert every feed of ``catalog`` and retire the ones no longer listed."""
    existing = {feed.id: feed for feed in (await session.execute(select(Feed))).scalars()}
    added: list[str] = []
    updated: list[str] = []
    for spec in catalog.feeds:
        values = _feed_values(spec)
        feed = existing.get(spec.id)
        if feed is None:
            await session.execute(
                insert_ignoring_conflicts(session, table_of(Feed)).values(
                    id=spec.id, created_at=now, updated_at=now, **values
                )
            )
            added.append(spec.id)
        elif any(getattr(feed, key) != value for key, value in values.items()):
            await session.execute(
                update(Feed).where(col(Feed.id) == spec.id).values(updated_at=now, **values)
            )
            updated.append(spec.id)
            if feed.url != spec.url or (spec.enabled and not feed.enabled):
                await _restart(session, spec.id, spec.url, now)
        await session.execute(
            insert_ignoring_conflicts(session, table_of(FeedState)).values(
                feed_id=spec.id,
                fetch_url=spec.url,
                next_poll_at=now,
                consecutive_errors=0,
                entries_last_poll=0,
                polls_total=0,
                errors_total=0,
                items_total=0,
            )
        )
    listed = {spec.id for spec in catalog.feeds}
    removed = [fid for fid, feed in existing.items() if fid not in listed and feed.in_catalog]
    if removed:
        await session.execute(
            update(Feed).where(col(Feed.id).in_(removed)).values(in_catalog=False, updated_at=now)
        )
    return SyncReport(tuple(sorted(added)), tuple(sorted(updated)), tuple(sorted(removed)))


async def _restart(session: AsyncSession, feed_id: str, url: str, now: datetime) -> None:
    """A new URL or a re-enabled feed starts clean: no validators, no disabled state."""
    await session.execute(
        update(FeedState)
        .where(col(FeedState.feed_id) == feed_id)
        .values(
            fetch_url=url,
            etag=None,
            last_modified=None,
            redirected_from=None,
            disabled_at=None,
            disabled_reason=None,
            consecutive_errors=0,
            failing_since=None,
            next_poll_at=now,
        )
    )


async def refresh_now(session: AsyncSession, feed_id: str, now: datetime) -> bool:
    """Make a feed due at once and lift an automatic disabling (the admin's "refresh now")."""
    result = await session.execute(
        update(FeedState)
        .where(col(FeedState.feed_id) == feed_id)
        .values(next_poll_at=now, disabled_at=None, disabled_reason=None,
                consecutive_errors=0, failing_since=None)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]
