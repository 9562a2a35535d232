"""Read queries for items: filtered, keyset-paginated listing, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from service.db.models import Feed, Item, ItemFeed


@dataclass(frozen=True)
class ItemFilter:
    feed_id: str | None = None
    country: str | None = None
    published_from: datetime | None = None
    published_to: datetime | None = None


@dataclass(frozen=True)
class ItemRow:
    item: Item
    feed_ids: tuple[str, ...]


def _filtered(query: Select[Item], flt: ItemFilter) -> Select[Item]:
    if flt.feed_id is not None:
        query = query.where(
            col(Item.id).in_(select(col(ItemFeed.item_id)).where(col(ItemFeed.feed_id) == flt.feed_id))
        )
    if flt.country is not None:
        carried = (
            select(col(ItemFeed.item_id))
            .join(Feed, col(Feed.id) == col(ItemFeed.feed_id))
            .where(col(Feed.country) == flt.country)
        )
        query = query.where(col(Item.id).in_(carried))
    if flt.published_from is not None:
        query = query.where(col(Item.published_at) >= flt.published_from)
    if flt.published_to is not None:
        query = query.where(col(Item.published_at) < flt.published_to)
    return query


async def list_items(
    session: AsyncSession,
    flt: ItemFilter,
    *,
    limit: int,
    after: tuple[datetime, int] | None = None,
) -> list[ItemRow]:
    """Items newest first (published time, then id), after the cursor position if given."""
    query = _filtered(select(Item), flt)
    if after is not None:
        published, item_id = after
        query = query.where(
            or_(
                col(Item.published_at) < published,
                and_(col(Item.published_at) == published, col(Item.id) < item_id),
            )
        )
    query = query.order_by(col(Item.published_at).desc(), col(Item.id).desc()).limit(limit)
    items = list((await session.execute(query)).scalars())
    feeds: dict[int, list[str]] = {}
    if items:
        links = await session.execute(
            select(col(ItemFeed.item_id), col(ItemFeed.feed_id))
            .where(col(ItemFeed.item_id).in_([i.id for i in items]))
            .order_by(col(ItemFeed.first_seen_at))
        )
        for item_id, feed_id in links.all():
            feeds.setdefault(item_id, []).append(feed_id)
    return [ItemRow(item, tuple(feeds.get(item.id or 0, ()))) for item in items]


async def get_item(session: AsyncSession, item_id: int) -> ItemRow | None:
    item = await session.get(Item, item_id)
    if item is None:
        return None
    links = await session.execute(
        select(col(ItemFeed.feed_id)).where(col(ItemFeed.item_id) == item_id)
    )
    return ItemRow(item, tuple(links.scalars()))
