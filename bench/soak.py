"""Fault and load soak: several real replicas on one PostgreSQL, a growing feed farm, faults.

Usage: .venv/bin/python bench/soak.py [--feeds 2000] [--replicas 3] [--minutes 10] [--items 20]
                                      [--poll-interval 60] [--lease 10] [--no-wrk] [--keep DIR]

Everything runs on loopback and is undone at the end, Ctrl-C included (processes killed,
the database dropped). What runs:

  feed farm      ../shared/bench/feedfarm.py (or $ALIGNWATCH_SHARED_DIR/bench) generated into a
                 temporary directory and served by this script's own child (``--child-farm``):
                 strong ETags, one log line per request (time, feed, status, item count), and
                 ``feedfarm.grow`` in-process under the serving lock while the run lasts
  replicas       ``python -m service.cli serve`` x R on a fresh PostgreSQL database, short leases,
                 every poll interval equal to --poll-interval, JSON logs to files
  receivers      two webhook receivers (in this process), each one subscription (made through
                 ``POST /v1/subscriptions`` with an admin key from ``alignwatch keys create``)
  load           wrk on one replica's ``GET /v1/index`` for most of the run (if wrk is installed)
  faults         a receiver down for a while, ``kill -9`` of one replica (restarted later), a
                 PostgreSQL restart (``pg_ctlcluster`` when run as root on the machine's own
                 cluster; otherwise every connection to the database is terminated)

After the run the farm stops growing and the script waits until every feed has been polled
since its last change, the processing queue is empty and every delivery has landed, then
checks against ground truth: the farm's request log (items served, double polls), the
receivers' records and the database. A double poll is two requests for one feed closer than
0.9 x the interval where the first one succeeded and no fault happened in between (those are
counted apart as ``repolls_after_fault``). Ends with a table and one ``key=value`` line.
Exit status 0 when nothing was lost or duplicated, 1 when something was, 3 when the run failed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib.util
import itertools
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Coroutine
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run as a script: make the repository importable
    sys.path.insert(0, str(REPO))

from bench.common import free_port, pg_execute  # noqa: E402

SHARED = Path(os.environ.get("ALIGNWATCH_SHARED_DIR", REPO.parent / "shared"))
FEEDFARM = SHARED / "bench" / "feedfarm.py"
SCRIPT = Path(__file__).resolve()
DEFAULT_PG_URL = os.environ.get("ALIGNWATCH_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
WINDOW = 20  # feedfarm.grow keeps the newest 20 entries of a feed
PAIR = "US-JP"


class SoakError(Exception):
    """The soak could not run (a process would not start, the drain timed out...)."""


@dataclass
class Plan:
    """One soak: sizes, timings (seconds) and when each fault happens (fractions of the run)."""

    feeds: int = 60
    replicas: int = 3
    seconds: float = 60.0
    items: int = 20
    poll_interval: float = 20.0
    lease: float = 10.0
    grow_every: float = 8.0
    grow_fraction: float = 0.2
    grow_items: int = 2
    outage_at: float = 0.15
    outage_seconds: float = 8.0
    kill_at: float = 0.3
    restart_at: float = 0.5
    pg_restart_at: float = 0.6
    wrk: bool = False
    wrk_connections: int = 8
    drain_timeout: float = 150.0
    pg_url: str = DEFAULT_PG_URL
    keep: Path | None = None
    quiet: bool = False


@dataclass
class Receipt:
    at: float
    webhook_id: str
    alert_id: str
    subscription_id: str
    signed: bool


@dataclass
class Receiver:
    """A webhook endpoint that records every message; can be taken down and brought back."""

    name: str
    port: int = 0
    secret: str = ""
    subscription_id: str = ""
    got: list[Receipt] = field(default_factory=list)
    runner: Any = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    async def start(self) -> None:
        from aiohttp import web
        from standardwebhooks import Webhook

        async def handle(request: web.Request) -> web.Response:
            body = await request.text()
            signed = True
            try:
                Webhook(self.secret).verify(body, dict(request.headers))
            except Exception:
                signed = False
            data = json.loads(body)
            self.got.append(Receipt(time.time(), request.headers.get("webhook-id", ""),
                                    data["data"]["alert"]["id"], data.get("subscription_id", ""), signed))
            return web.Response(status=204)

        app = web.Application()
        app.router.add_post("/hook", handle)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", self.port or free_port(), reuse_address=True).start()
        self.port = self.port or self.runner.addresses[0][1]

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()
            self.runner = None


@dataclass
class Replica:
    slot: int
    port: int
    log: Path
    proc: subprocess.Popen[bytes] | None = None
    rss: list[tuple[float, float, int]] = field(default_factory=list)  # (time, MiB, pid)
    generation: int = 0
    name: str = ""


class Soak:
    """The processes, database and files of one soak, and everything it measured."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.tmp = Path(tempfile.mkdtemp(prefix="alignwatch-soak-", dir=plan.keep))
        self.database = f"alignwatch_soak_{uuid.uuid4().hex[:10]}"
        self.procs: list[subprocess.Popen[bytes]] = []
        self.db_created = False
        self.farm: subprocess.Popen[bytes] | None = None
        self.farm_port = 0
        self.replicas: list[Replica] = []
        self.receivers = [Receiver("a"), Receiver("b")]
        self.faults: list[tuple[float, str]] = []
        self.admin_key = ""
        self.wrk_output = ""
        self.manual_retries = 0
        self.start_failures = 0
        self.started = 0.0
        self.ended = 0.0

    # --- set-up and tear-down ---------------------------------------------------------------

    @property
    def database_url(self) -> str:
        return f"{self.plan.pg_url.rsplit('/', 1)[0]}/{self.database}"

    def say(self, text: str) -> None:
        if not self.plan.quiet:
            print(f"[{time.time() - self.started if self.started else 0.0:6.1f}s] {text}", flush=True)

    def env(self, replica: str, **extra: str) -> dict[str, str]:
        p = self.plan
        env = {k: v for k, v in os.environ.items() if not k.startswith("ALIGNWATCH_")}
        env["PYTHONPATH"] = str(REPO)
        interval, lease = f"{p.poll_interval:g}", f"{p.lease:g}"
        settings = {
            "DATABASE_URL": self.database_url, "FEEDS_FILE": str(self.tmp / "feeds.yml"),
            "FEEDS_WATCH": "false", "ALLOW_PRIVATE_FEEDS": "true", "ALLOW_LOOPBACK_WEBHOOKS": "true",
            "ALERT_MIN_CONFIDENCE": "0", "POLL_MIN_INTERVAL": interval, "POLL_DEFAULT_INTERVAL": interval,
            "POLL_MAX_INTERVAL": interval, "BACKOFF_BASE": interval, "POLL_JITTER": "0",
            "POLL_LEASE": lease, "PIPELINE_LEASE": lease, "WEBHOOK_LEASE": lease,
            "FETCH_CONNECT_TIMEOUT": "3", "FETCH_READ_TIMEOUT": f"{p.lease / 2:g}",
            "FETCH_TOTAL_TIMEOUT": f"{p.lease * 0.8:g}", "WEBHOOK_TIMEOUT": f"{p.lease / 2:g}",
            "INSTANCE_ID": replica, "PUBLIC_READ": "true", "LOG_FORMAT": "json",
            "RATE_LIMIT_READ": "10000000/minute", "RATE_LIMIT_ADMIN": "100000/minute",
            "DB_POOL_SIZE": "8", "DB_MAX_OVERFLOW": "4",
        } | extra
        env.update({f"ALIGNWATCH_{k}": v for k, v in settings.items()})
        return env

    async def close(self) -> None:
        for receiver in self.receivers:
            with contextlib.suppress(Exception):
                await receiver.stop()
        for proc in self.procs:
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(proc.pid, signal.SIGKILL)
            with contextlib.suppress(Exception):
                proc.wait(timeout=10)
        if self.db_created:
            with contextlib.suppress(Exception):
                await wait_for_postgres(self.plan.pg_url, 60)
                await pg_execute(self.plan.pg_url, f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
        if self.plan.keep is None:
            shutil.rmtree(self.tmp, ignore_errors=True)

    def spawn(self, command: list[str], log: Path,
              env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
        with log.open("ab") as out:
            proc = subprocess.Popen(command, stdout=out, stderr=out, env=env, cwd=self.tmp,
                                    start_new_session=True)
        self.procs.append(proc)
        return proc

    async def cli(self, *args: str) -> str:
        done = await asyncio.to_thread(
            subprocess.run, [sys.executable, "-m", "service.cli", *args], env=self.env("soak-cli"),
            cwd=self.tmp, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise SoakError(f"alignwatch {' '.join(args)} exited {done.returncode}: {done.stderr[-2000:]}")
        return done.stdout

    async def start_farm(self) -> None:
        farm = self.tmp / "farm"
        await asyncio.to_thread(subprocess.run, [sys.executable, str(FEEDFARM), "generate", str(farm),
                                                 "--feeds", str(self.plan.feeds), "--items",
                                                 str(self.plan.items)], check=True, timeout=600)
        self.farm_port = free_port()
        p = self.plan
        self.farm = self.spawn([sys.executable, str(SCRIPT), "--child-farm", str(farm),
                                "--port", str(self.farm_port), "--farm-log", str(self.tmp / "farm.log"),
                                "--grow-every", str(p.grow_every), "--grow-fraction", str(p.grow_fraction),
                                "--grow-items", str(p.grow_items)], self.tmp / "farm.out")
        await wait_for_port(self.farm_port, self.farm, 30)
        feeds = [{"id": f"farm-{n:05d}", "name": f"Synthetic feed {n}",
                  "url": f"http://127.0.0.1:{self.farm_port}/feed-{n:05d}.xml",
                  "country": "US" if n % 2 == 0 else "JP", "kind": "government", "language": "en"}
                 for n in range(p.feeds)]
        (self.tmp / "feeds.yml").write_text(json.dumps({"version": 1, "pairs": [PAIR], "feeds": feeds}))

    async def start_replica(self, replica: Replica, scheduler: bool = True) -> None:
        replica.generation += 1
        name = f"soak-{replica.slot}" + (f"-r{replica.generation - 1}" if replica.generation > 1 else "")
        replica.name = name
        env = self.env(name, SCHEDULER_ENABLED=str(scheduler).lower())
        command = [sys.executable, "-m", "service.cli", "serve", "--port", str(replica.port)]
        replica.proc = self.spawn(command, replica.log, env)
        await wait_for_http(f"http://127.0.0.1:{replica.port}/healthz", replica.proc, 90)

    async def restart_replica(self, replica: Replica, attempts: int = 5) -> bool:
        """Start a replica again; a failed start is counted (it is a finding) and retried.

        When every attempt fails the run goes on without it, so the other figures still come.
        """
        for attempt in range(1, attempts + 1):
            try:
                await self.start_replica(replica)
                return True
            except SoakError as exc:
                self.start_failures += 1
                self.fault(f"replica {replica.slot} failed to start (attempt {attempt}): {exc}")
                await asyncio.sleep(3)
        return False

    async def stop_replica(self, replica: Replica, sig: int = signal.SIGTERM) -> int | None:
        proc = replica.proc
        if proc is None or proc.poll() is not None:
            return proc.returncode if proc else None
        proc.send_signal(sig)
        try:
            return await asyncio.to_thread(proc.wait, 45)
        except subprocess.TimeoutExpired:
            proc.kill()
            await asyncio.to_thread(proc.wait)
            return None

    async def subscribe(self) -> None:
        """Subscriptions to every kind exist before any replica polls: every alert owes both receivers."""
        import httpx

        from service.alerts.match import KINDS

        self.admin_key = (await self.cli("keys", "create", "--scope", "admin", "--name", "soak")).split()[0]
        api_only = Replica(0, free_port(), self.tmp / "subscribe.log")
        await self.start_replica(api_only, scheduler=False)
        async with httpx.AsyncClient(headers={"Authorization": f"Bearer {self.admin_key}"}) as client:
            for receiver in self.receivers:
                await receiver.start()
                answer = await client.post(f"http://127.0.0.1:{api_only.port}/v1/subscriptions",
                                           json={"url": receiver.url, "description": receiver.name,
                                                 "kinds": list(KINDS)})
                if answer.status_code != 201:
                    raise SoakError(f"POST /v1/subscriptions: {answer.status_code} {answer.text}")
                receiver.secret, receiver.subscription_id = answer.json()["secret"], answer.json()["id"]
        await self.stop_replica(api_only)

    # --- the run ----------------------------------------------------------------------------

    async def run(self) -> dict[str, Any]:
        p = self.plan
        await pg_execute(p.pg_url, f'CREATE DATABASE "{self.database}"')
        self.db_created = True
        await self.start_farm()
        await self.cli("db", "upgrade")
        await self.subscribe()
        self.replicas = [Replica(n, free_port(), self.tmp / f"replica-{n}.log") for n in range(p.replicas)]
        await asyncio.gather(*(self.start_replica(r) for r in self.replicas))
        self.started = time.time()
        self.say(f"{p.replicas} replicas up on ports {[r.port for r in self.replicas]}, "
                 f"farm of {p.feeds} feeds on {self.farm_port}, database {self.database}")
        assert self.farm is not None
        self.farm.send_signal(signal.SIGUSR1)  # start growing
        sampler = asyncio.create_task(self.sample_memory())
        wrk = asyncio.create_task(self.run_wrk()) if p.wrk else None
        try:
            await self.timeline()
            self.farm.send_signal(signal.SIGUSR2)  # stop growing
            self.fault("grow stopped")
            if wrk is not None:
                await wrk
            await self.drain()
            self.ended = time.time()
            api_index = await self.read_api_index()
        finally:
            sampler.cancel()
        codes = [await self.stop_replica(r) for r in self.replicas]
        self.say(f"replicas stopped, exit codes {codes}")
        return await self.verify(api_index, codes)

    def fault_times(self) -> list[float]:
        """When something happened that may make a replica poll a feed again early."""
        return [t for t, what in self.faults if what.startswith(("kill", "replica", "PostgreSQL"))]

    def fault(self, what: str) -> None:
        self.faults.append((time.time(), what))
        self.say(what)

    async def at(self, fraction: float) -> None:
        await asyncio.sleep(max(0.0, self.started + fraction * self.plan.seconds - time.time()))

    async def timeline(self) -> None:
        p = self.plan
        victim = self.replicas[1 % len(self.replicas)]
        steps = sorted([(p.outage_at, "outage"), (p.kill_at, "kill"), (p.restart_at, "restart"),
                        (p.pg_restart_at, "pg"), (1.0, "end")])
        outage_end: asyncio.Task[None] | None = None
        for when, step in steps:
            await self.at(when)
            if step == "outage":
                await self.receivers[1].stop()
                self.fault(f"receiver {self.receivers[1].name} down for {p.outage_seconds:g} s")
                outage_end = asyncio.create_task(self.outage_end(p.outage_seconds))
            elif step == "kill":
                assert victim.proc is not None
                held = await self.wait_for_lease(victim.name, 5.0)
                victim.proc.send_signal(signal.SIGKILL)
                await asyncio.to_thread(victim.proc.wait)
                self.fault(f"kill -9 replica {victim.slot} (pid {victim.proc.pid}) holding {held}")
            elif step == "restart":
                if await self.restart_replica(victim):
                    pid = victim.proc.pid if victim.proc else 0
                    self.fault(f"replica {victim.slot} restarted (pid {pid})")
            elif step == "pg":
                self.fault("PostgreSQL restart begins")
                how = await restart_postgres(self.plan.pg_url, self.database)
                self.fault(f"PostgreSQL {how} done")
        if outage_end is not None:
            await outage_end

    async def wait_for_lease(self, owner: str, within: float) -> str:
        """Wait (a little) until ``owner`` holds claimed work, so the kill leaves some behind."""
        import asyncpg  # type: ignore[import-untyped]

        deadline = time.time() + within
        conn = await asyncpg.connect(self.database_url, timeout=10)
        try:
            while True:
                row = await conn.fetchrow(
                    "SELECT (SELECT count(*) FROM feed_state WHERE lease_owner = $1 AND lease_until > now())"
                    " AS feeds, (SELECT count(*) FROM item_event WHERE lease_owner = $1 AND"
                    " lease_until > now() AND processed_at IS NULL) AS events, (SELECT count(*) FROM"
                    " delivery WHERE lease_owner = $1 AND lease_until > now()) AS deliveries", owner)
                held = ",".join(f"{k}:{v}" for k, v in row.items() if v)
                if held or time.time() > deadline:
                    return held or "nothing"
                await asyncio.sleep(0.05)
        finally:
            await conn.close()

    async def outage_end(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
        await self.receivers[1].start()
        self.fault(f"receiver {self.receivers[1].name} back")

    async def sample_memory(self) -> None:
        while True:
            for replica in self.replicas:
                if replica.proc is not None and replica.proc.poll() is None:
                    rss = vm_rss_mib(replica.proc.pid)
                    if rss is not None:
                        replica.rss.append((time.time(), rss, replica.proc.pid))
            await asyncio.sleep(2)

    async def run_wrk(self) -> None:
        p = self.plan
        await self.at(0.1)
        seconds = max(5, int(0.8 * p.seconds))
        url = f"http://127.0.0.1:{self.replicas[0].port}/v1/index"
        self.fault(f"wrk -c{p.wrk_connections} -d{seconds}s on {url}")
        out = self.tmp / "wrk.out"
        proc = self.spawn(["wrk", "-t1", f"-c{p.wrk_connections}", f"-d{seconds}s", "--latency",
                           "--timeout", "10s", url], out)
        await asyncio.to_thread(proc.wait, seconds + 60)
        self.wrk_output = out.read_text(errors="replace")

    # --- drain ------------------------------------------------------------------------------

    async def drain(self) -> None:
        """Wait until the farm's last changes are stored, processed and delivered."""
        import asyncpg

        deadline = time.time() + self.plan.drain_timeout
        while True:
            final = farm_counts(self.tmp / "farm", self.plan.feeds)
            seen = last_served(read_farm_log(self.tmp / "farm.log"))
            unpolled = sum(1 for n, c in final.items() if seen.get(n) != c)
            conn = await asyncpg.connect(self.database_url, timeout=10)
            try:
                queued = await conn.fetchval(
                    "SELECT count(*) FROM item_event WHERE processed_at IS NULL AND failed_at IS NULL")
                pending = await conn.fetch(
                    "SELECT id, next_attempt_at FROM delivery WHERE status = 'pending'")
            finally:
                await conn.close()
            later = [r["id"] for r in pending if r["next_attempt_at"].timestamp() > time.time() + 15]
            if later and unpolled == 0 and queued == 0:
                await self.retry_now(later)  # the operator's "retry now" after an outage
                await asyncio.sleep(2)
                continue
            if unpolled == 0 and queued == 0 and not pending:
                self.say("drained: every feed polled since its last change, queue empty, outbox empty")
                return
            if time.time() > deadline:
                raise SoakError(f"not drained after {self.plan.drain_timeout:g} s: {unpolled} feeds not "
                                f"polled since their last change, {queued} items queued, "
                                f"{len(pending)} deliveries pending")
            await asyncio.sleep(2)

    async def retry_now(self, ids: list[int]) -> None:
        import httpx

        self.fault(f"{len(ids)} deliveries wait for a later retry: POST /v1/deliveries/{{id}}/retry")
        base = f"http://127.0.0.1:{self.replicas[0].port}"
        async with httpx.AsyncClient(headers={"Authorization": f"Bearer {self.admin_key}"}) as client:
            for delivery_id in ids:
                answer = await client.post(f"{base}/v1/deliveries/{delivery_id}/retry")
                if answer.status_code != 202:
                    raise SoakError(f"retry of delivery {delivery_id}: {answer.status_code} {answer.text}")
                self.manual_retries += 1

    async def read_api_index(self) -> dict[str, Any]:
        import httpx

        await asyncio.sleep(1.5)  # past index_cache_ttl
        async with httpx.AsyncClient() as client:
            answer = await client.get(f"http://127.0.0.1:{self.replicas[0].port}/v1/index",
                                      params={"pair": PAIR})
        return dict(answer.json()) if answer.status_code == 200 else {"status": answer.status_code}

    # --- verification -----------------------------------------------------------------------

    async def verify(self, api_index: dict[str, Any], exit_codes: list[int | None]) -> dict[str, Any]:
        import asyncpg

        log = read_farm_log(self.tmp / "farm.log")
        expected = served_entries(log, self.plan.items)
        conn = await asyncpg.connect(self.database_url, timeout=10)
        try:
            items = await conn.fetch("SELECT id, guid, first_seen_at FROM item")
            events = await conn.fetchrow(
                "SELECT count(*) FILTER (WHERE processed_at IS NULL AND failed_at IS NULL) AS queued,"
                " count(*) FILTER (WHERE failed_at IS NOT NULL) AS failed FROM item_event")
            alerts = await conn.fetch("SELECT id, kind, item_id, pair, retracts_id FROM alert")
            deliveries = await conn.fetch(
                "SELECT alert_id, subscription_id, msg_id, status, attempts FROM delivery")
            feed_errors = await conn.fetchval(
                "SELECT count(*) FROM feed_state WHERE last_error_kind IS NOT NULL")
        finally:
            await conn.close()
        guids = Counter(r["guid"] for r in items)
        first_seen = {r["guid"]: r["first_seen_at"].timestamp() for r in items}
        figures: dict[str, Any] = {"feeds": self.plan.feeds, "replicas": self.plan.replicas,
                                   "minutes": round(self.plan.seconds / 60, 2)}
        figures |= {
            "expected_items": len(expected), "items": len(items),
            "lost_items": len(expected - set(guids)),
            "dup_items": sum(n - 1 for g, n in guids.items() if n > 1),
            "unexpected_items": len(set(guids) - expected),
            "queued_events": events["queued"], "failed_events": events["failed"],
        }
        figures |= self.alert_figures(alerts, deliveries)
        figures |= poll_figures(log, self.plan.poll_interval, self.fault_times())
        figures |= await self.index_figures(api_index)
        figures |= self.throughput(first_seen, log)
        figures |= self.memory()
        figures |= wrk_figures(self.wrk_output)
        figures |= log_figures([r.log for r in self.replicas])
        figures["feed_errors_left"] = feed_errors
        figures["manual_retries"] = self.manual_retries
        figures["replica_start_failures"] = self.start_failures
        figures["clean_exits"] = sum(1 for c in exit_codes if c in (0, -signal.SIGTERM))
        figures["pg_fault"] = next((w.split()[1] for _, w in self.faults if w.endswith("done")), "none")
        return figures

    def alert_figures(self, alerts: list[Any], deliveries: list[Any]) -> dict[str, Any]:
        subs = {r.subscription_id: r for r in self.receivers}
        owed = {(a["id"], s) for a in alerts for s in subs}
        rows = {(d["alert_id"], d["subscription_id"]): d for d in deliveries}
        got: dict[tuple[str, str], set[str]] = defaultdict(set)
        copies: Counter[str] = Counter()
        unsigned = 0
        for receiver in self.receivers:
            for r in receiver.got:
                got[(r.alert_id, receiver.subscription_id)].add(r.webhook_id)
                copies[r.webhook_id] += 1
                unsigned += not r.signed or r.subscription_id != receiver.subscription_id
        retracted = {a["retracts_id"] for a in alerts if a["retracts_id"]}
        live = Counter((a["item_id"], a["pair"], a["kind"]) for a in alerts
                       if a["kind"].startswith("item.") and a["id"] not in retracted)
        receipts = [r.at for receiver in self.receivers for r in receiver.got]
        span = (max(receipts) - min(receipts)) if len(receipts) > 1 else 0.0
        return {
            "alerts": len(alerts), "deliveries": len(deliveries),
            "delivered": sum(1 for d in deliveries if d["status"] == "succeeded"),
            "missing_deliveries": len(owed - set(rows)),
            "lost_alerts": len(owed - set(got)),
            "dup_deliveries": sum(1 for ids in got.values() if len(ids) > 1),
            "dup_alerts": sum(n - 1 for n in live.values() if n > 1),
            "redeliveries": sum(n - 1 for n in copies.values()),
            "failed_deliveries": sum(1 for d in deliveries if d["status"] == "failed"),
            "bad_signatures": unsigned,
            "deliveries_per_s": round(len(receipts) / span, 1) if span else 0.0,
        }

    async def index_figures(self, api_index: dict[str, Any]) -> dict[str, Any]:
        """The stored series, jumps and state against a full recompute from the stored events."""
        from sqlalchemy import select
        from sqlmodel import col

        from service.config import Settings
        from service.db.models import IndexState
        from service.db.session import create_database
        from service.index import repository
        from service.index.events import params_from_settings, to_model_event
        from service.index.model import compute
        from service.index.vocabulary import default_vocabulary

        env = self.env("soak-verify")
        values: dict[str, Any] = {k.removeprefix("ALIGNWATCH_").lower(): v for k, v in env.items()
                  if k.startswith("ALIGNWATCH_")}
        with stripped_environment():
            settings = Settings(_env_file=None, **values)
        params = params_from_settings(settings)
        db = create_database(settings)
        try:
            async with db.read() as session:
                rows = await repository.events_from(session, PAIR)
                published = dict(await repository.series(session, PAIR, None, None, None))
                state = (await session.execute(
                    select(IndexState).where(col(IndexState.pair) == PAIR))).scalar_one()
        finally:
            await db.dispose()
        a, b = PAIR.split("-")
        run = compute(params, default_vocabulary(), (a, b), [to_model_event(r) for r in rows], state.day)
        recomputed = {d: json.loads(json.dumps(v)) for d, v in repository.day_values(run.points).items()}
        equal = (published == recomputed and state.params_digest == params.digest()
                 and state.state == json.loads(json.dumps(run.state.to_dict()))
                 and {r.id: r.jump for r in rows} == dict(run.jumps.items()))
        stored = ((state.snapshot.get("overall") or {}).get("value"), state.version)
        served = (api_index.get("value"), api_index.get("version"))
        return {"index_events": len(rows), "index_equal_to_recompute": str(equal).lower(),
                "api_index_matches_state": str(served == stored).lower(),
                "api_index_served": f"{served[0]}@v{served[1]}", "index_stored": f"{stored[0]}@v{stored[1]}"}

    def throughput(self, first_seen: dict[str, float], log: list[tuple[float, int, int, int]]
                   ) -> dict[str, Any]:
        initial = [t for g, t in first_seen.items() if farm_item_no(g) < self.plan.items]
        run = max(self.ended - self.started, 1e-9)
        first_load = (max(initial) - self.started) if initial else 0.0
        return {
            "items_per_s": round(len(first_seen) / run, 1),
            "first_load_s": round(first_load, 1),
            "first_load_items_per_s": round(len(initial) / first_load, 1) if first_load > 0 else 0.0,
            "polls": len(log), "run_s": round(run, 1),
        }

    def memory(self) -> dict[str, Any]:
        peaks, growth = [], []
        for replica in self.replicas:
            if not replica.rss:
                continue
            peaks.append(max(m for _, m, _ in replica.rss))
            pid = replica.rss[-1][2]
            mine = [(t, m) for t, m, p in replica.rss if p == pid]
            settle = mine[0][0] + 0.2 * (mine[-1][0] - mine[0][0])  # after the first load settles
            later = [m for t, m in mine if t >= settle]
            if len(later) > 1:
                growth.append(later[-1] - later[0])
        return {"peak_rss_mb": round(max(peaks, default=0.0)),
                "rss_growth_mb": round(max(growth, default=0.0), 1)}


# --- pure analysis of what was recorded ---------------------------------------------------------


def read_farm_log(path: Path) -> list[tuple[float, int, int, int]]:
    """(time, feed number, status, item count) of every request the farm answered."""
    rows = []
    for line in path.read_text().splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[1].isdigit():
            rows.append((float(parts[0]), int(parts[1]), int(parts[2]), int(parts[3])))
    return rows


def farm_item_no(guid: str | None) -> int:
    match = re.fullmatch(r"feed\d+-item(\d+)", guid or "")
    return int(match.group(1)) if match else -1


def served_entries(log: list[tuple[float, int, int, int]], initial: int) -> set[str]:
    """The guids every 200 response carried: the ground truth of what must be stored."""
    windows: set[tuple[int, int]] = {(n, c) for _, n, status, c in log if status == 200}
    guids: set[str] = set()
    for n, count in windows:
        low = 0 if count <= initial else max(0, count - WINDOW)
        guids.update(f"feed{n}-item{i}" for i in range(low, count))
    return guids


def last_served(log: list[tuple[float, int, int, int]]) -> dict[int, int]:
    return {n: c for _, n, status, c in sorted(log) if status in (200, 304)}


def poll_figures(log: list[tuple[float, int, int, int]], interval: float, faults: list[float]
                 ) -> dict[str, Any]:
    """Two requests for one feed closer than 0.9 x interval, unless a failure or fault explains it."""
    by_feed: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for t, n, status, _ in log:
        by_feed[n].append((t, status))
    double, excused = 0, 0
    for requests in by_feed.values():
        requests.sort()
        for (t1, s1), (t2, _) in itertools.pairwise(requests):
            if t2 - t1 >= 0.9 * interval or s1 not in (200, 304):
                continue
            if any(t1 - 2 <= f <= t2 for f in faults):
                excused += 1
            else:
                double += 1
    return {"double_polls": double, "repolls_after_fault": excused}


def wrk_figures(output: str) -> dict[str, Any]:
    if not output:
        return {"api_p99_ms": "n/a"}

    def ms(text: str) -> float:
        value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    p99 = re.search(r"99%\s+([\d.]+(?:us|ms|s))", output)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(r"Socket errors:.*", output)
    return {"api_p99_ms": round(ms(p99.group(1)), 1) if p99 else "n/a",
            "api_rps": float(rps.group(1)) if rps else 0.0,
            "api_non2xx": int(non2xx.group(1)) if non2xx else 0,
            "api_socket_errors": "yes" if errors else "no"}


def log_figures(paths: list[Path]) -> dict[str, Any]:
    """Errors the replicas logged (JSON lines at level error), by event, and lost leases."""
    events: Counter[str] = Counter()
    lease_lost = deadlocks = 0
    for path in paths:
        for line in path.read_text(errors="replace").splitlines():
            deadlocks += "deadlock detected" in line  # log records that report one
            if not line.startswith("{"):
                continue
            with contextlib.suppress(ValueError):
                record = json.loads(line)
                if record.get("event") == "lease_lost":
                    lease_lost += 1
                if record.get("level") in ("error", "critical"):
                    events[str(record.get("event"))] += 1
    top = ",".join(f"{e}:{n}" for e, n in events.most_common(4)) or "none"
    return {"log_errors": sum(events.values()), "log_error_events": top, "lease_lost": lease_lost,
            "deadlocks": deadlocks}


def farm_counts(farm: Path, feeds: int) -> dict[int, int]:
    counts = {}
    for n in range(feeds):
        with contextlib.suppress(OSError, ValueError):
            counts[n] = int((farm / f"feed-{n:05d}.count").read_text())
    return counts


def problems(figures: dict[str, Any]) -> list[str]:
    """What must be zero (or true) and is not."""
    zero = ["lost_items", "dup_items", "unexpected_items", "lost_alerts", "dup_deliveries", "dup_alerts",
            "missing_deliveries", "double_polls", "failed_deliveries", "bad_signatures", "queued_events",
            "failed_events", "replica_start_failures"]
    found = [f"{k}={figures[k]}" for k in zero if figures.get(k)]
    found += [f"{k}=false" for k in ("index_equal_to_recompute", "api_index_matches_state")
              if figures.get(k) != "true"]
    return found


# --- processes, PostgreSQL, /proc -----------------------------------------------------------------



def vm_rss_mib(pid: int) -> float | None:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return None


@contextlib.contextmanager
def stripped_environment() -> Any:
    """Hide this process's ALIGNWATCH_* variables while Settings reads the replicas' values."""
    saved = {k: os.environ.pop(k) for k in list(os.environ) if k.startswith("ALIGNWATCH_")}
    try:
        yield
    finally:
        os.environ.update(saved)


async def wait_for_port(port: int, proc: subprocess.Popen[bytes], within: float) -> None:
    deadline = time.time() + within
    while True:
        if proc.poll() is not None:
            raise SoakError(f"process {proc.args!r} exited with {proc.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            return
        if time.time() > deadline:
            raise SoakError(f"nothing answers on port {port}")
        await asyncio.sleep(0.1)


async def wait_for_http(url: str, proc: subprocess.Popen[bytes], within: float) -> None:
    import httpx

    deadline = time.time() + within
    async with httpx.AsyncClient() as client:
        while True:
            if proc.poll() is not None:
                raise SoakError(f"{url}: the server exited with {proc.returncode}")
            with contextlib.suppress(httpx.TransportError):
                if (await client.get(url, timeout=2)).status_code == 200:
                    return
            if time.time() > deadline:
                raise SoakError(f"{url} not ready after {within:g} s")
            await asyncio.sleep(0.2)



async def wait_for_postgres(url: str, within: float) -> None:
    import asyncpg

    deadline = time.time() + within
    while True:
        try:
            conn = await asyncpg.connect(url, timeout=3)
            await conn.close()
            return
        except Exception:
            if time.time() > deadline:
                raise
            await asyncio.sleep(0.3)


def local_cluster() -> str | None:
    """The version of this machine's PostgreSQL cluster, if we may restart it (root, loopback)."""
    etc = Path("/etc/postgresql")
    if os.geteuid() != 0 or shutil.which("pg_ctlcluster") is None or not etc.is_dir():
        return None
    versions = sorted(p.name for p in etc.iterdir() if (p / "main").is_dir())
    return versions[0] if versions else None


async def restart_postgres(admin_url: str, database: str) -> str:
    """Restart the server if it is the machine's own; otherwise cut every connection to ``database``."""
    version = local_cluster() if re.search(r"@(127\.0\.0\.1|localhost)[:/]", admin_url) else None
    if version is not None:
        await asyncio.to_thread(subprocess.run, ["pg_ctlcluster", "--skip-systemctl-redirect", version,
                                                 "main", "restart"], check=True, timeout=120,
                                capture_output=True)
        await wait_for_postgres(admin_url, 60)
        return "restart"
    await pg_execute(admin_url, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                f"WHERE datname = '{database}' AND pid <> pg_backend_pid()")
    return "terminate_backends"


# --- the farm child ---------------------------------------------------------------------------


def load_feedfarm() -> ModuleType:
    spec = importlib.util.spec_from_file_location("feedfarm", FEEDFARM)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def farm_main(opts: argparse.Namespace) -> int:
    """Serve the farm with strong ETags, log every request, grow between SIGUSR1 and SIGUSR2."""
    feedfarm = load_feedfarm()
    farm, lock, write_lock = Path(opts.child_farm), threading.Lock(), threading.Lock()
    log = Path(opts.farm_log).open("a", buffering=1)  # noqa: SIM115 - open for the process's life
    growing, stopped = threading.Event(), threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            match = re.fullmatch(r"/feed-(\d{5})\.xml", self.path)
            if match is None:
                self.send_error(404)
                return
            n = int(match.group(1))
            with lock:
                try:
                    body = (farm / f"feed-{n:05d}.xml").read_bytes()
                    count = int((farm / f"feed-{n:05d}.count").read_text())
                except OSError:
                    self.send_error(404)
                    return
            etag = f'"c{count}"'
            asked = self.headers.get("If-None-Match") or ""
            tags = [t.strip().removeprefix("W/") for t in asked.split(",")]
            status = 304 if etag in tags else 200
            self.send_response(status)
            self.send_header("ETag", etag)
            if status == 200:
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if status == 200:
                self.wfile.write(body)
            with write_lock:
                log.write(f"{time.time():.3f} {n} {status} {count}\n")

        def log_message(self, format: str, *args: Any) -> None:
            pass

    def grow() -> None:
        growing.wait()
        while not stopped.wait(opts.grow_every):
            with lock, contextlib.redirect_stdout(sys.stderr):
                feedfarm.grow(argparse.Namespace(dir=str(farm), fraction=opts.grow_fraction,
                                                 items=opts.grow_items, seed=1))
            with write_lock:
                log.write(f"{time.time():.3f} grow\n")

    def start_growing(*_: object) -> None:
        growing.set()

    def stop_growing(*_: object) -> None:
        stopped.set()
        growing.set()

    signal.signal(signal.SIGUSR1, start_growing)
    signal.signal(signal.SIGUSR2, stop_growing)
    threading.Thread(target=grow, daemon=True).start()
    ThreadingHTTPServer.request_queue_size = 1024
    with ThreadingHTTPServer(("127.0.0.1", opts.port), Handler) as server:
        server.daemon_threads = True
        server.serve_forever()
    return 0


# --- the command ------------------------------------------------------------------------------


async def soak(plan: Plan) -> dict[str, Any]:
    """Run one soak and return its figures; everything is cleaned up, even when cancelled."""
    if not FEEDFARM.is_file():
        raise SoakError(f"feedfarm.py not found at {FEEDFARM}; set ALIGNWATCH_SHARED_DIR")
    run = Soak(plan)
    try:
        return await run.run()
    except BaseException:
        for log in sorted(run.tmp.glob("*.log")):  # the logs explain a failure: show their tails
            with contextlib.suppress(OSError):
                tail = log.read_text(errors="replace").splitlines()[-6:]
                print(f"--- {log.name}:\n" + "\n".join(line[:600] for line in tail), file=sys.stderr)
        raise
    finally:
        await run.close()


async def interruptible(work: Coroutine[Any, Any, dict[str, Any]]) -> dict[str, Any]:
    """Run ``work``; SIGINT or SIGTERM cancel it, so its clean-up runs before we exit."""
    task = asyncio.ensure_future(work)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, task.cancel)
    return await task


def summary(figures: dict[str, Any]) -> str:
    return " ".join(f"{k}={v}" for k, v in figures.items() if k != "log_error_events") + \
        f" log_error_events={figures.get('log_error_events', 'none')}"


def print_table(figures: dict[str, Any]) -> None:
    groups = [
        ("run", ["feeds", "replicas", "minutes", "run_s", "polls", "pg_fault", "clean_exits"]),
        ("items", ["expected_items", "items", "lost_items", "dup_items", "unexpected_items",
                   "queued_events", "failed_events", "items_per_s", "first_load_s",
                   "first_load_items_per_s"]),
        ("alerts", ["alerts", "deliveries", "delivered", "missing_deliveries", "lost_alerts",
                    "dup_deliveries", "dup_alerts", "redeliveries", "failed_deliveries",
                    "bad_signatures", "manual_retries", "deliveries_per_s"]),
        ("polls", ["double_polls", "repolls_after_fault", "lease_lost", "feed_errors_left"]),
        ("faults", ["replica_start_failures", "deadlocks"]),
        ("index", ["index_events", "index_equal_to_recompute", "api_index_matches_state",
                   "api_index_served", "index_stored"]),
        ("api", ["api_p99_ms", "api_rps", "api_non2xx", "api_socket_errors"]),
        ("memory", ["peak_rss_mb", "rss_growth_mb"]),
        ("logs", ["log_errors", "log_error_events"]),
    ]
    for name, keys in groups:
        print(f"{name:<7} " + "  ".join(f"{k}={figures.get(k)}" for k in keys if k in figures))


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--feeds", type=int, default=2000)
    parser.add_argument("--replicas", type=int, default=3)
    parser.add_argument("--minutes", type=float, default=10.0, help="length of the run before the drain")
    parser.add_argument("--items", type=int, default=20, help="entries per feed at the start (<= 20)")
    parser.add_argument("--poll-interval", type=float, default=60.0, help="seconds, every feed")
    parser.add_argument("--lease", type=float, default=10.0, help="poll, pipeline and webhook lease, seconds")
    parser.add_argument("--grow-every", type=float, default=20.0, help="seconds between farm growths")
    parser.add_argument("--grow-fraction", type=float, default=0.05, help="share of feeds grown each time")
    parser.add_argument("--outage", type=float, default=60.0, help="seconds a receiver is down")
    parser.add_argument("--drain-timeout", type=float, default=900.0, help="seconds to wait after the run")
    parser.add_argument("--no-wrk", action="store_true", help="no API load")
    parser.add_argument("--wrk-connections", type=int, default=8)
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL, help="an admin URL; a fresh database is made")
    parser.add_argument("--keep", type=Path, default=None, help="keep logs in a new directory under DIR")
    parser.add_argument("--child-farm", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--farm-log", help=argparse.SUPPRESS)
    parser.add_argument("--grow-items", type=int, default=2, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main() -> int:
    opts = parse_args()
    if opts.child_farm:
        return farm_main(opts)
    if opts.items > WINDOW:
        print(f"--items must be at most {WINDOW}", file=sys.stderr)
        return 2
    sys.path.insert(0, str(REPO))
    wrk = not opts.no_wrk and shutil.which("wrk") is not None
    plan = Plan(feeds=opts.feeds, replicas=opts.replicas, seconds=opts.minutes * 60, items=opts.items,
                poll_interval=opts.poll_interval, lease=opts.lease, grow_every=opts.grow_every,
                grow_fraction=opts.grow_fraction, outage_seconds=opts.outage, wrk=wrk,
                wrk_connections=opts.wrk_connections, drain_timeout=opts.drain_timeout,
                pg_url=opts.pg_url, keep=opts.keep, outage_at=0.2, kill_at=0.35, restart_at=0.45,
                pg_restart_at=0.6)

    try:
        figures = asyncio.run(interruptible(soak(plan)))
    except SoakError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    except (KeyboardInterrupt, asyncio.CancelledError):
        print("interrupted; cleaned up", file=sys.stderr)
        return 130
    print_table(figures)
    found = problems(figures)
    for problem in found:
        print(f"PROBLEM: {problem}")
    print(summary(figures))
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
