"""Polling: claim due feeds, fetch, parse, store, record health. One path for all callers.

The scheduler, ``alignwatch poll --once`` and the admin "refresh now" call the same
functions (miniflux/v2). Fetch and parse failures are data: they are counted on the feed,
which backs off; nothing a feed sends can stop the poller.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import aiohttp
import structlog

from service.config import Settings
from service.db.session import Database
from service.feeds import repository
from service.feeds.fetch import FetchResult, fetch_feed
from service.feeds.health import PollFacts, PriorState, next_state
from service.feeds.parse import FeedParseError, ParsedFeed
from service.feeds.repository import Claim, FinishedPoll
from service.feeds.schedule import PollBounds, publishing_interval
from service.feeds.store import StoreStats, store_polls
from service.feeds.workers import ParsePool, parse_job
from service.netguard import AddressPolicy
from service.timeutil import utcnow

log = structlog.get_logger(__name__)

# A write transaction takes the polls ready when it starts, up to these bounds.
MAX_BATCH_FEEDS = 100
MAX_BATCH_ENTRIES = 5_000
WRITE_LINGER = 0.025  # seconds a batch waits for more polls still in flight


@dataclass(frozen=True)
class PollOutcome:
    """The result of one feed's poll, for summaries, logs and metrics."""

    feed_id: str
    url: str
    status: int | None
    result: str  # "ok" | "not_modified" | an error kind | "lease_lost"
    message: str | None
    new: int = 0
    changed: int = 0
    entries: int = 0
    next_poll_at: datetime | None = None
    elapsed: float = 0.0


def poll_bounds(settings: Settings) -> PollBounds:
    return PollBounds(
        default=settings.poll_default_interval,
        minimum=settings.poll_min_interval,
        maximum=settings.poll_max_interval,
        jitter=settings.poll_jitter,
        backoff_base=settings.backoff_base,
        backoff_cap=settings.backoff_cap,
        retry_after_max=settings.retry_after_max,
    )


def feed_address_policy(settings: Settings) -> AddressPolicy:
    return AddressPolicy(allow_private=settings.allow_private_feeds)


@dataclass(frozen=True)
class Polled:
    """One claimed feed, fetched and parsed, waiting to be written."""

    claim: Claim
    result: FetchResult
    parsed: ParsedFeed | None
    error_kind: str | None
    error_message: str | None


