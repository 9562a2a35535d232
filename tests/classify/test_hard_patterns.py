"""Hard patterns from the 2023-2026 error analysis (docs/classifier.md, "Change log").

Each test is written in our own words, not copied from a labelled file, and checks one
general rule: who acts in a Japanese item about a US measure, how a counterpart carve-out
or a domestic implementing step reads, and that a third state's own controls stay its own.
"""

import pytest

from tests.classify.factories import CLASSIFIER, baseline, item


def labels(title, summary="", **kw):
    return CLASSIFIER.classify(item(title, summary, **kw), baseline()).labels


@pytest.mark.parametrize(
    ("title", "summary"),
    [
        ("米商務省、先端半導体の対中輸出規制を再び強化",
         "米商務省は中国向けの先端半導体の輸出管理を拡大した。"),
        ("米通商代表部、中国製品への追加関税を引き上げ",
         "米通商代表部は通商法３０１条に基づく関税率を引き上げた。"),
        ("米財務省、対外投資規則の最終版を公表",
         "米財務省は中国の先端技術分野への対外投資を規制する"
         "最終規則を公表した。"),
    ],
)
def test_japanese_title_about_a_us_agency_is_a_us_measure(title, summary):
    got = labels(title, summary, source="JETRO business news (ja)", date="2025-03-01")
    assert got.relevant and got.actor == "US"


def test_ministers_remarks_on_a_us_measure_stay_the_us_measure():
    got = labels(
        "米国の自動車関税措置についての経済産業大臣談話",
        "大臣は、日本からの自動車を対象から除外するよう引き続き求めていくと述べた。",
        source="METI news releases (ja)",
        date="2025-03-27",
    )
    assert (got.actor, got.stance) == ("US", "diverging")


def test_formal_exclusion_request_is_japans_act_and_diverges():
    got = labels(
        "Japan Requests Exemption From U.S. Steel Tariffs",
        "The minister formally asked Washington to exclude Japanese steel from the restored duties.",
        source="MOFA press releases",
        date="2025-03-10",
    )
    assert (got.actor, got.domain, got.stance) == ("JP", "trade_policy", "diverging")


def test_comments_on_a_us_proposed_rule_are_japans():
    got = labels(
        "Submission of Comments on the U.S. Proposed Rule on Data Transfers",
        "Japan asks the Justice Department to limit the burden on Japanese firms.",
        date="2024-09-01",
    )
    assert (got.actor, got.stance) == ("JP", "diverging")


def test_domestic_support_for_firms_hit_by_us_tariffs_is_japans_and_neutral():
    got = labels(
        "Special Loans for Parts Makers Affected by U.S. Tariffs",
        "Government lenders open consultation desks and loans for suppliers"
        " hit by the new US duties on cars.",
        date="2025-04-20",
    )
    assert (got.actor, got.stance) == ("JP", "neutral")


def test_tariff_deal_lowering_rates_for_japan_converges():
    got = labels(
        "Order Lowers Tariffs on Japanese Cars to 15 Percent",
        "Imports from Japan pay a lower rate for Japan under the agreement,"
        " without stacking on existing duties.",
        source="White House briefing room",
        country="US",
        date="2025-09-05",
    )
    assert (got.actor, got.domain, got.stance) == ("US", "trade_policy", "converging")


def test_us_rescinding_a_unilateral_chip_rule_converges():
    got = labels(
        "Commerce Rescinds the AI Diffusion Rule",
        "The country-tier caps on compute exports will not be enforced.",
        source="BIS press releases",
        country="US",
        date="2025-05-13",
    )
    assert (got.actor, got.domain, got.stance) == ("US", "export_controls", "converging")


def test_carve_out_for_japan_from_direct_product_rules_converges():
    got = labels(
        "New Direct Product Rules Spare Allied Toolmakers",
        "Tools shipped from countries with equivalent controls,"
        " in practice Japan and the Netherlands, are exempt;"
        " the rules target Chinese fabs.",
        source="CSIS analysis",
        country="US",
        date="2024-12-05",
    )
    assert (got.actor, got.stance) == ("US", "converging")


