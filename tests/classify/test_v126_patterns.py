"""Patterns added in rules-v1.26 (docs/classifier.md, "Change log v1.26").

Own wording; one general rule per case: a firm's yearly plan approval, a grant decision for
one plant, a preliminary agreement, funding for selected projects, a revised End User List,
listings under an existing licence policy and a regime starting under an adopted law are
administrative; setting port fees is a measure; amended investment orders are a rule change;
implementation notices for modified rates are procedural; a proclamation carrying out the
agreement with Japan converges; closing much of the gap converges and what allies have not
matched diverges; the 50 percent rule is a US measure Japan does not impose; controls
extended to rare-earth technologies are export controls; a ransomware statement is tech
security; a G7 statement on Ukraine is sanctions; trade-balance releases, monthly trade
reports and business surveys are routine; the outbound programme targets China; reduced
output is an effect, not relief; a trilateral ministers' meeting naming both is joint.
"""

import pytest

from tests.classify.factories import JP, US, assert_fields

CASES = [
    pytest.param(
        "FY2025 Plan for Rapidus's 2-Nanometre Project Approved",
        "The ministry signs off on the year's work and further funding for pilot production.",
        {"source": "METI news releases", **JP, "date": "2025-04-01"},
        {"stance": "neutral"},
        id="rapidus_yearly_plan_is_administrative",
    ),
    pytest.param(
        "キオクシアの四日市工場における生産計画への助成を決定しました",
        "特定半導体の生産施設整備等の計画に基づき、先端メモリの設備投資に最大約900億円を助成する。",
        {"source": "METI news releases (ja)", **JP, "date": "2024-02-06"},
        {"stance": "neutral"},
        id="a_grant_decision_for_one_plant_is_administrative",
    ),
    pytest.param(
        "CHIPS Preliminary Agreement With an Advanced Packaging Firm",
        "Commerce proposes up to $75 million in direct funding for a substrate plant.",
        {"source": "Commerce Department news", **US, "date": "2024-07-01"},
        {"stance": "neutral"},
        id="a_preliminary_agreement_is_administrative",
    ),
    pytest.param(
        "DOE Announces $2 Billion for Projects Expanding Battery Production",
        "Twenty selected projects in eleven states receive funding from the infrastructure law's "
        "battery program.",
        {"source": "Department of Energy news", **US, "date": "2024-09-20"},
        {"stance": "neutral"},
        id="funding_for_selected_projects_is_administrative",
    ),
    pytest.param(
        "End User List Revised",
        "Entries in several regions are added and deleted; exporters should check the list for "
        "catch-all requirements.",
        {"source": "METI news releases", **JP, "date": "2024-12-20"},
        {"stance": "neutral"},
        id="a_revised_end_user_list_is_administrative",
    ),
    pytest.param(
        "Additions to the Entity List",
        "BIS lists firms in Turkey and China for supplying Russia's military, applying its existing "
        "license review policy.",
        {"source": "Federal Register: Industry and Security Bureau", **US, "date": "2025-03-10"},
        {"stance": "neutral"},
        id="listings_under_the_existing_licence_policy_are_neutral",
    ),
    pytest.param(
        "Pre-Screening of Core Infrastructure Equipment Starts Under the Economic Security Law",
        "Operators must now file plans before installing designated equipment.",
        {"source": "Cabinet Office news", **JP, "date": "2024-05-17"},
        {"stance": "neutral"},
        id="a_regime_starting_under_an_adopted_law_is_neutral",
    ),
    pytest.param(
        "USTR Sets Port Fees on Chinese-Built Vessels",
        "The fees follow the Section 301 probe and start after 180 days.",
        {"source": "USTR press releases", **US, "date": "2025-04-17"},
        {"stance": "diverging"},
        id="setting_port_fees_is_a_measure",
    ),
    pytest.param(
        "Amended Orders on Inward Direct Investment Published",
        "Investors obliged to assist foreign intelligence will lose access to prior-notification exemptions.",
        {"source": "MOF press releases", **JP, "date": "2025-05-19"},
        {"actor": "JP", "stance": "converging"},
        id="amended_investment_orders_are_a_rule_change",
    ),
    pytest.param(
        "Implementation of Modified Tariff Rates on Japanese Automobiles",
        "The notice lists schedule changes that apply the rates set by the executive order to Japanese cars.",
        {"source": "Federal Register", **US, "date": "2025-09-16"},
        {"stance": "neutral"},
        id="implementation_of_modified_rates_is_procedural",
    ),
    pytest.param(
        "Proclamation Carries Out the Trade Agreement With Japan",
        "Most Japanese goods face a 15 percent ceiling.",
        {"source": "White House news", **US, "date": "2025-09-04"},
        {"actor": "US", "stance": "converging"},
        id="carrying_out_the_agreement_with_japan_converges",
    ),
    pytest.param(
        "Tokyo's New Licensing Rules Close Much of the Gap With Washington",
        "The brief finds the rules broadly in line with US controls.",
        {"source": "CNAS", **US, "date": "2023-08-01"},
        {"stance": "converging"},
        id="closing_much_of_the_gap_converges",
    ),
    pytest.param(
        "What Allies Have Not Matched in the New Chip Rules",
        "The US limits on servicing reach further than Japanese controls.",
        {"source": "CSIS analysis", **US, "date": "2024-12-10"},
        {"stance": "diverging"},
        id="what_allies_have_not_matched_diverges",
    ),
    pytest.param(
        "The 50 Percent Rule and Japanese Exporters",
        "Firms must trace customer ownership, a burden Japan's regime does not impose.",
        {"source": "Institute of Geoeconomics", **JP, "date": "2025-10-08"},
        {"actor": "US", "stance": "diverging"},
        id="the_50_percent_rule_is_a_us_measure",
    ),
    pytest.param(
        "MOFCOM Extends Controls to Rare Earth Processing Technologies",
        "Licences will be required for separation and magnet technologies.",
        {"source": "MOFCOM announcements", "country": "other", "date": "2025-10-09"},
        {"domain": "export_controls"},
        id="controls_extended_to_rare_earth_technologies_are_export_controls",
    ),
    pytest.param(
        "Counter Ransomware Initiative Issues Joint Statement",
        "Member governments, the United States and Japan among them, agree to share threat indicators.",
        {"source": "White House briefing room", **US, "date": "2024-10-02"},
        {"domain": "tech_security"},
        id="a_ransomware_statement_is_tech_security",
    ),
    pytest.param(
        "G7 Leaders Issue Statement After Meeting on Ukraine",
        "The leaders agree to restrict imports of Russian diamonds and to act against sanctions "
        "evasion through third countries.",
        {"source": "White House briefing room", **US, "date": "2024-06-14"},
        {"domain": "sanctions"},
        id="a_g7_statement_on_ukraine_is_sanctions",
    ),
    pytest.param(
        "令和7年上半期分の貿易収支（速報値）",
        "輸出額は増加したが、エネルギー輸入も多く、貿易収支は赤字となった。",
        {"source": "MOF press releases (ja)", **JP, "date": "2025-07-17"},
        {"relevant": False},
        id="a_trade_balance_release_is_routine",
    ),
    pytest.param(
        "March 2025 Trade Report: Deficit Widens Again",
        "Imports of pharmaceuticals and gold rose ahead of tariffs.",
        {"source": "Commerce Department news", **US, "date": "2025-05-06"},
        {"relevant": False},
        id="a_monthly_trade_report_is_routine",
    ),
    pytest.param(
        "Survey Report on Overseas Business Operations, FY2024",
        "India tops the list of promising destinations; respondents cite US tariffs as a concern.",
        {"source": "JBIC press releases", **JP, "date": "2024-12-10"},
        {"relevant": False},
        id="a_business_survey_is_routine",
    ),
    pytest.param(
        "Outbound Investment Security Program Filing Portal Opens",
        "US persons can now notify covered transactions online.",
        {"source": "Treasury press releases", **US, "date": "2025-01-02"},
        {"targets_china": True},
        id="the_outbound_program_targets_china",
    ),
    pytest.param(
        "How U.S. Auto Tariffs Spread Through Japanese Parts Makers",
        "The paper estimates that the duties reduce output at suppliers well beyond the assemblers.",
        {"source": "RIETI discussion papers", **JP, "date": "2025-08-28"},
        {"stance": "diverging"},
        id="reduced_output_is_an_effect_not_relief",
    ),
    pytest.param(
        "Commerce and Industry Ministers of the United States, Japan and Korea Hold Trilateral Talks",
        "The three ministers agree to cooperate on early warning for supply chains.",
        {"source": "Commerce Department news", **US, "date": "2024-06-27"},
        {"actor": "joint", "stance": "converging"},
        id="a_trilateral_ministers_meeting_naming_both_is_joint",
    ),
]


@pytest.mark.parametrize(("title", "summary", "kw", "expected"), CASES)
def test_pattern(title, summary, kw, expected):
    assert_fields(title, summary, kw, expected)
