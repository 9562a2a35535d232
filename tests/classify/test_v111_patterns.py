"""Patterns added in rules-v1.11 (docs/classifier.md, "Change log v1.11").

Own wording; one general rule per case: China's customs agency is China's (not Japan
Customs), relief Japan asks China for is not Japan's own relief, declining to adopt a
counterpart's regime diverges, ending quota arrangements that covered Japan diverges, a
step the counterpart has not matched diverges, narrowing long-standing gaps converges,
unlawful exports are export-control cases, and paperwork notices are routine.
"""

import pytest

from tests.classify.factories import JP, US, assert_fields

CASES = [
    pytest.param(
        "中国税関総署、日本産牛肉の輸入手続を停止",
        "中国の税関当局は、日本産牛肉の輸入に必要な手続を当面停止すると発表した。",
        {"source": "JETRO business news (ja)", **JP, "date": "2025-11-20"},
        {"actor": "other", "stance": "neutral"},
        id="chinas_customs_agency_is_china",
    ),
    pytest.param(
        "日中外相会談",
        "外務大臣は中国外相と会談し、対話の継続で一致した。日本側は輸入停止措置を撤廃するよう求めた。",
        {"source": "MOFA press releases (ja)", **JP, "date": "2024-11-01"},
        {"actor": "JP", "stance": "diverging"},
        id="relief_asked_of_china_is_not_japans_relief",
    ),
    pytest.param(
        "対外投資審査と日本：米国型の制度を設けない選択",
        "米国が対外投資を制限するなか、日本政府は同種の制度を設けない姿勢を維持している。",
        {"source": "RIETI columns (ja)", **JP, "date": "2025-02-01"},
        {"actor": "JP", "stance": "diverging"},
        id="declining_a_counterpart_regime_diverges",
    ),
    pytest.param(
        "Adjusting Imports of Aluminum Into the United States",
        "The proclamation restores the full duty, ending the quota arrangements that covered "
        "Japan and others.",
        {"source": "White House briefing room", **US, "date": "2025-02-10"},
        {"actor": "US", "domain": "trade_policy", "stance": "diverging"},
        id="ending_quota_arrangements_that_covered_japan_diverges",
    ),
    pytest.param(
        "Treasury Designates Shadow-Fleet Operators Shipping Russian Crude",
        "OFAC blocks tanker owners and managers, a step Japan has not matched.",
        {"source": "Treasury press releases", **US, "date": "2025-01-10"},
        {"actor": "US", "domain": "sanctions", "stance": "diverging"},
        id="a_step_the_counterpart_has_not_matched_diverges",
    ),
    pytest.param(
        "New Data-Security Law Brings Tokyo Closer to US Practice",
        "The analysis finds the law narrows long-standing gaps with US rules on sensitive data.",
        {"source": "Asia Society Policy Institute commentary", **US, "date": "2025-06-01"},
        {"actor": "JP", "stance": "converging"},
        id="narrowing_long_standing_gaps_converges",
    ),
    pytest.param(
        "Engineer Sentenced for Unlawfully Exporting Chip Design Software to China",
        "The court imposes a prison term for shipping controlled tools to a listed university.",
        {"source": "Justice Department news", **US, "date": "2025-05-01"},
        {"relevant": True, "domain": "export_controls", "stance": "neutral"},
        id="unlawful_exports_are_export_control_cases",
    ),
    pytest.param(
        "Agency Information Collection Activities; Submission to OMB for Review",
        "The bureau invites comments on the paperwork burden of a survey of exporters.",
        {"source": "Federal Register: Industry and Security Bureau", **US, "date": "2025-04-01"},
        {"relevant": False},
        id="paperwork_notices_are_routine",
    ),
]


@pytest.mark.parametrize(("title", "summary", "kw", "expected"), CASES)
def test_pattern(title, summary, kw, expected):
    assert_fields(title, summary, kw, expected)
