"""Split a change of the index between two days into per-event contributions. Pure.

The model (``model.py``) moves a domain's value in two ways: an event's *jump* on its day
(stored on the event), and the daily *decay* of momentum. A day's decay drift is
value(P, M·f) − value(P, M), shared among the events whose terms make up M in proportion
to their terms (all terms decay by the same factor f, so the split is exact). For an
event i of day t_i with term τ_i, its share of the drift over days from+1..to is

    τ_i · f^(max(from, t_i) − t_i) · S(max(from, t_i)),   S(t) = r(t+1) + f·S(t+1), S(to) = 0,

with r(k) = drift(k) / M(k−1): one backward pass over the window's days, then O(1) per
event. Jumps plus drifts telescope to value(to) − value(from).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from service.index.model import Event, Params, momentum_term, softsign


@dataclass(frozen=True, slots=True)
class DayPoint:
    """What attribution needs of one stored daily point of one domain."""

    value: float
    position: float
    momentum_raw: float


@dataclass(frozen=True, slots=True)
class Contribution:
    seq: int
    total: float
    jump: float
    drift: float
    by_domain: dict[str, float]


def drift_suffix(params: Params, days: Mapping[date, DayPoint], start: date, end: date) -> dict[date, float]:
    """S(t) for t in [start, end]: the per-unit-term drift from t to ``end``."""
    f = params.decay
    a, scale = params.position_share, params.momentum_scale
    suffix: dict[date, float] = {end: 0.0}
    day = end
    while day > start:
        prev = day - timedelta(days=1)
        point = days[prev]
        ratio = 0.0
        if point.momentum_raw != 0.0:
            decayed = point.momentum_raw * f
            drift = (50.0 + 50.0 * (a * point.position + (1.0 - a) * softsign(decayed / scale))) - point.value
            ratio = drift / point.momentum_raw
        suffix[prev] = ratio + f * suffix[day]
        day = prev
    return suffix


def contributions(params: Params, events: Sequence[Event], jumps: Mapping[int, Mapping[str, float]],
                  series: Mapping[str, Mapping[date, DayPoint]], start: date, end: date,
                  weights: Mapping[str, float]) -> list[Contribution]:
    """Every event's share of Σ_d weights[d]·(value_d(end) − value_d(start)).

    ``series`` holds each weighted domain's points for every day in [start, end]; ``events``
    are all events dated on or before ``end``; ``jumps`` their stored jumps.
    """
    f = params.decay
    suffixes = {d: drift_suffix(params, series[d], start, end) for d in weights if d in series}
    out: list[Contribution] = []
    for event in events:
        if event.day > end:
            continue
        by_domain: dict[str, float] = {}
        jump_total = 0.0
        if event.day > start:
            for d, value in jumps.get(event.seq, {}).items():
                if d in weights:
                    by_domain[d] = by_domain.get(d, 0.0) + weights[d] * value
                    jump_total += weights[d] * value
        drift = 0.0
        term = momentum_term(event, params)
        if term != 0.0 and event.domain in suffixes:
            anchor = max(start, event.day)
            decayed = term * f ** (anchor - event.day).days
            drift = weights[event.domain] * decayed * suffixes[event.domain][anchor]
            by_domain[event.domain] = by_domain.get(event.domain, 0.0) + drift
        if by_domain:
            out.append(Contribution(event.seq, jump_total + drift, jump_total, drift, by_domain))
    return out
