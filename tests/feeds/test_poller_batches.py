"""The poller's batched writes: several feeds' results in one transaction, each fenced by its lease."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select, update

from service.db.models import FeedState, Item, ItemEvent, ItemFeed
from service.feeds import repository
from service.runtime import Runtime, open_runtime
from service.timeutil import utcnow
from tests.conftest import make_settings, write_feeds_yml
from tests.feedserver import Reply

DESC = "Commerce adds entities to the Entity List for supplying advanced computing items."


def rss(*items: tuple[str, str]) -> bytes:
    body = "".join(
        f"<item><title>{title}</title><link>https://example.gov/{guid}</link><guid>{guid}</guid>"
        f"<description>{DESC} {title}</description><pubDate>Fri, 09 Oct 2026 12:00:00 GMT</pubDate></item>"
        for guid, title in items
    )
    return (f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>t</title>"
            f"{body}</channel></rss>").encode()


async def scalar(runtime: Runtime, query) -> object:
    async with runtime.db.read() as session:
        return (await session.execute(query)).scalar_one()


async def claim_all(runtime: Runtime) -> list[repository.Claim]:
    async with runtime.db.begin() as session:
        claims = await repository.claim_due_feeds(session, owner="test", now=utcnow(),
                                                  lease=timedelta(minutes=2), limit=100)
    return sorted(claims, key=lambda c: c.feed_id)


async def test_same_entry_in_two_feeds_of_one_write_batch_is_one_item_linked_to_both(
        database_url, feed_server, tmp_path: Path):
    a = feed_server.set("/a", Reply(body=rss(("shared", "Joint statement"), ("only-a", "Only A"))))
    b = feed_server.set("/b", Reply(body=rss(("shared", "Joint statement"))))
    feeds_file = write_feeds_yml(tmp_path / "feeds.yml", [{"id": "a", "url": a}, {"id": "b", "url": b}])
    async with open_runtime(make_settings(database_url, feeds_file)) as runtime:
        await runtime.reloader.reload("test")
        polled = [await runtime.poller.fetch_and_parse(c) for c in await claim_all(runtime)]
        outcomes = await runtime.poller.write_batch(polled)
        assert [(o.feed_id, o.result, o.new) for o in outcomes] == [("a", "ok", 2), ("b", "ok", 0)]
        assert await scalar(runtime, select(func.count()).select_from(Item)) == 2
        assert await scalar(runtime, select(func.count()).select_from(ItemEvent)) == 2
        shared = await scalar(runtime, select(Item.id).where(Item.title == "Joint statement"))
        async with runtime.db.read() as session:
            linked = set((await session.execute(
                select(ItemFeed.feed_id).where(ItemFeed.item_id == shared))).scalars())
            totals = dict((await session.execute(select(FeedState.feed_id, FeedState.items_total))).all())
        assert linked == {"a", "b"}
        assert totals == {"a": 2, "b": 1}


async def test_a_lost_lease_in_a_batch_is_not_written_and_the_others_are(
        database_url, feed_server, tmp_path: Path):
    a = feed_server.set("/a", Reply(body=rss(("a1", "Entry of A"))))
    b = feed_server.set("/b", Reply(body=rss(("b1", "Entry of B"))))
    feeds_file = write_feeds_yml(tmp_path / "feeds.yml", [{"id": "a", "url": a}, {"id": "b", "url": b}])
    async with open_runtime(make_settings(database_url, feeds_file)) as runtime:
        await runtime.reloader.reload("test")
        polled = [await runtime.poller.fetch_and_parse(c) for c in await claim_all(runtime)]
        async with runtime.db.begin() as session:  # another replica took feed b over
            await session.execute(update(FeedState).where(FeedState.feed_id == "b")
                                  .values(lease_token="another-replica"))
        outcomes = await runtime.poller.write_batch(polled)
        assert [(o.feed_id, o.result) for o in outcomes] == [("a", "ok"), ("b", "lease_lost")]
        assert await scalar(runtime, select(func.count()).select_from(Item)) == 1
        assert await scalar(runtime, select(Item.feed_id)) == "a"
        async with runtime.db.read() as session:
            b_state = await session.get(FeedState, "b")
        assert b_state is not None
        assert (b_state.polls_total, b_state.items_total, b_state.lease_token) == (0, 0, "another-replica")


async def test_304s_of_a_batch_update_every_feed_and_release_its_lease(
        database_url, feed_server, tmp_path: Path):
    feeds = [{"id": f"f{n}", "url": feed_server.set(
        f"/f{n}", Reply(body=rss((f"e{n}", f"Entry {n}")), last_modified="Fri, 09 Oct 2026 12:00:00 GMT"))}
        for n in range(5)]
    feeds_file = write_feeds_yml(tmp_path / "feeds.yml", feeds)
    async with open_runtime(make_settings(database_url, feeds_file)) as runtime:
        await runtime.reloader.reload("test")
        assert {o.result for o in await runtime.poll_and_process()} == {"ok"}
        async with runtime.db.begin() as session:
            await session.execute(update(FeedState).values(next_poll_at=utcnow() - timedelta(seconds=1)))
        before = utcnow()
        outcomes = await runtime.poll_and_process()
        expected = [(f"f{n}", "not_modified") for n in range(5)]
        assert sorted((o.feed_id, o.result) for o in outcomes) == expected
        async with runtime.db.read() as session:
            states = list((await session.execute(select(FeedState))).scalars())
        for state in states:
            assert (state.polls_total, state.items_total, state.last_status) == (2, 1, 304)
            assert state.lease_token is None and state.lease_until is None
            assert state.next_poll_at > before
        assert await scalar(runtime, select(func.count()).select_from(ItemEvent)) == 5
