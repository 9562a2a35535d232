"""Stored items with their classification; analysts' corrections and their export."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import StreamingResponse

from service.api.deps import AdminAccess, ReadAccess, ReadSessionDep, RuntimeDep, WriteSessionDep
from service.api.pagination import decode_cursor, encode_cursor
from service.api.schemas import (
    ClassificationPublic,
    CorrectionIn,
    ItemPublic,
    Page,
    classification_public,
    item_public,
)
from service.auth.guard import Caller
from service.classify.corrections import correct, export_corrections
from service.errors import InvalidCursor, InvalidFilter, ItemNotFound
from service.items.query import ItemFilter, get_item, list_items
from service.timeutil import as_utc, isoformat

router = APIRouter(prefix="/v1", tags=["items"])
Pair = Annotated[str | None, Query(pattern=r"^[A-Z]{2}-[A-Z]{2}$",
                                   description="country pair, default the first tracked")]
ItemId = Annotated[int, Path(ge=1, le=2**62)]


def _pair(runtime: RuntimeDep, pair: str | None) -> str:
    if pair is not None:
        return pair
    first = runtime.reloader.pairs()[0]
    return f"{first[0]}-{first[1]}"


@router.get("/items", dependencies=[ReadAccess], response_model=Page[ItemPublic])
async def items(
    runtime: RuntimeDep,
    session: ReadSessionDep,
    pair: Pair = None,
    feed: Annotated[str | None, Query(max_length=64, description="feed id")] = None,
    country: Annotated[str | None, Query(pattern=r"^[A-Z]{2}$",
                                         description="country of a feed that carried it")] = None,
    published_from: Annotated[datetime | None, Query(alias="from")] = None,
    published_to: Annotated[datetime | None, Query(alias="to")] = None,
    relevant: bool | None = None,
    actor: Literal["US", "JP", "joint", "other"] | None = None,
    domain: Literal["export_controls", "investment_screening", "industrial_policy", "supply_chain",
                    "trade_policy", "sanctions", "tech_security", "cooperation", "none"] | None = None,
    stance: Literal["converging", "diverging", "neutral"] | None = None,
    targets_china: bool | None = None,
    min_confidence: Annotated[float | None, Query(ge=0, le=1)] = None,
    max_confidence: Annotated[float | None, Query(ge=0, le=1)] = None,
    corrected: Annotated[bool | None, Query(description="only analyst-corrected (or not)")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: Annotated[str | None, Query(max_length=512)] = None,
) -> Page[ItemPublic]:
    """Items newest first, with the labels in force for the pair, filterable by them."""
    if published_from and published_to and as_utc(published_from) >= as_utc(published_to):
        raise InvalidFilter("`from` must be earlier than `to`")
    if min_confidence is not None and max_confidence is not None and min_confidence > max_confidence:
        raise InvalidFilter("`min_confidence` must not exceed `max_confidence`")
    after = None
    if cursor:
        when, item_id = decode_cursor(cursor, 2)
        try:
            after = (as_utc(datetime.fromisoformat(str(when).replace("Z", "+00:00"))), int(item_id))
        except ValueError as exc:
            raise InvalidCursor("cursor does not belong to this listing") from exc
    flt = ItemFilter(
        pair=_pair(runtime, pair), feed_id=feed, country=country,
        published_from=as_utc(published_from) if published_from else None,
        published_to=as_utc(published_to) if published_to else None,
        relevant=relevant, actor=actor, domain=domain, stance=stance, targets_china=targets_china,
        min_confidence=min_confidence, max_confidence=max_confidence, corrected=corrected,
    )
    rows = await list_items(session, flt, limit=limit + 1, after=after)
    page = [item_public(row.item, row.feed_ids, row.classification) for row in rows[:limit]]
    next_cursor = None
    if len(rows) > limit:
        last = rows[limit - 1].item
        next_cursor = encode_cursor(isoformat(last.published_at), last.id)
    return Page[ItemPublic](items=page, next_cursor=next_cursor)


@router.get("/items/{item_id}", dependencies=[ReadAccess], response_model=ItemPublic)
async def item(runtime: RuntimeDep, session: ReadSessionDep, item_id: ItemId,
               pair: Pair = None) -> ItemPublic:
    row = await get_item(session, item_id, _pair(runtime, pair))
    if row is None:
        raise ItemNotFound(f"no item with id {item_id}")
    return item_public(row.item, row.feed_ids, row.classification)


@router.patch("/items/{item_id}/classification", response_model=ClassificationPublic,
              summary="Correct an item's labels (an analyst's call wins over the model)")
async def correct_classification(
    runtime: RuntimeDep,
    session: WriteSessionDep,
    item_id: ItemId,
    body: CorrectionIn,
    key: Caller | None = AdminAccess,
    pair: Pair = None,
) -> ClassificationPublic:
    changes = body.model_dump(exclude_unset=True, exclude={"note"})
    if not changes:
        raise InvalidFilter("send at least one of relevant, actor, domain, stance, targets_china")
    row = await correct(session, item_id=item_id, pair=_pair(runtime, pair), changes=changes,
                        note=body.note, analyst=key.name if key else "anonymous")
    return classification_public(row)


@router.get("/corrections/export", dependencies=[AdminAccess],
            response_class=StreamingResponse,
            responses={200: {"content": {"application/x-ndjson": {}}}},
            summary="Every corrected item, latest labels, as JSONL in the rubric's format")
async def corrections_export(runtime: RuntimeDep) -> StreamingResponse:
    async def lines() -> AsyncIterator[bytes]:
        async with runtime.db.read() as session:
            async for record in export_corrections(session):
                yield (json.dumps(record, ensure_ascii=False) + "\n").encode()

    return StreamingResponse(lines(), media_type="application/x-ndjson",
                             headers={"Content-Disposition": 'attachment; filename="corrections.jsonl"'})
