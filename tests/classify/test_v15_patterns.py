"""Patterns added in rules-v1.5 (docs/classifier.md, "Change log v1.5").

Own wording; one general rule per test, with contrast cases: a Japanese term ending in a
Latin letter must end a word, a weak counterpart-named cue does not pick the actor, a
formal request reported anywhere is an objection, a third state's own feed makes that state
the actor (China named there is the target), single-purpose agencies' feeds lean to their
domain, prosecutions are enforcement, and "as Tokyo had sought" is a request met.
"""

import pytest

from tests.classify.factories import CLASSIFIER, assert_fields, baseline, item


def test_japanese_term_ending_in_a_latin_letter_must_end_a_word():
    got = CLASSIFIER.classify(item(
        "サイバー攻撃グループＡＰＴ９９に関する注意喚起",
        "国家を背景とするグループＡＰＴ９９の手口を公表した。",
        source="NISC news (ja)", date="2025-03-01"), baseline())
    assert not any("グループa" in e.detail for e in got.evidence)


# One rule each: the item, and the labels it must get.
CASES = [
    pytest.param(
        "経済産業大臣の訪米について",
        "大臣は商務長官と会談し、鉄鋼関税の影響について意見を交換したうえで、"
        "日本を追加関税の対象から除外するよう申し入れた。",
        {"source": "METI news releases (ja)", "date": "2025-03-12"},
        {"actor": "JP", "stance": "diverging"},
        id="formal_request_late_in_the_summary_is_an_objection",
    ),
    pytest.param(
        "Chinese-Owned Investor Ordered to Sell Stake in Battery Maker",
        "Under the national security investment law, the minister orders the divestment within 90 days.",
        {"source": "GOV.UK news", "country": "other", "date": "2025-03-01"},
        {'actor': 'other', 'stance': 'neutral', 'targets_china': True},
        id="third_state_feed_is_the_actor_and_china_named_there_is_the_target",
    ),
    pytest.param(
        "Two Charged Over Shipments of Controlled Chips",
        "Prosecutors allege the pair exported restricted processors to China without licences.",
        {"source": "Justice Department news", "country": "US", "date": "2025-08-01"},
        {"relevant": True, "stance": "neutral"},
        id="prosecution_under_existing_export_rules_is_neutral",
    ),
    pytest.param(
        "Treasury Proposes Easing Filing Requirements for Japanese Investors",
        "Qualifying investors from Japan would be relieved of some filings, as Tokyo had sought.",
        {"source": "Treasury press releases", "country": "US", "date": "2026-06-01"},
        {"actor": "US", "stance": "converging"},
        id="a_request_of_tokyo_met_converges",
    ),
    pytest.param(
        "Inclusions of Derivative Products Under the Steel Tariffs",
        "Commerce adds appliance and machinery categories to the 50 percent duties, with no "
        "carve-out for Japan.",
        {"source": "Federal Register: Industry and Security Bureau", "country": "US", "date": "2025-08-20"},
        {"actor": "US", "domain": "trade_policy", "stance": "diverging"},
        id="tariff_without_a_carve_out_for_japan_diverges",
    ),
]


@pytest.mark.parametrize(("title", "summary", "kw", "expected"), CASES)
def test_pattern(title, summary, kw, expected):
    assert_fields(title, summary, kw, expected)
