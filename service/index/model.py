"""The alignment index of one country pair: positions, momentum, band, attribution. Pure.

Per domain d, on each day:

* **Positions** (Global Trade Alert; Signorino & Ritter's S): each country holds a slot
  when a measure in force there was adopted or tightened and not removed since (an
  announcement moves nothing). Over the slots where at least one country has ever acted
  (the correction for the many things neither has done), P_d = (agree − disagree) / n_d,
  in [−1, 1]; 0 before anything was done.
* **Momentum** (CAMEO/Goldstein, PLOVER): each event adds s·w·c to M_d (s = +1 converging,
  −1 diverging, 0 neutral; w = joint or unilateral weight; c = confidence, 1 for analysts'
  labels), and M_d halves every ``half_life_days``. It enters as the bounded
  m_d = M_d / (K + |M_d|).
* **Value** I_d = 50 + 50·(α·P_d + (1 − α)·m_d) in [0, 100]; the headline is the weighted
  mean of the I_d.

Attribution is sequential and exact by telescoping: an event's *jump* is the value just
after it minus the value just before it (same day, canonical order (date, seq)); a day's
momentum decay is shared among the events whose terms decay, in proportion to their terms.
Each published change is thus the sum of per-event contributions (``attribution``).

Worlds: bit 0 of every mask is the labels in force; bits 1..draws are resampled labels
(``draws``), whose 5th–95th percentiles make the band. Does no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from hashlib import sha256
from typing import Any

from service.index.draws import (
    STANCE_SIGN,
    WorldMasks,
    all_worlds,
    bit_indices,
    draw_worlds,
    percentile,
    set_bits,
)
from service.index.vocabulary import Vocabulary

OVERALL = "overall"
HOLDING_ACTIONS = frozenset({"adopt", "tighten"})
STEP_ACTIONS = frozenset({"adopt", "tighten", "ease", "remove"})  # announce: said, not in force
BAND_LOW, BAND_HIGH = 5.0, 95.0


@dataclass(frozen=True, slots=True)
class Params:
    """Everything the series depends on besides the events; its digest keys the stored series."""

    start: date
    half_life_days: float
    position_share: float  # α
    momentum_scale: float  # K
    weight_joint: float
    weight_unilateral: float
    domain_weights: tuple[tuple[str, float], ...]
    draws: int
    seed: int

    @property
    def decay(self) -> float:
        return float(2.0 ** (-1.0 / self.half_life_days))

    def weights(self) -> dict[str, float]:
        return dict(self.domain_weights)

    def digest(self) -> str:
        return sha256(repr(self).encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Effect:
    country: str
    slot: str
    action: str


@dataclass(frozen=True, slots=True)
class Event:
    """One classified item as the index sees it (see ``events.derive_event``)."""

    seq: int
    ref: str
    day: date
    domain: str
    actor: str  # a country of the pair, or "joint"
    stance: str
    confidence: float
    p_relevant: float
    p_stance: float
    analyst: bool
    effects: tuple[Effect, ...] = ()

    @property
    def order(self) -> tuple[date, int]:
        return (self.day, self.seq)


@dataclass(frozen=True, slots=True)
class Point:
    """One domain's (or the headline's) published value at the end of one day."""

    day: date
    domain: str
    value: float
    position: float
    momentum: float
    momentum_raw: float
    low: float
    high: float
    compared: int
    agreeing: int
    events: int


def softsign(x: float) -> float:
    return x / (1.0 + abs(x))


def momentum_term(event: Event, params: Params) -> float:
    """The signed contribution s·w·c the event adds to its domain's momentum."""
    weight = params.weight_joint if event.actor == "joint" else params.weight_unilateral
    return STANCE_SIGN[event.stance] * weight * event.confidence


