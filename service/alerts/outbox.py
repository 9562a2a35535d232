"""Drain the webhook outbox: claim due deliveries, POST them signed, record every attempt.

Deliveries are claimed with a lease (``FOR UPDATE SKIP LOCKED`` on PostgreSQL), so several
replicas never make the same attempt; a replica that dies mid-attempt leaves its lease to
expire and another takes over. That is what makes delivery at-least-once: a receiver can
see a message twice (same ``webhook-id``) but never miss one. Results of a whole batch are
written in one transaction, which is what makes the durable path fast.
"""

from __future__ import annotations

import asyncio
import json
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import aiohttp
import structlog
from sqlalchemy import bindparam, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from service.alerts.deliver import AttemptResult, post_signed
from service.alerts.retry import judge_attempt
from service.config import Settings
from service.db.models import (
    Alert,
    Delivery,
    DeliveryAttempt,
    OperationalEvent,
    Subscription,
    table_of,
)
from service.db.session import Database
from service.metrics import Metrics
from service.netguard import AddressPolicy
from service.timeutil import isoformat, utcnow

log = structlog.get_logger(__name__)

_DELIVERY, _ATTEMPT = table_of(Delivery), table_of(DeliveryAttempt)
# One attempt's outcome, executed many times per batch; fenced by the lease owner.
_RECORD_DELIVERY = (
    update(_DELIVERY)
    .where(_DELIVERY.c.id == bindparam("b_id"), _DELIVERY.c.lease_owner == bindparam("b_owner"))
    .values(
        attempts=bindparam("b_attempts"), lease_owner=None, lease_until=None,
        status=func.coalesce(bindparam("b_status", type_=_DELIVERY.c.status.type), _DELIVERY.c.status),
        next_attempt_at=func.coalesce(
            bindparam("b_next_attempt_at", type_=_DELIVERY.c.next_attempt_at.type),
            _DELIVERY.c.next_attempt_at),
        delivered_at=func.coalesce(
            bindparam("b_delivered_at", type_=_DELIVERY.c.delivered_at.type), _DELIVERY.c.delivered_at),
        last_status_code=bindparam("b_last_status_code"), last_error=bindparam("b_last_error"),
    )
)


def webhook_policy(settings: Settings) -> AddressPolicy:
    return AddressPolicy(allow_loopback=settings.allow_loopback_webhooks)


