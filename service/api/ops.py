"""Prometheus metrics and API-key administration."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlmodel import col

from service.api.deps import AdminAccess, ReadAccess, ReadSessionDep, RuntimeDep, WriteSessionDep
from service.api.pagination import decode_cursor, encode_cursor
from service.api.schemas import Page, health_status
from service.auth import service as auth_service
from service.auth.guard import AccessGuard
from service.db.models import (
    Alert,
    ApiKey,
    Delivery,
    Feed,
    FeedState,
    IndexState,
    ItemClassification,
    Subscription,
)
from service.pipeline.service import queue_depth
from service.timeutil import utcnow

router = APIRouter(tags=["operations"])


@router.get("/metrics", dependencies=[ReadAccess], response_class=Response,
            responses={200: {"content": {CONTENT_TYPE_LATEST: {}}}},
            summary="Prometheus metrics (counters of this replica, gauges from the database)")
async def metrics(runtime: RuntimeDep, session: ReadSessionDep) -> Response:
    m = runtime.metrics
    now = utcnow()
    m.queue_depth.set(await queue_depth(session))
    statuses: dict[str, int] = {}
    for feed, state in (await session.execute(
            select(Feed, FeedState).outerjoin(FeedState, col(FeedState.feed_id) == col(Feed.id)))).all():
        status = health_status(feed, state, now, runtime.settings.stale_after)
        statuses[status] = statuses.get(status, 0) + 1
    m.feeds_by_status.clear()
    for status, count in statuses.items():
        m.feeds_by_status.labels(status).set(count)
    m.items_classified.clear()
    c = ItemClassification
    for pair, relevant, actor, domain, stance, count in (await session.execute(
            select(col(c.pair), col(c.relevant), col(c.actor), col(c.domain), col(c.stance), func.count())
            .group_by(col(c.pair), col(c.relevant), col(c.actor), col(c.domain), col(c.stance)))).all():
        m.items_classified.labels(pair, str(relevant).lower(), actor or "none", domain, stance).set(count)
    m.alerts.clear()
    for kind, count in (await session.execute(
            select(col(Alert.kind), func.count()).group_by(col(Alert.kind)))).all():
        m.alerts.labels(kind).set(count)
    pending, oldest = (await session.execute(
        select(func.count(), func.min(col(Delivery.created_at)))
        .where(col(Delivery.status) == "pending"))).one()
    m.deliveries_pending.set(pending)
    oldest_at = oldest if isinstance(oldest, datetime) else None
    m.delivery_lag_oldest.set((now - oldest_at.replace(tzinfo=now.tzinfo)).total_seconds()
                              if oldest_at else 0)
    m.subscriptions.clear()
    for enabled, count in (await session.execute(
            select(col(Subscription.enabled), func.count()).group_by(col(Subscription.enabled)))).all():
        m.subscriptions.labels("enabled" if enabled else "disabled").set(count)
    for index_state in (await session.execute(select(IndexState))).scalars():
        snap = index_state.snapshot
        if snap.get("overall"):
            m.index_value.labels(index_state.pair, "overall").set(snap["overall"]["value"])
        for domain, point in snap.get("domains", {}).items():
            if point.get("value") is not None:
                m.index_value.labels(index_state.pair, domain).set(point["value"])
    return Response(generate_latest(m.registry), media_type=CONTENT_TYPE_LATEST)


class KeyCreate(BaseModel):
    name: str = Field(min_length=1, max_length=120)
    scope: Literal["read", "admin"]


class KeyPublic(BaseModel):
    id: int
    name: str
    scope: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class KeyCreated(KeyPublic):
    key: str = Field(description="shown once: store it now")


def _key(row: ApiKey) -> KeyPublic:
    return KeyPublic(id=row.id or 0, name=row.name, scope=row.scope, prefix=row.prefix,
                     created_at=row.created_at, last_used_at=row.last_used_at,
                     revoked_at=row.revoked_at)


@router.post("/v1/keys", dependencies=[AdminAccess], status_code=201, response_model=KeyCreated,
             tags=["keys"], summary="Create an API key; it is shown once")
async def create_key(session: WriteSessionDep, body: KeyCreate) -> KeyCreated:
    created = await auth_service.create_key(session, name=body.name, scope=body.scope)
    return KeyCreated(**_key(created.key).model_dump(), key=created.secret)


@router.get("/v1/keys", dependencies=[AdminAccess], response_model=Page[KeyPublic], tags=["keys"])
async def list_keys(session: ReadSessionDep, limit: Annotated[int, Query(ge=1, le=200)] = 50,
                    cursor: Annotated[str | None, Query(max_length=512)] = None) -> Page[KeyPublic]:
    query = select(ApiKey).order_by(col(ApiKey.id)).limit(limit + 1)
    if cursor:
        query = query.where(col(ApiKey.id) > int(decode_cursor(cursor, 1)[0]))
    rows = list((await session.execute(query)).scalars())
    next_cursor = encode_cursor(rows[limit - 1].id) if len(rows) > limit else None
    return Page[KeyPublic](items=[_key(row) for row in rows[:limit]], next_cursor=next_cursor)


@router.delete("/v1/keys/{key_id}", dependencies=[AdminAccess], response_model=KeyPublic,
               tags=["keys"], summary="Revoke a key (at once here, within seconds on other replicas)")
async def revoke_key(request: Request, session: WriteSessionDep,
                     key_id: Annotated[int, Path(ge=1, le=2**62)]) -> KeyPublic:
    row = await auth_service.revoke_key(session, key_id)
    guard: AccessGuard = request.app.state.guard
    guard.forget(key_id)
    return _key(row)
