"""APScheduler jobs: each calls a service function; one instance of each at a time.

Jobs are wrapped so that shutdown can wait for the ones in flight (a poll in progress
finishes, or its leases are released for another replica) instead of killing them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta

import structlog
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from service.index.service import bring_up_to_date
from service.runtime import Runtime

log = structlog.get_logger(__name__)


class JobRunner:
    """Starts the periodic jobs and stops them gracefully."""

    def __init__(self, runtime: Runtime) -> None:
        self._runtime = runtime
        self._scheduler = AsyncIOScheduler(timezone="UTC")
        self._running: set[asyncio.Task[None]] = set()

    def _add(self, name: str, every: timedelta, job: Callable[[], Awaitable[object]]) -> None:
        async def run() -> None:
            task = asyncio.current_task()
            assert task is not None
            self._running.add(task)
            try:
                await job()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("job_failed", job=name)
            finally:
                self._running.discard(task)

        self._scheduler.add_job(
            run, "interval", seconds=every.total_seconds(), id=name, name=name,
            max_instances=1, coalesce=True,
        )

    async def _roll_index(self) -> None:
        runtime = self._runtime
        await bring_up_to_date(runtime.db, runtime.settings, runtime.reloader.pairs())

    def start(self) -> None:
        settings = self._runtime.settings
        self._add("poll", settings.poll_tick, self._runtime.poll_and_process)
        self._add("pipeline", settings.poll_tick * 2, self._runtime.process_pending)
        self._add("deliveries", settings.webhook_tick, self._runtime.deliverer.drain)
        # Roll each pair's index forward to today even on days without new items, so the
        # current value's momentum decays and the provisional window moves (idempotent).
        self._add("index", timedelta(hours=1), self._roll_index)
        self._scheduler.start()
        log.info("scheduler_started", jobs=[job.id for job in self._scheduler.get_jobs()])

    async def stop(self, grace: float = 20.0) -> None:
        """Stop scheduling; let running jobs finish for ``grace`` seconds, then cancel them."""
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)
        if self._running:
            _done, pending = await asyncio.wait(set(self._running), timeout=grace)
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.wait(pending, timeout=5)
