"""Settings for every part of alignwatch, read once from ``ALIGNWATCH_*`` variables and ``.env``.

This is the only module that reads the environment (full-stack-fastapi-template): everything
else receives a ``Settings`` instance. Knobs carry their unit in the name or a comment
(svix/svix-webhooks), and durations are ``timedelta`` so ``ALIGNWATCH_POLL_MIN_INTERVAL=300``
and ``=PT5M`` both work.
"""

from __future__ import annotations

import os
import re
import socket
from datetime import date, timedelta
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from service import __version__

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./alignwatch.db"


class Settings(BaseSettings):
    """Runtime configuration; see the README's table of variables."""

    model_config = SettingsConfigDict(
        env_prefix="ALIGNWATCH_", env_file=".env", extra="ignore", frozen=True
    )

    # Storage
    database_url: str = DEFAULT_DATABASE_URL
    db_pool_size: int = Field(default=10, ge=1, le=200)  # connections per replica (PostgreSQL)
    db_max_overflow: int = Field(default=10, ge=0, le=200)
    sqlite_busy_timeout_ms: int = Field(default=30_000, ge=0)

    # Feeds file and the HTTP server
    feeds_file: Path = Path("feeds.yml")
    feeds_watch: bool = True  # reload feeds.yml when it changes on disk
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)

    # Logging: "console" for people, "json" for machines; "auto" picks console on a terminal
    log_format: Literal["auto", "console", "json"] = "auto"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    # Polling
    scheduler_enabled: bool = True  # False runs the API only (a read replica)
    poll_tick: timedelta = timedelta(seconds=5)  # how often each replica looks for due feeds
    poll_batch_size: int = Field(default=100, ge=1, le=10_000)  # feeds claimed per tick
    poll_default_interval: timedelta = timedelta(minutes=30)
    poll_min_interval: timedelta = timedelta(minutes=5)
    poll_max_interval: timedelta = timedelta(hours=24)
    poll_jitter: float = Field(default=0.1, ge=0.0, le=0.5)  # +/- fraction of each interval
    poll_lease: timedelta = timedelta(minutes=2)  # a claimed feed is another replica's after this
    backoff_base: timedelta = timedelta(minutes=1)  # first retry after an error
    backoff_cap: timedelta = timedelta(hours=6)  # longest wait between retries
    retry_after_max: timedelta = timedelta(hours=24)  # Retry-After is clamped to this
    disable_after: timedelta = timedelta(days=7)  # unbroken failure before a feed is disabled
    stale_after: timedelta = timedelta(days=30)  # no new entry for this long: flagged stale

    # Fetching
    fetch_concurrency: int = Field(default=50, ge=1, le=1_000)  # requests in flight per replica
    fetch_per_host: int = Field(default=4, ge=1, le=100)  # requests in flight per host
    fetch_connect_timeout: timedelta = timedelta(seconds=10)
    fetch_read_timeout: timedelta = timedelta(seconds=30)  # between two reads of the body
    fetch_total_timeout: timedelta = timedelta(seconds=60)  # a whole fetch, body included
    fetch_max_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)  # decoded body cap
    fetch_max_redirects: int = Field(default=5, ge=0, le=20)
    allow_private_feeds: bool = False  # allow feeds on loopback/private addresses (dev, tests)
    contact: str = "https://github.com/alignwatch/alignwatch"  # sent in the User-Agent

    # Processing pipeline (classification, index, alerts)
    classifier: str = "rules-v1"  # a name registered in service.classify.engine
    pipeline_batch_size: int = Field(default=500, ge=1, le=10_000)
    pipeline_lease: timedelta = timedelta(minutes=2)
    pipeline_max_attempts: int = Field(default=10, ge=1)  # then the event is parked as failed

    # Alerts (defaults for the rules; each subscription filters further)
    alert_min_confidence: float = Field(default=0.6, ge=0.0, le=1.0)  # diverging items below: no alert
    alert_index_drop_points: float = Field(default=5.0, gt=0)  # index fall that raises an alert
    alert_index_drop_window_days: Literal[7, 30, 90] = 30
    alert_index_levels: list[float] = Field(default_factory=lambda: [40.0])  # crossing down alerts
    alert_index_cooldown: timedelta = timedelta(hours=24)  # per pair, domain and rule

    # Webhook delivery
    allow_loopback_webhooks: bool = False  # development and tests only
    webhook_timeout: timedelta = timedelta(seconds=10)  # one attempt, connection to last byte
    webhook_concurrency: int = Field(default=100, ge=1, le=2_000)  # attempts in flight per replica
    webhook_per_endpoint: int = Field(default=10, ge=1, le=500)  # in flight per subscription
    webhook_batch_size: int = Field(default=500, ge=1, le=10_000)  # deliveries claimed at once
    webhook_lease: timedelta = timedelta(minutes=2)
    webhook_tick: timedelta = timedelta(seconds=1)  # how often each replica looks for due work
    webhook_disable_after: timedelta = timedelta(days=5)  # unbroken failure, then disabled
    webhook_secret_overlap: timedelta = timedelta(hours=24)  # old secret still signs this long

    # Parse feeds in this many worker processes (a forkserver's children); 0 parses in a
    # thread. Off by default: each worker costs memory and a small deployment polls a few
    # dozen feeds (docs/ingestion.md)
    parse_workers: int = Field(default=0, ge=0, le=64)

    # API
    public_read: bool = False  # reads without a key
    api_max_body_bytes: int = Field(default=1024 * 1024, ge=1024)
    rate_limit_read: str = "1200/minute"  # per read key, per replica ("limits" notation)
    rate_limit_admin: str = "600/minute"  # per admin key, per replica
    rate_limit_auth_failures: str = "30/minute"  # failed authentications per client address

    # Identity of this replica in leases and logs
    instance_id: str = Field(default_factory=lambda: f"{socket.gethostname()}-{os.getpid()}")

    # Demo mode (alignwatch serve --demo)
    demo: bool = False

    # Alignment index (docs/index.md); changing any of these recomputes the stored series
    index_start: date = date(2017, 1, 1)  # first published day of the series
    index_half_life: timedelta = timedelta(days=180)  # momentum halves in this time ("180d")
    index_position_share: float = Field(default=0.6, ge=0.0, le=1.0)  # α: positions vs momentum
    index_momentum_scale: float = Field(default=2.0, gt=0.0)  # momentum units where m = 0.5
    index_weight_joint: float = Field(default=1.0, ge=0.0)  # momentum weight of a joint act
    index_weight_unilateral: float = Field(default=0.5, ge=0.0)  # ... of one country's step
    index_domain_weights: dict[str, float] = Field(default_factory=dict)  # domain -> weight (1)
    index_band_draws: int = Field(default=200, ge=0, le=2000)  # resampled worlds for the band
    index_band_seed: int = 20170101  # seed of the resampling (per event, order-free)
    index_provisional_days: int = Field(default=30, ge=0)  # recent days flagged provisional
    index_cache_ttl: timedelta = timedelta(seconds=1)  # GET /v1/index served from memory this long
    index_ship_history: bool = True  # load (and keep in sync) index/data/history.jsonl for US-JP

    @field_validator("*", mode="before")
    @classmethod
    def _durations(cls, value: object, info: ValidationInfo) -> object:
        """Let every duration be written as seconds ("300"), "5m"/"1h"/"2d", or ISO 8601."""
        field = cls.model_fields.get(info.field_name or "")
        if field is None or field.annotation is not timedelta or not isinstance(value, str):
            return value
        text = value.strip().lower()
        if re.fullmatch(r"\d+(\.\d+)?", text):
            return timedelta(seconds=float(text))
        match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(s|m|h|d)", text)
        if match:
            unit = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}[match.group(2)]
            return timedelta(**{unit: float(match.group(1))})
        return value

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        """Accept the plain URLs operators write and pick the async driver for them."""
        if value.startswith("postgres://"):
            value = "postgresql://" + value.removeprefix("postgres://")
        if value.startswith("postgresql://"):
            return "postgresql+asyncpg://" + value.removeprefix("postgresql://")
        if value.startswith("sqlite:///"):
            return "sqlite+aiosqlite:///" + value.removeprefix("sqlite:///")
        if not value.startswith(("postgresql+asyncpg://", "sqlite+aiosqlite://")):
            raise ValueError("database_url must be a sqlite:/// or postgresql:// URL")
        return value

    @field_validator("index_domain_weights")
    @classmethod
    def _known_domains(cls, value: dict[str, float]) -> dict[str, float]:
        """Weights name index domains and are not negative (a typo must not pass silently)."""
        from service.classify.types import DOMAINS

        unknown = sorted(set(value) - set(DOMAINS) - {"none"})
        if unknown or "none" in value:
            raise ValueError(f"unknown index domains {unknown or ['none']}")
        if any(weight < 0 for weight in value.values()):
            raise ValueError("index domain weights must not be negative")
        return value

    @model_validator(mode="after")
    def _interval_bounds(self) -> Settings:
        if not self.poll_min_interval <= self.poll_default_interval <= self.poll_max_interval:
            raise ValueError("poll intervals must satisfy min <= default <= max")
        if self.backoff_base > self.backoff_cap:
            raise ValueError("backoff_base must not exceed backoff_cap")
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @cached_property
    def user_agent(self) -> str:
        """An honest User-Agent: who we are, our version, and where to complain."""
        return f"alignwatch/{__version__} (economic-security feed monitor; +{self.contact})"


def demo_settings(base: Settings) -> Settings:
    """The settings of ``serve --demo``: its own database, bundled feeds served to itself."""
    from service.demo import DEMO_DATABASE_URL, demo_feeds_file

    host = "127.0.0.1" if base.host in {"0.0.0.0", "::", ""} else base.host  # noqa: S104
    host = f"[{host}]" if ":" in host else host
    update: dict[str, object] = {
        "database_url": os.environ.get("ALIGNWATCH_DEMO_DATABASE_URL", DEMO_DATABASE_URL),
        "feeds_file": demo_feeds_file(f"http://{host}:{base.port}"),
        "allow_private_feeds": True,
        "public_read": True,
        "demo": True,
        "poll_tick": timedelta(seconds=2),
    }
    return Settings(**(base.model_dump() | update))