@dataclass
class RunState:
    """Where a run stands: the day, positions per world, momentum accumulators, counts."""

    day: date
    last_seq: int = 0
    in_force: dict[tuple[str, str], int] = field(default_factory=dict)
    acted: dict[str, int] = field(default_factory=dict)
    central_m: dict[str, float] = field(default_factory=dict)
    fixed_m: dict[str, float] = field(default_factory=dict)
    var_m: dict[str, list[float]] = field(default_factory=dict)
    uncertain: set[str] = field(default_factory=set)
    events: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON form; floats round-trip exactly through ``repr``, masks as hex."""
        return {
            "day": self.day.isoformat(), "last_seq": self.last_seq,
            "in_force": [[c, s, format(m, "x")] for (c, s), m in sorted(self.in_force.items())],
            "acted": [[s, format(m, "x")] for s, m in sorted(self.acted.items())],
            "central_m": dict(self.central_m), "fixed_m": dict(self.fixed_m),
            "var_m": {d: list(v) for d, v in self.var_m.items()},
            "uncertain": sorted(self.uncertain), "events": dict(self.events),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunState:
        return cls(
            day=date.fromisoformat(data["day"]), last_seq=int(data["last_seq"]),
            in_force={(c, s): int(m, 16) for c, s, m in data["in_force"]},
            acted={s: int(m, 16) for s, m in data["acted"]},
            central_m={k: float(v) for k, v in data["central_m"].items()},
            fixed_m={k: float(v) for k, v in data["fixed_m"].items()},
            var_m={k: [float(x) for x in v] for k, v in data["var_m"].items()},
            uncertain=set(data["uncertain"]), events={k: int(v) for k, v in data["events"].items()},
        )


class IndexRun:
    """Replays events in canonical order from a state, emitting points, jumps, checkpoints."""

    def __init__(self, params: Params, vocab: Vocabulary, pair: tuple[str, str], state: RunState) -> None:
        self.params, self.vocab, self.pair, self.state = params, vocab, pair, state
        self._full = all_worlds(params.draws)
        self._decay = params.decay
        self._weights = params.weights()
        self._total_weight = sum(self._weights.get(d, 1.0) for d in vocab.domains) or 1.0
        self._slot_agree: dict[str, int] = {}
        self._agree: dict[str, list[int]] = {d: [0] * (params.draws + 1) for d in vocab.domains}
        self._compared: dict[str, list[int]] = {d: [0] * (params.draws + 1) for d in vocab.domains}
        self._slot_cmp: dict[str, int] = {}
        self._pos_cache: dict[str, list[float]] = {}
        for slots in vocab.compared.values():
            for slot in slots:
                self._refresh(slot)
        self.points: list[Point] = []
        self.jumps: dict[int, dict[str, float]] = {}
        self.checkpoints: list[tuple[date, dict[str, Any]]] = []

    # -- positions ----------------------------------------------------------------------
    def _held(self, country: str, slot: str) -> int:
        mask = self.state.in_force.get((country, slot), 0)
        for other in self.vocab.matches.get(slot, ()):
            mask |= self.state.in_force.get((country, other), 0)
        return mask

    def _refresh(self, slot: str) -> None:
        """Recount agreement in ``slot`` for the worlds where it changed."""
        domain = self.vocab.domain_of[slot]
        cmp = self.state.acted.get(slot, 0)
        agree = cmp & ~(self._held(self.pair[0], slot) ^ self._held(self.pair[1], slot))
        for mask, cache, counts in ((agree, self._slot_agree, self._agree[domain]),
                                    (cmp, self._slot_cmp, self._compared[domain])):
            old = cache.get(slot, 0)
            if mask != old:
                for k in set_bits(mask ^ old):
                    counts[k] += 1 if (mask >> k) & 1 else -1
                cache[slot] = mask
                self._pos_cache.pop(domain, None)

    def _position(self, domain: str, world: int) -> float:
        n = self._compared[domain][world]
        return (2 * self._agree[domain][world] - n) / n if n else 0.0

    # -- values -------------------------------------------------------------------------
    def _value(self, position: float, momentum_raw: float) -> float:
        a = self.params.position_share
        return 50.0 + 50.0 * (a * position + (1.0 - a) * softsign(momentum_raw / self.params.momentum_scale))

    def central_value(self, domain: str) -> float:
        return self._value(self._position(domain, 0), self.state.central_m.get(domain, 0.0))

    def _world_positions(self, domain: str) -> list[float]:
        cached = self._pos_cache.get(domain)
        if cached is None:
            agree, compared = self._agree[domain], self._compared[domain]
            cached = [(2 * agree[k] - compared[k]) / compared[k] if compared[k] else 0.0
                      for k in range(1, self.params.draws + 1)]
            self._pos_cache[domain] = cached
        return cached

    def _world_values(self, domain: str) -> list[float] | None:
        """The domain's value in worlds 1..draws, or None when every world agrees."""
        if self.params.draws == 0 or (domain not in self.state.uncertain and domain not in self.state.var_m):
            return None
        a, b, scale = self.params.position_share, 1.0 - self.params.position_share, self.params.momentum_scale
        fixed = self.state.fixed_m.get(domain, 0.0)
        var = self.state.var_m.get(domain) or [0.0] * self.params.draws
        out = []
        for p, x in zip(self._world_positions(domain), var, strict=True):
            y = (fixed + x) / scale
            out.append(50.0 + 50.0 * (a * p + b * (y / (1.0 + abs(y)))))
        return out

    # -- events -------------------------------------------------------------------------
    def apply(self, event: Event) -> None:
        """Apply one event at its day; events must come in canonical order."""
        if event.day < self.state.day:
            raise ValueError(f"event {event.ref} on {event.day} is before the run's day {self.state.day}")
        self._advance_to(event.day)
        touched = {event.domain} | {self.vocab.domain_of[e.slot] for e in event.effects
                                    if e.slot in self.vocab.domain_of}
        before = {d: self.central_value(d) for d in touched}
        masks = draw_worlds(event.ref, event.stance, event.p_relevant, event.p_stance,
                            analyst=event.analyst, draws=self.params.draws, seed=self.params.seed)
        self._apply_effects(event, masks)
        self._apply_momentum(event, masks)
        self.state.events[event.domain] = self.state.events.get(event.domain, 0) + 1
        self.state.last_seq = max(self.state.last_seq, event.seq)
        self.jumps[event.seq] = {d: self.central_value(d) - before[d] for d in sorted(touched)}

    def _apply_effects(self, event: Event, masks: WorldMasks) -> None:
        changed: set[str] = set()
        for effect in event.effects:
            if effect.country not in self.pair or effect.slot not in self.vocab.domain_of:
                continue
            if effect.action not in STEP_ACTIONS:
                continue
            key = (effect.country, effect.slot)
            old = self.state.in_force.get(key, 0)
            if effect.action in HOLDING_ACTIONS:
                new = old | masks.relevant
            elif effect.action == "remove":
                new = old & ~masks.relevant
            else:  # ease: still in force where it was
                new = old
            self.state.in_force[key] = new
            self.state.acted[effect.slot] = self.state.acted.get(effect.slot, 0) | masks.relevant
            changed.add(effect.slot)
            if masks.relevant != self._full:
                self.state.uncertain.add(self.vocab.domain_of[effect.slot])
        for slot in sorted(changed):
            for dependant in self.vocab.dependants(slot):
                self._refresh(dependant)

    def _apply_momentum(self, event: Event, masks: WorldMasks) -> None:
        term = abs(momentum_term(event, self.params))
        sign = STANCE_SIGN[event.stance]
        d = event.domain
        self.state.central_m[d] = self.state.central_m.get(d, 0.0) + sign * term
        if event.analyst:
            self.state.fixed_m[d] = self.state.fixed_m.get(d, 0.0) + sign * term
            return
        if self.params.draws == 0:
            return
        var = self.state.var_m.setdefault(d, [0.0] * self.params.draws)
        for k in bit_indices(masks.converging >> 1):
            var[k] += term
        for k in bit_indices(masks.diverging >> 1):
            var[k] -= term

    # -- days ---------------------------------------------------------------------------
    def _advance_to(self, day: date) -> None:
        while self.state.day < day:
            self._emit()
            self.state.day += timedelta(days=1)
            f = self._decay
            s = self.state
            for d in s.central_m:
                s.central_m[d] *= f
            for d in s.fixed_m:
                s.fixed_m[d] *= f
            for d, var in s.var_m.items():
                s.var_m[d] = [x * f for x in var]
            if s.day.day == 1 and s.day >= self.params.start:
                self.checkpoints.append((s.day, s.to_dict()))

    def finish(self, through: date) -> None:
        """Advance to ``through`` (or stay, if events went further) and emit its point."""
        self._advance_to(through)
        self._emit()

    def _emit(self) -> None:
        day = self.state.day
        if day < self.params.start:
            return
        total = self._total_weight
        overall_worlds: list[float] | None = None
        value = position = momentum = 0.0
        compared = agreeing = events = 0
        central: dict[str, float] = {}
        worlds: dict[str, list[float]] = {}
        for d in self.vocab.domains:
            w = self._weights.get(d, 1.0)
            p = self._position(d, 0)
            raw = self.state.central_m.get(d, 0.0)
            m = softsign(raw / self.params.momentum_scale)
            v = self._value(p, raw)
            central[d] = v
            values = self._world_values(d)
            low, high = (v, v)
            if values is not None:
                low, high = percentile(values, BAND_LOW), percentile(values, BAND_HIGH)
            if values is not None:
                worlds[d] = values
            n, agree, count = self._compared[d][0], self._agree[d][0], self.state.events.get(d, 0)
            self.points.append(Point(day, d, v, p, m, raw, low, high, n, agree, count))
            value += w * v
            position += w * p
            momentum += w * m
            compared, agreeing, events = compared + n, agreeing + agree, events + count
        if worlds:
            acc = [0.0] * self.params.draws
            for d in self.vocab.domains:
                w = self._weights.get(d, 1.0)
                values = worlds.get(d)
                if values is None:
                    c = w * central[d]
                    acc = [x + c for x in acc]
                else:
                    acc = [x + w * v for x, v in zip(acc, values, strict=True)]
            overall_worlds = [x / total for x in acc]
        value, position, momentum = value / total, position / total, momentum / total
        low, high = ((value, value) if overall_worlds is None
                     else (percentile(overall_worlds, BAND_LOW), percentile(overall_worlds, BAND_HIGH)))
        self.points.append(Point(day, OVERALL, value, position, momentum, 0.0, low, high,
                                 compared, agreeing, events))

    # -- the current picture ------------------------------------------------------------
    def snapshot(self) -> dict[str, Any]:
        """What ``GET /v1/index`` serves: per-domain values, components, worlds, slots."""
        domains: dict[str, Any] = {}
        for d in self.vocab.domains:
            slots = []
            for slot in self.vocab.compared[d]:
                if self.state.acted.get(slot, 0) & 1:
                    slots.append({"slot": slot, self.pair[0]: bool(self._held(self.pair[0], slot) & 1),
                                  self.pair[1]: bool(self._held(self.pair[1], slot) & 1)})
            domains[d] = {"worlds": self._world_values(d), "slots": slots}
        return {"day": self.state.day.isoformat(), "domains": domains}


