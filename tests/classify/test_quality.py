"""Quality floors on labelled data (deterministic; floors sit a few points under the
measured figures in docs/classifier.md so a regression, not noise, fails them)."""

import datetime as dt
from pathlib import Path

import pytest

from service.classify.evaluation import goal_metrics
from service.classify.jsonl import read_items
from service.classify.report import score
from tests.paths import DATA_DIR

DEV = DATA_DIR / "measures-dev.jsonl"
OWN = Path(__file__).resolve().parents[2] / "service" / "classify" / "data" / "examples.jsonl"
SPLIT = dt.date(2022, 7, 1)

HELD_OUT_FLOORS = {
    "relevance_f1": 0.95,
    "actor_accuracy": 0.87,
    "domain_accuracy": 0.89,
    "stance_macro_f1": 0.78,
    "targets_china_f1": 0.88,
    "hard_stance_accuracy": 0.60,
    "relevance_f1_ja": 0.93,
    "actor_accuracy_ja": 0.88,
}
WHOLE_FLOORS = {
    "relevance_f1": 0.97,
    "actor_accuracy": 0.93,
    "domain_accuracy": 0.93,
    "stance_macro_f1": 0.89,
    "targets_china_f1": 0.94,
    "hard_stance_accuracy": 0.78,
}


@pytest.fixture(scope="module")
def dev_rows():
    if not DEV.exists():
        pytest.skip(f"shared data not found at {DEV}")
    items, gold = read_items(DEV, with_labels=True)
    ordered = sorted(items, key=lambda it: (it.date, it.id))
    return list(zip(ordered, score(items, gold), strict=True))


def test_held_out_later_items_stay_above_floor(dev_rows):
    later = [row for item, row in dev_rows if item.date >= SPLIT]
    got = goal_metrics(later)
    assert len(later) > 100
    low = {k: round(got[k], 3) for k, floor in HELD_OUT_FLOORS.items() if got[k] < floor}
    assert low == {}


def test_whole_dev_file_stays_above_floor(dev_rows):
    got = goal_metrics([row for _, row in dev_rows])
    low = {k: round(got[k], 3) for k, floor in WHOLE_FLOORS.items() if got[k] < floor}
    assert low == {}


def test_own_2023_2026_examples_stay_above_floor():
    items, gold = read_items(OWN, with_labels=True)
    got = goal_metrics(score(items, gold))
    assert got["relevance_f1"] >= 0.95
    assert got["actor_accuracy"] >= 0.93
    assert got["stance_macro_f1"] >= 0.90
