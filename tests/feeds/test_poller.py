"""The whole ingestion path on real databases, against a real feed server on loopback."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from service.db.models import Feed, FeedState, Item, ItemEvent, ItemFeed
from service.runtime import open_runtime
from service.timeutil import utcnow
from tests.conftest import make_settings, write_feeds_yml
from tests.feedserver import Reply
from tests.paths import SAMPLES_DIR

SAMPLES = {
    "us-federal-register-bis.rss": ("fr-bis", "US", 5),
    "us-bis-press.rss": ("bis-press", "US", 5),  # one release posted twice: stored once
    "jp-meti-news.rdf": ("meti", "JP", 6),
    "jp-mofa-press-sjis.rdf": ("mofa", "JP", 5),  # one item listed twice
    "thinktank-atom.xml": ("thinktank", "US", 5),
    "broken-feed.xml": ("ustr", "US", 5),  # truncated, still yields its entries
}


def rss(*items: tuple[str, str, str], ttl: int | None = None) -> bytes:
    """A small RSS 2.0 document from (guid, title, description) triples."""
    body = "".join(
        f"<item><title>{t}</title><link>https://example.gov/{g}</link><guid>{g}</guid>"
        f"<description>{d}</description><pubDate>Fri, 09 Oct 2026 12:00:00 GMT</pubDate></item>"
        for g, t, d in items
    )
    ttl_xml = f"<ttl>{ttl}</ttl>" if ttl else ""
    return (f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>t</title>"
            f"{ttl_xml}{body}</channel></rss>").encode()


DESC = "Commerce adds entities to the Entity List for supplying advanced computing items."


async def count(db, model, *where) -> int:
    async with db.read() as session:
        query = select(func.count()).select_from(model)
        for clause in where:
            query = query.where(clause)
        return int((await session.execute(query)).scalar_one())


async def state(db, feed_id: str) -> FeedState:
    async with db.read() as session:
        return await session.get(FeedState, feed_id)


async def make_due(db) -> None:
    async with db.begin() as session:
        await session.execute(update(FeedState).values(next_poll_at=utcnow() - timedelta(seconds=1)))


@pytest.fixture
def feeds_file(tmp_path: Path) -> Path:
    return tmp_path / "feeds.yml"


async def test_every_sample_is_stored_once_with_its_entries(database_url, feed_server, feeds_file):
    feeds = []
    for name, (feed_id, country, _) in SAMPLES.items():
        url = feed_server.set(f"/{name}", Reply(body=(SAMPLES_DIR / name).read_bytes(),
                                                 etag=f'"{name}"'))
        feeds.append({"id": feed_id, "url": url, "country": country})
    write_feeds_yml(feeds_file, feeds)
    async with open_runtime(make_settings(database_url, feeds_file)) as runtime:
        await runtime.reloader.reload("test")
        outcomes = {o.feed_id: o for o in await runtime.poll_and_process()}
        assert set(outcomes) == {fid for fid, _, _ in SAMPLES.values()}
        for feed_id, _, expected in SAMPLES.values():
            assert outcomes[feed_id].new == expected, feed_id
            assert await count(runtime.db, ItemFeed, ItemFeed.feed_id == feed_id) == expected
        total = sum(expected for _, _, expected in SAMPLES.values())
        assert await count(runtime.db, Item) == total
        assert await count(runtime.db, ItemEvent, ItemEvent.processed_at.is_not(None)) == total

        async with runtime.db.read() as session:
            titles = set((await session.execute(select(Item.title))).scalars())
        assert any("日米経済政策協議委員会" in t for t in titles), "Shift_JIS title garbled"
        assert (await state(runtime.db, "ustr")).bozo_reason  # the broken feed is flagged

        # Polling again: every server answers 304 and nothing new is stored or queued.
        await make_due(runtime.db)
        again = await runtime.poll_and_process()
        assert {o.result for o in again} == {"not_modified"}
        assert await count(runtime.db, Item) == total
        assert await count(runtime.db, ItemEvent) == total


async def test_repolled_full_document_without_validators_adds_nothing(database_url, feed_server,
                                                                       feeds_file):
    url = feed_server.set("/f", Reply(body=rss(("a", "First", DESC), ("b", "Second", DESC + " B"))))
    write_feeds_yml(feeds_file, [{"id": "f", "url": url}])
    async with open_runtime(make_settings(database_url, feeds_file)) as runtime:
        await runtime.reloader.reload("test")
        assert [o.new for o in await runtime.poll_and_process()] == [2]
        # Same entries, reordered: no new item, no new event.
        feed_server.set("/f", Reply(body=rss(("b", "Second", DESC + " B"), ("a", "First", DESC))))
        await make_due(runtime.db)
        (outcome,) = await runtime.poll_and_process()
        assert (outcome.result, outcome.new, outcome.changed) == ("ok", 0, 0)
        assert await count(runtime.db, ItemEvent) == 2


async def test_changed_entry_is_updated_and_processed_again_once(database_url, feed_server,
                                                                 feeds_file):
    url = feed_server.set("/f", Reply(body=rss(("a", "Draft rule", DESC))))
    write_feeds_yml(feeds_file, [{"id": "f", "url": url}])
    async with open_runtime(make_settings(database_url, feeds_file)) as runtime:
        await runtime.reloader.reload("test")
        await runtime.poll_and_process()
        feed_server.set("/f", Reply(body=rss(("a", "Final rule", DESC))))
        for _ in range(2):  # the second poll sees the same changed text: no new event
            await make_due(runtime.db)
            await runtime.poll_and_process()
        async with runtime.db.read() as session:
            (item,) = (await session.execute(select(Item))).scalars().all()
            events = (await session.execute(select(ItemEvent).order_by(ItemEvent.id))).scalars().all()
        assert (item.title, item.revision) == ("Final rule", 2)
        assert [(e.reason, e.revision) for e in events] == [("new", 1), ("changed", 2)]
        assert all(e.processed_at is not None for e in events)


async def test_entries_without_guid_or_link_are_deduplicated(database_url, feed_server, feeds_file):
    doc = (b"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title>"
           b"<item><title>Notice one</title><pubDate>Fri, 09 Oct 2026 12:00:00 GMT</pubDate></item>"
           b"<item><title>Notice two</title></item></channel></rss>")
    url = feed_server.set("/f", Reply(body=doc))
    write_feeds_yml(feeds_file, [{"id": "f", "url": url}])
    async with open_runtime(make_settings(database_url, feeds_file)) as runtime:
        await runtime.reloader.reload("test")
        assert [o.new for o in await runtime.poll_and_process()] == [2]
        await make_due(runtime.db)
        assert [o.new for o in await runtime.poll_and_process()] == [0]
        assert await count(runtime.db, Item) == 2


async def test_same_entry_in_two_feeds_is_one_item_linked_to_both(database_url, feed_server,
                                                                   feeds_file):
    shared = ("https://example.gov/shared", "Joint statement", DESC)
    a = feed_server.set("/a", Reply(body=rss(shared, ("only-a", "Only in A", DESC + " A"))))
    b = feed_server.set("/b", Reply(body=rss(("https://example.gov/shared", "Joint statement",
                                              DESC))))
    write_feeds_yml(feeds_file, [{"id": "a", "url": a}, {"id": "b", "url": b, "country": "JP"}])
    async with open_runtime(make_settings(database_url, feeds_file)) as runtime:
        await runtime.reloader.reload("test")
        await runtime.poll_and_process()
        assert await count(runtime.db, Item) == 2
        async with runtime.db.read() as session:
            item_id = (await session.execute(
                select(Item.id).where(Item.title == "Joint statement"))).scalar_one()
            feeds = set((await session.execute(
                select(ItemFeed.feed_id).where(ItemFeed.item_id == item_id))).scalars())
        assert feeds == {"a", "b"}


async def test_500_backs_off_then_recovers(database_url, feed_server, feeds_file):
    url = feed_server.set("/f", Reply(status=500), Reply(body=rss(("a", "First", DESC))))
    write_feeds_yml(feeds_file, [{"id": "f", "url": url}])
    settings = make_settings(database_url, feeds_file, backoff_base=timedelta(seconds=40))
    async with open_runtime(settings) as runtime:
        await runtime.reloader.reload("test")
        before = utcnow()
        (failed,) = await runtime.poll_and_process()
        assert failed.result == "http_error"
        s = await state(runtime.db, "f")
        assert (s.consecutive_errors, s.last_error_kind, s.last_status) == (1, "http_error", 500)
        assert before + timedelta(seconds=19) <= s.next_poll_at <= utcnow() + timedelta(seconds=41)
        assert s.failing_since is not None
        assert await runtime.poll_and_process() == []  # not due yet: backing off
        await make_due(runtime.db)
        (recovered,) = await runtime.poll_and_process()
        assert (recovered.result, recovered.new) == ("ok", 1)
        s = await state(runtime.db, "f")
        assert (s.consecutive_errors, s.failing_since, s.errors_total) == (0, None, 1)
        assert s.last_error_kind == "http_error"  # kept for people to read


async def test_429_waits_for_retry_after(database_url, feed_server, feeds_file):
    url = feed_server.set("/f", Reply(status=429, headers={"Retry-After": "900"}))
    write_feeds_yml(feeds_file, [{"id": "f", "url": url}])
    async with open_runtime(make_settings(database_url, feeds_file)) as runtime:
        await runtime.reloader.reload("test")
        before = utcnow()
        await runtime.poll_and_process()
        s = await state(runtime.db, "f")
        assert s.last_error_kind == "rate_limited"
        assert before + timedelta(seconds=899) <= s.next_poll_at <= utcnow() + timedelta(seconds=901)


async def test_timeout_is_recorded_and_other_feeds_still_poll(database_url, feed_server, feeds_file):
    slow = feed_server.set("/slow", Reply(body=rss(("a", "A", DESC)), delay=3))
    good = feed_server.set("/good", Reply(body=rss(("b", "B", DESC))))
    write_feeds_yml(feeds_file, [{"id": "slow", "url": slow}, {"id": "good", "url": good}])
    settings = make_settings(database_url, feeds_file, fetch_total_timeout=timedelta(seconds=1))
    async with open_runtime(settings) as runtime:
        await runtime.reloader.reload("test")
        outcomes = {o.feed_id: o.result for o in await runtime.poll_and_process()}
        assert outcomes == {"slow": "timeout", "good": "ok"}
        assert (await state(runtime.db, "slow")).last_error_kind == "timeout"


async def test_permanent_redirect_rewrites_the_url_and_temporary_does_not(database_url, feed_server,
                                                                          feeds_file):
    feed_server.set("/new", Reply(body=rss(("a", "A", DESC))))
    moved = feed_server.set("/moved", Reply(status=301, headers={"Location": "/new"}))
    temp = feed_server.set("/temp", Reply(status=302, headers={"Location": "/new"}))
    write_feeds_yml(feeds_file, [{"id": "moved", "url": moved}, {"id": "temp", "url": temp}])
    async with open_runtime(make_settings(database_url, feeds_file)) as runtime:
        await runtime.reloader.reload("test")
        await runtime.poll_and_process()
        s = await state(runtime.db, "moved")
        assert (s.fetch_url, s.redirected_from) == (feed_server.url("/new"), moved)
        assert (await state(runtime.db, "temp")).fetch_url == temp
        await make_due(runtime.db)
        await runtime.poll_and_process()
        assert len(feed_server.hits("/moved")) == 1  # the second poll went straight to /new


async def test_410_disables_the_feed_and_says_why(database_url, feed_server, feeds_file):
    url = feed_server.set("/gone", Reply(status=410))
    write_feeds_yml(feeds_file, [{"id": "gone", "url": url}])
    async with open_runtime(make_settings(database_url, feeds_file)) as runtime:
        await runtime.reloader.reload("test")
        await runtime.poll_and_process()
        s = await state(runtime.db, "gone")
        assert s.disabled_at is not None and "410" in s.disabled_reason
        await make_due(runtime.db)
        assert await runtime.poll_and_process() == []
        assert len(feed_server.hits("/gone")) == 1


async def test_long_failing_window_disables_only_then(database_url, feed_server, feeds_file):
    url = feed_server.set("/down", Reply(status=502))
    write_feeds_yml(feeds_file, [{"id": "down", "url": url}])
    settings = make_settings(database_url, feeds_file, disable_after=timedelta(hours=1))
    async with open_runtime(settings) as runtime:
        await runtime.reloader.reload("test")
        await runtime.poll_and_process()
        assert (await state(runtime.db, "down")).disabled_at is None  # one error is not enough
        async with runtime.db.begin() as session:  # pretend it has failed for two hours
            await session.execute(update(FeedState).values(
                failing_since=utcnow() - timedelta(hours=2), next_poll_at=utcnow()))
        await runtime.poll_and_process()
        s = await state(runtime.db, "down")
        assert s.disabled_at is not None and "failing without a break" in s.disabled_reason


async def test_hostile_documents_are_recorded_and_never_stop_the_poller(database_url, feed_server,
                                                                        feeds_file):
    bomb = (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">'
            b']><rss version="2.0"><channel><title>&c;</title></channel></rss>')
    html = b"<!DOCTYPE html><html><body><h1>Welcome</h1><p>Not a feed.</p></body></html>"
    huge = b"<rss>" + b"x" * (300 * 1024) + b"</rss>"
    routes = {"bomb": bomb, "html": html, "huge": huge, "good": rss(("a", "A", DESC))}
    write_feeds_yml(feeds_file, [{"id": name, "url": feed_server.set(f"/{name}", Reply(body=body))}
                                 for name, body in routes.items()])
    settings = make_settings(database_url, feeds_file, fetch_max_bytes=256 * 1024)
    async with open_runtime(settings) as runtime:
        await runtime.reloader.reload("test")
        outcomes = {o.feed_id: o.result for o in await runtime.poll_and_process()}
        assert outcomes == {"bomb": "parse_error", "html": "parse_error", "huge": "too_large",
                            "good": "ok"}
        assert "entit" in (await state(runtime.db, "bomb")).last_error_message.lower()
        assert await count(runtime.db, Item) == 1


async def test_removed_feed_stops_polling_and_keeps_its_items(database_url, feed_server, feeds_file):
    a = feed_server.set("/a", Reply(body=rss(("a", "A", DESC))))
    b = feed_server.set("/b", Reply(body=rss(("b", "B", DESC + " B"))))
    write_feeds_yml(feeds_file, [{"id": "a", "url": a}, {"id": "b", "url": b}])
    async with open_runtime(make_settings(database_url, feeds_file)) as runtime:
        await runtime.reloader.reload("test")
        await runtime.poll_and_process()
        write_feeds_yml(feeds_file, [{"id": "a", "url": a}])
        report = await runtime.reloader.reload("test")
        assert report is not None and report.removed == ("b",)
        await make_due(runtime.db)
        assert {o.feed_id for o in await runtime.poll_and_process()} == {"a"}
        assert await count(runtime.db, Item) == 2
        async with runtime.db.read() as session:
            assert (await session.get(Feed, "b")).in_catalog is False
