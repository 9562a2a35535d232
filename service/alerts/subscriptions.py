"""Webhook subscriptions: create, change, rotate secrets, delete, replay, test.

Targets are checked for SSRF when a subscription is saved (the name is resolved and every
address must be public) and again at every delivery, after DNS (``service.netguard``).
The signing secret is shown once, at creation or rotation; it is never returned again.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from service.alerts.outbox import disable_subscription
from service.alerts.service import new_id
from service.alerts.sign import generate_secret
from service.config import Settings
from service.db.models import Delivery, OperationalEvent, Subscription
from service.errors import BadRequest, NotFound
from service.netguard import AddressPolicy, BlockedAddressError, check_url


class InvalidTarget(BadRequest):
    code, title = "invalid-webhook-target", "Webhook target refused"


class SubscriptionNotFound(NotFound):
    code, title = "subscription-not-found", "Subscription not found"


async def check_target(url: str, policy: AddressPolicy) -> None:
    """Refuse non-http(s) URLs and hosts that are, or resolve to, non-public addresses."""
    try:
        check_url(url, policy)
    except (ValueError, BlockedAddressError) as exc:
        raise InvalidTarget(str(exc)) from exc
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        ipaddress.ip_address(host)
        return  # a literal, already checked
    except ValueError:
        pass
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(
            host, parts.port or (443 if parts.scheme == "https" else 80), type=socket.SOCK_STREAM)
    except OSError as exc:
        raise InvalidTarget(f"cannot resolve {host}: {exc}") from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not policy.allows(address):
            raise InvalidTarget(f"{host} resolves to {address}, a non-public address; refused")


async def get(session: AsyncSession, sub_id: str, *, lock: bool = False) -> Subscription:
    sub = await session.get(Subscription, sub_id, with_for_update=lock)
    if sub is None:
        raise SubscriptionNotFound(f"no subscription with id {sub_id!r}")
    return sub


async def create(session: AsyncSession, values: Mapping[str, Any], policy: AddressPolicy,
                 now: datetime) -> Subscription:
    await check_target(values["url"], policy)
    sub = Subscription(id=new_id("sub"), secret=generate_secret(), created_at=now, updated_at=now,
                       **values)
    session.add(sub)
    await session.flush()
    return sub


async def change(session: AsyncSession, sub_id: str, values: Mapping[str, Any],
                 policy: AddressPolicy, settings: Settings, now: datetime) -> tuple[Subscription, str | None]:
    """Apply a partial update; returns the subscription and a new secret if rotated."""
    sub = await get(session, sub_id, lock=True)
    values = dict(values)
    rotate = bool(values.pop("rotate_secret", False))
    enabled = values.pop("enabled", None)
    if "url" in values:
        await check_target(values["url"], policy)
    for key, value in values.items():
        setattr(sub, key, value)
    new_secret = None
    if rotate:
        new_secret = generate_secret()
        sub.previous_secret, sub.secret = sub.secret, new_secret
        sub.previous_secret_expires_at = now + settings.webhook_secret_overlap
    if enabled is True and not sub.enabled:
        sub.enabled, sub.disabled_at, sub.disabled_reason, sub.failing_since = True, None, None, None
        session.add(OperationalEvent(kind="subscription.enabled", subject=sub.id,
                                     detail={"url": sub.url}, created_at=now))
        # Deliveries waiting while it was disabled go out now.
        await session.execute(update(Delivery).where(
            col(Delivery.subscription_id) == sub.id, col(Delivery.status) == "pending"
        ).values(next_attempt_at=now))
    elif enabled is False and sub.enabled:
        await disable_subscription(session, sub, "disabled by an operator", now)
    sub.updated_at = now
    await session.flush()
    return sub, new_secret


async def remove(session: AsyncSession, sub_id: str) -> None:
    await session.delete(await get(session, sub_id))


async def retry_delivery(session: AsyncSession, delivery_id: int, now: datetime) -> Delivery:
    delivery = await session.get(Delivery, delivery_id, with_for_update=True)
    if delivery is None:
        raise NotFound(f"no delivery with id {delivery_id}")
    if delivery.status != "succeeded":
        delivery.status, delivery.next_attempt_at, delivery.attempts = "pending", now, 0
    return delivery


async def replay_failed(session: AsyncSession, sub_id: str, since: datetime, now: datetime) -> int:
    """Queue again every failed delivery of a subscription created since ``since``."""
    await get(session, sub_id)
    result = await session.execute(
        update(Delivery).where(col(Delivery.subscription_id) == sub_id,
                               col(Delivery.status) == "failed", col(Delivery.created_at) >= since)
        .values(status="pending", next_attempt_at=now, attempts=0)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def operational_events(session: AsyncSession, limit: int, *, before: int | None = None
                             ) -> list[OperationalEvent]:
    query = select(OperationalEvent).order_by(col(OperationalEvent.id).desc()).limit(limit)
    if before is not None:
        query = query.where(col(OperationalEvent.id) < before)
    return list((await session.execute(query)).scalars())
