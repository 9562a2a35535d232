"""Time a full recompute of the alignment index from stored events, on SQLite and PostgreSQL.

Usage: .venv/bin/python bench/index_recompute.py [--sizes 10000,50000,100000]
                                                 [--database sqlite|postgres|both] [--draws 200]

For each size a fresh database is migrated and filled with that many synthetic events of
the US-JP pair (dates uniform over 2017-01-01..2026-11-28; 70% model-labelled with random
confidences, 30% analysts'; 0-2 effects on random slots), then ``service.index.service.
recompute`` runs inside one write transaction, exactly as the service does at start-up
after a settings change: load the events, replay them, publish the daily points, jumps,
checkpoints and state. The time is split into load+compute+write (total) and the pure
replay alone. The series spans the same days at every size, so growth with the number of
events shows in the per-event cost. PostgreSQL: ``ALIGNWATCH_BENCH_PG_URL`` (default the
local server's ``test`` database as ``postgres``); a scratch database is created and dropped.
Ends with one key=value line per database.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

import asyncpg
from sqlalchemy import insert

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from service.config import Settings
from service.db import migrate
from service.db.models import IndexEvent, table_of
from service.db.session import create_database
from service.index import repository
from service.index.events import params_from_settings, to_model_event
from service.index.model import compute
from service.index.service import recompute
from service.index.vocabulary import default_vocabulary
from service.timeutil import utcnow

PG_URL = os.environ.get("ALIGNWATCH_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
FIRST, LAST = date(2017, 1, 1), date(2026, 11, 28)


def synthetic_events(n: int, seed: int = 1) -> list[dict[str, object]]:
    rng = random.Random(seed)
    vocab = default_vocabulary()
    span = (LAST - FIRST).days
    now = utcnow()
    rows: list[dict[str, object]] = []
    for i in range(n):
        domain = rng.choice(vocab.domains)
        analyst = rng.random() < 0.3
        effects = [{"country": rng.choice(["US", "JP"]), "slot": rng.choice(vocab.compared[domain]),
                    "action": rng.choice(["adopt", "tighten", "ease", "remove", "announce"]), "note": ""}
                   for _ in range(rng.randrange(3))]
        confidence = 1.0 if analyst else round(rng.uniform(0.3, 1.0), 3)
        rows.append({
            "pair": "US-JP", "ref": f"bench:{i}", "item_id": None,
            "day": FIRST + timedelta(days=rng.randrange(span)), "domain": domain,
            "actor": rng.choice(["US", "JP", "joint"]),
            "stance": rng.choice(["converging", "diverging", "neutral"]), "targets_china": False,
            "confidence": confidence, "p_relevant": 1.0 if analyst else round(rng.uniform(0.5, 1.0), 3),
            "p_stance": 1.0 if analyst else round(rng.uniform(0.4, 1.0), 3),
            "source": "analyst" if analyst else "model", "effects": effects, "evidence": [],
            "title": f"synthetic event {i}", "link": None, "source_name": "bench", "jump": {},
            "updated_at": now,
        })
    return rows


async def run_one(url: str, n: int, draws: int) -> dict[str, float]:
    settings = Settings(database_url=url, log_level="WARNING", index_band_draws=draws, index_start=FIRST)
    db = create_database(settings)
    try:
        await migrate.upgrade(db.engine)
        rows = synthetic_events(n)
        async with db.begin() as session:
            for start in range(0, len(rows), 2000):
                await session.execute(insert(table_of(IndexEvent)), rows[start:start + 2000])
        params, vocab = params_from_settings(settings), default_vocabulary()
        today = LAST
        started = time.perf_counter()
        async with db.begin() as session:
            await recompute(session, ("US", "JP"), params, vocab, today, utcnow())
        total = time.perf_counter() - started
        async with db.read() as session:
            events = [to_model_event(r) for r in await repository.events_from(session, "US-JP")]
        started = time.perf_counter()
        compute(params, vocab, ("US", "JP"), events, today)
        pure = time.perf_counter() - started
        return {"total": total, "replay": pure}
    finally:
        await db.dispose()


async def pg_scratch() -> tuple[str, str]:
    name = f"alignwatch_bench_{uuid.uuid4().hex[:8]}"
    conn = await asyncpg.connect(PG_URL)
    await conn.execute(f'CREATE DATABASE "{name}"')
    await conn.close()
    return name, PG_URL.rsplit("/", 1)[0] + "/" + name


async def pg_drop(name: str) -> None:
    conn = await asyncpg.connect(PG_URL)
    await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await conn.close()


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,50000,100000")
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--draws", type=int, default=200)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    for database in databases:
        results: dict[int, dict[str, float]] = {}
        for n in sizes:
            if database == "sqlite":
                with tempfile.TemporaryDirectory() as tmp:
                    results[n] = await run_one(f"sqlite:///{tmp}/bench.db", n, args.draws)
            else:
                name, url = await pg_scratch()
                try:
                    results[n] = await run_one(url, n, args.draws)
                finally:
                    await pg_drop(name)
            r = results[n]
            print(f"{database:8s} events={n:>7d} recompute={r['total']:.2f}s "
                  f"(replay alone {r['replay']:.2f}s) per-event={1e6 * r['total'] / n:.1f}us", flush=True)
        small, large = min(sizes), max(sizes)
        ratio = results[large]["total"] / results[small]["total"]
        marginal = (results[large]["total"] - results[small]["total"]) / (large - small) * 1e6
        print(f"summary database={database} " + " ".join(f"t{n}={results[n]['total']:.2f}" for n in sizes)
              + f" ratio_{large}_{small}={ratio:.2f} events_ratio={large / small:.0f} "
              f"marginal_us_per_event={marginal:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
