"""Polling: claim due feeds, fetch, parse, store, record health. One path for all callers.

The scheduler, ``alignwatch poll --once`` and the admin "refresh now" call the same
functions (miniflux/v2). Fetch and parse failures are data: they are counted on the feed,
which backs off; nothing a feed sends can stop the poller.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import datetime, timedelta

import aiohttp
import structlog

from service.config import Settings
from service.db.session import Database
from service.feeds import repository
from service.feeds.fetch import FetchResult, fetch_feed
from service.feeds.health import PollFacts, PriorState, next_state
from service.feeds.parse import FeedParseError, ParsedFeed, parse_feed
from service.feeds.repository import Claim
from service.feeds.schedule import PollBounds, publishing_interval
from service.feeds.store import StoreStats, store_entries
from service.netguard import AddressPolicy
from service.timeutil import utcnow

log = structlog.get_logger(__name__)


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


def _parse_job(body: bytes, url: str, content_type: str | None) -> ParsedFeed:
    return parse_feed(body, url=url, content_type=content_type)


class Poller:
    """Polls the feeds that are due, on behalf of one replica."""

    def __init__(
        self,
        settings: Settings,
        db: Database,
        http: aiohttp.ClientSession,
        *,
        parse_executor: Executor | None = None,
        rng: random.Random | None = None,
        on_poll: Callable[[PollOutcome], None] | None = None,
    ) -> None:
        self._settings = settings
        self._db = db
        self._http = http
        self._policy = feed_address_policy(settings)
        self._bounds = poll_bounds(settings)
        self._executor = parse_executor
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
        return list(await asyncio.gather(*(self._poll_claimed(c) for c in claims)))

    async def _poll_claimed(self, claim: Claim) -> PollOutcome:
        async with self._limit:
            try:
                outcome = await self.refresh(claim)
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
        if self._executor is None:
            return await asyncio.to_thread(
                _parse_job, result.body, result.final_url, result.content_type
            )
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            self._executor, _parse_job, result.body, result.final_url, result.content_type
        )

    async def refresh(self, claim: Claim) -> PollOutcome:
        """Fetch, parse and store one claimed feed, then record its health."""
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
        now = utcnow()
        async with self._db.begin() as session:
            if not await repository.hold_lease(session, claim, now):
                log.warning("lease_lost", feed_id=claim.feed_id)
                return PollOutcome(claim.feed_id, claim.fetch_url, result.status, "lease_lost",
                                   "another replica took this feed over")
            stats = StoreStats(0, 0, 0, 0)
            if parsed is not None:
                stats = await store_entries(session, claim.feed_id, parsed.entries, now)
            facts = _facts(now, result, parsed, error_kind, error_message, stats)
            values = next_state(_prior(claim), facts, self._bounds,
                                self._settings.disable_after, self._rng)
            values["items_total"] = await repository.count_items_for_feed(session, claim.feed_id)
            await repository.finish_poll(session, claim, values)
        outcome = PollOutcome(
            feed_id=claim.feed_id,
            url=claim.fetch_url,
            status=result.status,
            result=error_kind or ("not_modified" if result.not_modified else "ok"),
            message=error_message or (parsed.bozo_reason if parsed else None),
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


def _facts(
    now: datetime,
    result: FetchResult,
    parsed: ParsedFeed | None,
    error_kind: str | None,
    error_message: str | None,
    stats: StoreStats,
) -> PollFacts:
    published = [e.published_at for e in parsed.entries if e.published_at] if parsed else []
    return PollFacts(
        now=now,
        status=result.status,
        error_kind=error_kind,
        error_message=error_message,
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
