"""Keep the running service in step with feeds.yml: on change, on SIGHUP, on request.

A bad edit never takes effect: the last good catalog stays in force, and the error (file,
line, field) is logged and kept for ``GET /v1/feeds`` until a good edit replaces it.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import structlog
from watchfiles import awatch

from service.db.session import Database
from service.feeds.catalog import Catalog, CatalogError, load_catalog
from service.feeds.sync import SyncReport, sync_catalog
from service.timeutil import isoformat, utcnow

log = structlog.get_logger(__name__)

DEFAULT_PAIR = ("US", "JP")


@dataclass(frozen=True)
class CatalogStatus:
    """What ``GET /v1/feeds`` says about the configuration in force."""

    path: str
    digest: str | None
    loaded_at: datetime | None
    feeds: int
    error: str | None
    problems: tuple[dict[str, object], ...]
    error_at: datetime | None

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "digest": self.digest,
            "loaded_at": isoformat(self.loaded_at),
            "feeds": self.feeds,
            "error": self.error,
            "problems": list(self.problems),
            "error_at": isoformat(self.error_at),
        }


class CatalogReloader:
    """Holds the catalog in force and the last load error, if any."""

    def __init__(self, path: Path, db: Database) -> None:
        self.path = path
        self._db = db
        self._lock = asyncio.Lock()
        self.current: Catalog | None = None
        self.loaded_at: datetime | None = None
        self.error: CatalogError | None = None
        self.error_at: datetime | None = None

    async def reload(self, reason: str) -> SyncReport | None:
        """Load the file and apply it; on error keep the last good catalog. Never raises."""
        async with self._lock:
            try:
                catalog = await asyncio.to_thread(load_catalog, self.path)
            except CatalogError as exc:
                self.error, self.error_at = exc, utcnow()
                log.error("feeds_file_invalid", path=str(self.path), reason=reason,
                          problems=str(exc).splitlines(),
                          kept_digest=self.current.digest if self.current else None)
                return None
            if self.current is not None and catalog.digest == self.current.digest:
                self.error = None
                return None
            async with self._db.begin() as session:
                report = await sync_catalog(session, catalog, utcnow())
            self.current, self.loaded_at = catalog, utcnow()
            self.error = self.error_at = None
            log.info("feeds_file_loaded", path=str(self.path), reason=reason,
                     feeds=len(catalog.feeds), added=len(report.added),
                     updated=len(report.updated), removed=len(report.removed))
            return report

    async def watch(self) -> None:
        """Reload whenever the file changes on disk (editors often replace it whole)."""
        target = await asyncio.to_thread(self.path.resolve)
        async for changes in awatch(target.parent, debounce=300, recursive=False):
            if any(Path(changed).name == target.name for _change, changed in changes):
                await self.reload("file changed")

    def pairs(self) -> list[tuple[str, str]]:
        """The country pairs in force (US-JP until a catalog says otherwise)."""
        if self.current is None or not self.current.pairs:
            return [DEFAULT_PAIR]
        return [(pair.a, pair.b) for pair in self.current.pairs]

    def status(self) -> CatalogStatus:
        problems: tuple[dict[str, object], ...] = ()
        if self.error is not None:
            problems = tuple(
                {"line": p.line, "column": p.column, "field": p.field, "message": p.message}
                for p in self.error.problems
            )
        return CatalogStatus(
            path=str(self.path),
            digest=self.current.digest if self.current else None,
            loaded_at=self.loaded_at,
            feeds=len(self.current.feeds) if self.current else 0,
            error=str(self.error) if self.error else None,
            problems=problems,
            error_at=self.error_at,
        )
