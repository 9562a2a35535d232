"""Alerts as JSON (paginated, filterable) and as an Atom feed for people's feed readers."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from feedgen.feed import FeedGenerator
from sqlalchemy import and_, or_, select
from sqlmodel import col

from service.api.deps import ReadAccess, ReadSessionDep
from service.api.pagination import decode_cursor, encode_cursor
from service.api.schemas import AlertKind, AlertPublic, DomainName, Page
from service.db.models import Alert
from service.errors import InvalidCursor
from service.timeutil import as_utc, isoformat

router = APIRouter(prefix="/v1", tags=["alerts"], dependencies=[ReadAccess])


def _public(alert: Alert) -> AlertPublic:
    return AlertPublic(id=alert.id, pair=alert.pair, kind=alert.kind, title=alert.title,
                       domain=alert.domain, stance=alert.stance, confidence=alert.confidence,
                       item_id=alert.item_id, retracts=alert.retracts_id,
                       created_at=alert.created_at, data=alert.data)


def _query(pair: str | None, kind: str | None, domain: str | None, since: datetime | None):  # type: ignore[no-untyped-def]
    query = select(Alert)
    if pair:
        query = query.where(col(Alert.pair) == pair)
    if kind:
        query = query.where(col(Alert.kind) == kind)
    if domain:
        query = query.where(col(Alert.domain) == domain)
    if since:
        query = query.where(col(Alert.created_at) >= as_utc(since))
    return query.order_by(col(Alert.created_at).desc(), col(Alert.id).desc())


@router.get("/alerts", response_model=Page[AlertPublic], summary="Alerts, newest first")
async def alerts(
    session: ReadSessionDep,
    pair: Annotated[str | None, Query(pattern=r"^[A-Z]{2}-[A-Z]{2}$")] = None,
    kind: AlertKind | None = None,
    domain: DomainName | None = None,
    since: datetime | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(max_length=512)] = None,
) -> Page[AlertPublic]:
    query = _query(pair, kind, domain, since)
    if cursor:
        when, alert_id = decode_cursor(cursor, 2)
        try:
            at = as_utc(datetime.fromisoformat(str(when).replace("Z", "+00:00")))
        except ValueError as exc:
            raise InvalidCursor("cursor does not belong to this listing") from exc
        query = query.where(or_(col(Alert.created_at) < at,
                                and_(col(Alert.created_at) == at, col(Alert.id) < str(alert_id))))
    rows = list((await session.execute(query.limit(limit + 1))).scalars())
    page = rows[:limit]
    next_cursor = encode_cursor(isoformat(page[-1].created_at), page[-1].id) if len(rows) > limit else None
    return Page[AlertPublic](items=[_public(a) for a in page], next_cursor=next_cursor)


@router.get("/alerts.atom", response_class=Response,
            responses={200: {"content": {"application/atom+xml": {}}}},
            summary="The latest alerts as an Atom feed")
async def alerts_atom(request: Request, session: ReadSessionDep,
                      pair: Annotated[str | None, Query(pattern=r"^[A-Z]{2}-[A-Z]{2}$")] = None,
                      kind: AlertKind | None = None) -> Response:
    rows = list((await session.execute(_query(pair, kind, None, None).limit(50))).scalars())
    feed = FeedGenerator()
    base = str(request.base_url).rstrip("/")
    feed.id(f"{base}/v1/alerts.atom")
    feed.title("alignwatch alerts" + (f" ({pair})" if pair else ""))
    feed.link(href=f"{base}/v1/alerts.atom", rel="self")
    feed.link(href=f"{base}/", rel="alternate")
    feed.updated(rows[0].created_at if rows else datetime(2017, 1, 1, tzinfo=UTC))
    for alert in reversed(rows):
        entry = feed.add_entry()
        entry.id(f"urn:alignwatch:alert:{alert.id}")
        entry.title(alert.title)
        entry.updated(alert.created_at)
        entry.published(alert.created_at)
        item = alert.data.get("item") or {}
        if item.get("link"):
            entry.link(href=item["link"])
        summary = [f"{alert.kind} · {alert.pair}"]
        if alert.domain:
            summary.append(alert.domain.replace("_", " "))
        if alert.confidence is not None:
            summary.append(f"confidence {alert.confidence:.2f}")
        if item.get("summary"):
            summary.append(item["summary"])
        entry.summary(" — ".join(summary))
        entry.category(term=alert.kind)
    return Response(feed.atom_str(pretty=True), media_type="application/atom+xml")