def message_body(alert: Alert, delivery: Delivery) -> str:
    """The versioned payload; identical on every retry of a delivery (it is signed)."""
    return json.dumps({
        "type": f"alignwatch.{alert.kind}",
        "version": "2026-11-01",
        "timestamp": isoformat(alert.created_at),
        "sequence": delivery.sequence,
        "subscription_id": delivery.subscription_id,
        "data": {"alert": {"id": alert.id, "kind": alert.kind, "pair": alert.pair,
                           "title": alert.title, "domain": alert.domain, "stance": alert.stance,
                           "confidence": alert.confidence, "retracts": alert.retracts_id,
                           "created_at": isoformat(alert.created_at)},
                 **alert.data},
    }, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def signing_secrets(sub: Subscription, now: datetime) -> list[str]:
    keys = [sub.secret]
    if sub.previous_secret and sub.previous_secret_expires_at and sub.previous_secret_expires_at > now:
        keys.append(sub.previous_secret)
    return keys


@dataclass(frozen=True)
class Claimed:
    delivery: Delivery
    alert: Alert
    subscription: Subscription


class Deliverer:
    """The delivery worker of one replica."""

    def __init__(self, settings: Settings, db: Database, http: aiohttp.ClientSession,
                 metrics: Metrics | None = None, rng: random.Random | None = None) -> None:
        self._settings = settings
        self._db = db
        self._http = http
        self._metrics = metrics
        self._policy = webhook_policy(settings)
        self._rng = rng or random.Random()
        self._global = asyncio.Semaphore(settings.webhook_concurrency)
        self._per_endpoint: dict[str, asyncio.Semaphore] = defaultdict(
            lambda: asyncio.Semaphore(settings.webhook_per_endpoint))

    @property
    def http(self) -> aiohttp.ClientSession:
        """The guarded client deliveries use (also for test pings)."""
        return self._http

    async def drain(self, max_rounds: int = 100) -> int:
        """Deliver everything that is due now; return the number of attempts made."""
        total = 0
        for _ in range(max_rounds):
            made = await self.deliver_due()
            total += made
            if made < self._settings.webhook_batch_size:
                break
        return total

    async def deliver_due(self) -> int:
        claimed = await self._claim()
        if not claimed:
            return 0
        now = utcnow()
        try:
            results = await asyncio.gather(*(self._attempt(c, now) for c in claimed))
        except asyncio.CancelledError:
            # Shutting down: hand the batch to the other replicas now, not after the lease.
            await asyncio.shield(self._release(claimed))
            raise
        await self._record(claimed, results)
        return len(claimed)

    async def _release(self, claimed: Sequence[Claimed]) -> None:
        ids = [c.delivery.id for c in claimed]
        async with self._db.begin() as session:
            await session.execute(
                update(Delivery).where(col(Delivery.id).in_(ids),
                                       col(Delivery.lease_owner) == self._settings.instance_id)
                .values(lease_owner=None, lease_until=None))
        log.info("deliveries_released", count=len(ids))

    async def _claim(self) -> list[Claimed]:
        now, owner = utcnow(), self._settings.instance_id
        due = (
            select(col(Delivery.id))
            .join(Subscription, col(Subscription.id) == col(Delivery.subscription_id))
            .where(col(Delivery.status) == "pending", col(Delivery.next_attempt_at) <= now,
                   or_(col(Delivery.lease_until).is_(None), col(Delivery.lease_until) < now),
                   col(Subscription.enabled).is_(True), col(Subscription.disabled_at).is_(None))
            .order_by(col(Delivery.next_attempt_at))
            .limit(self._settings.webhook_batch_size)
            .with_for_update(skip_locked=True, of=Delivery)
        )
        async with self._db.begin() as session:
            ids = (await session.execute(
                update(Delivery).where(col(Delivery.id).in_(due.scalar_subquery()))
                .values(lease_owner=owner, lease_until=now + self._settings.webhook_lease)
                .returning(col(Delivery.id))
            )).scalars().all()
            if not ids:
                return []
            # Each alert and subscription once, not once per delivery: a batch holds an
            # alert for every subscription, and their JSON columns cost the most to load.
            deliveries = (await session.execute(
                select(Delivery).where(col(Delivery.id).in_(ids)))).scalars().all()
            alerts = {a.id: a for a in (await session.execute(select(Alert).where(
                col(Alert.id).in_({d.alert_id for d in deliveries})))).scalars()}
            subs = {s.id: s for s in (await session.execute(select(Subscription).where(
                col(Subscription.id).in_({d.subscription_id for d in deliveries})))).scalars()}
        return [Claimed(d, alerts[d.alert_id], subs[d.subscription_id]) for d in deliveries]

    async def _attempt(self, claimed: Claimed, now: datetime) -> AttemptResult:
        sub = claimed.subscription
        async with self._global, self._per_endpoint[sub.id]:
            return await post_signed(
                self._http, sub.url, msg_id=claimed.delivery.msg_id,
                body=message_body(claimed.alert, claimed.delivery),
                signing_secrets=signing_secrets(sub, now), policy=self._policy,
                time_limit=self._settings.webhook_timeout, now=utcnow(),
                user_agent=f"{self._settings.user_agent} webhooks",
            )

    async def _record(self, claimed: Sequence[Claimed], results: Sequence[AttemptResult]) -> None:
        """Write a batch's outcomes: one fenced UPDATE and one attempt row per try, in bulk.

        Both are executemany statements (asyncpg pipelines them; SQLite runs them in one
        call), so recording costs a few round trips per batch instead of two per delivery.
        A delivery whose lease another replica has taken is left to that replica (the
        ``lease_owner`` fence), but its attempt is still recorded: it happened.
        """
        now, owner = utcnow(), self._settings.instance_id
        health: dict[str, list[str]] = defaultdict(list)
        changes: list[dict[str, object]] = []
        tries: list[dict[str, object]] = []
        for item, result in zip(claimed, results, strict=True):
            delivery = item.delivery
            attempt = delivery.attempts + 1
            verdict = judge_attempt(attempt=attempt, status=result.status, error=result.error,
                                    retry_after=result.retry_after, rng=self._rng)
            status: str | None = None  # None: unchanged (the COALESCEs of _RECORD_DELIVERY)
            next_attempt_at: datetime | None = None
            delivered_at: datetime | None = None
            if verdict.outcome == "succeeded":
                status, delivered_at = "succeeded", now
                if self._metrics:
                    self._metrics.delivery_lag.observe((now - item.alert.created_at).total_seconds())
            elif verdict.outcome == "retry":
                assert verdict.delay is not None
                next_attempt_at = now + verdict.delay
            elif verdict.outcome == "failed":
                status = "failed"
            else:  # gone: stays pending, resumes if the subscription is re-enabled
                next_attempt_at = now
            changes.append({
                "b_id": delivery.id, "b_owner": owner, "b_attempts": attempt, "b_status": status,
                "b_next_attempt_at": next_attempt_at, "b_delivered_at": delivered_at,
                "b_last_status_code": result.status, "b_last_error": result.error or (
                    None if verdict.outcome == "succeeded" else verdict.reason),
            })
            tries.append({
                "delivery_id": delivery.id, "attempt": attempt, "attempted_at": now,
                "status_code": result.status, "latency_ms": result.latency_ms,
                "outcome": verdict.outcome, "error": result.error,
                "response_excerpt": result.response_excerpt,
            })
            health[item.subscription.id].append(verdict.outcome)
            if self._metrics:
                self._metrics.deliveries.labels(verdict.outcome).inc()
        async with self._db.begin() as session:
            await session.execute(_RECORD_DELIVERY, changes)
            await session.execute(insert(_ATTEMPT), tries)
            for sub_id, outcomes in sorted(health.items()):  # one lock order everywhere
                await self._update_health(session, sub_id, outcomes, now)

    async def _update_health(self, session: AsyncSession, sub_id: str, outcomes: list[str],
                             now: datetime) -> None:
        if "succeeded" in outcomes:
            await session.execute(update(Subscription).where(
                col(Subscription.id) == sub_id, col(Subscription.failing_since).is_not(None)
            ).values(failing_since=None))
            return
        sub = await session.get(Subscription, sub_id, with_for_update=True)
        if sub is None or sub.disabled_at is not None:
            return
        reason = None
        if "gone" in outcomes:
            reason = "the endpoint answered 410 Gone"
        elif sub.failing_since and now - sub.failing_since >= self._settings.webhook_disable_after:
            reason = (f"every delivery failed since {isoformat(sub.failing_since)} "
                      f"({self._settings.webhook_disable_after} without a success)")
        if sub.failing_since is None:
            sub.failing_since = now
        if reason is not None:
            await disable_subscription(session, sub, reason, now)
            if self._metrics:
                self._metrics.subscriptions_disabled.inc()


async def disable_subscription(session: AsyncSession, sub: Subscription, reason: str,
                               now: datetime) -> None:
    """Disable and record it as an operational event, for the API, the logs and metrics."""
    sub.enabled = False
    sub.disabled_at, sub.disabled_reason, sub.updated_at = now, reason, now
    session.add(OperationalEvent(kind="subscription.disabled", subject=sub.id,
                                 detail={"reason": reason, "url": sub.url}, created_at=now))
    log.warning("subscription_disabled", subscription_id=sub.id, reason=reason)

