"""Patterns added in rules-v1.7 (docs/classifier.md, "Change log v1.7").

Own wording; one general rule per case: a step taken under the economic security law takes
its pillar's field (the law's name says none), corrections and reorganisations are
administrative, a request for public comments is an open question, Japanese anti-dumping
probes and reciprocal tariffs are trade policy, a lowered price cap tightens, the
counterpart keeping its old line diverges, relief under the pair's agreement converges, a
Japanese origin mark ("米国産") is no actor, joint declarations signed and joint vision
statements are joint acts, and webinars, avian-flu notices and freedom indexes are routine.
"""

import pytest

from tests.classify.factories import JP, US, assert_fields

CASES = [
    pytest.param(
        "経済安全保障推進法に基づく特定社会基盤役務の基準の告示について",
        "基幹インフラの重要設備の導入に係る事前届出の審査基準を告示した。",
        {"source": "Cabinet Office economic security (ja)", **JP, "date": "2024-04-01"},
        {"actor": "JP", "domain": "tech_security", "stance": "neutral"},
        id="a_step_under_the_security_law_takes_its_pillar_and_is_administrative",
    ),
    pytest.param(
        "Export Administration Regulations: Corrections to the Semiconductor Rule",
        "BIS fixes drafting errors and renumbers paragraphs; no new items are controlled.",
        {"source": "Federal Register: Industry and Security Bureau", **US, "date": "2024-04-10"},
        {"actor": "US", "domain": "export_controls", "stance": "neutral"},
        id="a_correction_rule_is_administrative",
    ),
    pytest.param(
        "Notice of Request for Public Comments on a Section 232 Investigation of Drone Imports",
        "Commerce invites views on domestic capacity and reliance on imports, with responses due in 21 days.",
        {"source": "Federal Register: Industry and Security Bureau", **US, "date": "2025-07-20"},
        {"actor": "US", "domain": "trade_policy", "stance": "neutral"},
        id="a_request_for_public_comments_is_an_open_question",
    ),
    pytest.param(
        "中国産黒鉛電極に対する不当廉売関税の課税に関する調査の開始について",
        "国内生産者の申請を受け、中国から輸入される黒鉛電極について調査を始める。",
        {"source": "MOF press releases (ja)", **JP, "date": "2025-05-01"},
        {"actor": "JP", "domain": "trade_policy", "stance": "neutral", "targets_china": True},
        id="a_japanese_anti_dumping_probe_is_trade_policy_and_open",
    ),
    pytest.param(
        "ロシア産石油製品の上限価格の引下げについて",
        "英国などと連携し、上限価格を引き下げる。米国は従来の水準を据え置いている。",
        {"source": "MOF press releases (ja)", **JP, "date": "2025-10-01"},
        {"actor": "JP", "domain": "sanctions", "stance": "diverging"},
        id="the_counterpart_keeping_its_old_line_diverges",
    ),
    pytest.param(
        "米国の半導体関税についての経済産業大臣コメント",
        "日本からの輸入品には日米合意に基づき１５％を上限とする扱いが適用されることを確認した。",
        {"source": "METI news releases (ja)", **JP, "date": "2025-10-05"},
        {"actor": "US", "stance": "converging"},
        id="relief_under_the_pairs_agreement_converges",
    ),
    pytest.param(
        "米国産大豆の輸入拡大に向けた方針について",
        "日米合意を踏まえ、米国産大豆の調達を増やす方針を示した。",
        {"source": "MAFF press releases (ja)", **JP, "date": "2025-11-01"},
        {"actor": "JP", "domain": "trade_policy", "stance": "converging"},
        id="an_origin_mark_is_no_actor",
    ),
    pytest.param(
        "「重要鉱物サプライチェーン宣言」への署名について",
        "米国が主催した会合で、日本は重要鉱物の安定供給に関する宣言に署名した。",
        {"source": "METI news releases (ja)", **JP, "date": "2026-01-15"},
        {"actor": "joint", "domain": "supply_chain", "stance": "converging"},
        id="a_declaration_signed_by_both_is_joint",
    ),
    pytest.param(
        "Joint Vision Statement of the Leaders of Australia, Japan and the United States",
        "The three leaders pledge cooperation on undersea cables, critical minerals and secure ports.",
        {"source": "Australian Prime Minister media", "country": "other", "date": "2025-12-01"},
        {"actor": "joint", "stance": "converging"},
        id="a_joint_vision_statement_is_joint",
    ),
    pytest.param(
        "OFAC Hosts a Compliance Webinar for Exporters",
        "The free session covers screening tools and licence applications; registration is open.",
        {"source": "OFAC recent actions", **US, "date": "2025-04-01"},
        {"relevant": False},
        id="a_webinar_is_routine",
    ),
    pytest.param(
        "Japan Lifts Avian Influenza Restrictions on Poultry From Two States",
        "Shipments may resume now that the outbreak control periods have ended.",
        {"source": "USDA Foreign Agricultural Service news", **US, "date": "2025-03-01"},
        {"relevant": False},
        id="an_animal_health_notice_is_routine",
    ),
    pytest.param(
        "Index of Economic Freedom: Japan Slips Two Places",
        "Scores for fiscal health fell while tariff rates and property rights held steady.",
        {"source": "Heritage Foundation commentary", **US, "date": "2026-02-01"},
        {"relevant": False},
        id="a_freedom_index_is_routine",
    ),
    pytest.param(
        "Why Washington's Farmland Curbs Have No Japanese Twin",
        "The analysis finds Tokyo has no comparable restriction and a reach that extends to "
        "Japanese-owned farms worries investors.",
        {"source": "Stimson commentary", **US, "date": "2025-08-01"},
        {"stance": "diverging"},
        id="a_reach_that_extends_diverges",
    ),
]


@pytest.mark.parametrize(("title", "summary", "kw", "expected"), CASES)
def test_pattern(title, summary, kw, expected):
    assert_fields(title, summary, kw, expected)
