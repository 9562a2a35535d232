"""Helpers every benchmark shares: free ports, throwaway PostgreSQL databases, a scratch area
that undoes itself, and running one side of a comparison in its own process (so its memory and
CPU are its own)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path
from typing import Any


class ChildFailed(RuntimeError):
    """A benchmark child process timed out or exited non-zero (the message has its log tail)."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def pg_execute(admin_url: str, sql: str) -> None:
    import asyncpg  # type: ignore[import-untyped]

    conn = await asyncpg.connect(admin_url, timeout=10)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def run_json_child(command: list[str], *, work: Path, timeout: float, label: str,
                   procs: list[subprocess.Popen[bytes]]) -> dict[str, Any]:
    """Run ``command`` in its own session; return the JSON object on its last stdout line.

    The child is registered in ``procs`` while it runs so the caller's clean-up can kill it
    on Ctrl-C; its whole process group is killed afterwards either way.
    """
    with (work / "stderr.log").open("wb") as log:
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log, cwd=work,
                                start_new_session=True)
        procs.append(proc)
        try:
            out, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise ChildFailed(f"{label} took over {timeout:.0f} s") from None
        finally:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            procs.remove(proc)
    if proc.returncode != 0:
        tail = (work / "stderr.log").read_text(errors="replace").splitlines()[-15:]
        raise ChildFailed(f"{label} exited with {proc.returncode}:\n" + "\n".join(tail))
    return dict(json.loads(out.decode().strip().splitlines()[-1]))


class Scratch:
    """A benchmark's temp dir, child processes and PostgreSQL databases, all undone by close()."""

    def __init__(self, prefix: str, pg_url: str) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix=prefix))
        self.pg_url = pg_url
        self.procs: list[subprocess.Popen[bytes]] = []
        self.databases: list[str] = []

    def database_url(self, database: str, run: int) -> str:
        """A fresh database for one run: a SQLite file here, or a new PostgreSQL database."""
        if database == "sqlite":
            return f"sqlite:///{self.tmp / f'alignwatch-{run}.db'}"
        name = f"alignwatch_bench_{uuid.uuid4().hex[:10]}"
        self.databases.append(name)
        asyncio.run(pg_execute(self.pg_url, f'CREATE DATABASE "{name}"'))
        return f"{self.pg_url.rsplit('/', 1)[0]}/{name}"

    def close(self) -> None:
        for proc in self.procs:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)  # the child and whatever it started
            with contextlib.suppress(Exception):
                proc.wait(timeout=10)
        for name in self.databases:
            with contextlib.suppress(Exception):
                asyncio.run(pg_execute(self.pg_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        shutil.rmtree(self.tmp, ignore_errors=True)
