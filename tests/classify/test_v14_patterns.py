"""Patterns added in rules-v1.4 (docs/classifier.md, "Change log v1.4").

Written in our own words; each test checks one general rule, with a contrast case where the
rule must not fire: a divisive rule the actor already holds taking effect or being corrected
is neutral (a tariff taking effect is not), relief that answers the counterpart converges, a
joint act named as the frame of one state's step leaves that state the actor, a third
state's own feed naming a "senate" or an "entity list" is that state acting, a minister's
statement reporting a formal request is the feed's own objection, awareness campaigns and
non-economic G7 statements are routine, and a few Japanese export-control cues.
"""

import pytest

from tests.classify.factories import assert_fields, labels

US_FEED = {"source": "Federal Register: Industry and Security Bureau", "country": "US"}


def test_japans_catch_all_tightening_converges_but_us_listings_still_diverge():
    japan = labels(
        "Ordinance Tightening Catch-All Controls Promulgated",
        "Exporters of unlisted goods must seek a licence when they know of a military use.",
        date="2025-05-01",
    )
    us = labels(
        "Additions to the Entity List",
        "Twenty Chinese firms supplying military end users are added to the Entity List.",
        date="2025-06-01", **US_FEED,
    )
    assert japan.actor == "JP" and japan.stance == "converging"
    assert us.actor == "US" and us.stance == "diverging"