def first_day(params: Params, events: Iterable[Event]) -> date:
    return min([params.start, *(e.day for e in events)])


def compute(params: Params, vocab: Vocabulary, pair: tuple[str, str], events: Sequence[Event],
            through: date) -> IndexRun:
    """The whole series from scratch: the reference the incremental path must equal."""
    run = IndexRun(params, vocab, pair, RunState(day=first_day(params, events)))
    return replay(run, events, through)


def replay(run: IndexRun, events: Sequence[Event], through: date) -> IndexRun:
    """Apply ``events`` (any order given; applied canonically) and finish at ``through``."""
    ordered = sorted(events, key=lambda e: e.order)
    for event in ordered:
        run.apply(event)
    run.finish(max([through, run.state.day]))
    return run


def resume_point(state_day: date,
                 changes: Iterable[tuple[tuple[date, int] | None, tuple[date, int] | None]]
                 ) -> date | None:
    """None when the changes only append events at or after the state's day (the cheap
    path); otherwise the earliest day whose series they change (replay from there).

    ``changes`` are (old, new) canonical keys of events: old None for a new event, new
    None for a withdrawn one. A changed event always replays: its old effect is in the
    state and cannot be taken out of it.
    """
    earliest: date | None = None
    for old, new in changes:
        if old is None and new is not None and new[0] >= state_day:
            continue
        day = min(k[0] for k in (old, new) if k is not None)
        earliest = day if earliest is None else min(earliest, day)
    return earliest
