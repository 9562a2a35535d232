"""Feeds, their health and the configuration in force; admin reload and refresh."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from service.api.deps import AdminAccess, ReadAccess, ReadSessionDep, RuntimeDep, WriteSessionDep
from service.api.pagination import decode_cursor, encode_cursor
from service.api.schemas import (
    CatalogStatusPublic,
    FeedPage,
    FeedPublic,
    ReloadResult,
    feed_public,
)
from service.errors import FeedNotFound
from service.feeds import query
from service.feeds.sync import refresh_now
from service.timeutil import utcnow

router = APIRouter(prefix="/v1", tags=["feeds"])
FeedId = Annotated[str, Path(max_length=64, pattern=r"^[a-z0-9][a-z0-9_-]*$")]


def _config(runtime: RuntimeDep) -> CatalogStatusPublic:
    status = runtime.reloader.status().as_dict()
    status["pairs"] = [f"{a}-{b}" for a, b in runtime.reloader.pairs()]
    return CatalogStatusPublic.model_validate(status)


@router.get("/feeds", dependencies=[ReadAccess], response_model=FeedPage,
            summary="Feeds with their health, and the feeds.yml in force (with any error)")
async def list_feeds(
    runtime: RuntimeDep,
    session: ReadSessionDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    cursor: Annotated[str | None, Query(max_length=512)] = None,
    include_removed: bool = False,
) -> FeedPage:
    after = decode_cursor(cursor, 1)[0] if cursor else None
    rows = await query.list_feeds(session, limit=limit + 1, after=after,
                                  include_removed=include_removed)
    now, stale = utcnow(), runtime.settings.stale_after
    page = [feed_public(feed, state, now, stale) for feed, state in rows[:limit]]
    next_cursor = encode_cursor(page[-1].id) if len(rows) > limit else None
    return FeedPage(items=page, next_cursor=next_cursor, config=_config(runtime))


@router.get("/feeds/{feed_id}", dependencies=[ReadAccess], response_model=FeedPublic)
async def get_feed(runtime: RuntimeDep, session: ReadSessionDep, feed_id: FeedId) -> FeedPublic:
    row = await query.get_feed(session, feed_id)
    if row is None:
        raise FeedNotFound(f"no feed with id {feed_id!r}")
    return feed_public(row[0], row[1], utcnow(), runtime.settings.stale_after)


@router.post("/feeds/{feed_id}/refresh", dependencies=[AdminAccess], status_code=202,
             summary="Poll a feed at the next tick, lifting an automatic disabling")
async def refresh_feed(session: WriteSessionDep, feed_id: FeedId) -> dict[str, str]:
    if not await refresh_now(session, feed_id, utcnow()):
        raise FeedNotFound(f"no feed with id {feed_id!r}")
    return {"status": "scheduled", "feed_id": feed_id}


@router.post("/admin/reload", dependencies=[AdminAccess], response_model=ReloadResult,
             summary="Reload feeds.yml now (a bad file keeps the last good one in force)")
async def reload_feeds(runtime: RuntimeDep) -> ReloadResult:
    report = await runtime.reloader.reload("admin API")
    return ReloadResult(
        applied=report is not None,
        added=list(report.added) if report else [],
        updated=list(report.updated) if report else [],
        removed=list(report.removed) if report else [],
        config=_config(runtime),
    )
