"""Patterns added in rules-v1.6 (docs/classifier.md, "Change log v1.6").

Own wording; one general rule per case: ending exemptions or raising a rate is a tightening,
ending a prohibition is a clearance, a Japanese suspension phrased with its duration is
relief, periodic list revisions are administrative, calls for proposals under a standing
programme are neutral, negated alignment ("not copying", "do not mirror") diverges, the
counterpart's firms caught by a rule diverge, a request of the counterpart met converges,
an event in a title's timing clause does not make the step joint, a communique ranging over
several fields is cooperation, and "inventorship" is no supply-chain word.
"""

import pytest

from tests.classify.factories import assert_fields

US_FEED = {"country": "US"}
JP_FEED = {"country": "JP"}

CASES = [
    pytest.param(
        "Proclamation Ends Country Exemptions From the Aluminum Duties",
        "Quota deals and exclusions for every partner, Japan among them, lapse next month.",
        {"source": "White House briefing room", **US_FEED, "date": "2025-03-01"},
        {"actor": "US", "domain": "trade_policy", "stance": "diverging"},
        id="ending_exemptions_is_a_tightening",
    ),
    pytest.param(
        "Review Concludes With Higher Duties on Chinese Batteries",
        "USTR completes its review, lifting the rate on lithium-ion batteries from China.",
        {"source": "USTR press releases", **US_FEED, "date": "2024-06-01"},
        {"actor": "US", "domain": "trade_policy", "stance": "diverging", "targets_china": True},
        id="lifting_a_rate_is_a_tightening_not_relief",
    ),
    pytest.param(
        "CFIUS Closes Review of Japanese Buyer's Bid for Pipeline Operator",
        "Signing a national security agreement, the parties proceed, ending the prohibition "
        "issued earlier and allowing the deal to close.",
        {"source": "Treasury press releases", **US_FEED, "date": "2025-07-01"},
        {"actor": "US", "stance": "converging"},
        id="ending_a_prohibition_on_a_counterpart_deal_converges",
    ),
    pytest.param(
        "米商務省、エンティティー・リスト掲載企業の子会社への規制の適用を１年間停止",
        "過半を所有される子会社にも輸出許可を求める規則について、適用を１年間停止すると発表した。",
        {"source": "JETRO business news (ja)", **JP_FEED, "date": "2025-12-01"},
        {"actor": "US", "stance": "converging"},
        id="japanese_suspension_with_its_duration_is_relief",
    ),
    pytest.param(
        "Revised Reference List of Companies Under the Prior-Notification Rules",
        "The finance ministry publishes its revised reference list sorting listed firms by sector "
        "so that foreign investors can tell whether a filing is needed.",
        {"source": "MOF press releases", **JP_FEED, "date": "2025-07-01"},
        {"actor": "JP", "stance": "neutral"},
        id="periodic_list_revision_is_administrative",
    ),
    pytest.param(
        "Agency Invites Proposals for Quantum Sensing Research Topics",
        "Under the standing economic security R&D programme, the agency invites proposals on "
        "quantum sensing and secure communications.",
        {"source": "NEDO news releases", **JP_FEED, "date": "2025-05-01"},
        {"actor": "JP", "stance": "neutral"},
        id="call_for_proposals_under_a_standing_programme_is_neutral",
    ),
    pytest.param(
        "Why Tokyo Is Not Copying Washington's Chip Servicing Curbs",
        "Japan prefers its licensing practice, leaving a visible gap with the United States.",
        {"source": "RIETI column", **JP_FEED, "date": "2025-02-01"},
        {"actor": "JP", "stance": "diverging"},
        id="not_copying_diverges",
    ),
    pytest.param(
        "Pentagon Adds Drone Makers to Its Chinese Military Companies List",
        "Contracting with listed firms ends in 2027, a restriction allies such as Japan do not mirror.",
        {"source": "AEI commentary", **US_FEED, "date": "2025-02-01"},
        {"actor": "US", "stance": "diverging", "targets_china": True},
        id="do_not_mirror_diverges",
    ),
    pytest.param(
        "Interim Final Rule: Licence Requirement for Subsidiaries of Listed Parties",
        "Firms majority-owned by listed parties need licences, so exporters, Japanese suppliers "
        "included, must check their customers' owners.",
        {"source": "Federal Register: Industry and Security Bureau", **US_FEED, "date": "2025-10-01"},
        {"actor": "US", "stance": "diverging"},
        id="counterpart_firms_caught_by_a_rule_diverge",
    ),
    pytest.param(
        "General License Extends Sakhalin-2 Crude Shipments to Japan",
        "OFAC renews the authorisation for carrying crude to Japan, which Tokyo has sought so "
        "that gas output keeps flowing.",
        {"source": "Treasury OFAC recent actions", **US_FEED, "date": "2025-12-20"},
        {"actor": "US", "domain": "sanctions", "stance": "converging"},
        id="a_request_tokyo_has_sought_met_converges",
    ),
    pytest.param(
        "Why Japan Keeps Its Arctic Gas Stake Despite Washington's Push",
        "Pressed to exit, Tokyo cites energy security and keeps its share, outside the stricter "
        "line Washington urges.",
        {"source": "Sasakawa Peace Foundation commentary", **JP_FEED, "date": "2025-10-01"},
        {"actor": "JP", "stance": "diverging"},
        id="despite_the_counterpart_diverges",
    ),
    pytest.param(
        "Ahead of Quad Summit, Commerce Tightens Licences for Surveillance Cameras",
        "Exports of certain camera modules to listed Chinese firms now need a licence.",
        {"source": "Commerce press releases", **US_FEED, "date": "2024-09-15"},
        {"actor": "US"},
        id="an_event_in_a_timing_clause_is_not_a_joint_act",
    ),
    pytest.param(
        "G7 Leaders' Communiqué Addresses Economic Coercion and Non-Market Policies",
        "G7 leaders pledge resilient supply chains, joint action on coercion and closer export "
        "control cooperation on critical technologies.",
        {"source": "G7 presidency news", "country": "other", "date": "2025-06-20"},
        {"actor": "joint", "domain": "cooperation", "stance": "converging"},
        id="a_communique_over_several_fields_is_cooperation",
    ),
    pytest.param(
        "Patent Office Issues Guidance on Inventorship for AI-Assisted Inventions",
        "Applicants must show a natural person contributed significantly to each claim.",
        {"source": "USPTO news", **US_FEED, "date": "2024-02-15"},
        {"relevant": False},
        id="inventorship_is_not_inventory",
    ),
    pytest.param(
        "Know Before You Go: Duty-Free Allowances for Holiday Travelers",
        "Returning residents may bring back goods up to a set value without paying duty.",
        {"source": "CBP newsroom", **US_FEED, "date": "2025-12-01"},
        {"relevant": False},
        id="traveller_duty_free_advice_is_not_a_measure",
    ),
]


@pytest.mark.parametrize(("title", "summary", "kw", "expected"), CASES)
def test_pattern(title, summary, kw, expected):
    assert_fields(title, summary, kw, expected)
