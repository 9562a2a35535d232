"""Webhook subscriptions and their deliveries (admin scope)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query
from sqlalchemy import select
from sqlmodel import col

from service.alerts import subscriptions as subs
from service.alerts.deliver import post_signed
from service.alerts.outbox import signing_secrets, webhook_policy
from service.alerts.service import new_id
from service.api.deps import AdminAccess, ReadSessionDep, RuntimeDep, WriteSessionDep
from service.api.pagination import decode_cursor, encode_cursor
from service.api.schemas import (
    AttemptPublic,
    DeliveryPublic,
    OperationalEventPublic,
    Page,
    SubscriptionCreate,
    SubscriptionPublic,
    SubscriptionUpdate,
    SubscriptionWithSecret,
)
from service.db.models import Delivery, DeliveryAttempt, Subscription
from service.errors import InvalidFilter
from service.timeutil import as_utc, isoformat, utcnow

router = APIRouter(prefix="/v1", tags=["subscriptions"], dependencies=[AdminAccess])
SubId = Annotated[str, Path(max_length=40, pattern=r"^sub_[0-9a-f]+$")]


def public(sub: Subscription) -> SubscriptionPublic:
    rotating = sub.previous_secret_expires_at if sub.previous_secret else None
    return SubscriptionPublic(
        id=sub.id, url=sub.url, description=sub.description, pairs=sub.pairs, domains=sub.domains,
        stances=sub.stances, kinds=sub.kinds, min_confidence=sub.min_confidence,
        enabled=sub.enabled, disabled_at=sub.disabled_at, disabled_reason=sub.disabled_reason,
        failing_since=sub.failing_since, secret_rotating_until=rotating,
        created_at=sub.created_at, updated_at=sub.updated_at)


def with_secret(sub: Subscription, secret: str) -> SubscriptionWithSecret:
    return SubscriptionWithSecret(**public(sub).model_dump(), secret=secret)


@router.post("/subscriptions", status_code=201, response_model=SubscriptionWithSecret,
             summary="Subscribe a webhook endpoint; the signing secret is shown once")
async def create(runtime: RuntimeDep, session: WriteSessionDep,
                 body: SubscriptionCreate) -> SubscriptionWithSecret:
    sub = await subs.create(session, body.model_dump(), webhook_policy(runtime.settings), utcnow())
    return with_secret(sub, sub.secret)


@router.get("/subscriptions", response_model=Page[SubscriptionPublic])
async def listing(session: ReadSessionDep, limit: Annotated[int, Query(ge=1, le=200)] = 50,
                  cursor: Annotated[str | None, Query(max_length=512)] = None
                  ) -> Page[SubscriptionPublic]:
    query = select(Subscription).order_by(col(Subscription.id)).limit(limit + 1)
    if cursor:
        query = query.where(col(Subscription.id) > str(decode_cursor(cursor, 1)[0]))
    rows = list((await session.execute(query)).scalars())
    next_cursor = encode_cursor(rows[limit - 1].id) if len(rows) > limit else None
    return Page[SubscriptionPublic](items=[public(s) for s in rows[:limit]], next_cursor=next_cursor)


@router.get("/subscriptions/{sub_id}", response_model=SubscriptionPublic)
async def read(session: ReadSessionDep, sub_id: SubId) -> SubscriptionPublic:
    return public(await subs.get(session, sub_id))


@router.patch("/subscriptions/{sub_id}", response_model=SubscriptionPublic | SubscriptionWithSecret,
              summary="Change filters or URL, re-enable, or rotate the secret")
async def patch(runtime: RuntimeDep, session: WriteSessionDep, sub_id: SubId,
                body: SubscriptionUpdate) -> SubscriptionPublic | SubscriptionWithSecret:
    values = body.model_dump(exclude_unset=True)
    sub, secret = await subs.change(session, sub_id, values, webhook_policy(runtime.settings),
                                    runtime.settings, utcnow())
    return with_secret(sub, secret) if secret else public(sub)


@router.delete("/subscriptions/{sub_id}", status_code=204)
async def delete(session: WriteSessionDep, sub_id: SubId) -> None:
    await subs.remove(session, sub_id)


@router.post("/subscriptions/{sub_id}/test", summary="Send a signed ping now and report the answer")
async def ping(runtime: RuntimeDep, session: ReadSessionDep, sub_id: SubId) -> dict[str, object]:
    sub = await subs.get(session, sub_id)
    now = utcnow()
    body = json.dumps({"type": "alignwatch.ping", "version": "2026-11-01",
                       "timestamp": isoformat(now), "subscription_id": sub.id, "data": {}})
    result = await post_signed(runtime.deliverer.http, sub.url, msg_id=new_id("msg"), body=body,
                               signing_secrets=signing_secrets(sub, now),
                               policy=webhook_policy(runtime.settings),
                               time_limit=runtime.settings.webhook_timeout, now=now,
                               user_agent=f"{runtime.settings.user_agent} webhooks")
    ok = result.status is not None and 200 <= result.status < 300
    return {"delivered": ok, "status_code": result.status, "latency_ms": result.latency_ms,
            "error": result.error}


@router.get("/subscriptions/{sub_id}/deliveries", response_model=Page[DeliveryPublic],
            summary="Every delivery of a subscription with each attempt, newest first")
async def deliveries(session: ReadSessionDep, sub_id: SubId,
                     status: Annotated[str | None, Query(pattern="^(pending|succeeded|failed)$")] = None,
                     limit: Annotated[int, Query(ge=1, le=200)] = 50,
                     cursor: Annotated[str | None, Query(max_length=512)] = None
                     ) -> Page[DeliveryPublic]:
    await subs.get(session, sub_id)
    query = select(Delivery).where(col(Delivery.subscription_id) == sub_id)
    if status:
        query = query.where(col(Delivery.status) == status)
    if cursor:
        query = query.where(col(Delivery.id) < int(decode_cursor(cursor, 1)[0]))
    rows = list((await session.execute(query.order_by(col(Delivery.id).desc()).limit(limit + 1))).scalars())
    page = rows[:limit]
    attempts: dict[int, list[AttemptPublic]] = {}
    if page:
        found = await session.execute(select(DeliveryAttempt).where(
            col(DeliveryAttempt.delivery_id).in_([d.id for d in page])).order_by(col(DeliveryAttempt.id)))
        for a in found.scalars():
            history = AttemptPublic.model_validate(a, from_attributes=True)
            attempts.setdefault(a.delivery_id, []).append(history)
    items = [DeliveryPublic(
        id=d.id or 0, alert_id=d.alert_id, webhook_id=d.msg_id, sequence=d.sequence, status=d.status,
        attempts=d.attempts, next_attempt_at=d.next_attempt_at if d.status == "pending" else None,
        last_status_code=d.last_status_code, last_error=d.last_error, created_at=d.created_at,
        delivered_at=d.delivered_at, history=attempts.get(d.id or 0, [])) for d in page]
    next_cursor = encode_cursor(page[-1].id) if len(rows) > limit else None
    return Page[DeliveryPublic](items=items, next_cursor=next_cursor)


@router.post("/deliveries/{delivery_id}/retry", status_code=202, summary="Retry one delivery now")
async def retry(session: WriteSessionDep, delivery_id: Annotated[int, Path(ge=1, le=2**62)]
                ) -> dict[str, object]:
    delivery = await subs.retry_delivery(session, delivery_id, utcnow())
    return {"id": delivery.id, "status": delivery.status}


@router.post("/subscriptions/{sub_id}/replay", status_code=202,
             summary="Queue again every failed delivery since a time")
async def replay(session: WriteSessionDep, sub_id: SubId,
                 since: Annotated[datetime, Query(description="ISO 8601")]) -> dict[str, int]:
    if as_utc(since) > utcnow():
        raise InvalidFilter("`since` is in the future")
    return {"queued": await subs.replay_failed(session, sub_id, as_utc(since), utcnow())}


@router.get("/operations/events", response_model=Page[OperationalEventPublic],
            summary="Operational events: subscriptions disabled or re-enabled, newest first")
async def operations(session: ReadSessionDep, limit: Annotated[int, Query(ge=1, le=500)] = 100,
                     cursor: Annotated[str | None, Query(max_length=512)] = None
                     ) -> Page[OperationalEventPublic]:
    before = int(decode_cursor(cursor, 1)[0]) if cursor else None
    rows = await subs.operational_events(session, limit + 1, before=before)
    items = [OperationalEventPublic(id=e.id or 0, kind=e.kind, subject=e.subject, detail=e.detail,
                                    created_at=e.created_at) for e in rows[:limit]]
    next_cursor = encode_cursor(items[-1].id) if len(rows) > limit else None
    return Page[OperationalEventPublic](items=items, next_cursor=next_cursor)
