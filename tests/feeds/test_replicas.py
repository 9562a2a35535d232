"""Several pollers on one database never fetch the same feed twice in one interval."""

from __future__ import annotations

import asyncio
from collections import Counter

from service.runtime import open_runtime
from tests.conftest import make_settings, write_feeds_yml
from tests.feedserver import Reply

FEEDS = 40


def doc(n: int) -> bytes:
    return (f"<?xml version='1.0'?><rss version='2.0'><channel><title>f{n}</title>"
            f"<item><title>Entry of feed {n}</title><link>https://example.gov/{n}</link>"
            f"<guid>{n}</guid></item></channel></rss>").encode()


async def test_two_pollers_split_the_feeds_without_overlap(database_url, feed_server, tmp_path):
    feeds = [{"id": f"f{n:02d}", "url": feed_server.set(f"/f{n}", Reply(body=doc(n), delay=0.05))}
             for n in range(FEEDS)]
    feeds_file = write_feeds_yml(tmp_path / "feeds.yml", feeds)
    first = make_settings(database_url, feeds_file, instance_id="replica-a", poll_batch_size=7)
    second = make_settings(database_url, feeds_file, instance_id="replica-b", poll_batch_size=7)
    async with open_runtime(first) as a, open_runtime(second) as b:
        await asyncio.gather(a.reloader.reload("test"), b.reloader.reload("test"))

        async def keep_polling(runtime) -> list[str]:
            polled: list[str] = []
            for _ in range(12):
                polled += [o.feed_id for o in await runtime.poller.poll_due()]
                await asyncio.sleep(0.01)
            return polled

        polled_a, polled_b = await asyncio.gather(keep_polling(a), keep_polling(b))
    hits = Counter(seen.path for seen in feed_server.requests)
    assert len(hits) == FEEDS, "every feed is polled"
    assert set(hits.values()) == {1}, f"fetched twice: {[p for p, n in hits.items() if n > 1]}"
    assert not set(polled_a) & set(polled_b)
    assert polled_a and polled_b, "both replicas took a share"
