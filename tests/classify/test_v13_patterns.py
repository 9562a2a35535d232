"""Patterns added in rules-v1.3 (docs/classifier.md, "Change log v1.3").

Written in our own words; each test checks one general rule: an implementing step under an
existing programme is neutral even when the counterpart holds the same policy, a measure
taking effect is the adoption only when the actor did not hold it yet, the counterpart
named as hit or left out diverges, a capital followed by punctuation is not a pair
compound, and a few new domain and routine cues.
"""

import pytest

from tests.classify.factories import CLASSIFIER, baseline, item


def labels(title, summary="", **kw):
    return CLASSIFIER.classify(item(title, summary, **kw), baseline()).labels


@pytest.mark.parametrize(
    ("title", "summary", "kw"),
    [
        (
            "Inbound Investment Screening: Guidance on Filing Deadlines",
            "The ministry explains filing deadlines under the existing provisions of the foreign "
            "investment rules; no substantive change is made to the covered sectors.",
            {"date": "2025-06-01"},
        ),
        (
            "対内直接投資の事前届出に係る告示の改正について",
            "業種の表記を整理する技術的な改正であり、対象範囲に実質的な変更はない。",
            {"source": "MOF press releases (ja)", "date": "2025-06-01"},
        ),
        (
            "Export Controls on Chip-Making Tools; Clarifications",
            "The rule corrects cross-references in the chip-equipment controls and adds no new controls.",
            {
                "source": "Federal Register: Industry and Security Bureau",
                "country": "US",
                "date": "2025-06-01",
            },
        ),
    ],
)
def test_step_under_an_existing_programme_is_neutral(title, summary, kw):
    got = labels(title, summary, **kw)
    assert got.relevant and got.stance == "neutral"


def test_measure_taking_effect_that_the_actor_already_held_is_neutral():
    got = labels(
        "Security Clearance System Takes Effect",
        "Ministries may now designate critical economic security information and vet staff.",
        source="Cabinet Office economic security",
        date="2025-06-01",
    )
    assert got.relevant and got.stance == "neutral"


def test_entry_into_force_in_the_summary_does_not_make_a_step_neutral():
    # Readmitting a partner to the preferential group is a relief that converges; the date
    # it takes effect, given in the summary, does not turn it into an implementing step.
    got = labels(
        "輸出貿易管理令の一部を改正する政令が閣議決定されました（グループＡへの追加）",
        "大韓民国をグループＡに再び加える政令改正が閣議決定された。来月１日に施行される。",
        source="METI news releases (ja)",
        date="2023-06-27",
    )
    assert got.stance != "diverging"


def test_tariff_that_every_country_including_the_counterpart_faces_diverges():
    got = labels(
        "Section 232 Aluminum Duties Extended to More Derivative Products",
        "The duty now applies to every country including Japan.",
        source="White House briefing room",
        country="US",
        date="2025-09-01",
    )
    assert (got.actor, got.stance) == ("US", "diverging")


def test_agreement_the_counterpart_stayed_out_of_diverges():
    got = labels(
        "Japan Co-Chairs Talks on the Plurilateral Digital Trade Agreement at the WTO",
        "Participants agree on new e-commerce disciplines; the United States has stayed out of the deal.",
        source="MOFA press releases",
        date="2025-03-01",
    )
    assert (got.actor, got.stance) == ("JP", "diverging")


def test_capital_before_a_colon_is_not_a_pair_compound():
    got = labels(
        "Talks in Washington: Japan Seeks Removal of U.S. Tariffs",
        "The minister asks for the auto and steel tariffs to be lifted for Japanese goods.",
        source="Cabinet Secretariat news",
        date="2025-05-01",
    )
    assert got.actor == "JP"


def test_minister_formally_requests_exemption_is_japans_objection():
    got = labels(
        "Minister Asks for Exemption From Auto Tariffs",
        "The minister formally requests that Washington exempt Japanese cars from the duties.",
        date="2025-03-15",
    )
    assert (got.actor, got.stance) == ("JP", "diverging")


def test_us_japan_and_other_partners_acting_together_is_joint():
    got = labels(
        "Declaration on Secure Chip Supply Chains Signed",
        "The United States, Japan and other partners pledge to coordinate on chips and minerals.",
        source="State Department press releases",
        country="US",
        date="2025-12-01",
    )
    assert (got.actor, got.stance) == ("joint", "converging")


@pytest.mark.parametrize(
    ("title", "summary", "domain"),
    [
        ("Administrative Sanction for Unlicensed Exports of Machine Tools",
         "A firm is barred from exporting for two months.", "export_controls"),
        ("Ministry Opens Calls for Proposals on Quantum Research Themes",
         "New research themes are funded by the programme.", "industrial_policy"),
    ],
)
def test_new_domain_cues(title, summary, domain):
    got = labels(title, summary, date="2026-01-15")
    assert got.relevant and got.domain == domain


@pytest.mark.parametrize(
    ("title", "summary", "source"),
    [
        ("G7サミットにおける報道関係者の取材登録について",
         "取材登録の期限とプレスセンターの利用方法を案内する。",
         "MOFA press releases (ja)"),
        ("Licensing System Offline for Scheduled Maintenance", "Exporters should plan license submissions.",
         "BIS press releases"),
    ],
)
def test_routine_notices_are_irrelevant(title, summary, source):
    assert not labels(title, summary, source=source, date="2026-01-15").relevant
