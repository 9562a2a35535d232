"""The alignment index: current value, history (JSON or CSV, vintages), and explain."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, date, datetime, time
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from service.api.deps import ReadAccess, ReadSessionDep, RuntimeDep, bearer, require_read
from service.api.pagination import decode_cursor, encode_cursor
from service.errors import InvalidCursor, InvalidFilter
from service.index import query
from service.index.events import pair_key, params_from_settings
from service.index.query import SnapshotCache
from service.runtime import Runtime
from service.timeutil import as_utc, utcnow

router = APIRouter(prefix="/v1/index", tags=["index"])
PAIR_PATTERN = re.compile(r"[A-Z]{2}-[A-Z]{2}")
PairQuery = Annotated[str | None, Query(pattern=r"^[A-Z]{2}-[A-Z]{2}$",
                                        description="country pair, default the first tracked")]
WeightsQuery = Annotated[str | None, Query(max_length=400, description=(
    "domain weights over the configured ones, e.g. `export_controls:2,sanctions:0.5`"))]
Domain = Literal["export_controls", "investment_screening", "industrial_policy", "supply_chain",
                 "trade_policy", "sanctions", "tech_security", "cooperation"]


class Band(BaseModel):
    low: float
    high: float


class DomainValue(BaseModel):
    domain: str
    value: float = Field(description="0 (apart) to 100 (aligned); 50 means no evidence either way")
    band: Band
    components: dict[str, float]
    change: dict[str, float | None]
    events: int
    weight: float
    slots: list[dict[str, Any]] | None = Field(
        default=None, description="with `slots=true`: the slots compared and who holds each")


class IndexPublic(BaseModel):
    pair: str
    as_of: date
    version: int
    provisional: bool = Field(description="the value may still be revised by late items")
    value: float
    band: Band = Field(description="5th–95th percentile over resampled labels")
    components: dict[str, float]
    change: dict[str, float | None] = Field(description="change over 7, 30 and 90 days")
    events: int
    weights: dict[str, float]
    domains: list[DomainValue]
    method: dict[str, Any]


class HistoryPoint(BaseModel):
    date: date
    value: float
    low: float
    high: float
    position: float
    momentum: float
    events: int
    provisional: bool


class HistoryPage(BaseModel):
    pair: str
    domain: str
    interval: str
    vintage: datetime | None
    items: list[HistoryPoint]
    next_cursor: str | None


class ExplainedEvent(BaseModel):
    contribution: float
    jump: float = Field(description="the event's own move on its day (inside the window)")
    drift: float = Field(description="its share of the decay of momentum over the window")
    by_domain: dict[str, float]
    event: dict[str, Any]


class ExplainPage(BaseModel):
    pair: str
    domain: str
    from_: date = Field(alias="from")
    to: date
    value_from: float
    value_to: float
    change: float
    sum_of_contributions: float = Field(description="over all pages; equals `change`")
    events_total: int
    items: list[ExplainedEvent]
    next_cursor: str | None


def _pair(runtime: Runtime, pair: str | None) -> str:
    tracked = [pair_key(p) for p in runtime.reloader.pairs()]
    if pair is None:
        return tracked[0]
    if pair not in tracked:
        raise query.IndexNotFound(f"{pair} is not a tracked pair (tracked: {', '.join(tracked)})")
    return pair


def _cache(request: Request, ttl: float) -> SnapshotCache:
    cache: SnapshotCache | None = getattr(request.app.state, "index_cache", None)
    if cache is None:
        cache = request.app.state.index_cache = SnapshotCache(ttl)
    return cache


CURRENT_PARAMETERS = [
    {"name": "pair", "in": "query", "required": False,
     "schema": {"type": "string", "pattern": "^[A-Z]{2}-[A-Z]{2}$"},
     "description": "country pair, default the first tracked"},
    {"name": "weights", "in": "query", "required": False, "schema": {"type": "string", "maxLength": 400},
     "description": "domain weights over the configured ones, e.g. `export_controls:2,sanctions:0.5`"},
    {"name": "slots", "in": "query", "required": False, "schema": {"type": "boolean", "default": False},
     "description": "add each domain's slot table (who holds what)"},
]


@router.get("", response_model=None,
            openapi_extra={"security": [{"HTTPBearer": []}], "parameters": CURRENT_PARAMETERS},
            responses={200: {"model": IndexPublic}, 404: {"description": "pair not tracked"}},
            summary="The current alignment index, overall and per domain")
async def current_index(request: Request) -> Response:
    """One stored row, rendered once per ``index_cache_ttl`` and served from memory between.

    The hot path of the API (the issue: at least 70% of a trivial endpoint's throughput),
    so it reads its three query parameters and checks the key itself instead of going
    through FastAPI's parameter and dependency machinery, which costs more than the rest
    of the request; the parameters are documented by hand above.
    """
    params = request.query_params
    pair, weights, slots_text = params.get("pair"), params.get("weights"), params.get("slots", "false")
    if pair is not None and not PAIR_PATTERN.fullmatch(pair):
        raise InvalidFilter("pair must look like US-JP")
    if weights is not None and len(weights) > 400:
        raise InvalidFilter("weights is longer than 400 characters")
    if slots_text.lower() not in ("true", "false", "1", "0"):
        raise InvalidFilter("slots must be true or false")
    slots = slots_text.lower() in ("true", "1")
    runtime: Runtime = request.app.state.runtime
    settings = runtime.settings
    if not settings.public_read:
        await require_read(request, await bearer(request))
    key = (_pair(runtime, pair), f"{weights or ''}|{slots}")
    cache = _cache(request, settings.index_cache_ttl.total_seconds())
    hit = cache.get(key)
    if hit is None:
        parsed = query.parse_weights(weights, params_from_settings(settings).weights())
        async with runtime.db.read() as session:
            body = await query.current(session, key[0], parsed, utcnow().date(),
                                       settings.index_provisional_days, slots=slots)
        hit = (json.dumps(body, separators=(",", ":")).encode(), f'"{key[0]}-{body["version"]}"')
        cache.put(key, *hit)
    return Response(hit[0], media_type="application/json", headers={"ETag": hit[1]})


def _vintage(text: str | None) -> datetime | None:
    """A date (the end of that day, UTC) or a date-time."""
    if text is None:
        return None
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time.max, tzinfo=UTC)
        return as_utc(datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError as exc:
        raise InvalidFilter(f"vintage {text!r} is not an ISO date or date-time") from exc


@router.get("/history", dependencies=[ReadAccess], response_model=HistoryPage,
            responses={200: {"content": {"text/csv": {}}}},
            summary="The index over time (JSON, or CSV with Accept: text/csv or format=csv)")
async def index_history(
    request: Request,
    runtime: RuntimeDep,
    session: ReadSessionDep,
    pair: PairQuery = None,
    domain: Domain | None = None,
    start: Annotated[date | None, Query(alias="from")] = None,
    end: Annotated[date | None, Query(alias="to")] = None,
    interval: Literal["day", "week", "month"] = "day",
    vintage: Annotated[str | None, Query(max_length=40, description=(
        "the series as published then: a date (end of that day, UTC) or a date-time"))] = None,
    weights: WeightsQuery = None,
    format: Literal["json", "csv"] | None = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 1000,
    cursor: Annotated[str | None, Query(max_length=512)] = None,
) -> Any:
    if start and end and start > end:
        raise InvalidFilter("`from` must not be after `to`")
    settings = runtime.settings
    parsed = query.parse_weights(weights, params_from_settings(settings).weights())
    key = _pair(runtime, pair)
    rows = await query.history(session, key, domain=domain, start=start, end=end, interval=interval,
                               vintage=_vintage(vintage), weights=parsed, today=utcnow().date(),
                               provisional_days=settings.index_provisional_days)
    as_csv = format == "csv" or (format is None and "text/csv" in request.headers.get("accept", ""))
    if as_csv:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        columns = ["date", "value", "low", "high", "position", "momentum", "events", "provisional"]
        writer.writerow(columns)
        for row in rows:
            writer.writerow([str(row[c]).lower() if isinstance(row[c], bool) else row[c] for c in columns])
        name = f"alignwatch-{key}-{domain or 'overall'}-{interval}.csv"
        return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})
    offset = 0
    if cursor:
        after, = decode_cursor(cursor, 1)
        if not isinstance(after, str):
            raise InvalidCursor("cursor does not belong to this listing")
        offset = next((i + 1 for i, r in enumerate(rows) if r["date"] == after), -1)
        if offset < 0:
            raise InvalidCursor("cursor does not belong to this listing")
    page, following = query.page_of(rows, offset, limit)
    return HistoryPage(pair=key, domain=domain or "overall", interval=interval, vintage=_vintage(vintage),
                       items=[HistoryPoint(**r) for r in page],
                       next_cursor=encode_cursor(page[-1]["date"]) if following is not None else None)


@router.get("/explain", dependencies=[ReadAccess], response_model=ExplainPage, response_model_by_alias=True,
            summary="The events that moved the index in a window; contributions sum to the change")
async def index_explain(
    runtime: RuntimeDep,
    session: ReadSessionDep,
    start: Annotated[date, Query(alias="from")],
    end: Annotated[date, Query(alias="to")],
    pair: PairQuery = None,
    domain: Domain | None = None,
    weights: WeightsQuery = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: Annotated[str | None, Query(max_length=512)] = None,
) -> ExplainPage:
    if start >= end:
        raise InvalidFilter("`from` must be before `to`")
    params = params_from_settings(runtime.settings)
    parsed = query.parse_weights(weights, params.weights())
    key = _pair(runtime, pair)
    found = await query.explain(session, key, params, start=start, end=end, domain=domain, weights=parsed)
    window = f"{key}|{found.domain}|{found.start}|{found.end}|{weights or ''}"
    offset = 0
    if cursor:
        position, fingerprint = decode_cursor(cursor, 2)
        if fingerprint != window or not isinstance(position, int) or position < 0:
            raise InvalidCursor("cursor does not belong to this listing")
        offset = position
    page, following = query.page_of(found.contributions, offset, limit)
    return ExplainPage.model_validate({
        "pair": key, "domain": found.domain, "from": found.start, "to": found.end,
        "value_from": found.value_start, "value_to": found.value_end,
        "change": found.value_end - found.value_start,
        "sum_of_contributions": sum(c.total for c, _ in found.contributions),
        "events_total": len(found.contributions),
        "items": [{"contribution": c.total, "jump": c.jump, "drift": c.drift, "by_domain": c.by_domain,
                   "event": event} for c, event in page],
        "next_cursor": encode_cursor(following, window) if following is not None else None,
    })
