"""Train the learned component of the hybrid classifier into ``data/model.json``.

Usage: python -m service.classify.train [--out PATH] [--check]

Deterministic and offline: the labelled files (TRAINING_FILES) are each classified by the
rules as their own date-ordered stream (exactly as ``alignwatch evaluate`` does), every
item is turned into features (service/classify/learned.py), and one multinomial logistic
regression per field is fitted by seeded stochastic gradient descent in pure Python (no
BLAS, so the floating-point order is fixed). Weights are rounded to 5 decimals and written
with sorted keys, so two runs give the same bytes. ``--check`` rebuilds in memory and
exits 1 if the shipped artefact differs. holdout-2 is never read.

How each field uses its model (``FIELD_SETTINGS``: use it or not, the override threshold
and the temperature) is chosen by ``python -m service.classify.crossval`` and copied here.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from service.classify.engine import RulesClassifier
from service.classify.jsonl import read_items
from service.classify.knowledge import Knowledge, load_knowledge
from service.classify.learned import (
    MODEL_PATH,
    FieldModel,
    Model,
    encode,
    featurise,
    model_to_json,
    softmax,
)
from service.classify.policy import PolicyPicture
from service.classify.types import DOMAINS, Classification, ItemText, Labels

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("ALIGNWATCH_SHARED_DIR", REPO.parent / "shared"))
TRAINING_FILES = (
    ("measures-dev", SHARED / "data" / "measures-dev.jsonl"),
    ("later-dev", REPO / "tests" / "data" / "later-dev.jsonl"),
    ("later-test", REPO / "tests" / "data" / "later-test.jsonl"),
    ("examples", REPO / "service" / "classify" / "data" / "examples.jsonl"),
)
MODEL_VERSION = "hybrid-v2"
PRUNE = 1e-3  # weights below this in every class are dropped from the artefact
CLASSES: dict[str, tuple[str, ...]] = {
    "stance": ("converging", "diverging", "neutral"),
    "actor": ("US", "JP", "joint", "other"),
    "domain": tuple(d for d in DOMAINS if d != "none"),
    "targets_china": ("false", "true"),
}


@dataclass(frozen=True, slots=True)
class Hyper:
    epochs: int = 12
    eta: float = 0.1
    l2: float = 1e-3
    min_df: int = 2
    seed: int = 20251128


HYPER = Hyper()


@dataclass(frozen=True, slots=True)
class FieldSetting:
    use: bool
    threshold: float
    temperature: float


# Chosen by the cross-validation (docs/classifier.md, "Hybrid"); see crossval.py.
FIELD_SETTINGS: dict[str, FieldSetting] = {
    "stance": FieldSetting(use=True, threshold=0.7, temperature=1.5),
    "actor": FieldSetting(use=False, threshold=0.7, temperature=1.2),
    "domain": FieldSetting(use=False, threshold=0.7, temperature=0.9),
    "targets_china": FieldSetting(use=False, threshold=0.7, temperature=1.1),
}


@dataclass(frozen=True, slots=True)
class Row:
    """One labelled item as the rules saw it, with the model's features."""

    item: ItemText
    gold: Labels
    rules: Classification
    features: tuple[str, ...]
    x: tuple[tuple[int, float], ...]
    source: str  # which labelled file


def gold_class(field: str, gold: Labels) -> str | None:
    """The item's class for a field's model, or None when the item does not train it."""
    if field == "stance":
        return gold.stance
    if field == "targets_china":
        return "true" if gold.targets_china else "false"
    if not gold.relevant:
        return None
    return gold.actor if field == "actor" else gold.domain


def trains(field: str, row: Row) -> bool:
    """Models are applied only where the rules call the item relevant (they own relevance)."""
    return row.rules.labels.relevant and gold_class(field, row.gold) is not None


