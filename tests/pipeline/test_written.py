"""The classify stage hands what it wrote to the index and alerts stages of its transaction.

Whether those stages take the rows from the hand-over or read them back from the
database, the index events and alerts must come out the same.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from service.config import Settings
from service.db.models import Alert, Feed, IndexEvent
from service.db.session import create_database
from service.feeds.parse import ParsedEntry
from service.feeds.store import store_entries
from service.index import repository as index_repository
from service.pipeline.processors import default_processors
from service.pipeline.service import process_pending
from service.timeutil import utcnow

PAIR = ("US", "JP")
FEEDS = {  # feed: (country, [(day of 2023, title)])
    "us": ("US", [(1, "Commerce adds 36 Chinese chipmakers to the Entity List, reaching foreign-made tools"),
                  (60, "United States presses allies to match its controls; Japan declines to follow"),
                  (140, "Treasury issues outbound investment rules covering Chinese AI and chip firms")]),
    "jp": ("JP", [(40, "METI adds 23 semiconductor manufacturing items to its export control list"),
                  (90, "Japan and the United States launch a critical minerals agreement"),
                  (120, "Cabinet Office publishes a tourism campaign schedule")]),
}


def parsed(feed_id: str) -> list[ParsedEntry]:
    return [ParsedEntry(guid=f"{feed_id}-{day}", link=f"https://example.gov/{feed_id}/{day}", title=title,
                        summary=f"{title}. It applies from the date of publication.",
                        published_at=datetime(2023, 1, 1, tzinfo=UTC) + timedelta(days=day),
                        updated_at=None, language="en")
            for day, title in FEEDS[feed_id][1]]


async def outputs(url: str) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Store the titles, run the service's stages over them; the index events and alerts."""
    settings = Settings(database_url=url, index_ship_history=False)
    db = create_database(settings)
    try:
        async with db.begin() as session:
            for feed_id, (country, _titles) in FEEDS.items():
                session.add(Feed(id=feed_id, name=f"{country} feed", url=f"https://example.gov/{feed_id}",
                                 country=country, kind="government", language="en", tags=[],
                                 created_at=utcnow(), updated_at=utcnow()))
            await session.flush()
            for feed_id in FEEDS:
                await store_entries(session, feed_id, parsed(feed_id), utcnow())
        await process_pending(db, default_processors(settings, lambda: [PAIR]), owner="t",
                              batch_size=4, lease=timedelta(minutes=1), max_attempts=3)
        async with db.read() as session:
            events = [(e.ref, e.day, e.domain, e.actor, e.stance, e.targets_china, e.confidence,
                       e.p_relevant, e.p_stance, e.effects, e.evidence, e.title, e.source_name)
                      for e in (await session.execute(select(IndexEvent).order_by(IndexEvent.ref))).scalars()]
            alerts = [(a.kind, a.cause, a.domain, a.stance, a.confidence, a.title, a.data)
                      for a in (await session.execute(select(Alert).order_by(Alert.cause))).scalars()]
        return events, alerts
    finally:
        await db.dispose()


async def test_index_events_and_alerts_are_the_same_with_or_without_the_hand_over(
        sqlite_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reads: list[int] = []
    read_back = index_repository.classified

    async def counted(*args: Any, **kwargs: Any) -> Any:
        reads.append(1)
        return await read_back(*args, **kwargs)

    monkeypatch.setattr(index_repository, "classified", counted)
    urls = []
    for name in ("handed", "read-back"):
        shutil.copy(sqlite_template, tmp_path / f"{name}.db")
        urls.append(f"sqlite+aiosqlite:///{tmp_path / name}.db")

    handed = await outputs(urls[0])
    assert reads == []  # the index stage took every row from the hand-over

    monkeypatch.setattr("service.classify.service.hand_over", lambda session, written: None)
    read = await outputs(urls[1])
    assert len(reads) > 0

    events, alerts = handed
    assert len(events) >= 3 and alerts  # the titles do move the index and raise alerts
    assert handed == read
