"""Classify stored items in the pipeline and keep each pair's policy picture in step.

The classifier is pure; this module feeds it. For every country pair tracked, an item is
classified against the picture built from the shipped baseline plus the effects of every
other classified item, so its stance reflects the counterpart's policy at the item's date
even when items arrive out of order. An analyst's correction wins over the model: the
model's call is still recomputed and kept for audit, but the labels in force stay.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

import structlog
from sqlalchemy import insert, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from service.classify.engine import Classifier
from service.classify.policy import PolicyPicture
from service.classify.types import Classification, ItemText, Labels, PolicyEffect
from service.db.models import Feed, Item, ItemClassification, table_of
from service.db.sql import chunks
from service.pipeline.service import PendingItem
from service.pipeline.written import WrittenClassification, hand_over
from service.timeutil import utcnow

log = structlog.get_logger(__name__)

Pair = tuple[str, str]


def pair_key(pair: Pair) -> str:
    return f"{pair[0]}-{pair[1]}"


def item_text(item: Item, feed: Feed | None) -> ItemText:
    """What the classifier sees of a stored item: its text and what its feed tells."""
    return ItemText(
        id=str(item.id),
        date=item.published_at.date(),
        source=feed.name if feed else item.feed_id,
        source_country=feed.country if feed else "other",
        source_kind=feed.kind if feed else None,
        title=item.title,
        summary=item.summary,
        language=item.language or (feed.language if feed else None),
    )


def labels_of(row: ItemClassification) -> Labels:
    """The labels in force on a stored classification."""
    return Labels(relevant=row.relevant, actor=row.actor, domain=row.domain, stance=row.stance,
                  targets_china=row.targets_china)


def kept_effects(effects: Sequence[dict[str, Any]], model: Labels, labels: Labels) -> list[dict[str, Any]]:
    """The model's policy effects that still hold under an analyst's labels.

    Effects say what an actor changed in a domain; if the analyst says the item is
    irrelevant, or names another actor or domain, the model's effects no longer apply.
    """
    if not labels.relevant or (labels.actor, labels.domain) != (model.actor, model.domain):
        return []
    return list(effects)


# Rows classified this long before the newest one seen are read again, so a transaction of
# another replica that committed late is not missed (leases are shorter). The window is
# re-read at most every REREAD_EVERY seconds; in between a refresh reads only rows stamped
# from the watermark on. Re-reading it on every batch made a backlog's drain quadratic
# (each batch re-read every row of the last five minutes); a late commit is at most this
# many seconds later in the picture, like any batch another replica is still processing.
REREAD_WINDOW = timedelta(minutes=5)
REREAD_EVERY = 15.0


@lru_cache(maxsize=8)
def _baseline(pair: Pair) -> tuple[PolicyEffect, ...]:
    return tuple(PolicyPicture.from_baseline(pair).effects())


class _PairPicture:
    """One pair's policy picture (baseline plus every classified item's effects), kept live.

    Rebuilding the picture from every stored classification for each batch made a batch's
    cost grow with the database (bench/ingest.py); this keeps it in memory and applies only
    rows that changed since the last look. Invariant: ``picture`` holds the baseline plus
    exactly the effects in ``effects``.
    """

    def __init__(self, pair: Pair, *, reread_every: float = REREAD_EVERY) -> None:
        self.pair = pair
        self.reread_every = reread_every
        self.window_read_at: float | None = None  # time.monotonic() of the last window re-read
        self.stamps_read = 0  # rows whose stamps the last refresh examined (tests read it)
        self.picture = PolicyPicture(pair, _baseline(pair))
        self.effects: dict[int, list[PolicyEffect]] = {}
        self.watermark: datetime | None = None
        # (classified_at, corrected_at) of each row as last read: rows in the re-read window
        # that have not changed since are not fetched again (their effects JSON is the cost)
        self.versions: dict[int, tuple[datetime, datetime | None]] = {}
        # items whose effects this process applied before its transaction ended: their stamps
        # are read back on the next refresh whatever the window, so a rolled-back batch is
        # undone (no row) and a row another writer changed since is read again (other stamps)
        self.unconfirmed: set[int] = set()

    def put(self, item_id: int, effects: Sequence[PolicyEffect]) -> None:
        """Make the item's effects in the picture exactly ``effects``."""
        for old in self.effects.pop(item_id, ()):
            self.picture.remove(old)
        if effects:
            self.effects[item_id] = list(effects)
            for effect in effects:
                self.picture.apply(effect)

    def wrote(self, item_id: int, effects: Sequence[PolicyEffect], classified_at: datetime,
              corrected_at: datetime | None) -> None:
        """Apply what this process is writing for the item, stamped as it writes it: when the
        row reads back with these stamps its effects are not fetched again."""
        self.put(item_id, effects)
        self.versions[item_id] = (classified_at, corrected_at)

    def hold_out(self, item_ids: set[int]) -> None:
        """Take a batch out of the picture while it is classified afresh."""
        for item_id in item_ids:
            self.put(item_id, ())
            self.versions.pop(item_id, None)
        self.unconfirmed |= item_ids

    async def refresh(self, session: AsyncSession) -> None:
        c = ItemClassification
        key = pair_key(self.pair)
        where = [col(c.pair) == key]
        clock = time.monotonic()
        if self.watermark is None:  # a full read covers any window
            self.window_read_at = clock
        else:
            since = self.watermark
            if self.window_read_at is None or clock - self.window_read_at >= self.reread_every:
                since, self.window_read_at = self.watermark - REREAD_WINDOW, clock
            where.append(or_(col(c.classified_at) >= since, col(c.corrected_at) >= since))
        stamps = (await session.execute(
            select(col(c.item_id), col(c.classified_at), col(c.corrected_at)).where(*where)
        )).all()
        self.stamps_read = len(stamps)
        listed = {item_id for item_id, _, _ in stamps}
        own: list[Any] = []
        for chunk in chunks(sorted(self.unconfirmed - listed)):
            own.extend((await session.execute(
                select(col(c.item_id), col(c.classified_at), col(c.corrected_at))
                .where(col(c.pair) == key, col(c.item_id).in_(chunk))
            )).all())
        changed = {item_id for item_id, classified_at, corrected_at in [*stamps, *own]
                   if self.versions.get(item_id) != (classified_at, corrected_at)}
        stored = listed | {item_id for item_id, _, _ in own}
        for item_id in self.unconfirmed - stored:  # never stored: its batch rolled back
            self.put(item_id, ())
            self.versions.pop(item_id, None)
        seen: set[int] = set()
        for chunk in chunks(sorted(changed)):
            rows = (await session.execute(
                select(col(c.item_id), col(c.relevant), col(c.effects), col(c.classified_at),
                       col(c.corrected_at)).where(col(c.pair) == key, col(c.item_id).in_(chunk))
            )).all()
            for item_id, relevant, effects, classified_at, corrected_at in rows:
                self.put(item_id, [PolicyEffect.from_dict(e) for e in effects or ()] if relevant else ())
                self.versions[item_id] = (classified_at, corrected_at)
                seen.add(item_id)
        for item_id in changed - seen:  # deleted since its stamps were read
            self.put(item_id, ())
            self.versions.pop(item_id, None)
        self.unconfirmed.clear()
        for _item_id, classified_at, corrected_at in stamps:
            newest = max(t for t in (classified_at, corrected_at) if t is not None)
            self.watermark = newest if self.watermark is None else max(self.watermark, newest)


