from pathlib import Path

import pytest

from service.classify.evaluation import goal_metrics
from service.classify.metrics import accuracy, confusion, f1, macro_f1, per_class
from service.classify.report import main as report_main
from service.classify.report import pooled


def test_accuracy_and_binary_f1():
    gold = [True, True, False, False]
    pred = [True, False, True, False]
    assert accuracy(gold, pred) == 0.5
    assert f1(gold, pred) == pytest.approx(0.5)


def test_macro_f1_averages_classes_in_gold():
    gold = ["a", "a", "b", "c"]
    pred = ["a", "b", "b", "b"]
    scores = {s.label: s.f1 for s in per_class(gold, pred, ["a", "b", "c"])}
    assert scores == pytest.approx({"a": 2 / 3, "b": 0.5, "c": 0.0})
    assert macro_f1(gold, pred) == pytest.approx((2 / 3 + 0.5 + 0.0) / 3)


def test_confusion_rows_are_gold():
    assert confusion(["x", "y", "y"], ["y", "y", "x"], ["x", "y"]) == [[0, 1], [1, 1]]


def test_length_mismatch_is_an_error():
    with pytest.raises(ValueError):
        accuracy([1], [1, 2])


def test_pooling_a_sample_twice_doubles_its_counts_and_keeps_its_rates(tmp_path):
    """The pooled report scores each file as its own stream: the same file twice is the same
    sample twice, so counts double and every rate stays put."""
    sample = Path(__file__).resolve().parents[1] / "data" / "later-dev.jsonl"
    once, twice = goal_metrics(pooled([sample])), goal_metrics(pooled([sample, sample]))
    assert twice["n"] == 2 * once["n"] and twice["n_hard"] == 2 * once["n_hard"]
    for key in ("relevance_f1", "actor_accuracy", "domain_accuracy", "stance_macro_f1",
                "targets_china_f1", "hard_stance_accuracy"):
        assert twice[key] == pytest.approx(once[key])


def test_the_pooled_report_names_a_missing_file_and_exits_2(tmp_path, capsys):
    missing = tmp_path / "nope.jsonl"
    with pytest.raises(SystemExit) as exited:
        report_main(["--pool", str(missing)])
    assert exited.value.code == 2
    assert f"no such file: {missing}" in capsys.readouterr().err
