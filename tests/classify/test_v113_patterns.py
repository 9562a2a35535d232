"""Patterns added in rules-v1.13 (docs/classifier.md, "Change log v1.13").

Own wording; one general rule per case: "close to the rules" the counterpart adopted
converges, supply-assurance plan approvals are administrative, going "well beyond anything"
the counterpart has diverges, "unlikely to adopt" diverges, treating an ally "like any
other" diverges, and a deal allowed to "proceed on condition" of an agreement is a
clearance.
"""

import pytest

from tests.classify.factories import JP, US, assert_fields

CASES = [
    pytest.param(
        "Japan's New Licensing for Lithography Parts Takes Effect",
        "The analysts note the rule names no country yet brings Tokyo close to the rules Washington set.",
        {"source": "CSIS analysis", **US, "date": "2024-05-01"},
        {"actor": "JP", "stance": "converging"},
        id="close_to_the_counterparts_rules_converges",
    ),
    pytest.param(
        "Approval of Supply Assurance Plans for Semiconductor Materials",
        "The ministry approves further company plans under the promotion act, with subsidies from its fund.",
        {"source": "METI news releases", **JP, "date": "2024-09-01"},
        {"actor": "JP", "stance": "neutral"},
        id="supply_assurance_plan_approvals_are_administrative",
    ),
    pytest.param(
        "Data Borders: The Bulk-Data Rule and the Allies",
        "The author argues the rule goes well beyond anything allies such as Japan have.",
        {"source": "AEI commentary", **US, "date": "2025-04-15"},
        {"actor": "US", "stance": "diverging"},
        id="well_beyond_anything_the_counterpart_has_diverges",
    ),
    pytest.param(
        "Will Tokyo Screen Investment in China?",
        "The column concludes Japan is unlikely to adopt similar outbound restrictions.",
        {"source": "RIETI columns", **JP, "date": "2025-03-01"},
        {"actor": "JP", "stance": "diverging"},
        id="unlikely_to_adopt_diverges",
    ),
    pytest.param(
        "Regarding the Proposed Acquisition of a US Rail Maker by a Japanese Firm",
        "The President lets the purchase proceed on condition that the parties sign a national "
        "security agreement.",
        {"source": "White House briefing room", **US, "date": "2025-07-01"},
        {"actor": "US", "stance": "converging"},
        id="proceed_on_condition_is_a_clearance",
    ),
]


@pytest.mark.parametrize(("title", "summary", "kw", "expected"), CASES)
def test_pattern(title, summary, kw, expected):
    assert_fields(title, summary, kw, expected)