class ClassifyProcessor:
    """Pipeline stage: (re)classify each pending item for every tracked pair."""

    name = "classify"

    def __init__(self, classifier: Classifier, pairs: Callable[[], Sequence[Pair]]) -> None:
        self._classifier = classifier
        self._pairs = pairs
        self._pictures: dict[Pair, _PairPicture] = {}

    async def process(self, session: AsyncSession, batch: Sequence[PendingItem]) -> None:
        items = sorted((p.item for p in batch), key=lambda i: (i.published_at, i.id or 0))
        ids = {i.id for i in items if i.id is not None}
        feeds = {
            f.id: f for f in (await session.execute(
                select(Feed).where(col(Feed.id).in_({i.feed_id for i in items}))
            )).scalars()
        }
        existing = {
            (row.item_id, row.pair): row for row in (await session.execute(
                select(ItemClassification).where(col(ItemClassification.item_id).in_(ids))
            )).scalars()
        }
        now = utcnow()
        new_rows: list[dict[str, Any]] = []
        updated: list[ItemClassification] = []
        for pair in self._pairs():
            live = self._pictures.get(pair)
            if live is None:
                live = self._pictures[pair] = _PairPicture(pair)
            await live.refresh(session)
            live.hold_out(ids)
            for item in items:
                assert item.id is not None
                result = self._classifier.classify(item_text(item, feeds.get(item.feed_id)), live.picture)
                row = existing.get((item.id, pair_key(pair)))
                if row is None:
                    new_rows.append(_new_row(item, pair, result, now))
                    live.wrote(item.id, result.effects, now, None)
                else:
                    kept = _update(row, item, result, now).effects
                    live.wrote(item.id, [PolicyEffect.from_dict(e) for e in kept], now, row.corrected_at)
                    updated.append(row)
        hand_over(session, [*updated, *(WrittenClassification.from_row(row) for row in new_rows)])
        if new_rows:
            # One executemany on the Core table: building an ORM object per row cost about as
            # much as classifying it, and the ORM's bulk path splits the rows into a statement
            # per run of rows with the same None columns (bench/ingest.py).
            await session.execute(insert(table_of(ItemClassification)), new_rows)


def _new_row(item: Item, pair: Pair, result: Classification, now: datetime) -> dict[str, Any]:
    """Every column of a first classification, for a bulk insert."""
    model = result.labels.to_dict()
    return {
        "item_id": item.id, "pair": pair_key(pair), "source": "model", **model,
        "confidence": min(result.confidence.values(), default=0.0),
        "confidences": dict(result.confidence), "evidence": [e.to_dict() for e in result.evidence],
        "effects": [effect.to_dict() for effect in result.effects], "model_labels": model,
        "item_revision": item.revision, "published_at": item.published_at,
        "classifier_version": result.version, "classified_at": now, "corrected_at": None,
    }


def _update(row: ItemClassification, item: Item, result: Classification, now: datetime
            ) -> ItemClassification:
    """Reclassify a stored row (a changed item); an analyst's labels stay in force."""
    model = result.labels
    effects = [effect.to_dict() for effect in result.effects]
    row.item_revision = item.revision
    row.published_at = item.published_at
    row.model_labels = model.to_dict()
    row.classifier_version = result.version
    row.classified_at = now
    if row.source == "analyst":
        row.effects = kept_effects(effects, model, labels_of(row))
        return row
    row.relevant, row.actor, row.domain = model.relevant, model.actor, model.domain
    row.stance, row.targets_china = model.stance, model.targets_china
    row.confidences = dict(result.confidence)
    row.confidence = min(result.confidence.values(), default=0.0)
    row.evidence = [e.to_dict() for e in result.evidence]
    row.effects = effects
    return row
