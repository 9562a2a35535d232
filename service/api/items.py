"""Stored items, newest first, filterable by feed, country and time."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query

from service.api.deps import ReadAccess, ReadSessionDep
from service.api.pagination import decode_cursor, encode_cursor
from service.api.schemas import ItemPublic, Page, item_public
from service.errors import InvalidCursor, InvalidFilter, ItemNotFound
from service.items.query import ItemFilter, get_item, list_items
from service.timeutil import as_utc, isoformat

router = APIRouter(prefix="/v1", tags=["items"])


@router.get("/items", dependencies=[ReadAccess], response_model=Page[ItemPublic])
async def items(
    session: ReadSessionDep,
    feed: Annotated[str | None, Query(max_length=64, description="feed id")] = None,
    country: Annotated[str | None, Query(pattern=r"^[A-Z]{2}$",
                                         description="country of a feed that carried it")] = None,
    published_from: Annotated[datetime | None, Query(alias="from")] = None,
    published_to: Annotated[datetime | None, Query(alias="to")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: Annotated[str | None, Query(max_length=512)] = None,
) -> Page[ItemPublic]:
    if published_from and published_to and as_utc(published_from) >= as_utc(published_to):
        raise InvalidFilter("`from` must be earlier than `to`")
    after = None
    if cursor:
        when, item_id = decode_cursor(cursor, 2)
        try:
            after = (as_utc(datetime.fromisoformat(str(when).replace("Z", "+00:00"))), int(item_id))
        except ValueError as exc:
            raise InvalidCursor("cursor does not belong to this listing") from exc
    flt = ItemFilter(
        feed_id=feed,
        country=country,
        published_from=as_utc(published_from) if published_from else None,
        published_to=as_utc(published_to) if published_to else None,
    )
    rows = await list_items(session, flt, limit=limit + 1, after=after)
    page = [item_public(row.item, row.feed_ids) for row in rows[:limit]]
    next_cursor = None
    if len(rows) > limit:
        last = rows[limit - 1].item
        next_cursor = encode_cursor(isoformat(last.published_at), last.id)
    return Page[ItemPublic](items=page, next_cursor=next_cursor)


@router.get("/items/{item_id}", dependencies=[ReadAccess], response_model=ItemPublic)
async def item(session: ReadSessionDep,
               item_id: Annotated[int, Path(ge=1, le=2**62)]) -> ItemPublic:
    row = await get_item(session, item_id)
    if row is None:
        raise ItemNotFound(f"no item with id {item_id}")
    return item_public(row.item, row.feed_ids)
