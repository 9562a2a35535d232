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
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from service.db.models import ItemClassification

_KEY = "alignwatch.classified"


@dataclass(slots=True)
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


# What the later stages read: a stored row, or the columns this transaction just wrote.
ClassificationView = ItemClassification | WrittenClassification


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
