"""Patterns added in rules-v1.14 (docs/classifier.md, "Change log v1.14").

Own wording; one general rule per case: a title opening with both of the pair among others
is about the pair, "would forbid" makes an advance notice specific, a subsidy decided for
one firm is administrative, Japan providing equipment to the US converges, a halt that
covers "a group that includes Japan" diverges, a clearance bill is tech security, connected
cars in Japanese are tech security, asking that Japan be excluded is an objection, and
white papers are routine.
"""

import pytest

from tests.classify.factories import JP, US, assert_fields

CASES = [
    pytest.param(
        "Japan-Australia-United States Leaders' Joint Vision Statement",
        "At their trilateral summit the leaders agree to work together on critical minerals and ports.",
        {"source": "MOFA press releases", **JP, "date": "2025-09-01"},
        {"actor": "joint", "stance": "converging"},
        id="a_title_opening_with_both_is_about_the_pair",
    ),
    pytest.param(
        "Treasury Seeks Public Input on an Outbound Investment Programme",
        "An advance notice outlines rules that would forbid some investments in Chinese AI firms.",
        {"source": "Treasury press releases", **US, "date": "2023-08-09"},
        {"actor": "US", "stance": "diverging", "targets_china": True},
        id="would_forbid_makes_an_advance_notice_specific",
    ),
    pytest.param(
        "Subsidy Decided for Kioxia's Memory Production in Kitakami",
        "METI approves up to 150 billion yen for the company's plan at its Iwate plant.",
        {"source": "METI news releases", **JP, "date": "2024-02-06"},
        {"actor": "JP", "domain": "industrial_policy", "stance": "neutral"},
        id="a_subsidy_decided_for_one_firm_is_administrative",
    ),
    pytest.param(
        "防衛装備移転三原則の運用指針の改正について",
        "共同開発品の部品について米国への移転を認めることとした。",
        {"source": "MOD press releases (ja)", **JP, "date": "2024-05-01"},
        {"actor": "JP", "stance": "converging"},
        id="japan_transferring_equipment_to_the_us_converges",
    ),
    pytest.param(
        "DOE Pauses Approvals of Liquefied Natural Gas Exports",
        "New approvals for exports to countries without a free trade agreement, a group that "
        "includes Japan, stop while the analysis is redone.",
        {"source": "DOE news", **US, "date": "2024-01-26"},
        {"actor": "US", "domain": "supply_chain", "stance": "diverging"},
        id="a_halt_covering_a_group_that_includes_japan_diverges",
    ),
    pytest.param(
        "Japan's Clearance Bill and Allied Technology Sharing",
        "The commentary judges the vetting system would bring Japan closer to US practice.",
        {"source": "Carnegie Endowment commentary", **US, "date": "2024-03-01"},
        {"actor": "JP", "domain": "tech_security", "stance": "converging"},
        id="a_clearance_bill_is_tech_security",
    ),
    pytest.param(
        "米商務省、コネクテッドカーの規則案を公表",
        "中国に関係する事業者が設計した車載通信ソフトを搭載した車両の販売を禁じる規則案を発表した。",
        {"source": "JETRO business news (ja)", **JP, "date": "2024-09-24"},
        {"relevant": True, "actor": "US", "domain": "tech_security"},
        id="connected_cars_in_japanese_are_tech_security",
    ),
    pytest.param(
        "Minister Visits Washington",
        "In talks with the Commerce Secretary, the minister asks that Japan be excluded from "
        "the new tariffs.",
        {"source": "METI news releases", **JP, "date": "2025-03-11"},
        {"actor": "JP", "stance": "diverging"},
        id="asking_that_japan_be_excluded_is_an_objection",
    ),
    pytest.param(
        "令和７年版情報通信白書の公表",
        "生成ＡＩの利用動向を特集した白書を公表した。",
        {"source": "MIC press releases (ja)", **JP, "date": "2025-07-08"},
        {"relevant": False},
        id="white_papers_are_routine",
    ),
]


@pytest.mark.parametrize(("title", "summary", "kw", "expected"), CASES)
def test_pattern(title, summary, kw, expected):
    assert_fields(title, summary, kw, expected)
