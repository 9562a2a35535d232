"""Storing a poll's entries: every key an entry is known by names that entry's own item."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from service.db.models import Feed, Item, ItemKey
from service.feeds.dedupe import entry_keys
from service.feeds.parse import ParsedEntry
from service.feeds.store import store_entries
from service.timeutil import utcnow

WHEN = datetime(2026, 10, 9, 12, 0, tzinfo=UTC)


def look_alikes() -> list[ParsedEntry]:
    """A batch whose new items differ in one stored column each, in a shuffled order."""
    entries = [
        ParsedEntry(guid=f"g{n}", link=f"https://example.gov/{n}", title=f"Notice {n}",
                    summary="Entity List additions for advanced computing items, and more.",
                    published_at=WHEN + timedelta(minutes=n % 3), updated_at=None, language="en")
        for n in range(40)
    ]
    # No guid, no link, a summary too short to fingerprint: known by title and date only.
    # These two store the same title, summary and date (one is dated by its update), so
    # only their dedupe keys tell them apart.
    entries += [
        ParsedEntry(guid=None, link=None, title="Holiday notice", summary="Closed.",
                    published_at=WHEN, updated_at=None, language="en"),
        ParsedEntry(guid=None, link=None, title="Holiday notice", summary="Closed.",
                    published_at=None, updated_at=WHEN, language="en"),
        ParsedEntry(guid=None, link=None, title="Holiday notice", summary="Closed.",
                    published_at=WHEN + timedelta(days=1), updated_at=None, language="ja"),
    ]
    return entries[::-1]


async def test_each_new_entry_is_stored_under_its_own_item(db) -> None:
    entries = look_alikes()
    async with db.begin() as session:
        session.add(Feed(id="f", name="f", url="https://example.gov/f", country="US",
                         kind="government", language="en", tags=[], created_at=utcnow(),
                         updated_at=utcnow()))
        await session.flush()
        stats = await store_entries(session, "f", entries, utcnow())
    assert (stats.new, stats.unchanged) == (len(entries), 0)

    async with db.read() as session:
        owner = dict((await session.execute(select(ItemKey.key, ItemKey.item_id))).all())
        items = {i.id: i for i in (await session.execute(select(Item))).scalars()}
    assert len(items) == len(entries)
    claimed: set[int] = set()
    for entry in entries:
        published = entry.published_at or entry.updated_at
        keys = entry_keys("f", guid=entry.guid, link=entry.link, title=entry.title,
                          summary=entry.summary,
                          published_iso=entry.published_at.isoformat() if entry.published_at else None)
        item_ids = {owner[key] for key in keys.keys}
        assert len(item_ids) == 1, entry
        item = items[item_ids.pop()]
        assert (item.guid, item.link, item.title, item.published_at, item.language) == (
            entry.guid, entry.link, entry.title, published, entry.language)
        assert item.id not in claimed  # no two entries share an item
        claimed.add(item.id)

    async with db.begin() as session:  # the same poll again: every entry is known
        again = await store_entries(session, "f", entries, utcnow())
    assert (again.new, again.changed, again.unchanged) == (0, 0, len(entries))
