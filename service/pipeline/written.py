"""What the classify stage wrote in a batch's transaction, handed to the stages after it.

The index and alerts stages read each item's classification. Reading back the rows the
classify stage had inserted moments before, in the same transaction, cost about a tenth of a
first poll (an ORM object and four JSON columns decoded per row, twice: bench/ingest.py).
The classify stage leaves them on the session instead (``Session.info``: each batch has its
own session and transaction), and a later stage takes them from there when they cover
everything it asks for; otherwise it reads the database, as any other caller does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

_KEY = "alignwatch.classified"


class ClassificationView(Protocol):
    """An item's classification for one pair, as the later stages read it: a stored row
    (``ItemClassification``) or what this transaction just wrote."""

    @property
    def item_id(self) -> int: ...
    @property
    def pair(self) -> str: ...
    @property
    def relevant(self) -> bool: ...
    @property
    def actor(self) -> str | None: ...
    @property
    def domain(self) -> str: ...
    @property
    def stance(self) -> str: ...
    @property
    def targets_china(self) -> bool: ...
    @property
    def confidence(self) -> float: ...
    @property
    def confidences(self) -> dict[str, float]: ...
    @property
    def evidence(self) -> list[dict[str, Any]]: ...
    @property
    def effects(self) -> list[dict[str, Any]]: ...
    @property
    def source(self) -> str: ...
    @property
    def published_at(self) -> datetime: ...
    @property
    def classifier_version(self) -> str: ...


@dataclass(frozen=True, slots=True)
class WrittenClassification:
    """The columns of a classification row just inserted, as the later stages read them."""

    item_id: int
    pair: str
    relevant: bool
    actor: str | None
    domain: str
    stance: str
    targets_china: bool
    confidence: float
    confidences: dict[str, float]
    evidence: list[dict[str, Any]]
    effects: list[dict[str, Any]]
    source: str
    published_at: datetime
    classifier_version: str

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> WrittenClassification:
        """From the column values of an ``item_classification`` insert."""
        return cls(**{name: row[name] for name in cls.__slots__})


def hand_over(session: AsyncSession, written: Iterable[ClassificationView]) -> None:
    """Record what this transaction wrote (replacing any earlier record on the session)."""
    session.info[_KEY] = {(row.item_id, row.pair): row for row in written}


def written_for(session: AsyncSession, keys: Iterable[tuple[int, str]]) -> list[ClassificationView] | None:
    """The rows written for every one of ``keys`` (item id, pair), in their order; None
    unless this transaction wrote them all."""
    written: dict[tuple[int, str], ClassificationView] | None = session.info.get(_KEY)
    if written is None:
        return None
    wanted = list(keys)
    if not all(key in written for key in wanted):
        return None
    return [written[key] for key in wanted]
