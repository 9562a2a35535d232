"""Patterns added in rules-v1.25 (docs/classifier.md, "Change log v1.25").

Own wording; one general rule per case: "little appetite to copy" and reach to tools made
abroad diverge (the latter outweighing a carve-out for equivalent controls); tariff
increases stay restrictions though the summary lists exclusions; an actionable finding
with tariff action is a measure, not an open inquiry; amending FEFTA orders is a rule
change; renewed denial orders, preliminary award memoranda and monetary penalties are
administrative; guidance on tariff exclusions is procedural; anti-subsidy probes are trade
policy; covered-equipment rules and the list of Chinese military companies are tech
security; a national-security veto is screening and "a gift to Beijing" targets no one; a
minister's statement on the US decision is that US measure; an agency and the counterpart
signing a memorandum, and the two leaders signing, are joint; a joint meeting launching a
named minerals initiative is supply chain; counter-narcotics designations are neutral.
"""

import pytest

from tests.classify.factories import JP, US, assert_fields

CASES = [
    pytest.param(
        "What the Outbound Investment Rules Mean for Allies",
        "The brief finds the tiers go further than any ally has gone; partners such as Japan show "
        "little appetite to copy them.",
        {"source": "Carnegie Endowment", **US, "date": "2024-11-01"},
        {"stance": "diverging"},
        id="little_appetite_to_copy_diverges",
    ),
    pytest.param(
        "Advanced Computing Items: Additional Direct Product Rules",
        "The rule extends licence requirements to tools made abroad with US technology, with "
        "carve-outs for countries that have equivalent controls.",
        {"source": "Federal Register: Industry and Security Bureau", **US, "date": "2025-01-15"},
        {"stance": "diverging"},
        id="tools_made_abroad_outweigh_the_equivalent_controls_carve_out",
    ),
    pytest.param(
        "USTR Confirms Section 301 Tariff Increases on Chinese Goods",
        "Increases on batteries and graphite are confirmed, with some machinery exclusions.",
        {"source": "USTR press releases", **US, "date": "2024-09-13"},
        {"stance": "diverging"},
        id="tariff_increases_are_restrictions_despite_exclusions",
    ),
    pytest.param(
        "USTR Concludes Section 301 Investigation of China's Shipbuilding Practices",
        "The trade representative finds the practices actionable and announces tariff action.",
        {"source": "USTR press releases", **US, "date": "2025-04-17"},
        {"stance": "diverging"},
        id="an_actionable_finding_with_tariff_action_is_a_measure",
    ),
    pytest.param(
        "外為法に基づく政省令の改正について",
        "外国政府に協力義務を負う投資家について事前届出の免除を使えないようにし、審査を強める。",
        {"source": "MOF press releases (ja)", **JP, "date": "2025-04-25"},
        {"actor": "JP", "stance": "converging"},
        id="amending_fefta_orders_is_a_rule_change",
    ),
    pytest.param(
        "Order Renewing Denial of Export Privileges for a Cargo Airline",
        "BIS extends the order by 180 days after the carrier kept flying US-origin aircraft to Russia.",
        {"source": "Federal Register: Industry and Security Bureau", **US, "date": "2024-05-01"},
        {"stance": "neutral"},
        id="a_renewed_denial_order_is_administrative",
    ),
    pytest.param(
        "Commerce Signs Preliminary Memorandum With a Memory Chipmaker",
        "Up to $6 billion in direct funding is proposed for two memory fabs.",
        {"source": "Commerce Department news", **US, "date": "2024-04-25"},
        {"stance": "neutral"},
        id="a_preliminary_memorandum_is_administrative",
    ),
    pytest.param(
        "CFIUS Imposes $20 Million Penalty on a Telecom Carrier",
        "The committee finds the carrier breached its mitigation agreement.",
        {"source": "Treasury press releases", **US, "date": "2024-08-14"},
        {"stance": "neutral"},
        id="a_monetary_penalty_is_enforcement",
    ),
    pytest.param(
        "Guidance on Exclusion of Smartphones From Reciprocal Tariffs",
        "Importers are told which entries are not subject to the reciprocal duties and how to claim refunds.",
        {"source": "CBP newsroom", **US, "date": "2025-04-14"},
        {"stance": "neutral"},
        id="guidance_on_exclusions_is_procedural",
    ),
    pytest.param(
        "Commission Opens Anti-Subsidy Probe Into Chinese Wind Turbines",
        "The investigation will assess whether subsidies distort the EU market.",
        {"source": "European Commission press corner", "country": "other", "date": "2024-04-09"},
        {"actor": "other", "domain": "trade_policy"},
        id="an_anti_subsidy_probe_is_trade_policy",
    ),
    pytest.param(
        "FCC Tightens Rules on Covered Equipment",
        "Devices with modular parts from covered companies can no longer be authorized.",
        {"source": "FCC news releases", **US, "date": "2025-10-28"},
        {"relevant": True, "domain": "tech_security"},
        id="covered_equipment_rules_are_tech_security",
    ),
    pytest.param(
        "Pentagon Updates Its List of Chinese Military Companies",
        "More firms are named as operating in the United States while supporting the PLA.",
        {"source": "Department of Defense releases", **US, "date": "2025-01-07"},
        {"domain": "tech_security"},
        id="the_chinese_military_companies_list_is_tech_security",
    ),
    pytest.param(
        "A Veto That Helps No One",
        "The commentary argues that a national-security veto of the Japanese bid would be a gift to Beijing.",
        {"source": "Hudson Institute", **US, "date": "2024-12-10"},
        {"domain": "investment_screening", "targets_china": False},
        id="a_national_security_veto_is_screening_and_a_gift_to_beijing_no_target",
    ),
    pytest.param(
        "Statement by Minister Akazawa on the U.S. Tariff Decision",
        "The minister calls the decision regrettable and says Japan will keep pressing for relief.",
        {"source": "METI news releases", **JP, "date": "2025-04-03"},
        {"actor": "US"},
        id="a_ministers_statement_on_the_us_decision_is_that_measure",
    ),
    pytest.param(
        "Commerce and Japan Sign Memorandum on Shipbuilding Finance",
        "The two governments set up a committee to choose yards for Japanese financing.",
        {"source": "Commerce Department news", **US, "date": "2025-10-28"},
        {"actor": "joint", "stance": "converging"},
        id="an_agency_and_the_counterpart_signing_a_memorandum_are_joint",
    ),
    pytest.param(
        "President Trump and Prime Minister Takaichi Sign Shipbuilding Accord",
        "The two governments will finance new yards.",
        {"source": "White House news", **US, "date": "2025-10-28"},
        {"actor": "joint"},
        id="the_two_leaders_signing_is_joint",
    ),
    pytest.param(
        "Quad Foreign Ministers' Meeting in New Delhi",
        "The ministers of Japan, the United States, Australia and India launch a Quad Critical "
        "Minerals Initiative.",
        {"source": "MOFA press releases", **JP, "date": "2026-07-01"},
        {"domain": "supply_chain"},
        id="a_quad_meeting_launching_a_minerals_initiative_is_supply_chain",
    ),
    pytest.param(
        "Treasury Targets China-Based Fentanyl Network",
        "OFAC designates firms in China that supply precursor chemicals.",
        {"source": "Treasury press releases", **US, "date": "2024-06-01"},
        {"stance": "neutral"},
        id="counter_narcotics_designations_are_neutral_1",
    ),
    pytest.param(
        "Sanctions on China-Based Fentanyl Suppliers",
        "OFAC designates companies in China supplying precursor chemicals to cartels.",
        {"source": "Treasury press releases", **US, "date": "2024-06-01"},
        {"stance": "neutral"},
        id="counter_narcotics_designations_are_neutral_2",
    ),
    pytest.param(
        "Treasury Targets Chinese Fentanyl Precursor Suppliers",
        "OFAC designates firms in China.",
        {"source": "Treasury press releases", **US, "date": "2024-06-01"},
        {"stance": "neutral"},
        id="counter_narcotics_designations_are_neutral_3",
    ),
]


@pytest.mark.parametrize(("title", "summary", "kw", "expected"), CASES)
def test_pattern(title, summary, kw, expected):
    assert_fields(title, summary, kw, expected)
