"""Patterns added in rules-v1.30 (docs/classifier.md, "Change log v1.30").

Own wording; one general rule per case: allies that have 'so far stopped at monitoring' or
'not copied' the US rules diverge; 'closing the gap with Washington', 'mends a rift' and
following American practice converge; withdrawing backing for the e-commerce texts is the US
leaving the initiative; a removal-only list revision that 'adds none' after completed end-
use checks is neutral; supply-assurance plans are supply chain; a third state's prime
minister is not Japan's; industrial production indices are routine; DPRK crypto thefts are
tech security; not halting Russian LNG diverges; carrying out joint commitments converges.
"""

import pytest

from tests.classify.factories import JP, US, assert_fields

CASES = [
    pytest.param(
        "Outbound Rules Are Final. Who Follows?",
        "The authors find that Japan and most G7 partners have so far stopped at monitoring, leaving "
        "US investors under limits their rivals do not face.",
        {"source": "Atlantic Council", **US, "date": "2024-11-13"},
        {"stance": "diverging"},
        id="stopping_at_monitoring_diverges",
    ),
    pytest.param(
        "Why Tokyo Has Not Copied the US Outbound Rules",
        "The paper finds Japan relies on export licensing and informal guidance instead.",
        {"source": "Institute of Geoeconomics", **JP, "date": "2025-03-24"},
        {"stance": "diverging"},
        id="not_copying_the_us_rules_diverges",
    ),
    pytest.param(
        "Revised Catch-All Rules: Closing the Gap With Washington?",
        "The commentary concludes the new licensing duties bring Japan's end-use controls nearer to "
        "US practice.",
        {"source": "JIIA", **JP, "date": "2025-04-25"},
        {"stance": "converging"},
        id="closing_the_gap_with_washington_converges",
    ),
    pytest.param(
        "After the Golden Share",
        "The author argues that letting the steel deal close under a security agreement mends a rift "
        "with Tokyo.",
        {"source": "Hudson Institute", **US, "date": "2025-06-20"},
        {"stance": "converging"},
        id="mending_a_rift_converges",
    ),
    pytest.param(
        "Japan's Clearance Rules and Allied Vetting",
        "The commentary concludes that Japan's security clearance rules follow American and British "
        "vetting practice closely.",
        {"source": "JIIA commentary", **JP, "date": "2024-08-20"},
        {"stance": "converging"},
        id="following_american_practice_converges",
    ),
    pytest.param(
        "USTR Statement on Digital Trade Proposals at the WTO",
        "Washington withdraws its backing for texts on data flows and source code.",
        {"source": "USTR press releases", **US, "date": "2023-10-25"},
        {"stance": "diverging"},
        id="withdrawing_backing_for_ecommerce_texts_diverges",
    ),
    pytest.param(
        "Revisions to the Unverified List",
        "Having completed end-use checks, BIS takes a group of parties off the list and adds none.",
        {"source": "Federal Register: Industry and Security Bureau", **US, "date": "2024-03-20"},
        {"stance": "neutral"},
        id="a_removal_list_that_adds_none_is_neutral",
    ),
    pytest.param(
        "抗菌薬の原料に係る供給確保計画の認定",
        "経済安全保障推進法に基づき、原薬を国内で製造する事業者の計画を認定し、助成を決めた。",
        {"source": "MHLW press releases (ja)", **JP, "date": "2024-03-26"},
        {"domain": "supply_chain"},
        id="supply_assurance_plans_are_supply_chain",
    ),
    pytest.param(
        "Prime Minister Approves Chip Industry Strategy to 2030",
        "The strategy aims to train chip engineers and build a first domestic fab.",
        {"source": "Vietnam Government portal", "country": "other", "date": "2024-09-21"},
        {"actor": "other"},
        id="a_third_states_prime_minister_is_not_japans",
    ),
    pytest.param(
        "Indices of Industrial Production, May 2025 (Preliminary)",
        "Output of electronic parts including chipmaking equipment fell from the previous month.",
        {"source": "METI news releases", **JP, "date": "2025-06-30"},
        {"relevant": False},
        id="industrial_production_indices_are_routine",
    ),
    pytest.param(
        "Joint Statement on DPRK Cryptocurrency Thefts",
        "Washington, Tokyo and Seoul attribute heists to North Korean hackers and promise joint work "
        "with exchanges.",
        {"source": "State Department press releases", **US, "date": "2025-01-14"},
        {"domain": "tech_security"},
        id="crypto_thefts_are_tech_security",
    ),
    pytest.param(
        "Minister Says Japan Will Not Abruptly Halt Russian LNG Purchases",
        "Asked about calls to stop buying Russian energy, the minister says Japan will make its own "
        "judgement.",
        {"source": "METI minister's press conferences", **JP, "date": "2025-10-17"},
        {"stance": "diverging"},
        id="not_halting_russian_lng_diverges",
    ),
    pytest.param(
        "Support for Rare Earth Processing Under the Critical Minerals Framework",
        "METI selects projects for equity and grants, carrying out commitments made in the October "
        "framework.",
        {"source": "METI news releases", **JP, "date": "2026-04-24"},
        {"stance": "converging"},
        id="carrying_out_joint_commitments_converges",
    ),
]


@pytest.mark.parametrize(("title", "summary", "kw", "expected"), CASES)
def test_pattern(title, summary, kw, expected):
    assert_fields(title, summary, kw, expected)
