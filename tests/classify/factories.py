"""Small factories for classifier tests (an item, a classifier, the shipped picture)."""

from __future__ import annotations

import datetime as dt

from service.classify import ItemText, PolicyPicture, RulesClassifier

CLASSIFIER = RulesClassifier()


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
