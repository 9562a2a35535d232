"""Plain value types shared by the classifier, the batch runner and the CLI.

Frozen dataclasses so results can be cached, hashed and compared in tests; the JSON forms
follow the labelling rubric (shared/data/RUBRIC.md) so gold files and our output line up.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

ACTORS = ("US", "JP", "joint", "other")
DOMAINS = (
    "export_controls",
    "investment_screening",
    "industrial_policy",
    "supply_chain",
    "trade_policy",
    "sanctions",
    "tech_security",
    "cooperation",
    "none",
)
STANCES = ("converging", "diverging", "neutral")
ACTIONS = ("adopt", "tighten", "ease", "remove", "announce")
FIELDS = ("relevant", "actor", "domain", "stance", "targets_china")


@dataclass(frozen=True, slots=True)
class ItemText:
    """One feed item as the classifier sees it: text plus where it came from."""

    id: str
    date: dt.date
    source: str
    source_country: str
    title: str
    summary: str
    source_kind: str | None = None  # government | think_tank | news; inferred when None
    language: str | None = None  # "en" | "ja"; inferred from the script when None


@dataclass(frozen=True, slots=True)
class Labels:
    """The five rubric fields for one item."""

    relevant: bool
    actor: str | None
    domain: str
    stance: str
    targets_china: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "relevant": self.relevant,
            "actor": self.actor,
            "domain": self.domain,
            "stance": self.stance,
            "targets_china": self.targets_china,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Labels:
        """Read the rubric's JSON form; raises ValueError on values outside the rubric."""
        actor = data.get("actor")
        domain = data.get("domain", "none")
        stance = data.get("stance", "neutral")
        if actor is not None and actor not in ACTORS:
            raise ValueError(f"unknown actor {actor!r}")
        if domain not in DOMAINS:
            raise ValueError(f"unknown domain {domain!r}")
        if stance not in STANCES:
            raise ValueError(f"unknown stance {stance!r}")
        return cls(
            relevant=bool(data["relevant"]),
            actor=actor,
            domain=domain,
            stance=stance,
            targets_china=bool(data.get("targets_china", False)),
        )

    @classmethod
    def irrelevant(cls) -> Labels:
        return cls(relevant=False, actor=None, domain="none", stance="neutral", targets_china=False)


@dataclass(frozen=True, slots=True)
class Evidence:
    """One reason behind one field: which feature fired and what it said."""

    field: str
    feature: str
    detail: str
    weight: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "feature": self.feature,
            "detail": self.detail,
            "weight": round(self.weight, 3),
        }


@dataclass(frozen=True, slots=True)
class PolicyEffect:
    """How one item moves one country's position in one slot (see data/slots.yml).

    The index builds per-slot positions from these, so the slot is always a key of the
    closed vocabulary ``domain/name`` and the action one of ACTIONS.
    """

    country: str
    domain: str
    slot: str  # "domain/name", e.g. "export_controls/chip_equipment"
    action: str
    effective: dt.date
    source_id: str = ""
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "country": self.country,
            "domain": self.domain,
            "slot": self.slot,
            "action": self.action,
            "effective": self.effective.isoformat(),
            "source_id": self.source_id,
            "note": self.note,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PolicyEffect:
        return cls(
            country=str(data["country"]),
            domain=str(data["domain"]),
            slot=str(data["slot"]),
            action=str(data["action"]),
            effective=dt.date.fromisoformat(str(data["effective"])),
            source_id=str(data.get("source_id", "")),
            note=str(data.get("note", "")),
        )


@dataclass(frozen=True, slots=True)
class Classification:
    """The classifier's answer for one item, with the reasons and the policy effects."""

    labels: Labels
    confidence: dict[str, float]
    evidence: tuple[Evidence, ...]
    version: str
    effects: tuple[PolicyEffect, ...] = field(default=())

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "labels": self.labels.to_dict(),
            "confidence": {k: round(v, 3) for k, v in self.confidence.items()},
            "evidence": [e.to_dict() for e in self.evidence],
            "version": self.version,
            "effects": [e.to_dict() for e in self.effects],
        }
