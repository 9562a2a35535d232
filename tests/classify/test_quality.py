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
    "relevance_f1": 0.96,
    "actor_accuracy": 0.92,
    "domain_accuracy": 0.91,
    "stance_macro_f1": 0.88,
    "targets_china_f1": 0.92,
    "hard_stance_accuracy": 0.78,
    "relevance_f1_ja": 0.93,
    "actor_accuracy_ja": 0.90,
}
WHOLE_FLOORS = {
    "relevance_f1": 0.97,
    "actor_accuracy": 0.95,
    "domain_accuracy": 0.93,
    "stance_macro_f1": 0.91,
    "targets_china_f1": 0.95,
    "hard_stance_accuracy": 0.82,
}
# later-dev (analyst-written, 2023-07 .. 2024-12). The rules were tuned on its errors, so
# these floors guard against regressions; they are not held-out figures (docs/classifier.md).
LATER_DEV_FLOORS = {
    "relevance_f1": 0.97,
    "actor_accuracy": 0.96,
    "domain_accuracy": 0.95,
    "stance_macro_f1": 0.93,
    "targets_china_f1": 0.95,
    "hard_stance_accuracy": 0.90,
    "relevance_f1_ja": 0.95,
    "actor_accuracy_ja": 0.95,
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
    assert got["n"] >= 100
    assert got["relevance_f1"] >= 0.97
    assert got["actor_accuracy"] >= 0.96
    assert got["stance_macro_f1"] >= 0.92


# Analyst-written sets, each scored once as held out and then tuned on (docs/classifier.md,
# "Honest held-out results"), so their floors only guard against regressions:
# later-test (analyst-written, 2025-01 .. 2026-10): scored once frozen with rules-v1.1
# (0.853 stance); rules-v1.2 was then tuned on its errors, so this is a tuned-on set now and
# the floor only guards against regressions (docs/classifier.md).
LATER_TEST_FLOORS = {
    "relevance_f1": 0.97,
    "actor_accuracy": 0.92,
    "domain_accuracy": 0.95,
    "stance_macro_f1": 0.92,
    "targets_china_f1": 0.92,
    "hard_stance_accuracy": 0.85,
}

# holdout-2 (analyst-written, 2024-01 .. 2026-11): scored once frozen with rules-v1.2 (0.748
# stance, 0.590 hard); rules-v1.3 was then tuned on its errors, so this is a tuned-on set
# now and the floor only guards against regressions (docs/classifier.md, change log v1.3).
HOLDOUT_2_FLOORS = {
    "relevance_f1": 0.95,
    "actor_accuracy": 0.93,
    "domain_accuracy": 0.89,
    "stance_macro_f1": 0.82,
    "targets_china_f1": 0.92,
    "hard_stance_accuracy": 0.74,
}

# holdout-3 (analyst-written, 2024-06 .. 2026-10): scored once frozen with rules-v1.3 (0.887
# actor, 0.847 stance, 0.784 hard); rules-v1.4 was then tuned on its errors, so it is a
# tuned-on set now and the floor only guards against regressions (docs/classifier.md, v1.4).
HOLDOUT_3_FLOORS = {
    "relevance_f1": 0.97,
    "actor_accuracy": 0.95,
    "domain_accuracy": 0.93,
    "stance_macro_f1": 0.88,
    "targets_china_f1": 0.92,
    "hard_stance_accuracy": 0.82,
}

# holdout-4 (analyst-written, 2024-03 .. 2026-11): scored once frozen with rules-v1.4 (0.963
# actor, 0.799 stance, 0.725 hard); v1.4 was then tuned on its errors (second round), so it is
# tuned-on now and the floor only guards against regressions (docs/classifier.md, v1.4).
HOLDOUT_4_FLOORS = {
    "relevance_f1": 0.97,
    "actor_accuracy": 0.96,
    "domain_accuracy": 0.95,
    "stance_macro_f1": 0.93,
    "targets_china_f1": 0.92,
    "hard_stance_accuracy": 0.9,
}

# holdout-5 (analyst-written, 2023-07 .. 2026-11, less-covered agencies and instruments):
# scored once frozen with rules-v1.4 (0.887 actor, 0.762 domain, 0.694 stance, 0.600 hard);
# rules-v1.5 was tuned on its errors.
HOLDOUT_5_FLOORS = {
    "relevance_f1": 0.97,
    "actor_accuracy": 0.95,
    "domain_accuracy": 0.88,
    "stance_macro_f1": 0.88,
    "targets_china_f1": 0.95,
    "hard_stance_accuracy": 0.85,
}

# holdout-7 (analyst-written, 2023-07 .. 2026-11, every domain, varied agencies): scored
# once frozen with rules-v1.5 (0.779 stance, 0.703 hard; the rest met); rules-v1.6 was
# tuned on its errors.
HOLDOUT_7_FLOORS = {
    "relevance_f1": 0.97,
    "actor_accuracy": 0.96,
    "domain_accuracy": 0.95,
    "stance_macro_f1": 0.93,
    "targets_china_f1": 0.95,
    "hard_stance_accuracy": 0.88,
}

# holdout-8 (analyst-written, 2023-07 .. 2026-11, stance tests that need the counterpart's
# policy, events the earlier sets avoided): scored once frozen with rules-v1.6 (0.878 actor,
# 0.817 domain, 0.777 stance, 0.684 hard); rules-v1.7 was tuned on its errors.
HOLDOUT_8_FLOORS = {
    "relevance_f1": 0.97,
    "actor_accuracy": 0.93,
    "domain_accuracy": 0.94,
    "stance_macro_f1": 0.95,
    "targets_china_f1": 0.88,
    "hard_stance_accuracy": 0.95,
}

# holdout-9 (analyst-written, 2023-07 .. 2026-11, events and agencies the earlier sets
# avoided): scored once frozen with rules-v1.7 (0.850 actor, 0.713 domain, 0.724 stance,
# 0.583 hard); rules-v1.8 was tuned on its errors.
HOLDOUT_9_FLOORS = {
    "relevance_f1": 0.96,
    "actor_accuracy": 0.9,
    "domain_accuracy": 0.89,
    "stance_macro_f1": 0.85,
    "targets_china_f1": 0.95,
    "hard_stance_accuracy": 0.83,
}

# holdout-10 (analyst-written, 2023-07 .. 2026-11, a realistic sample of the feeds): scored
# once frozen with rules-v1.8 (0.949 actor, 0.899 domain, 0.925 stance, 0.871 hard);
# rules-v1.9 was tuned on its errors.
HOLDOUT_10_FLOORS = {
    "relevance_f1": 0.97,
    "actor_accuracy": 0.96,
    "domain_accuracy": 0.95,
    "stance_macro_f1": 0.93,
    "targets_china_f1": 0.95,
    "hard_stance_accuracy": 0.87,
}

# holdout-12 (analyst-written, 2023-07 .. 2026-11, realistic, half from Japanese feeds):
# scored once frozen with rules-v1.9 (0.949 actor, 0.885 stance, 0.759 hard); rules-v1.10
# was tuned on its errors.
HOLDOUT_12_FLOORS = {
    "relevance_f1": 0.97,
    "actor_accuracy": 0.95,
    "domain_accuracy": 0.95,
    "stance_macro_f1": 0.93,
    "targets_china_f1": 0.94,
    "hard_stance_accuracy": 0.93,
}

# holdout-13 (analyst-written, 2023-07 .. 2026-11, realistic, US feeds and think tanks
# first): scored once frozen with rules-v1.10 (0.951 actor, 0.839 stance, 0.788 hard);
# rules-v1.11 was tuned on its errors.
HOLDOUT_13_FLOORS = {
    "relevance_f1": 0.97,
    "actor_accuracy": 0.96,
    "domain_accuracy": 0.95,
    "stance_macro_f1": 0.93,
    "targets_china_f1": 0.95,
    "hard_stance_accuracy": 0.9,
}

# holdout-14 (analyst-written, 2023-07 .. 2026-11, realistic, balanced): scored once frozen
# with rules-v1.11 (0.925 actor, 0.887 domain, 0.825 stance, 0.793 hard); rules-v1.12 was
# tuned on its errors.
HOLDOUT_14_FLOORS = {
    "relevance_f1": 0.97,
    "actor_accuracy": 0.96,
    "domain_accuracy": 0.94,
    "stance_macro_f1": 0.9,
    "targets_china_f1": 0.95,
    "hard_stance_accuracy": 0.9,
}

# holdout-15 (analyst-written, 2023-07 .. 2026-11, realistic, balanced): scored once frozen
# with rules-v1.12 (0.795 stance, 0.704 hard; relevance, actor, domain met); rules-v1.13 was
# tuned on its errors (lightly: its stance misses are mostly scope, see docs/classifier.md).
HOLDOUT_15_FLOORS = {
    "relevance_f1": 0.97,
    "actor_accuracy": 0.96,
    "domain_accuracy": 0.93,
    "stance_macro_f1": 0.84,
    "targets_china_f1": 0.92,
    "hard_stance_accuracy": 0.79,
}

# holdout-16 (analyst-written, 2023-07 .. 2026-11, realistic, balanced): scored once frozen
# with rules-v1.13 (0.926 actor, 0.812 stance, 0.696 hard); rules-v1.14 was tuned on it.
HOLDOUT_16_FLOORS = {
    "relevance_f1": 0.97,
    "actor_accuracy": 0.95,
    "domain_accuracy": 0.93,
    "stance_macro_f1": 0.87,
    "targets_china_f1": 0.94,
    "hard_stance_accuracy": 0.8,
}

# holdout-17 (analyst-written, 2023-07 .. 2026-11, realistic, balanced): scored once frozen
# with rules-v1.14 (0.925 actor, 0.898 stance, 0.800 hard); rules-v1.15 was tuned on it.
HOLDOUT_17_FLOORS = {
    "relevance_f1": 0.97,
    "actor_accuracy": 0.95,
    "domain_accuracy": 0.92,
    "stance_macro_f1": 0.93,
    "targets_china_f1": 0.95,
    "hard_stance_accuracy": 0.88,
}

# holdout-18 (analyst-written, 2023-07 .. 2026-11, realistic, balanced): scored once frozen
# with rules-v1.15 (0.876 stance, 0.889 china, 0.719 hard); rules-v1.16 was tuned on it.
HOLDOUT_18_FLOORS = {
    "relevance_f1": 0.97,
    "actor_accuracy": 0.97,
    "domain_accuracy": 0.94,
    "stance_macro_f1": 0.93,
    "targets_china_f1": 0.91,
    "hard_stance_accuracy": 0.9,
}

# holdout-19 (analyst-written, 2023-07 .. 2026-11, realistic, balanced): scored once frozen
# with rules-v1.16 (0.924 actor, 0.823 domain, 0.871 stance, 0.857 china); rules-v1.17 was
# tuned on it.
HOLDOUT_19_FLOORS = {
    "relevance_f1": 0.97,
    "actor_accuracy": 0.95,
    "domain_accuracy": 0.88,
    "stance_macro_f1": 0.89,
    "targets_china_f1": 0.95,
    "hard_stance_accuracy": 0.88,
}

# holdout-20 (analyst-written, 2023-07 .. 2026-11, realistic, balanced): scored once frozen
# with rules-v1.17 (0.950 actor, 0.810 stance, 0.767 hard); rules-v1.18 was tuned on it.
HOLDOUT_20_FLOORS = {
    "relevance_f1": 0.97,
    "actor_accuracy": 0.97,
    "domain_accuracy": 0.94,
    "stance_macro_f1": 0.91,
    "targets_china_f1": 0.96,
    "hard_stance_accuracy": 0.87,
}

# holdout-21 (analyst-written, 2023-07 .. 2026-11, realistic, balanced): scored once frozen
# with rules-v1.18 (0.875 domain, 0.893 stance, 0.812 hard); rules-v1.19 was tuned on it.
HOLDOUT_21_FLOORS = {
    "relevance_f1": 0.97,
    "actor_accuracy": 0.97,
    "domain_accuracy": 0.94,
    "stance_macro_f1": 0.93,
    "targets_china_f1": 0.97,
    "hard_stance_accuracy": 0.88,
}

# holdout-22 (analyst-written, 2023-07 .. 2026-11, realistic, balanced): scored once frozen
# with rules-v1.19 (0.949 actor, 0.840 stance, 0.731 hard); rules-v1.20 was tuned on it.
HOLDOUT_22_FLOORS = {
    "relevance_f1": 0.97,
    "actor_accuracy": 0.97,
    "domain_accuracy": 0.95,
    "stance_macro_f1": 0.9,
    "targets_china_f1": 0.95,
    "hard_stance_accuracy": 0.74,
}

# holdout-23 (analyst-written, 2023-07 .. 2026-11, realistic, balanced): scored once frozen
# with rules-v1.20 (0.938 actor, 0.849 stance, 0.829 hard); rules-v1.21 was tuned on it.
HOLDOUT_23_FLOORS = {  # v1.23: its FCC test-lab item is labelled neutral, the rule now diverges
    "relevance_f1": 0.97,
    "actor_accuracy": 0.97,
    "domain_accuracy": 0.94,
    "stance_macro_f1": 0.91,
    "targets_china_f1": 0.97,
    "hard_stance_accuracy": 0.8,
}

# holdout-24 (analyst-written, 2023-07 .. 2026-11, realistic, balanced): scored once frozen
# with rules-v1.21 (0.822 stance, 0.920 china, 0.758 hard); rules-v1.22 was tuned on it.
HOLDOUT_24_FLOORS = {
    "relevance_f1": 0.97,
    "actor_accuracy": 0.95,
    "domain_accuracy": 0.94,
    "stance_macro_f1": 0.89,
    "targets_china_f1": 0.94,
    "hard_stance_accuracy": 0.82,
}

# holdout-25 (analyst-written, 2023-07 .. 2026-11, realistic, balanced): scored once frozen
# with rules-v1.22 (0.907 stance, 0.833 hard); rules-v1.23 was tuned on it.
HOLDOUT_25_FLOORS = {
    "relevance_f1": 0.97,
    "actor_accuracy": 0.97,
    "domain_accuracy": 0.95,
    "stance_macro_f1": 0.95,
    "targets_china_f1": 0.97,
    "hard_stance_accuracy": 0.93,
}

# holdout-28 (analyst-written, 2023-07 .. 2026-11, stance-focused: 44 hard cases): scored
# once frozen with rules-v1.23 (0.826 stance, 0.911 actor, 0.750 hard); rules-v1.24 was tuned on it.
HOLDOUT_28_FLOORS = {
    "relevance_f1": 0.97,
    "actor_accuracy": 0.97,
    "domain_accuracy": 0.94,
    "stance_macro_f1": 0.96,
    "targets_china_f1": 0.95,
    "hard_stance_accuracy": 0.95,
}

# holdout-27 (analyst-written, 2023-07 .. 2026-11, realistic, balanced): scored once frozen
# with rules-v1.24 (0.863 stance, 0.887 domain, 0.806 hard); rules-v1.25 was tuned on it.
HOLDOUT_27_FLOORS = {
    "relevance_f1": 0.97,
    "actor_accuracy": 0.96,
    "domain_accuracy": 0.93,
    "stance_macro_f1": 0.95,
    "targets_china_f1": 0.94,
    "hard_stance_accuracy": 0.9,
}

# holdout-29 (realistic, balanced) and holdout-30 (stance-focused: 41 hard cases), both
# 2023-07 .. 2026-11: scored once frozen with rules-v1.25 (h29 0.868 stance, 0.933 hard;
# h30 0.872 stance, 0.780 hard); rules-v1.26 was tuned on both.
HOLDOUT_29_FLOORS = {
    "relevance_f1": 0.97,
    "actor_accuracy": 0.95,
    "domain_accuracy": 0.94,
    "stance_macro_f1": 0.95,
    "targets_china_f1": 0.95,
    "hard_stance_accuracy": 0.95,
}
HOLDOUT_30_FLOORS = {
    "relevance_f1": 0.97,
    "actor_accuracy": 0.97,
    "domain_accuracy": 0.95,
    "stance_macro_f1": 0.97,
    "targets_china_f1": 0.97,
    "hard_stance_accuracy": 0.97,
}

# holdout-31 (realistic, balanced) and holdout-32 (stance-focused: 42 hard cases), both
# 2023-07 .. 2026-11: scored once frozen with rules-v1.26 (h31 0.889 stance, 0.828 hard;
# h32 0.905 stance, 0.881 hard); rules-v1.27 was tuned on both.
HOLDOUT_31_FLOORS = {
    "relevance_f1": 0.97,
    "actor_accuracy": 0.96,
    "domain_accuracy": 0.94,
    "stance_macro_f1": 0.96,
    "targets_china_f1": 0.95,
    "hard_stance_accuracy": 0.94,
}
HOLDOUT_32_FLOORS = {
    "relevance_f1": 0.97,
    "actor_accuracy": 0.95,
    "domain_accuracy": 0.92,
    "stance_macro_f1": 0.95,
    "targets_china_f1": 0.97,
    "hard_stance_accuracy": 0.95,
}

# holdout-33 (realistic, balanced) and holdout-34 (stance-focused: 39 hard cases), both
# 2023-07 .. 2026-11: scored once frozen with rules-v1.27 (h33 met every goal: 0.927 stance,
# 0.903 hard; h34 0.948 stance, 0.974 hard, 0.911 domain); rules-v1.28 was tuned on both.
HOLDOUT_33_FLOORS = {
    "relevance_f1": 0.97,
    "actor_accuracy": 0.96,
    "domain_accuracy": 0.96,
    "stance_macro_f1": 0.95,
    "targets_china_f1": 0.97,
    "hard_stance_accuracy": 0.9,
}
HOLDOUT_34_FLOORS = {
    "relevance_f1": 0.97,
    "actor_accuracy": 0.97,
    "domain_accuracy": 0.93,
    "stance_macro_f1": 0.97,
    "targets_china_f1": 0.97,
    "hard_stance_accuracy": 0.97,
}

# holdout-35 (realistic, less common instruments, 2023-07 .. 2026-11): scored once frozen
# with rules-v1.28 (0.881 stance, 0.767 hard, 0.912 domain); rules-v1.29 was tuned on it.
HOLDOUT_35_FLOORS = {
    "relevance_f1": 0.97,
    "actor_accuracy": 0.96,
    "domain_accuracy": 0.95,
    "stance_macro_f1": 0.92,
    "targets_china_f1": 0.95,
    "hard_stance_accuracy": 0.8,
}

# holdout-39 (realistic) and holdout-40 (stance-focused: 40 hard cases), both 2023-07 ..
# 2026-11: scored once frozen with rules-v1.29 (h39 met every goal; h40 0.889 stance,
# 0.800 hard); rules-v1.30 was tuned on both.
HOLDOUT_39_FLOORS = {
    "relevance_f1": 0.97,
    "actor_accuracy": 0.97,
    "domain_accuracy": 0.96,
    "stance_macro_f1": 0.95,
    "targets_china_f1": 0.95,
    "hard_stance_accuracy": 0.9,
}
HOLDOUT_40_FLOORS = {
    "relevance_f1": 0.97,
    "actor_accuracy": 0.97,
    "domain_accuracy": 0.92,
    "stance_macro_f1": 0.95,
    "targets_china_f1": 0.97,
    "hard_stance_accuracy": 0.92,
}

# holdout-41 (realistic, 2023-07 .. 2026-11): scored once frozen with rules-v1.30 (0.902
# stance, 0.842 hard, 0.950 actor, Japanese actor 0.833); rules-v1.31 was tuned on it.
HOLDOUT_41_FLOORS = {
    "relevance_f1": 0.97,
    "actor_accuracy": 0.97,
    "domain_accuracy": 0.95,
    "stance_macro_f1": 0.97,
    "targets_china_f1": 0.97,
    "hard_stance_accuracy": 0.95,
}

DATA = Path(__file__).resolve().parents[1] / "data"
TUNED_ON_SETS = [
    ("later-dev.jsonl", 120, LATER_DEV_FLOORS),
    ("later-test.jsonl", 121, LATER_TEST_FLOORS),
    ("holdout-2.jsonl", 160, HOLDOUT_2_FLOORS),
    ("holdout-3.jsonl", 100, HOLDOUT_3_FLOORS),
    ("holdout-4.jsonl", 100, HOLDOUT_4_FLOORS),
    ("holdout-5.jsonl", 100, HOLDOUT_5_FLOORS),
    ("holdout-7.jsonl", 100, HOLDOUT_7_FLOORS),
    ("holdout-8.jsonl", 100, HOLDOUT_8_FLOORS),
    ("holdout-9.jsonl", 100, HOLDOUT_9_FLOORS),
    ("holdout-10.jsonl", 100, HOLDOUT_10_FLOORS),
    ("holdout-12.jsonl", 100, HOLDOUT_12_FLOORS),
    ("holdout-13.jsonl", 100, HOLDOUT_13_FLOORS),
    ("holdout-14.jsonl", 100, HOLDOUT_14_FLOORS),
    ("holdout-15.jsonl", 100, HOLDOUT_15_FLOORS),
    ("holdout-16.jsonl", 100, HOLDOUT_16_FLOORS),
    ("holdout-17.jsonl", 100, HOLDOUT_17_FLOORS),
    ("holdout-18.jsonl", 100, HOLDOUT_18_FLOORS),
    ("holdout-19.jsonl", 100, HOLDOUT_19_FLOORS),
    ("holdout-20.jsonl", 100, HOLDOUT_20_FLOORS),
    ("holdout-21.jsonl", 100, HOLDOUT_21_FLOORS),
    ("holdout-22.jsonl", 100, HOLDOUT_22_FLOORS),
    ("holdout-23.jsonl", 100, HOLDOUT_23_FLOORS),
    ("holdout-24.jsonl", 100, HOLDOUT_24_FLOORS),
    ("holdout-25.jsonl", 100, HOLDOUT_25_FLOORS),
    ("holdout-27.jsonl", 100, HOLDOUT_27_FLOORS),
    ("holdout-28.jsonl", 100, HOLDOUT_28_FLOORS),
    ("holdout-29.jsonl", 100, HOLDOUT_29_FLOORS),
    ("holdout-30.jsonl", 100, HOLDOUT_30_FLOORS),
    ("holdout-31.jsonl", 100, HOLDOUT_31_FLOORS),
    ("holdout-32.jsonl", 100, HOLDOUT_32_FLOORS),
    ("holdout-33.jsonl", 100, HOLDOUT_33_FLOORS),
    ("holdout-34.jsonl", 100, HOLDOUT_34_FLOORS),
    ("holdout-35.jsonl", 100, HOLDOUT_35_FLOORS),
    ("holdout-39.jsonl", 100, HOLDOUT_39_FLOORS),
    ("holdout-40.jsonl", 100, HOLDOUT_40_FLOORS),
    ("holdout-41.jsonl", 100, HOLDOUT_41_FLOORS),
]


# Sets never tuned on (their errors have not been read): floors a little under the latest
# look guard against regressions. If one fails, record the new look in docs/classifier.md
# and write a fresh set before reading its errors; do not tune on it.
UNTUNED_SETS = [
    ("holdout-6.jsonl", 80, {"relevance_f1": 0.97, "actor_accuracy": 0.97, "domain_accuracy": 0.88,
                             "stance_macro_f1": 0.9, "targets_china_f1": 0.95,
                             "hard_stance_accuracy": 0.85}),
    ("holdout-11.jsonl", 100, {"relevance_f1": 0.97, "actor_accuracy": 0.97, "domain_accuracy": 0.94,
                               "stance_macro_f1": 0.88, "targets_china_f1": 0.93,
                               "hard_stance_accuracy": 0.85}),
    ("holdout-26.jsonl", 100, {"relevance_f1": 0.97, "actor_accuracy": 0.93, "domain_accuracy": 0.92,
                               "stance_macro_f1": 0.85, "targets_china_f1": 0.95,
                               "hard_stance_accuracy": 0.75}),
    ("holdout-36.jsonl", 100, {"relevance_f1": 0.97, "actor_accuracy": 0.95, "domain_accuracy": 0.92,
                               "stance_macro_f1": 0.87, "targets_china_f1": 0.95,
                               "hard_stance_accuracy": 0.83}),
    ("holdout-37.jsonl", 100, {"relevance_f1": 0.96, "actor_accuracy": 0.95, "domain_accuracy": 0.94,
                               "stance_macro_f1": 0.93, "targets_china_f1": 0.95,
                               "hard_stance_accuracy": 0.92}),
    ("holdout-38.jsonl", 100, {"relevance_f1": 0.97, "actor_accuracy": 0.95, "domain_accuracy": 0.91,
                               "stance_macro_f1": 0.86, "targets_china_f1": 0.97,
                               "hard_stance_accuracy": 0.83}),
    ("holdout-42.jsonl", 100, {"relevance_f1": 0.97, "actor_accuracy": 0.94, "domain_accuracy": 0.92,
                               "stance_macro_f1": 0.9, "targets_china_f1": 0.97,
                               "hard_stance_accuracy": 0.89}),
]


@pytest.mark.parametrize(("name", "size", "floors"), TUNED_ON_SETS + UNTUNED_SETS,
                         ids=[t[0] for t in TUNED_ON_SETS + UNTUNED_SETS])
def test_tuned_on_set_stays_above_floor(name, size, floors):
    items, gold = read_items(DATA / name, with_labels=True)
    got = goal_metrics(score(items, gold))
    assert got["n"] == size
    low = {k: round(got[k], 3) for k, floor in floors.items() if got[k] < floor}
    assert low == {}
