"""Patterns added in rules-v1.18 (docs/classifier.md, "Change log v1.18").

Own wording; one general rule per case: limits on adversaries buying farmland diverge
(Japan sets none), tariff cuts under an agreement with China deepen it (diverging), a
third state banning exports to the US acts in an analysis title, implementing the pair's
agreement is one state's step, removals from the Unverified List are routine relief,
dropping support for a position the counterpart backs diverges, a rule matching allies'
controls converges, reluctance and breaks with the counterpart diverge, a system
"comparable to the American one" converges, Japan making a screening exemption unusable
tightens, a president opposing a counterpart firm's purchase is investment screening,
monthly economic reports and export streaks are routine, the EU's procurement instrument
is trade policy, sanctions on Russian energy majors diverge (Japan keeps its Sakhalin
stakes), an extended OFAC general licence is relief, and Japan keeping an LNG stake
diverges.
"""

import pytest

from tests.classify.factories import JP, US, assert_fields

CASES = [
    pytest.param(
        "USDA Moves to Restrict Farmland Purchases by Foreign Adversaries",
        "The department will work with states to stop Chinese nationals buying agricultural land.",
        {"source": "USDA press releases", **US, "date": "2025-07-10"},
        {"actor": "US", "stance": "diverging", "targets_china": True},
        id="farmland_limits_diverge",
    ),
    pytest.param(
        "RCEP Five Years On: Japan's Trade Gains With China",
        "The commentary finds that tariff cuts under RCEP, Japan's first trade agreement with "
        "China, keep lowering duties and deepening trade with China.",
        {"source": "Tokyo Foundation commentary", **JP, "date": "2025-04-01"},
        {"actor": "JP", "domain": "trade_policy", "stance": "diverging"},
        id="tariff_cuts_under_rcep_deepen_it",
    ),
    pytest.param(
        "China Bans Rare Metal Exports to the United States",
        "The analysis weighs Beijing's halt of shipments to US users and what it means for "
        "defence supply chains.",
        {"source": "Hudson Institute commentary", **US, "date": "2024-12-06"},
        {"actor": "other", "targets_china": False},
        id="a_third_state_banning_exports_to_the_us_acts",
    ),
    pytest.param(
        "Notice on Implementation of the U.S.-Japan Agreement on Steel Imports",
        "The agency tells importers how to declare Japanese steel at the agreed rate.",
        {"source": "CBP newsroom", **US, "date": "2025-10-01"},
        {"actor": "US"},
        id="implementing_the_pairs_agreement_is_one_states_step",
    ),
    pytest.param(
        "Removal of Entities From the Unverified List",
        "BIS removes nine parties in China from the unverified list after successful checks.",
        {"source": "Federal Register: Industry and Security Bureau", **US, "date": "2024-02-01"},
        {"actor": "US", "stance": "neutral"},
        id="unverified_list_removals_are_routine",
    ),
    pytest.param(
        "USTR Statement on Digital Trade Talks",
        "The United States drops its support for binding rules on data flows that Japan has "
        "championed.",
        {"source": "USTR press releases", **US, "date": "2023-10-26"},
        {"actor": "US", "stance": "diverging"},
        id="dropping_support_diverges",
    ),
    pytest.param(
        "Export Controls on Quantum Items",
        "The rule adds quantum and tool controls consistent with controls implemented by "
        "partner governments, which allied governments have already adopted.",
        {"source": "Federal Register: Industry and Security Bureau", **US, "date": "2024-09-06"},
        {"actor": "US", "stance": "converging"},
        id="matching_allies_controls_converges",
    ),
    pytest.param(
        "Why Tokyo Is Reluctant to Restrict Chip-Tool Maintenance in China",
        "Washington has pressed Japan to stop servicing tools in Chinese fabs; the analysis "
        "finds Tokyo unwilling to go beyond its 2023 controls.",
        {"source": "CSIS analysis", **US, "date": "2024-10-11"},
        {"actor": "JP", "stance": "diverging"},
        id="reluctance_diverges",
    ),
    pytest.param(
        "Japan's Clearance Regime Comes of Age",
        "The commentary judges Japan's new vetting system comparable to the American one.",
        {"source": "Hudson Institute commentary", **US, "date": "2025-05-20"},
        {"actor": "JP", "stance": "converging"},
        id="comparable_to_the_american_system_converges",
    ),
    pytest.param(
        "外為法の事前届出免除制度の見直し",
        "特定外国投資家が事前届出免除制度を使えないようにし、審査を強める政令を公布した。",
        {"source": "MOF press releases (ja)", **JP, "date": "2025-05-01"},
        {"actor": "JP", "stance": "converging"},
        id="an_exemption_made_unusable_tightens",
    ),
    pytest.param(
        "Statement From the President on a Steelmaker",
        "The steelmaker must remain an American company, the President says of its planned "
        "purchase by a Japanese rival.",
        {"source": "White House briefing room", **US, "date": "2024-03-15"},
        {"relevant": True, "actor": "US", "domain": "investment_screening"},
        id="opposing_a_planned_purchase_is_investment_screening",
    ),
    pytest.param(
        "月例経済報告（令和８年２月）",
        "景気は緩やかに回復しているが、米国の関税措置の影響に一段と注意が必要とした。",
        {"source": "Cabinet Office news (ja)", **JP, "date": "2026-02-20"},
        {"relevant": False},
        id="the_monthly_economic_report_is_routine",
    ),
    pytest.param(
        "Exports Rise for a Fifth Straight Month",
        "Record semiconductor sales led the gain; chip exports to China and the United States "
        "both grew.",
        {"source": "Korea MOTIE press releases", "country": "other", "date": "2024-03-01"},
        {"relevant": False},
        id="export_streaks_are_statistics",
    ),
    pytest.param(
        "Commission Limits Chinese Bidders in Public Tenders for Medical Devices",
        "The first measure under the International Procurement Instrument answers China's "
        "treatment of EU suppliers.",
        {"source": "European Commission press corner", "country": "other", "date": "2025-06-20"},
        {"actor": "other", "domain": "trade_policy"},
        id="the_procurement_instrument_is_trade_policy",
    ),
    pytest.param(
        "Treasury Designates Two Russian Oil Majors",
        "OFAC blocks Rosneft and Lukoil and their subsidiaries to cut the Kremlin's energy revenue.",
        {"source": "Treasury press releases", **US, "date": "2025-10-23"},
        {"actor": "US", "domain": "sanctions", "stance": "diverging"},
        id="sanctioning_russian_energy_majors_diverges",
    ),
    pytest.param(
        "General License for Sakhalin-2 Crude Shipments to Japan Extended",
        "OFAC keeps authorising transactions needed to ship the project's oil to Japan until June.",
        {"source": "Treasury OFAC recent actions", **US, "date": "2025-12-18"},
        {"actor": "US", "stance": "converging"},
        id="an_extended_general_license_is_relief",
    ),
    pytest.param(
        "Why Japan Keeps Its Stake in a Sanctioned Arctic LNG Project",
        "The analysis says Tokyo values the long-term gas supply more than aligning with "
        "Washington's designation.",
        {"source": "RIETI column", **JP, "date": "2024-02-01"},
        {"actor": "JP", "stance": "diverging"},
        id="japan_keeping_its_lng_stake_diverges",
    ),
]


@pytest.mark.parametrize(("title", "summary", "kw", "expected"), CASES)
def test_pattern(title, summary, kw, expected):
    assert_fields(title, summary, kw, expected)
