"""SQLite under concurrent API reads while the poller writes: no "database is locked" reaches
a user (WAL mode, a busy timeout, and one writer connection with BEGIN IMMEDIATE)."""

from __future__ import annotations

import asyncio

import httpx

from tests.conftest import write_feeds_yml
from tests.feedserver import Reply
from tests.processes import serving


def feed(n: int, items: int) -> bytes:
    body = "".join(f"<item><title>Feed {n} notice {i}</title><link>https://example.gov/{n}/{i}</link>"
                   f"<guid>{n}-{i}</guid><description>Export controls update number {i} for "
                   f"feed {n}, with enough words to be a real summary.</description></item>"
                   for i in range(items))
    return f"<rss version='2.0'><channel><title>f{n}</title>{body}</channel></rss>".encode()


async def test_reads_never_see_database_is_locked_while_the_poller_writes(tmp_path, feed_server):
    feeds = [{"id": f"f{n:02d}", "url": feed_server.set(f"/f{n}", Reply(body=feed(n, 40)))}
             for n in range(30)]
    feeds_file = write_feeds_yml(tmp_path / "feeds.yml", feeds)
    settings = {"database_url": f"sqlite:///{tmp_path}/aw.db", "feeds_file": str(feeds_file),
                "allow_private_feeds": "true", "public_read": "true", "poll_tick": "1",
                "rate_limit_read": "1000000/minute"}
    errors: list[str] = []
    answered = 0
    async with serving(cwd=tmp_path, **settings) as server, httpx.AsyncClient(timeout=30) as client:

        async def reader() -> None:
            nonlocal answered
            for _ in range(60):
                for path in ("/v1/items?limit=50", "/v1/feeds", "/v1/index", "/v1/alerts"):
                    response = await client.get(server.base_url + path)
                    answered += 1
                    if response.status_code != 200:
                        errors.append(f"{path}: {response.status_code} {response.text[:200]}")
                await asyncio.sleep(0.02)

        await asyncio.gather(*(reader() for _ in range(4)))
        items = (await client.get(server.base_url + "/v1/items?limit=1")).json()["items"]
    assert errors == []
    assert answered == 4 * 60 * 4
    assert items, "the poller wrote while we read"
    assert "database is locked" not in server.log()
