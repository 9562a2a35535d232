"""When to poll a feed next: pure functions of what the last poll saw. No I/O.

The rules follow miniflux/v2 and lemon24/reader: each feed runs on its own interval,
learnt from how often it publishes and clamped to bounds; server hints (RSS ``<ttl>``,
``Cache-Control: max-age``, ``Expires``) may lengthen it within the cap (RFC 9111);
errors back off exponentially with jitter up to a cap; ``Retry-After`` on 429 and 503 is
obeyed within a clamp (RFC 9110 §10.2.3). Jitter keeps many feeds from firing together.
"""

from __future__ import annotations

import itertools
import random
import re
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

_MAX_AGE = re.compile(r"(?:^|,)\s*(?:s-maxage|max-age)\s*=\s*\"?(\d+)\"?", re.IGNORECASE)
_NO_CACHE = re.compile(r"(?:^|,)\s*(?:no-cache|no-store)\b", re.IGNORECASE)


@dataclass(frozen=True)
class PollBounds:
    """The operator's limits on polling, from settings."""

    default: timedelta
    minimum: timedelta
    maximum: timedelta
    jitter: float  # +/- fraction
    backoff_base: timedelta
    backoff_cap: timedelta
    retry_after_max: timedelta


def _clamp(value: timedelta, low: timedelta, high: timedelta) -> timedelta:
    return max(low, min(high, value))


def parse_http_date(value: str | None) -> datetime | None:
    """An HTTP-date (RFC 9110 §5.6.7) as aware UTC, or None when absent or malformed."""
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def parse_retry_after(value: str | None, now: datetime) -> timedelta | None:
    """``Retry-After`` as delay-seconds or an HTTP-date; None when absent or malformed."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return timedelta(seconds=int(value))
    when = parse_http_date(value)
    if when is None:
        return None
    return max(timedelta(0), when - now)


def freshness_hint(headers: Mapping[str, str], now: datetime) -> timedelta | None:
    """How long the server says the response stays fresh (Cache-Control, then Expires)."""
    cache_control = headers.get("Cache-Control") or headers.get("cache-control") or ""
    if _NO_CACHE.search(cache_control):
        return None
    match = _MAX_AGE.search(cache_control)
    if match:
        return timedelta(seconds=int(match.group(1)))
    expires = parse_http_date(headers.get("Expires") or headers.get("expires"))
    if expires is None:
        return None
    date = parse_http_date(headers.get("Date") or headers.get("date")) or now
    return max(timedelta(0), expires - date)


def publishing_interval(published: Sequence[datetime], *, recent: int = 10) -> timedelta | None:
    """The typical gap between a feed's recent entries (median of the newest ``recent``)."""
    newest = sorted(published, reverse=True)[: recent + 1]
    gaps = [a - b for a, b in itertools.pairwise(newest) if a > b]
    if len(gaps) < 2:
        return None
    return timedelta(seconds=statistics.median(g.total_seconds() for g in gaps))


def jittered(interval: timedelta, fraction: float, rng: random.Random) -> timedelta:
    """``interval`` spread by +/- ``fraction`` so feeds do not all fire together."""
    if fraction <= 0:
        return interval
    return interval * (1 + rng.uniform(-fraction, fraction))


def success_interval(
    bounds: PollBounds,
    *,
    configured: timedelta | None,
    learned: timedelta | None,
    ttl: timedelta | None,
    cache_hint: timedelta | None,
) -> timedelta:
    """The interval to the next poll after a successful (200 or 304) fetch, before jitter.

    An interval set in feeds.yml wins over a learnt one; otherwise poll at half the
    feed's usual publishing gap so new entries arrive reasonably fresh. Server hints can
    only lengthen the interval, and never beyond the maximum.
    """
    if configured is not None:
        base = configured
    elif learned is not None:
        base = learned / 2
    else:
        base = bounds.default
    base = _clamp(base, bounds.minimum, bounds.maximum)
    for hint in (ttl, cache_hint):
        if hint is not None and hint > base:
            base = min(hint, bounds.maximum)
    return base


def error_delay(bounds: PollBounds, consecutive_errors: int, rng: random.Random) -> timedelta:
    """Exponential backoff with jitter: base * 2^(n-1), capped, then scaled by [0.5, 1]."""
    exponent = max(0, min(consecutive_errors - 1, 30))
    ceiling = min(bounds.backoff_cap, bounds.backoff_base * (2**exponent))
    delay: timedelta = ceiling * rng.uniform(0.5, 1.0)
    return delay


def retry_after_delay(bounds: PollBounds, retry_after: timedelta | None, fallback: timedelta) -> timedelta:
    """What to wait after a 429 or 503: the server's Retry-After within sane bounds."""
    if retry_after is None:
        return fallback
    return _clamp(retry_after, timedelta(seconds=1), bounds.retry_after_max)
