"""Read queries for items: filtered, keyset-paginated listing, newest first.

Label filters apply to the labels in force for one country pair (an analyst's correction
where there is one, else the model's call).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from service.db.models import Feed, Item, ItemClassification, ItemFeed


@dataclass(frozen=True)
class ItemFilter:
    pair: str = "US-JP"
    feed_id: str | None = None
    country: str | None = None
    published_from: datetime | None = None
    published_to: datetime | None = None
    relevant: bool | None = None
    actor: str | None = None
    domain: str | None = None
    stance: str | None = None
    targets_china: bool | None = None
    min_confidence: float | None = None
    max_confidence: float | None = None
    corrected: bool | None = None


@dataclass(frozen=True)
class ItemRow:
    item: Item
    feed_ids: tuple[str, ...]
    classification: ItemClassification | None


def _label_filters(flt: ItemFilter) -> list[object]:
    c = ItemClassification
    clauses: list[object] = []
    for value, column in ((flt.relevant, c.relevant), (flt.actor, c.actor), (flt.domain, c.domain),
                          (flt.stance, c.stance), (flt.targets_china, c.targets_china)):
        if value is not None:
            clauses.append(col(column) == value)
    if flt.min_confidence is not None:
        clauses.append(col(c.confidence) >= flt.min_confidence)
    if flt.max_confidence is not None:
        clauses.append(col(c.confidence) <= flt.max_confidence)
    if flt.corrected is not None:
        clauses.append(col(c.source) == ("analyst" if flt.corrected else "model"))
    return clauses


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
    labels = _label_filters(flt)
    if labels:
        classified = select(col(ItemClassification.item_id)).where(
            col(ItemClassification.pair) == flt.pair, *labels  # type: ignore[arg-type]
        )
        query = query.where(col(Item.id).in_(classified))
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
    return await _rows(session, items, flt.pair)


async def _rows(session: AsyncSession, items: list[Item], pair: str) -> list[ItemRow]:
    ids = [i.id for i in items]
    feeds: dict[int, list[str]] = {}
    labels: dict[int, ItemClassification] = {}
    if ids:
        links = await session.execute(
            select(col(ItemFeed.item_id), col(ItemFeed.feed_id))
            .where(col(ItemFeed.item_id).in_(ids))
            .order_by(col(ItemFeed.first_seen_at))
        )
        for item_id, feed_id in links.all():
            feeds.setdefault(item_id, []).append(feed_id)
        rows = await session.execute(
            select(ItemClassification).where(
                col(ItemClassification.item_id).in_(ids), col(ItemClassification.pair) == pair
            )
        )
        labels = {row.item_id: row for row in rows.scalars()}
    return [ItemRow(i, tuple(feeds.get(i.id or 0, ())), labels.get(i.id or 0)) for i in items]


async def get_item(session: AsyncSession, item_id: int, pair: str = "US-JP") -> ItemRow | None:
    item = await session.get(Item, item_id)
    if item is None:
        return None
    return (await _rows(session, [item], pair))[0]
