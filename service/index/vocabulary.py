"""The slots positions are compared on, per domain, read from the classifier's vocabulary.

Pure once loaded. The index and the classifier must speak of the same slots (an effect
names ``domain/name``), so the index reads ``service/classify/data/slots.yml`` rather than
keeping its own list. ``data/positions.yml`` names the few slots that record activity
under existing rules rather than standing measures (enforcement, single deals); they are
left out of the comparison. ``matches`` says whose holding of another slot counts as
holding this one (Japan's country-agnostic chip-tool list is the same position as the US's
China-wide chip rules, slots.yml).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from service.classify.knowledge import load_knowledge
from service.classify.types import DOMAINS

POSITIONS_PATH = Path(__file__).parent / "data" / "positions.yml"
INDEX_DOMAINS: tuple[str, ...] = tuple(d for d in DOMAINS if d != "none")


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """Compared slots per domain, and for each slot the slots whose holder also holds it."""

    domains: tuple[str, ...]
    compared: dict[str, tuple[str, ...]]  # domain -> its non-neutral slots, sorted
    matches: dict[str, tuple[str, ...]]  # slot -> other slots that count as holding it
    domain_of: dict[str, str]  # slot -> domain (every slot, neutral ones too)

    def dependants(self, slot: str) -> tuple[str, ...]:
        """Compared slots whose holding depends on ``slot`` (itself and those matching it)."""
        return tuple(s for s in self.compared.get(self.domain_of.get(slot, ""), ())
                     if s == slot or slot in self.matches.get(s, ()))


@cache
def default_vocabulary() -> Vocabulary:
    """The shipped slot vocabulary (read once per process)."""
    slots = load_knowledge().slots
    excluded = set(yaml.safe_load(POSITIONS_PATH.read_text("utf-8"))["excluded"])
    unknown = excluded - set(slots)
    if unknown:
        raise ValueError(f"{POSITIONS_PATH.name} names unknown slots: {sorted(unknown)}")
    compared = {d: tuple(sorted(k for k, s in slots.items() if s.domain == d and k not in excluded))
                for d in INDEX_DOMAINS}
    matches = {k: tuple(f"{s.domain}/{m}" if "/" not in m else m for m in s.matches)
               for k, s in slots.items()}
    return Vocabulary(INDEX_DOMAINS, compared, matches, {k: s.domain for k, s in slots.items()})
