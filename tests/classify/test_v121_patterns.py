"""Patterns added in rules-v1.21 (docs/classifier.md, "Change log v1.21").

Own wording; one general rule per case: a bare press-conference title whose summary opens
with a third state's agency is that state's measure, remarks and analysis put no effect in
the policy picture (so a later US step is still judged against Japan's real position), a
think tank named only by its institute is a think tank, a lasting gap diverges, suspending
imports is trade policy, post-quantum standards are tech security, an R&D fund's project
selection is industrial policy, defence ministers' meetings are routine, and a sector added
to a standing regime is an implementing step.
"""

import datetime as dt

import pytest

from service.classify import ItemText, PolicyPicture, classify_stream
from tests.classify.factories import JP, US, assert_fields

CASES = [
    pytest.param(
        "経済産業大臣の閣議後記者会見の概要",
        "中国商務部が発表したアンチモン関連品目の輸出管理について、大臣は国内企業への影響を調べると述べた。",
        {"source": "METI news releases (ja)", **JP, "date": "2024-08-16"},
        {"actor": "other", "stance": "neutral", "targets_china": False},
        id="a_bare_press_conference_on_a_third_states_measure",
    ),
    pytest.param(
        "Will Tokyo Match Washington's New Tariffs on Chinese Batteries?",
        "The analysis finds no Japanese equivalent to the Section 301 increase and judges Japan "
        "unlikely to follow.",
        {"source": "Institute of Geoeconomics", **JP, "date": "2024-06-12"},
        {"actor": "US", "stance": "diverging"},
        id="an_institute_is_a_think_tank",
    ),
    pytest.param(
        "Japanese Tool Exports to China After the US Controls",
        "The paper finds Japanese shipments to China kept growing while US shipments fell, "
        "pointing to a lasting gap between the allies' controls.",
        {"source": "RIETI discussion papers", **JP, "date": "2025-08-20"},
        {"stance": "diverging"},
        id="a_lasting_gap_diverges",
    ),
    pytest.param(
        "Announcement on Suspending Imports of Seafood From Japan",
        "Customs suspend all imports of Japanese seafood, citing food safety.",
        {"source": "GACC announcements", "country": "other", "date": "2023-08-24"},
        {"relevant": True, "actor": "other", "domain": "trade_policy"},
        id="suspending_imports_is_trade_policy",
    ),
    pytest.param(
        "NIST Finalizes Two More Post-Quantum Encryption Standards",
        "Agencies and firms are urged to begin migrating to the new algorithms.",
        {"source": "NIST news", **US, "date": "2025-03-11"},
        {"relevant": True, "actor": "US", "domain": "tech_security"},
        id="post_quantum_standards_are_tech_security",
    ),
    pytest.param(
        "MIC Selects Projects Under the Beyond 5G Fund",
        "The ministry names research projects on optical networks chosen for funding.",
        {"source": "MIC press releases", **JP, "date": "2025-07-19"},
        {"actor": "JP", "domain": "industrial_policy"},
        id="an_rd_fund_selection_is_industrial_policy",
    ),
    pytest.param(
        "Japan-Philippines Defense Ministers' Meeting",
        "The ministers agree to expand joint exercises and exchange views on the regional situation.",
        {"source": "MOD press releases", **JP, "date": "2025-02-24"},
        {"relevant": False},
        id="defence_ministers_meetings_are_routine",
    ),
    pytest.param(
        "基幹インフラ制度の対象事業への医療分野の追加について",
        "経済安全保障推進法の特定社会基盤事業に大規模病院を加える政令を公布した。",
        {"source": "Cabinet Office news (ja)", **JP, "date": "2026-03-01"},
        {"actor": "JP", "stance": "neutral"},
        id="a_sector_added_to_a_standing_regime_is_implementing",
    ),
]


@pytest.mark.parametrize(("title", "summary", "kw", "expected"), CASES)
def test_pattern(title, summary, kw, expected):
    assert_fields(title, summary, kw, expected)


def test_remarks_put_no_effect_in_the_picture():
    remark = ItemText(id="r", date=dt.date(2023, 7, 4), source="METI news releases (ja)",
                      source_country="JP", title="経済産業大臣の閣議後記者会見の概要",
                      summary="大臣は、米国の対中輸出管理に関連して、国内企業への影響を調べると述べた。")
    picture = PolicyPicture.from_baseline(("US", "JP"))
    (_, result), = classify_stream([remark], picture=picture)
    assert result.labels.relevant
    assert result.effects == ()
