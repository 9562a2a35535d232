"""Table tests for the pure scheduling rules."""

import random
from datetime import UTC, datetime, timedelta

import pytest

from service.feeds.schedule import (
    PollBounds,
    error_delay,
    freshness_hint,
    parse_retry_after,
    publishing_interval,
    retry_after_delay,
    success_interval,
)

NOW = datetime(2026, 10, 9, 12, 0, tzinfo=UTC)
BOUNDS = PollBounds(
    default=timedelta(minutes=30), minimum=timedelta(minutes=5), maximum=timedelta(hours=24),
    jitter=0.0, backoff_base=timedelta(minutes=1), backoff_cap=timedelta(hours=6),
    retry_after_max=timedelta(hours=24),
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("120", timedelta(seconds=120)),
        ("Fri, 09 Oct 2026 12:05:00 GMT", timedelta(minutes=5)),
        ("Fri, 09 Oct 2026 11:00:00 GMT", timedelta(0)),  # a date in the past: retry now
        ("soon", None),
        (None, None),
    ],
)
def test_retry_after_accepts_seconds_and_http_dates(value, expected):
    assert parse_retry_after(value, NOW) == expected


def test_retry_after_is_clamped_to_the_maximum():
    assert retry_after_delay(BOUNDS, timedelta(days=30), timedelta(minutes=1)) == timedelta(hours=24)
    assert retry_after_delay(BOUNDS, None, timedelta(minutes=7)) == timedelta(minutes=7)


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Cache-Control": "public, max-age=3600"}, timedelta(hours=1)),
        ({"Cache-Control": "s-maxage=600, max-age=60"}, timedelta(minutes=10)),
        ({"Cache-Control": "no-cache, max-age=3600"}, None),
        ({"Expires": "Fri, 09 Oct 2026 14:00:00 GMT", "Date": "Fri, 09 Oct 2026 12:00:00 GMT"},
         timedelta(hours=2)),
        ({"Expires": "0"}, None),
        ({}, None),
    ],
)
def test_freshness_hint_reads_cache_headers(headers, expected):
    assert freshness_hint(headers, NOW) == expected


def test_publishing_interval_is_the_median_gap():
    stamps = [NOW - timedelta(hours=h) for h in (0, 2, 4, 6, 30)]
    assert publishing_interval(stamps) == timedelta(hours=2)
    assert publishing_interval([NOW]) is None


def test_configured_interval_wins_over_learnt_one():
    got = success_interval(BOUNDS, configured=timedelta(hours=2), learned=timedelta(minutes=10),
                           ttl=None, cache_hint=None)
    assert got == timedelta(hours=2)


def test_learnt_interval_is_halved_and_clamped():
    assert success_interval(BOUNDS, configured=None, learned=timedelta(hours=4), ttl=None,
                            cache_hint=None) == timedelta(hours=2)
    assert success_interval(BOUNDS, configured=None, learned=timedelta(minutes=2), ttl=None,
                            cache_hint=None) == timedelta(minutes=5)
    assert success_interval(BOUNDS, configured=None, learned=timedelta(days=10), ttl=None,
                            cache_hint=None) == timedelta(hours=24)


def test_server_hints_lengthen_but_never_past_the_cap():
    assert success_interval(BOUNDS, configured=None, learned=None, ttl=timedelta(hours=3),
                            cache_hint=None) == timedelta(hours=3)
    assert success_interval(BOUNDS, configured=None, learned=None, ttl=None,
                            cache_hint=timedelta(days=7)) == timedelta(hours=24)
    # A short hint never makes us poll more often than the base.
    assert success_interval(BOUNDS, configured=None, learned=None, ttl=timedelta(minutes=1),
                            cache_hint=None) == timedelta(minutes=30)


def test_error_backoff_grows_exponentially_within_jitter_and_cap():
    rng = random.Random(7)
    for errors, ceiling in [(1, 60), (2, 120), (3, 240), (10, 6 * 3600), (40, 6 * 3600)]:
        delay = error_delay(BOUNDS, errors, rng).total_seconds()
        assert ceiling * 0.5 <= delay <= ceiling
