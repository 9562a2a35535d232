"""Patterns added in rules-v1.9 (docs/classifier.md, "Change log v1.9").

Own wording; one general rule per case: "U.S. and Japanese agencies" names the pair, Japan's
standard title for Russia measures (ウクライナ情勢に関する) is sanctions, defence-equipment
transfer rules are export controls, a framework's name (IPEF) does not pick the pillar, an
order to study and report is an open question, a request of the counterpart answered
converges, and social-policy studies are routine.
"""

import pytest

from tests.classify.factories import JP, US, assert_fields

CASES = [
    pytest.param(
        "U.S. and Japanese Agencies Warn of a Botnet Built From Office Routers",
        "A joint advisory by the FBI and Japan's National Police Agency lists mitigations.",
        {"source": "CISA news", **US, "date": "2024-03-01"},
        {"actor": "joint", "domain": "tech_security", "stance": "converging"},
        id="us_and_japanese_agencies_name_the_pair",
    ),
    pytest.param(
        "ウクライナ情勢に関する外国為替及び外国貿易法に基づく措置の追加について",
        "ロシアの軍需産業を支える団体の資産を凍結し、第三国の企業を新たに対象とした。",
        {"source": "MOFA press releases (ja)", **JP, "date": "2025-01-10"},
        {"actor": "JP", "domain": "sanctions"},
        id="japans_russia_measures_title_is_sanctions",
    ),
    pytest.param(
        "防衛装備移転三原則の運用指針の見直しについて",
        "米国からの要請を受け、共同開発品の第三国への移転を認めることとした。",
        {"source": "Kantei news (ja)", **JP, "date": "2024-03-26"},
        {"actor": "JP", "domain": "export_controls", "stance": "converging"},
        id="defence_equipment_transfer_rules_are_export_controls",
    ),
    pytest.param(
        "サプライチェーンの強靱性に関するＩＰＥＦ協定の発効について",
        "参加国は平時から重要物資の情報を共有し、供給途絶時には共同で対応する。",
        {"source": "METI news releases (ja)", **JP, "date": "2024-02-24"},
        {"actor": "joint", "domain": "supply_chain"},
        id="ipef_alone_does_not_pick_a_pillar",
    ),
    pytest.param(
        "Presidential Memorandum on Reviewing Trade Practices",
        "Agencies are told to study unfair foreign practices and report back within 90 days.",
        {"source": "White House news", **US, "date": "2025-01-20"},
        {"actor": "US", "domain": "trade_policy", "stance": "neutral"},
        id="an_order_to_study_and_report_is_open",
    ),
    pytest.param(
        "Study Finds Child Care Costs Keep Military Spouses Out of Work",
        "Licensing rules that differ by state add to the barriers, the researchers say.",
        {"source": "RAND press", **US, "date": "2024-05-01"},
        {"relevant": False},
        id="social_policy_studies_are_routine",
    ),
]


@pytest.mark.parametrize(("title", "summary", "kw", "expected"), CASES)
def test_pattern(title, summary, kw, expected):
    assert_fields(title, summary, kw, expected)
