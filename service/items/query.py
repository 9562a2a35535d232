"""Read queries for items: filtered, keyset-paginated listing, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

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


def _filtered(query: Select[tuple[Item]], flt: ItemFilter) -> Select[tuple[Item]]:
    if flt.feed_id is not None:
        query = query.where(
            Item.id.in_(select(ItemFeed.item_id).where(ItemFeed.feed_id == flt.feed_id))  # type: ignore[union-attr,arg-type]
        )
    if flt.country is not None:
        carried = (
            select(ItemFeed.item_id)
            .join(Feed, Feed.id == ItemFeed.feed_id)  # type: ignore[arg-type]
            .where(Feed.country == flt.country)  # type: ignore[arg-type]
        )
        query = query.where(Item.id.in_(carried))  # type: ignore[union-attr]
    if flt.published_from is not None:
        query = query.where(Item.published_at >= flt.published_from)  # type: ignore[arg-type]
    if flt.published_to is not None:
        query = query.where(Item.published_at < flt.published_to)  # type: ignore[arg-type]
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
                Item.published_at < published,  # type: ignore[arg-type]
                and_(Item.published_at == published, Item.id < item_id),  # type: ignore[arg-type, operator]
            )
        )
    query = query.order_by(Item.published_at.desc(), Item.id.desc()).limit(limit)  # type: ignore[attr-defined, union-attr]
    items = list((await session.execute(query)).scalars())
    feeds: dict[int, list[str]] = {}
    if items:
        links = await session.execute(
            select(ItemFeed.item_id, ItemFeed.feed_id)
            .where(ItemFeed.item_id.in_([i.id for i in items]))  # type: ignore[attr-defined]
            .order_by(ItemFeed.first_seen_at)  # type: ignore[arg-type]
        )
        for item_id, feed_id in links.all():
            feeds.setdefault(item_id, []).append(feed_id)
    return [ItemRow(item, tuple(feeds.get(item.id or 0, ()))) for item in items]


async def get_item(session: AsyncSession, item_id: int) -> ItemRow | None:
    item = await session.get(Item, item_id)
    if item is None:
        return None
    links = await session.execute(
        select(ItemFeed.feed_id).where(ItemFeed.item_id == item_id)  # type: ignore[arg-type]
    )
    return ItemRow(item, tuple(links.scalars()))
