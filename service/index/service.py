"""Keep each pair's alignment index in step with its classified items.

The pipeline calls ``IndexProcessor`` after classification, inside the transaction that
marks the items done, so the index can never miss or double-count an item. An event at
or after the stored state's day is applied from that state (the common case: cheap and
incremental); a late event or a correction replays from the last monthly checkpoint
before its date, and the revised days are published as a new vintage. ``recompute`` does
the whole series from the stored events; it is the reference the incremental path must
equal exactly (tests/index/test_property.py). Never commits.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict
from datetime import date, datetime, timedelta
from typing import Any

import structlog
from sqlalchemy import Row, insert
from sqlalchemy.ext.asyncio import AsyncSession

from service.config import Settings
from service.db.models import IndexEvent, IndexState, Item, table_of
from service.db.session import Database
from service.index import repository
from service.index.events import (
    HISTORY_PAIR,
    EventFields,
    derive_event,
    history_events,
    is_material_change,
    pair_key,
    params_from_settings,
    to_model_event,
)
from service.index.model import OVERALL, IndexRun, Params, Point, RunState, compute, replay, resume_point
from service.index.vocabulary import Vocabulary, default_vocabulary
from service.pipeline.service import PendingItem
from service.pipeline.written import ClassificationView, written_for
from service.timeutil import utcnow

log = structlog.get_logger(__name__)

Pair = tuple[str, str]
Key = tuple[date, int]
Change = tuple[Key | None, Key | None]
CHANGE_WINDOWS = (7, 30, 90)
DISPLAY = ("targets_china", "evidence", "title", "link", "source_name", "item_id")


async def record_events(session: AsyncSession, pair: str, derived: Mapping[str, EventFields | None],
                        now: datetime) -> list[Change]:
    """Store the events as derived now; return the (old, new) canonical keys that changed."""
    existing = await repository.events_by_ref(session, pair, derived)
    changes: list[Change] = []
    added: list[dict[str, Any]] = []
    for ref, fields in derived.items():
        old = existing.get(ref)
        if fields is None:
            if old is not None and old.id is not None:
                changes.append(((old.day, old.id), None))
                await repository.delete_event(session, old.id)
            continue
        if old is None:
            added.append({"pair": pair, "jump": {}, "updated_at": now, **fields.columns()})
            continue
        assert old.id is not None
        material = is_material_change(old, fields)
        if material:
            changes.append(((old.day, old.id), (fields.day, old.id)))
        if material or any(getattr(old, n) != getattr(fields, n) for n in DISPLAY):
            for name, value in fields.columns().items():
                setattr(old, name, value)
            old.updated_at = now
    await session.flush()
    if added:
        # One multi-row INSERT .. RETURNING: an ORM object per event cost more than deriving
        # it, and asking for the rows' order made SQLite run one INSERT per row
        # (bench/ingest.py). Only the set of changed keys matters here.
        table = table_of(IndexEvent)
        inserted = await session.execute(insert(table).returning(table.c.day, table.c.id), added)
        changes.extend((None, (day, event_id)) for day, event_id in inserted.all())
    return changes


REPLAY_MARKER = "replay_from"


async def update_index(session: AsyncSession, pair: Pair, params: Params, vocab: Vocabulary,
                       changes: Sequence[Change], today: date, now: datetime, *,
                       defer: bool = False) -> int | None:
    """Bring the pair's index up to date after ``changes``; the new state version, if any.

    With ``defer``, a change that needs a replay (a late or corrected event) only records
    the earliest day to replay from in the state row; ``flush_deferred`` replays once for
    everything queued since. Without it, during a queue drain every batch holding an item
    dated before the state's day would replay the month again: quadratic work.
    """
    key = pair_key(pair)
    row = await repository.state_for_update(session, key)
    if row is None or row.params_digest != params.digest():
        return await recompute(session, pair, params, vocab, today, now, row=row)
    earliest = resume_point(row.day, changes)
    pending = row.state.get(REPLAY_MARKER)
    if pending is not None:
        marked = date.fromisoformat(pending)
        earliest = marked if earliest is None else min(earliest, marked)
    if earliest is not None and defer:
        row.state = {**row.state, REPLAY_MARKER: earliest.isoformat()}
        await session.flush()
        return None
    if earliest is None:
        if not changes and row.day >= today:
            return None
        run = IndexRun(params, vocab, pair, RunState.from_dict(row.state))
        ids = [new[1] for _old, new in changes if new is not None]
        rows = await repository.event_records(session, key, ids=ids) if ids else []
        after: date | None = run.state.day
    else:
        checkpoint = await repository.latest_checkpoint(session, key, min(earliest, today))
        if checkpoint is None:
            return await recompute(session, pair, params, vocab, today, now, row=row)
        run = IndexRun(params, vocab, pair, RunState.from_dict(checkpoint.state))
        rows = await repository.event_records(session, key, day=checkpoint.day)
        after = checkpoint.day
        log.info("index_replay", pair=key, since=checkpoint.day.isoformat(), events=len(rows))
    replay(run, [to_model_event(r) for r in rows], today)
    return await _publish(session, key, params, row, run, rows, after, now)


async def recompute(session: AsyncSession, pair: Pair, params: Params, vocab: Vocabulary, today: date,
                    now: datetime, *, row: IndexState | None = None) -> int:
    """The whole series from the stored events (start-up with new settings, a lost state)."""
    key = pair_key(pair)
    if row is None:
        row = await repository.state_for_update(session, key)
    rows = await repository.event_records(session, key)
    run = compute(params, vocab, pair, [to_model_event(r) for r in rows], today)
    log.info("index_recomputed", pair=key, events=len(rows), points=len(run.points))
    return await _publish(session, key, params, row, run, rows, None, now)


async def _publish(session: AsyncSession, pair: str, params: Params, row: IndexState | None, run: IndexRun,
                   rows: Sequence[Row[Any]], checkpoints_after: date | None, now: datetime) -> int:
    await repository.write_points(session, pair, run.points, now)
    await repository.supersede_after(session, pair, run.state.day, now)
    jumps = [(r.id, run.jumps[r.id]) for r in rows
             if r.id is not None and r.id in run.jumps and r.jump != run.jumps[r.id]]
    await repository.write_jumps(session, jumps)
    await repository.replace_checkpoints(session, pair, checkpoints_after, run.checkpoints)
    snapshot = await _snapshot(session, pair, params, run)
    return await repository.save_state(session, row, pair, digest=params.digest(), day=run.state.day,
                                       snapshot=snapshot, state=run.state.to_dict(), now=now)


def _point_dict(point: Point) -> dict[str, Any]:
    data = asdict(point)
    data.pop("day")
    data.pop("domain")
    return data


async def _snapshot(session: AsyncSession, pair: str, params: Params, run: IndexRun) -> dict[str, Any]:
    """The current value with everything ``GET /v1/index`` shows, so a read is one row."""
    day = run.state.day
    final = {p.domain: p for p in run.points if p.day == day}
    extra = run.snapshot()["domains"]
    back = {n: day - timedelta(days=n) for n in CHANGE_WINDOWS}
    past = await repository.points_on(session, pair, list(back.values()))
    domains = {d: _point_dict(p) | extra.get(d, {}) for d, p in final.items() if d != OVERALL}
    return {
        "pair": pair,
        "as_of": day.isoformat(),
        "params": {"half_life_days": params.half_life_days, "position_share": params.position_share,
                   "momentum_scale": params.momentum_scale, "weight_joint": params.weight_joint,
                   "weight_unilateral": params.weight_unilateral, "draws": params.draws,
                   "start": params.start.isoformat(), "weights": params.weights()},
        "overall": _point_dict(final[OVERALL]) if OVERALL in final else None,
        "domains": domains,
        "past": {str(n): {dom: v for (dom, d), v in past.items() if d == back[n]} for n in CHANGE_WINDOWS},
    }


class IndexProcessor:
    """Pipeline stage: turn each processed item's classification into index events."""

    name = "index"

    def __init__(self, settings: Settings, pairs: Callable[[], Sequence[Pair]]) -> None:
        self._params = params_from_settings(settings)
        self._pairs = pairs
        self._vocab = default_vocabulary()

    async def process(self, session: AsyncSession, batch: Sequence[PendingItem]) -> None:
        ids = [p.item.id for p in batch if p.item.id is not None]
        now = utcnow()
        for pair in self._pairs():
            key = pair_key(pair)
            await repository.lock_pair(session, key)
            derived: dict[str, EventFields | None] = {f"item:{i}": None for i in ids}
            for row, item, feed_name in await _classified(session, batch, ids, key):
                derived[f"item:{row.item_id}"] = derive_event(row, item, feed_name, pair)
            changes = await record_events(session, key, derived, now)
            await update_index(session, pair, self._params, self._vocab, changes, now.date(), now,
                               defer=True)


