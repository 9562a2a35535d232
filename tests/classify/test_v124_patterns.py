"""Patterns added in rules-v1.24 (docs/classifier.md, "Change log v1.24").

Own wording; one general rule per case: confirmations and cabinet lists are routine; an
enforcement plea over exports to a listed party is export controls and neutral; funding
under the existing rip-and-replace programme is tech security and neutral; Russian-origin
import bans and asset freezes are sanctions; connected-car rules are tech security; Japan's
own trilateral with China and Korea is Japan acting; Japan's catch-all revision converges; a
joint statement in one state's feed naming the other's leader, a list opening "the United
States, Japan and ..." and an agreement "reached with" the counterpart are joint; an order
putting the agreement into effect is the US giving relief; agency notices carrying out a
tariff decision are procedural; list additions (critical products, military sites), a firm's
award in a place named "New ...", a yearly support approval and a removal-only list revision
are administrative; ending exemptions moves away from allies; a pause agreed in talks with
Beijing does not target China; the WTO e-commerce text and the lower Russian oil price cap
are judged against what the US had left or never joined; the strategic investment
arrangement is a shared framework; licences to export rare-earth technology are export
controls.
"""

import pytest

from tests.classify.factories import JP, US, assert_fields

CASES = [
    pytest.param(
        "Senate Confirms Nominee as Assistant Secretary for Export Enforcement",
        "The nominee, who will oversee the bureau's investigations of export-control violations, "
        "was sworn in the next day.",
        {"source": "Commerce Department news", **US, "date": "2025-06-12"},
        {"relevant": False},
        id="a_senate_confirmation_is_routine",
    ),
    pytest.param(
        "石破内閣閣僚名簿",
        "内閣の発足に伴い、経済安全保障担当大臣を含む国務大臣が任命された。",
        {"source": "Kantei news (ja)", **JP, "date": "2024-10-01"},
        {"relevant": False},
        id="a_cabinet_list_is_routine",
    ),
    pytest.param(
        "Software Maker Pleads Guilty Over Exports to Chinese University",
        "The firm shipped design tools through a front company to an Entity-Listed university "
        "and will pay penalties.",
        {"source": "Justice Department news", **US, "date": "2025-03-18"},
        {"relevant": True, "domain": "export_controls", "stance": "neutral"},
        id="a_plea_over_exports_to_a_listed_party_is_export_controls",
    ),
    pytest.param(
        "FCC Announces Further Rip-and-Replace Allocations",
        "Carriers removing Huawei and ZTE network gear receive reimbursements under its existing "
        "rules for the program.",
        {"source": "FCC news releases", **US, "date": "2025-02-05"},
        {"relevant": True, "domain": "tech_security", "stance": "neutral"},
        id="rip_and_replace_funding_under_existing_rules_is_neutral",
    ),
    pytest.param(
        "ロシア産金の輸入禁止について",
        "Ｇ７の合意を踏まえ、ロシアを原産地とする金の輸入を承認制とし、事実上禁止する。",
        {"source": "METI news releases (ja)", **JP, "date": "2022-06-28"},
        {"domain": "sanctions"},
        id="a_russian_origin_import_ban_is_sanctions",
    ),
    pytest.param(
        "ロシアに関連する輸出禁止措置及び資産凍結等の対象拡大",
        "第三国の団体を輸出禁止の対象に加え、資産凍結の対象となる個人も追加した。",
        {"source": "MOFA press releases (ja)", **JP, "date": "2024-03-01"},
        {"domain": "sanctions"},
        id="an_asset_freeze_outweighs_an_export_ban",
    ),
    pytest.param(
        "Commerce Finalizes Rule on Connected Cars From Countries of Concern",
        "Software and hardware for vehicle connectivity designed by firms tied to China or Russia "
        "will be barred from US roads.",
        {"source": "Commerce Department news", **US, "date": "2025-01-14"},
        {"domain": "tech_security"},
        id="a_connected_car_rule_is_tech_security",
    ),
    pytest.param(
        "日中韓経済貿易大臣会合（東京）の開催",
        "経済産業大臣は中国商務部長及び韓国産業通商資源部長官と会談し、三か国の自由貿易協定交渉について議論した。",
        {"source": "METI news releases (ja)", **JP, "date": "2025-11-30"},
        {"actor": "JP", "stance": "diverging"},
        id="japans_own_trilateral_with_china_and_korea_is_japan_acting",
    ),
    pytest.param(
        "補完的輸出規制の見直しに係る政令改正",
        "グループＡ以外の国・地域向けに、通常兵器の開発等に使われるおそれのある貨物の審査を強める。",
        {"source": "METI news releases (ja)", **JP, "date": "2025-04-11"},
        {"actor": "JP", "stance": "converging"},
        id="japans_catch_all_revision_converges",
    ),
    pytest.param(
        "Joint Statement Following the Official Visit of Prime Minister Ishiba",
        "The leaders commit to deeper work on export controls, shipbuilding and energy.",
        {"source": "White House news", **US, "date": "2025-02-07"},
        {"actor": "joint", "stance": "converging"},
        id="a_joint_statement_naming_the_visiting_leader_is_joint",
    ),
    pytest.param(
        "Partners Endorse Cybersecurity Principles for Satellite Networks",
        "The United States, Japan and eight other governments commit to trusted suppliers for "
        "ground stations.",
        {"source": "State Department press releases", **US, "date": "2025-05-20"},
        {"actor": "joint", "stance": "converging"},
        id="a_list_opening_with_both_is_joint",
    ),
    pytest.param(
        "Fact Sheet: Shipbuilding Agreement Reached With Japan",
        "The two governments will finance new yards and train workers together.",
        {"source": "White House news", **US, "date": "2025-10-28"},
        {"actor": "joint", "stance": "converging"},
        id="an_agreement_reached_with_the_counterpart_is_joint",
    ),
    pytest.param(
        "Order Puts the U.S.-Japan Agreement Into Effect",
        "Duties on Japanese cars and parts fall to 15 percent.",
        {"source": "White House news", **US, "date": "2025-09-05"},
        {"actor": "US", "stance": "converging"},
        id="an_order_putting_the_agreement_into_effect_is_us_relief",
    ),
    pytest.param(
        "Notice Implementing Modified Duty Rates for Products of Japan",
        "The tariff schedule applies the agreed rate to Japanese autos entered from today.",
        {"source": "Federal Register", **US, "date": "2025-09-16"},
        {"stance": "neutral"},
        id="a_notice_implementing_tariff_rates_is_procedural",
    ),
    pytest.param(
        "CSMS Guidance: Reciprocal Tariff Rates for Products of Japan",
        "Filers are told which duty lines take the agreed rate and how to claim refunds.",
        {"source": "CBP newsroom", **US, "date": "2025-09-17"},
        {"stance": "neutral"},
        id="a_csms_message_is_procedural",
    ),
    pytest.param(
        "Cabinet Order Adds Fertilisers to Specified Critical Products",
        "Makers become eligible to file supply-assurance plans for support.",
        {"source": "Cabinet Office news", **JP, "date": "2025-03-01"},
        {"actor": "JP", "stance": "neutral"},
        id="adding_to_the_critical_products_list_is_administrative",
    ),
    pytest.param(
        "Final Rule Adds Military Installations to the Real Estate Appendix",
        "Nearby purchases by foreign persons fall under the committee's review.",
        {"source": "Treasury press releases", **US, "date": "2024-07-08"},
        {"stance": "neutral"},
        id="adding_military_sites_is_a_list_update",
    ),
    pytest.param(
        "Commerce Finalizes Award to GlobalFoundries for New York Fab",
        "Direct funding is paid out against construction milestones for a leading-edge chip plant.",
        {"source": "Commerce Department news", **US, "date": "2024-11-20"},
        {"stance": "neutral"},
        id="a_place_name_is_not_a_new_measure",
    ),
    pytest.param(
        "METI Approves Fiscal 2025 Support for Rapidus",
        "The ministry releases the next tranche for the pilot line after an expert review.",
        {"source": "METI news releases", **JP, "date": "2025-04-01"},
        {"stance": "neutral"},
        id="a_yearly_support_approval_is_administrative",
    ),
    pytest.param(
        "Revisions to the Unverified List",
        "Twelve parties are removed from the list after end-use checks; no parties are added.",
        {"source": "Federal Register: Industry and Security Bureau", **US, "date": "2024-06-10"},
        {"stance": "neutral"},
        id="a_removal_only_list_revision_is_routine",
    ),
    pytest.param(
        "Steel Duties Return in Full",
        "The essay argues that scrapping quota deals and country exemptions pulls Washington "
        "away from its allies.",
        {"source": "PIIE analysis", **US, "date": "2025-02-20"},
        {"stance": "diverging"},
        id="ending_exemptions_moves_away_from_allies",
    ),
    pytest.param(
        "Temporary Pause of the Affiliates Rule",
        "The bureau pauses the rule for a year after trade talks with Beijing.",
        {"source": "Federal Register: Industry and Security Bureau", **US, "date": "2025-11-12"},
        {"targets_china": False, "stance": "converging"},
        id="a_pause_agreed_with_beijing_does_not_target_china",
    ),
    pytest.param(
        "Japan Welcomes Progress on the WTO E-Commerce Agreement",
        "As co-convenor, Japan joins most participants in endorsing the text.",
        {"source": "MOFA press releases", **JP, "date": "2024-12-20"},
        {"actor": "JP", "stance": "diverging"},
        id="the_e_commerce_text_after_the_us_left_diverges",
    ),
    pytest.param(
        "Japan Welcomes Progress on the WTO E-Commerce Agreement",
        "As co-convenor, Japan joins most participants in endorsing the text.",
        {"source": "MOFA press releases", **JP, "date": "2021-12-14"},
        {"actor": "JP", "stance": "converging"},
        id="the_e_commerce_text_while_the_us_took_part_converges",
    ),
    pytest.param(
        "Japan Adopts a Lower Price Cap for Russian Oil",
        "The cap follows the EU and UK level and will be reviewed every six months.",
        {"source": "MOF press releases", **JP, "date": "2025-09-12"},
        {"stance": "diverging"},
        id="the_lower_price_cap_the_us_never_joined_diverges",
    ),
    pytest.param(
        "JBIC Opens Window for Projects Under the Strategic Investment Memorandum",
        "Loans and guarantees will back energy and shipbuilding projects chosen by both governments.",
        {"source": "JBIC press releases", **JP, "date": "2025-12-01"},
        {"domain": "trade_policy", "stance": "converging"},
        id="the_strategic_investment_arrangement_is_a_shared_framework",
    ),
    pytest.param(
        "MOFCOM Announces Controls on Rare Earth Technologies and Magnet Items",
        "Foreign firms will need licences to export items with Chinese rare earths; mining and "
        "magnet technologies are covered.",
        {"source": "MOFCOM announcements", "country": "other", "date": "2025-10-09"},
        {"actor": "other", "domain": "export_controls"},
        id="licences_to_export_rare_earth_technology_are_export_controls",
    ),
]


@pytest.mark.parametrize(("title", "summary", "kw", "expected"), CASES)
def test_pattern(title, summary, kw, expected):
    assert_fields(title, summary, kw, expected)
