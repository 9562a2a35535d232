"""Throughput of the classification step on the shared dev file, replicated.

Usage: .venv/bin/python bench/classify.py [--copies N] [--data PATH] [--classifier NAME] [--repeat N]

Times classify_stream (sort by date, classify each item against the evolving policy
picture, apply its effects) over the dev file replicated N times, and in the same run a
reference pass that only NFKC-normalises and lower-cases each item's text, so the ratio
is comparable across machines; each pass runs --repeat times and the fastest counts. Ends
with one key=value summary line. The issue's target is
at least 5,000 items/s on one core.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import sys
import time
import unicodedata
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from service.classify import ItemText, classify_stream, get_classifier  # noqa: E402

DEFAULT_DATA = (
    Path(os.environ.get("ALIGNWATCH_SHARED_DIR", REPO.parent / "shared")) / "data" / "measures-dev.jsonl"
)
TARGET = 5000.0


def load(path: Path, copies: int) -> list[ItemText]:
    base = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                d = json.loads(line)
                base.append(
                    ItemText(
                        d["id"],
                        dt.date.fromisoformat(d["date"]),
                        d["source"],
                        d["source_country"],
                        d["title"],
                        d["summary"],
                    )
                )
    return [dataclasses.replace(it, id=f"{it.id}#{n}") for n in range(copies) for it in base]


def reference_pass(items: list[ItemText]) -> int:
    total = 0
    for it in items:
        total += len(unicodedata.normalize("NFKC", it.title + " " + it.summary).lower())
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", type=int, default=40)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--classifier", default=None, help="registered name (default: the default one)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="timed runs of each pass; the fastest counts (the machine is shared)")
    args = parser.parse_args()
    items = load(args.data, args.copies)
    classifier = get_classifier(args.classifier) if args.classifier else get_classifier()
    classify_stream(items[:200], classifier=classifier)  # warm caches (lexicon build, stems)

    ref_s = run_s = float("inf")
    for _ in range(max(1, args.repeat)):  # interleaved, so both passes see the same noise
        start = time.perf_counter()
        reference_pass(items)
        ref_s = min(ref_s, time.perf_counter() - start)
        start = time.perf_counter()
        results = classify_stream(items, classifier=classifier)
        run_s = min(run_s, time.perf_counter() - start)

    rate = len(items) / run_s
    ref_rate = len(items) / ref_s
    relevant = sum(r.labels.relevant for _, r in results)
    print(f"items: {len(items)} ({args.copies} copies of {args.data.name}); relevant: {relevant}")
    print(f"reference (NFKC + lower only): {ref_s:.3f} s, {ref_rate:,.0f} items/s")
    print(f"classify_stream ({classifier.version}): {run_s:.3f} s, {rate:,.0f} items/s")
    print(f"classify / reference time ratio: {run_s / ref_s:.1f}x; target {TARGET:,.0f} items/s")
    ok = rate >= TARGET
    print(
        f"items={len(items)} items_per_s={rate:.0f} reference_items_per_s={ref_rate:.0f} "
        f"ratio={run_s / ref_s:.1f} target={TARGET:.0f} ok={str(ok).lower()}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
