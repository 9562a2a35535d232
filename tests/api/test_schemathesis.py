"""Schemathesis against the real server: no 5xx, and every answer matches the OpenAPI schema.

The server runs in demo mode (bundled feeds, so listings have data) with an admin key, and
schemathesis drives every operation: examples, boundary coverage, fuzzing and stateful
sequences (create a subscription, then read, change and delete it).
"""

from __future__ import annotations

import asyncio
import shutil
import sys
from pathlib import Path

import httpx
import pytest

from tests.processes import cli_env, run_cli, serving, wait_for


@pytest.mark.slow
async def test_schemathesis_finds_no_server_error_and_no_schema_violation(tmp_path):
    schemathesis = shutil.which("schemathesis") or str(Path(sys.executable).with_name("schemathesis"))
    if not Path(schemathesis).exists():
        pytest.skip("schemathesis is not installed (it is in the test extra)")
    db = f"sqlite:///{tmp_path}/demo.db"
    key = (await run_cli("keys", "create", "--scope", "admin", "--name", "fuzz", cwd=tmp_path,
                         database_url=db)).stdout.splitlines()[0]
    settings = {"demo_database_url": db, "rate_limit_admin": "100000/minute",
                "rate_limit_auth_failures": "100000/minute"}
    async with serving("--demo", cwd=tmp_path, **settings) as server, httpx.AsyncClient() as client:

        async def ingested():
            return (await client.get(f"{server.base_url}/v1/items?limit=1")).json()["items"]

        await wait_for(ingested, timeout=30)
        process = await asyncio.create_subprocess_exec(
            schemathesis, "run", f"{server.base_url}/openapi.json",
            "--checks", "not_a_server_error,response_schema_conformance,status_code_conformance,"
                        "content_type_conformance",
            "--header", f"Authorization: Bearer {key}", "--max-examples", "8", "--seed", "7",
            "--exclude-path", "/v1/keys/{key_id}",  # would revoke the key under test
            cwd=tmp_path, env=cli_env(), stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT)
        out, _ = await asyncio.wait_for(process.communicate(), 300)
    report = out.decode(errors="replace")
    assert process.returncode == 0, report[-6000:]
    assert "passed" in report
