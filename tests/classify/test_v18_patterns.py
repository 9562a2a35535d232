"""Patterns added in rules-v1.8 (docs/classifier.md, "Change log v1.8").

Own wording; one general rule per case: "subsidiaries" is no subsidy word, a meeting genre
spanning several fields is cooperation whoever meets, the counterpart not joining diverges,
a Vietnamese or Mexican measure is that state's (China named there is the target), steps
under an existing law or an administrative guidance are neutral, cutting additional tariffs
on China is relief, UFLPA listings are trade policy, technology-transfer notices are export
controls, and exchange-rate statements and reactor licences are routine.
"""

import pytest

from tests.classify.factories import JP, US, assert_fields

CASES = [
    pytest.param(
        "Joint Advisory on a State-Backed Group Tampering With Router Firmware",
        "US and Japanese agencies describe how PRC-linked hackers pivot from overseas "
        "subsidiaries into head-office networks.",
        {"source": "CISA news", **US, "date": "2023-09-27"},
        {"relevant": True, "domain": "tech_security", "targets_china": True},
        id="subsidiaries_are_no_subsidy",
    ),
    pytest.param(
        "Japan-Australia Economic 2+2 Held in Canberra",
        "Ministers discuss critical mineral supply chains, export controls and investment "
        "screening, and agree to meet every year.",
        {"source": "MOFA press releases", **JP, "date": "2025-06-01"},
        {"actor": "JP", "domain": "cooperation"},
        id="a_broad_meeting_with_a_third_state_is_cooperation",
    ),
    pytest.param(
        "Japan Backs a Ministerial Statement on Rules-Based Trade",
        "Dozens of WTO members commit to MFN-based trade; the United States did not join.",
        {"source": "MOFA press releases", **JP, "date": "2025-06-05"},
        {"actor": "JP", "stance": "diverging"},
        id="the_counterpart_not_joining_diverges",
    ),
    pytest.param(
        "ベトナム商工省、中国産アルミ材に暫定アンチダンピング税",
        "ベトナム商工省は、中国から輸入されるアルミ押出材に暫定税を課すと発表した。",
        {"source": "JETRO business news (ja)", **JP, "date": "2025-04-01"},
        {"actor": "other", "stance": "neutral", "targets_china": True},
        id="a_third_state_measure_names_china_as_target",
    ),
    pytest.param(
        "重要土地等調査法に基づく注視区域の追加指定について",
        "重要土地等調査法に基づき、防衛施設周辺の区域を新たに指定した。",
        {"source": "Cabinet Office releases (ja)", **JP, "date": "2024-11-01"},
        {"actor": "JP", "stance": "neutral"},
        id="a_designation_under_an_existing_law_is_administrative",
    ),
    pytest.param(
        "Joint Statement on the US-China Trade Talks in London",
        "The two sides lower the additional tariffs on each other's goods for 90 days.",
        {"source": "White House briefing room", **US, "date": "2025-06-11"},
        {"actor": "US", "domain": "trade_policy", "stance": "neutral", "targets_china": True},
        id="cutting_additional_tariffs_on_china_is_relief",
    ),
    pytest.param(
        "DHS Adds Solar Polysilicon Makers to the UFLPA Entity List",
        "Goods made by the listed Chinese firms are presumed to involve forced labor.",
        {"source": "DHS press releases", **US, "date": "2024-06-01"},
        {"actor": "US", "domain": "trade_policy", "targets_china": True},
        id="uflpa_listings_are_trade_policy",
    ),
    pytest.param(
        "Draft Ordinance on Prior Notice of Technology Transfers Abroad",
        "Firms would tell the ministry before transferring specified chip technologies to foreign partners.",
        {"source": "METI news releases", **JP, "date": "2025-03-01"},
        {"actor": "JP", "domain": "export_controls"},
        id="technology_transfer_notice_is_export_controls",
    ),
    pytest.param(
        "Joint Statement of the Finance Ministers on Exchange Rates",
        "Both sides reaffirm that exchange rates should be market-determined.",
        {"source": "Treasury press releases", **US, "date": "2025-09-12"},
        {"relevant": False},
        id="an_exchange_rate_statement_is_routine",
    ),
    pytest.param(
        "NRC Renews Operating Licenses for a Nuclear Plant",
        "After safety reviews the reactors may run for another twenty years.",
        {"source": "NRC news releases", **US, "date": "2025-01-10"},
        {"relevant": False},
        id="a_reactor_licence_is_routine",
    ),
]


@pytest.mark.parametrize(("title", "summary", "kw", "expected"), CASES)
def test_pattern(title, summary, kw, expected):
    assert_fields(title, summary, kw, expected)
