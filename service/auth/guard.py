"""API-key checks on every request: scopes, per-key rate limits, throttled failures.

Verified keys are cached for a few seconds so a busy endpoint does not pay a database
round trip per request (a revocation reaches other replicas within ``KEY_CACHE_SECONDS``;
the replica that revokes forgets the key at once). Rate limits use the ``limits``
package's moving windows, kept in memory: they apply per replica. Failed attempts are
counted per client address and logged with the reason and address, never the key.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

import structlog
from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from service.auth import service as auth_service
from service.auth.keys import Scope, scope_allows
from service.config import Settings
from service.db.session import Database
from service.errors import Forbidden, RateLimited, Unauthorized
from service.metrics import Metrics

log = structlog.get_logger(__name__)
KEY_CACHE_SECONDS = 10.0


@dataclass(frozen=True)
class Caller:
    key_id: int
    name: str
    scope: str


class AccessGuard:
    def __init__(self, settings: Settings, metrics: Metrics | None = None) -> None:
        self._settings = settings
        self._metrics = metrics
        self._limiter = MovingWindowRateLimiter(MemoryStorage())
        self._limits = {"read": parse(settings.rate_limit_read),
                        "admin": parse(settings.rate_limit_admin)}
        self._failures = parse(settings.rate_limit_auth_failures)
        self._cache: dict[str, tuple[Caller | None, float]] = {}

    def forget(self, key_id: int) -> None:
        self._cache = {h: v for h, v in self._cache.items() if not v[0] or v[0].key_id != key_id}

    def _retry_after(self, limit: RateLimitItem, *ident: str) -> int:
        stats = self._limiter.get_window_stats(limit, *ident)
        return max(1, math.ceil(stats.reset_time - time.time()))

    def _fail(self, reason: str, client: str) -> None:
        if self._metrics:
            self._metrics.auth_failures.labels(reason).inc()
        log.warning("auth_failed", reason=reason, client=client)
        if not self._limiter.hit(self._failures, "fail", client):
            raise RateLimited(self._retry_after(self._failures, "fail", client),
                              "too many failed authentication attempts from this address")

    async def _lookup(self, db: Database, secret: str) -> Caller | None:
        digest = hashlib.sha256(secret.encode()).hexdigest()
        cached = self._cache.get(digest)
        now = time.monotonic()
        if cached and cached[1] > now:
            return cached[0]
        async with db.read() as session:
            row = await auth_service.find_key(session, secret)
        caller = Caller(row.id or 0, row.name, row.scope) if row else None
        if len(self._cache) > 10_000:
            self._cache.clear()
        self._cache[digest] = (caller, now + KEY_CACHE_SECONDS)
        return caller

    async def check(self, db: Database, secret: str | None, needed: Scope, client: str) -> Caller | None:
        """The caller behind ``secret``, or an error: 401, 403 or 429 with Retry-After."""
        if needed == "read" and self._settings.public_read:
            return None
        if self._limiter.test(self._failures, "fail", client) is False:
            raise RateLimited(self._retry_after(self._failures, "fail", client),
                              "too many failed authentication attempts from this address")
        if not secret:
            self._fail("missing", client)
            raise Unauthorized("send an API key as `Authorization: Bearer <key>`")
        caller = await self._lookup(db, secret)
        if caller is None:
            self._fail("unknown_or_revoked", client)
            raise Unauthorized("the API key is unknown or revoked")
        if not scope_allows(caller.scope, needed):
            self._fail("scope", client)
            raise Forbidden(f"this action needs a key with the {needed!r} scope")
        limit = self._limits["admin" if caller.scope == "admin" else "read"]
        if not self._limiter.hit(limit, "key", str(caller.key_id)):
            raise RateLimited(self._retry_after(limit, "key", str(caller.key_id)),
                              "rate limit of this key exceeded")
        return caller