# One rule each: the item, and the labels it must get.
CASES = [
    pytest.param(  # a held rule taking effect
        "Outbound Investment Rules Now in Effect",
        "Notifications for covered deals in Chinese AI and quantum firms apply from today.",
        {"source": "Treasury press releases", "country": "US", "date": "2025-02-01"},
        {"relevant": True, "stance": "neutral"},
        id="held_rule_now_in_effect_is_neutral",
    ),
    pytest.param(  # a penalty under existing controls
        "Exporter Settles Charges Over Unlicensed Shipments",
        "The company agrees to a civil penalty and a compliance audit for exports of controlled parts.",
        {"source": "BIS press releases", "country": "US", "date": "2025-07-01"},
        {"relevant": True, "stance": "neutral"},
        id="penalty_under_existing_controls_is_neutral",
    ),
    pytest.param(  # v1.23 reversed v1.4: barring adversary-controlled labs is a China-aimed
        # step Japan has not taken (eight labelled files say diverging, four neutral)
        "Commission Stops Recognising Test Labs Owned by Foreign Adversaries",
        "Equipment authorization will no longer rely on testing laboratories controlled by China.",
        {"source": "FCC news releases", "country": "US", "date": "2025-06-01"},
        {"relevant": True, "stance": "diverging"},
        id="equipment_test_lab_rule_diverges",
    ),
    pytest.param(
        "Outbound Investment Rules Take Effect",
        "Notification duties for covered transactions in Chinese quantum and AI firms now apply.",
        {"source": "Treasury press releases", "country": "US", "date": "2025-03-01"},
        {"relevant": True, "actor": "US", "stance": "neutral"},
        id="held_divisive_rule_taking_effect_is_neutral",
    ),
    pytest.param(
        "Foreign Direct Product Rules: Technical Amendments",
        "Cross-references in the advanced-computing rules are fixed; no control changes.",
        {"date": "2025-03-01", **US_FEED},
        {"relevant": True, "stance": "neutral"},
        id="correction_to_a_held_divisive_rule_is_neutral",
    ),
    pytest.param(
        "Additional Section 232 Duties on Imported Trucks Take Effect",
        "A 25 percent duty now applies to medium and heavy trucks from all countries, Japan included.",
        {"source": "White House briefing room", "country": "US", "date": "2025-11-01"},
        {"actor": "US", "stance": "diverging"},
        id="tariffs_taking_effect_still_bite",
    ),
    pytest.param(
        "Order Adjusting Duties on Japanese Machinery",
        "The order lowers the additional duty on machine tools, responding to Japan's request.",
        {"source": "White House briefing room", "country": "US", "date": "2025-10-01"},
        {"actor": "US", "stance": "converging"},
        id="relief_that_answers_the_counterpart_converges",
    ),
    pytest.param(
        "Suspension of the Expanded Licence Requirement for Subsidiaries",
        "The requirement, which allies had objected to, is suspended for a year.",
        {"date": "2025-12-01", **US_FEED},
        {"actor": "US", "stance": "converging"},
        id="suspending_a_rule_allies_objected_to_converges",
    ),
    pytest.param(
        "Implementing the United States-Japan Agreement on Steel Quotas",
        "The proclamation sets the quota volumes agreed with Japan and lowers the in-quota duty.",
        {"source": "White House briefing room", "country": "US", "date": "2025-10-01"},
        {"actor": "US"},
        id="implementing_a_joint_agreement_is_the_implementer_acting",
    ),
    pytest.param(
        "United States-Japan Joint Statement on Critical Minerals",
        "The two governments agree to coordinate stockpiles and investment in processing.",
        {"source": "White House briefing room", "country": "US", "date": "2025-10-01"},
        {"actor": "joint", "stance": "converging"},
        id="a_joint_statement_itself_stays_joint",
    ),
    pytest.param(
        "Senate Passes Higher Duties on Imports From Non-Treaty Partners",
        "Duties of up to 35 percent on steel and textiles from countries without a trade agreement.",
        {"source": "Brazil Ministry of Development press releases", "country": "other", "date": "2025-12-01"},
        {"relevant": True, "actor": "other", "stance": "neutral"},
        id="third_state_feed_naming_its_own_senate_is_that_state",
    ),
    pytest.param(
        "Senate Passes Bill Restricting Chinese Drones",
        "The bill would bar federal purchases of drones made by Chinese firms.",
        {"source": "White House briefing room", "country": "US", "date": "2025-12-01"},
        {"actor": "US"},
        id="us_feed_naming_the_senate_is_still_the_us",
    ),
    pytest.param(
        "米国による追加関税措置について（外務大臣談話）",
        "日本を対象とする追加関税は遺憾であり、政府は米国に対し日本を適用除外とするよう強く申し入れた。",
        {"source": "MOFA press releases (ja)", "date": "2025-04-05"},
        {"actor": "JP", "stance": "diverging"},
        id="ministers_statement_reporting_a_formal_request_is_an_objection",
    ),
    pytest.param(
        "米国の半導体輸出規制の発表について（経済産業大臣コメント）",
        "米国が発表した輸出規制の内容を精査し、国内企業への影響を注視していく。",
        {"source": "METI news releases (ja)", "date": "2025-01-20"},
        {"actor": "US"},
        id="ministers_remarks_without_a_request_stay_the_counterparts_measure",
    ),
    pytest.param(
        "サイバーセキュリティ普及啓発キャンペーンの実施について",
        "パスワード管理や詐欺メールへの注意を呼び掛ける啓発イベントを各地で行う。",
        {"source": "NISC news (ja)", "date": "2025-10-01"},
        {'relevant': False},
        id="cyber_awareness_events_are_routine",
    ),
    pytest.param(
        "G7 Leaders' Statement on Wildfire Recovery",
        "Leaders agree to share firefighting aircraft and research on recovery after wildfires.",
        {"source": "White House briefing room", "country": "US", "date": "2025-06-20"},
        {'relevant': False},
        id="non_economic_g7_statement_is_routine",
    ),
    pytest.param(
        "外国ユーザーリストの改正について",
        "大量破壊兵器の開発に関与する懸念のある団体を追加した。",
        {"source": "METI news releases (ja)", "date": "2025-11-01"},
        {"relevant": True, "actor": "JP", "domain": "export_controls"},
        id="japanese_end_user_list_update_is_an_export_control",
    ),
    pytest.param(
        "Japan Welcomes Progress on the WTO Electronic Commerce Agreement",
        "Co-convenors report a near-final text on digital trade rules.",
        {"source": "MOFA press releases", "date": "2025-05-01"},
        {"relevant": True, "actor": "JP", "domain": "trade_policy"},
        id="electronic_commerce_is_not_the_commerce_department",
    ),
    pytest.param(
        "Rescission of the Tiered Chip Licensing Framework",
        "Commerce will not enforce the country tiers, which partners had criticised, "
        "and plans a replacement.",
        {"date": "2025-06-01", **US_FEED},
        {"actor": "US", "stance": "converging"},
        id="rescinding_a_rule_partners_criticised_converges",
    ),
    pytest.param(
        "Trade Forecast: Merchandise Trade Growth to Slow",
        "Economists revise projections as imports brought forward ahead of tariff changes unwind.",
        {"source": "WTO news", "country": "other", "date": "2025-10-01"},
        {'relevant': False},
        id="trade_forecast_is_routine",
    ),
]


@pytest.mark.parametrize(("title", "summary", "kw", "expected"), CASES)
def test_pattern(title, summary, kw, expected):
    assert_fields(title, summary, kw, expected)
