"""Stance against the counterpart's policy picture at the item's date."""

import datetime as dt

from service.classify import PolicyEffect, PolicyPicture, classify_stream
from tests.classify.factories import CLASSIFIER, baseline, item

JP_CHIP_LIST = item(
    "Chip-Making Equipment Added to Export Licensing List",
    "METI adds 23 items of semiconductor manufacturing equipment to the controlled list;"
    " the rule names no country.",
    date="2023-07-23",
)


def test_same_item_flips_with_the_counterparts_picture():
    with_us_rules = CLASSIFIER.classify(JP_CHIP_LIST, baseline())
    without = CLASSIFIER.classify(JP_CHIP_LIST, PolicyPicture(("US", "JP")))
    assert with_us_rules.labels.stance == "converging"
    assert without.labels.stance == "neutral"
    stance_evidence = " ".join(e.detail for e in with_us_rules.evidence if e.field == "stance")
    assert (
        "export_controls/" in stance_evidence and "US " in stance_evidence and "2022-10-07" in stance_evidence
    )


def test_picture_is_read_at_the_items_date_not_today():
    early = item(JP_CHIP_LIST.title, JP_CHIP_LIST.summary, date="2021-06-01")
    assert CLASSIFIER.classify(early, baseline()).labels.stance == "neutral"


def test_us_step_beyond_japans_scope_diverges_but_converges_once_japan_has_it():
    us_rule = item(
        "Commerce Bars Chinese Software in Connected Vehicles",
        "A final rule prohibits vehicle software and hardware from China in connected cars.",
        source="Commerce Department news",
        country="US",
        date="2026-05-01",
    )
    assert CLASSIFIER.classify(us_rule, baseline()).labels.stance == "diverging"
    picture = baseline()
    picture.apply(
        PolicyEffect("JP", "tech_security", "tech_security/connected_vehicles", "adopt", dt.date(2026, 1, 5))
    )
    result = CLASSIFIER.classify(us_rule, picture)
    assert result.labels.stance == "converging"
    assert any("tech_security/connected_vehicles" in e.detail for e in result.evidence if e.field == "stance")


def test_converging_item_that_uses_the_word_restrict():
    got = CLASSIFIER.classify(
        item(
            "Japan Restricts Exports of Luxury Goods to Russia",
            "The ban takes effect next month in line with steps by other G7 members.",
            date="2022-03-25",
        ),
        baseline(),
    ).labels
    assert (got.actor, got.domain, got.stance) == ("JP", "export_controls", "converging")


def test_tariff_that_hits_the_counterpart_diverges():
    got = CLASSIFIER.classify(
        item(
            "Proclamation Raises Tariffs on Imported Automobiles",
            "An additional 25 percent duty applies to cars from all countries, including Japan.",
            source="White House briefing room",
            country="US",
            date="2025-03-26",
        ),
        baseline(),
    ).labels
    assert (got.actor, got.domain, got.stance) == ("US", "trade_policy", "diverging")


def test_blocking_a_counterpart_firm_diverges_and_clearing_it_converges():
    block = item(
        "President Blocks Acquisition of U.S. Steel by Nippon Steel",
        "The order cites a CFIUS review.",
        source="White House briefing room",
        country="US",
        date="2025-01-03",
    )
    clear = item(
        "Nippon Steel Purchase Cleared With a Golden Share",
        "The deal is allowed under a national security agreement.",
        source="Treasury press releases",
        country="US",
        date="2025-06-13",
    )
    assert CLASSIFIER.classify(block, baseline()).labels.stance == "diverging"
    assert CLASSIFIER.classify(clear, baseline()).labels.stance == "converging"


def test_joint_act_converges_and_third_country_alone_is_neutral():
    joint = CLASSIFIER.classify(
        item(
            "Japan-U.S. Joint Statement on Economic Security",
            "The two governments agree to coordinate on export controls.",
            source="MOFA press releases",
        ),
        baseline(),
    ).labels
    other = CLASSIFIER.classify(
        item(
            "Netherlands Expands Licensing of Lithography Tools",
            "The Dutch government will license more DUV systems.",
            source="Government of the Netherlands news",
            country="other",
        ),
        baseline(),
    ).labels
    assert (joint.actor, joint.stance) == ("joint", "converging")
    assert (other.actor, other.stance) == ("other", "neutral")


def test_stream_applies_earlier_effects_to_later_items_whatever_the_input_order():
    later_us = item(
        "Commerce Extends Connected Vehicle Rule to Trucks",
        "The rule bars software and hardware from China and Russia in connected heavy trucks.",
        source="BIS press releases",
        country="US",
        date="2026-04-01",
        id="b",
    )
    earlier_jp = item(
        "Japan Restricts Chinese Software in Connected Vehicles",
        "A cabinet order bars connected cars from using vehicle software from Chinese suppliers.",
        date="2026-03-02",
        id="a",
    )
    out = classify_stream([later_us, earlier_jp])
    assert [it.id for it, _ in out] == ["a", "b"]
    assert out[0][1].effects[0].slot == "tech_security/connected_vehicles"
    assert out[1][1].labels.stance == "converging"
    alone = classify_stream([later_us])
    assert alone[0][1].labels.stance == "diverging"
