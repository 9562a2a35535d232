"""The fixed CLI contract: ``alignwatch classify IN.jsonl`` and ``alignwatch evaluate IN.jsonl``.

Input is one JSON object per line with at least id, date, source, source_country, title and
summary (other fields, gold ``labels`` included, are ignored by classify). Lines may come in
any order; items are classified in date order. A malformed line stops the run before any
output is written, with an error naming the file and line.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from tqdm import tqdm

from service.classify.batch import classify_stream
from service.classify.engine import Classifier
from service.classify.evaluation import (
    GOALS,
    Scored,
    field_metrics,
    goal_metrics,
    stance_confusion,
)
from service.classify.text import is_japanese
from service.classify.types import STANCES, ItemText, Labels

REQUIRED = ("id", "date", "source", "source_country", "title", "summary")
PROGRESS_MIN_ITEMS = 2000  # below this a progress bar is noise


class InputError(ValueError):
    """A line of the input file is not a valid item; carries the file and line number."""

    def __init__(self, path: Path, line: int, reason: str) -> None:
        super().__init__(f"{path}:{line}: {reason}")
        self.path = path
        self.line = line


def _item_from(data: Any, path: Path, line: int) -> ItemText:
    if not isinstance(data, dict):
        raise InputError(path, line, "expected a JSON object")
    missing = [k for k in REQUIRED if k not in data]
    if missing:
        raise InputError(path, line, f"missing field(s): {', '.join(missing)}")
    for key in REQUIRED:
        if not isinstance(data[key], str):
            raise InputError(path, line, f"field {key!r} must be a string")
    try:
        date = dt.date.fromisoformat(data["date"][:10])
    except ValueError as exc:
        raise InputError(path, line, f"bad date {data['date']!r}") from exc
    kind = data.get("source_kind")
    language = data.get("language")
    return ItemText(
        id=data["id"],
        date=date,
        source=data["source"],
        source_country=data["source_country"],
        title=data["title"],
        summary=data["summary"],
        source_kind=kind if isinstance(kind, str) else None,
        language=language if isinstance(language, str) else None,
    )


def read_items(path: Path, *, with_labels: bool = False) -> tuple[list[ItemText], dict[str, Labels]]:
    """Parse every line first, so a bad line fails the run before anything is written."""
    items: list[ItemText] = []
    labels: dict[str, Labels] = {}
    seen: set[str] = set()
    for number, raw in _lines(path):
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise InputError(path, number, f"invalid JSON ({exc.msg})") from exc
        item = _item_from(data, path, number)
        if item.id in seen:
            raise InputError(path, number, f"duplicate id {item.id!r}")
        seen.add(item.id)
        if with_labels:
            if not isinstance(data.get("labels"), dict):
                raise InputError(path, number, "missing gold 'labels' object")
            try:
                labels[item.id] = Labels.from_dict(data["labels"])
            except (KeyError, ValueError) as exc:
                raise InputError(path, number, f"bad labels ({exc})") from exc
        items.append(item)
    return items, labels


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    with path.open(encoding="utf-8") as fh:
        for number, raw in enumerate(fh, start=1):
            if raw.strip():
                yield number, raw


def _classify(items: list[ItemText], classifier: Classifier | None, progress: bool) -> list[Any]:
    bar = tqdm(
        total=len(items),
        desc="classify",
        unit="item",
        file=sys.stderr,
        disable=not progress or len(items) < PROGRESS_MIN_ITEMS,
    )
    try:
        return classify_stream(items, classifier=classifier, on_item=lambda: bar.update(1))
    finally:
        bar.close()


def run_classify(
    in_path: Path, out: TextIO, progress: bool = False, *, classifier: Classifier | None = None
) -> int:
    """Write one JSON line per input item, in date order; return the exit code."""
    try:
        items, _ = read_items(in_path)
    except (OSError, InputError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    lines = []
    for item, result in _classify(items, classifier, progress):
        body = result.to_json_dict()
        lines.append(json.dumps({"id": item.id, **body}, ensure_ascii=False))
    out.write("".join(line + "\n" for line in lines))
    return 0


def run_evaluate(
    in_path: Path, out: TextIO, progress: bool = False, *, classifier: Classifier | None = None
) -> int:
    """Print accuracy and macro-F1 per field, the goal metrics and the stance confusion."""
    try:
        items, gold = read_items(in_path, with_labels=True)
    except (OSError, InputError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    results = _classify(items, classifier, progress)
    rows = [Scored(gold[item.id], result.labels, _language(item)) for item, result in results]
    out.write(format_report(rows))
    return 0


def _language(item: ItemText) -> str:
    if item.language:
        return item.language
    return "ja" if is_japanese(item.title) or is_japanese(item.summary) else "en"


def format_report(rows: list[Scored]) -> str:
    """The evaluation report: per-field table, goal metrics against targets, confusion."""
    lines = [f"items={len(rows)}", "", "field            accuracy  macro_f1"]
    for name, (acc, mf1) in field_metrics(rows).items():
        lines.append(f"{name:<16} {acc:>8.3f}  {mf1:>8.3f}")
    lines += ["", "goal                    score   target"]
    goals = goal_metrics(rows)
    for name, value in goals.items():
        target = GOALS.get(name)
        mark = "" if target is None else f"  {target:.2f} {'ok' if value >= target else 'MISS'}"
        shown = f"{int(value)}" if name.startswith("n") else f"{value:.3f}"
        lines.append(f"{name:<22} {shown:>6}{mark}")
    lines += [
        "",
        "stance confusion (rows gold, columns predicted)",
        " " * 12 + "".join(f"{s:>12}" for s in STANCES),
    ]
    for stance, row in zip(STANCES, stance_confusion(rows), strict=True):
        lines.append(f"{stance:>12}" + "".join(f"{n:>12}" for n in row))
    summary = " ".join(f"{k}={v:.3f}" for k, v in goals.items() if not k.startswith("n"))
    lines += ["", summary]
    return "\n".join(lines) + "\n"
