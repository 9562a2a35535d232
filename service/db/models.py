"""SQLModel tables shared by every part of the service.

One table per concept, singular snake_case names, ``_at`` on timestamps, and a naming
convention for constraints so that Alembic migrations are stable on SQLite and PostgreSQL
(polar). Relationships are avoided: services load what they need with explicit queries.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel

from service.db.types import UTCDateTime

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# SQLite only auto-increments INTEGER PRIMARY KEY; PostgreSQL gets a BIGINT identity.
BigIntId = BigInteger().with_variant(Integer(), "sqlite")


def utc_column(*, nullable: bool = True, index: bool = False) -> Any:
    """A timestamp column that round-trips aware UTC datetimes on both databases."""
    return Field(default=None, sa_column=Column(UTCDateTime(), nullable=nullable, index=index))


class Feed(SQLModel, table=True):
    """A feed as configured in feeds.yml; rows outlive their removal from the file."""

    id: str = Field(sa_column=Column(String(64), primary_key=True))
    name: str = Field(sa_column=Column(String(200), nullable=False))
    url: str = Field(sa_column=Column(Text, nullable=False))
    country: str = Field(sa_column=Column(String(8), nullable=False, index=True))
    kind: str = Field(sa_column=Column(String(20), nullable=False))
    language: str = Field(sa_column=Column(String(16), nullable=False))
    tags: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    poll_interval_s: int | None = None
    enabled: bool = True
    in_catalog: bool = True  # False once removed from feeds.yml: not polled, items kept
    created_at: datetime = utc_column(nullable=False)
    updated_at: datetime = utc_column(nullable=False)


class FeedState(SQLModel, table=True):
    """Fetch state, lease and health of one feed; the poller's only mutable row per feed."""

    __tablename__ = "feed_state"

    feed_id: str = Field(
        sa_column=Column(String(64), ForeignKey("feed.id", ondelete="CASCADE"), primary_key=True)
    )
    fetch_url: str = Field(sa_column=Column(Text, nullable=False))
    etag: str | None = Field(default=None, sa_column=Column(Text))
    last_modified: str | None = Field(default=None, sa_column=Column(String(64)))
    next_poll_at: datetime = utc_column(nullable=False, index=True)
    lease_owner: str | None = Field(default=None, sa_column=Column(String(120)))
    lease_token: str | None = Field(default=None, sa_column=Column(String(36)))
    lease_until: datetime | None = utc_column()
    interval_s: int | None = None  # adaptive interval learnt from the feed's publishing rate
    last_polled_at: datetime | None = utc_column()
    last_success_at: datetime | None = utc_column()
    last_new_entry_at: datetime | None = utc_column()
    last_status: int | None = None
    last_error_kind: str | None = Field(default=None, sa_column=Column(String(40)))
    last_error_message: str | None = Field(default=None, sa_column=Column(Text))
    last_error_at: datetime | None = utc_column()
    consecutive_errors: int = 0
    failing_since: datetime | None = utc_column()
    disabled_at: datetime | None = utc_column()
    disabled_reason: str | None = Field(default=None, sa_column=Column(Text))
    bozo_reason: str | None = Field(default=None, sa_column=Column(Text))
    redirected_from: str | None = Field(default=None, sa_column=Column(Text))
    entries_last_poll: int = 0
    polls_total: int = 0
    errors_total: int = 0
    items_total: int = 0


class Item(SQLModel, table=True):
    """One entry, stored once however many feeds carry it or how often they repeat it."""

    id: int | None = Field(default=None, sa_column=Column(BigIntId, primary_key=True))
    feed_id: str = Field(
        sa_column=Column(String(64), ForeignKey("feed.id"), nullable=False, index=True)
    )
    guid: str | None = Field(default=None, sa_column=Column(Text))
    link: str | None = Field(default=None, sa_column=Column(Text))
    title: str = Field(sa_column=Column(Text, nullable=False))
    summary: str = Field(sa_column=Column(Text, nullable=False))
    language: str | None = Field(default=None, sa_column=Column(String(16)))
    published_at: datetime = utc_column(nullable=False, index=True)
    content_hash: str = Field(sa_column=Column(String(64), nullable=False))
    revision: int = 1
    first_seen_at: datetime = utc_column(nullable=False, index=True)
    updated_at: datetime = utc_column(nullable=False)


