"""The pure index model: positions, momentum, band, and exact attribution."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from service.index.attribution import DayPoint, contributions
from service.index.draws import draw_worlds, percentile
from service.index.model import OVERALL, Point, compute
from service.index.vocabulary import default_vocabulary
from tests.index.factories import PAIR, event, params

VOCAB = default_vocabulary()
D0 = date(2020, 1, 1)
CHIPS = "export_controls/chip_equipment"
ADV = "export_controls/advanced_computing_china"


def final(run, domain: str = "export_controls") -> Point:
    return [p for p in run.points if p.domain == domain][-1]


def test_nothing_done_is_the_neutral_fifty():
    run = compute(params(), VOCAB, PAIR, [], D0 + timedelta(days=3))
    assert {p.value for p in run.points} == {50.0}
    assert [p.day for p in run.points if p.domain == OVERALL] == [D0 + timedelta(days=i) for i in range(4)]


def test_a_slot_held_by_one_country_is_a_disagreement_and_by_both_an_agreement():
    one = compute(params(share=1.0), VOCAB, PAIR, [event(1, D0, effects=(("US", CHIPS, "adopt"),))], D0)
    both = compute(params(share=1.0), VOCAB, PAIR, [
        event(1, D0, effects=(("US", CHIPS, "adopt"),)),
        event(2, D0, actor="JP", effects=(("JP", CHIPS, "adopt"),)),
    ], D0)
    assert (final(one).position, final(one).compared, final(one).agreeing) == (-1.0, 1, 0)
    assert (final(both).position, final(both).value) == (1.0, 100.0)


def test_an_announcement_is_not_a_position_and_a_removal_ends_one():
    announced = compute(params(), VOCAB, PAIR, [event(1, D0, effects=(("US", CHIPS, "announce"),))], D0)
    assert final(announced).compared == 0
    removed = compute(params(share=1.0), VOCAB, PAIR, [
        event(1, D0, effects=(("US", CHIPS, "adopt"),)),
        event(2, D0 + timedelta(days=1), effects=(("US", CHIPS, "remove"),)),
    ], D0 + timedelta(days=1))
    # Acted on, and now neither holds it: the two agree again.
    assert (final(removed).compared, final(removed).agreeing, final(removed).position) == (1, 1, 1.0)


def test_a_matching_slot_counts_as_holding():
    # Japan's country-agnostic tool list against the US's China-wide chip rules (slots.yml).
    run = compute(params(share=1.0), VOCAB, PAIR, [
        event(1, D0, effects=(("US", ADV, "adopt"),)),
        event(2, D0, actor="JP", effects=(("JP", CHIPS, "adopt"),)),
    ], D0)
    # chip_equipment: US holds it through ADV, JP directly -> agree; ADV: only US -> disagree.
    assert (final(run).compared, final(run).agreeing) == (2, 1)


def test_momentum_decays_by_half_each_half_life():
    run = compute(params(half_life=10.0), VOCAB, PAIR, [event(1, D0, stance="converging", actor="joint")],
                  D0 + timedelta(days=20))
    raw = {p.day: p.momentum_raw for p in run.points if p.domain == "export_controls"}
    assert raw[D0] == 1.0
    assert raw[D0 + timedelta(days=10)] == pytest.approx(0.5, rel=1e-12)
    assert raw[D0 + timedelta(days=20)] == pytest.approx(0.25, rel=1e-12)
    assert final(run).value > 50.0


def test_analysts_labels_carry_no_band_and_model_labels_do():
    analyst = compute(params(), VOCAB, PAIR, [event(1, D0, stance="diverging")], D0)
    model = compute(params(), VOCAB, PAIR, [event(1, D0, stance="diverging", analyst=False, confidence=0.6,
                                                  p_relevant=0.7, p_stance=0.6)], D0)
    a, m = final(analyst), final(model)
    assert a.low == a.value == a.high
    assert m.low < m.high
    overall = final(model, OVERALL)
    assert overall.low < overall.high


def test_draws_depend_on_the_event_not_on_arrival_order():
    one = draw_worlds("item:5", "converging", 0.6, 0.5, analyst=False, draws=200, seed=1)
    again = draw_worlds("item:5", "converging", 0.6, 0.5, analyst=False, draws=200, seed=1)
    other = draw_worlds("item:6", "converging", 0.6, 0.5, analyst=False, draws=200, seed=1)
    assert one == again and one != other
    kept = bin(one.relevant >> 1).count("1")
    assert 90 < kept < 150  # ~60% of 200 worlds
    assert one.relevant & 1 and one.converging & 1  # world 0 is the labels in force


def test_percentile_interpolates():
    assert percentile([0.0, 10.0], 50) == 5.0
    assert percentile(list(range(101)), 5) == 5.0


def test_jumps_and_decay_split_a_change_exactly():
    events = [
        event(1, D0 + timedelta(days=2), stance="converging", actor="joint",
              effects=(("US", CHIPS, "adopt"),)),
        event(2, D0 + timedelta(days=5), stance="diverging", domain="trade_policy",
              effects=(("US", "trade_policy/security_tariffs", "adopt"),)),
        event(3, D0 + timedelta(days=5), actor="JP", stance="converging", effects=(("JP", CHIPS, "adopt"),),
              analyst=False, confidence=0.7, p_relevant=0.8, p_stance=0.7),
        event(4, D0 + timedelta(days=9), stance="diverging", domain="trade_policy"),
    ]
    p = params(half_life=4.0)
    run = compute(p, VOCAB, PAIR, events, D0 + timedelta(days=20))
    series: dict[str, dict[date, DayPoint]] = {}
    for point in run.points:
        day_point = DayPoint(point.value, point.position, point.momentum_raw)
        series.setdefault(point.domain, {})[point.day] = day_point
    total = sum(w for _, w in p.domain_weights)
    share = {d: w / total for d, w in p.domain_weights}
    for start, end in [(D0, D0 + timedelta(days=20)), (D0 + timedelta(days=3), D0 + timedelta(days=7)),
                       (D0 + timedelta(days=6), D0 + timedelta(days=15))]:
        found = contributions(p, events, run.jumps, series, start, end, share)
        overall = {pt.day: pt.value for pt in run.points if pt.domain == OVERALL}
        assert sum(c.total for c in found) == pytest.approx(overall[end] - overall[start], abs=1e-9)
        assert overall[end] != overall[start]
