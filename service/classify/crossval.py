"""Honest generalisation check: time-ordered and leave-one-source-out cross-validation.

Usage: python -m service.classify.crossval [--select] [--limit N]

The labelled files the team may tune on (train.TRAINING_FILES; never holdout-2) are each
classified by the rules as their own stream. Then, per fold, the learned component is
trained only on the fold's training items and scored on its test items:

* time folds: train on everything dated before a cut, test on the period up to the next
  cut (cuts 2021-01-01, 2022-07-01, 2024-01-01, 2025-01-01; the last runs to the end);
* source folds: hold out one labelled file (another author or style), train on the rest.

Printed per fold and as the mean: the goal metrics of the rules alone and of the hybrid
with the shipped settings (train.FIELD_SETTINGS). Caveat: the rules themselves were
written looking at all of these files except later-test (first scored frozen), so the
rules-only figures are optimistic everywhere but on later-test; what the folds measure
honestly is what the *learned* part adds on top of the rules. ``--select`` also prints,
per field, the fold-mean metric for every override threshold and the fitted temperature
(the numbers FIELD_SETTINGS is chosen from).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import math
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from service.classify.evaluation import Scored, goal_metrics
from service.classify.hybrid import combine
from service.classify.learned import Model, softmax
from service.classify.text import is_japanese
from service.classify.train import (
    CLASSES,
    FIELD_SETTINGS,
    HYPER,
    FieldSetting,
    Hyper,
    Row,
    build_rows,
    gold_class,
    train_model,
    trains,
)
from service.classify.types import Labels

CUTS = (dt.date(2021, 1, 1), dt.date(2022, 7, 1), dt.date(2024, 1, 1), dt.date(2025, 1, 1))
SHOWN = (
    ("relevance_f1", "rel"),
    ("actor_accuracy", "actor"),
    ("domain_accuracy", "domain"),
    ("stance_macro_f1", "stance"),
    ("targets_china_f1", "china"),
    ("hard_stance_accuracy", "hard"),
    ("actor_accuracy_ja", "actorJA"),
)
FIELD_METRIC = {
    "stance": ("stance_macro_f1", "hard_stance_accuracy"),
    "actor": ("actor_accuracy",),
    "domain": ("domain_accuracy",),
    "targets_china": ("targets_china_f1",),
}
THRESHOLDS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9)
TEMPERATURES = tuple(round(0.5 + 0.1 * i, 1) for i in range(26))


@dataclass(frozen=True, slots=True)
class Fold:
    name: str
    train: tuple[Row, ...]
    test: tuple[Row, ...]


def folds(rows: Sequence[Row]) -> list[Fold]:
    out: list[Fold] = []
    for i, cut in enumerate(CUTS):
        end = CUTS[i + 1] if i + 1 < len(CUTS) else dt.date.max
        until = "end" if end == dt.date.max else end.isoformat()[:7]
        label = f"time <{cut.isoformat()[:7]} -> {cut.isoformat()[:7]}..{until}"
        out.append(
            Fold(
                label,
                tuple(r for r in rows if r.item.date < cut),
                tuple(r for r in rows if cut <= r.item.date < end),
            )
        )
    for source in sorted({r.source for r in rows}):
        out.append(
            Fold(
                f"source: hold out {source}",
                tuple(r for r in rows if r.source != source),
                tuple(r for r in rows if r.source == source),
            )
        )
    return [f for f in out if f.train and f.test]


def _lang(row: Row) -> str:
    return "ja" if is_japanese(row.item.title) or is_japanese(row.item.summary) else "en"


def score(rows: Sequence[Row], label: Callable[[Row], Labels]) -> dict[str, float]:
    return goal_metrics([Scored(r.gold, label(r), _lang(r)) for r in rows])


def with_settings(model: Model, settings: dict[str, FieldSetting]) -> Model:
    fields = {
        name: dataclasses.replace(
            fm,
            use=settings[name].use,
            threshold=settings[name].threshold,
            temperature=settings[name].temperature,
        )
        for name, fm in model.fields.items()
    }
    return dataclasses.replace(model, fields=fields)


def hybrid_labels(row: Row, model: Model) -> Labels:
    if not row.rules.labels.relevant:
        return row.rules.labels
    return combine(row.rules, list(row.features), model, model.version).labels


def _fmt(m: dict[str, float]) -> str:
    return " ".join(f"{short}={m[key]:.3f}" for key, short in SHOWN)


def _mean(ms: Sequence[dict[str, float]]) -> dict[str, float]:
    return {key: sum(m[key] for m in ms) / len(ms) for key, _ in SHOWN}


def fit_temperature(pairs: Sequence[tuple[list[float], int]]) -> float:
    """Temperature minimising the pooled out-of-fold negative log-likelihood."""

    def nll(t: float) -> float:
        return -sum(math.log(max(softmax(s, t)[y], 1e-12)) for s, y in pairs) / max(len(pairs), 1)

    return min(TEMPERATURES, key=lambda t: (nll(t), t))


def run(
    rows: Sequence[Row],
    settings: dict[str, FieldSetting] | None = None,
    hyper: Hyper = HYPER,
    select: bool = False,
    out: Callable[[str], None] = print,
) -> dict[str, dict[str, float]]:
    """Print per-fold and mean figures; return the means for 'rules' and 'hybrid'."""
    settings = settings or FIELD_SETTINGS
    fs = folds(rows)
    models = [train_model(f.train, settings, hyper) for f in fs]
    rules_m: list[dict[str, float]] = []
    hybrid_m: list[dict[str, float]] = []
    for fold, model in zip(fs, models, strict=True):
        r = score(fold.test, lambda row: row.rules.labels)
        h = score(fold.test, lambda row, m=model: hybrid_labels(row, m))  # type: ignore[misc]
        rules_m.append(r)
        hybrid_m.append(h)
        out(f"{fold.name:<36} n={len(fold.test):<4} hard_n={int(r['n_hard']):<3}")
        out(f"  rules   {_fmt(r)}")
        out(f"  hybrid  {_fmt(h)}")
    means = {"rules": _mean(rules_m), "hybrid": _mean(hybrid_m)}
    out(f"{'mean over ' + str(len(fs)) + ' folds':<36}")
    out(f"  rules   {_fmt(means['rules'])}")
    out(f"  hybrid  {_fmt(means['hybrid'])}")
    if select:
        _select(fs, models, settings, out)
    return means


def _select(
    fs: Sequence[Fold], models: Sequence[Model], settings: dict[str, FieldSetting], out: Callable[[str], None]
) -> None:
    """Per field: fitted temperature and fold-mean metric per threshold (others as rules)."""
    off = {name: dataclasses.replace(s, use=False) for name, s in settings.items()}
    out("\nselection (each field alone on top of the rules; fold means)")
    for field in CLASSES:
        pairs: list[tuple[list[float], int]] = []
        for fold, model in zip(fs, models, strict=True):
            fm = model.fields[field]
            for row in fold.test:
                if trains(field, row):
                    x = list(row.x)
                    pairs.append((fm.scores(x), fm.classes.index(str(gold_class(field, row.gold)))))
        temperature = fit_temperature(pairs)
        keys = FIELD_METRIC[field]
        line = [f"{field:<14} T={temperature:.1f}"]
        base = [score(f.test, lambda row: row.rules.labels) for f in fs]
        line.append("rules " + "/".join(f"{sum(m[k] for m in base) / len(base):.3f}" for k in keys))
        for threshold in THRESHOLDS:
            trial = dict(off)
            trial[field] = FieldSetting(True, threshold, temperature)
            trial_models = [with_settings(mod, trial) for mod in models]
            ms = [
                score(f.test, lambda row, m=m: hybrid_labels(row, m))  # type: ignore[misc]
                for f, m in zip(fs, trial_models, strict=True)
            ]
            line.append(
                f"t{threshold:.1f} " + "/".join(f"{sum(m[k] for m in ms) / len(ms):.3f}" for k in keys)
            )
        out("  ".join(line))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time-ordered and leave-one-source-out cross-validation.")
    parser.add_argument("--select", action="store_true", help="also print the per-field selection table")
    parser.add_argument("--limit", type=int, default=0, help="use every n-th item only (smoke runs)")
    args = parser.parse_args(argv)
    rows = build_rows()
    if args.limit > 1:
        rows = rows[:: args.limit]
    run(rows, select=args.select)
    return 0


if __name__ == "__main__":
    sys.exit(main())