class ItemKey(SQLModel, table=True):
    """Every identity an item is known by: per-feed guid, link, content fingerprint.

    The primary key makes identity claims race-free across replicas: two pollers that
    meet the same entry in two feeds cannot both create it.
    """

    __tablename__ = "item_key"

    key: str = Field(sa_column=Column(String(80), primary_key=True))
    item_id: int = Field(
        sa_column=Column(
            BigIntId, ForeignKey("item.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )


class ItemFeed(SQLModel, table=True):
    """Which feeds carried an item (an entry in two feeds is linked to both)."""

    __tablename__ = "item_feed"
    __table_args__ = (Index("ix_item_feed_feed_id", "feed_id"),)

    item_id: int = Field(
        sa_column=Column(BigIntId, ForeignKey("item.id", ondelete="CASCADE"), primary_key=True)
    )
    feed_id: str = Field(
        sa_column=Column(String(64), ForeignKey("feed.id", ondelete="CASCADE"), primary_key=True)
    )
    first_seen_at: datetime = utc_column(nullable=False)


class ItemEvent(SQLModel, table=True):
    """The durable processing queue: written in the same transaction as the item it names.

    A crash between storing an item and classifying it leaves the event here, so nothing
    is lost; workers claim events with leases, and ``processed_at`` marks them done.
    """

    __tablename__ = "item_event"
    __table_args__ = (Index("ix_item_event_pending", "processed_at", "available_at"),)

    id: int | None = Field(default=None, sa_column=Column(BigIntId, primary_key=True))
    item_id: int = Field(
        sa_column=Column(
            BigIntId, ForeignKey("item.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    revision: int
    reason: str = Field(sa_column=Column(String(20), nullable=False))  # new | changed | ...
    created_at: datetime = utc_column(nullable=False)
    available_at: datetime = utc_column(nullable=False)
    lease_owner: str | None = Field(default=None, sa_column=Column(String(120)))
    lease_until: datetime | None = utc_column()
    attempts: int = 0
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    processed_at: datetime | None = utc_column()
    failed_at: datetime | None = utc_column()


class ApiKey(SQLModel, table=True):
    """An API key: only its SHA-256 is stored; the secret is shown once at creation."""

    __tablename__ = "api_key"

    id: int | None = Field(default=None, sa_column=Column(BigIntId, primary_key=True))
    name: str = Field(sa_column=Column(String(120), nullable=False))
    prefix: str = Field(sa_column=Column(String(16), nullable=False, unique=True))
    key_hash: str = Field(sa_column=Column(String(64), nullable=False))
    scope: str = Field(sa_column=Column(String(10), nullable=False))  # read | admin
    created_at: datetime = utc_column(nullable=False)
    last_used_at: datetime | None = utc_column()
    revoked_at: datetime | None = utc_column()


def table_of(model: type[SQLModel]) -> Table:
    """The Core table behind a model, typed (SQLModel does not declare ``__table__``)."""
    table: Table = model.__table__  # type: ignore[attr-defined]
    return table


class ItemClassification(SQLModel, table=True):
    """An item's labels for one country pair: the labels in force and the model's own call.

    ``relevant`` .. ``targets_china`` are the labels in force (an analyst's correction wins
    over the model); ``model_labels`` keeps the model's call for audit. ``effects`` are the
    policy changes the item makes, which later items' stance depends on.
    """

    __tablename__ = "item_classification"
    __table_args__ = (
        Index("ix_item_classification_labels", "pair", "relevant", "actor", "domain", "stance"),
        Index("ix_item_classification_published", "pair", "published_at"),
    )

    item_id: int = Field(
        sa_column=Column(BigIntId, ForeignKey("item.id", ondelete="CASCADE"), primary_key=True)
    )
    pair: str = Field(sa_column=Column(String(16), primary_key=True))
    item_revision: int
    published_at: datetime = utc_column(nullable=False)
    relevant: bool
    actor: str | None = Field(default=None, sa_column=Column(String(16)))
    domain: str = Field(sa_column=Column(String(32), nullable=False))
    stance: str = Field(sa_column=Column(String(16), nullable=False))
    targets_china: bool
    confidence: float  # the lowest per-field confidence; 1.0 for an analyst's labels
    confidences: dict[str, float] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    evidence: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    effects: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    model_labels: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    classifier_version: str = Field(sa_column=Column(String(40), nullable=False))
    source: str = Field(sa_column=Column(String(10), nullable=False))  # model | analyst
    classified_at: datetime = utc_column(nullable=False)
    corrected_at: datetime | None = utc_column()


class LabelCorrection(SQLModel, table=True):
    """An analyst's correction, append-only: the audit trail and the next training data."""

    __tablename__ = "label_correction"

    id: int | None = Field(default=None, sa_column=Column(BigIntId, primary_key=True))
    item_id: int = Field(
        sa_column=Column(
            BigIntId, ForeignKey("item.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    pair: str = Field(sa_column=Column(String(16), nullable=False))
    labels: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    previous: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    note: str | None = Field(default=None, sa_column=Column(Text))
    analyst: str = Field(sa_column=Column(String(120), nullable=False))
    created_at: datetime = utc_column(nullable=False)


class IndexEvent(SQLModel, table=True):
    """A classified item (or a shipped history entry) as the alignment index counts it.

    Derived from the item's classification for one pair and rewritten when a correction
    changes it; ``id`` orders events of a day (canonical order: day, id). ``jump`` is the
    event's own move of each domain's value at its date, as last computed.
    """

    __tablename__ = "index_event"
    __table_args__ = (
        UniqueConstraint("pair", "ref"),
        Index("ix_index_event_pair_day", "pair", "day", "id"),
    )

    id: int | None = Field(default=None, sa_column=Column(BigIntId, primary_key=True))
    pair: str = Field(sa_column=Column(String(16), nullable=False))
    ref: str = Field(sa_column=Column(String(120), nullable=False))  # item:<id> | history:<id>
    item_id: int | None = Field(
        default=None,
        sa_column=Column(BigIntId, ForeignKey("item.id", ondelete="CASCADE"), nullable=True, index=True),
    )
    day: date = Field(sa_column=Column(Date, nullable=False))
    domain: str = Field(sa_column=Column(String(32), nullable=False))
    actor: str = Field(sa_column=Column(String(16), nullable=False))
    stance: str = Field(sa_column=Column(String(16), nullable=False))
    targets_china: bool
    confidence: float  # c in the momentum term; 1.0 for analysts' labels
    p_relevant: float
    p_stance: float
    source: str = Field(sa_column=Column(String(10), nullable=False))  # model | analyst | history
    effects: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    evidence: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    title: str = Field(sa_column=Column(Text, nullable=False))
    link: str | None = Field(default=None, sa_column=Column(Text))
    source_name: str = Field(sa_column=Column(String(200), nullable=False))
    jump: dict[str, float] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    updated_at: datetime = utc_column(nullable=False)


class IndexPoint(SQLModel, table=True):
    """A pair's published index for one day (overall and every domain), one vintage.

    ``values`` maps each domain and ``overall`` to [value, position, momentum, momentum_raw,
    low, high, compared, agreeing, events]. A revision never overwrites: the old row gets
    ``superseded_at`` and a new row is added, so the series as published at any moment
    stays a query (vintages).
    """

    __tablename__ = "index_point"
    __table_args__ = (Index("ix_index_point_series", "pair", "day", "superseded_at"),)

    id: int | None = Field(default=None, sa_column=Column(BigIntId, primary_key=True))
    pair: str = Field(sa_column=Column(String(16), nullable=False))
    day: date = Field(sa_column=Column(Date, nullable=False))
    values: dict[str, list[float]] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    computed_at: datetime = utc_column(nullable=False)
    superseded_at: datetime | None = utc_column()


class IndexState(SQLModel, table=True):
    """A pair's current index in one row: what ``GET /v1/index`` reads, and the run state
    the next in-order event resumes from."""

    __tablename__ = "index_state"

    pair: str = Field(sa_column=Column(String(16), primary_key=True))
    version: int
    params_digest: str = Field(sa_column=Column(String(32), nullable=False))
    day: date = Field(sa_column=Column(Date, nullable=False))
    snapshot: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    state: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    updated_at: datetime = utc_column(nullable=False)


class IndexCheckpoint(SQLModel, table=True):
    """The run state at the start of a month: where a late event's recompute starts."""

    __tablename__ = "index_checkpoint"

    pair: str = Field(sa_column=Column(String(16), primary_key=True))
    day: date = Field(sa_column=Column(Date, primary_key=True))
    state: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class Subscription(SQLModel, table=True):
    """A webhook endpoint and what it wants to hear about.

    ``secret`` signs deliveries and is never returned after creation; during a rotation
    ``previous_secret`` keeps signing until ``previous_secret_expires_at``.
    """

    id: str = Field(sa_column=Column(String(40), primary_key=True))
    url: str = Field(sa_column=Column(Text, nullable=False))
    description: str = Field(default="", sa_column=Column(String(500), nullable=False))
    pairs: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    domains: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    stances: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    kinds: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    min_confidence: float = 0.0
    secret: str = Field(sa_column=Column(String(100), nullable=False))
    previous_secret: str | None = Field(default=None, sa_column=Column(String(100)))
    previous_secret_expires_at: datetime | None = utc_column()
    enabled: bool = True
    disabled_at: datetime | None = utc_column()
    disabled_reason: str | None = Field(default=None, sa_column=Column(Text))
    failing_since: datetime | None = utc_column()
    sequence: int = 0  # the last sequence number handed to a delivery
    created_at: datetime = utc_column(nullable=False)
    updated_at: datetime = utc_column(nullable=False)


class Alert(SQLModel, table=True):
    """One alert per cause: ``cause`` is unique, so re-processing never alerts twice."""

    __table_args__ = (Index("ix_alert_listing", "pair", "created_at"),)

    id: str = Field(sa_column=Column(String(40), primary_key=True))
    pair: str = Field(sa_column=Column(String(16), nullable=False))
    kind: str = Field(sa_column=Column(String(32), nullable=False))
    cause: str = Field(sa_column=Column(String(200), nullable=False, unique=True))
    item_id: int | None = Field(
        default=None, sa_column=Column(BigIntId, ForeignKey("item.id", ondelete="SET NULL"), index=True)
    )
    domain: str | None = Field(default=None, sa_column=Column(String(32)))
    stance: str | None = Field(default=None, sa_column=Column(String(16)))
    confidence: float | None = None
    retracts_id: str | None = Field(default=None, sa_column=Column(String(40)))
    title: str = Field(sa_column=Column(Text, nullable=False))
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = utc_column(nullable=False)


class Delivery(SQLModel, table=True):
    """An alert owed to one subscription: the durable outbox row, retried until it lands.

    ``msg_id`` is the Standard Webhooks ``webhook-id``: the same on every retry, so the
    receiver can deduplicate.
    """

    __table_args__ = (
        Index("ix_delivery_due", "status", "next_attempt_at"),
        Index("uq_delivery_alert_subscription", "alert_id", "subscription_id", unique=True),
    )

    id: int | None = Field(default=None, sa_column=Column(BigIntId, primary_key=True))
    alert_id: str = Field(
        sa_column=Column(String(40), ForeignKey("alert.id", ondelete="CASCADE"), nullable=False)
    )
    subscription_id: str = Field(
        sa_column=Column(String(40), ForeignKey("subscription.id", ondelete="CASCADE"),
                         nullable=False, index=True)
    )
    msg_id: str = Field(sa_column=Column(String(60), nullable=False, unique=True))
    sequence: int
    status: str = Field(sa_column=Column(String(12), nullable=False))  # pending|succeeded|failed
    attempts: int = 0
    next_attempt_at: datetime = utc_column(nullable=False)
    lease_owner: str | None = Field(default=None, sa_column=Column(String(120)))
    lease_until: datetime | None = utc_column()
    last_status_code: int | None = None
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    created_at: datetime = utc_column(nullable=False)
    delivered_at: datetime | None = utc_column()


class DeliveryAttempt(SQLModel, table=True):
    """One HTTP try of a delivery, for people debugging their receiver."""

    __tablename__ = "delivery_attempt"

    id: int | None = Field(default=None, sa_column=Column(BigIntId, primary_key=True))
    delivery_id: int = Field(
        sa_column=Column(BigIntId, ForeignKey("delivery.id", ondelete="CASCADE"), nullable=False,
                         index=True)
    )
    attempt: int
    attempted_at: datetime = utc_column(nullable=False)
    status_code: int | None = None
    latency_ms: int
    outcome: str = Field(sa_column=Column(String(12), nullable=False))
    error: str | None = Field(default=None, sa_column=Column(Text))
    response_excerpt: str | None = Field(default=None, sa_column=Column(Text))


class OperationalEvent(SQLModel, table=True):
    """Something operators must know happened (a subscription disabled, re-enabled...)."""

    __tablename__ = "operational_event"

    id: int | None = Field(default=None, sa_column=Column(BigIntId, primary_key=True))
    kind: str = Field(sa_column=Column(String(40), nullable=False, index=True))
    subject: str = Field(sa_column=Column(String(120), nullable=False))
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = utc_column(nullable=False)
