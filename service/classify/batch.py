"""Classify a stream of items in date order against an evolving policy picture. Pure.

Each item sees the baseline plus the effects of the items before it (sorted by date,
stable on id), which is what the issue asks of the policy picture.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from service.classify.engine import Classifier, get_classifier
from service.classify.policy import PolicyPicture
from service.classify.types import Classification, ItemText


def classify_stream(
    items: Iterable[ItemText],
    *,
    classifier: Classifier | None = None,
    pair: tuple[str, str] = ("US", "JP"),
    picture: PolicyPicture | None = None,
    baseline_cutoff: dt.date | None = None,
    on_item: Callable[[], None] | None = None,
) -> list[tuple[ItemText, Classification]]:
    """Classify ``items`` oldest first; the picture (copied, not mutated) gains each effect."""
    chosen = classifier or get_classifier()
    current = PolicyPicture.from_baseline(pair, cutoff=baseline_cutoff) if picture is None else picture.copy()
    out: list[tuple[ItemText, Classification]] = []
    for item in sorted(items, key=lambda it: (it.date, it.id)):
        result = chosen.classify(item, current)
        for effect in result.effects:
            current.apply(effect)
        out.append((item, result))
        if on_item is not None:
            on_item()
    return out
