"""Everything one process needs to do the work, made once and closed once.

The API server's lifespan and the CLI's one-shot commands (``poll --once``) both open a
``Runtime``, so they poll, store and process through exactly the same objects.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import aiohttp

from service.alerts.outbox import Deliverer, webhook_policy
from service.config import Settings
from service.db import migrate
from service.db.session import Database, create_database
from service.feeds.fetch import create_http_session
from service.feeds.reload import CatalogReloader
from service.feeds.service import Poller, PollOutcome, feed_address_policy
from service.feeds.workers import ParsePool
from service.index.service import flush_deferred
from service.metrics import Metrics
from service.pipeline.processors import default_processors
from service.pipeline.service import ItemProcessor, PipelineReport, process_pending


@dataclass
class Runtime:
    settings: Settings
    db: Database
    http: aiohttp.ClientSession
    poller: Poller
    reloader: CatalogReloader
    deliverer: Deliverer
    metrics: Metrics
    processors: Sequence[ItemProcessor] = field(default_factory=list)

    async def process_pending(self) -> PipelineReport:
        """Drain the processing queue (classification, index, alerts), then run the index
        replays the batches deferred, once."""
        report = await process_pending(
            self.db,
            self.processors,
            owner=self.settings.instance_id,
            batch_size=self.settings.pipeline_batch_size,
            lease=self.settings.pipeline_lease,
            max_attempts=self.settings.pipeline_max_attempts,
        )
        await flush_deferred(self.db, self.settings, self.reloader.pairs())
        return report

    async def poll_all_due(self, *, max_rounds: int = 50) -> list[PollOutcome]:
        """Poll every due feed, in several claims if more are due than one claim takes."""
        outcomes: list[PollOutcome] = []
        for _ in range(max_rounds):
            batch = await self.poller.poll_due()
            outcomes.extend(batch)
            if len(batch) < self.settings.poll_batch_size:
                break
        return outcomes

    async def poll_and_process(self, *, max_rounds: int = 50) -> list[PollOutcome]:
        """Poll every due feed, then process the new items."""
        outcomes = await self.poll_all_due(max_rounds=max_rounds)
        if outcomes:
            await self.process_pending()
        return outcomes


def _counting(metrics: Metrics, then: Callable[[PollOutcome], None] | None
              ) -> Callable[[PollOutcome], None]:
    """Count every poll in the metrics, then call the caller's own hook (progress bars)."""

    def on_poll(outcome: PollOutcome) -> None:
        metrics.polls.labels(outcome.result).inc()
        if outcome.result not in ("ok", "not_modified"):
            metrics.feed_errors.labels(outcome.result).inc()
        if outcome.new:
            metrics.items_ingested.labels("new").inc(outcome.new)
        if outcome.changed:
            metrics.items_ingested.labels("changed").inc(outcome.changed)
        if then is not None:
            then(outcome)

    return on_poll


@asynccontextmanager
async def open_runtime(
    settings: Settings,
    *,
    migrate_first: bool = True,
    on_poll: Callable[[PollOutcome], None] | None = None,
) -> AsyncIterator[Runtime]:
    """Open the database (migrating it), the HTTP client and the poller; close them after."""
    db = create_database(settings)
    parse_pool = ParsePool(settings.parse_workers) if settings.parse_workers > 0 else None
    http = create_http_session(settings, feed_address_policy(settings))
    webhook_http = create_http_session(settings, webhook_policy(settings),
                                       limit=settings.webhook_concurrency,
                                       limit_per_host=settings.webhook_per_endpoint)
    metrics = Metrics()
    try:
        if migrate_first:
            await migrate.upgrade(db.engine)
        if parse_pool is not None:
            await parse_pool.start()
        poller = Poller(settings, db, http, parse_pool=parse_pool,
                        on_poll=_counting(metrics, on_poll))
        reloader = CatalogReloader(settings.feeds_file, db)
        processors = default_processors(settings, reloader.pairs)
        deliverer = Deliverer(settings, db, webhook_http, metrics)
        yield Runtime(settings, db, http, poller, reloader, deliverer, metrics, processors)
    finally:
        await http.close()
        await webhook_http.close()
        await db.dispose()
        if parse_pool is not None:
            parse_pool.close()
