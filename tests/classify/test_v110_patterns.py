"""Patterns added in rules-v1.10 (docs/classifier.md, "Change log v1.10").

Own wording; one general rule per case: implementing an agreed regime list change is a
shared step, relief agreed in a deal with China is neutral, a bare press-conference title
leaves the measure to the summary's subject, approvals of a firm's plan are administrative,
balking at a counterpart's request diverges, no carve-out for allies such as Japan
diverges, Japanese export licensing (許可制) is export controls, and an advance notice that
seeks public input is an open question. Half of the cases already held under v1.9 (other
cues carried them); they stay as guards for the same rules.
"""

import pytest

from tests.classify.factories import JP, US, assert_fields

CASES = [
    pytest.param(
        "Implementation of Missile Technology Control Regime Plenary Changes",
        "The rule revises Commerce Control List entries to match what regime members agreed.",
        {"source": "Federal Register: Industry and Security Bureau", **US, "date": "2025-03-01"},
        {"actor": "US", "domain": "export_controls", "stance": "converging"},
        id="implementing_a_regime_change_is_shared",
    ),
    pytest.param(
        "Joint Statement on the US-China Trade Talks in Stockholm",
        "The two governments extend the pause and cut the extra tariffs on each other's goods.",
        {"source": "White House briefing room", **US, "date": "2025-07-30"},
        {"actor": "US", "domain": "trade_policy", "stance": "neutral"},
        id="relief_agreed_with_china_is_neutral",
    ),
    pytest.param(
        "令和７年８月１日（金）午前　内閣官房長官記者会見",
        "米国政府が発表した半導体関税について、官房長官は日本への影響を精査すると述べた。",
        {"source": "Kantei news (ja)", **JP, "date": "2025-08-01"},
        {"actor": "US"},
        id="a_bare_press_conference_title_leaves_the_subject_to_the_summary",
    ),
    pytest.param(
        "ＪＡＳＭ第２工場の令和７年度計画を認定しました",
        "熊本県での第２工場の建設に向け、最大７３２０億円の助成を行う計画を認定した。",
        {"source": "METI news releases (ja)", **JP, "date": "2025-04-01"},
        {"actor": "JP", "domain": "industrial_policy", "stance": "neutral"},
        id="approving_a_firms_plan_is_administrative",
    ),
    pytest.param(
        "Tokyo Balks at Washington's Request on Chip-Tool Servicing",
        "Japanese officials push back, and the allies' servicing rules stay out of step.",
        {"source": "CSIS commentary", **US, "date": "2025-02-15"},
        {"actor": "JP", "stance": "diverging"},
        id="balking_diverges",
    ),
    pytest.param(
        "Adjusting Imports of Heavy Trucks Into the United States",
        "The proclamation sets a 25 percent duty from November with no carve-out for allies such as Japan.",
        {"source": "White House briefing room", **US, "date": "2025-10-17"},
        {"actor": "US", "domain": "trade_policy", "stance": "diverging"},
        id="no_carve_out_for_allies_such_as_japan_diverges",
    ),
    pytest.param(
        "中国、アンチモン関連品目の輸出を許可制に",
        "中国商務部は、アンチモンの鉱石や金属について輸出に許可を求める措置を発表した。",
        {"source": "JETRO business news (ja)", **JP, "date": "2024-08-16"},
        {"relevant": True, "actor": "other", "domain": "export_controls", "stance": "neutral"},
        id="japanese_export_licensing_is_export_controls",
    ),
    pytest.param(
        "Advance Notice of Proposed Rulemaking: Drones From Countries of Concern",
        "Commerce is seeking public input, asking which components and transactions a rule should cover.",
        {"source": "Federal Register: Industry and Security Bureau", **US, "date": "2025-01-02"},
        {"actor": "US", "stance": "neutral"},
        id="an_advance_notice_seeking_input_is_open",
    ),
]


@pytest.mark.parametrize(("title", "summary", "kw", "expected"), CASES)
def test_pattern(title, summary, kw, expected):
    assert_fields(title, summary, kw, expected)
