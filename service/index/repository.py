"""All SQL of the alignment index (polar: one repository per package with several queries)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Row, bindparam, delete, func, insert, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from service.db.models import (
    Feed,
    IndexCheckpoint,
    IndexEvent,
    IndexPoint,
    IndexState,
    Item,
    ItemClassification,
    table_of,
)
from service.index.model import Point

CHUNK = 500
POINT_VALUES = ("value", "position", "momentum", "momentum_raw", "low", "high", "compared",
                "agreeing", "events")


async def classified(session: AsyncSession, item_ids: Sequence[int], pair: str
                     ) -> list[tuple[ItemClassification, Item, str]]:
    """The items' classifications for ``pair`` with the item and its feed's name."""
    rows = await session.execute(
        select(ItemClassification, Item, col(Feed.name))
        .join(Item, col(Item.id) == col(ItemClassification.item_id))
        .join(Feed, col(Feed.id) == col(Item.feed_id))
        .where(col(ItemClassification.item_id).in_(item_ids), col(ItemClassification.pair) == pair)
    )
    return [(c, i, str(n)) for c, i, n in rows.all()]


async def feed_names(session: AsyncSession, feed_ids: Iterable[str]) -> dict[str, str]:
    rows = await session.execute(select(col(Feed.id), col(Feed.name)).where(col(Feed.id).in_(set(feed_ids))))
    return {str(feed_id): str(name) for feed_id, name in rows.all()}


async def events_by_ref(session: AsyncSession, pair: str, refs: Iterable[str]) -> dict[str, IndexEvent]:
    out: dict[str, IndexEvent] = {}
    refs = list(refs)
    for start in range(0, len(refs), CHUNK):
        rows = await session.execute(select(IndexEvent).where(
            col(IndexEvent.pair) == pair, col(IndexEvent.ref).in_(refs[start:start + CHUNK])))
        out.update({row.ref: row for row in rows.scalars()})
    return out


async def events_from(session: AsyncSession, pair: str, day: date | None = None,
                      ids: Sequence[int] | None = None) -> list[IndexEvent]:
    """The pair's events on or after ``day`` (all if None), or those with ``ids``."""
    query = select(IndexEvent).where(col(IndexEvent.pair) == pair)
    if day is not None:
        query = query.where(col(IndexEvent.day) >= day)
    if ids is not None:
        query = query.where(col(IndexEvent.id).in_(ids))
    rows = await session.execute(query.order_by(col(IndexEvent.day), col(IndexEvent.id)))
    return list(rows.scalars())


async def event_records(session: AsyncSession, pair: str, day: date | None = None,
                        ids: Sequence[int] | None = None) -> list[Row[Any]]:
    """Like ``events_from``, as plain rows of what a replay reads (no ORM objects to build).

    A late event replays every event since its checkpoint, once per processed batch; loading
    them as ORM instances cost more than the replay itself.
    """
    table = table_of(IndexEvent)
    query = select(table.c.id, table.c.ref, table.c.day, table.c.domain, table.c.actor,
                   table.c.stance, table.c.confidence, table.c.p_relevant, table.c.p_stance,
                   table.c.source, table.c.effects, table.c.jump).where(table.c.pair == pair)
    if day is not None:
        query = query.where(table.c.day >= day)
    if ids is not None:
        query = query.where(table.c.id.in_(ids))
    rows = await session.execute(query.order_by(table.c.day, table.c.id))
    return cast(list[Row[Any]], list(rows.all()))


async def count_events(session: AsyncSession, pair: str, source: str | None = None) -> int:
    query = select(func.count()).select_from(IndexEvent).where(col(IndexEvent.pair) == pair)
    if source is not None:
        query = query.where(col(IndexEvent.source) == source)
    return int((await session.execute(query)).scalar_one())


async def lock_pair(session: AsyncSession, pair: str) -> None:
    """Serialise index work on one pair across replicas, for the rest of the transaction.

    Taken before any ``index_event`` row is touched, so every writer locks in one order
    (pair, then events, then state) and two replicas cannot deadlock; it also covers the
    first start, when no ``index_state`` row exists yet to lock. No-op on SQLite, which has
    one writer.
    """
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"),
                              {"key": f"alignwatch-index:{pair}"})


async def state_for_update(session: AsyncSession, pair: str) -> IndexState | None:
    result = await session.execute(
        select(IndexState).where(col(IndexState.pair) == pair).with_for_update())
    return result.scalar_one_or_none()


async def current_snapshot(session: AsyncSession, pair: str) -> tuple[int, date, dict[str, Any]] | None:
    """The one row ``GET /v1/index`` reads: version, day and snapshot (not the run state)."""
    row = (await session.execute(
        select(col(IndexState.version), col(IndexState.day), col(IndexState.snapshot))
        .where(col(IndexState.pair) == pair))).one_or_none()
    return None if row is None else (int(row[0]), row[1], dict(row[2]))


async def latest_checkpoint(session: AsyncSession, pair: str, on_or_before: date) -> IndexCheckpoint | None:
    result = await session.execute(
        select(IndexCheckpoint)
        .where(col(IndexCheckpoint.pair) == pair, col(IndexCheckpoint.day) <= on_or_before)
        .order_by(col(IndexCheckpoint.day).desc()).limit(1))
    return result.scalar_one_or_none()


async def replace_checkpoints(session: AsyncSession, pair: str, after: date | None,
                              checkpoints: Sequence[tuple[date, dict[str, Any]]]) -> None:
    """Drop the pair's checkpoints after ``after`` (all if None) and store the new ones."""
    query = delete(IndexCheckpoint).where(col(IndexCheckpoint.pair) == pair)
    if after is not None:
        query = query.where(col(IndexCheckpoint.day) > after)
    await session.execute(query)
    rows = [{"pair": pair, "day": day, "state": state} for day, state in checkpoints]
    for start in range(0, len(rows), CHUNK):
        await session.execute(insert(table_of(IndexCheckpoint)), rows[start:start + CHUNK])


