"""Fixtures for index tests: a runtime with controllable items, and helpers to add them."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from service.db.models import Item, ItemEvent
from service.runtime import Runtime, open_runtime
from service.timeutil import utcnow
from tests.api.conftest import api, api_feeds_file  # noqa: F401  (the API fixture, shared)
from tests.conftest import make_settings, write_feeds_yml

FEEDS = [
    {"id": "us-gov", "url": "http://127.0.0.1:9/us", "name": "US government", "country": "US"},
    {"id": "jp-gov", "url": "http://127.0.0.1:9/jp", "name": "METI news releases", "country": "JP"},
]


async def add_item(runtime: Runtime, feed_id: str, title: str, summary: str, day: date) -> int:
    """Store an item as the poller would (item + queue event); the pipeline does the rest."""
    now = utcnow()
    async with runtime.db.begin() as session:
        digest = hashlib.sha256(title.encode()).hexdigest()
        item = Item(feed_id=feed_id, guid=title, link=f"https://example.gov/{digest[:12]}", title=title,
                    summary=summary, language="en",
                    published_at=datetime(day.year, day.month, day.day, 12, tzinfo=UTC),
                    content_hash=digest, first_seen_at=now, updated_at=now)
        session.add(item)
        await session.flush()
        assert item.id is not None
        session.add(ItemEvent(item_id=item.id, revision=1, reason="new", created_at=now, available_at=now))
    return item.id


@pytest.fixture
def index_settings(database_url: str, tmp_path: Path) -> Any:
    def build(pairs: tuple[str, ...] = ("US-JP",), **overrides: Any) -> Any:
        feeds = write_feeds_yml(tmp_path / "feeds.yml", FEEDS, pairs=list(pairs))
        values = {"index_ship_history": False, "index_band_draws": 16, "index_start": date(2024, 1, 1)}
        return make_settings(database_url, feeds, **(values | overrides))
    return build


@pytest.fixture
async def runtime(index_settings: Any) -> AsyncIterator[Runtime]:
    async with open_runtime(index_settings()) as rt:
        await rt.reloader.reload("test")
        yield rt
