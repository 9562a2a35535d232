"""One delivery attempt: a signed POST with aiohttp, no redirects, bounded in time and size.

Failures are returned as data; the caller records the attempt and schedules the next.
Targets are checked against the address policy before connecting and again on the
addresses DNS returns (``service.netguard``), so a webhook cannot reach the service's
own network unless loopback is explicitly allowed for development.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import aiohttp

from service.alerts.sign import signature_headers
from service.feeds.schedule import parse_retry_after
from service.netguard import AddressPolicy, BlockedAddressError, check_url, find_blocked

RESPONSE_EXCERPT = 512  # bytes of the receiver's answer kept for people to read


@dataclass(frozen=True)
class AttemptResult:
    status: int | None
    latency_ms: int
    error: str | None
    response_excerpt: str | None
    retry_after: timedelta | None


async def post_signed(
    session: aiohttp.ClientSession,
    url: str,
    *,
    msg_id: str,
    body: str,
    signing_secrets: list[str],
    policy: AddressPolicy,
    time_limit: timedelta,
    now: datetime,
    user_agent: str,
) -> AttemptResult:
    """POST ``body`` to ``url`` with Standard Webhooks headers; describe what happened."""
    started = time.monotonic()
    headers = {"Content-Type": "application/json", "User-Agent": user_agent}
    headers |= signature_headers(msg_id, now, body, signing_secrets)

    def elapsed() -> int:
        return round((time.monotonic() - started) * 1000)

    try:
        check_url(url, policy)
        async with asyncio.timeout(time_limit.total_seconds()):
            async with session.post(url, data=body.encode(), headers=headers,
                                    allow_redirects=False) as response:
                excerpt = (await response.content.read(RESPONSE_EXCERPT)).decode(errors="replace")
                return AttemptResult(
                    status=response.status, latency_ms=elapsed(), error=None,
                    response_excerpt=excerpt or None,
                    retry_after=parse_retry_after(response.headers.get("Retry-After"), now),
                )
    except BlockedAddressError as exc:
        return AttemptResult(None, elapsed(), f"blocked: {exc}", None, None)
    except ValueError as exc:
        return AttemptResult(None, elapsed(), f"invalid URL: {exc}", None, None)
    except TimeoutError:
        return AttemptResult(None, elapsed(), f"timeout after {time_limit.total_seconds():g} s", None, None)
    except aiohttp.ClientError as exc:
        blocked = find_blocked(exc)
        if blocked is not None:
            return AttemptResult(None, elapsed(), f"blocked: {blocked}", None, None)
        return AttemptResult(None, elapsed(), f"{type(exc).__name__}: {exc}"[:500], None, None)
