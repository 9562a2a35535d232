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
TITLES = [
    "Commerce adds 36 Chinese chipmakers to the Entity List, reaching foreign-made tools",
    "United States presses allies to match its controls; Japan declines to follow",
    "METI adds 23 semiconductor manufacturing items to its export control list, country-agnostic",
    "Japan and the United States launch a critical minerals agreement",
    "Treasury issues outbound investment rules covering Chinese AI and chip firms",
    "Cabinet Office publishes a tourism campaign schedule",
]


def entry(n: int, title: str) -> ParsedEntry:
    return ParsedEntry(guid=f"g{n}", link=f"https://example.gov/{n}", title=title,
                       summary=f"{title}. The measure takes effect after public comment.",
                       published_at=datetime(2023, 1, 1, tzinfo=UTC) + timedelta(days=20 * n),
                       updated_at=None, language="en")


async def outputs(url: str) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Store the titles, run the service's stages over them; the index events and alerts."""
    settings = Settings(database_url=url, index_ship_history=False)
    db = create_database(settings)
    try:
        async with db.begin() as session:
            for feed_id, country in (("us", "US"), ("jp", "JP")):
                session.add(Feed(id=feed_id, name=f"{country} feed", url=f"https://example.gov/{feed_id}",
                                 country=country, kind="government", language="en", tags=[],
                                 created_at=utcnow(), updated_at=utcnow()))
            await session.flush()
            await store_entries(session, "us", [entry(n, t) for n, t in enumerate(TITLES) if n % 2 == 0],
                                utcnow())
            await store_entries(session, "jp", [entry(n, t) for n, t in enumerate(TITLES) if n % 2],
                                utcnow())
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
