"""Raise alerts in the pipeline and write their deliveries to the outbox, atomically.

This stage runs after classification and the index, inside the transaction that marks
the items processed: an alert and one delivery row per matching subscription are
committed together with the classification that caused them, or not at all. Delivery
happens later, from the outbox (``service.alerts.outbox``), so a receiver that is down or
a process that dies loses nothing.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import structlog
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from service.alerts.match import AlertFacts, SubscriptionFilter, matching
from service.alerts.rules import Raised, index_alerts, item_alert
from service.config import Settings
from service.db.models import (
    Alert,
    Delivery,
    Feed,
    IndexState,
    Item,
    ItemClassification,
    Subscription,
    table_of,
)
from service.db.sql import insert_ignoring_conflicts
from service.pipeline.service import PendingItem
from service.pipeline.written import ClassificationView, written_for
from service.timeutil import isoformat, utcnow

log = structlog.get_logger(__name__)

Pair = tuple[str, str]
PAYLOAD_VERSION = "2026-11-01"


def new_id(prefix: str) -> str:
    """A sortable, unguessable id: time in hex, then randomness."""
    return f"{prefix}_{time.time_ns() // 1000:014x}{secrets.token_hex(5)}"


def _filters(rows: Sequence[Subscription]) -> list[SubscriptionFilter]:
    return [SubscriptionFilter(s.id, s.enabled and s.disabled_at is None, s.pairs, s.domains,
                               s.stances, s.kinds, s.min_confidence) for s in rows]


async def _subscriptions(session: AsyncSession) -> list[SubscriptionFilter]:
    return _filters((await session.execute(select(Subscription))).scalars().all())


@dataclass(frozen=True)
class NewAlert:
    """An alert to raise: its cause and facts; ``recipients`` None means "match subscriptions"."""

    pair: str
    raised: Raised
    data: dict[str, Any]
    item_id: int | None = None
    stance: str | None = None
    confidence: float | None = None
    retracts_id: str | None = None
    recipients: Sequence[str] | None = None


async def create_alerts(
    session: AsyncSession,
    alerts: Sequence[NewAlert],
    now: datetime,
    subscriptions: Sequence[SubscriptionFilter] | None = None,
) -> list[Alert]:
    """Store each alert whose cause has not alerted yet, in one statement, and fan the new
    ones out to the outbox; returns the alerts stored."""
    if not alerts:
        return []
    rows: list[dict[str, Any]] = [
        {"id": new_id("alrt"), "pair": a.pair, "kind": a.raised.kind, "cause": a.raised.cause,
         "item_id": a.item_id, "domain": a.raised.domain, "stance": a.stance,
         "confidence": a.confidence, "retracts_id": a.retracts_id, "title": a.raised.title[:1000],
         "data": a.data, "created_at": now}
        for a in alerts
    ]
    table = table_of(Alert)
    result = await session.execute(insert_ignoring_conflicts(session, table).returning(table.c.id), rows)
    stored = set(result.scalars())  # a cause that alerted already comes back with no id
    created: list[Alert] = []
    for new, values in zip(alerts, rows, strict=True):
        if values["id"] not in stored:
            continue
        alert = Alert.model_construct(**values)  # as stored; no read back
        recipients = new.recipients
        if recipients is None:
            if subscriptions is None:
                subscriptions = await _subscriptions(session)
            facts = AlertFacts(new.raised.kind, new.pair, new.raised.domain, new.stance, new.confidence)
            recipients = matching(facts, subscriptions)
        await fan_out(session, alert, recipients, now)
        log.info("alert_raised", alert_id=alert.id, kind=new.raised.kind, pair=new.pair,
                 subscriptions=len(recipients))
        created.append(alert)
    return created


async def create_alert(
    session: AsyncSession,
    *,
    pair: str,
    raised: Raised,
    data: dict[str, Any],
    now: datetime,
    item_id: int | None = None,
    stance: str | None = None,
    confidence: float | None = None,
    retracts_id: str | None = None,
    recipients: Sequence[str] | None = None,
    subscriptions: Sequence[SubscriptionFilter] | None = None,
) -> Alert | None:
    """Store the alert unless its cause already alerted; fan it out to the outbox."""
    new = NewAlert(pair, raised, data, item_id, stance, confidence, retracts_id, recipients)
    created = await create_alerts(session, [new], now, subscriptions)
    return created[0] if created else None


async def fan_out(session: AsyncSession, alert: Alert, subscription_ids: Sequence[str],
                  now: datetime) -> None:
    """One outbox row per subscription, each with the subscription's next sequence number."""
    for sub_id in subscription_ids:
        sequence = (await session.execute(
            update(Subscription).where(col(Subscription.id) == sub_id)
            .values(sequence=col(Subscription.sequence) + 1).returning(col(Subscription.sequence))
        )).scalar_one()
        session.add(Delivery(alert_id=alert.id, subscription_id=sub_id,
                             msg_id=f"msg_{alert.id.removeprefix('alrt_')}{sub_id[-8:]}",
                             sequence=sequence, status="pending", next_attempt_at=now,
                             created_at=now))


def _item_data(item: Item, feed: Feed | None, row: ClassificationView,
               index: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "item": {"id": item.id, "title": item.title, "summary": item.summary, "link": item.link,
                 "published_at": isoformat(item.published_at),
                 "feed": {"id": item.feed_id, "name": feed.name if feed else None,
                          "country": feed.country if feed else None}},
        "classification": {"pair": row.pair, "labels": {
            "relevant": row.relevant, "actor": row.actor, "domain": row.domain,
            "stance": row.stance, "targets_china": row.targets_china},
            "source": row.source, "confidence": row.confidence, "evidence": row.evidence,
            "classifier_version": row.classifier_version},
        "index": index,
    }


