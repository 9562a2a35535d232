"""Run the real ``alignwatch`` command in a subprocess, as users and operators do."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

ALIGNWATCH = [sys.executable, "-m", "service.cli"]
REPO = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cli_env(**settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALIGNWATCH_")}
    env["PYTHONPATH"] = str(REPO)
    env.update({f"ALIGNWATCH_{k.upper()}": v for k, v in settings.items()})
    return env


@dataclass
class Completed:
    code: int
    stdout: str
    stderr: str


async def run_cli(*args: str, cwd: Path, timeout: float = 60, **settings: str) -> Completed:
    process = await asyncio.create_subprocess_exec(
        *ALIGNWATCH, *args, cwd=cwd, env=cli_env(**settings),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout)
    assert process.returncode is not None
    return Completed(process.returncode, out.decode(), err.decode())


@dataclass
class Server:
    process: asyncio.subprocess.Process
    base_url: str
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


@asynccontextmanager
async def serving(*args: str, cwd: Path, ready_path: str = "/healthz", timeout: float = 30,
                  **settings: str) -> AsyncIterator[Server]:
    """Start ``alignwatch serve`` and wait until it answers; stop it with SIGTERM after."""
    port = free_port()
    log_path = cwd / f"serve-{port}.log"
    with log_path.open("wb") as log:
        process = await asyncio.create_subprocess_exec(
            *ALIGNWATCH, "serve", "--port", str(port), *args, cwd=cwd,
            env=cli_env(**settings), stdout=log, stderr=log,
        )
    server = Server(process, f"http://127.0.0.1:{port}", log_path)
    try:
        async with httpx.AsyncClient() as client:
            for _ in range(int(timeout * 10)):
                if process.returncode is not None:
                    raise AssertionError(f"server exited early:\n{server.log()}")
                try:
                    if (await client.get(server.base_url + ready_path)).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.1)
            else:
                raise AssertionError(f"server never became ready:\n{server.log()}")
        yield server
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(process.wait(), 30)
            except TimeoutError:
                process.kill()
                await process.wait()


async def wait_for(predicate, timeout: float = 20.0, interval: float = 0.2):  # type: ignore[no-untyped-def]
    """Poll an async predicate until it returns something truthy."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        value = await predicate()
        if value:
            return value
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(interval)
