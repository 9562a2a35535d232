"""Parse feeds in worker processes, and outlive a worker that dies.

feedparser is pure Python: in a thread it holds the GIL against the event loop, the
pipeline and the API, so a first poll of many feeds ran on one core. Worker processes let
parsing use the others. They are forked from a forkserver that has imported the parser
and nothing else, so a worker costs the parser's memory rather than a copy of the
service's, and never inherits the service's threads, sockets or locks (a fork of a
threaded process can deadlock on a lock some thread held).

``concurrent.futures`` marks the whole pool broken when one worker dies (a parser crash on
hostile input, the OOM killer), and every parse in flight fails with it. The pool is then
replaced, and each of those parses is tried once more on the new pool: a feed that kills
a worker twice is refused as a parse error of that feed, and the poller goes on.

A worker also watches the service: when the service is gone, killed or not, the worker
exits instead of lingering as an orphan that holds the service's output pipes open.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

import structlog

from service.feeds.parse import FeedParseError, ParsedFeed, parse_feed

log = structlog.get_logger(__name__)

ParseJob = Callable[[bytes, str, str | None], ParsedFeed]
ATTEMPTS = 2  # a parse that breaks the pool this many times is the feed's own fault
WATCH_EVERY = 1.0  # seconds between a worker's checks that the service still runs


def parse_job(body: bytes, url: str, content_type: str | None) -> ParsedFeed:
    """What a worker runs: module level, so it pickles by name."""
    return parse_feed(body, url=url, content_type=content_type)


def _worker_pid() -> int:
    return os.getpid()


def _watch_service(service_pid: int) -> None:
    """Worker initializer: exit once the service process is gone."""

    def watch() -> None:
        while True:
            time.sleep(WATCH_EVERY)
            try:
                os.kill(service_pid, 0)
            except (ProcessLookupError, PermissionError):  # gone, or now another user's pid
                os._exit(0)

    threading.Thread(target=watch, name="alignwatch-service-watch", daemon=True).start()


class ParsePool:
    """A process pool for ``parse_job`` that replaces itself when a worker dies."""

    def __init__(self, workers: int, *, job: ParseJob = parse_job) -> None:
        if workers < 1:
            raise ValueError("a parse pool needs at least one worker")
        self.workers = workers
        self.replaced = 0  # pools replaced after a worker died (metrics, tests)
        self._job = job
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["service.feeds.parse"])
        self._context = context
        self._executor = self._new_executor()

    def _new_executor(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=self.workers, mp_context=self._context,
                                   initializer=_watch_service, initargs=(os.getpid(),))

    async def start(self) -> list[int]:
        """Start every worker now, so the first poll does not wait for them; their pids."""
        loop = asyncio.get_running_loop()
        executor = self._executor
        # Each submission that finds no idle worker starts one, up to ``workers``.
        return list(await asyncio.gather(
            *(loop.run_in_executor(executor, _worker_pid) for _ in range(self.workers))))

    async def parse(self, body: bytes, url: str, content_type: str | None) -> ParsedFeed:
        """Parse in a worker; FeedParseError if the document is refused or kills workers."""
        loop = asyncio.get_running_loop()
        for attempt in range(1, ATTEMPTS + 1):
            executor = self._executor
            try:
                return await loop.run_in_executor(executor, self._job, body, url, content_type)
            except BrokenProcessPool:
                self._replace(executor)
                log.warning("parse_worker_died", url=url, attempt=attempt)
        raise FeedParseError(url, f"refused: the parser's worker process died {ATTEMPTS} times "
                                  "on this document")

    def _replace(self, broken: ProcessPoolExecutor) -> None:
        """Swap in a fresh pool, once per broken one (many parses see the same break)."""
        if self._executor is broken:
            self._executor = self._new_executor()
            self.replaced += 1
            broken.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
