"""Requests per second of ``GET /v1/index`` against ``/healthz`` in the same server, with wrk.

Usage: .venv/bin/python bench/index_wrk.py [--duration 15] [--connections 32] [--threads 2]
                                           [--database sqlite|postgres] [--rounds 3]

Starts the real server (``alignwatch serve``, one uvicorn process) on a free loopback port
with ``ALIGNWATCH_PUBLIC_READ=true``, a fresh database and an empty feeds.yml (so the index
holds the shipped history, 127 events), waits for ``/readyz``, then runs wrk (Debian package
``wrk``) on ``/healthz`` and on ``/v1/index?pair=US-JP`` alternately, ``--rounds`` times
each after a warm-up, with ``--latency``. Reports the median requests/s of each, their
ratio, and p50/p99 latency; the goal is index >= 70% of healthz. Ends with a key=value line.
Exit status 0 when the goal is met, 1 when not.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # run as a script: make the repository importable
    sys.path.insert(0, str(REPO))

from bench.common import free_port  # noqa: E402

PG_URL = os.environ.get("ALIGNWATCH_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")



def wait_ready(base: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/readyz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("server did not become ready")


def to_ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s)", text)
    if not match:
        raise ValueError(text)
    value, unit = float(match.group(1)), match.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def run_wrk(url: str, args: argparse.Namespace, duration: int) -> dict[str, float]:
    out = subprocess.run(
        ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{duration}s", "--latency", url],
        check=True, capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = to_ms(re.search(r"\s50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    p99 = to_ms(re.search(r"\s99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise RuntimeError(f"{url}: {errors.group(1)} non-2xx responses")
    return {"rps": rps, "p50": p50, "p99": p99}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk not found: apt-get install -y wrk", file=sys.stderr)
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="alignwatch-wrk-"))
    (tmp / "feeds.yml").write_text('version: 1\npairs: ["US-JP"]\nfeeds: []\n', "utf-8")
    port = free_port()
    database = f"sqlite:///{tmp}/bench.db"
    scratch = None
    if args.database == "postgres":
        import asyncio

        import asyncpg

        scratch = f"alignwatch_wrk_{port}"

        async def create() -> None:
            conn = await asyncpg.connect(PG_URL)
            await conn.execute(f'CREATE DATABASE "{scratch}"')
            await conn.close()

        asyncio.run(create())
        database = PG_URL.rsplit("/", 1)[0] + "/" + scratch
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALIGNWATCH_")} | {
        "ALIGNWATCH_PUBLIC_READ": "true", "ALIGNWATCH_DATABASE_URL": database,
        "ALIGNWATCH_FEEDS_FILE": str(tmp / "feeds.yml"), "ALIGNWATCH_LOG_LEVEL": "WARNING",
        "ALIGNWATCH_LOG_FORMAT": "json"}
    server = subprocess.Popen([str(REPO / ".venv/bin/alignwatch"), "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=(tmp / "server.log").open("w"),
                              start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(base)
        targets = {"healthz": f"{base}/healthz", "index": f"{base}/v1/index?pair=US-JP"}
        for url in targets.values():
            run_wrk(url, args, 2)  # warm-up
        runs: dict[str, list[dict[str, float]]] = {name: [] for name in targets}
        for _ in range(args.rounds):
            for name, url in targets.items():
                runs[name].append(run_wrk(url, args, args.duration))
        med = {name: {k: statistics.median(r[k] for r in rs) for k in ("rps", "p50", "p99")}
               for name, rs in runs.items()}
        for name, m in med.items():
            each = ", ".join(f"{r['rps']:.0f}" for r in runs[name])
            print(f"{name:8s} {m['rps']:9.0f} req/s  p50 {m['p50']:.2f} ms  p99 {m['p99']:.2f} ms "
                  f"(runs: {each})")
        ratio = med["index"]["rps"] / med["healthz"]["rps"]
        print(f"summary database={args.database} healthz_rps={med['healthz']['rps']:.0f} "
              f"index_rps={med['index']['rps']:.0f} ratio={ratio:.2f} "
              f"index_p50_ms={med['index']['p50']:.2f} index_p99_ms={med['index']['p99']:.2f} "
              f"healthz_p50_ms={med['healthz']['p50']:.2f} healthz_p99_ms={med['healthz']['p99']:.2f} "
              f"connections={args.connections} threads={args.threads} duration_s={args.duration}")
        return 0 if ratio >= 0.7 else 1
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        if scratch is not None:
            import asyncio

            import asyncpg

            async def drop() -> None:
                conn = await asyncpg.connect(PG_URL)
                await conn.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
                await conn.close()

            asyncio.run(drop())
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
