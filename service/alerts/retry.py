"""What to do after one delivery attempt: pure decisions, no I/O.

The schedule follows Svix: immediately, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h
(about 27 hours in all), each delay spread by ±10 % so retries of many messages do not
arrive together. 2xx is success. 410 Gone disables the endpoint. 429 and 503 honour
Retry-After within bounds. Anything else, redirects included, is a failure to retry.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

DEFAULT_SCHEDULE: tuple[timedelta, ...] = (
    timedelta(0),
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=10),
)
RETRY_AFTER_MIN = timedelta(seconds=1)
RETRY_AFTER_MAX = timedelta(hours=1)

Outcome = Literal["succeeded", "retry", "failed", "gone"]


@dataclass(frozen=True)
class Verdict:
    outcome: Outcome
    delay: timedelta | None  # until the next attempt, for "retry"
    reason: str


def _jitter(delay: timedelta, rng: random.Random) -> timedelta:
    return delay * rng.uniform(0.9, 1.1)


def judge_attempt(
    *,
    attempt: int,
    status: int | None,
    error: str | None,
    retry_after: timedelta | None,
    schedule: Sequence[timedelta] = DEFAULT_SCHEDULE,
    rng: random.Random,
) -> Verdict:
    """Decide after attempt number ``attempt`` (1 = the first) how the delivery goes on."""
    if status is not None and 200 <= status < 300:
        return Verdict("succeeded", None, f"HTTP {status}")
    if status == 410:
        return Verdict("gone", None, "410 Gone: the receiver asked us to stop")
    reason = error or f"HTTP {status}"
    if status is not None and 300 <= status < 400:
        reason = f"HTTP {status}: redirects are not followed"
    if attempt >= len(schedule):
        return Verdict("failed", None, f"{reason}; gave up after {attempt} attempts")
    delay = _jitter(schedule[attempt], rng)
    if status in (429, 503) and retry_after is not None:
        delay = max(delay, min(max(retry_after, RETRY_AFTER_MIN), RETRY_AFTER_MAX))
    return Verdict("retry", delay, reason)
