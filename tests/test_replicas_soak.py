"""Three real replicas on one PostgreSQL under faults lose and duplicate nothing.

The short version of ``bench/soak.py``: a growing farm of 60 feeds, three ``alignwatch
serve`` processes, two webhook receivers; one receiver is down for a while, one replica is
killed with SIGKILL (and restarted), PostgreSQL is restarted (or, when this process may not
restart it, every connection to the database is cut). Then, against the farm's request
log, the receivers' records and the database: no entry lost or stored twice, every alert
received by both receivers and never under two webhook-ids, no feed polled twice in an
interval without a fault to explain it, and the index equal to a full recompute.
"""

from __future__ import annotations

import os

import pytest

from bench.soak import Plan, SoakError, problems, soak, summary
from tests.conftest import PG_URL
from tests.paths import FEEDFARM

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


async def test_three_replicas_under_faults_lose_and_duplicate_nothing(pg_database_url: str) -> None:
    # pg_database_url: skips without PostgreSQL, fails in CI; the soak makes its own database.
    assert FEEDFARM.is_file(), f"the feed farm is missing at {FEEDFARM} (set ALIGNWATCH_SHARED_DIR)"
    plan = Plan(feeds=60, replicas=3, seconds=45, items=20, poll_interval=15, lease=8,
                grow_every=6, grow_fraction=0.2, outage_at=0.15, outage_seconds=8,
                kill_at=0.3, restart_at=0.5, pg_restart_at=0.65, wrk=False, drain_timeout=180,
                pg_url=PG_URL, quiet=os.environ.get("ALIGNWATCH_SOAK_VERBOSE") is None)
    try:
        figures = await soak(plan)
    except SoakError as exc:
        pytest.fail(f"the soak did not complete: {exc}")
    line = summary(figures)
    assert figures["expected_items"] >= 60 * 20, line
    assert figures["alerts"] > 0 and figures["redeliveries"] >= 0, line
    assert figures["clean_exits"] == 3, line
    assert problems(figures) == [], line
