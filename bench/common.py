"""Helpers every benchmark shares: free ports, throwaway PostgreSQL databases, and running one
side of a comparison in its own process (so its memory and CPU are its own)."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
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
