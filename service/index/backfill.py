"""``alignwatch backfill FILE.jsonl``: labelled past items become confirmed history.

Each line (the rubric's format, shared/data/RUBRIC.md) is stored as an item of a
synthetic feed per source country (``backfill-us``, ``backfill-jp``, ``backfill-other``;
never polled), with the line's labels as an analyst's classification for the pair, and
queued like any new item. The pipeline then does the rest: the classifier keeps the
analyst's labels and adds the policy effects that agree with them, and the index counts
the item exactly as it counts a polled one. Re-running with the same file changes nothing;
a line whose labels changed is updated and reprocessed like an analyst's correction.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from service.classify.types import FIELDS, Labels
from service.config import Settings
from service.db.models import Feed, Item, ItemClassification, ItemEvent, ItemFeed, ItemKey
from service.index.events import HistoryError, parse_labelled_line
from service.runtime import open_runtime
from service.timeutil import utcnow

CHUNK = 200
VERSION = "backfill"


def read_lines(path: Path) -> list[dict[str, Any]]:
    """Every line of the file, checked before anything is written (exit 2 on the first bad one)."""
    out: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as fh:
        for number, text in enumerate(fh, 1):
            if text.strip():
                out.append(parse_labelled_line(text, f"{path}:{number}"))
    return out


def feed_id_of(source_country: str) -> str:
    country = source_country if source_country in ("US", "JP") else "other"
    return f"backfill-{country.lower()}"


def item_key_of(line_id: str) -> str:
    digest = hashlib.sha256(line_id.encode()).hexdigest()[:40]
    return f"backfill:{digest}"


async def _ensure_feeds(session: AsyncSession, now: datetime) -> None:
    query = select(col(Feed.id)).where(col(Feed.id).like("backfill-%"))
    existing = set((await session.execute(query)).scalars())
    for country in ("US", "JP", "other"):
        feed_id = feed_id_of(country)
        if feed_id not in existing:
            session.add(Feed(id=feed_id, name=f"Backfill ({country})", url=f"backfill:{country}",
                             country=country if country != "other" else "other", kind="government",
                             language="en", tags=["backfill"], enabled=False, in_catalog=False,
                             created_at=now, updated_at=now))
    await session.flush()


def _language(text: str) -> str:
    return "ja" if any("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in text) else "en"


def _classification(item: Item, pair: str, labels: Labels, source: str, now: datetime) -> ItemClassification:
    assert item.id is not None
    return ItemClassification(
        item_id=item.id, pair=pair, item_revision=item.revision, published_at=item.published_at,
        **labels.to_dict(), confidence=1.0, confidences=dict.fromkeys(FIELDS, 1.0),
        evidence=[{"field": "labels", "feature": "backfill", "detail": source, "weight": 1.0}],
        effects=[], model_labels=labels.to_dict(), classifier_version=VERSION, source="analyst",
        classified_at=now, corrected_at=now)


async def store_lines(session: AsyncSession, lines: Sequence[dict[str, Any]], pair: str, source: str,
                      now: datetime) -> tuple[int, int]:
    """Store one chunk of lines; (added, updated)."""
    keys = {item_key_of(str(line["id"])): line for line in lines}
    found = await session.execute(
        select(col(ItemKey.key), col(ItemKey.item_id)).where(col(ItemKey.key).in_(keys)))
    known = {str(r[0]): int(r[1]) for r in found.all()}
    query = select(ItemClassification).where(col(ItemClassification.item_id).in_(known.values()),
                                             col(ItemClassification.pair) == pair)
    rows = {row.item_id: row for row in (await session.execute(query)).scalars()}
    added = updated = 0
    for key, line in keys.items():
        labels = Labels.from_dict(line["labels"])
        if key in known:
            row = rows.get(known[key])
            if row is not None and Labels(row.relevant, row.actor, row.domain, row.stance,
                                          row.targets_china) == labels and row.source == "analyst":
                continue
            item = await session.get(Item, known[key])
            assert item is not None
            if row is None:
                session.add(_classification(item, pair, labels, source, now))
            else:
                row.relevant, row.actor, row.domain = labels.relevant, labels.actor, labels.domain
                row.stance, row.targets_china = labels.stance, labels.targets_china
                row.source, row.confidence, row.corrected_at = "analyst", 1.0, now
            session.add(ItemEvent(item_id=known[key], revision=item.revision, reason="corrected",
                                  created_at=now, available_at=now))
            updated += 1
            continue
        day = date.fromisoformat(str(line["date"]))
        title, summary = str(line["title"]), str(line["summary"])
        item = Item(feed_id=feed_id_of(str(line["source_country"])), guid=str(line["id"]),
                    link=line.get("link"), title=title, summary=summary, language=_language(title + summary),
                    published_at=datetime(day.year, day.month, day.day, tzinfo=UTC),
                    content_hash=hashlib.sha256(f"{title}\n{summary}".encode()).hexdigest(),
                    first_seen_at=now, updated_at=now)
        session.add(item)
        await session.flush()
        assert item.id is not None
        session.add(ItemKey(key=key, item_id=item.id))
        session.add(ItemFeed(item_id=item.id, feed_id=item.feed_id, first_seen_at=now))
        session.add(_classification(item, pair, labels, source, now))
        session.add(ItemEvent(item_id=item.id, revision=1, reason="backfill", created_at=now,
                              available_at=now))
        added += 1
    await session.flush()
    return added, updated


async def run_backfill(settings: Settings, path: Path, *, pair: str | None, out: TextIO, err: TextIO) -> int:
    """Load the file, process it through the pipeline, print a summary; the exit code."""
    try:
        lines = read_lines(path)
    except (OSError, HistoryError) as exc:
        print(f"error: {exc}", file=err)
        return 2
    async with open_runtime(settings) as runtime:
        await runtime.reloader.reload("backfill")
        tracked = [f"{a}-{b}" for a, b in runtime.reloader.pairs()]
        target = pair or tracked[0]
        if target not in tracked:
            print(f"error: {target} is not a tracked pair (tracked: {', '.join(tracked)})", file=err)
            return 2
        added = updated = 0
        async with runtime.db.begin() as session:
            await _ensure_feeds(session, utcnow())
        for start in range(0, len(lines), CHUNK):
            async with runtime.db.begin() as session:
                a, u = await store_lines(session, lines[start:start + CHUNK], target, path.name, utcnow())
            added, updated = added + a, updated + u
            done = min(start + CHUNK, len(lines))
            print(f"backfill: stored {done}/{len(lines)} lines", file=err, flush=True)
        if added or updated:
            print("backfill: classifying and updating the index...", file=err, flush=True)
            report = await runtime.process_pending()
            print(f"backfill: processed {report.processed} queued events, {report.failed} failed",
                  file=err, flush=True)
            if report.failed:
                return 1
    print(f"added={added} updated={updated} unchanged={len(lines) - added - updated} pair={target}", file=out)
    return 0
