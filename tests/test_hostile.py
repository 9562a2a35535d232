"""Hostile input: the service keeps running, answers each with a clear error, loses nothing."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from aiohttp import web
from sqlalchemy import func, select

from service.db.models import Item
from service.runtime import open_runtime
from tests.conftest import make_settings, write_feeds_yml
from tests.feeds.test_poller import DESC, rss
from tests.feedserver import Reply, loopback_app


def many_entries(n: int) -> bytes:
    items = "".join(f"<item><title>Notice {i}</title><link>https://example.gov/n/{i}</link>"
                    f"<guid>n{i}</guid><description>{DESC} #{i}</description></item>" for i in range(n))
    return f"<rss version='2.0'><channel><title>big</title>{items}</channel></rss>".encode()


async def test_hostile_feeds_are_recorded_per_feed_and_the_rest_is_kept(database_url, feed_server,
                                                                       tmp_path):
    deep = b"<rss version='2.0'><channel>" + b"<x>" * 5000 + b"</x>" * 5000 + b"</channel></rss>"
    bad_utf8 = rss(("u", "Entry with a bad byte \xff here".encode("latin-1").decode("latin-1"), DESC))
    bad_utf8 = bad_utf8.replace(b"bad byte \xc3\xbf", b"bad byte \xff")
    routes = {
        "good": Reply(body=rss(("a", "Kept", DESC))),
        "deep": Reply(body=deep),
        "utf8": Reply(body=bad_utf8, headers={"Content-Type": "application/rss+xml; charset=utf-8"}),
        "slow": Reply(body=rss(("s", "S", DESC)), drip=1.0),
        "thousands": Reply(body=many_entries(3000)),
    }
    feeds = [{"id": name, "url": feed_server.set(f"/{name}", reply)} for name, reply in routes.items()]

    async def endless(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/rss+xml"})
        await response.prepare(request)
        await response.write(b"<rss version='2.0'><channel><title>t</title>")
        while True:
            await response.write(b"<item><title>again</title></item>" * 100)
            await asyncio.sleep(0)

    app = web.Application()
    app.router.add_get("/endless", endless)
    async with loopback_app(app) as base_url:
        feeds.append({"id": "endless", "url": f"{base_url}/endless"})
        feeds_file = write_feeds_yml(tmp_path / "feeds.yml", feeds)
        settings = make_settings(database_url, feeds_file, fetch_max_bytes=2 * 1024 * 1024,
                                 fetch_total_timeout=timedelta(seconds=3))
        async with open_runtime(settings) as runtime:
            await runtime.reloader.reload("test")
            outcomes = {o.feed_id: o for o in await runtime.poll_and_process()}
            async with runtime.db.read() as session:
                stored = (await session.execute(select(func.count()).select_from(Item))).scalar_one()
    assert outcomes["good"].result == "ok"
    assert outcomes["deep"].result == "parse_error" and "nest" in outcomes["deep"].message.lower()
    assert outcomes["utf8"].result == "ok" and outcomes["utf8"].new == 1
    assert outcomes["slow"].result == "timeout"
    assert outcomes["endless"].result in {"too_large", "timeout"}
    assert outcomes["thousands"].result == "ok" and outcomes["thousands"].new == 3000
    assert stored == 1 + 1 + 3000
