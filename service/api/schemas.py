"""Public shapes of API responses: what clients may rely on (and OpenAPI documents)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from service.db.models import Feed, FeedState, Item, ItemClassification

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a listing; pass ``next_cursor`` back as ``cursor`` for the next page."""

    items: list[T]
    next_cursor: str | None = Field(description="null on the last page")


class FeedHealth(BaseModel):
    status: str = Field(description="ok | failing | disabled | stale | pending | removed")
    fetch_url: str | None
    last_polled_at: datetime | None
    last_success_at: datetime | None
    last_new_entry_at: datetime | None
    next_poll_at: datetime | None
    last_status: int | None
    last_error_kind: str | None
    last_error_message: str | None
    last_error_at: datetime | None
    consecutive_errors: int
    failing_since: datetime | None
    disabled_at: datetime | None
    disabled_reason: str | None
    bozo_reason: str | None
    redirected_from: str | None
    interval_seconds: int | None
    polls_total: int
    errors_total: int
    items_total: int


class FeedPublic(BaseModel):
    model_config = ConfigDict(json_schema_extra={"example": {
        "id": "fr-bis", "name": "Federal Register: Bureau of Industry and Security",
        "url": "https://www.federalregister.gov/api/v1/documents.rss?...", "country": "US",
        "kind": "government", "language": "en", "tags": ["export_controls"], "enabled": True,
        "in_catalog": True}})

    id: str
    name: str
    url: str
    country: str
    kind: str
    language: str
    tags: list[str]
    poll_interval_seconds: int | None
    enabled: bool
    in_catalog: bool
    health: FeedHealth


class CatalogProblemPublic(BaseModel):
    line: int | None
    column: int | None
    field: str
    message: str


class CatalogStatusPublic(BaseModel):
    path: str
    pairs: list[str] = Field(default_factory=list, description="country pairs tracked, e.g. US-JP")
    digest: str | None
    loaded_at: datetime | None
    feeds: int
    error: str | None = Field(description="why the file on disk is not in force, if it is not")
    problems: list[CatalogProblemPublic]
    error_at: datetime | None


class FeedPage(Page[FeedPublic]):
    config: CatalogStatusPublic


class EvidencePublic(BaseModel):
    field: str
    feature: str
    detail: str
    weight: float


class LabelsPublic(BaseModel):
    relevant: bool
    actor: Literal["US", "JP", "joint", "other"] | None
    domain: Literal["export_controls", "investment_screening", "industrial_policy", "supply_chain",
                    "trade_policy", "sanctions", "tech_security", "cooperation", "none"]
    stance: Literal["converging", "diverging", "neutral"]
    targets_china: bool


class ClassificationPublic(BaseModel):
    pair: str
    labels: LabelsPublic = Field(description="the labels in force: an analyst's, else the model's")
    source: Literal["model", "analyst"]
    confidence: float = Field(description="the lowest per-field confidence (1.0 when an analyst set it)")
    confidences: dict[str, float]
    evidence: list[EvidencePublic]
    model_labels: LabelsPublic = Field(description="the model's own call, kept for audit")
    classifier_version: str
    classified_at: datetime
    corrected_at: datetime | None
    policy_effects: list[dict[str, Any]] = Field(description="what the item changed in the policy picture")


class ItemPublic(BaseModel):
    id: int
    title: str
    summary: str
    link: str | None
    guid: str | None
    language: str | None
    published_at: datetime
    first_seen_at: datetime
    updated_at: datetime
    revision: int
    feed_id: str = Field(description="the feed that carried it first")
    feeds: list[str] = Field(description="every feed that carried it")
    classification: ClassificationPublic | None = Field(description="null until classified")


