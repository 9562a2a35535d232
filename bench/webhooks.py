"""Durable webhook deliveries per second through the outbox, against a bare aiohttp sender.

Usage: .venv/bin/python bench/webhooks.py [--alerts 1000] [--subscriptions 10]
                                          [--database sqlite|postgres] [--repeat N] [--timeout S]

The issue's benchmark: 1,000 alerts to 10 subscriptions (10,000 deliveries) on loopback
receivers, deliveries per second and p50/p99 from alert creation to receipt, on SQLite and
on PostgreSQL. Goal: at least 1,000 durable deliveries per second on either.

Receivers: one subprocess runs --subscriptions aiohttp servers on free loopback ports (apart
from the senders, so they never share an event loop with them). Each answers 204 at once,
records the webhook-id and wall-clock time of receipt, and verifies the Standard Webhooks
signature with the ``standardwebhooks`` package against its subscription's secret.

Each side then runs in its own subprocess:

  durable  open_runtime() on a fresh database (migrated), --subscriptions subscriptions made
           with service.alerts.subscriptions.create (one per receiver; their secrets go to
           the receivers), --alerts alerts made with service.alerts.service.create_alert in
           four transactions (so the bench measures delivery, not classification; each
           alert fans out to every subscription), then Runtime.deliverer.drain() -- the code
           the scheduler's ``deliveries`` job runs -- timed until every delivery has
           succeeded. Latency (p50/p99): receipt time minus alert.created_at, so it
           includes the queue: every alert exists before the drain starts, and the
           creation itself (create s) counts too. "sent" latency is receipt time minus
           the start of the drain.
  bare     the reference: one aiohttp.ClientSession posting the same number of signed
           messages (service.alerts.sign, a body of the same shape) to the same receivers
           with the same concurrency bounds (webhook_concurrency, webhook_per_endpoint), no
           database. Latency (both kinds): receipt time minus the time the run started.

Settings are the service's defaults (ALIGNWATCH_* variables apply, e.g.
ALIGNWATCH_WEBHOOK_BATCH_SIZE), with loopback webhooks allowed and the scheduler off; the
durable side's JSON log (--log-level, INFO as in production) goes to a temporary file.
Checks of each durable run: every delivery succeeded with exactly one attempt row, every
webhook-id reached its receiver, every signature verified. A run that fails a check makes
the script exit 3. With --repeat N the sides alternate order and the summary holds medians.
Ends with one key=value summary line. Exit status: 0 when the goal is met, 1 when not,
3 when a run failed or did not verify, 130 when interrupted. Everything is cleaned up: the
receivers, the sides, the temporary directory and the PostgreSQL databases.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run as a script: make the repository importable
    sys.path.insert(0, str(REPO))

from bench.common import ChildFailed, Scratch, run_json_child  # noqa: E402

DEFAULT_PG_URL = os.environ.get("ALIGNWATCH_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
GOAL = 1000.0  # durable deliveries per second
ALERT_TRANSACTIONS = 4


class BenchError(Exception):
    """A run failed, timed out or did not verify."""


# --- receivers, in their own process --------------------------------------------------------


async def receivers_main(count: int) -> None:
    """Serve ``count`` webhook endpoints and one control endpoint until killed."""
    from aiohttp import web
    from standardwebhooks import Webhook
    from standardwebhooks.webhooks import WebhookVerificationError

    records: list[tuple[str, float, int, bool]] = []  # webhook-id, received at, endpoint, verified
    verifiers: dict[int, Webhook] = {}

    def endpoint(index: int) -> Any:
        async def handle(request: web.Request) -> web.Response:
            body = await request.read()
            received = time.time()
            verifier = verifiers.get(index)
            verified = False
            if verifier is not None:
                with contextlib.suppress(WebhookVerificationError):
                    verifier.verify(body, dict(request.headers))
                    verified = True
            records.append((request.headers.get("webhook-id", ""), received, index, verified))
            return web.Response(status=204)

        return handle

    async def reset(request: web.Request) -> web.Response:
        secrets = (await request.json())["secrets"]
        records.clear()
        verifiers.clear()
        verifiers.update({int(i): Webhook(s) for i, s in secrets.items()})
        return web.json_response({"ok": True})

    async def stats(_request: web.Request) -> web.Response:
        return web.json_response({"records": records})

    async def serve(app: web.Application) -> int:
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0, backlog=1024)
        await site.start()
        return int(site._server.sockets[0].getsockname()[1])  # type: ignore[union-attr]

    ports = []
    for index in range(count):
        app = web.Application()
        app.router.add_post("/hook", endpoint(index))
        ports.append(await serve(app))
    control = web.Application()
    control.router.add_post("/reset", reset)
    control.router.add_get("/stats", stats)
    control_port = await serve(control)
    sys.stdout.write(json.dumps({"ports": ports, "control": control_port}) + "\n")
    sys.stdout.flush()
    await asyncio.Event().wait()


async def control(url: str, method: str, payload: dict[str, Any] | None = None) -> dict[str, Any]:
    import aiohttp

    async with aiohttp.ClientSession() as session, session.request(
        method, url, json=payload, timeout=aiohttp.ClientTimeout(total=60)
    ) as response:
        response.raise_for_status()
        return dict(await response.json())


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def receipt(records: list[list[Any]], started: dict[str, float], sending: float) -> dict[str, Any]:
    """Latencies of first receipts, duplicates, unknown ids and failed signatures.

    ``started`` maps each webhook-id to when its message came to be (wall clock);
    ``sending`` is when sending began, for the latency that leaves the queue out.
    """
    first: dict[str, float] = {}
    for msg_id, at, _index, _verified in records:
        first[msg_id] = min(at, first.get(msg_id, at))
    latencies = [(at - started[m]) * 1000 for m, at in first.items() if m in started]
    sent = [(at - sending) * 1000 for m, at in first.items() if m in started]
    return {
        "received": len(records), "distinct": len(first),
        "missing": len(set(started) - set(first)), "unknown": len(set(first) - set(started)),
        "unverified": sum(1 for r in records if not r[3]),
        "p50_ms": percentile(latencies, 0.50) if latencies else float("nan"),
        "p99_ms": percentile(latencies, 0.99) if latencies else float("nan"),
        "send_p50_ms": percentile(sent, 0.50) if sent else float("nan"),
        "send_p99_ms": percentile(sent, 0.99) if sent else float("nan"),
    }


# --- the two senders, each in its own process -----------------------------------------------


def alert_data(n: int) -> dict[str, Any]:
    """An item alert's data, shaped and sized like the pipeline's (about 1 KB signed)."""
    return {
        "item": {"id": n + 1, "title": f"Commerce Adds Japanese Firm {n} to the Entity List",
                 "summary": "The Bureau of Industry and Security adds a company headquartered in "
                            "Japan to the Entity List, restricting exports of US technology.",
                 "link": f"https://www.commerce.gov/news/press-releases/{n}",
                 "published_at": "2025-05-01T04:00:00Z",
                 "feed": {"id": "commerce", "name": "Commerce Department", "country": "US"}},
        "classification": {"pair": "US-JP", "labels": {
            "relevant": True, "actor": "US", "domain": "export_controls", "stance": "diverging",
            "targets_china": False}, "source": "rules", "confidence": 0.8,
            "evidence": ["entity list", "japan"], "classifier_version": "rules-v1.2"},
        "index": {"pair": "US-JP", "as_of": "2025-05-01", "overall": 61.2,
                  "domain": {"name": "export_controls", "value": 55.0}, "overall_change_30d": -1.4},
    }


def settings_for(opts: argparse.Namespace, database_url: str) -> Any:
    from service.config import Settings

    return Settings(database_url=database_url, feeds_file=Path(opts.work) / "feeds.yml",
                    feeds_watch=False, scheduler_enabled=False, allow_loopback_webhooks=True,
                    instance_id="bench-webhooks", log_format="json", log_level=opts.log_level,
                    index_ship_history=False)


async def durable_side(opts: argparse.Namespace) -> dict[str, Any]:
    sys.path.insert(0, str(REPO))
    from sqlalchemy import func, select
    from sqlmodel import col

    from service.alerts import subscriptions as subs
    from service.alerts.outbox import webhook_policy
    from service.alerts.rules import Raised
    from service.alerts.service import create_alert
    from service.db.models import Alert, Delivery, DeliveryAttempt
    from service.logs import configure_logging
    from service.runtime import open_runtime
    from service.timeutil import utcnow

    targets = json.loads(opts.targets)
    settings = settings_for(opts, opts.database_url)
    configure_logging(settings.log_format, settings.log_level)
    (Path(opts.work) / "feeds.yml").write_text("version: 1\npairs: [US-JP]\nfeeds: []\n", "utf-8")
    async with open_runtime(settings) as runtime:
        secrets: dict[int, str] = {}
        async with runtime.db.begin() as session:
            for index, url in enumerate(targets["urls"]):
                sub = await subs.create(session, {"url": url, "description": f"bench {index}"},
                                        webhook_policy(settings), utcnow())
                secrets[index] = sub.secret
        await control(targets["control"] + "/reset", "POST", {"secrets": secrets})
        create_start = time.perf_counter()
        per_transaction = -(-opts.alerts // ALERT_TRANSACTIONS)
        for first in range(0, opts.alerts, per_transaction):
            async with runtime.db.begin() as session:
                for n in range(first, min(first + per_transaction, opts.alerts)):
                    raised = Raised("item.diverging", f"bench:{n}", "export_controls",
                                    f"Diverging (export controls): Entity List addition {n}", {})
                    await create_alert(session, pair="US-JP", raised=raised, data=alert_data(n),
                                       now=utcnow(), item_id=None, stance="diverging",
                                       confidence=0.8)
        create_seconds = time.perf_counter() - create_start

        async def count(*where: Any) -> int:
            async with runtime.db.read() as session:
                query = select(func.count()).select_from(Delivery).where(*where)
                return int((await session.execute(query)).scalar_one())

        total = await count()
        cpu, start, sending = time.process_time(), time.perf_counter(), time.time()
        deadline = start + opts.timeout
        attempts = 0
        while True:
            attempts += await runtime.deliverer.drain(max_rounds=10_000)
            if await count(col(Delivery.status) == "succeeded") >= total:
                break
            if time.perf_counter() > deadline:
                raise BenchError(f"durable side: not every delivery succeeded in {opts.timeout:.0f} s")
            await asyncio.sleep(0.05)  # a failed attempt waits for its retry
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        async with runtime.db.read() as session:
            created = {m: at.timestamp() for m, at in (await session.execute(
                select(col(Delivery.msg_id), col(Alert.created_at))
                .join(Alert, col(Alert.id) == col(Delivery.alert_id)))).all()}
            attempt_rows = int((await session.execute(
                select(func.count()).select_from(DeliveryAttempt))).scalar_one())
            once = int((await session.execute(
                select(func.count()).select_from(Delivery).where(col(Delivery.attempts) == 1))
            ).scalar_one())
    records = (await control(targets["control"] + "/stats", "GET"))["records"]
    return {"side": "durable", "seconds": seconds, "cpu_seconds": cpu, "deliveries": total,
            "per_s": total / seconds, "attempts": attempts, "attempt_rows": attempt_rows,
            "delivered_first_try": once, "create_seconds": create_seconds,
            **receipt(records, created, sending),
            "knobs": {"batch_size": settings.webhook_batch_size,
                      "concurrency": settings.webhook_concurrency,
                      "per_endpoint": settings.webhook_per_endpoint,
                      "fetch_per_host": settings.fetch_per_host,
                      "fetch_concurrency": settings.fetch_concurrency}}


async def bare_side(opts: argparse.Namespace) -> dict[str, Any]:
    sys.path.insert(0, str(REPO))
    import aiohttp

    from service.alerts.sign import generate_secret, signature_headers

    targets = json.loads(opts.targets)
    settings = settings_for(opts, "sqlite:///unused.db")
    secrets = {index: generate_secret() for index in range(len(targets["urls"]))}
    await control(targets["control"] + "/reset", "POST", {"secrets": secrets})
    overall = asyncio.Semaphore(settings.webhook_concurrency)
    per_endpoint = [asyncio.Semaphore(settings.webhook_per_endpoint) for _ in targets["urls"]]
    started: dict[str, float] = {}
    failures = 0

    async def send(http: aiohttp.ClientSession, n: int, index: int) -> None:
        nonlocal failures
        msg_id = f"msg_bare{n:06d}{index:03d}"
        body = json.dumps({"type": "alignwatch.item.diverging", "version": "2026-11-01",
                           "timestamp": datetime.now(UTC).isoformat(), "sequence": n + 1,
                           "subscription_id": f"sub_{index}", "data": alert_data(n)},
                          ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        async with overall, per_endpoint[index]:
            headers = {"Content-Type": "application/json"}
            headers |= signature_headers(msg_id, datetime.now(UTC), body, [secrets[index]])
            async with http.post(targets["urls"][index], data=body.encode(), headers=headers,
                                 allow_redirects=False) as response:
                await response.read()
                if response.status >= 300:
                    failures += 1

    cpu, start = time.process_time(), time.perf_counter()
    wall = time.time()
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=settings.webhook_concurrency),
                                     timeout=aiohttp.ClientTimeout(total=30)) as http:
        tasks = []
        for n in range(opts.alerts):
            for index in range(len(targets["urls"])):
                started[f"msg_bare{n:06d}{index:03d}"] = wall
                tasks.append(send(http, n, index))
        await asyncio.gather(*tasks)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    total = len(started)
    records = (await control(targets["control"] + "/stats", "GET"))["records"]
    return {"side": "bare", "seconds": seconds, "cpu_seconds": cpu, "deliveries": total,
            "per_s": total / seconds, "attempts": total, "attempt_rows": None,
            "delivered_first_try": total - failures, "create_seconds": 0.0,
            **receipt(records, started, wall), "knobs": {}}


def child_main(opts: argparse.Namespace) -> int:
    if opts.child == "receivers":
        asyncio.run(receivers_main(opts.subscriptions))
        return 0
    side = durable_side if opts.child == "durable" else bare_side
    result = asyncio.run(side(opts))
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


# --- orchestration, in the parent ----------------------------------------------------------


class Bench(Scratch):
    """The temp dir, the receivers, the side processes and PostgreSQL databases: all undone."""

    def __init__(self, opts: argparse.Namespace) -> None:
        super().__init__("alignwatch-bench-webhooks-", opts.pg_url)
        self.opts = opts
        self.targets: dict[str, Any] = {}

    def start_receivers(self) -> None:
        command = [sys.executable, str(Path(__file__).resolve()), "--child", "receivers",
                   "--subscriptions", str(self.opts.subscriptions)]
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                cwd=self.tmp, start_new_session=True)
        self.procs.append(proc)
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if not line:
            raise BenchError(f"the receivers did not start (exit {proc.poll()})")
        ready = json.loads(line)
        self.targets = {"urls": [f"http://127.0.0.1:{p}/hook" for p in ready["ports"]],
                        "control": f"http://127.0.0.1:{ready['control']}"}

    def run_side(self, side: str, run: int) -> dict[str, Any]:
        work = self.tmp / f"{side}-{run}"
        work.mkdir()
        command = [sys.executable, str(Path(__file__).resolve()), "--child", side, "--work", str(work),
                   "--alerts", str(self.opts.alerts), "--subscriptions", str(self.opts.subscriptions),
                   "--targets", json.dumps(self.targets), "--log-level", self.opts.log_level,
                   "--timeout", str(self.opts.timeout)]
        if side == "durable":
            command += ["--database-url", self.database_url(self.opts.database, run)]
        try:
            return run_json_child(command, work=work, timeout=self.opts.timeout + 120,
                                  label=f"{side} run {run}", procs=self.procs)
        except ChildFailed as exc:
            raise BenchError(str(exc)) from None



def check(result: dict[str, Any]) -> list[str]:
    """What is wrong with one run: a message missing or unverified, attempts not one each."""
    side, total = result["side"], result["deliveries"]
    problems = []
    if result["missing"] or result["unknown"]:
        problems.append(f"{side}: {result['missing']} messages never received, "
                        f"{result['unknown']} unknown webhook-ids received")
    if result["unverified"]:
        problems.append(f"{side}: {result['unverified']} signatures did not verify")
    if result["delivered_first_try"] != total:
        problems.append(f"{side}: {total - result['delivered_first_try']} deliveries needed a retry")
    if result["attempt_rows"] is not None and result["attempt_rows"] != result["attempts"]:
        problems.append(f"{side}: {result['attempts']} attempts made, "
                        f"{result['attempt_rows']} attempt rows stored")
    return problems


def print_run(run: int, result: dict[str, Any]) -> None:
    created = f"{result['create_seconds']:.2f}" if result["side"] == "durable" else "-"
    print(f"{run:>3}  {result['side']:<8}  {result['deliveries']:>6}  {result['seconds']:7.2f}  "
          f"{result['cpu_seconds']:6.2f}  {result['per_s']:8.0f}  {result['p50_ms']:8.0f}  "
          f"{result['p99_ms']:8.0f}  {result['send_p50_ms']:8.0f}  {result['send_p99_ms']:8.0f}  "
          f"{result['received'] - result['distinct']:>5}  "
          f"{result['unverified']:>5}  {created:>8}")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog=__doc__.split("\n\n", 2)[2],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--alerts", type=int, default=1000, help="alerts to deliver (default 1000)")
    parser.add_argument("--subscriptions", type=int, default=10,
                        help="subscriptions, each with its own loopback receiver (default 10)")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite",
                        help="a fresh SQLite file, or a fresh PostgreSQL database made on "
                             "--pg-url's server and dropped after")
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL,
                        help="an existing database on the PostgreSQL server, used to create and "
                             "drop the benchmark's own (default $ALIGNWATCH_BENCH_PG_URL or %(default)s)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs of each side, order alternating; the summary holds medians (default 1)")
    parser.add_argument("--timeout", type=float, default=300,
                        help="seconds one side may take to deliver everything (default 300)")
    parser.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"],
                        help="the durable side's log level; its JSON log goes to a temp file")
    parser.add_argument("--child", choices=["receivers", "durable", "bare"], help=argparse.SUPPRESS)
    parser.add_argument("--work", help=argparse.SUPPRESS)
    parser.add_argument("--targets", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    opts = parser.parse_args(argv)
    if opts.alerts < 1 or opts.subscriptions < 1 or opts.repeat < 1:
        parser.error("--alerts, --subscriptions and --repeat must be positive")
    return opts


def summary(opts: argparse.Namespace, runs: dict[str, list[dict[str, Any]]], ok: bool) -> str:
    def median(side: str, key: str) -> float:
        return float(statistics.median(r[key] for r in runs[side]))

    durable, bare = median("durable", "per_s"), median("bare", "per_s")
    knobs = runs["durable"][0]["knobs"]
    figures = {
        "database": opts.database, "alerts": opts.alerts, "subscriptions": opts.subscriptions,
        "deliveries": runs["durable"][0]["deliveries"], "repeat": opts.repeat,
        "batch_size": knobs["batch_size"], "per_endpoint": knobs["per_endpoint"],
        "fetch_per_host": knobs["fetch_per_host"],
        "deliveries_per_s": f"{durable:.0f}",
        "p50_ms": f"{median('durable', 'p50_ms'):.0f}", "p99_ms": f"{median('durable', 'p99_ms'):.0f}",
        "send_p50_ms": f"{median('durable', 'send_p50_ms'):.0f}",
        "send_p99_ms": f"{median('durable', 'send_p99_ms'):.0f}",
        "create_s": f"{median('durable', 'create_seconds'):.1f}",
        "bare_aiohttp_per_s": f"{bare:.0f}",
        "bare_p50_ms": f"{median('bare', 'p50_ms'):.0f}", "bare_p99_ms": f"{median('bare', 'p99_ms'):.0f}",
        "ratio": f"{durable / bare:.2f}",
        "duplicates": sum(r["received"] - r["distinct"] for r in runs["durable"]),
        "goal": f"{GOAL:.0f}/s", "goal_met": str(durable >= GOAL).lower(),
        "verified": str(ok).lower(), "code": repo_state(),
    }
    return " ".join(f"{k}={v}" for k, v in figures.items())


def repo_state() -> str:
    """The commit measured, and whether the working tree differs from it."""
    try:
        head = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, timeout=10, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=10, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return head + ("+dirty" if dirty else "")


def main() -> int:
    opts = parse_args()
    if opts.child:
        return child_main(opts)

    def interrupted(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    bench = Bench(opts)
    runs: dict[str, list[dict[str, Any]]] = {"durable": [], "bare": []}
    problems: list[str] = []
    line = ""
    try:
        bench.start_receivers()
        print(f"{opts.alerts} alerts x {opts.subscriptions} subscriptions = "
              f"{opts.alerts * opts.subscriptions} deliveries to {opts.subscriptions} loopback "
              f"receivers (one process); durable side on {opts.database}; code {repo_state()}")
        print(f"{'run':>3}  {'side':<8}  {'msgs':>6}  {'wall s':>7}  {'cpu s':>6}  {'msgs/s':>8}  "
              f"{'p50 ms':>8}  {'p99 ms':>8}  {'sent p50':>8}  {'sent p99':>8}  {'dups':>5}  "
              f"{'unver':>5}  {'create s':>8}")
        for run in range(1, opts.repeat + 1):
            for side in (["durable", "bare"] if run % 2 else ["bare", "durable"]):
                result = bench.run_side(side, run)
                runs[side].append(result)
                problems += check(result)
                print_run(run, result)
                sys.stdout.flush()
        knobs = runs["durable"][0]["knobs"]
        print("durable settings: " + " ".join(f"{k}={v}" for k, v in knobs.items()))
        for problem in problems:
            print(f"PROBLEM: {problem}")
        line = summary(opts, runs, not problems)
        print(line)
    except BenchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        print("interrupted; cleaning up", file=sys.stderr)
        return 130
    finally:
        bench.close()
    if problems:
        return 3
    return 0 if "goal_met=true" in line else 1


if __name__ == "__main__":
    raise SystemExit(main())