class Poller:
    """Polls the feeds that are due, on behalf of one replica.

    Fetches and parses run concurrently; one writer task stores whatever results are
    ready in one transaction (SQLite has a single writer, so one transaction per feed
    would serialise the whole poll on its commits).
    """

    def __init__(
        self,
        settings: Settings,
        db: Database,
        http: aiohttp.ClientSession,
        *,
        parse_pool: ParsePool | None = None,
        rng: random.Random | None = None,
        on_poll: Callable[[PollOutcome], None] | None = None,
    ) -> None:
        self._settings = settings
        self._db = db
        self._http = http
        self._policy = feed_address_policy(settings)
        self._bounds = poll_bounds(settings)
        self._parse_pool = parse_pool
        self._rng = rng or random.Random()
        self._on_poll = on_poll
        self._limit = asyncio.Semaphore(settings.fetch_concurrency)

    async def poll_due(self, *, limit: int | None = None) -> list[PollOutcome]:
        """Claim the feeds due now and poll them concurrently; return what happened."""
        now = utcnow()
        async with self._db.begin() as session:
            claims = await repository.claim_due_feeds(
                session,
                owner=self._settings.instance_id,
                now=now,
                lease=self._settings.poll_lease,
                limit=limit or self._settings.poll_batch_size,
            )
        if not claims:
            return []
        writer = BatchWriter(self._write_isolated)
        task = asyncio.create_task(writer.run())
        try:
            return list(await asyncio.gather(*(self._poll_claimed(c, writer) for c in claims)))
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _poll_claimed(self, claim: Claim, writer: BatchWriter) -> PollOutcome:
        try:
            with writer.polling():
                async with self._limit:
                    polled = await self.fetch_and_parse(claim)
                outcome = await writer.write(polled)
        except asyncio.CancelledError:
            await self._release(claim)
            raise
        except Exception as exc:  # a bug must not stop the other feeds
            log.exception("poll_crashed", feed_id=claim.feed_id)
            await self._release(claim)
            outcome = PollOutcome(claim.feed_id, claim.fetch_url, None, "internal_error",
                                  f"{type(exc).__name__}: {exc}")
        if self._on_poll is not None:
            self._on_poll(outcome)
        return outcome

    async def _release(self, claim: Claim) -> None:
        async with self._db.begin() as session:
            await repository.release_lease(session, claim)

    async def _parse(self, result: FetchResult) -> ParsedFeed:
        assert result.body is not None
        if self._parse_pool is None:
            return await asyncio.to_thread(
                parse_job, result.body, result.final_url, result.content_type
            )
        return await self._parse_pool.parse(result.body, result.final_url, result.content_type)

    async def refresh(self, claim: Claim) -> PollOutcome:
        """Fetch, parse and store one claimed feed, then record its health."""
        return (await self.write_batch([await self.fetch_and_parse(claim)]))[0]

    async def fetch_and_parse(self, claim: Claim) -> Polled:
        result = await fetch_feed(
            self._http,
            claim.fetch_url,
            settings=self._settings,
            policy=self._policy,
            etag=claim.etag,
            last_modified=claim.last_modified,
        )
        parsed: ParsedFeed | None = None
        error_kind, error_message = result.error_kind, result.error_message
        if result.status == 200 and result.body is not None:
            try:
                parsed = await self._parse(result)
            except FeedParseError as exc:
                error_kind, error_message = "parse_error", str(exc)[:500]
        return Polled(claim, result, parsed, error_kind, error_message)

    async def _write_isolated(self, batch: Sequence[Polled]) -> list[PollOutcome | BaseException]:
        """Write a batch; if it fails, write its feeds one by one so one cannot sink the rest."""
        try:
            return list(await self.write_batch(batch))
        except Exception as exc:
            if len(batch) == 1:
                return [exc]
            log.warning("poll_batch_failed_writing_singly", feeds=len(batch))
        outcomes: list[PollOutcome | BaseException] = []
        for polled in batch:
            try:
                outcomes += await self.write_batch([polled])
            except Exception as exc:
                outcomes.append(exc)
        return outcomes

    async def write_batch(self, batch: Sequence[Polled]) -> list[PollOutcome]:
        """Store the results of several polls in one transaction, each only if its lease holds.

        A 304 or an error stores no entries: the fenced state update is all it costs.
        """
        now = utcnow()
        async with self._db.begin() as session:
            held = await repository.hold_leases(session, [p.claim for p in batch], now)
            live = [p for p in batch if p.claim.feed_id in held]
            stored = await store_polls(
                session, [(p.claim.feed_id, p.parsed.entries) for p in live if p.parsed is not None], now)
            finished: list[FinishedPoll] = []
            for polled in live:
                stats = stored.get(polled.claim.feed_id, StoreStats(0, 0, 0, 0))
                facts = _facts(now, polled, stats)
                values = next_state(_prior(polled.claim), facts, self._bounds,
                                    self._settings.disable_after, self._rng)
                finished.append(FinishedPoll(polled.claim, values, stats.linked))
            await repository.finish_polls(session, finished, now)
        outcomes = []
        for polled in batch:
            if polled.claim.feed_id not in held:
                log.warning("lease_lost", feed_id=polled.claim.feed_id)
                outcomes.append(PollOutcome(polled.claim.feed_id, polled.claim.fetch_url,
                                            polled.result.status, "lease_lost",
                                            "another replica took this feed over"))
                continue
            done = next(f for f in finished if f.claim is polled.claim)
            outcomes.append(_outcome(polled, stored.get(polled.claim.feed_id), done.values))
        return outcomes


