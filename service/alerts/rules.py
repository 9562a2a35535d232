"""When an item or an index move raises an alert: pure decisions, no I/O.

Each decision names its cause; the cause is unique in storage, so an item processed
again, or a rule evaluated again, never alerts twice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Raised:
    kind: str
    cause: str
    domain: str | None
    title: str
    facts: dict[str, object]


def item_alert(*, item_id: int, pair: str, relevant: bool, stance: str, domain: str,
               confidence: float, title: str, min_confidence: float, generation: int) -> Raised | None:
    """A diverging item at or above the confidence raises one; a converging one too (opt-in).

    ``generation`` counts the retractions of this item's earlier alerts, so an item that
    is corrected away from diverging and back raises a fresh alert.
    """
    if not relevant or stance not in ("diverging", "converging"):
        return None
    if stance == "diverging" and confidence < min_confidence:
        return None
    kind = f"item.{stance}"
    return Raised(kind, f"item:{item_id}:{pair}:{stance}:{generation}", domain,
                  f"{stance.capitalize()} ({domain.replace('_', ' ')}): {title}", {})


def index_alerts(*, pair: str, now: datetime, values: Mapping[str, float],
                 past: Mapping[str, float], recent: Mapping[str, float], drop_points: float,
                 window_days: int, levels: Sequence[float], cooldown: timedelta) -> list[Raised]:
    """Falls of at least ``drop_points`` over the window, and levels crossed downwards.

    ``past`` holds each series ``window_days`` ago, ``recent`` a week ago (for crossings).
    The cooldown bucket in the cause keeps a lasting fall from alerting on every update.
    """
    bucket = int(now.timestamp() // max(cooldown.total_seconds(), 1))
    raised: list[Raised] = []
    for series, value in sorted(values.items()):
        label = "the overall index" if series == "overall" else series.replace("_", " ")
        domain = None if series == "overall" else series
        then = past.get(series)
        if then is not None and then - value >= drop_points:
            raised.append(Raised(
                "index.drop", f"index-drop:{pair}:{series}:{window_days}:{bucket}", domain,
                f"{pair} {label} fell {then - value:.1f} points in {window_days} days to {value:.1f}",
                {"series": series, "value": value, "previous": then, "window_days": window_days}))
        before = recent.get(series)
        for level in levels:
            if before is not None and before >= level > value:
                raised.append(Raised(
                    "index.level", f"index-level:{pair}:{series}:{level:g}:{bucket}", domain,
                    f"{pair} {label} fell below {level:g} (now {value:.1f})",
                    {"series": series, "value": value, "previous": before, "level": level}))
    return raised
