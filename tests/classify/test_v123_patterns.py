"""Patterns added in rules-v1.23 (docs/classifier.md, "Change log v1.23").

Own wording; one general rule per case: IPEF's supply-chain agreement is supply chain, a
national semiconductor mission is industrial policy, a firm's plan and budget approval and
an annual plan are administrative, a trilateral economic-security agenda is cooperation,
"no Japanese counterpart" and the limits of allied alignment diverge, a regional deal
Washington "does not join" is no joint act, following the counterpart's model converges,
capping tariffs under the pair's agreement is relief, and sugar quota notices are routine.
"""

import pytest

from tests.classify.factories import JP, US, assert_fields

CASES = [
    pytest.param(
        "Minister Attends the IPEF Ministerial in San Francisco",
        "Ministers sign the Agreement Relating to Supply Chain Resilience, which sets up councils "
        "to watch for disruptions.",
        {"source": "METI news releases", **JP, "date": "2023-11-15"},
        {"domain": "supply_chain"},
        id="ipefs_supply_chain_agreement_is_supply_chain",
    ),
    pytest.param(
        "Cabinet Approves Three Semiconductor Units Under the India Semiconductor Mission",
        "The approvals include a fabrication plant in Gujarat and two assembly units, backed by "
        "fiscal support.",
        {"source": "India PIB releases", "country": "other", "date": "2024-03-01"},
        {"relevant": True, "actor": "other", "domain": "industrial_policy"},
        id="a_semiconductor_mission_is_industrial_policy",
    ),
    pytest.param(
        "Approval of FY2025 Plan and Budget for Rapidus's Next-Generation Semiconductor Project",
        "METI approves up to 800 billion yen in additional NEDO-funded support for the "
        "2-nanometre pilot line in Hokkaido.",
        {"source": "METI news releases", **JP, "date": "2025-04-01"},
        {"actor": "JP", "stance": "neutral"},
        id="a_plan_and_budget_approval_is_administrative",
    ),
    pytest.param(
        "Cybersecurity Strategic Headquarters Adopts Cybersecurity 2025",
        "The annual plan sets the year's government measures for critical infrastructure and "
        "incident response.",
        {"source": "NISC news", **JP, "date": "2025-07-10"},
        {"actor": "JP", "stance": "neutral"},
        id="an_annual_plan_is_administrative",
    ),
    pytest.param(
        "Two Years After Camp David, the Trilateral Economic Security Track",
        "The piece reviews the three allies' dialogue on export controls and supply-chain early warning.",
        {"source": "Atlantic Council", **US, "date": "2025-08-18"},
        {"domain": "cooperation"},
        id="a_trilateral_economic_security_agenda_is_cooperation",
    ),
    pytest.param(
        "Outbound Investment Rules and the Limits of Allied Alignment",
        "The brief observes that Treasury's final rule has no Japanese counterpart and that "
        "Tokyo is unlikely to adopt one soon.",
        {"source": "JIIA", **JP, "date": "2024-11-12"},
        {"stance": "diverging"},
        id="no_japanese_counterpart_diverges",
    ),
    pytest.param(
        "Why a Japan-China-Korea Trade Deal Is Back",
        "The three trade ministers agreed to speed up talks, and US tariffs push Tokyo toward "
        "regional deals Washington does not join.",
        {"source": "Tokyo Foundation", **JP, "date": "2025-04-24"},
        {"actor": "JP", "stance": "diverging"},
        id="a_deal_washington_does_not_join_is_no_joint_act",
    ),
    pytest.param(
        "Washington Adopts Tokyo's Approach to Critical Minerals",
        "The analysis argues that the Pentagon's stake and price floor in a magnet maker follows "
        "the model of state-backed stockpiling that Japan adopted after 2010.",
        {"source": "Hudson Institute", **US, "date": "2025-08-05"},
        {"stance": "converging"},
        id="following_the_counterparts_model_converges",
    ),
    pytest.param(
        "Implementing the United States-Japan Agreement",
        "An executive order puts the deal into effect, capping most tariffs on Japanese goods at "
        "15 percent.",
        {"source": "White House news", **US, "date": "2025-09-04"},
        {"actor": "US", "stance": "converging"},
        id="capping_tariffs_under_the_agreement_is_relief",
    ),
    pytest.param(
        "USTR Announces Quota Allocations for Raw Cane Sugar and Sugar-Containing Products",
        "Country-by-country volumes of raw cane sugar are set for the fiscal year under WTO "
        "commitments.",
        {"source": "USTR press releases", **US, "date": "2026-06-26"},
        {"relevant": False},
        id="sugar_quota_notices_are_routine",
    ),
]


@pytest.mark.parametrize(("title", "summary", "kw", "expected"), CASES)
def test_pattern(title, summary, kw, expected):
    assert_fields(title, summary, kw, expected)
