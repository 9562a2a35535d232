"""Read queries for feeds and their health, ordered by id for stable pagination."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from service.db.models import Feed, FeedState


async def list_feeds(
    session: AsyncSession, *, limit: int, after: str | None = None, include_removed: bool = False
) -> list[tuple[Feed, FeedState | None]]:
    query = select(Feed, FeedState).outerjoin(FeedState, FeedState.feed_id == Feed.id)  # type: ignore[arg-type]
    if not include_removed:
        query = query.where(Feed.in_catalog.is_(True))  # type: ignore[attr-defined]
    if after is not None:
        query = query.where(Feed.id > after)  # type: ignore[arg-type]
    rows = await session.execute(query.order_by(Feed.id).limit(limit))  # type: ignore[arg-type]
    return [(feed, state) for feed, state in rows.all()]


async def get_feed(session: AsyncSession, feed_id: str) -> tuple[Feed, FeedState | None] | None:
    row = (
        await session.execute(
            select(Feed, FeedState)
            .outerjoin(FeedState, FeedState.feed_id == Feed.id)  # type: ignore[arg-type]
            .where(Feed.id == feed_id)  # type: ignore[arg-type]
        )
    ).first()
    return (row[0], row[1]) if row else None
