"""Which subscriptions an alert goes to: a pure function of the alert and the filters.

An empty filter list means "everything". Alert kinds: ``item.diverging``,
``item.converging``, ``index.drop``, ``index.level`` and ``alert.retracted`` (which goes
to whoever received the alert it retracts, whatever their filters say now).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

KINDS = ("item.diverging", "item.converging", "index.drop", "index.level", "alert.retracted")
DEFAULT_KINDS = ("item.diverging", "index.drop", "index.level", "alert.retracted")


@dataclass(frozen=True)
class AlertFacts:
    kind: str
    pair: str
    domain: str | None
    stance: str | None
    confidence: float | None


@dataclass(frozen=True)
class SubscriptionFilter:
    id: str
    enabled: bool
    pairs: Sequence[str]
    domains: Sequence[str]
    stances: Sequence[str]
    kinds: Sequence[str]
    min_confidence: float


def matches(alert: AlertFacts, sub: SubscriptionFilter) -> bool:
    if not sub.enabled:
        return False
    if alert.kind not in (sub.kinds or DEFAULT_KINDS):
        return False
    if sub.pairs and alert.pair not in sub.pairs:
        return False
    if sub.domains and alert.domain is not None and alert.domain not in sub.domains:
        return False
    if sub.stances and alert.stance is not None and alert.stance not in sub.stances:
        return False
    return alert.confidence is None or alert.confidence >= sub.min_confidence


def matching(alert: AlertFacts, subs: Iterable[SubscriptionFilter]) -> list[str]:
    """Ids of the subscriptions that want ``alert``, in a stable order."""
    return sorted(sub.id for sub in subs if matches(alert, sub))