@pytest.mark.parametrize(
    ("title", "summary", "source", "country"),
    [
        (
            "Preliminary Terms Reached for CHIPS Funding to a Memory Maker",
            "The award under the existing incentives programme supports two fabs.",
            "Commerce Department news",
            "US",
        ),
        (
            "先端半導体工場の生産計画への支援を決定",
            "既存の基金により、新工場の量産計画に最大２０００億円を助成することを決定した。",
            "METI news releases (ja)",
            "JP",
        ),
        (
            "Public Comment on Draft Operational Standards for Background Checks",
            "The government invites comments on how clearance checks will be run under the new law.",
            "Cabinet Office economic security",
            "JP",
        ),
    ],
)
def test_implementing_steps_are_neutral(title, summary, source, country):
    got = labels(title, summary, source=source, country=country, date="2025-02-01")
    assert got.relevant and got.stance == "neutral"


def test_chinas_own_controls_are_other_neutral_and_not_china_targeted():
    got = labels(
        "Exports of Rare-Earth Processing Technology Placed Under Licence",
        "Licences are required for dual-use exports of the technologies"
        " to the United States and other buyers.",
        source="MOFCOM announcements",
        country="other",
        date="2025-10-09",
    )
    want = ("other", "export_controls", "neutral", False)
    assert (got.actor, got.domain, got.stance, got.targets_china) == want


def test_a_third_states_own_entity_list_is_that_states():
    got = labels(
        "Two Chinese Chipmakers Added to the Strategic Export Entity List",
        "Local firms will need permits before shipping to them.",
        source="Ministry of Economic Affairs news (Taiwan)",
        country="other",
        date="2025-06-16",
    )
    assert (got.actor, got.stance, got.targets_china) == ("other", "neutral", True)


def test_us_act_alongside_g7_partners_is_the_us_converging():
    got = labels(
        "Hundreds of Russian Targets Sanctioned Alongside G7 Partners",
        "Treasury designates banks and evasion networks in coordination with Japan and other G7 members.",
        source="Treasury press releases",
        country="US",
        date="2024-02-23",
    )
    assert (got.actor, got.stance) == ("US", "converging")


def test_japan_china_korea_fta_push_is_trade_policy_diverging():
    got = labels(
        "日中韓サミットの開催",
        "三か国の首脳は日中韓ＦＴＡの交渉加速に向けた議論を続けることで一致した。",
        source="Kantei news (ja)",
        date="2025-05-30",
    )
    assert (got.actor, got.domain, got.stance) == ("JP", "trade_policy", "diverging")


def test_china_targeted_rule_the_counterpart_lacks_diverges():
    got = labels(
        "Executive Order Restricts Transfers of Bulk Health Data to China",
        "The Justice Department will issue rules restricting sales of Americans' genomic data"
        " to countries of concern.",
        source="White House briefing room",
        country="US",
        date="2024-03-01",
    )
    assert (got.actor, got.stance, got.targets_china) == ("US", "diverging", True)


def test_partnership_with_a_third_state_is_neutral_for_japan():
    got = labels(
        "Japan-UK Economic Partnership Dialogue Held",
        "The two governments agree to cooperate on supply chains for chips with the United Kingdom.",
        source="MOFA press releases",
        date="2025-02-01",
    )
    assert got.actor == "JP" and got.stance == "neutral"


def test_routine_travel_and_awareness_month_items_are_irrelevant():
    assert not labels(
        "Secretary's Travel to Japan and Korea",
        "The Secretary will attend a G7 ministers' meeting in Tokyo.",
        source="State Department press releases",
        country="US",
    ).relevant
    assert not labels(
        "A Proclamation on Cybersecurity Awareness Month",
        "The President encourages Americans to use strong passwords.",
        source="White House briefing room",
        country="US",
    ).relevant
