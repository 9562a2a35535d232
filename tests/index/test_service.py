"""The index through the real pipeline and database: incremental equals recompute, vintages,
corrections, a second pair, backfill, and the shipped history."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from service.classify.corrections import correct
from service.db.models import IndexEvent, IndexState
from service.index import repository
from service.index.backfill import run_backfill
from service.index.events import HISTORY_PATH, history_events, params_from_settings, to_model_event
from service.index.model import compute
from service.index.service import bring_up_to_date
from service.index.vocabulary import INDEX_DOMAINS, default_vocabulary
from service.runtime import Runtime, open_runtime
from service.timeutil import utcnow
from tests.index.conftest import add_item
from tests.paths import SHARED_DIR

ITEMS = [
    ("us-gov", "Commerce Adds 30 Chinese Entities to the Entity List",
     "The Bureau of Industry and Security adds companies in China that supply the military with advanced "
     "computing chips; exporters now need a license.", date(2025, 3, 4)),
    ("jp-gov", "METI adds 23 semiconductor manufacturing equipment items to export controls",
     "Japan requires licences for advanced chip-making equipment for all destinations, in line with "
     "partners.", date(2025, 3, 10)),
    ("us-gov", "Treasury issues rule implementing outbound investment program",
     "US persons are prohibited from investing in Chinese semiconductor and AI companies.", date(2025, 2, 2)),
]
LATE = [
    ("jp-gov", "Japan and the United States hold the Economic 2+2 and agree on supply chain cooperation",
     "The ministers agree on cooperation on semiconductors and critical minerals.", date(2024, 6, 3)),
    ("us-gov", "Section 232 tariffs on steel raised, Japan included",
     "The President raises national security tariffs on imported steel and aluminum from all partners.",
     date(2024, 9, 20)),
]


async def assert_equals_full_recompute(runtime: Runtime, pair: str = "US-JP") -> None:
    """The stored series, jumps and state are exactly what a recompute from the events gives."""
    params = params_from_settings(runtime.settings)
    async with runtime.db.read() as session:
        rows = await repository.events_from(session, pair)
        published = dict(await repository.series(session, pair, None, None, None))
        state = await session.get(IndexState, pair)
    a, b = pair.split("-")
    run = compute(params, default_vocabulary(), (a, b), [to_model_event(r) for r in rows], utcnow().date())
    assert rows, "the scenario should have produced events"
    assert published == {d: json.loads(json.dumps(v)) for d, v in repository.day_values(run.points).items()}
    assert state is not None and state.state == json.loads(json.dumps(run.state.to_dict()))
    assert {r.id: r.jump for r in rows} == {s: j for s, j in run.jumps.items()}


async def test_late_items_and_corrections_leave_the_index_equal_to_a_full_recompute(runtime):
    ids = [await add_item(runtime, *item) for item in ITEMS]
    await runtime.process_pending()
    async with runtime.db.read() as session:
        first = await session.get(IndexState, "US-JP")
    assert first is not None and first.snapshot["overall"]["events"] >= 2
    await assert_equals_full_recompute(runtime)

    for item in LATE:  # dated before what was processed: replays from a checkpoint
        await add_item(runtime, *item)
    await runtime.process_pending()
    await assert_equals_full_recompute(runtime)

    async with runtime.db.begin() as session:
        await correct(session, item_id=ids[0], pair="US-JP", changes={"stance": "converging"},
                      note="coordinated with partners", analyst="tester")
    await runtime.process_pending()
    await assert_equals_full_recompute(runtime)
    async with runtime.db.read() as session:
        corrected = (await repository.events_by_ref(session, "US-JP", [f"item:{ids[0]}"]))[f"item:{ids[0]}"]
        last = await session.get(IndexState, "US-JP")
    assert (corrected.stance, corrected.source, corrected.confidence) == ("converging", "analyst", 1.0)
    assert last is not None and last.version > first.version


async def test_a_correction_revises_history_and_the_old_vintage_stays_retrievable(runtime):
    ids = [await add_item(runtime, *item) for item in ITEMS]
    await runtime.process_pending()
    before = utcnow()
    async with runtime.db.read() as session:
        original = dict(await repository.series(session, "US-JP", None, None, None))
    async with runtime.db.begin() as session:
        await correct(session, item_id=ids[2], pair="US-JP", changes={"stance": "converging"}, note=None,
                      analyst="tester")
    await runtime.process_pending()
    async with runtime.db.read() as session:
        revised = dict(await repository.series(session, "US-JP", None, None, None))
        as_published = dict(await repository.series(session, "US-JP", None, None, before))
    changed = sorted(d for d in revised if revised[d] != original.get(d))
    assert changed and changed[0] == ITEMS[2][3]  # revised from the corrected item's date on
    assert all(revised[d] == original[d] for d in original if d < ITEMS[2][3])
    assert as_published == original


async def test_each_pair_in_feeds_yml_gets_its_own_index(index_settings):
    async with open_runtime(index_settings(pairs=("US-JP", "US-KR"))) as runtime:
        await runtime.reloader.reload("test")
        for item in [*ITEMS, *LATE]:
            await add_item(runtime, *item)
        await runtime.process_pending()
        async with runtime.db.read() as session:
            states = {s.pair: s for s in (await session.execute(select(IndexState))).scalars()}
            found = await session.execute(select(IndexEvent.pair, func.count()).group_by(IndexEvent.pair))
            counts = {r[0]: r[1] for r in found.all()}
        assert set(states) == {"US-JP", "US-KR"}
        assert counts["US-JP"] != counts.get("US-KR", 0)
        assert states["US-JP"].snapshot["overall"] != states["US-KR"].snapshot["overall"]
        await assert_equals_full_recompute(runtime, "US-KR")


def _jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    return path


async def test_backfill_stores_confirmed_history_once(index_settings, tmp_path, capsys):
    rows = [
        {"id": "b-1", "date": "2024-05-01", "source": "METI", "source_country": "JP",
         "title": "Japan adds quantum computing items to export controls",
         "summary": "METI requires licences for quantum computers and related items.",
         "labels": {"relevant": True, "actor": "JP", "domain": "export_controls", "stance": "converging",
                    "targets_china": False}},
        {"id": "b-2", "date": "2024-07-10", "source": "BIS", "source_country": "US",
         "title": "Commerce lists Chinese drone makers on the Entity List",
         "summary": "Exports to the listed firms now need a licence.",
         "labels": {"relevant": True, "actor": "US", "domain": "export_controls", "stance": "diverging",
                    "targets_china": True}},
        {"id": "b-3", "date": "2024-07-11", "source": "BIS", "source_country": "US",
         "title": "Staff picnic postponed", "summary": "The event moves to next week.",
         "labels": {"relevant": False, "actor": None, "domain": "none", "stance": "neutral",
                    "targets_china": False}},
    ]
    path = _jsonl(tmp_path / "past.jsonl", rows)
    settings = index_settings()
    err = tmp_path / "err.txt"
    with err.open("w") as fh:
        assert await run_backfill(settings, path, pair=None, out=fh, err=fh) == 0
    assert "added=3" in err.read_text() and "stored 3/3" in err.read_text()

    async def snapshot() -> tuple[list[tuple[str, str, str]], int]:
        async with open_runtime(settings) as runtime, runtime.db.read() as session:
            events = [(e.ref, e.source, e.stance) for e in await repository.events_from(session, "US-JP")]
            state = await session.get(IndexState, "US-JP")
            assert state is not None
            return events, state.version

    events, version = await snapshot()
    expected = [("analyst", "converging"), ("analyst", "diverging")]  # the irrelevant line counts for nothing
    assert [(source, stance) for _, source, stance in events] == expected
    with err.open("w") as fh:
        assert await run_backfill(settings, path, pair=None, out=fh, err=fh) == 0
    assert "added=0 updated=0 unchanged=3" in err.read_text()
    assert await snapshot() == (events, version)

    rows[1]["labels"]["stance"] = "neutral"  # an edited file updates, like a correction
    with err.open("w") as fh:
        assert await run_backfill(settings, _jsonl(path, rows), pair=None, out=fh, err=fh) == 0
    assert "updated=1" in err.read_text()
    assert [s for _, _, s in (await snapshot())[0]] == ["converging", "neutral"]


async def test_backfill_refuses_a_malformed_file_before_writing(index_settings, tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "x", "date": "2024-01-01"}\n', "utf-8")
    err = tmp_path / "err.txt"
    with err.open("w") as fh:
        assert await run_backfill(index_settings(), path, pair=None, out=fh, err=fh) == 2
    assert "bad.jsonl:1" in err.read_text()


async def test_shipped_history_gives_a_meaningful_series_from_2017(index_settings):
    settings = index_settings(index_ship_history=True, index_start=date(2017, 1, 1))
    async with open_runtime(settings) as runtime:
        await bring_up_to_date(runtime.db, settings, [("US", "JP")])
        async with runtime.db.read() as session:
            series = await repository.series(session, "US-JP", None, None, None)
            version = (await session.get(IndexState, "US-JP")).version  # type: ignore[union-attr]
        days = [d for d, _ in series]
        assert days[0] == date(2017, 1, 1) and days[-1] == utcnow().date()
        assert len(days) == (days[-1] - days[0]).days + 1
        overall = [v["overall"][0] for _, v in series]
        assert max(overall) - min(overall) > 10  # it moves with the record
        final = series[-1][1]
        assert all(final[d][6] > 0 and final[d][8] > 0 for d in INDEX_DOMAINS)  # compared slots, events
        # Trade under the 2018 tariffs sits below trade after the 2019 agreement came into force.
        by_day = dict(series)
        assert by_day[date(2018, 12, 1)]["trade_policy"][0] < by_day[date(2020, 3, 1)]["trade_policy"][0]
        await bring_up_to_date(runtime.db, settings, [("US", "JP")])  # a restart changes nothing
        async with runtime.db.read() as session:
            assert (await session.get(IndexState, "US-JP")).version == version  # type: ignore[union-attr]


def test_the_shipped_history_is_curated_in_our_own_words():
    lines = [json.loads(t) for t in HISTORY_PATH.read_text("utf-8").splitlines() if t.strip()]
    events = history_events()
    in_window = [e for e in events if e.day >= date(2017, 1, 1)]
    assert 80 <= len(in_window) <= 150 and len(events) == len(lines)
    vocab = default_vocabulary()
    assert all(e["slot"] in vocab.domain_of for line in lines for e in line["effects"])
    for domain in INDEX_DOMAINS:
        actors = {e.actor for e in in_window if e.domain == domain}
        assert len(actors) >= 2, domain
    assert {e.actor for e in in_window} == {"US", "JP", "joint"}
    assert all(line["link"].startswith("https://") for line in lines)
    reference = SHARED_DIR / "data" / "measures-dev.jsonl"
    if reference.exists():
        theirs = reference.read_text("utf-8")
        for line in lines:
            assert line["title"] not in theirs and line["summary"] not in theirs, line["id"]
    assert max(e.day for e in events) <= date(2026, 12, 31)
    assert min(e.day for e in events) < date(2017, 1, 1)  # standing positions open the series
