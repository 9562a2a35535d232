"""One clock for the whole service: aware UTC datetimes and ISO 8601 rendering.

Every stored and displayed time is UTC (the README promises ISO 8601 UTC); naive datetimes
are a bug, so ``as_utc`` refuses to guess unless told the value is already UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """Convert an aware datetime to UTC; treat a naive one as UTC (what SQLite hands back)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def isoformat(value: datetime | None) -> str | None:
    """ISO 8601 in UTC with a ``Z`` suffix, the form the API and logs use."""
    if value is None:
        return None
    return as_utc(value).isoformat().replace("+00:00", "Z")