class CorrectionIn(BaseModel):
    """An analyst's labels; omitted fields keep their current value."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"example": {
        "stance": "converging", "note": "Joint act with Japan, not a unilateral step"}})

    relevant: bool | None = None
    actor: Literal["US", "JP", "joint", "other"] | None = None
    domain: Literal["export_controls", "investment_screening", "industrial_policy", "supply_chain",
                    "trade_policy", "sanctions", "tech_security", "cooperation", "none"] | None = None
    stance: Literal["converging", "diverging", "neutral"] | None = None
    targets_china: bool | None = None
    note: str | None = Field(default=None, max_length=2000)

    @model_validator(mode="before")
    @classmethod
    def _no_null_labels(cls, data: Any) -> Any:
        """Only ``actor`` may be null (irrelevant items have none); omit a field to keep it."""
        if isinstance(data, dict):
            nulls = [k for k in ("relevant", "domain", "stance", "targets_china")
                     if k in data and data[k] is None]
            if nulls:
                raise ValueError(f"{', '.join(nulls)} cannot be null; omit a field to keep its value")
        return data


class ReloadResult(BaseModel):
    applied: bool
    added: list[str]
    updated: list[str]
    removed: list[str]
    config: CatalogStatusPublic


def health_status(feed: Feed, state: FeedState | None, now: datetime, stale_after: timedelta) -> str:
    if not feed.in_catalog:
        return "removed"
    if state is None or state.last_polled_at is None:
        return "pending"
    if state.disabled_at is not None or not feed.enabled:
        return "disabled"
    if state.consecutive_errors:
        return "failing"
    seen = state.last_new_entry_at or state.last_success_at
    if seen is not None and now - seen > stale_after:
        return "stale"
    return "ok"


def feed_public(feed: Feed, state: FeedState | None, now: datetime, stale_after: timedelta) -> FeedPublic:
    s = state
    health = FeedHealth(
        status=health_status(feed, state, now, stale_after),
        fetch_url=s.fetch_url if s else None,
        last_polled_at=s.last_polled_at if s else None,
        last_success_at=s.last_success_at if s else None,
        last_new_entry_at=s.last_new_entry_at if s else None,
        next_poll_at=s.next_poll_at if s else None,
        last_status=s.last_status if s else None,
        last_error_kind=s.last_error_kind if s else None,
        last_error_message=s.last_error_message if s else None,
        last_error_at=s.last_error_at if s else None,
        consecutive_errors=s.consecutive_errors if s else 0,
        failing_since=s.failing_since if s else None,
        disabled_at=s.disabled_at if s else None,
        disabled_reason=s.disabled_reason if s else None,
        bozo_reason=s.bozo_reason if s else None,
        redirected_from=s.redirected_from if s else None,
        interval_seconds=s.interval_s if s else None,
        polls_total=s.polls_total if s else 0,
        errors_total=s.errors_total if s else 0,
        items_total=s.items_total if s else 0,
    )
    return FeedPublic(
        id=feed.id, name=feed.name, url=feed.url, country=feed.country, kind=feed.kind,
        language=feed.language, tags=list(feed.tags), poll_interval_seconds=feed.poll_interval_s,
        enabled=feed.enabled, in_catalog=feed.in_catalog, health=health,
    )


def classification_public(row: ItemClassification) -> ClassificationPublic:
    return ClassificationPublic(
        pair=row.pair,
        labels=LabelsPublic(relevant=row.relevant, actor=row.actor, domain=row.domain,
                            stance=row.stance, targets_china=row.targets_china),
        source=row.source,
        confidence=row.confidence,
        confidences=row.confidences,
        evidence=[EvidencePublic.model_validate(e) for e in row.evidence],
        model_labels=LabelsPublic.model_validate(row.model_labels),
        classifier_version=row.classifier_version,
        classified_at=row.classified_at,
        corrected_at=row.corrected_at,
        policy_effects=row.effects,
    )


def item_public(item: Item, feeds: tuple[str, ...],
                classification: ItemClassification | None = None) -> ItemPublic:
    assert item.id is not None
    return ItemPublic(
        id=item.id, title=item.title, summary=item.summary, link=item.link, guid=item.guid,
        language=item.language, published_at=item.published_at, first_seen_at=item.first_seen_at,
        updated_at=item.updated_at, revision=item.revision, feed_id=item.feed_id,
        feeds=list(feeds) or [item.feed_id],
        classification=classification_public(classification) if classification else None,
    )


AlertKind = Literal["item.diverging", "item.converging", "index.drop", "index.level", "alert.retracted"]
DomainName = Literal["export_controls", "investment_screening", "industrial_policy", "supply_chain",
                     "trade_policy", "sanctions", "tech_security", "cooperation"]


class SubscriptionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"example": {
        "url": "https://compliance.example.com/hooks/alignwatch",
        "description": "Export-control desk", "domains": ["export_controls"],
        "kinds": ["item.diverging", "index.drop"], "min_confidence": 0.7}})

    url: str = Field(max_length=2000, description="http(s) URL; private addresses are refused")
    description: str = Field(default="", max_length=500)
    pairs: list[str] = Field(default_factory=list, max_length=20, description="empty: every pair")
    domains: list[DomainName] = Field(default_factory=list, description="empty: every domain")
    stances: list[Literal["converging", "diverging", "neutral"]] = Field(default_factory=list)
    kinds: list[AlertKind] = Field(default_factory=list,
                                   description="empty: every kind but item.converging")
    min_confidence: float = Field(default=0.0, ge=0.0, le=1.0)


class SubscriptionUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str | None = Field(default=None, max_length=2000)
    description: str | None = Field(default=None, max_length=500)
    pairs: list[str] | None = Field(default=None, max_length=20)
    domains: list[DomainName] | None = None
    stances: list[Literal["converging", "diverging", "neutral"]] | None = None
    kinds: list[AlertKind] | None = None
    min_confidence: float | None = Field(default=None, ge=0.0, le=1.0)
    enabled: bool | None = Field(default=None, description="true re-enables a disabled subscription")
    rotate_secret: bool = Field(default=False, description="issue a new secret; the old one "
                                "keeps signing for ALIGNWATCH_WEBHOOK_SECRET_OVERLAP")


class SubscriptionPublic(BaseModel):
    id: str
    url: str
    description: str
    pairs: list[str]
    domains: list[str]
    stances: list[str]
    kinds: list[str]
    min_confidence: float
    enabled: bool
    disabled_at: datetime | None
    disabled_reason: str | None
    failing_since: datetime | None
    secret_rotating_until: datetime | None
    created_at: datetime
    updated_at: datetime


class SubscriptionWithSecret(SubscriptionPublic):
    secret: str = Field(description="shown once: store it now, it is never returned again")


class AttemptPublic(BaseModel):
    attempt: int
    attempted_at: datetime
    status_code: int | None
    latency_ms: int
    outcome: str
    error: str | None
    response_excerpt: str | None


class DeliveryPublic(BaseModel):
    id: int
    alert_id: str
    webhook_id: str
    sequence: int
    status: str
    attempts: int
    next_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    created_at: datetime
    delivered_at: datetime | None
    history: list[AttemptPublic]


class AlertPublic(BaseModel):
    id: str
    pair: str
    kind: str
    title: str
    domain: str | None
    stance: str | None
    confidence: float | None
    item_id: int | None
    retracts: str | None
    created_at: datetime
    data: dict[str, Any]


class OperationalEventPublic(BaseModel):
    id: int
    kind: str
    subject: str
    detail: dict[str, Any]
    created_at: datetime
