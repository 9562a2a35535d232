"""Patterns added in rules-v1.22 (docs/classifier.md, "Change log v1.22").

Own wording; one general rule per case: closing or narrowing a gap converges (even where
"gap with" is said), "regrettable" and asking for correction diverge, supply built outside
China does not target it, a lithium stake is supply chain, event notices and competition
orders are routine, a Japanese screening-system review says what it tightens, a deal on
the trade relationship with China is trade policy, and monthly exports-and-imports figures
are statistics.
"""

import pytest

from tests.classify.factories import JP, US, assert_fields

CASES = [
    pytest.param(
        "Act on Active Cyber Defense Enacted",
        "The law lets the state disable servers behind major attacks, narrowing a long-noted gap "
        "with allied capabilities.",
        {"source": "Cabinet Secretariat releases", **JP, "date": "2025-05-16"},
        {"actor": "JP", "stance": "converging"},
        id="narrowing_a_gap_converges",
    ),
    pytest.param(
        "Press Conference by the Trade Minister: US Tariffs on Steel",
        "The minister calls the new US duty on imported steel extremely regrettable and says "
        "Japan will keep urging Washington to exempt Japanese producers.",
        {"source": "METI news releases", **JP, "date": "2025-06-04"},
        {"stance": "diverging"},
        id="regrettable_diverges",
    ),
    pytest.param(
        "JBIC Finances a Gallium Recovery Plant",
        "The bank co-finances a facility outside China to give Japanese chipmakers another source.",
        {"source": "JBIC press releases", **JP, "date": "2025-03-01"},
        {"actor": "JP", "targets_china": False},
        id="supply_outside_china_does_not_target_it",
    ),
    pytest.param(
        "JOGMEC Decides on Equity Investment in a Lithium Project",
        "The agency takes a stake alongside a trading house, securing offtake rights for "
        "battery makers.",
        {"source": "JOGMEC news releases", **JP, "date": "2024-11-01"},
        {"actor": "JP", "domain": "supply_chain", "stance": "neutral"},
        id="a_lithium_stake_is_supply_chain",
    ),
    pytest.param(
        "Event: Japan's Economic Security Agenda Under a New Government",
        "Former officials from both countries discuss US-Japan relations; the event will be "
        "livestreamed and registration is open.",
        {"source": "Hudson Institute", **US, "date": "2024-11-10"},
        {"relevant": False},
        id="event_notices_are_routine",
    ),
    pytest.param(
        "JFTC Issues Cease and Desist Order to a Smartphone Platform",
        "The order bars the firm from tying app store access to preinstalled search.",
        {"source": "JFTC press releases", **JP, "date": "2025-04-15"},
        {"relevant": False},
        id="competition_orders_are_routine",
    ),
    pytest.param(
        "外為法に基づく対内直接投資審査制度の見直しに関する意見募集",
        "特定外国投資家について事前届出免除制度の利用を制限し、審査を強化する政令案への意見を募る。",
        {"source": "MOF press releases (ja)", **JP, "date": "2025-03-14"},
        {"actor": "JP", "stance": "converging"},
        id="a_screening_system_review_says_what_it_tightens",
    ),
    pytest.param(
        "Fact Sheet: A Deal on the Economic and Trade Relationship With China",
        "Washington cuts a tariff on Chinese goods and pauses the affiliates rule for a year, "
        "while Beijing suspends its rare-earth export controls.",
        {"source": "White House news", **US, "date": "2025-11-01"},
        {"actor": "US", "domain": "trade_policy", "stance": "neutral"},
        id="a_deal_on_the_trade_relationship_is_trade_policy",
    ),
    pytest.param(
        "October 2024 Exports and Imports",
        "Exports rose on chip demand while shipments to China fell; the trade balance stayed in surplus.",
        {"source": "MOTIE press releases", "country": "other", "date": "2024-11-01"},
        {"relevant": False},
        id="exports_and_imports_figures_are_statistics",
    ),
]


@pytest.mark.parametrize(("title", "summary", "kw", "expected"), CASES)
def test_pattern(title, summary, kw, expected):
    assert_fields(title, summary, kw, expected)
