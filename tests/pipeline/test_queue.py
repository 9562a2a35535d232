"""The processing queue never loses a stored item: crashes, failures and poison items."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from service.db.models import Feed, Item, ItemEvent
from service.feeds.parse import ParsedEntry
from service.feeds.store import store_entries
from service.pipeline.service import process_pending
from service.timeutil import utcnow

WHEN = datetime(2026, 10, 9, 12, 0, tzinfo=UTC)


def entry(n: int) -> ParsedEntry:
    return ParsedEntry(guid=f"g{n}", link=f"https://example.gov/{n}", title=f"Item {n}",
                       summary=f"Summary of item number {n} about export controls and more.",
                       published_at=WHEN, updated_at=None, language="en")


async def seed(db, n: int) -> None:
    async with db.begin() as session:
        session.add(Feed(id="f", name="f", url="https://example.gov/f", country="US",
                         kind="government", language="en", tags=[], created_at=utcnow(),
                         updated_at=utcnow()))
        await session.flush()
        await store_entries(session, "f", [entry(i) for i in range(n)], utcnow())


class Recorder:
    name = "recorder"

    def __init__(self, fail_on: set[str] | None = None, crash: bool = False) -> None:
        self.seen: list[str] = []
        self.fail_on = fail_on or set()
        self.crash = crash

    async def process(self, session, batch) -> None:
        if self.crash:
            raise RuntimeError("process died")
        for pending in batch:
            if pending.item.title in self.fail_on:
                raise ValueError(f"cannot handle {pending.item.title}")
        # Only a batch that succeeds counts (its transaction commits).
        self.seen += [pending.item.title for pending in batch]


async def run(db, processors, **kw):
    args = {"owner": "w1", "batch_size": 3, "lease": timedelta(minutes=1), "max_attempts": 2} | kw
    return await process_pending(db, processors, **args)


async def pending_count(db) -> int:
    async with db.read() as session:
        rows = await session.execute(select(ItemEvent).where(ItemEvent.processed_at.is_(None)))
        return len(rows.scalars().all())


async def test_items_stored_before_a_crash_are_processed_after_restart(db):
    await seed(db, 5)
    report = await run(db, [Recorder(crash=True)])
    assert report.processed == 0 and await pending_count(db) == 5  # nothing marked done
    async with db.begin() as session:  # time passes: the retry delay is over
        await session.execute(update(ItemEvent).values(available_at=utcnow()))
    recorder = Recorder()
    report = await run(db, [recorder])
    assert report.processed == 5
    assert sorted(recorder.seen) == [f"Item {i}" for i in range(5)]
    assert await pending_count(db) == 0


async def test_an_expired_lease_of_a_dead_worker_is_taken_over(db):
    await seed(db, 2)
    async with db.begin() as session:  # worker w0 claimed them and died
        await session.execute(update(ItemEvent).values(
            lease_owner="w0", lease_until=utcnow() - timedelta(seconds=1)))
    recorder = Recorder()
    assert (await run(db, [recorder])).processed == 2


async def test_a_live_lease_is_respected(db):
    await seed(db, 2)
    async with db.begin() as session:
        await session.execute(update(ItemEvent).values(
            lease_owner="w0", lease_until=utcnow() + timedelta(minutes=5)))
    assert (await run(db, [Recorder()])).processed == 0


async def test_a_poison_item_is_isolated_retried_then_parked(db):
    await seed(db, 4)
    recorder = Recorder(fail_on={"Item 1"})
    report = await run(db, [recorder])
    assert report.processed == 3
    assert sorted(recorder.seen) == ["Item 0", "Item 2", "Item 3"]
    async with db.begin() as session:
        await session.execute(update(ItemEvent).values(available_at=utcnow()))
    report = await run(db, [recorder])  # second attempt of two: parked
    assert (report.processed, report.failed) == (0, 1)
    async with db.read() as session:
        (event,) = (await session.execute(
            select(ItemEvent).join(Item, Item.id == ItemEvent.item_id)
            .where(Item.title == "Item 1"))).scalars().all()
    assert event.failed_at is not None and event.attempts == 2
    assert "cannot handle Item 1" in event.last_error
