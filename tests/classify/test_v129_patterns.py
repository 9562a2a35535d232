"""Patterns added in rules-v1.29 (docs/classifier.md, "Change log v1.29").

Own wording; one general rule per case: a trip notice to a G7 meeting is routine; a
BIOSECURE-type bill is tech security and no ally following diverges; trilateral FTA talks
are trade policy; designating core-infrastructure operators is tech security; an economic
security action plan is industrial policy; setting fees on Chinese-built ships is a measure;
annual trade figures and meeting notices are routine; the Chinese military companies list is
tech security; a new specified critical product is administrative.
"""

import pytest

from tests.classify.factories import JP, US, assert_fields

CASES = [
    pytest.param(
        "Secretary to Travel to Rome for G7 Foreign Ministers' Meeting",
        "The Secretary will join G7 counterparts to discuss regional security, then continue to "
        "bilateral meetings.",
        {"source": "State Department press releases", **US, "date": "2024-11-20"},
        {"relevant": False},
        id="a_trip_notice_to_a_g7_meeting_is_routine",
    ),
    pytest.param(
        "Weighing the BIOSECURE Act",
        "The brief examines a bill barring federal contracts with firms using certain Chinese "
        "biotechnology providers, and notes no ally has proposed similar limits.",
        {"source": "CNAS", **US, "date": "2024-05-21"},
        {"domain": "tech_security", "stance": "diverging"},
        id="a_biosecure_bill_is_tech_security_and_no_ally_follows",
    ),
    pytest.param(
        "Reviving the Trilateral FTA Agenda",
        "The commentary argues Japan's renewed backing for FTA talks with China and Korea sits "
        "uneasily with US efforts to cut dependence on China.",
        {"source": "JIIA commentary", **JP, "date": "2024-06-11"},
        {"domain": "trade_policy"},
        id="trilateral_fta_talks_are_trade_policy",
    ),
    pytest.param(
        "一般港湾運送事業者の特定社会基盤事業者への指定",
        "経済安全保障推進法に基づき、港湾の事業者を特定社会基盤事業者として指定した。",
        {"source": "MLIT press releases (ja)", **JP, "date": "2024-10-15"},
        {"domain": "tech_security"},
        id="designating_core_infrastructure_operators_is_tech_security",
    ),
    pytest.param(
        "METI Publishes Economic Security Action Plan",
        "The plan lists steps to strengthen domestic production, protect technology and work with "
        "like-minded countries.",
        {"source": "METI news releases", **JP, "date": "2024-11-22"},
        {"domain": "industrial_policy"},
        id="an_economic_security_action_plan_is_industrial_policy",
    ),
    pytest.param(
        "USTR Sets Fees on Chinese-Built Ships",
        "Concluding the Section 301 probe, phased fees start in October.",
        {"source": "USTR press releases", **US, "date": "2025-04-17"},
        {"stance": "diverging"},
        id="setting_fees_on_chinese_ships_is_a_measure",
    ),
    pytest.param(
        "Customs Releases Full-Year Foreign Trade Figures",
        "Total goods trade reached a record, with exports of integrated circuits growing.",
        {"source": "GACC news", "country": "other", "date": "2025-01-13"},
        {"relevant": False},
        id="annual_trade_figures_are_routine",
    ),
    pytest.param(
        "DOD Releases Annual Update of Chinese Military Companies List",
        "Listed firms face limits on defence contracting.",
        {"source": "Department of Defense releases", **US, "date": "2025-01-07"},
        {"domain": "tech_security"},
        id="the_military_companies_list_update_is_tech_security",
    ),
    pytest.param(
        "Cabinet Order Adds a New Specified Critical Product",
        "An additional material is designated, opening subsidies to firms that expand domestic capacity.",
        {"source": "METI news releases", **JP, "date": "2026-06-09"},
        {"stance": "neutral"},
        id="a_new_specified_critical_product_is_administrative",
    ),
    pytest.param(
        "Notice of Meeting: Customs and Tariff Council Subcommittee",
        "The subcommittee will discuss recent developments; observers must register in advance.",
        {"source": "MOF press releases", **JP, "date": "2026-09-15"},
        {"relevant": False},
        id="a_meeting_notice_is_routine",
    ),
]


@pytest.mark.parametrize(("title", "summary", "kw", "expected"), CASES)
def test_pattern(title, summary, kw, expected):
    assert_fields(title, summary, kw, expected)
