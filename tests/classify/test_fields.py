"""Relevance, actor, domain and targets_china on clear and hard items (own wording)."""

import pytest

from tests.classify.factories import CLASSIFIER, baseline, item


def labels(it):
    return CLASSIFIER.classify(it, baseline()).labels


@pytest.mark.parametrize(
    "it",
    [
        item(
            "Trade Statistics for May: Chip Equipment Exports to China at a Record",
            "Shipments of semiconductor manufacturing equipment to China rose, lifting the monthly surplus.",
            source="MOF press releases",
        ),
        item(
            "Seminar on Security Export Controls for Exporters",
            "METI explains licensing procedures; registration is open until June 10.",
        ),
        item(
            "SEMICON Japan Opens With Record Number of Exhibitors",
            "The chip equipment trade show features Chinese and Japanese suppliers.",
            source="JETRO news",
        ),
        item(
            "Cybersecurity Awareness Month Campaign Begins",
            "The campaign asks citizens to update software and use strong passwords.",
            source="NISC news",
        ),
        item(
            "令和６年１２月分貿易統計（速報）の概要",
            "中国向けの半導体等製造装置の輸出が増加した。",
            source="MOF press releases (ja)",
        ),
    ],
)
def test_routine_items_that_mention_chips_china_or_security_are_irrelevant(it):
    got = labels(it)
    assert (got.relevant, got.actor, got.domain, got.stance, got.targets_china) == (
        False,
        None,
        "none",
        "neutral",
        False,
    )


def test_entity_list_addition_is_us_export_control_on_china():
    got = labels(
        item(
            "Commerce Adds Chinese Chipmakers to the Entity List",
            "Exports of items subject to the EAR to the firms need a licence.",
            source="BIS press releases",
            country="US",
        )
    )
    assert (got.relevant, got.actor, got.domain, got.targets_china) == (True, "US", "export_controls", True)


@pytest.mark.parametrize(
    ("title", "summary", "source", "actor", "domain"),
    [
        (
            "経済産業省、半導体製造装置の輸出管理を強化する省令を公布",
            "外為法に基づき輸出許可の対象品目を追加する。",
            "METI news releases (ja)",
            "JP",
            "export_controls",
        ),
        (
            "米商務省、中国企業をエンティティー・リストに追加",
            "米国製品の輸出には許可が必要となる。",
            "JETRO business news (ja)",
            "US",
            "export_controls",
        ),
        (
            "日米首脳共同声明の発出",
            "両首脳は経済安全保障とサプライチェーン強靱化での協力で一致した。",
            "MOFA press releases (ja)",
            "joint",
            "cooperation",
        ),
        (
            "中国商務部、レアアース関連技術の輸出を禁止",
            "中国政府は精錬技術の輸出を禁止すると発表した。",
            "JETRO business news (ja)",
            "other",
            "export_controls",
        ),
        (
            "対内直接投資等に係る事前届出対象業種の追加について",
            "外為法に基づく事前届出の対象に重要鉱物関連の業種を加える。",
            "MOF press releases (ja)",
            "JP",
            "investment_screening",
        ),
    ],
)
def test_japanese_titles_get_relevance_actor_and_domain(title, summary, source, actor, domain):
    got = labels(item(title, summary, source=source))
    assert (got.relevant, got.actor, got.domain) == (True, actor, domain)


def test_full_width_g7_statement_is_joint():
    got = labels(
        item(
            "Ｇ７首脳コミュニケの発出",
            "Ｇ７首脳は経済的威圧への対応と重要鉱物の供給網強靱化で一致した。",
            source="MOFA press releases (ja)",
        )
    )
    assert got.relevant and got.actor == "joint"


def test_third_country_named_as_target_is_not_the_actor():
    got = labels(
        item(
            "Treasury Designates Russian Banks Evading Sanctions",
            "OFAC blocks the property of twelve banks acting alongside G7 partners.",
            source="Treasury press releases",
            country="US",
        )
    )
    assert (got.actor, got.domain) == ("US", "sanctions")


def test_china_acting_does_not_target_china():
    got = labels(
        item(
            "Ban on Exports of Antimony Technology",
            "China prohibits exports of antimony processing technology.",
            source="MOFCOM announcements",
            country="other",
        )
    )
    assert (got.actor, got.targets_china) == ("other", False)


def test_agreement_with_china_as_member_does_not_target_china():
    got = labels(
        item(
            "RCEP Ministers Meet to Review Implementation",
            "Japan, China and the other members review tariff schedules of the agreement.",
            source="MOFA press releases",
        )
    )
    assert got.relevant and not got.targets_china


@pytest.mark.parametrize(
    ("title", "summary", "domain"),
    [
        (
            "Cabinet Approves Bill Tightening Foreign Investment Screening",
            "The bill widens prior notification under FEFTA.",
            "investment_screening",
        ),
        (
            "Subsidy for Advanced Chip Production Sites Expanded",
            "The fund will support leading-edge chip plants.",
            "industrial_policy",
        ),
        (
            "Japan Freezes Assets of More Russian Entities",
            "Asset freezes are imposed in coordination with the G7.",
            "sanctions",
        ),
        (
            "Notification to the WTO on Safeguard Measures",
            "Japan reserves the right to suspend concessions over additional tariffs.",
            "trade_policy",
        ),
        (
            "Guidelines on Supply-Chain Risk in Government ICT Procurement",
            "Ministries will assess cybersecurity risk of telecom equipment.",
            "tech_security",
        ),
        (
            "Critical Minerals Stockpile Expanded",
            "JOGMEC will stockpile more rare earths to prepare for supply disruptions.",
            "supply_chain",
        ),
    ],
)
def test_domain_on_clear_cases(title, summary, domain):
    assert labels(item(title, summary)).domain == domain
