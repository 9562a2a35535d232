"""Accuracy, per-class and macro F1 and confusion matrices for evaluation. Pure."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ClassScore:
    label: Hashable
    precision: float
    recall: float
    f1: float
    support: int


def accuracy(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> float:
    _check(gold, pred)
    if not gold:
        return 0.0
    return sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold)


def per_class(
    gold: Sequence[Hashable], pred: Sequence[Hashable], labels: Sequence[Hashable] | None = None
) -> list[ClassScore]:
    """Precision, recall and F1 per label (labels default to those seen in either list)."""
    _check(gold, pred)
    labels = list(labels) if labels is not None else sorted({*gold, *pred}, key=str)
    out: list[ClassScore] = []
    for label in labels:
        tp = sum(g == label and p == label for g, p in zip(gold, pred, strict=True))
        fp = sum(g != label and p == label for g, p in zip(gold, pred, strict=True))
        fn = sum(g == label and p != label for g, p in zip(gold, pred, strict=True))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out.append(ClassScore(label, precision, recall, f1, tp + fn))
    return out


def f1(gold: Sequence[Hashable], pred: Sequence[Hashable], positive: Hashable = True) -> float:
    """F1 of one class (binary F1 for a boolean field)."""
    return per_class(gold, pred, [positive])[0].f1


def macro_f1(
    gold: Sequence[Hashable], pred: Sequence[Hashable], labels: Sequence[Hashable] | None = None
) -> float:
    """Unweighted mean of per-class F1 over ``labels`` (default: labels present in gold)."""
    labels = list(labels) if labels is not None else sorted(set(gold), key=str)
    scores = per_class(gold, pred, labels)
    return sum(s.f1 for s in scores) / len(scores) if scores else 0.0


def confusion(
    gold: Sequence[Hashable], pred: Sequence[Hashable], labels: Sequence[Hashable]
) -> list[list[int]]:
    """Rows are gold labels, columns predictions, both in ``labels`` order."""
    _check(gold, pred)
    index = {label: i for i, label in enumerate(labels)}
    matrix = [[0] * len(labels) for _ in labels]
    for g, p in zip(gold, pred, strict=True):
        if g in index and p in index:
            matrix[index[g]][index[p]] += 1
    return matrix


def _check(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> None:
    if len(gold) != len(pred):
        raise ValueError(f"gold and predictions differ in length: {len(gold)} != {len(pred)}")
