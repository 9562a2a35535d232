"""Deterministic resampling of an event's labels, for the index's uncertainty band. Pure.

The band is the 5th–95th percentile of the index over ``draws`` worlds in which each
model-labelled event keeps its relevance with the classifier's relevance confidence and
its stance with the stance confidence (else one of the other two stances). Draws are
seeded by the event's stable reference, never by arrival order, so a full recompute and
the incremental path draw the same worlds (the issue's exactness property). Analysts'
labels carry no label uncertainty: they hold in every draw.

World 0 is the labels in force (the published value); worlds 1..draws make the band. A
world's membership is a bit of a Python int, so applying an effect to every world at once
is two integer operations.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Sequence
from dataclasses import dataclass

PRECISION_BITS = 16
PRECISION = 1 << PRECISION_BITS
STANCE_SIGN = {"converging": 1, "diverging": -1, "neutral": 0}
OTHER_STANCES = {"converging": ("diverging", "neutral"), "diverging": ("converging", "neutral"),
                 "neutral": ("converging", "diverging")}


@dataclass(frozen=True, slots=True)
class WorldMasks:
    """Which worlds (bit k = world k) hold the event relevant, converging, diverging."""

    relevant: int
    converging: int
    diverging: int


def all_worlds(draws: int) -> int:
    return (1 << (draws + 1)) - 1


def bernoulli_mask(rng: random.Random, p: float, width: int) -> int:
    """``width`` independent bits, each set with probability ``p`` (to 2**-16).

    Reads p's binary digits from the least significant up: OR with fresh random bits for
    a 1, AND for a 0. Sixteen big-integer operations instead of a loop over worlds.
    """
    level = min(max(round(p * PRECISION), 0), PRECISION)
    if level == PRECISION:
        return (1 << width) - 1
    mask = 0
    for _ in range(PRECISION_BITS):
        bits = rng.getrandbits(width)
        mask = (mask | bits) if level & 1 else (mask & bits)
        level >>= 1
    return mask


@functools.lru_cache(maxsize=1 << 16)  # pure; a replay draws the same events again
def draw_worlds(ref: str, stance: str, p_relevant: float, p_stance: float, *,
                analyst: bool, draws: int, seed: int) -> WorldMasks:
    """The worlds in which the event is relevant, and its stance in each of them."""
    full = all_worlds(draws)
    sign = STANCE_SIGN[stance]
    if analyst:
        return WorldMasks(full, full if sign > 0 else 0, full if sign < 0 else 0)
    width = draws + 1
    rng = random.Random(f"{seed}:{ref}")
    relevant = bernoulli_mask(rng, p_relevant, width) | 1
    keep = bernoulli_mask(rng, p_stance, width) | 1
    second = rng.getrandbits(width) & ~1
    by_stance = {stance: keep, OTHER_STANCES[stance][0]: full & ~keep & ~second,
                 OTHER_STANCES[stance][1]: full & ~keep & second}
    return WorldMasks(relevant, by_stance["converging"] & relevant, by_stance["diverging"] & relevant)


def set_bits(mask: int) -> list[int]:
    """The indices of the set bits of ``mask``, lowest first."""
    text = bin(mask)[:1:-1]
    return [i for i, ch in enumerate(text) if ch == "1"]


@functools.lru_cache(maxsize=1 << 16)  # a replay applies the same events' masks again
def bit_indices(mask: int) -> tuple[int, ...]:
    """``set_bits`` of ``mask`` as a tuple, remembered."""
    return tuple(set_bits(mask))


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0–100) by linear interpolation between order statistics."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("percentile of no values")
    pos = (len(ordered) - 1) * q / 100.0
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)