def build_rows(
    files: Sequence[tuple[str, Path]] = TRAINING_FILES, knowledge: Knowledge | None = None
) -> list[Row]:
    """Classify each file as its own stream with the rules and featurise every item."""
    knowledge = knowledge or load_knowledge()
    rules = RulesClassifier(knowledge)
    rows: list[Row] = []
    for name, path in files:
        items, gold = read_items(path, with_labels=True)
        picture = PolicyPicture.from_baseline()
        for item in sorted(items, key=lambda it: (it.date, it.id)):
            trace: dict[str, str] = {}
            result, f = rules.analyse(item, picture, trace)
            for effect in result.effects:
                picture.apply(effect)
            feats = tuple(featurise(item, f, result, trace, knowledge))
            rows.append(Row(item, gold[item.id], result, feats, tuple(encode(feats)), name))
    return rows


def fit(
    xs: Sequence[Sequence[tuple[int, float]]], ys: Sequence[int], k: int, hyper: Hyper = HYPER
) -> dict[int, tuple[float, ...]]:
    """Multinomial logistic regression by seeded SGD with L2 on the weights touched."""
    df: dict[int, int] = {}
    for x in xs:
        for b, _ in x:
            df[b] = df.get(b, 0) + 1
    kept = [[(b, v) for b, v in x if df[b] >= hyper.min_df] for x in xs]
    weights: dict[int, list[float]] = {}
    order = list(range(len(kept)))
    rng = random.Random(hyper.seed)
    for epoch in range(hyper.epochs):
        rng.shuffle(order)
        eta = hyper.eta / (1.0 + 0.3 * epoch)
        for i in order:
            x = kept[i]
            scores = [0.0] * k
            for b, v in x:
                row = weights.get(b)
                if row is not None:
                    for c in range(k):
                        scores[c] += row[c] * v
            grad = softmax(scores)
            grad[ys[i]] -= 1.0
            for b, v in x:
                row = weights.get(b)
                if row is None:
                    row = weights[b] = [0.0] * k
                for c in range(k):
                    row[c] -= eta * (grad[c] * v + hyper.l2 * row[c])
    return {
        b: tuple(round(w, 5) for w in row)
        for b, row in sorted(weights.items())
        if max(map(abs, row)) >= PRUNE
    }


def train_field(field: str, rows: Sequence[Row], hyper: Hyper = HYPER) -> dict[int, tuple[float, ...]]:
    classes = CLASSES[field]
    used = [r for r in rows if trains(field, r)]
    ys = [classes.index(str(gold_class(field, r.gold))) for r in used]
    return fit([r.x for r in used], ys, len(classes), hyper)


def train_model(
    rows: Sequence[Row],
    settings: dict[str, FieldSetting] | None = None,
    hyper: Hyper = HYPER,
    fields: Sequence[str] | None = None,
) -> Model:
    settings = settings or FIELD_SETTINGS
    out: dict[str, FieldModel] = {}
    for name in fields or tuple(CLASSES):
        s = settings[name]
        out[name] = FieldModel(
            name, CLASSES[name], train_field(name, rows, hyper), s.temperature, s.threshold, s.use
        )
    meta = {
        "trained_on": {
            src: sum(1 for r in rows if r.source == src) for src in sorted({r.source for r in rows})
        },
        "hyper": {
            "epochs": hyper.epochs,
            "eta": hyper.eta,
            "l2": hyper.l2,
            "min_df": hyper.min_df,
            "seed": hyper.seed,
        },
    }
    return Model(MODEL_VERSION, out, meta)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Train the hybrid classifier's model artefact.")
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--check", action="store_true", help="exit 1 if the shipped artefact differs")
    args = parser.parse_args(argv)
    shipped = [name for name, s in FIELD_SETTINGS.items() if s.use]  # only what the hybrid uses
    text = model_to_json(train_model(build_rows(), fields=shipped))
    if args.check:
        same = args.out.exists() and args.out.read_text(encoding="utf-8") == text
        print(f"{args.out}: {'identical' if same else 'DIFFERS'}")
        return 0 if same else 1
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out} ({len(text):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
