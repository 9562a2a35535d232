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

from tests.classify.factories import CLASSIFIER, baseline, item


def labels(title, summary="", **kw):
    return CLASSIFIER.classify(item(title, summary, **kw), baseline()).labels


US_FEED = {"source": "Federal Register: Industry and Security Bureau", "country": "US"}


def test_held_divisive_rule_taking_effect_is_neutral():
    got = labels(
        "Outbound Investment Rules Take Effect",
        "Notification duties for covered transactions in Chinese quantum and AI firms now apply.",
        source="Treasury press releases", country="US", date="2025-03-01",
    )
    assert got.relevant and got.actor == "US" and got.stance == "neutral"


def test_correction_to_a_held_divisive_rule_is_neutral():
    got = labels(
        "Foreign Direct Product Rules: Technical Amendments",
        "Cross-references in the advanced-computing rules are fixed; no control changes.",
        date="2025-03-01", **US_FEED,
    )
    assert got.relevant and got.stance == "neutral"


def test_tariffs_taking_effect_still_bite():
    got = labels(
        "Additional Section 232 Duties on Imported Trucks Take Effect",
        "A 25 percent duty now applies to medium and heavy trucks from all countries, Japan included.",
        source="White House briefing room", country="US", date="2025-11-01",
    )
    assert got.actor == "US" and got.stance == "diverging"


def test_relief_that_answers_the_counterpart_converges():
    got = labels(
        "Order Adjusting Duties on Japanese Machinery",
        "The order lowers the additional duty on machine tools, responding to Japan's request.",
        source="White House briefing room", country="US", date="2025-10-01",
    )
    assert got.actor == "US" and got.stance == "converging"


def test_suspending_a_rule_allies_objected_to_converges():
    got = labels(
        "Suspension of the Expanded Licence Requirement for Subsidiaries",
        "The requirement, which allies had objected to, is suspended for a year.",
        date="2025-12-01", **US_FEED,
    )
    assert got.actor == "US" and got.stance == "converging"


def test_implementing_a_joint_agreement_is_the_implementer_acting():
    got = labels(
        "Implementing the United States-Japan Agreement on Steel Quotas",
        "The proclamation sets the quota volumes agreed with Japan and lowers the in-quota duty.",
        source="White House briefing room", country="US", date="2025-10-01",
    )
    assert got.actor == "US"


def test_a_joint_statement_itself_stays_joint():
    got = labels(
        "United States-Japan Joint Statement on Critical Minerals",
        "The two governments agree to coordinate stockpiles and investment in processing.",
        source="White House briefing room", country="US", date="2025-10-01",
    )
    assert got.actor == "joint" and got.stance == "converging"


def test_third_state_feed_naming_its_own_senate_is_that_state():
    got = labels(
        "Senate Passes Higher Duties on Imports From Non-Treaty Partners",
        "Duties of up to 35 percent on steel and textiles from countries without a trade agreement.",
        source="Brazil Ministry of Development press releases", country="other", date="2025-12-01",
    )
    assert got.relevant and got.actor == "other" and got.stance == "neutral"


def test_us_feed_naming_the_senate_is_still_the_us():
    got = labels(
        "Senate Passes Bill Restricting Chinese Drones",
        "The bill would bar federal purchases of drones made by Chinese firms.",
        source="White House briefing room", country="US", date="2025-12-01",
    )
    assert got.actor == "US"


def test_ministers_statement_reporting_a_formal_request_is_an_objection():
    got = labels(
        "米国による追加関税措置について（外務大臣談話）",
        "日本を対象とする追加関税は遺憾であり、政府は米国に対し日本を適用除外とするよう強く申し入れた。",
        source="MOFA press releases (ja)", date="2025-04-05",
    )
    assert got.actor == "JP" and got.stance == "diverging"


def test_ministers_remarks_without_a_request_stay_the_counterparts_measure():
    got = labels(
        "米国の半導体輸出規制の発表について（経済産業大臣コメント）",
        "米国が発表した輸出規制の内容を精査し、国内企業への影響を注視していく。",
        source="METI news releases (ja)", date="2025-01-20",
    )
    assert got.actor == "US"


def test_cyber_awareness_events_are_routine():
    got = labels(
        "サイバーセキュリティ普及啓発キャンペーンの実施について",
        "パスワード管理や詐欺メールへの注意を呼び掛ける啓発イベントを各地で行う。",
        source="NISC news (ja)", date="2025-10-01",
    )
    assert not got.relevant


def test_non_economic_g7_statement_is_routine():
    got = labels(
        "G7 Leaders' Statement on Wildfire Recovery",
        "Leaders agree to share firefighting aircraft and research on recovery after wildfires.",
        source="White House briefing room", country="US", date="2025-06-20",
    )
    assert not got.relevant


def test_japanese_end_user_list_update_is_an_export_control():
    got = labels(
        "外国ユーザーリストの改正について",
        "大量破壊兵器の開発に関与する懸念のある団体を追加した。",
        source="METI news releases (ja)", date="2025-11-01",
    )
    assert got.relevant and got.actor == "JP" and got.domain == "export_controls"


def test_electronic_commerce_is_not_the_commerce_department():
    got = labels(
        "Japan Welcomes Progress on the WTO Electronic Commerce Agreement",
        "Co-convenors report a near-final text on digital trade rules.",
        source="MOFA press releases", date="2025-05-01",
    )
    assert got.relevant and got.actor == "JP" and got.domain == "trade_policy"


# Second round (after holdout-4's first look), same rules of thumb.


def test_rescinding_a_rule_partners_criticised_converges():
    got = labels(
        "Rescission of the Tiered Chip Licensing Framework",
        "Commerce will not enforce the country tiers, which partners had criticised, "
        "and plans a replacement.",
        date="2025-06-01", **US_FEED,
    )
    assert got.actor == "US" and got.stance == "converging"


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


@pytest.mark.parametrize(
    ("title", "summary", "kw"),
    [
        (  # a held rule taking effect
            "Outbound Investment Rules Now in Effect",
            "Notifications for covered deals in Chinese AI and quantum firms apply from today.",
            {"source": "Treasury press releases", "country": "US", "date": "2025-02-01"},
        ),
        (  # a penalty under existing controls
            "Exporter Settles Charges Over Unlicensed Shipments",
            "The company agrees to a civil penalty and a compliance audit for exports of controlled parts.",
            {"source": "BIS press releases", "country": "US", "date": "2025-07-01"},
        ),
        (  # who may test equipment: a domestic procedure
            "Commission Stops Recognising Test Labs Owned by Foreign Adversaries",
            "Equipment authorization will no longer rely on testing laboratories controlled by China.",
            {"source": "FCC news releases", "country": "US", "date": "2025-06-01"},
        ),
    ],
)
def test_administrative_steps_are_neutral(title, summary, kw):
    got = labels(title, summary, **kw)
    assert got.relevant and got.stance == "neutral"


def test_trade_forecast_is_routine():
    got = labels(
        "Trade Forecast: Merchandise Trade Growth to Slow",
        "Economists revise projections as imports brought forward ahead of tariff changes unwind.",
        source="WTO news", country="other", date="2025-10-01",
    )
    assert not got.relevant
