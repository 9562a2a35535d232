"""Patterns added in rules-v1.20 (docs/classifier.md, "Change log v1.20").

Own wording; one general rule per case: remarks titled after a third state's measure make
that state the actor (and so put no effect of the feed's own state in the picture), a deal
allowed to close after mitigation clears the counterpart's firm, restoring the full duty and
ending country arrangements tightens, IPEF's clean- and fair-economy pillars are trade
policy, the G7 coordination platform is cooperation, government information-security
standards are tech security, outbound investment in Japanese is investment screening,
"products of Japan" are the target, and an investor advisory committee is routine.
"""

import pytest

from tests.classify.factories import JP, US, assert_fields

CASES = [
    pytest.param(
        "Press Conference by Minister Saito: China's Export Controls on Graphite",
        "Asked about China's licences for graphite exports, the minister said Japan would "
        "study the effect on battery makers.",
        {"source": "METI news releases", **JP, "date": "2023-10-24"},
        {"actor": "other", "stance": "neutral", "targets_china": False},
        id="remarks_on_a_third_states_measure",
    ),
    pytest.param(
        "Regarding the Proposed Acquisition of a Steelmaker by Nippon Steel",
        "The President finds the risks can be mitigated and lets it close once a national "
        "security agreement is signed.",
        {"source": "White House briefing room", **US, "date": "2025-06-13"},
        {"actor": "US", "stance": "converging"},
        id="a_deal_allowed_to_close_clears_the_counterparts_firm",
    ),
    pytest.param(
        "Adjusting Imports of Aluminum into the United States",
        "The proclamation restores the full tariff and terminates country arrangements and "
        "quotas, including Japan's.",
        {"source": "White House briefing room", **US, "date": "2025-02-10"},
        {"actor": "US", "stance": "diverging"},
        id="restoring_the_full_duty_tightens",
    ),
    pytest.param(
        "IPEF Partners Sign Clean Economy and Fair Economy Agreements",
        "The fourteen partners, including the United States and Japan, sign two pillar "
        "agreements after the supply-chain agreement entered into force.",
        {"source": "METI news releases", **JP, "date": "2024-06-06"},
        {"actor": "joint", "domain": "trade_policy"},
        id="ipef_clean_and_fair_economy_pillars_are_trade_policy",
    ),
    pytest.param(
        "Two Years of the G7 Coordination Platform on Economic Coercion",
        "The brief reviews how members share information on coercive trade measures.",
        {"source": "JIIA commentary", **JP, "date": "2025-05-20"},
        {"domain": "cooperation"},
        id="the_g7_coordination_platform_is_cooperation",
    ),
    pytest.param(
        "Revised Information Security Standards for Ministries",
        "The standards tighten rules on cloud services and supply-chain risk in procured IT.",
        {"source": "NISC news", **JP, "date": "2025-07-10"},
        {"actor": "JP", "domain": "tech_security"},
        id="information_security_standards_are_tech_security",
    ),
    pytest.param(
        "欧州委員会、域外への投資に関する審査の検討を開始",
        "欧州委員会は半導体やＡＩ分野の域外への投資のリスクを評価するよう加盟国に求めた。",
        {"source": "JETRO business news (ja)", **JP, "date": "2025-01-20"},
        {"relevant": True, "actor": "other", "domain": "investment_screening"},
        id="outbound_investment_in_japanese_is_investment_screening",
    ),
    pytest.param(
        "CSMS: Modified Duty Rates for Products of Japan",
        "Filers are told how to claim the agreed rate on goods entered since August and how to "
        "request refunds.",
        {"source": "CBP newsroom", **US, "date": "2025-09-16"},
        {"actor": "US"},
        id="products_of_japan_are_the_target",
    ),
    pytest.param(
        "Agenda Announced for the Investor Advisory Committee Meeting",
        "Panels will discuss retail investors and disclosure.",
        {"source": "SEC press releases", **US, "date": "2026-03-01"},
        {"relevant": False},
        id="an_investor_advisory_committee_is_routine",
    ),
]


@pytest.mark.parametrize(("title", "summary", "kw", "expected"), CASES)
def test_pattern(title, summary, kw, expected):
    assert_fields(title, summary, kw, expected)
