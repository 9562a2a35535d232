"""Goal metrics for the classifier (the issue's targets), computed from gold and predicted
labels. Pure: the CLI (jsonl.run_evaluate), the quality tests and the docs all use this."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from service.classify.metrics import accuracy, confusion, f1, macro_f1
from service.classify.types import ACTORS, DOMAINS, STANCES, Labels

GOALS = {
    "relevance_f1": 0.97,
    "actor_accuracy": 0.97,
    "domain_accuracy": 0.92,
    "stance_macro_f1": 0.88,
    "targets_china_f1": 0.95,
    "hard_stance_accuracy": 0.85,
    "relevance_f1_ja": 0.95,
    "actor_accuracy_ja": 0.95,
}


@dataclass(frozen=True, slots=True)
class Scored:
    gold: Labels
    pred: Labels
    language: str  # "en" | "ja"


def is_hard_stance(gold: Labels) -> bool:
    """Items where the actor's usual stance is wrong: the US converging, Japan diverging,
    or either acting neutrally while relevant (the issue's "hard stance" subset)."""
    if not gold.relevant:
        return False
    return (
        (gold.actor == "US" and gold.stance == "converging")
        or (gold.actor == "JP" and gold.stance == "diverging")
        or (gold.actor in ("US", "JP") and gold.stance == "neutral")
    )


def goal_metrics(rows: Sequence[Scored]) -> dict[str, float]:
    """Every goal metric; subsets that are empty score 0.0 and report n=0."""
    rel = [r for r in rows if r.gold.relevant]
    ja = [r for r in rows if r.language == "ja"]
    ja_rel = [r for r in ja if r.gold.relevant]
    hard = [r for r in rows if is_hard_stance(r.gold)]
    return {
        "n": float(len(rows)),
        "relevance_f1": f1([r.gold.relevant for r in rows], [r.pred.relevant for r in rows]),
        "actor_accuracy": accuracy([r.gold.actor for r in rel], [r.pred.actor for r in rel]),
        "domain_accuracy": accuracy([r.gold.domain for r in rel], [r.pred.domain for r in rel]),
        "stance_macro_f1": macro_f1([r.gold.stance for r in rows], [r.pred.stance for r in rows], STANCES),
        "targets_china_f1": f1([r.gold.targets_china for r in rows], [r.pred.targets_china for r in rows]),
        "hard_stance_accuracy": accuracy([r.gold.stance for r in hard], [r.pred.stance for r in hard]),
        "n_hard": float(len(hard)),
        "relevance_f1_ja": f1([r.gold.relevant for r in ja], [r.pred.relevant for r in ja]),
        "actor_accuracy_ja": accuracy([r.gold.actor for r in ja_rel], [r.pred.actor for r in ja_rel]),
        "n_ja": float(len(ja)),
    }


def field_metrics(rows: Sequence[Scored]) -> dict[str, tuple[float, float]]:
    """(accuracy, macro-F1) for every field over all rows."""
    out: dict[str, tuple[float, float]] = {}
    for name, labels in (
        ("relevant", [True, False]),
        ("actor", [*ACTORS, None]),
        ("domain", list(DOMAINS)),
        ("stance", list(STANCES)),
        ("targets_china", [True, False]),
    ):
        gold = [getattr(r.gold, name) for r in rows]
        pred = [getattr(r.pred, name) for r in rows]
        present = [lab for lab in labels if lab in gold]
        out[name] = (accuracy(gold, pred), macro_f1(gold, pred, present))
    return out


def stance_confusion(rows: Sequence[Scored]) -> list[list[int]]:
    return confusion([r.gold.stance for r in rows], [r.pred.stance for r in rows], STANCES)
