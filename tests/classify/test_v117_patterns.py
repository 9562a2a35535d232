"""Patterns added in rules-v1.17 (docs/classifier.md, "Change log v1.17").

Own wording; one general rule per case: a Section 232 action in the title is trade policy,
the defence production base law is industrial policy, Japan's secret-patent system is tech
security, CHIPS preliminary terms are relevant industrial policy, monthly trade figures are
statistics, a first council meeting in Japanese is administrative, a third state opening
an analysis title stays the actor when the pair is only a possessor, a measure said not
to name China does not target it, a continued emergency over Hong Kong still targets China,
a joint cybersecurity advisory with US agencies is joint, a carve-out sought by Japan
converges, and a WTO dispute is trade policy.
"""

import pytest

from tests.classify.factories import JP, US, assert_fields

CASES = [
    pytest.param(
        "Adjusting Imports Through Section 232 Actions on Critical Minerals and Magnets",
        "The President orders a study of imports of processed minerals and rare-earth magnets "
        "to strengthen supply-chain resilience.",
        {"source": "White House briefing room", **US, "date": "2025-04-20"},
        {"actor": "US", "domain": "trade_policy"},
        id="a_section_232_action_is_trade_policy",
    ),
    pytest.param(
        "防衛生産基盤強化法に基づく計画の認定について",
        "部品の供給途絶に備えたサプライチェーン強靱化の計画を認定し、経費を支援する。",
        {"source": "MOD press releases (ja)", **JP, "date": "2024-06-01"},
        {"actor": "JP", "domain": "industrial_policy"},
        id="the_defence_production_base_law_is_industrial_policy",
    ),
    pytest.param(
        "特許出願非公開制度に関する手続の案内",
        "安全保障上の機微な発明について出願公開を留保する制度の手続を案内する。",
        {"source": "JPO news (ja)", **JP, "date": "2024-05-10"},
        {"actor": "JP", "domain": "tech_security"},
        id="secret_patents_are_tech_security",
    ),
    pytest.param(
        "CHIPS Preliminary Terms Announced With a Space Solar Cell Maker",
        "The department proposes direct funding to expand the firm's production of "
        "compound-semiconductor parts for satellites.",
        {"source": "Commerce Department news", **US, "date": "2024-07-01"},
        {"relevant": True, "actor": "US", "domain": "industrial_policy"},
        id="chips_preliminary_terms_are_industrial_policy",
    ),
    pytest.param(
        "June 2025 Trade Report: Goods and Services Deficit Narrows",
        "Exports rose while imports fell; tables by partner including China and Japan are published.",
        {"source": "Census Bureau releases", **US, "date": "2025-08-05"},
        {"relevant": False, "targets_china": False},
        id="monthly_trade_figures_are_statistics",
    ),
    pytest.param(
        "経済安全保障推進会議（第１回）",
        "総理は初会合で、人工知能・半導体などへの官民投資を促す戦略の策定を指示した。",
        {"source": "Kantei news (ja)", **JP, "date": "2025-11-10"},
        {"actor": "JP", "stance": "neutral"},
        id="a_first_council_meeting_is_administrative",
    ),
    pytest.param(
        "Beijing's Magnet Licences and Japan's Motor Makers",
        "The analysis reviews how China's licensing of rare-earth magnets has slowed deliveries.",
        {"source": "RIETI column", **JP, "date": "2025-06-01"},
        {"actor": "other", "stance": "neutral", "targets_china": False},
        id="the_pair_as_possessor_leaves_the_third_state_acting",
    ),
    pytest.param(
        "Tokyo's Tool Controls in Force: A Close Match for Washington?",
        "The analysis finds Japan's licensing of chip-making tools covers most US-listed "
        "equipment, applying to all destinations instead of naming China.",
        {"source": "CSIS analysis", **US, "date": "2023-07-28"},
        {"targets_china": False},
        id="a_measure_said_not_to_name_china_does_not_target_it",
    ),
    pytest.param(
        "Continuation of the National Emergency With Respect to Hong Kong",
        "The emergency declared over China's actions toward Hong Kong continues for a year, "
        "with its sanctions.",
        {"source": "White House briefing room", **US, "date": "2025-07-10"},
        {"stance": "neutral", "targets_china": True},
        id="a_continued_emergency_still_targets_whom_it_names",
    ),
    pytest.param(
        "Joint Cybersecurity Advisory on a State-Backed Intrusion Set Published with U.S. Agencies",
        "NISC and the police, with the FBI and CISA, describe how the group hijacks routers in "
        "Japan and the United States.",
        {"source": "NISC news", **JP, "date": "2024-09-01"},
        {"actor": "joint", "stance": "converging"},
        id="a_joint_cybersecurity_advisory_is_joint",
    ),
    pytest.param(
        "Amended General License for an Arctic LNG Project",
        "OFAC extends for six months the authorisation of transactions needed to ship the "
        "project's gas to Japan, a carve-out sought by Tokyo.",
        {"source": "Treasury OFAC recent actions", **US, "date": "2024-12-20"},
        {"actor": "US", "stance": "converging"},
        id="a_carve_out_sought_by_japan_converges",
    ),
    pytest.param(
        "Korea Initiates WTO Dispute Complaint Over Clean Vehicle Tax Credits",
        "Seoul requested consultations over tax credits tied to where battery parts are made.",
        {"source": "WTO news", "country": "other", "date": "2024-04-01"},
        {"actor": "other", "domain": "trade_policy"},
        id="a_wto_dispute_is_trade_policy",
    ),
]


@pytest.mark.parametrize(("title", "summary", "kw", "expected"), CASES)
def test_pattern(title, summary, kw, expected):
    assert_fields(title, summary, kw, expected)
