"""Patterns added in rules-v1.12 (docs/classifier.md, "Change log v1.12").

Own wording; one general rule per case: critical-materials lists are supply chain, an
outbound order is investment screening, Japan's AI and chip support framework is a chip
subsidy step (converging with the CHIPS Act), Japan's tariff task force is Japan's own
domestic step, a rule put on hold is relief, "rather than mirror" diverges, dropping backing
for a negotiating position diverges, China's export bans in Japanese are export controls,
and customs-enforcement statistics and rural water grants are routine.
"""

import pytest

from tests.classify.factories import JP, US, assert_fields

CASES = [
    pytest.param(
        "DOE Publishes Its Critical Materials Assessment",
        "The department rates the supply risk of materials used in energy technologies.",
        {"source": "DOE news", **US, "date": "2023-08-01"},
        {"relevant": True, "domain": "supply_chain"},
        id="critical_materials_lists_are_supply_chain",
    ),
    pytest.param(
        "Is the Outbound Order Too Narrow?",
        "The piece weighs which deals in China the new programme reaches and which it leaves out.",
        {"source": "Brookings commentary", **US, "date": "2023-08-20"},
        {"relevant": True, "domain": "investment_screening"},
        id="an_outbound_order_is_investment_screening",
    ),
    pytest.param(
        "ＡＩ・半導体分野への公的支援の枠組みについて",
        "２０３０年度までに１０兆円以上の公的支援を行う枠組みを決定した。",
        {"source": "Cabinet Office news (ja)", **JP, "date": "2024-11-22"},
        {"actor": "JP", "domain": "industrial_policy", "stance": "converging"},
        id="japans_ai_chip_support_converges_with_chips_act",
    ),
    pytest.param(
        "米国の関税措置に関する総合対策本部（第３回）",
        "総理は、影響を受ける中小企業への資金繰り支援を急ぐよう指示した。",
        {"source": "Kantei news (ja)", **JP, "date": "2025-04-10"},
        {"actor": "JP", "stance": "neutral"},
        id="japans_tariff_task_force_is_its_own_step",
    ),
    pytest.param(
        "Rule Expanding Licence Requirements Put on Hold",
        "BIS places its September rule on hold for a year, so only listed parties need licences again.",
        {"source": "Federal Register: Industry and Security Bureau", **US, "date": "2025-11-10"},
        {"actor": "US", "domain": "export_controls", "stance": "converging"},
        id="a_rule_put_on_hold_is_relief",
    ),
    pytest.param(
        "Should Tokyo Screen Outbound Capital?",
        "The column expects Japan to rely on export controls rather than mirror the US regime; "
        "a gap in scope will remain.",
        {"source": "RIETI columns", **JP, "date": "2024-10-01"},
        {"actor": "JP", "stance": "diverging"},
        id="rather_than_mirror_diverges",
    ),
    pytest.param(
        "USTR Statement on the WTO Data-Flow Talks",
        "The United States drops its backing for proposals on data localisation and source code.",
        {"source": "USTR press releases", **US, "date": "2023-10-25"},
        {"actor": "US", "domain": "trade_policy", "stance": "diverging"},
        id="dropping_backing_for_a_position_diverges",
    ),
    pytest.param(
        "中国商務部、レアメタル関連品目の対米輸出を禁止",
        "中国は軍民両用品目を米国の軍事ユーザーへ輸出することを禁じると発表した。",
        {"source": "JETRO business news (ja)", **JP, "date": "2024-12-04"},
        {"relevant": True, "actor": "other", "domain": "export_controls"},
        id="chinas_export_ban_in_japanese_is_export_controls",
    ),
    pytest.param(
        "令和６年の税関における密輸取締り状況",
        "不正薬物の押収量や金地金の密輸の摘発件数を公表した。",
        {"source": "Japan Customs news (ja)", **JP, "date": "2025-03-01"},
        {"relevant": False},
        id="customs_enforcement_statistics_are_routine",
    ),
    pytest.param(
        "USDA Invests in Rural Drinking Water Systems",
        "Loans and grants help small towns replace pipes and upgrade wastewater plants.",
        {"source": "USDA press releases", **US, "date": "2024-07-01"},
        {"relevant": False},
        id="rural_water_grants_are_routine",
    ),
]


@pytest.mark.parametrize(("title", "summary", "kw", "expected"), CASES)
def test_pattern(title, summary, kw, expected):
    assert_fields(title, summary, kw, expected)
