"""Small factories for index tests: parameters and events of the pure model."""

from __future__ import annotations

from datetime import date

from service.index.model import Effect, Event, Params
from service.index.vocabulary import INDEX_DOMAINS

PAIR = ("US", "JP")


def params(*, start: date = date(2020, 1, 1), half_life: float = 30.0, draws: int = 32,
           weights: dict[str, float] | None = None, share: float = 0.6) -> Params:
    w = weights or {}
    return Params(start=start, half_life_days=half_life, position_share=share, momentum_scale=2.0,
                  weight_joint=1.0, weight_unilateral=0.5,
                  domain_weights=tuple((d, w.get(d, 1.0)) for d in INDEX_DOMAINS), draws=draws, seed=7)


def event(seq: int, day: date, *, domain: str = "export_controls", actor: str = "US",
          stance: str = "neutral", effects: tuple[tuple[str, str, str], ...] = (), analyst: bool = True,
          confidence: float = 1.0, p_relevant: float = 1.0, p_stance: float = 1.0) -> Event:
    return Event(seq=seq, ref=f"item:{seq}", day=day, domain=domain, actor=actor, stance=stance,
                 confidence=confidence, p_relevant=p_relevant, p_stance=p_stance, analyst=analyst,
                 effects=tuple(Effect(c, s, a) for c, s, a in effects))
