"""Patterns added in rules-v1.28 (docs/classifier.md, "Change log v1.28").

Own wording; one general rule per case: an economic policy consultative committee ranging
over fields is cooperation; DOE battery manufacturing awards and foreign-entity-of-concern
credit rules are industrial policy (the latter diverging); setting Washington against the
rules-based system diverges; an action announced in a Section 301 probe is a measure; losing
access to exemptions is a restriction; a third state's rule and the pair's affected firms is
that state acting; continuing a national emergency is periodic; sanctions on foreign banks
diverge; a 'subsidy of up to' for one fab is administrative; narrowing a long-standing gap
converges; a leaders' declaration ranging over fields is cooperation; Japan-China-Korea
ministers advancing the FTA is trade policy; a rule naming China among countries of concern
targets China and becoming effective is neutral; the Common High Priority List is joint
export controls.
"""

import pytest

from tests.classify.factories import JP, US, assert_fields

CASES = [
    pytest.param(
        "Third Meeting of the U.S.-Japan Economic Policy Consultative Committee",
        "The secretaries and their Japanese counterparts commit to work on emerging technologies, "
        "resilient supply chains, energy security and export controls.",
        {"source": "State Department press releases", **US, "date": "2025-11-14"},
        {"domain": "cooperation"},
        id="an_economic_policy_consultative_committee_is_cooperation",
    ),
    pytest.param(
        "$2 Billion Awarded to Battery Materials and Manufacturing Projects",
        "The selections back domestic production of battery-grade cathode materials and recycling.",
        {"source": "DOE news", **US, "date": "2025-01-10"},
        {"domain": "industrial_policy"},
        id="doe_battery_manufacturing_awards_are_industrial_policy",
    ),
    pytest.param(
        "Treasury Proposes Foreign Entity of Concern Rules for the Clean Vehicle Credit",
        "Vehicles with battery parts from entities controlled by covered nations would lose the credit.",
        {"source": "Treasury press releases", **US, "date": "2023-12-01"},
        {"domain": "industrial_policy", "stance": "diverging"},
        id="feoc_guidance_is_industrial_policy_and_diverges",
    ),
    pytest.param(
        "The 24 Percent Question",
        "The authors argue the duties set Washington against the rules-based trading system Tokyo champions.",
        {"source": "PIIE", **US, "date": "2025-04-08"},
        {"stance": "diverging"},
        id="against_the_rules_based_system_diverges",
    ),
    pytest.param(
        "Action Announced in Section 301 Investigation of China's Semiconductor Targeting",
        "Tariffs will apply to Chinese chips from next year.",
        {"source": "USTR press releases", **US, "date": "2025-12-23"},
        {"stance": "diverging"},
        id="an_action_announced_in_a_301_probe_is_a_measure",
    ),
    pytest.param(
        "Inward Investment Rules Under FEFTA Amended",
        "Investors bound to assist foreign intelligence lose access to exemptions from prior notification.",
        {"source": "MOF press releases", **JP, "date": "2025-04-25"},
        {"stance": "converging"},
        id="losing_access_to_exemptions_is_a_restriction",
    ),
    pytest.param(
        "Beijing's Rare-Earth Licensing and Japanese Carmakers",
        "The commentary maps the exposure of magnet users to China's new licence rule.",
        {"source": "Institute of Geoeconomics", **JP, "date": "2025-10-20"},
        {"actor": "other", "targets_china": False},
        id="a_third_states_rule_and_affected_firms_is_that_state_acting",
    ),
    pytest.param(
        "Notice Continuing the National Emergency on Securing ICT Supply Chains",
        "The emergency declared in 2019 is extended for one more year.",
        {"source": "White House news", **US, "date": "2025-05-12"},
        {"stance": "neutral"},
        id="continuing_a_national_emergency_is_periodic",
    ),
    pytest.param(
        "Executive Order Authorises Sanctions on Foreign Banks Serving Russia's Defence Sector",
        "Treasury may sanction foreign financial institutions anywhere that facilitate such transactions.",
        {"source": "Treasury press releases", **US, "date": "2023-12-22"},
        {"stance": "diverging"},
        id="sanctions_on_foreign_banks_diverge",
    ),
    pytest.param(
        "Subsidy of up to 250 Billion Yen Approved for a Memory Fab",
        "The certified plan covers next-generation DRAM production in Hiroshima.",
        {"source": "METI news releases", **JP, "date": "2024-04-01"},
        {"stance": "neutral"},
        id="a_subsidy_of_up_to_for_one_fab_is_administrative",
    ),
    pytest.param(
        "Japan's Clearance System and Allied Projects",
        "The commentary finds that the clearance system narrows a long-standing gap with US practice "
        "and should ease Japanese firms' access to allied projects.",
        {"source": "Sasakawa Peace Foundation", **JP, "date": "2024-06-12"},
        {"stance": "converging"},
        id="narrowing_a_long_standing_gap_converges",
    ),
    pytest.param(
        "Quad Leaders' Declaration",
        "Quad leaders expand work on semiconductor supply chains, critical minerals, clean energy and "
        "undersea cables.",
        {"source": "State Department press releases", **US, "date": "2024-09-21"},
        {"domain": "cooperation"},
        id="a_leaders_declaration_ranging_over_fields_is_cooperation",
    ),
    pytest.param(
        "第14回日中韓経済貿易大臣会合の開催結果",
        "三か国はサプライチェーン協力や輸出管理に関する対話の継続を確認し、日中韓FTA交渉の推進で一致した。",
        {"source": "METI news releases (ja)", **JP, "date": "2026-05-10"},
        {"domain": "trade_policy"},
        id="japan_china_korea_ministers_advancing_the_fta_is_trade_policy",
    ),
    pytest.param(
        "Bulk Data Rule Becomes Effective",
        "Limits on bulk sensitive data transactions with China, Russia and other countries of concern "
        "now apply.",
        {"source": "DOJ National Security Division", **US, "date": "2025-04-08"},
        {"targets_china": True, "stance": "neutral"},
        id="a_rule_naming_china_among_countries_of_concern_targets_china",
    ),
    pytest.param(
        "Update of the Common High Priority List Shared With the United States, EU and UK",
        "Japan and its partners add machine-tool parts used in Russian weapons to the jointly kept list.",
        {"source": "METI news releases", **JP, "date": "2026-09-15"},
        {"relevant": True, "actor": "joint", "domain": "export_controls"},
        id="the_common_high_priority_list_is_joint_export_controls",
    ),
]


@pytest.mark.parametrize(("title", "summary", "kw", "expected"), CASES)
def test_pattern(title, summary, kw, expected):
    assert_fields(title, summary, kw, expected)
