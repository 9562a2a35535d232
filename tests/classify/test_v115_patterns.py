"""Patterns added in rules-v1.15 (docs/classifier.md, "Change log v1.15").

Own wording; one general rule per case: a think-tank title that opens with a third state
and names neither of the pair is about that state's measure, a final rule on US investment
in certain technologies is the outbound slot, tariff cuts said verb-first are relief, an
annual report is neutral in any field, one firm's yearly plan approval is administrative,
"a Japanese CFIUS" is Japan's screening, and loosening Japan's defence-transfer principles
converges.
"""

import pytest

from tests.classify.factories import JP, US, assert_fields

CASES = [
    pytest.param(
        "Beijing's Antimony Licences and the Price of Leverage",
        "The analysis traces how China's new licensing of antimony exports has thinned shipments.",
        {"source": "CSIS analysis", **US, "date": "2024-10-01"},
        {"actor": "other", "stance": "neutral", "targets_china": False},
        id="a_third_state_opening_an_analysis_title_acts",
    ),
    pytest.param(
        "Treasury Finalises Rules on U.S. Investments in Certain Technologies",
        "The rules bar US persons from some deals with Chinese quantum and AI companies and "
        "require notice of others.",
        {"source": "Treasury press releases", **US, "date": "2024-10-28"},
        {"actor": "US", "domain": "investment_screening", "stance": "diverging"},
        id="rules_on_us_investments_abroad_are_the_outbound_slot",
    ),
    pytest.param(
        "Putting the Trade Deal With Japan Into Effect",
        "The proclamation gives effect to the agreement, cutting tariffs on Japanese auto parts "
        "and keeping duties from stacking.",
        {"source": "White House news", **US, "date": "2025-09-05"},
        {"actor": "US", "stance": "converging"},
        id="cutting_tariffs_is_relief",
    ),
    pytest.param(
        "Annual Report on Section 301 Tariff Actions",
        "The annual report reviews the tariffs imposed on imports and the exclusions granted "
        "over the year.",
        {"source": "USTR press releases", **US, "date": "2025-03-03"},
        {"actor": "US", "stance": "neutral"},
        id="an_annual_report_is_neutral_even_on_tariffs",
    ),
    pytest.param(
        "METI Approves Kioxia Plan and Support for the Coming Year",
        "The ministry approves the chipmaker's plan and further support for its memory fab.",
        {"source": "METI news releases", **JP, "date": "2026-04-02"},
        {"actor": "JP", "domain": "industrial_policy", "stance": "neutral"},
        id="one_firms_plan_approval_is_administrative",
    ),
    pytest.param(
        "Lessons for a Japanese CFIUS",
        "The commentary weighs a standing review committee for inbound deals in Tokyo.",
        {"source": "RIETI column", **JP, "date": "2025-06-01"},
        {"actor": "JP", "domain": "investment_screening"},
        id="a_japanese_cfius_is_japans_screening",
    ),
    pytest.param(
        "Revision of the Three Principles on Transfer of Defense Equipment",
        "The cabinet lets jointly developed components be shipped to partner countries.",
        {"source": "MOD press releases", **JP, "date": "2024-03-26"},
        {"actor": "JP", "stance": "converging"},
        id="loosening_defence_transfer_rules_converges",
    ),
]


@pytest.mark.parametrize(("title", "summary", "kw", "expected"), CASES)
def test_pattern(title, summary, kw, expected):
    assert_fields(title, summary, kw, expected)
