"""Read queries for feeds and their health, ordered by id for stable pagination."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from service.db.models import Feed, FeedState


async def list_feeds(
    session: AsyncSession, *, limit: int, after: str | None = None, include_removed: bool = False
) -> list[tuple[Feed, FeedState | None]]:
    query = select(Feed, FeedState).outerjoin(FeedState, col(FeedState.feed_id) == col(Feed.id))
    if not include_removed:
        query = query.where(col(Feed.in_catalog).is_(True))
    if after is not None:
        query = query.where(col(Feed.id) > after)
    rows = await session.execute(query.order_by(col(Feed.id)).limit(limit))
    return [(feed, state) for feed, state in rows.all()]


async def get_feed(session: AsyncSession, feed_id: str) -> tuple[Feed, FeedState | None] | None:
    row = (
        await session.execute(
            select(Feed, FeedState)
            .outerjoin(FeedState, col(FeedState.feed_id) == col(Feed.id))
            .where(col(Feed.id) == feed_id)
        )
    ).first()
    return (row[0], row[1]) if row else None
