"""Patterns added in rules-v1.31 (docs/classifier.md, "Change log v1.31").

Own wording; one general rule per case: a complete suspension of imports is trade policy; a
renewed temporary denial order and a subsidy decision for one fab are administrative;
abolishing country exemptions (適用除外を廃止) tightens; essential-infrastructure rules are tech
security; a leaders' call voicing strong concern and asking for a review diverges; an order
putting the pair's deal into effect is the US acting; a trade fair is routine; adopting
practice familiar in Washington converges.
"""

import pytest

from tests.classify.factories import JP, US, assert_fields

CASES = [
    pytest.param(
        "Announcement on the Complete Suspension of Imports of Japanese Beef",
        "Customs halts the imports from today on food-safety grounds.",
        {"source": "GACC announcements", "country": "other", "date": "2024-02-01"},
        {"relevant": True, "domain": "trade_policy"},
        id="a_complete_suspension_of_imports_is_trade_policy",
    ),
    pytest.param(
        "Renewal of Temporary Denial Order: A Cargo Airline",
        "BIS extends for another 180 days its order against the carrier flying US-origin aircraft to Russia.",
        {"source": "Federal Register: Industry and Security Bureau", **US, "date": "2024-03-04"},
        {"stance": "neutral"},
        id="a_renewed_temporary_denial_order_is_administrative",
    ),
    pytest.param(
        "Subsidy Decision for a Memory Maker's Hiroshima Fab",
        "The ministry will provide up to 150 billion yen toward next-generation DRAM production.",
        {"source": "METI news releases", **JP, "date": "2024-04-01"},
        {"stance": "neutral"},
        id="a_subsidy_decision_for_one_fab_is_administrative",
    ),
    pytest.param(
        "米大統領、鉄鋼追加関税の国別適用除外を廃止する布告に署名",
        "日本を含む各国に認めてきた適用除外を打ち切り、派生品の対象も広げる。",
        {"source": "JETRO business news (ja)", **JP, "date": "2025-02-12"},
        {"stance": "diverging"},
        id="abolishing_country_exemptions_tightens",
    ),
    pytest.param(
        "Ministerial Ordinance for Airports Under the Essential Infrastructure System",
        "Operators must notify the minister before installing critical systems.",
        {"source": "MLIT press releases", **JP, "date": "2025-03-21"},
        {"domain": "tech_security"},
        id="essential_infrastructure_rules_are_tech_security",
    ),
    pytest.param(
        "日米首脳電話会談",
        "総理は大統領に関税措置への強い懸念を伝え、見直しを求めた。両首脳は協議を続けることで一致した。",
        {"source": "Kantei news (ja)", **JP, "date": "2025-04-07"},
        {"actor": "JP", "stance": "diverging"},
        id="a_leaders_call_voicing_strong_concern_diverges",
    ),
    pytest.param(
        "President Signs Order Putting the U.S.-Japan Trade Deal Into Effect",
        "Japanese goods face an all-inclusive 15 percent tariff.",
        {"source": "White House news", **US, "date": "2025-09-04"},
        {"actor": "US"},
        id="an_order_putting_the_deal_into_effect_is_the_us_acting",
    ),
    pytest.param(
        "Ministry Opens Annual Trade Fair for Small Businesses",
        "Regional enterprises show processed food and handicrafts.",
        {"source": "Philippine DTI news", "country": "other", "date": "2025-12-03"},
        {"relevant": False},
        id="a_trade_fair_is_routine",
    ),
    pytest.param(
        "Japan's Clearance Law and the Alliance",
        "With the vetting system approved, the author sees Japan adopting practice familiar in Washington.",
        {"source": "Carnegie Endowment", **US, "date": "2024-05-21"},
        {"stance": "converging"},
        id="adopting_washington_practice_converges",
    ),
]


@pytest.mark.parametrize(("title", "summary", "kw", "expected"), CASES)
def test_pattern(title, summary, kw, expected):
    assert_fields(title, summary, kw, expected)
