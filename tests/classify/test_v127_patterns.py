"""Patterns added in rules-v1.27 (docs/classifier.md, "Change log v1.27").

Own wording; one general rule per case: a customs authority suspending imports is trade
policy; resembling the US approach converges; a visit's fact sheet ranging over fields is
cooperation; no other G7 member with a comparable regime diverges (a 'closing the gaps in'
title is about loopholes, not the allies' gap); straining ties with an ally diverges; an
order permitting a blocked deal converges; illegal shipping charges are export-control
enforcement; a selection of projects and a yearly support decision are administrative;
signing an MOU with Japan is joint; a rule Tokyo has not mirrored diverges; removals after
completing end-use checks are neutral; blocking a Chinese land purchase is neutral; a text
the US has not signed on to diverges; a titled submission of comments is an objection;
export bans on listed parties are export controls; curbing Chinese investment is a measure;
amending cabinet orders is a rule change; an unlawful-exports plea is relevant; Japan's
shipbuilding support after the US order converges; projects under the investment arrangement
converge in any field.
"""

import pytest

from tests.classify.factories import JP, US, assert_fields

CASES = [
    pytest.param(
        "Customs Authority Suspends Imports of Beef Originating in Japan",
        "The suspension takes effect at once on food-safety grounds.",
        {"source": "GACC announcements", "country": "other", "date": "2024-02-01"},
        {"relevant": True, "actor": "other", "domain": "trade_policy"},
        id="suspending_imports_is_trade_policy",
    ),
    pytest.param(
        "Japan's Minerals Stockpile After the Gallium Curbs",
        "The paper concludes that Japan's mix of reserves and allied sourcing now resembles the US approach.",
        {"source": "Tokyo Foundation", **JP, "date": "2024-03-27"},
        {"stance": "converging"},
        id="resembling_the_us_approach_converges",
    ),
    pytest.param(
        "Fact Sheet: The President Welcomes Prime Minister Ishiba for an Official Visit",
        "The leaders pledge work on export controls, semiconductors, critical minerals and energy security.",
        {"source": "White House briefing room", **US, "date": "2025-02-07"},
        {"domain": "cooperation"},
        id="a_visit_fact_sheet_is_cooperation",
    ),
    pytest.param(
        "Closing the Gaps in Outbound Investment Rules",
        "The report urges Treasury to widen its rules and notes that no other G7 member has a "
        "comparable regime.",
        {"source": "CNAS", **US, "date": "2024-10-21"},
        {"stance": "diverging"},
        id="no_other_g7_member_diverges",
    ),
    pytest.param(
        "What Blocking the Steel Deal Tells Allied Investors",
        "The authors argue that the veto blurs the line between allies and adversaries and strains "
        "ties with Tokyo.",
        {"source": "Brookings", **US, "date": "2025-01-08"},
        {"stance": "diverging"},
        id="straining_ties_with_an_ally_diverges",
    ),
    pytest.param(
        "Presidential Order Permits Nippon Steel Purchase Under Security Agreement",
        "The January prohibition is lifted once the companies sign a national security agreement.",
        {"source": "White House news", **US, "date": "2025-06-13"},
        {"stance": "converging"},
        id="an_order_permitting_a_blocked_deal_converges",
    ),
    pytest.param(
        "Two Charged With Illegally Shipping GPUs to China",
        "Prosecutors say the defendants routed restricted processors through third countries.",
        {"source": "Justice Department news", **US, "date": "2025-08-05"},
        {"domain": "export_controls", "stance": "neutral"},
        id="illegal_shipping_charges_are_export_control_enforcement",
    ),
    pytest.param(
        "Selection of Projects Under the Post-5G Information Systems R&D Program",
        "NEDO adopts new themes on advanced chip packaging and edge AI processors, funding consortia "
        "of domestic manufacturers.",
        {"source": "NEDO news releases", **JP, "date": "2025-08-20"},
        {"stance": "neutral"},
        id="a_selection_of_projects_is_administrative",
    ),
    pytest.param(
        "Memorandum of Understanding on Japan's $550 Billion Pledge",
        "The Commerce Secretary and Japan's chief negotiator sign an MOU on projects chosen by a "
        "joint committee.",
        {"source": "Commerce Department news", **US, "date": "2025-09-04"},
        {"actor": "joint", "stance": "converging"},
        id="signing_an_mou_with_japan_is_joint",
    ),
    pytest.param(
        "How US Affiliate Controls Reach Japanese Distributors",
        "Many of their partners fall within the US rule, which Tokyo has not mirrored.",
        {"source": "Institute of Geoeconomics", **JP, "date": "2025-10-21"},
        {"stance": "diverging"},
        id="a_rule_tokyo_has_not_mirrored_diverges",
    ),
    pytest.param(
        "Rapidusに対する令和9年度の支援の決定",
        "経済産業省は2ナノ半導体の量産に向けた計画について、令和9年度分の支援額を決定した。",
        {"source": "METI news releases (ja)", **JP, "date": "2027-03-26"},
        {"stance": "neutral"},
        id="a_yearly_support_decision_is_administrative",
    ),
    pytest.param(
        "Revisions to the Unverified List",
        "After completing end-use checks, BIS takes 20 parties off the list, most of them in China.",
        {"source": "Federal Register: Industry and Security Bureau", **US, "date": "2024-08-21"},
        {"stance": "neutral"},
        id="removals_after_end_use_checks_are_neutral",
    ),
    pytest.param(
        "President Prohibits Acquisition of Real Estate Near an Air Base",
        "Acting on a CFIUS review, the President orders the Chinese-owned buyer to sell land near the base.",
        {"source": "White House news", **US, "date": "2024-05-13"},
        {"stance": "neutral"},
        id="blocking_a_chinese_land_purchase_is_neutral",
    ),
    pytest.param(
        "Co-Convenors' Statement on the E-Commerce Joint Statement Initiative",
        "Japan and partners present a stabilised text; several members, the United States among them, "
        "have not signed on.",
        {"source": "MOFA press releases", **JP, "date": "2024-07-26"},
        {"actor": "JP", "stance": "diverging"},
        id="a_text_the_us_has_not_signed_on_to_diverges",
    ),
    pytest.param(
        "Submission of Comments by the Government of Japan on the U.S. Proposed Rule on Drones",
        "Tokyo asks Commerce to narrow the rule and give Japanese makers more time.",
        {"source": "METI news releases", **JP, "date": "2025-03-01"},
        {"actor": "JP", "stance": "diverging"},
        id="a_titled_submission_of_comments_is_an_objection",
    ),
    pytest.param(
        "ロシア等の特定団体への輸出等の禁止措置の対象追加",
        "制裁の迂回に関わったとされる第三国の団体を輸出等禁止の対象に加える。",
        {"source": "METI news releases (ja)", **JP, "date": "2025-06-01"},
        {"domain": "export_controls"},
        id="export_bans_on_listed_parties_are_export_controls",
    ),
    pytest.param(
        "Investment Policy Memorandum",
        "The memorandum tells agencies to use CFIUS to curb Chinese investment in farmland and technology.",
        {"source": "White House news", **US, "date": "2025-02-21"},
        {"stance": "diverging"},
        id="curbing_chinese_investment_is_a_measure",
    ),
    pytest.param(
        "対内直接投資等に関する政令等の改正",
        "特定外国投資家は事前届出の免除制度を利用できなくなる。",
        {"source": "MOF press releases (ja)", **JP, "date": "2025-04-18"},
        {"stance": "converging"},
        id="amending_cabinet_orders_is_a_rule_change",
    ),
    pytest.param(
        "Software Firm Agrees to Plead Guilty Over Unlawful Exports to a Chinese University",
        "The company admits sending tools to a listed party.",
        {"source": "Justice Department news", **US, "date": "2025-07-28"},
        {"relevant": True, "domain": "export_controls"},
        id="an_unlawful_exports_plea_is_relevant",
    ),
    pytest.param(
        "造船業再生に向けた支援策の取りまとめ",
        "2035年までに建造量を倍増させる目標の下、基金の創設や人材育成への支援を盛り込んだ。",
        {"source": "Kantei (ja)", **JP, "date": "2025-12-12"},
        {"stance": "converging"},
        id="shipbuilding_support_after_the_us_order_converges",
    ),
    pytest.param(
        "Commerce Announces Mining Projects Selected for Japanese Investment Financing",
        "The investment committee recommends two critical minerals projects under the memorandum.",
        {"source": "Commerce Department news", **US, "date": "2026-03-25"},
        {"stance": "converging"},
        id="projects_under_the_investment_arrangement_converge_in_any_field",
    ),
]


@pytest.mark.parametrize(("title", "summary", "kw", "expected"), CASES)
def test_pattern(title, summary, kw, expected):
    assert_fields(title, summary, kw, expected)
