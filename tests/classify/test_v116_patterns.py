"""Patterns added in rules-v1.16 (docs/classifier.md, "Change log v1.16").

Own wording; one general rule per case: a Japanese "…の施行" title for a regime the actor
already has is an implementing step, a notice of intent to fund and a selection of projects
are administrative, the yearly continuation of a national emergency is routine, monthly
export-order figures are statistics, a periodic report is neutral and targets no one, a
criminal charge for illegal chip exports is enforcement, an AI-and-semiconductor support
framework is a chip-subsidy step, rare-earth controls are export controls, and a step that
follows G7 common principles converges.
"""

import pytest

from tests.classify.factories import JP, US, assert_fields

CASES = [
    pytest.param(
        "キャッチオール規制に関する改正政令の施行",
        "懸念のある需要者向けの汎用品の輸出に許可を求める改正政令が本日施行された。",
        {"source": "METI news releases (ja)", **JP, "date": "2025-10-10"},
        {"actor": "JP", "stance": "neutral"},
        id="a_regime_already_held_taking_effect_is_implementing",
    ),
    pytest.param(
        "CHIPS R&D Office Announces Intent to Fund an Advanced Packaging Institute",
        "The office plans to fund a new institute for chip packaging research and prototyping.",
        {"source": "NIST news", **US, "date": "2024-08-01"},
        {"actor": "US", "stance": "neutral"},
        id="intent_to_fund_is_administrative",
    ),
    pytest.param(
        "Energy Department Funds Domestic Battery Manufacturing Projects",
        "The department selects 12 projects in 9 states for grants to expand battery production.",
        {"source": "Energy Department news", **US, "date": "2024-10-01"},
        {"actor": "US", "stance": "neutral"},
        id="selecting_projects_is_administrative",
    ),
    pytest.param(
        "Continuation of the National Emergency With Respect to Information Technology Supply Chains",
        "The President keeps in force for one more year the emergency behind reviews of ICT "
        "transactions with foreign adversaries.",
        {"source": "White House briefing room", **US, "date": "2025-05-13"},
        {"actor": "US", "stance": "neutral"},
        id="continuing_a_national_emergency_is_routine",
    ),
    pytest.param(
        "Export Orders for March 2025",
        "Orders rose on demand for servers and chips while those from mainland China fell.",
        {"source": "Taiwan MOEA news", "country": "other", "date": "2025-04-20"},
        {"relevant": False, "targets_china": False},
        id="export_order_figures_are_statistics",
    ),
    pytest.param(
        "CFIUS Annual Report to Congress for Calendar Year 2024",
        "The committee reviewed more filings, with investors from allies such as Japan and "
        "from China among the most frequent.",
        {"source": "Treasury press releases", **US, "date": "2025-08-01"},
        {"actor": "US", "stance": "neutral", "targets_china": False},
        id="a_periodic_report_is_neutral_and_targets_no_one",
    ),
    pytest.param(
        "Engineer Charged With Illegally Exporting AI Chips to China",
        "Prosecutors say the firm routed controlled processors to China through Malaysia "
        "without licences.",
        {"source": "Justice Department news", **US, "date": "2025-09-01"},
        {"actor": "US", "stance": "neutral"},
        id="a_criminal_charge_is_enforcement",
    ),
    pytest.param(
        "Package to Strengthen the AI and Semiconductor Industrial Base",
        "The government commits several trillion yen of public support for next-generation "
        "chips and AI through 2030.",
        {"source": "Prime Minister's Office news", **JP, "date": "2024-11-25"},
        {"actor": "JP", "domain": "industrial_policy", "stance": "converging"},
        id="an_ai_and_semiconductor_framework_is_a_chip_subsidy_step",
    ),
    pytest.param(
        "China's New Rare-Earth Controls and Japanese Users",
        "Beijing's licensing of rare-earth magnets slows shipments to foreign manufacturers.",
        {"source": "JIIA commentary", **JP, "date": "2025-05-01"},
        {"domain": "export_controls"},
        id="rare_earth_controls_are_export_controls",
    ),
    pytest.param(
        "Procedures for Research Security at Universities",
        "The ministry tells universities how to check researchers' foreign funding, following "
        "G7 common principles.",
        {"source": "MEXT news", **JP, "date": "2025-12-01"},
        {"actor": "JP", "stance": "converging"},
        id="following_g7_principles_converges",
    ),
]


@pytest.mark.parametrize(("title", "summary", "kw", "expected"), CASES)
def test_pattern(title, summary, kw, expected):
    assert_fields(title, summary, kw, expected)
