"""The real server process: demo mode end to end, feeds.yml reload on change and SIGHUP."""

from __future__ import annotations

import signal

import httpx

from service.demo import demo_feed_bytes, demo_feed_names
from service.feeds.parse import parse_feed
from tests.conftest import write_feeds_yml
from tests.feeds.test_poller import DESC, rss
from tests.feedserver import Reply
from tests.processes import serving, wait_for


def demo_entry_count() -> int:
    links = set()
    for name in demo_feed_names():
        parsed = parse_feed(demo_feed_bytes(name) or b"", url=f"http://demo/{name}")
        links |= {e.link for e in parsed.entries}
    return len(links)


async def test_demo_mode_runs_the_pipeline_end_to_end_without_network(tmp_path):
    expected = demo_entry_count()
    assert expected >= 40
    async with serving("--demo", cwd=tmp_path) as server, httpx.AsyncClient() as client:

        async def all_items():
            page = (await client.get(f"{server.base_url}/v1/items", params={"limit": 500})).json()
            return page if len(page["items"]) == expected else None

        page = await wait_for(all_items, timeout=30)
        feeds = (await client.get(f"{server.base_url}/v1/feeds")).json()["items"]
        assert {f["health"]["status"] for f in feeds} == {"ok"}
        assert sum(f["health"]["items_total"] for f in feeds) == expected
        assert any(i["language"] == "ja" for i in page["items"])
    # A graceful stop: uvicorn finishes shutdown, then re-raises SIGTERM as systemd expects.
    assert server.process.returncode in (0, -signal.SIGTERM), server.log()
    assert "Application shutdown complete" in server.log()
    assert (tmp_path / "alignwatch-demo.db").exists()
    assert not (tmp_path / "alignwatch.db").exists(), "the demo must not touch the real database"


async def test_feeds_file_edits_apply_without_restart(tmp_path, feed_server):
    first = feed_server.set("/a", Reply(body=rss(("a", "A", DESC))))
    second = feed_server.set("/b", Reply(body=rss(("b", "B", DESC + " b"))))
    feeds_file = write_feeds_yml(tmp_path / "feeds.yml", [{"id": "a", "url": first}])
    settings = {"database_url": f"sqlite:///{tmp_path}/aw.db", "feeds_file": str(feeds_file),
                "allow_private_feeds": "true", "public_read": "true", "poll_tick": "1"}
    async with serving(cwd=tmp_path, **settings) as server, httpx.AsyncClient() as client:

        async def feeds():
            return (await client.get(f"{server.base_url}/v1/feeds")).json()

        assert [f["id"] for f in (await feeds())["items"]] == ["a"]
        # 1. An edit is picked up by the file watcher.
        write_feeds_yml(feeds_file, [{"id": "a", "url": first}, {"id": "b", "url": second}])

        async def both():
            return [f["id"] for f in (await feeds())["items"]] == ["a", "b"]

        await wait_for(both)
        # 2. A broken edit keeps the last good configuration and shows where it is broken.
        feeds_file.write_text("version: 1\nfeeds:\n  - id: a\n    url: [not, a, url]\n")

        async def error_shown():
            body = await feeds()
            return body if body["config"]["error"] else None

        body = await wait_for(error_shown)
        assert [f["id"] for f in body["items"]] == ["a", "b"]
        assert "feeds.yml:4" in body["config"]["error"]
        assert body["config"]["problems"][0]["field"].startswith("feeds[0]")
        # 3. SIGHUP re-reads the file (here: after a fix that removes feed b).
        write_feeds_yml(feeds_file, [{"id": "a", "url": first}])
        server.process.send_signal(signal.SIGHUP)

        async def only_a():
            body = await feeds()
            return body["config"]["error"] is None and [f["id"] for f in body["items"]] == ["a"]

        await wait_for(only_a)
        assert "feeds_file_invalid" in server.log()
