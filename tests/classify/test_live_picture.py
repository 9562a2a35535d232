"""The pipeline's live policy picture stays equal to what the database says.

The classify stage keeps each pair's picture in memory and applies only changed rows; a
batch whose transaction rolls back (a later stage failed) must leave no trace in it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from service.classify import PolicyEffect, get_classifier
from service.classify.service import ClassifyProcessor, _PairPicture
from service.db.models import Feed, ItemClassification, ItemEvent
from service.feeds.parse import ParsedEntry
from service.feeds.store import store_entries
from service.pipeline.service import process_pending
from service.timeutil import utcnow

PAIR = ("US", "JP")
TITLES = [
    "BIS adds advanced semiconductor manufacturing equipment controls on China",
    "METI revises export controls to add 23 items of chip-making equipment",
    "Commerce Department publishes entity list additions for Chinese firms",
    "Japan and the United States sign a critical minerals agreement",
]


def entry(n: int, title: str) -> ParsedEntry:
    return ParsedEntry(guid=f"g{n}", link=f"https://example.gov/{n}", title=title,
                       summary=f"{title}. The measure takes effect after public comment.",
                       published_at=datetime(2023, 1, 1, tzinfo=UTC) + timedelta(days=30 * n),
                       updated_at=None, language="en")


class FailingStage:
    name = "failing"

    def __init__(self) -> None:
        self.fail = True

    async def process(self, session, batch) -> None:
        if self.fail:
            raise RuntimeError("a later stage failed")


async def stored_picture(db) -> list:
    fresh = _PairPicture(PAIR)
    async with db.read() as session:
        await fresh.refresh(session)
    return sorted(fresh.picture.effects(), key=repr)


async def store_titles(db) -> None:
    """One US feed holding the four titles, stored and queued for processing."""
    async with db.begin() as session:
        session.add(Feed(id="f", name="BIS", url="https://example.gov/f", country="US",
                         kind="government", language="en", tags=[], created_at=utcnow(),
                         updated_at=utcnow()))
        await session.flush()
        await store_entries(session, "f", [entry(n, t) for n, t in enumerate(TITLES)], utcnow())


async def test_a_rolled_back_batch_leaves_no_effects_in_the_live_picture(db):
    await store_titles(db)
    classify = ClassifyProcessor(get_classifier(), lambda: [PAIR])
    failing = FailingStage()
    args = {"owner": "w1", "batch_size": 10, "lease": timedelta(seconds=0), "max_attempts": 5}

    await process_pending(db, [classify, failing], **args)  # classifies, then rolls back
    live = classify._pictures[PAIR]
    assert len(live.effects) > 0  # the failed batches had applied their effects in memory
    baseline_only = await stored_picture(db)
    async with db.read() as session:
        await live.refresh(session)
    assert live.effects == {}
    assert sorted(live.picture.effects(), key=repr) == baseline_only

    failing.fail = False
    async with db.begin() as session:  # retry now rather than after the backoff
        await session.execute(update(ItemEvent).values(available_at=utcnow() - timedelta(seconds=1)))
    report = await process_pending(db, [classify, failing], **args)
    assert report.processed == len(TITLES)
    stored = await stored_picture(db)
    assert len(stored) > len(baseline_only)  # the items' effects are now in the database
    assert sorted(live.picture.effects(), key=repr) == stored


async def classified_db(db) -> ClassifyProcessor:
    """The four titles stored and classified by one processor; returns the processor."""
    await store_titles(db)
    classify = ClassifyProcessor(get_classifier(), lambda: [PAIR])
    report = await process_pending(db, [classify], owner="w1", batch_size=10,
                                   lease=timedelta(seconds=30), max_attempts=5)
    assert report.processed == len(TITLES)
    return classify


async def test_a_late_commit_by_another_writer_reaches_the_picture_on_the_window_reread(db):
    classify = await classified_db(db)
    live = classify._pictures[PAIR]
    async with db.read() as session:
        await live.refresh(session)  # confirms the batch; the watermark is now its stamp
    assert live.watermark is not None
    live.reread_every = 3600.0
    # Another replica's transaction began a minute before the watermark and commits now,
    # giving one row an effect this process never applied.
    late = PolicyEffect("US", "sanctions", "sanctions/russia", "tighten", datetime(2023, 3, 1).date(),
                        "late", "a late-committed effect")
    async with db.begin() as session:
        row = (await session.execute(select(ItemClassification).limit(1))).scalar_one()
        row.effects = [*row.effects, late.to_dict()]
        row.relevant = True
        row.classified_at = live.watermark - timedelta(minutes=1)
    async with db.read() as session:
        await live.refresh(session)  # between window re-reads: only rows from the watermark on
    assert late not in live.picture.effects()
    live.window_read_at = None  # the next refresh re-reads the window
    async with db.read() as session:
        await live.refresh(session)
    assert late in live.picture.effects()
    assert sorted(live.picture.effects(), key=repr) == await stored_picture(db)


async def test_a_refresh_between_window_rereads_reads_only_rows_from_the_watermark_on(db):
    classify = await classified_db(db)
    live = classify._pictures[PAIR]
    async with db.read() as session:
        await live.refresh(session)
    live.reread_every = 3600.0
    async with db.begin() as session:  # every row stamped before the watermark
        await session.execute(update(ItemClassification).values(
            classified_at=live.watermark - timedelta(minutes=2)))
    async with db.read() as session:
        await live.refresh(session)
    assert live.stamps_read == 0
    live.window_read_at = None
    async with db.read() as session:
        await live.refresh(session)
    assert live.stamps_read == len(TITLES)
