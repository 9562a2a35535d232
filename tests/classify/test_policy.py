import datetime as dt
import json

import pytest

from service.classify import PolicyEffect, PolicyPicture

D = dt.date


def eff(country, slot, action, date):
    return PolicyEffect(country, slot.split("/")[0], slot, action, date, note=f"{action} {date}")


def test_state_follows_effects_up_to_the_date_asked():
    p = PolicyPicture(
        ("US", "JP"),
        [
            eff("US", "trade_policy/cptpp", "adopt", D(2016, 2, 4)),
            eff("US", "trade_policy/cptpp", "remove", D(2017, 1, 23)),
        ],
    )
    assert p.state("US", "trade_policy/cptpp", D(2016, 12, 31)).in_force
    assert p.state("US", "trade_policy/cptpp", D(2016, 12, 31)).since == D(2016, 2, 4)
    assert not p.state("US", "trade_policy/cptpp", D(2017, 1, 23)).in_force
    assert p.state("US", "trade_policy/cptpp", D(2015, 1, 1)).last_action is None


def test_out_of_order_effects_are_sorted_by_date():
    p = PolicyPicture(("US", "JP"))
    p.apply(eff("JP", "export_controls/chip_equipment", "remove", D(2030, 1, 1)))
    p.apply(eff("JP", "export_controls/chip_equipment", "adopt", D(2023, 7, 23)))
    assert p.state("JP", "export_controls/chip_equipment", D(2024, 1, 1)).in_force
    assert not p.state("JP", "export_controls/chip_equipment", D(2030, 1, 2)).in_force


def test_announce_does_not_put_a_slot_in_force_and_ease_keeps_it():
    p = PolicyPicture(
        ("US", "JP"), [eff("US", "investment_screening/outbound_investment", "announce", D(2023, 8, 9))]
    )
    assert not p.state("US", "investment_screening/outbound_investment", D(2024, 1, 1)).in_force
    p.apply(eff("US", "trade_policy/security_tariffs", "adopt", D(2018, 3, 23)))
    p.apply(eff("US", "trade_policy/security_tariffs", "ease", D(2022, 4, 1)))
    assert p.state("US", "trade_policy/security_tariffs", D(2023, 1, 1)).in_force


def test_countries_outside_the_pair_and_unknown_actions():
    p = PolicyPicture(("US", "JP"))
    p.apply(eff("CN", "export_controls/chip_equipment", "adopt", D(2023, 1, 1)))
    assert p.positions("CN", D(2024, 1, 1)) == {}
    with pytest.raises(ValueError, match="unknown action"):
        p.apply(eff("US", "export_controls/chip_equipment", "ban", D(2023, 1, 1)))


def test_snapshot_round_trips_through_json():
    p = PolicyPicture.from_baseline(("US", "JP"))
    restored = PolicyPicture.from_snapshot(json.loads(json.dumps(p.snapshot())))
    assert restored.effects() == p.effects()
    assert restored.pair == ("US", "JP")
    with pytest.raises(ValueError):
        PolicyPicture.from_snapshot({"version": 99, "pair": ["US", "JP"], "effects": []})


def test_baseline_cutoff_drops_later_history():
    full = PolicyPicture.from_baseline()
    cut = PolicyPicture.from_baseline(cutoff=D(2022, 7, 1))
    assert full.state("US", "export_controls/advanced_computing_china", D(2023, 1, 1)).in_force
    assert not cut.state("US", "export_controls/advanced_computing_china", D(2023, 1, 1)).in_force


def test_baseline_slots_are_in_the_closed_vocabulary():
    from service.classify.knowledge import load_knowledge

    slots = load_knowledge().slots
    unknown = {e.slot for e in PolicyPicture.from_baseline().effects()} - set(slots)
    assert unknown == set()


def test_removing_an_effect_restores_the_earlier_position_even_after_it_was_read():
    slot = "export_controls/chip_equipment"
    adopt, remove = eff("JP", slot, "adopt", D(2023, 7, 23)), eff("JP", slot, "remove", D(2024, 1, 1))
    p = PolicyPicture(("US", "JP"), [adopt, remove])
    assert not p.state("JP", slot, D(2025, 1, 1)).in_force  # folds the slot's history
    assert p.remove(remove)
    assert p.state("JP", slot, D(2025, 1, 1)).in_force
    assert p.state("JP", slot, D(2025, 1, 1)).since == D(2023, 7, 23)
    assert not p.remove(remove)  # already gone
    assert not p.remove(eff("JP", slot, "adopt", D(2023, 7, 24)))  # never there
    assert p.effects() == [adopt]
