"""Read the index: the current value (one row), its history (with vintages), and explain.

``current`` never touches events: it renders the snapshot the last update stored, with
the domain weights a reader asks for (the band is then recomputed from the stored worlds,
so it stays exact). ``explain`` reads the window's daily points and the events up to its
end and splits the change between them (``attribution``).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from service.errors import InvalidFilter, NotFound
from service.index import repository
from service.index.attribution import Contribution, DayPoint, contributions
from service.index.draws import percentile
from service.index.events import to_model_event
from service.index.model import BAND_HIGH, BAND_LOW, OVERALL, Params
from service.index.service import CHANGE_WINDOWS
from service.index.vocabulary import INDEX_DOMAINS


class IndexNotFound(NotFound):
    code, title = "index-not-found", "No index for this pair"


Weights = dict[str, float]


def parse_weights(text: str | None, defaults: Mapping[str, float]) -> Weights | None:
    """``export_controls:2,sanctions:0.5`` over the defaults; None when not given."""
    if text is None or not text.strip():
        return None
    weights = dict(defaults)
    for part in text.split(","):
        name, sep, number = part.partition(":")
        name = name.strip()
        if not sep or name not in INDEX_DOMAINS:
            raise InvalidFilter(f"weights: expected domain:number with a domain among {list(INDEX_DOMAINS)}, "
                                f"got {part!r}")
        try:
            value = float(number)
        except ValueError as exc:
            raise InvalidFilter(f"weights: {number!r} is not a number") from exc
        if not 0 <= value <= 1000 or value != value:
            raise InvalidFilter(f"weights: {name} must be between 0 and 1000")
        weights[name] = value
    if sum(weights.values()) <= 0:
        raise InvalidFilter("weights: at least one domain needs a positive weight")
    return weights


def _band(low: float, high: float) -> dict[str, float]:
    return {"low": low, "high": high}


def _changes(past: Mapping[str, Mapping[str, float]], domain_value: float,
             value_at: Any) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for n in CHANGE_WINDOWS:
        then = value_at(past.get(str(n), {}))
        out[f"{n}d"] = None if then is None else domain_value - then
    return out


def render_current(snapshot: Mapping[str, Any], version: int, weights: Weights | None, today: date,
                   provisional_days: int, *, slots: bool = False) -> dict[str, Any]:
    """The body of ``GET /v1/index`` from a stored snapshot (no I/O)."""
    domains: dict[str, Any] = snapshot["domains"]
    stored = snapshot["params"]["weights"]
    w = weights or stored
    total = sum(w.get(d, 1.0) for d in domains) or 1.0
    overall = snapshot["overall"]
    if weights is None:
        value, low, high = overall["value"], overall["low"], overall["high"]
        position, momentum = overall["position"], overall["momentum"]
    else:
        value = sum(w[d] * domains[d]["value"] for d in domains) / total
        position = sum(w[d] * domains[d]["position"] for d in domains) / total
        momentum = sum(w[d] * domains[d]["momentum"] for d in domains) / total
        low = high = value
        draws = [domains[d]["worlds"] for d in domains if domains[d].get("worlds")]
        if draws:
            def world(d: str, k: int) -> float:
                values = domains[d].get("worlds")
                return float(values[k]) if values else float(domains[d]["value"])

            worlds = [sum(w[d] * world(d, k) for d in domains) / total for k in range(len(draws[0]))]
            low, high = percentile(worlds, BAND_LOW), percentile(worlds, BAND_HIGH)

    def overall_at(past: Mapping[str, float]) -> float | None:
        if weights is None:
            return past.get(OVERALL)
        if any(d not in past for d in domains):
            return None
        return sum(w[d] * past[d] for d in domains) / total

    as_of = date.fromisoformat(snapshot["as_of"])
    return {
        "pair": snapshot["pair"],
        "as_of": snapshot["as_of"],
        "version": version,
        "provisional": as_of > today - timedelta(days=provisional_days),
        "value": value,
        "band": _band(low, high),
        "components": {"position": position, "momentum": momentum},
        "change": _changes(snapshot["past"], value, overall_at),
        "events": overall["events"],
        "weights": {d: w.get(d, 1.0) for d in domains},
        "domains": [
            {
                "domain": d,
                "value": p["value"],
                "band": _band(p["low"], p["high"]),
                "components": {"position": p["position"], "momentum": p["momentum"],
                               "momentum_raw": p["momentum_raw"], "slots_compared": p["compared"],
                               "slots_agreeing": p["agreeing"]},
                "change": _changes(snapshot["past"], p["value"], lambda past, d=d: past.get(d)),
                "events": p["events"],
                "weight": w.get(d, 1.0),
                **({"slots": p["slots"]} if slots else {}),
            }
            for d, p in domains.items()
        ],
        "method": snapshot["params"],
    }


@dataclass
class SnapshotCache:
    """Rendered bodies of ``GET /v1/index`` for ``ttl`` seconds (keyed by pair and weights)."""

    ttl: float
    _entries: dict[tuple[str, str], tuple[float, bytes, str]] = field(default_factory=dict)

    def get(self, key: tuple[str, str]) -> tuple[bytes, str] | None:
        """The cached body, or None: then the caller renders it anew.

        When an entry expires only the first caller is told to refresh; the others keep
        getting the old body until it has (no stampede of identical reads at expiry).
        """
        entry = self._entries.get(key)
        now = time.monotonic()
        if entry is None:
            return None
        if now - entry[0] > self.ttl:
            self._entries[key] = (now, entry[1], entry[2])
            return None
        return entry[1], entry[2]

    def put(self, key: tuple[str, str], body: bytes, etag: str) -> None:
        if len(self._entries) > 1000:
            self._entries.clear()
        self._entries[key] = (time.monotonic(), body, etag)


async def current(session: AsyncSession, pair: str, weights: Weights | None, today: date,
                  provisional_days: int, *, slots: bool = False) -> dict[str, Any]:
    row = await repository.current_snapshot(session, pair)
    if row is None or not row[2].get("overall"):
        raise IndexNotFound(f"no index for {pair} yet: no item of the pair has been processed")
    version, _day, snapshot = row
    return render_current(snapshot, version, weights, today, provisional_days, slots=slots)


def period_end(day: date, interval: str) -> date:
    if interval == "week":
        return day + timedelta(days=6 - day.weekday())
    if interval == "month":
        following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
        return following - timedelta(days=1)
    return day


FIELD = {name: i for i, name in enumerate(repository.POINT_VALUES)}


async def history(session: AsyncSession, pair: str, *, domain: str | None, start: date | None,
                  end: date | None, interval: str, vintage: datetime | None, weights: Weights | None,
                  today: date, provisional_days: int) -> list[dict[str, Any]]:
    """Daily points (or the last of each week or month) as published now or at ``vintage``."""
    custom = weights is not None and domain is None
    days = await repository.series(session, pair, start, end, vintage)
    if not days and await repository.current_snapshot(session, pair) is None:
        raise IndexNotFound(f"no index for {pair} yet")
    reference = vintage.date() if vintage is not None else today
    last = days[-1][0] if days else None
    rows: list[dict[str, Any]] = []
    for day, values in days:
        if interval != "day" and day != period_end(day, interval) and day != last:
            continue
        if custom:
            assert weights is not None
            total = sum(weights.values())
            # low/high so combined assume the domains' bands move together (a wider, safe band)
            row = {name: sum(weights[d] * values[d][FIELD[name]] for d in INDEX_DOMAINS if d in values)
                   / total for name in ("value", "low", "high", "position", "momentum")}
            row["events"] = values[OVERALL][FIELD["events"]]
        else:
            v = values[domain or OVERALL]
            row = {name: v[FIELD[name]] for name in ("value", "low", "high", "position", "momentum")}
            row["events"] = int(v[FIELD["events"]])
        rows.append({"date": day.isoformat(), **row,
                     "provisional": day > reference - timedelta(days=provisional_days)})
    return rows


@dataclass(frozen=True)
class Explanation:
    pair: str
    domain: str
    start: date
    end: date
    value_start: float
    value_end: float
    contributions: list[tuple[Contribution, dict[str, Any]]]


async def explain(session: AsyncSession, pair: str, params: Params, *, start: date, end: date,
                  domain: str | None, weights: Weights | None) -> Explanation:
    """Every event's contribution to the change of the index from ``start`` to ``end``."""
    row = await repository.current_snapshot(session, pair)
    if row is None:
        raise IndexNotFound(f"no index for {pair} yet")
    as_of = row[1]
    start, end = max(start, params.start), min(end, as_of)
    if start >= end:
        raise InvalidFilter(f"the window must lie within {params.start.isoformat()}..{as_of.isoformat()} "
                            "and `from` must be before `to`")
    if domain is not None:
        share = {domain: 1.0}
    else:
        w = weights or params.weights()
        total = sum(w.values())
        share = {d: w[d] / total for d in INDEX_DOMAINS if w.get(d, 0.0) > 0}
    series: dict[str, dict[date, DayPoint]] = {}
    for day, values in await repository.series(session, pair, start, end, None):
        for d in share:
            if d in values:
                v = values[d]
                series.setdefault(d, {})[day] = DayPoint(v[FIELD["value"]], v[FIELD["position"]],
                                                         v[FIELD["momentum_raw"]])
    for d in share:
        days = series.get(d, {})
        if start not in days or end not in days or len(days) != (end - start).days + 1:
            raise InvalidFilter(f"no complete published series for {d} in {start}..{end}")
    rows = await repository.events_until(session, pair, end)
    events = [to_model_event(r) for r in rows]
    by_seq = {r.id: r for r in rows}
    found = contributions(params, events, {r.id: r.jump for r in rows if r.id is not None},
                          series, start, end, share)
    value_start = sum(share[d] * series[d][start].value for d in share)
    value_end = sum(share[d] * series[d][end].value for d in share)
    ranked = sorted(found, key=lambda c: (-abs(c.total), c.seq))
    return Explanation(pair, domain or OVERALL, start, end, value_start, value_end,
                       [(c, _event_public(by_seq[c.seq])) for c in ranked])


def _event_public(row: Any) -> dict[str, Any]:
    return {
        "ref": row.ref, "item_id": row.item_id, "date": row.day.isoformat(), "title": row.title,
        "link": row.link, "source": row.source_name,
        "classification": {"actor": row.actor, "domain": row.domain, "stance": row.stance,
                           "targets_china": row.targets_china, "confidence": row.confidence,
                           "source": row.source},
        "effects": row.effects, "evidence": row.evidence,
    }


def page_of(items: Sequence[Any], offset: int, limit: int) -> tuple[list[Any], int | None]:
    page = list(items[offset:offset + limit])
    return page, (offset + limit if offset + limit < len(items) else None)
