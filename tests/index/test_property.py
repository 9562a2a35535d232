"""The incremental index equals a full recompute, whatever order events arrive in.

Hypothesis draws random event streams (several domains and slots, analysts' and model
labels, events dated before the series starts and in the future), delivers them in random
batches out of date order, corrects and withdraws some, and after every batch updates the
index the way ``service.index.service`` does: resume from the stored state when events
only append, else replay from the last monthly checkpoint before the earliest change.
The published points, the events' jumps and the run state must equal, exactly, those of
one full recompute over the final events; and explain's contributions must sum to every
window's change.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.index.attribution import DayPoint, contributions
from service.index.model import OVERALL, Event, IndexRun, Point, RunState, compute, replay, resume_point
from service.index.vocabulary import default_vocabulary
from tests.index.factories import PAIR, event, params

VOCAB = default_vocabulary()
BASE = date(2020, 1, 20)
PARAMS = params(start=BASE + timedelta(days=4), half_life=6.0, draws=12)
DOMAINS = ("export_controls", "trade_policy", "cooperation")
SLOTS = [s for d in DOMAINS for s in VOCAB.compared[d][:3]] + ["export_controls/chip_equipment",
                                                                 "export_controls/advanced_computing_china"]


class MemoryIndex:
    """The service's update logic over in-memory tables (JSON round trips as in the DB)."""

    def __init__(self) -> None:
        self.events: dict[int, Event] = {}
        self.state: dict[str, Any] | None = None
        self.checkpoints: dict[date, dict[str, Any]] = {}
        self.points: dict[tuple[str, date], Point] = {}
        self.jumps: dict[int, dict[str, float]] = {}

    def update(self, changes: list[tuple[Event | None, Event | None]], today: date) -> None:
        for old, new in changes:
            if old is not None:
                del self.events[old.seq]
            if new is not None:
                self.events[new.seq] = new
        keys = [(o.order if o else None, n.order if n else None) for o, n in changes]
        earliest = resume_point(date.fromisoformat(self.state["day"]), keys) if self.state else date.max
        after: date | None
        if earliest is None:
            run = IndexRun(PARAMS, VOCAB, PAIR, RunState.from_dict(self.state))  # type: ignore[arg-type]
            todo = [n for _, n in changes if n is not None]
            after = run.state.day
        else:
            usable = [d for d in self.checkpoints if self.state and d <= min(earliest, today)]
            if usable:
                after = max(usable)
                run = IndexRun(PARAMS, VOCAB, PAIR, RunState.from_dict(self.checkpoints[after]))
                todo = [e for e in self.events.values() if e.day >= after]
            else:
                after = None
                first = min([PARAMS.start, *(e.day for e in self.events.values())])
                run = IndexRun(PARAMS, VOCAB, PAIR, RunState(day=first))
                todo = list(self.events.values())
        replay(run, todo, today)
        for point in run.points:
            self.points[(point.domain, point.day)] = point
        self.points = {k: v for k, v in self.points.items() if k[1] <= run.state.day}
        self.jumps.update(run.jumps)
        self.checkpoints = {d: s for d, s in self.checkpoints.items() if after is not None and d <= after}
        self.checkpoints.update({d: json.loads(json.dumps(s)) for d, s in run.checkpoints})
        self.state = json.loads(json.dumps(run.state.to_dict()))


effects = st.lists(st.tuples(st.sampled_from(PAIR), st.sampled_from(SLOTS),
                             st.sampled_from(["adopt", "tighten", "ease", "remove", "announce"])),
                   max_size=2)
labels = st.fixed_dictionaries({
    "day": st.integers(-6, 80).map(lambda n: BASE + timedelta(days=n)),
    "domain": st.sampled_from(DOMAINS),
    "actor": st.sampled_from(["US", "JP", "joint"]),
    "stance": st.sampled_from(["converging", "diverging", "neutral"]),
    "effects": effects,
    "analyst": st.booleans(),
    "confidence": st.sampled_from([0.3, 0.55, 0.8, 1.0]),
    "p_relevant": st.sampled_from([0.4, 0.9, 1.0]),
    "p_stance": st.sampled_from([0.5, 0.75, 1.0]),
})
operation = st.one_of(
    st.tuples(st.just("add"), labels, st.just(0)),
    st.tuples(st.just("correct"), labels, st.integers(0, 1000)),
    st.tuples(st.just("remove"), st.none(), st.integers(0, 1000)),
)
streams = st.tuples(st.lists(operation, min_size=1, max_size=25),
                    st.lists(st.integers(1, 5), min_size=1, max_size=25),
                    st.lists(st.integers(0, 12), min_size=1, max_size=25))


def make(seq: int, fields: dict[str, Any]) -> Event:
    return event(seq, fields["day"], domain=fields["domain"], actor=fields["actor"], stance=fields["stance"],
                 effects=tuple(fields["effects"]), analyst=fields["analyst"], confidence=fields["confidence"],
                 p_relevant=fields["p_relevant"], p_stance=fields["p_stance"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(streams)
def test_incremental_updates_equal_a_full_recompute(stream):
    ops, sizes, steps = stream
    index = MemoryIndex()
    live: dict[int, Event] = {}
    seq, today, at, batch_no = 0, BASE, 0, 0
    while at < len(ops):
        size = sizes[batch_no % len(sizes)]
        today += timedelta(days=steps[batch_no % len(steps)])
        batch_no += 1
        changes: list[tuple[Event | None, Event | None]] = []
        for kind, fields, pick in ops[at:at + size]:
            if kind == "add" or not live:
                if fields is None:
                    continue
                seq += 1
                live[seq] = make(seq, fields)
                changes.append((None, live[seq]))
            elif kind == "correct":
                target = sorted(live)[pick % len(live)]
                new = replace(make(target, fields), ref=live[target].ref)
                changes.append((live[target], new))
                live[target] = new
            else:
                target = sorted(live)[pick % len(live)]
                changes.append((live.pop(target), None))
        at += size
        # One batch may touch an event twice; the service sees the net change per event.
        net: dict[int, tuple[Event | None, Event | None]] = {}
        for old, new in changes:
            key = (old or new).seq  # type: ignore[union-attr]
            first = net.get(key, (old, new))[0]
            net[key] = (first, new)
        index.update([c for c in net.values() if c != (None, None)], today)

    reference = compute(PARAMS, VOCAB, PAIR, list(live.values()), today)
    expected = {(p.domain, p.day): p for p in reference.points}
    assert index.points == expected
    assert {s: index.jumps[s] for s in live} == {s: reference.jumps[s] for s in live}
    assert index.state == json.loads(json.dumps(reference.state.to_dict()))
    assert index.checkpoints == {d: json.loads(json.dumps(s)) for d, s in reference.checkpoints}

    # Explain: contributions sum to the change over any window.
    days = sorted({d for _, d in expected})
    series: dict[str, dict[date, DayPoint]] = {}
    for (domain, day), p in expected.items():
        series.setdefault(domain, {})[day] = DayPoint(p.value, p.position, p.momentum_raw)
    total = sum(w for _, w in PARAMS.domain_weights)
    share = {d: w / total for d, w in PARAMS.domain_weights}
    for start, end in [(days[0], days[-1]), (days[len(days) // 3], days[2 * len(days) // 3])] if days else []:
        if start >= end:
            continue
        found = contributions(PARAMS, list(live.values()), reference.jumps, series, start, end, share)
        change = expected[(OVERALL, end)].value - expected[(OVERALL, start)].value
        assert sum(c.total for c in found) == pytest.approx(change, abs=1e-9)