async def _classified(session: AsyncSession, batch: Sequence[PendingItem], ids: Sequence[int],
                      pair: str) -> Sequence[tuple[ClassificationView, Item, str]]:
    """The batch's classifications for ``pair`` with the item and its feed's name: as the
    classify stage of this transaction wrote them, else from the database."""
    written = written_for(session, [(item_id, pair) for item_id in ids])
    if written is None:
        return await repository.classified(session, ids, pair)
    items = {p.item.id: p.item for p in batch}
    names = await repository.feed_names(session, {item.feed_id for item in items.values()})
    return [(row, items[row.item_id], names[items[row.item_id].feed_id]) for row in written]


async def flush_deferred(db: Database, settings: Settings, pairs: Sequence[Pair]) -> None:
    """Run the replays that pipeline batches deferred (once per queue drain)."""
    params, vocab, now = params_from_settings(settings), default_vocabulary(), utcnow()
    for pair in pairs:
        async with db.read() as session:
            state = await session.get(IndexState, pair_key(pair))
            if state is None or REPLAY_MARKER not in state.state:
                continue
        async with db.begin() as session:
            await repository.lock_pair(session, pair_key(pair))
            await update_index(session, pair, params, vocab, [], now.date(), now)


async def sync_history(session: AsyncSession, params: Params, now: datetime) -> list[Change]:
    """Make the pair's shipped-history events match history.jsonl (idempotent)."""
    key = pair_key(HISTORY_PAIR)
    derived: dict[str, EventFields | None] = {
        ref: None for ref in await repository.refs_of_source(session, key, "history")}
    derived.update({f.ref: f for f in history_events()})
    return await record_events(session, key, derived, now)


async def bring_up_to_date(db: Database, settings: Settings, pairs: Sequence[Pair]) -> None:
    """At start-up: load the shipped history if wanted, and extend every pair to today.

    A fresh install thus shows a series from ``index_start`` at once; a changed setting
    (half-life, weights...) recomputes the stored series here, before the first read.
    """
    params, vocab, now = params_from_settings(settings), default_vocabulary(), utcnow()
    for pair in pairs:
        async with db.begin() as session:
            await repository.lock_pair(session, pair_key(pair))
            changes: list[Change] = []
            if settings.index_ship_history and pair == HISTORY_PAIR:
                changes = await sync_history(session, params, now)
            version = await update_index(session, pair, params, vocab, changes, now.date(), now)
        log.info("index_ready", pair=pair_key(pair), history_changes=len(changes), version=version)
