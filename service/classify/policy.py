"""The per-country, per-slot picture of policy that stance is judged against. Pure.

The issue: stance must depend on the counterpart's policy at the item's date. The picture
keeps every PolicyEffect (baseline history plus effects of classified items) per country
and slot, sorted by date, so ``state(country, slot, as_of)`` answers for any date, and an
item that arrives late still sees the picture as it stood on its own date.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from service.classify.knowledge import DATA_DIR
from service.classify.types import ACTIONS, PolicyEffect

BASELINE_PATH = DATA_DIR / "baseline.yml"
SNAPSHOT_VERSION = 1


@dataclass(slots=True)
class SlotState:
    """Where one country stands in one slot on one date."""

    country: str
    slot: str
    in_force: bool
    since: dt.date | None  # start of the current in-force run
    last_action: str | None
    last_date: dt.date | None
    note: str

    def describe(self) -> str:
        if self.in_force and self.since is not None:
            return f"{self.country} {self.slot} in force since {self.since.isoformat()} ({self.note})"
        if self.last_action == "remove" and self.last_date is not None:
            return f"{self.country} {self.slot} removed {self.last_date.isoformat()} ({self.note})"
        if self.last_action == "announce" and self.last_date is not None:
            return f"{self.country} {self.slot} only announced {self.last_date.isoformat()} ({self.note})"
        return f"{self.country} {self.slot} not in force"


# in_force, since, last action, its date, note: a slot's position after some effects
_Fold = tuple[bool, dt.date | None, str | None, dt.date | None, str]
_NOTHING: _Fold = (False, None, None, None, "")


def _fold(position: _Fold, effect: PolicyEffect) -> _Fold:
    """The position after one more effect (effects come in date order)."""
    in_force, since, _last, _last_date, note = position
    action = effect.action
    if action in ("adopt", "tighten"):
        if not in_force:
            since = effect.effective
        in_force, note = True, effect.note or note
    elif action == "remove":
        in_force, since, note = False, None, effect.note
    elif action == "announce" and not in_force:
        note = effect.note
    elif action == "ease":
        note = effect.note or note
    return in_force, since, action, effect.effective, note


class PolicyPicture:
    """Per country (of a pair), per slot: the dated effects that made its position."""

    def __init__(self, pair: tuple[str, str] = ("US", "JP"), effects: Iterable[PolicyEffect] = ()) -> None:
        self.pair = pair
        self._dates: dict[tuple[str, str], list[dt.date]] = {}
        self._effects: dict[tuple[str, str], list[PolicyEffect]] = {}
        # Per slot, the position after each of its first k effects, extended lazily and cut
        # back when an effect is inserted before its end: ``state`` then costs a bisection,
        # not a walk over the slot's whole history (which grows with every item).
        self._folded: dict[tuple[str, str], list[_Fold]] = {}
        for effect in effects:
            self.apply(effect)

    @classmethod
    def from_baseline(
        cls,
        pair: tuple[str, str] = ("US", "JP"),
        *,
        cutoff: dt.date | None = None,
        path: Path = BASELINE_PATH,
    ) -> PolicyPicture:
        """The shipped history; ``cutoff`` drops entries dated on or after it (for honest
        held-out evaluation: the picture then learns later events only from the stream)."""
        return cls(pair, (e for e in load_baseline(path) if cutoff is None or e.effective < cutoff))

    def apply(self, effect: PolicyEffect) -> None:
        """Record one effect; effects of countries outside the pair are ignored."""
        if effect.country not in self.pair:
            return
        if effect.action not in ACTIONS:
            raise ValueError(f"unknown action {effect.action!r} for {effect.slot}")
        key = (effect.country, effect.slot)
        dates = self._dates.setdefault(key, [])
        index = bisect.bisect_right(dates, effect.effective)
        dates.insert(index, effect.effective)
        self._effects.setdefault(key, []).insert(index, effect)
        folded = self._folded.get(key)
        if folded is not None and len(folded) > index:
            del folded[index:]

    def remove(self, effect: PolicyEffect) -> bool:
        """Forget one recorded effect (an item reclassified or corrected); False if absent."""
        key = (effect.country, effect.slot)
        dates = self._dates.get(key)
        if not dates:
            return False
        effects = self._effects[key]
        for index in range(bisect.bisect_left(dates, effect.effective),
                           bisect.bisect_right(dates, effect.effective)):
            if effects[index] == effect:
                del dates[index], effects[index]
                folded = self._folded.get(key)
                if folded is not None and len(folded) > index:
                    del folded[index:]
                return True
        return False

    def state(self, country: str, slot: str, as_of: dt.date) -> SlotState:
        """The country's position in the slot from effects dated on or before ``as_of``."""
        key = (country, slot)
        count = bisect.bisect_right(self._dates.get(key, []), as_of)
        if count == 0:
            return SlotState(country, slot, *_NOTHING)
        folded = self._folded.setdefault(key, [])
        if len(folded) < count:
            effects = self._effects[key]
            current = folded[-1] if folded else _NOTHING
            for effect in effects[len(folded) : count]:
                current = _fold(current, effect)
                folded.append(current)
        return SlotState(country, slot, *folded[count - 1])

    def positions(self, country: str, as_of: dt.date) -> dict[str, SlotState]:
        """Every slot the country has any history in, as of the date."""
        return {slot: self.state(country, slot, as_of) for (c, slot) in self._effects if c == country}

    def effects(self) -> list[PolicyEffect]:
        return [e for key in sorted(self._effects) for e in self._effects[key]]

    def snapshot(self) -> dict[str, Any]:
        """JSON-able form so the service can persist the picture between runs."""
        return {
            "version": SNAPSHOT_VERSION,
            "pair": list(self.pair),
            "effects": [e.to_dict() for e in self.effects()],
        }

    @classmethod
    def from_snapshot(cls, data: dict[str, Any]) -> PolicyPicture:
        if data.get("version") != SNAPSHOT_VERSION:
            raise ValueError(f"unsupported policy snapshot version {data.get('version')!r}")
        pair = tuple(data["pair"])
        if len(pair) != 2:
            raise ValueError("policy snapshot pair must name two countries")
        return cls((str(pair[0]), str(pair[1])), (PolicyEffect.from_dict(e) for e in data["effects"]))

    def copy(self) -> PolicyPicture:
        return PolicyPicture(self.pair, self.effects())


def load_baseline(path: Path = BASELINE_PATH) -> list[PolicyEffect]:
    """Read the shipped history into effects (the only I/O here, at start-up)."""
    with path.open(encoding="utf-8") as fh:
        raw = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506
    out: list[PolicyEffect] = []
    for entry in raw["entries"]:
        slot = str(entry["slot"])
        date = entry["date"]
        out.append(
            PolicyEffect(
                country=str(entry["country"]),
                domain=slot.split("/", 1)[0],
                slot=slot,
                action=str(entry["action"]),
                effective=date if isinstance(date, dt.date) else dt.date.fromisoformat(str(date)),
                source_id="baseline",
                note=str(entry.get("what", "")),
            )
        )
    return out
