"""From classified items (and shipped history lines) to index events. Pure.

An item counts for a pair when it is relevant and its actor is one of the pair's countries
or ``joint``: third countries acting alone are neutral by the rubric. Its momentum weight,
its confidences and the effects that move positions come from the classification in force,
so an analyst's correction reaches the index by changing exactly these fields.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Row

from service.classify.types import DOMAINS, Labels
from service.config import Settings
from service.db.models import IndexEvent, Item
from service.index.model import Effect, Event, Params
from service.index.vocabulary import INDEX_DOMAINS
from service.pipeline.written import ClassificationView

HISTORY_PATH = Path(__file__).parent / "data" / "history.jsonl"
HISTORY_PAIR = ("US", "JP")  # the dyad the rubric's labels (and so the shipped history) are for

# The fields of an event that move the index; the rest (title, evidence) only explain it.
MATERIAL = ("day", "domain", "actor", "stance", "confidence", "p_relevant", "p_stance", "source", "effects")


def pair_key(pair: tuple[str, str]) -> str:
    return f"{pair[0]}-{pair[1]}"


def params_from_settings(settings: Settings) -> Params:
    weights = tuple((d, float(settings.index_domain_weights.get(d, 1.0))) for d in INDEX_DOMAINS)
    return Params(
        start=settings.index_start,
        half_life_days=max(settings.index_half_life.total_seconds() / 86400.0, 1e-6),
        position_share=settings.index_position_share,
        momentum_scale=settings.index_momentum_scale,
        weight_joint=settings.index_weight_joint,
        weight_unilateral=settings.index_weight_unilateral,
        domain_weights=weights,
        draws=settings.index_band_draws,
        seed=settings.index_band_seed,
    )


@dataclass(frozen=True, slots=True)
class EventFields:
    """The columns of an ``index_event`` row, before it has an id."""

    ref: str
    item_id: int | None
    day: date
    domain: str
    actor: str
    stance: str
    targets_china: bool
    confidence: float
    p_relevant: float
    p_stance: float
    source: str
    effects: list[dict[str, Any]]
    evidence: list[dict[str, Any]]
    title: str
    link: str | None
    source_name: str

    def columns(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}


def counts_for_pair(labels: Labels, pair: tuple[str, str]) -> bool:
    return labels.relevant and labels.domain in INDEX_DOMAINS and labels.actor in (*pair, "joint")


def pair_effects(effects: list[dict[str, Any]], pair: tuple[str, str]) -> list[dict[str, Any]]:
    """The effects on the pair's countries, in a canonical form (for change detection)."""
    kept = [{"country": str(e["country"]), "slot": str(e["slot"]), "action": str(e["action"]),
             "note": str(e.get("note", ""))}
            for e in effects if e.get("country") in pair]
    return sorted(kept, key=lambda e: (e["slot"], e["country"], e["action"], e["note"]))


def derive_event(row: ClassificationView, item: Item, source_name: str,
                 pair: tuple[str, str]) -> EventFields | None:
    """The index event of an item's classification for ``pair``, or None if it does not count."""
    labels = Labels(relevant=row.relevant, actor=row.actor, domain=row.domain, stance=row.stance,
                    targets_china=row.targets_china)
    if not counts_for_pair(labels, pair) or labels.actor is None:
        return None
    analyst = row.source == "analyst"
    confidences = row.confidences or {}
    return EventFields(
        ref=f"item:{row.item_id}", item_id=row.item_id, day=row.published_at.date(),
        domain=labels.domain, actor=labels.actor, stance=labels.stance,
        targets_china=labels.targets_china,
        confidence=1.0 if analyst else float(row.confidence),
        p_relevant=1.0 if analyst else float(confidences.get("relevant", row.confidence)),
        p_stance=1.0 if analyst else float(confidences.get("stance", row.confidence)),
        source="analyst" if analyst else "model",
        effects=pair_effects(row.effects or [], pair), evidence=list(row.evidence or []),
        title=item.title, link=item.link, source_name=source_name,
    )


def is_material_change(row: IndexEvent, fields: EventFields) -> bool:
    return any(getattr(row, name) != getattr(fields, name) for name in MATERIAL)


def to_model_event(row: IndexEvent | Row[Any]) -> Event:
    assert row.id is not None
    return Event(
        seq=row.id, ref=row.ref, day=row.day, domain=row.domain, actor=row.actor, stance=row.stance,
        confidence=row.confidence, p_relevant=row.p_relevant, p_stance=row.p_stance,
        analyst=row.source != "model",
        effects=tuple(Effect(e["country"], e["slot"], e["action"]) for e in row.effects),
    )


class HistoryError(ValueError):
    """A malformed line of a history or backfill file (names the file and line)."""


def parse_labelled_line(text: str, where: str) -> dict[str, Any]:
    """One rubric line, checked: id, date, title, summary, labels (RUBRIC.md)."""
    try:
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        for name in ("id", "date", "source", "source_country", "title", "summary", "labels"):
            if name not in data:
                raise ValueError(f"missing {name!r}")
        date.fromisoformat(str(data["date"]))
        labels = Labels.from_dict(data["labels"])
        if labels.relevant and labels.domain == "none":
            raise ValueError("a relevant item needs a domain")
    except (ValueError, KeyError, TypeError) as exc:
        raise HistoryError(f"{where}: {exc}") from exc
    return data


def history_events(path: Path = HISTORY_PATH) -> list[EventFields]:
    """The shipped history as events of the US–JP pair: analysts' labels, curated effects."""
    out: list[EventFields] = []
    with path.open(encoding="utf-8") as fh:
        for number, text in enumerate(fh, 1):
            if not text.strip():
                continue
            data = parse_labelled_line(text, f"{path.name}:{number}")
            labels = Labels.from_dict(data["labels"])
            if not counts_for_pair(labels, HISTORY_PAIR) or labels.actor is None:
                continue
            effects = [{"country": e["country"], "slot": e["slot"], "action": e["action"],
                        "note": e.get("note", data["title"])} for e in data.get("effects", [])]
            bad = [e["slot"] for e in effects if e["slot"].split("/", 1)[0] not in DOMAINS]
            if bad:
                raise HistoryError(f"{path.name}:{number}: unknown slots {bad}")
            out.append(EventFields(
                ref=f"history:{data['id']}", item_id=None, day=date.fromisoformat(data["date"]),
                domain=labels.domain, actor=labels.actor, stance=labels.stance,
                targets_china=labels.targets_china, confidence=1.0, p_relevant=1.0, p_stance=1.0,
                source="history", effects=pair_effects(effects, HISTORY_PAIR),
                evidence=[{"field": "labels", "feature": "curated history", "detail": data["summary"],
                           "weight": 1.0}],
                title=data["title"], link=data.get("link"), source_name=data["source"],
            ))
    return out