class BatchWriter:
    """Hands the polls that are ready to one writer, several per transaction.

    Each poll waits for its own outcome. A batch takes what is queued and waits up to
    ``WRITE_LINGER`` for more while other polls are still in flight (up to
    ``MAX_BATCH_FEEDS`` feeds), so batches grow with the load and a lone poll is written
    at once.
    """

    def __init__(
        self, write: Callable[[Sequence[Polled]], Awaitable[list[PollOutcome | BaseException]]]
    ) -> None:
        self._write = write
        self.in_flight = 0
        self._queue: asyncio.Queue[tuple[Polled, asyncio.Future[PollOutcome]]] = asyncio.Queue()

    async def write(self, polled: Polled) -> PollOutcome:
        future: asyncio.Future[PollOutcome] = asyncio.get_running_loop().create_future()
        await self._queue.put((polled, future))
        return await future

    @contextlib.contextmanager
    def polling(self) -> Iterator[None]:
        """Count a poll as in flight while it fetches, parses and waits to be written."""
        self.in_flight += 1
        try:
            yield
        finally:
            self.in_flight -= 1

    async def run(self) -> None:
        while True:
            batch = [await self._queue.get()]
            entries = _entries(batch[0][0])
            deadline = asyncio.get_running_loop().time() + WRITE_LINGER
            while len(batch) < MAX_BATCH_FEEDS and entries < MAX_BATCH_ENTRIES:
                if self._queue.empty():
                    if self.in_flight <= len(batch):
                        break  # every poll still running is in this batch: nothing to wait for
                    try:
                        async with asyncio.timeout_at(deadline):
                            batch.append(await self._queue.get())
                    except TimeoutError:
                        break
                else:
                    batch.append(self._queue.get_nowait())
                entries += _entries(batch[-1][0])
            live = [(p, f) for p, f in batch if not f.done()]  # a cancelled poll is not written
            try:
                results = await self._write([p for p, _ in live])
            except BaseException as exc:  # cancelled mid-write: nobody may wait forever
                for _, future in live:
                    if not future.done():
                        future.set_exception(exc if isinstance(exc, Exception) else asyncio.CancelledError())
                raise
            for (_, future), result in zip(live, results, strict=True):
                if future.done():
                    continue
                if isinstance(result, BaseException):
                    future.set_exception(result)
                else:
                    future.set_result(result)


def _entries(polled: Polled) -> int:
    return len(polled.parsed.entries) if polled.parsed is not None else 0


def _outcome(polled: Polled, stats: StoreStats | None, values: dict[str, object]) -> PollOutcome:
    result, parsed = polled.result, polled.parsed
    stats = stats or StoreStats(0, 0, 0, 0)
    outcome = PollOutcome(
        feed_id=polled.claim.feed_id,
        url=polled.claim.fetch_url,
        status=result.status,
        result=polled.error_kind or ("not_modified" if result.not_modified else "ok"),
        message=polled.error_message or (parsed.bozo_reason if parsed else None),
        new=stats.new,
        changed=stats.changed,
        entries=stats.entries,
        next_poll_at=values.get("next_poll_at"),  # type: ignore[arg-type]
        elapsed=result.elapsed,
    )
    _log_outcome(outcome, values)
    return outcome


def _prior(claim: Claim) -> PriorState:
    return PriorState(
        fetch_url=claim.fetch_url,
        etag=claim.etag,
        last_modified=claim.last_modified,
        consecutive_errors=claim.consecutive_errors,
        failing_since=claim.failing_since,
        interval_s=claim.interval_s,
        configured_interval=(
            timedelta(seconds=claim.poll_interval_s) if claim.poll_interval_s else None
        ),
    )


def _facts(now: datetime, polled: Polled, stats: StoreStats) -> PollFacts:
    result, parsed = polled.result, polled.parsed
    published = [e.published_at for e in parsed.entries if e.published_at] if parsed else []
    return PollFacts(
        now=now,
        status=result.status,
        error_kind=polled.error_kind,
        error_message=polled.error_message,
        headers=dict(result.headers),
        etag=result.etag,
        last_modified=result.last_modified,
        moved_to=result.moved_to,
        ttl=parsed.ttl if parsed else None,
        learned_interval=publishing_interval(published),
        bozo_reason=parsed.bozo_reason if parsed else None,
        entries=stats.entries,
        new_items=stats.new,
    )


def _log_outcome(outcome: PollOutcome, values: dict[str, object]) -> None:
    fields = {
        "feed_id": outcome.feed_id,
        "url": outcome.url,
        "status": outcome.status,
        "new": outcome.new,
        "changed": outcome.changed,
        "elapsed_ms": round(outcome.elapsed * 1000),
    }
    if values.get("disabled_at"):
        log.warning("feed_disabled", reason=values.get("disabled_reason"), **fields)
    elif outcome.result in {"ok", "not_modified"}:
        log.info("feed_polled", result=outcome.result, **fields)
    else:
        log.warning("feed_poll_failed", result=outcome.result, error=outcome.message, **fields)