def day_values(points: Sequence[Point]) -> dict[date, dict[str, list[float]]]:
    """Points grouped by day, each domain as [value, position, ..., events] (POINT_VALUES)."""
    out: dict[date, dict[str, list[float]]] = {}
    for point in points:  # a run may emit a day twice (resumed mid-day): the last one counts
        out.setdefault(point.day, {})[point.domain] = [getattr(point, name) for name in POINT_VALUES]
    return out


async def write_points(session: AsyncSession, pair: str, points: Sequence[Point], now: datetime) -> int:
    """Publish points: unchanged days stay, changed ones supersede the old row (a vintage)."""
    if not points:
        return 0
    days = day_values(points)
    rows = await session.execute(
        select(col(IndexPoint.id), col(IndexPoint.day), col(IndexPoint.values))
        .where(col(IndexPoint.pair) == pair, col(IndexPoint.day) >= min(days),
               col(IndexPoint.day) <= max(days), col(IndexPoint.superseded_at).is_(None)))
    current: dict[date, tuple[int, Any]] = {r[1]: (cast(int, r[0]), r[2]) for r in rows.all()}
    superseded: list[int] = []
    fresh: list[dict[str, Any]] = []
    for day, values in days.items():
        old = current.get(day)
        if old is not None and old[1] == values:
            continue
        if old is not None:
            superseded.append(old[0])
        fresh.append({"pair": pair, "day": day, "values": values, "computed_at": now})
    await supersede(session, superseded, now)
    for start in range(0, len(fresh), CHUNK):
        await session.execute(insert(table_of(IndexPoint)), fresh[start:start + CHUNK])
    return len(fresh)


async def supersede(session: AsyncSession, ids: Sequence[int], now: datetime) -> None:
    for start in range(0, len(ids), CHUNK):
        await session.execute(update(IndexPoint).where(col(IndexPoint.id).in_(ids[start:start + CHUNK]))
                              .values(superseded_at=now))


async def supersede_after(session: AsyncSession, pair: str, day: date, now: datetime) -> None:
    """Retire published days beyond the series' end (an event dated ahead was withdrawn)."""
    await session.execute(update(IndexPoint).where(
        col(IndexPoint.pair) == pair, col(IndexPoint.day) > day, col(IndexPoint.superseded_at).is_(None))
        .values(superseded_at=now))


async def write_jumps(session: AsyncSession, jumps: Sequence[tuple[int, dict[str, float]]]) -> None:
    table = table_of(IndexEvent)
    statement = table.update().where(table.c.id == bindparam("b_id")).values(jump=bindparam("b_jump"))
    rows = [{"b_id": seq, "b_jump": jump} for seq, jump in jumps]
    for start in range(0, len(rows), CHUNK):
        await session.execute(statement, rows[start:start + CHUNK])


async def save_state(session: AsyncSession, row: IndexState | None, pair: str, *, digest: str,
                     day: date, snapshot: dict[str, Any], state: dict[str, Any], now: datetime) -> int:
    if row is None:
        row = IndexState(pair=pair, version=1, params_digest=digest, day=day, snapshot=snapshot,
                         state=state, updated_at=now)
        session.add(row)
    else:
        row.version += 1
        row.params_digest, row.day, row.updated_at = digest, day, now
        row.snapshot, row.state = snapshot, state
    await session.flush()
    return row.version


async def points_on(session: AsyncSession, pair: str, days: Sequence[date]) -> dict[tuple[str, date], float]:
    """Each domain's current value on ``days``."""
    rows = await session.execute(
        select(col(IndexPoint.day), col(IndexPoint.values))
        .where(col(IndexPoint.pair) == pair, col(IndexPoint.day).in_(days),
               col(IndexPoint.superseded_at).is_(None)))
    return {(domain, r[0]): float(v[0]) for r in rows.all() for domain, v in r[1].items()}


async def series(session: AsyncSession, pair: str, start: date | None, end: date | None,
                 vintage: datetime | None) -> list[tuple[date, dict[str, list[float]]]]:
    """Daily points as currently published, or as published at ``vintage``."""
    query = select(col(IndexPoint.day), col(IndexPoint.values)).where(col(IndexPoint.pair) == pair)
    if start is not None:
        query = query.where(col(IndexPoint.day) >= start)
    if end is not None:
        query = query.where(col(IndexPoint.day) <= end)
    if vintage is None:
        query = query.where(col(IndexPoint.superseded_at).is_(None))
    else:
        query = query.where(col(IndexPoint.computed_at) <= vintage,
                            or_(col(IndexPoint.superseded_at).is_(None),
                                col(IndexPoint.superseded_at) > vintage))
    rows = await session.execute(query.order_by(col(IndexPoint.day)))
    return [(r[0], dict(r[1])) for r in rows.all()]


async def events_until(session: AsyncSession, pair: str, end: date) -> list[IndexEvent]:
    rows = await session.execute(select(IndexEvent).where(
        col(IndexEvent.pair) == pair, col(IndexEvent.day) <= end)
        .order_by(col(IndexEvent.day), col(IndexEvent.id)))
    return list(rows.scalars())


async def delete_event(session: AsyncSession, event_id: int) -> None:
    await session.execute(delete(IndexEvent).where(col(IndexEvent.id) == event_id))


async def refs_of_source(session: AsyncSession, pair: str, source: str) -> list[str]:
    rows = await session.execute(select(col(IndexEvent.ref)).where(
        col(IndexEvent.pair) == pair, col(IndexEvent.source) == source))
    return [str(r) for r in rows.scalars()]
