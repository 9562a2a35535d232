"""A feed's fetch state after one poll: a pure transition, no I/O.

Every outcome (200, 304, 410, 429/503 with Retry-After, other errors, parse failures) maps
to the next poll time and the health fields users see on ``GET /v1/feeds``. A feed is
never given up on silently (the most repeated complaint about Miniflux): it is disabled
only after ``disable_after`` of unbroken failure, or at once on 410 Gone, and the reason is
stored for people to read.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from service.feeds.schedule import (
    PollBounds,
    error_delay,
    freshness_hint,
    jittered,
    parse_retry_after,
    retry_after_delay,
    success_interval,
)


@dataclass(frozen=True)
class PollFacts:
    """What the poller learnt in one poll, reduced to plain values."""

    now: datetime
    status: int | None
    error_kind: str | None
    error_message: str | None
    headers: dict[str, str]
    etag: str | None
    last_modified: str | None
    moved_to: str | None
    ttl: timedelta | None = None
    learned_interval: timedelta | None = None
    bozo_reason: str | None = None
    entries: int = 0
    new_items: int = 0


@dataclass(frozen=True)
class PriorState:
    """The parts of the stored state the transition depends on."""

    fetch_url: str
    etag: str | None
    last_modified: str | None
    consecutive_errors: int
    failing_since: datetime | None
    interval_s: int | None
    configured_interval: timedelta | None


def next_state(
    prior: PriorState,
    facts: PollFacts,
    bounds: PollBounds,
    disable_after: timedelta,
    rng: random.Random,
) -> dict[str, object]:
    """The FeedState columns to write after this poll."""
    now = facts.now
    update: dict[str, object] = {
        "last_polled_at": now,
        "last_status": facts.status,
        "lease_owner": None,
        "lease_token": None,
        "lease_until": None,
    }
    if facts.moved_to:
        update["fetch_url"] = facts.moved_to
        update["redirected_from"] = prior.fetch_url

    if facts.error_kind is None:
        return update | _success(prior, facts, bounds, rng)

    errors = prior.consecutive_errors + 1
    failing_since = prior.failing_since or now
    update |= {
        "consecutive_errors": errors,
        "failing_since": failing_since,
        "last_error_kind": facts.error_kind,
        "last_error_message": facts.error_message,
        "last_error_at": now,
        "bozo_reason": facts.bozo_reason,
    }
    backoff = error_delay(bounds, errors, rng)
    if facts.error_kind in {"rate_limited", "unavailable"}:
        wait = retry_after_delay(
            bounds, parse_retry_after(facts.headers.get("Retry-After"), now), backoff
        )
    else:
        wait = backoff
    update["next_poll_at"] = now + wait
    if facts.error_kind == "gone":
        update["disabled_at"] = now
        update["disabled_reason"] = "the server answered 410 Gone: the feed was removed"
    elif now - failing_since >= disable_after:
        update["disabled_at"] = now
        update["disabled_reason"] = (
            f"failing without a break since {failing_since.isoformat()} "
            f"({errors} errors, last: {facts.error_kind})"
        )
    return update


def _success(
    prior: PriorState, facts: PollFacts, bounds: PollBounds, rng: random.Random
) -> dict[str, object]:
    now = facts.now
    learned = facts.learned_interval
    if learned is None and prior.interval_s is not None:
        learned = timedelta(seconds=prior.interval_s * 2)  # stored value is the half-gap
    interval = success_interval(
        bounds,
        configured=prior.configured_interval,
        learned=learned,
        ttl=facts.ttl,
        cache_hint=freshness_hint(facts.headers, now),
    )
    update: dict[str, object] = {
        "consecutive_errors": 0,
        "failing_since": None,
        "last_success_at": now,
        "next_poll_at": now + jittered(interval, bounds.jitter, rng),
        "interval_s": int(interval.total_seconds()),
    }
    if facts.status == 200:
        # A 200 without validators means the old ones no longer apply.
        update["etag"] = facts.etag
        update["last_modified"] = facts.last_modified
        update["bozo_reason"] = facts.bozo_reason
        update["entries_last_poll"] = facts.entries
        if facts.new_items:
            update["last_new_entry_at"] = now
    return update
