"""Analysts' corrections: validate, record (append-only), apply, and export for training.

A correction wins over the model from the moment it is saved, and it reaches the index
and alerts through the same durable queue as new items: the item is queued again with
reason ``corrected`` in the correction's own transaction.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from dataclasses import replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from service.classify.service import kept_effects, labels_of
from service.classify.types import ACTORS, DOMAINS, STANCES, Labels
from service.db.models import Feed, Item, ItemClassification, ItemEvent, LabelCorrection
from service.errors import BadRequest, Conflict, ItemNotFound
from service.timeutil import utcnow

EDITABLE = ("relevant", "actor", "domain", "stance", "targets_china")


class InvalidLabels(BadRequest):
    code, title = "invalid-labels", "Labels contradict the rubric"


def merged_labels(current: Labels, changes: Mapping[str, Any]) -> Labels:
    """Apply a partial correction and check it against the rubric's rules."""
    labels = replace(current, **{k: v for k, v in changes.items() if k in EDITABLE})
    if not labels.relevant:
        if {"actor", "domain", "stance", "targets_china"} & set(changes):
            bad = (labels.actor is not None or labels.domain != "none"
                   or labels.stance != "neutral" or labels.targets_china)
            if bad:
                raise InvalidLabels("an irrelevant item has actor null, domain none, "
                                    "stance neutral and targets_china false")
        return Labels.irrelevant()
    if labels.actor not in ACTORS:
        raise InvalidLabels(f"a relevant item needs an actor among {sorted(ACTORS)}")
    if labels.domain not in DOMAINS or labels.domain == "none":
        raise InvalidLabels(f"a relevant item needs a domain among {[d for d in DOMAINS if d != 'none']}")
    if labels.stance not in STANCES:
        raise InvalidLabels(f"stance must be one of {sorted(STANCES)}")
    return labels


async def correct(
    session: AsyncSession,
    *,
    item_id: int,
    pair: str,
    changes: Mapping[str, Any],
    note: str | None,
    analyst: str,
) -> ItemClassification:
    """Record an analyst's labels for one item and pair; they win over the model."""
    item = await session.get(Item, item_id)
    if item is None:
        raise ItemNotFound(f"no item with id {item_id}")
    row = await session.get(ItemClassification, (item_id, pair), with_for_update=True)
    if row is None:
        raise Conflict(f"item {item_id} has not been classified for {pair} yet; retry shortly")
    previous = labels_of(row)
    labels = merged_labels(previous, changes)
    now = utcnow()
    session.add(LabelCorrection(item_id=item_id, pair=pair, labels=labels.to_dict(),
                                previous=previous.to_dict(), note=note, analyst=analyst,
                                created_at=now))
    row.relevant, row.actor, row.domain = labels.relevant, labels.actor, labels.domain
    row.stance, row.targets_china = labels.stance, labels.targets_china
    row.effects = kept_effects(row.effects, Labels.from_dict(row.model_labels), labels)
    row.source, row.confidence, row.corrected_at = "analyst", 1.0, now
    row.confidences = dict.fromkeys(EDITABLE, 1.0)
    session.add(ItemEvent(item_id=item_id, revision=item.revision, reason="corrected",
                          created_at=now, available_at=now))
    await session.flush()
    return row


async def export_corrections(session: AsyncSession) -> AsyncIterator[dict[str, Any]]:
    """Each corrected item once, latest labels, in the rubric's JSONL form."""
    rows = await session.execute(
        select(LabelCorrection, Item, Feed)
        .join(Item, col(Item.id) == col(LabelCorrection.item_id))
        .join(Feed, col(Feed.id) == col(Item.feed_id))
        .order_by(col(LabelCorrection.item_id), col(LabelCorrection.id).desc())
    )
    seen: set[tuple[int, str]] = set()
    for correction, item, feed in rows.all():
        key = (correction.item_id, correction.pair)
        if key in seen:
            continue
        seen.add(key)
        yield {
            "id": f"item-{item.id}",
            "date": item.published_at.date().isoformat(),
            "source": feed.name,
            "source_country": feed.country,
            "title": item.title,
            "summary": item.summary,
            "labels": correction.labels,
            "pair": correction.pair,
            "note": correction.note,
            "corrected_at": correction.created_at.isoformat(),
        }