def _index_summary(state: IndexState | None, domain: str | None) -> dict[str, Any] | None:
    if state is None or not state.snapshot.get("overall"):
        return None
    snap = state.snapshot
    summary: dict[str, Any] = {"pair": state.pair, "as_of": snap.get("as_of"),
                               "overall": snap["overall"].get("value")}
    if domain and domain in snap.get("domains", {}):
        summary["domain"] = {"name": domain, "value": snap["domains"][domain].get("value")}
    past = snap.get("past", {}).get("30", {})
    if "overall" in past:
        summary["overall_change_30d"] = summary["overall"] - past["overall"]
    return summary


async def _classifications(session: AsyncSession, item_ids: Collection[int]) -> Sequence[ClassificationView]:
    """Every stored classification of the items, in any pair: as the classify stage of this
    transaction wrote them when it wrote them all (the keys are cheap to read; the rows'
    JSON is not), else from the database."""
    c = ItemClassification
    keys = [(int(item_id), str(pair)) for item_id, pair in (await session.execute(
        select(col(c.item_id), col(c.pair)).where(col(c.item_id).in_(item_ids)))).all()]
    written = written_for(session, keys)
    if written is not None:
        return written
    return (await session.execute(select(c).where(col(c.item_id).in_(item_ids)))).scalars().all()


class AlertProcessor:
    """Pipeline stage: item alerts, retractions after corrections, index-move alerts."""

    name = "alerts"

    def __init__(self, settings: Settings, pairs: Callable[[], Sequence[Pair]]) -> None:
        self._settings = settings
        self._pairs = pairs
        self._subs: list[SubscriptionFilter] = []

    async def process(self, session: AsyncSession, batch: Sequence[PendingItem]) -> None:
        now = utcnow()
        items = {p.item.id: p.item for p in batch if p.item.id is not None}
        if not items:
            return
        rows = await _classifications(session, items)
        feeds = {f.id: f for f in (await session.execute(
            select(Feed).where(col(Feed.id).in_({i.feed_id for i in items.values()}))
        )).scalars()}
        states = {s.pair: s for s in (await session.execute(select(IndexState))).scalars()}
        earlier = (await session.execute(
            select(Alert).where(col(Alert.item_id).in_(items)).order_by(col(Alert.created_at))
        )).scalars().all()
        self._subs = await _subscriptions(session)  # one read per batch, not per alert
        raised: list[NewAlert] = []
        for row in rows:
            mine = [a for a in earlier if a.item_id == row.item_id and a.pair == row.pair]
            pending = await self._item(session, items[row.item_id], feeds, row,
                                       states.get(row.pair), mine, now)
            if pending is not None:
                raised.append(pending)
        await create_alerts(session, raised, now, self._subs)  # one INSERT for the batch
        for pair in {row.pair for row in rows}:
            await self._index(session, pair, states.get(pair), now)

    async def _item(self, session: AsyncSession, item: Item, feeds: dict[str, Feed],
                    row: ClassificationView, state: IndexState | None, mine: list[Alert],
                    now: datetime) -> NewAlert | None:
        """Retract the item's alerts it no longer deserves; the item alert to raise, if any."""
        assert item.id is not None
        retracted = {a.retracts_id for a in mine if a.kind == "alert.retracted"}
        live = [a for a in mine if a.kind == "item.diverging" and a.id not in retracted]
        still_diverging = row.relevant and row.stance == "diverging"
        to_retract = [] if still_diverging else live
        raised = item_alert(item_id=item.id, pair=row.pair, relevant=row.relevant,
                            stance=row.stance, domain=row.domain, confidence=row.confidence,
                            title=item.title, min_confidence=self._settings.alert_min_confidence,
                            generation=len(retracted) + len(to_retract))
        if raised is None and not to_retract:
            return None  # most items: no alert, so no payload to build (bench/ingest.py)
        data = _item_data(item, feeds.get(item.feed_id), row, _index_summary(state, row.domain))
        for alert in to_retract:
            receivers = (await session.execute(
                select(col(Delivery.subscription_id)).where(col(Delivery.alert_id) == alert.id)
            )).scalars().all()
            retraction = Raised("alert.retracted", f"retract:{alert.id}", alert.domain,
                                f"Retracted: {alert.title}", {})
            await create_alert(session, pair=row.pair, raised=retraction,
                               data=data | {"retracts": {"id": alert.id, "kind": alert.kind,
                                                         "title": alert.title}},
                               now=now, item_id=item.id, stance=row.stance,
                               confidence=row.confidence, retracts_id=alert.id,
                               recipients=list(receivers))
            retracted.add(alert.id)
        if raised is None:
            return None
        return NewAlert(row.pair, raised, data, item.id, row.stance, row.confidence)

    async def _index(self, session: AsyncSession, pair: str, state: IndexState | None,
                     now: datetime) -> None:
        if state is None or not state.snapshot.get("overall"):
            return
        snap = state.snapshot
        values = {"overall": snap["overall"]["value"]} | {
            d: v["value"] for d, v in snap.get("domains", {}).items() if v.get("value") is not None}
        window = self._settings.alert_index_drop_window_days
        for raised in index_alerts(
            pair=pair, now=now, values=values, past=snap.get("past", {}).get(str(window), {}),
            recent=snap.get("past", {}).get("7", {}),
            drop_points=self._settings.alert_index_drop_points, window_days=window,
            levels=self._settings.alert_index_levels, cooldown=self._settings.alert_index_cooldown,
        ):
            await create_alert(session, pair=pair, raised=raised,
                               data={"index": (_index_summary(state, raised.domain) or {}) | raised.facts},
                               now=now)
