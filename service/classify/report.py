"""Score the classifier on a labelled file the way docs/classifier.md reports it.

Usage: python -m service.classify.report [PATH] [--split 2022-07-01]
       python -m service.classify.report --pool FILE [FILE ...]

Prints the goal metrics for the held-out later part (items on or after the split date),
for the whole file, each for all items and for English and Japanese separately, and the
stance accuracy on the "hard stance" subset; then the same held-out figures with the
baseline history cut at the split date (the picture then learns later events only from
the items themselves). Time discipline: the rules were written looking only at items
dated before the split.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from service.classify.batch import classify_stream
from service.classify.evaluation import Scored, goal_metrics, stance_confusion
from service.classify.jsonl import read_items
from service.classify.text import is_japanese
from service.classify.types import ItemText, Labels

_SHARED = Path(os.environ.get("ALIGNWATCH_SHARED_DIR", Path(__file__).resolve().parents[3] / "shared"))
DEFAULT = _SHARED / "data" / "measures-dev.jsonl"
SHOWN = (
    "relevance_f1",
    "actor_accuracy",
    "domain_accuracy",
    "stance_macro_f1",
    "targets_china_f1",
    "hard_stance_accuracy",
    "relevance_f1_ja",
    "actor_accuracy_ja",
)


def score(items: list[ItemText], gold: dict[str, Labels], cutoff: dt.date | None = None) -> list[Scored]:
    """Classify the whole stream (so later items see earlier effects) and pair with gold."""
    results = classify_stream(items, baseline_cutoff=cutoff)
    return [Scored(gold[it.id], res.labels, _lang(it)) for it, res in results]


def _lang(item: ItemText) -> str:
    return "ja" if is_japanese(item.title) or is_japanese(item.summary) else "en"


def _line(name: str, rows: list[Scored]) -> str:
    m = goal_metrics(rows)
    keys = SHOWN if any(r.language == "ja" for r in rows) else SHOWN[:6]
    body = " ".join(f"{k}={m[k]:.3f}" for k in keys)
    return f"{name:<22} n={len(rows):<4} hard_n={int(m['n_hard']):<3} {body}"


def pooled(paths: list[Path]) -> list[Scored]:
    """Each file classified as its own stream (a sample is its own world), rows pooled: the
    figure for several held-out samples at once."""
    rows: list[Scored] = []
    for path in paths:
        items, gold = read_items(path, with_labels=True)
        rows += score(items, gold)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Score the rules classifier on a labelled JSONL file.")
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--split", type=dt.date.fromisoformat, default=dt.date(2022, 7, 1))
    parser.add_argument("--pool", nargs="+", type=Path, metavar="FILE",
                        help="score these files each as its own stream and print one pooled line")
    args = parser.parse_args(argv)
    missing = [str(p) for p in (args.pool or [args.path]) if not p.is_file()]
    if missing:
        parser.error(f"no such file: {', '.join(missing)}")
    if args.pool:
        rows = pooled(args.pool)
        print(_line(f"pooled ({len(args.pool)} files)", rows))
        print(f"pooled stance confusion (gold rows conv/div/neu): {stance_confusion(rows)}")
        return 0
    items, gold = read_items(args.path, with_labels=True)
    for title, cutoff in (
        ("baseline: full shipped history", None),
        (f"baseline cut at {args.split}", args.split),
    ):
        rows = score(items, gold, cutoff)
        dated = {it.id: it.date for it in items}
        ids = [it.id for it in sorted(items, key=lambda it: (it.date, it.id))]
        later = [r for r, i in zip(rows, ids, strict=True) if dated[i] >= args.split]
        print(f"== {title}")
        for name, part in (("held-out (later)", later), ("whole file", rows)):
            print(_line(name, part))
            print(_line(name + " EN", [r for r in part if r.language == "en"]))
            print(_line(name + " JA", [r for r in part if r.language == "ja"]))
        print(f"held-out stance confusion (gold rows conv/div/neu): {stance_confusion(later)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
