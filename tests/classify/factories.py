"""Small factories for classifier tests (an item, a classifier, the shipped picture)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from service.classify import ItemText, Labels, PolicyPicture, RulesClassifier

CLASSIFIER = RulesClassifier()
# an item's source country, for the pattern tables' keyword arguments
JP = {"country": "JP"}
US = {"country": "US"}


def item(
    title: str,
    summary: str = "",
    *,
    date: str = "2024-06-01",
    source: str = "METI news releases",
    country: str = "JP",
    id: str = "t-1",
) -> ItemText:
    return ItemText(id, dt.date.fromisoformat(date), source, country, title, summary)


def baseline() -> PolicyPicture:
    return PolicyPicture.from_baseline(("US", "JP"))


def labels(title: str, summary: str = "", **kw: Any) -> Labels:
    """The default rules' labels for an item written in a test, against the baseline."""
    return CLASSIFIER.classify(item(title, summary, **kw), baseline()).labels


def assert_fields(title: str, summary: str, kw: dict[str, Any], expected: dict[str, Any]) -> None:
    """Only the fields a pattern case names must match."""
    got = labels(title, summary, **kw)
    fields = {field: getattr(got, field) for field in expected}
    assert fields == expected, f"{title!r}: got {fields}, expected {expected}"
