"""One conditional HTTP GET of a feed with aiohttp: bounded, redirect-aware, SSRF-guarded.

Every failure is returned as data (an error kind and message), never raised: a broken or
hostile feed is recorded against that feed and must never stop the poller (STYLE.md).
Redirects are followed by hand so a permanent one (301/308) can be recorded and every hop
is checked against the address policy.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urljoin

import aiohttp
from multidict import CIMultiDictProxy

from service.config import Settings
from service.netguard import (
    AddressPolicy,
    BlockedAddressError,
    GuardedResolver,
    check_url,
    find_blocked,
)

ErrorKind = Literal[
    "timeout",
    "connection",
    "blocked_address",
    "invalid_url",
    "too_large",
    "too_many_redirects",
    "http_error",
    "rate_limited",
    "unavailable",
    "gone",
    "parse_error",
]

_REDIRECTS = {301, 302, 303, 307, 308}
_PERMANENT = {301, 308}
_CHUNK = 16 * 1024


@dataclass(frozen=True)
class FetchResult:
    """What one fetch learnt. ``body`` is set only for a 200."""

    url: str  # the URL asked for
    final_url: str  # after redirects
    status: int | None = None
    body: bytes | None = None
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    moved_to: str | None = None  # set when only permanent redirects led to final_url
    headers: Mapping[str, str] = field(default_factory=dict)
    error_kind: ErrorKind | None = None
    error_message: str | None = None
    elapsed: float = 0.0

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class _TooLarge(Exception):
    pass


def create_http_session(settings: Settings, policy: AddressPolicy, *, limit: int | None = None,
                        limit_per_host: int | None = None) -> aiohttp.ClientSession:
    """The shared client: bounded pools, guarded DNS, an honest User-Agent.

    DNS answers are not cached by aiohttp so every new connection is checked again. The
    pool bounds default to the feed settings; webhook delivery passes its own.
    """
    connector = aiohttp.TCPConnector(
        limit=limit or settings.fetch_concurrency,
        limit_per_host=limit_per_host or settings.fetch_per_host,
        resolver=GuardedResolver(policy),
        use_dns_cache=False,
        enable_cleanup_closed=True,
    )
    return aiohttp.ClientSession(
        connector=connector,
        headers={"User-Agent": settings.user_agent},
        timeout=_timeout(settings),
        auto_decompress=True,
        trust_env=False,
    )


def _timeout(settings: Settings) -> aiohttp.ClientTimeout:
    return aiohttp.ClientTimeout(
        total=settings.fetch_total_timeout.total_seconds(),
        connect=settings.fetch_connect_timeout.total_seconds(),
        sock_connect=settings.fetch_connect_timeout.total_seconds(),
        sock_read=settings.fetch_read_timeout.total_seconds(),
    )


async def _read_capped(response: aiohttp.ClientResponse, max_bytes: int) -> bytes:
    declared = response.content_length
    if declared is not None and declared > max_bytes:
        raise _TooLarge(f"Content-Length {declared} exceeds the {max_bytes}-byte limit")
    chunks: list[bytes] = []
    total = 0
    async for chunk in response.content.iter_chunked(_CHUNK):
        total += len(chunk)
        if total > max_bytes:
            raise _TooLarge(f"body exceeds the {max_bytes}-byte limit")
        chunks.append(chunk)
    return b"".join(chunks)


def _plain_headers(headers: CIMultiDictProxy[str]) -> dict[str, str]:
    keep = ("Cache-Control", "Expires", "Date", "Retry-After", "Content-Type", "Age")
    return {name: headers[name] for name in keep if name in headers}


async def fetch_feed(
    session: aiohttp.ClientSession,
    url: str,
    *,
    settings: Settings,
    policy: AddressPolicy,
    etag: str | None = None,
    last_modified: str | None = None,
) -> FetchResult:
    """GET ``url`` conditionally; describe the outcome, success or failure, as a FetchResult."""
    started = time.monotonic()
    request_headers = {"Accept": "application/rss+xml, application/atom+xml, application/rdf+xml, "
                       "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5",
                       "Accept-Encoding": "gzip, deflate"}
    if etag:
        request_headers["If-None-Match"] = etag
    if last_modified:
        request_headers["If-Modified-Since"] = last_modified
    current = url
    permanent = True
    try:
        async with asyncio.timeout(settings.fetch_total_timeout.total_seconds()):
            for _hop in range(settings.fetch_max_redirects + 1):
                check_url(current, policy)
                async with session.get(
                    current, headers=request_headers, allow_redirects=False
                ) as response:
                    if response.status in _REDIRECTS and "Location" in response.headers:
                        permanent = permanent and response.status in _PERMANENT
                        current = urljoin(current, response.headers["Location"])
                        continue
                    body = None
                    if response.status == 200:
                        body = await _read_capped(response, settings.fetch_max_bytes)
                    return _result(url, current, response, body, permanent, started)
            return _error(url, current, "too_many_redirects",
                          f"more than {settings.fetch_max_redirects} redirects", started)
    except BlockedAddressError as exc:
        return _error(url, current, "blocked_address", str(exc), started)
    except ValueError as exc:
        return _error(url, current, "invalid_url", str(exc), started)
    except _TooLarge as exc:
        return _error(url, current, "too_large", str(exc), started)
    except TimeoutError:
        return _error(url, current, "timeout", "no complete answer in time", started)
    except aiohttp.ClientError as exc:
        blocked = find_blocked(exc)
        if blocked is not None:
            return _error(url, current, "blocked_address", str(blocked), started)
        return _error(url, current, "connection", f"{type(exc).__name__}: {exc}", started)


def _result(
    url: str,
    final_url: str,
    response: aiohttp.ClientResponse,
    body: bytes | None,
    permanent: bool,
    started: float,
) -> FetchResult:
    status = response.status
    kind: ErrorKind | None = None
    message = None
    if status == 410:
        kind, message = "gone", "410 Gone: the publisher removed this feed"
    elif status == 429:
        kind, message = "rate_limited", "429 Too Many Requests"
    elif status == 503:
        kind, message = "unavailable", "503 Service Unavailable"
    elif status not in (200, 304):
        kind, message = "http_error", f"HTTP {status} {response.reason or ''}".strip()
    return FetchResult(
        url=url,
        final_url=final_url,
        status=status,
        body=body,
        content_type=response.headers.get("Content-Type"),
        etag=response.headers.get("ETag"),
        last_modified=response.headers.get("Last-Modified"),
        moved_to=final_url if final_url != url and permanent else None,
        headers=_plain_headers(response.headers),
        error_kind=kind,
        error_message=message,
        elapsed=time.monotonic() - started,
    )


def _error(url: str, final_url: str, kind: ErrorKind, message: str, started: float) -> FetchResult:
    return FetchResult(
        url=url,
        final_url=final_url,
        error_kind=kind,
        error_message=message[:500],
        elapsed=time.monotonic() - started,
    )

