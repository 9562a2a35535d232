"""Patterns added in rules-v1.19 (docs/classifier.md, "Change log v1.19").

Own wording; one general rule per case: a G7 statement is cooperation unless it names an
action plan, a memorandum of cooperation is cooperation, Japan's End User List is its
catch-all regime (a revision is routine), procedural windows under a standing tariff are
neutral, a renewed denial order is routine, "by China" names the
actor in a Japanese feed, "e-commerce" is no Commerce Department, "not by the United
States" diverges, allies left behind diverge, rare-earth rules and entity listings are
export controls, the secret-patent system in English is tech security, a two-cue term at
one spot keeps its stronger weight (Section 232 in the title is trade policy), and
"active-duty", the industrial production index and year-on-year trade figures are routine.
"""

import pytest

from tests.classify.factories import JP, US, assert_fields

CASES = [
    pytest.param(
        "G7 Leaders' Statement on Critical Minerals and Economic Resilience",
        "Leaders agree to coordinate responses to export restrictions and to build joint "
        "stockpiles of critical minerals.",
        {"source": "MOFA press releases", **JP, "date": "2026-06-16"},
        {"actor": "joint", "domain": "cooperation"},
        id="a_g7_statement_is_cooperation",
    ),
    pytest.param(
        "Japan-U.S. Memorandum of Cooperation on Shipbuilding and Repair",
        "The two governments agree to expand shipbuilding capacity and train workers.",
        {"source": "MLIT press releases", **JP, "date": "2025-10-28"},
        {"actor": "joint", "domain": "cooperation"},
        id="a_memorandum_of_cooperation_is_cooperation",
    ),
    pytest.param(
        "Revision of the End User List",
        "METI updates the list of foreign end users of concern, adding entities in China and Iran.",
        {"source": "METI news releases", **JP, "date": "2025-02-01"},
        {"actor": "JP", "stance": "neutral"},
        id="an_end_user_list_revision_is_routine",
    ),
    pytest.param(
        "Process Opens for Inclusion Requests Under the Steel Tariffs",
        "Domestic producers may ask for more derivative products to be covered during the "
        "exclusion process window.",
        {"source": "Federal Register: Industry and Security Bureau", **US, "date": "2025-05-01"},
        {"actor": "US", "stance": "neutral"},
        id="a_procedural_window_is_neutral",
    ),
    pytest.param(
        "Order Renewing Order Temporarily Denying Export Privileges: A Russian Cargo Airline",
        "The denial order is renewed for 180 days because the carrier kept flying US-origin "
        "aircraft into Russia.",
        {"source": "Federal Register: Industry and Security Bureau", **US, "date": "2024-03-01"},
        {"actor": "US", "stance": "neutral"},
        id="a_renewed_denial_order_is_routine",
    ),
    pytest.param(
        "中国による日本産牛肉の輸入停止について（外務報道官談話）",
        "中国政府が日本産牛肉の輸入を停止したことについて、日本政府は撤廃を求めた。",
        {"source": "MOFA press releases (ja)", **JP, "date": "2024-01-10"},
        {"actor": "other", "targets_china": False},
        id="by_china_names_the_actor",
    ),
    pytest.param(
        "Co-Convenors' Statement on the WTO E-Commerce Talks",
        "Japan, Australia and Singapore announce a stabilised text, supported by most members "
        "but not by the United States.",
        {"source": "METI news releases", **JP, "date": "2024-07-26"},
        {"actor": "JP", "stance": "diverging"},
        id="e_commerce_is_no_commerce_department",
    ),
    pytest.param(
        "Washington's Servicing Ban Leaves Allies Behind",
        "US rules stop American firms servicing tools in Chinese fabs, but other suppliers face "
        "no matching limits, so the gap between allied controls is widening rather than closing.",
        {"source": "CSIS analysis", **US, "date": "2024-06-05"},
        {"actor": "US", "stance": "diverging"},
        id="allies_left_behind_diverges",
    ),
    pytest.param(
        "Beijing's Rare Earth Rules Tighten Again",
        "The analysis reviews China's licensing of rare-earth technologies and magnets.",
        {"source": "CSIS analysis", **US, "date": "2025-10-12"},
        {"actor": "other", "domain": "export_controls"},
        id="rare_earth_rules_are_export_controls",
    ),
    pytest.param(
        "Patent Application Non-Disclosure System: First Year in Review",
        "The office reports how many applications on sensitive technologies were screened.",
        {"source": "Japan Patent Office news", **JP, "date": "2025-05-01"},
        {"actor": "JP", "domain": "tech_security"},
        id="the_non_disclosure_system_is_tech_security",
    ),
    pytest.param(
        "Comments Requested on Section 232 Investigation of Critical Mineral Imports",
        "BIS asks about reliance on foreign processing of critical minerals and magnets.",
        {"source": "Federal Register: Industry and Security Bureau", **US, "date": "2025-04-25"},
        {"actor": "US", "domain": "trade_policy"},
        id="section_232_in_the_title_is_trade_policy",
    ),
    pytest.param(
        "Survey Finds Active-Duty Families Struggle With Food Costs",
        "Researchers recommend better outreach on existing benefits for military households.",
        {"source": "RAND press", **US, "date": "2025-02-20"},
        {"relevant": False},
        id="active_duty_is_no_duty",
    ),
    pytest.param(
        "鉱工業指数（2025年8月分速報）",
        "生産は前月比で上昇し、電子部品・デバイス工業や情報通信機械工業が寄与した。",
        {"source": "METI news releases (ja)", **JP, "date": "2025-09-30"},
        {"relevant": False},
        id="the_industrial_production_index_is_routine",
    ),
]


@pytest.mark.parametrize(("title", "summary", "kw", "expected"), CASES)
def test_pattern(title, summary, kw, expected):
    assert_fields(title, summary, kw, expected)
