"""Parsing in worker processes: same results as in-process, and a dying worker is survived."""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

import pytest

from service.feeds.parse import FeedParseError, ParsedFeed, parse_feed
from service.feeds.workers import ATTEMPTS, ParsePool
from tests.paths import SAMPLES_DIR

SAMPLE = SAMPLES_DIR / "jp-mofa-press-sjis.rdf"
CRASH, SLOW = b"<!-- crash -->", b"<!-- slow -->"


def crashing_job(body: bytes, url: str, content_type: str | None) -> ParsedFeed:
    """A parser that dies like a segfault on a marked document (once, if told so by a
    file named in the URL's fragment), and takes its time on another."""
    if CRASH in body:
        once = url.partition("#")[2]
        if not once or not Path(once).exists():
            if once:
                Path(once).touch()
            os._exit(70)
    if SLOW in body:
        time.sleep(1.0)
    return parse_feed(body, url=url, content_type=content_type)


@pytest.fixture
async def pool():
    made: list[ParsePool] = []

    def make(workers: int = 2, **kwargs) -> ParsePool:
        made.append(ParsePool(workers, **kwargs))
        return made[-1]

    yield make
    for each in made:
        each.close()


async def test_workers_are_other_processes_and_parse_like_the_service(pool) -> None:
    workers = pool(2)
    pids = await workers.start()
    assert len(pids) == 2 and os.getpid() not in pids
    body = SAMPLE.read_bytes()
    url = "https://www.meti.go.jp/rss/news.rdf"
    assert await workers.parse(body, url, "application/rss+xml") == parse_feed(
        body, url=url, content_type="application/rss+xml")


async def test_a_refused_document_is_the_feeds_parse_error(pool) -> None:
    with pytest.raises(FeedParseError, match="not a feed"):
        await pool(1).parse(b"<html><body>Not found</body></html>", "https://example.gov/x", None)


async def test_a_document_that_kills_workers_is_refused_and_the_pool_goes_on(pool) -> None:
    workers = pool(2, job=crashing_job)
    await workers.start()
    with pytest.raises(FeedParseError, match="worker process died"):
        await workers.parse(SAMPLE.read_bytes() + CRASH, "https://example.gov/crash", None)
    assert workers.replaced == ATTEMPTS
    parsed = await workers.parse(SAMPLE.read_bytes(), "https://example.gov/ok", None)
    assert len(parsed.entries) > 0


async def test_a_worker_exits_when_the_service_is_gone(tmp_path: Path) -> None:
    """Kill -9 a process that runs a pool: its workers and their forkserver do not outlive it."""
    import signal
    import subprocess
    import sys

    pids_file = tmp_path / "pids"
    script = (
        "import asyncio, sys, time\n"
        "from service.feeds.workers import ParsePool\n"
        "async def main():\n"
        "    pool = ParsePool(2)\n"
        "    pids = await pool.start()\n"
        f"    open({str(pids_file)!r}, 'w').write(' '.join(map(str, pids)))\n"
        "    time.sleep(60)\n"
        "asyncio.run(main())\n"
    )
    service = subprocess.Popen([sys.executable, "-c", script], cwd=Path(__file__).resolve().parents[2])
    try:
        deadline = time.monotonic() + 20
        while not (pids_file.exists() and pids_file.read_text()):
            assert time.monotonic() < deadline and service.poll() is None, "pool did not start"
            time.sleep(0.05)
        workers = [int(pid) for pid in pids_file.read_text().split()]
        forkserver = int(Path(f"/proc/{workers[0]}/stat").read_text().rsplit(")", 1)[1].split()[1])
        assert forkserver != service.pid
        workers.append(forkserver)  # it holds the service's output pipes too
        service.send_signal(signal.SIGKILL)
        service.wait(timeout=10)
        deadline = time.monotonic() + 10
        while any(_running(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_running(pid) for pid in workers)
    finally:
        service.kill()


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


async def test_parses_in_flight_when_a_worker_dies_are_tried_again(pool, tmp_path: Path) -> None:
    workers = pool(2, job=crashing_job)
    await workers.start()
    slow = asyncio.ensure_future(workers.parse(SAMPLE.read_bytes() + SLOW, "https://example.gov/slow", None))
    await asyncio.sleep(0.3)  # the slow parse is running in one worker
    marker = tmp_path / "crashed-once"
    crash_once = await workers.parse(SAMPLE.read_bytes() + CRASH,
                                     f"https://example.gov/crash#{marker}", None)
    assert marker.exists()  # it did kill a worker, and parsed on its second try
    assert len((await slow).entries) == len(crash_once.entries) > 0
    assert workers.replaced == 1


async def test_the_service_polls_through_its_workers(feed_server, sqlite_url: str, tmp_path: Path) -> None:
    """A poll with worker processes stores what an in-thread poll stores."""
    from sqlalchemy import select

    from service.db.models import Item
    from service.runtime import open_runtime
    from tests.conftest import make_settings, write_feeds_yml
    from tests.feedserver import Reply

    url = feed_server.set("/mofa", Reply(body=SAMPLE.read_bytes(),
                                         headers={"Content-Type": "application/rss+xml"}))
    feeds_file = write_feeds_yml(tmp_path / "feeds.yml", [{"id": "mofa", "url": url, "country": "JP",
                                                           "language": "ja"}])
    async with open_runtime(make_settings(sqlite_url, feeds_file, parse_workers=2)) as runtime:
        await runtime.reloader.reload("test")
        [outcome] = await runtime.poll_all_due()
        async with runtime.db.read() as session:
            titles = sorted((await session.execute(select(Item.title))).scalars())
    expected = parse_feed(SAMPLE.read_bytes(), url=url, content_type="application/rss+xml")
    assert (outcome.result, outcome.new) == ("ok", len(expected.entries))
    assert titles == sorted(e.title for e in expected.entries)
