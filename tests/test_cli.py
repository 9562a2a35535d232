"""The ``alignwatch`` command line as a user runs it: exit codes, output, progress."""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import write_feeds_yml
from tests.feeds.test_poller import DESC, rss
from tests.feedserver import Reply
from tests.paths import REPO_DIR
from tests.processes import run_cli


async def test_help_explains_every_command(tmp_path):
    result = await run_cli("--help", cwd=tmp_path)
    assert result.code == 0
    for command in ("serve", "poll", "feeds", "db", "keys"):
        assert re.search(rf"^\s+{command}\s+\S", result.stdout, re.MULTILINE), command
    serve_help = await run_cli("serve", "--help", cwd=tmp_path)
    assert "--demo" in serve_help.stdout and "--port" in serve_help.stdout


async def test_unknown_option_is_a_usage_error(tmp_path):
    result = await run_cli("poll", "--sometimes", cwd=tmp_path)
    assert result.code == 2 and "No such option" in result.stderr


async def test_feeds_check_exit_codes(tmp_path):
    good = await run_cli("feeds", "check", str(REPO_DIR / "feeds.yml"), cwd=tmp_path)
    assert good.code == 0 and "OK" in good.stdout
    broken = tmp_path / "feeds.yml"
    broken.write_text("version: 1\nfeeds:\n  - id: x\n    url: gopher://x\n")
    bad = await run_cli("feeds", "check", str(broken), cwd=tmp_path)
    assert bad.code == 1
    assert re.search(r"feeds\.yml:4:\d+: feeds\[0\]\.url", bad.stdout)
    missing = await run_cli("feeds", "check", str(tmp_path / "nope.yml"), cwd=tmp_path)
    assert missing.code == 2


async def test_db_upgrade_reports_the_revision(tmp_path):
    result = await run_cli("db", "upgrade", cwd=tmp_path, database_url=f"sqlite:///{tmp_path}/a.db")
    assert result.code == 0 and re.search(r"database at revision \w+", result.stdout)


async def test_poll_once_prints_a_summary_and_fails_when_a_feed_fails(tmp_path, feed_server):
    ok = feed_server.set("/ok", Reply(body=rss(("a", "A", DESC), ("b", "B", DESC + " b"))))
    broken = feed_server.set("/broken", Reply(status=503))
    feeds_file = write_feeds_yml(tmp_path / "feeds.yml", [{"id": "ok", "url": ok},
                                                          {"id": "broken", "url": broken}])
    env = {"database_url": f"sqlite:///{tmp_path}/a.db", "feeds_file": str(feeds_file),
           "allow_private_feeds": "true"}
    result = await run_cli("poll", "--once", cwd=tmp_path, **env)
    assert result.code == 1, result.stderr
    assert re.search(r"^ok\s+ok\s+200\s+2\s", result.stdout, re.MULTILINE)
    assert re.search(r"^broken\s+unavailable\s+503", result.stdout, re.MULTILINE)
    assert "2 feeds polled, 2 new items, 0 changed, 1 failed" in result.stdout
    again = await run_cli("poll", "--once", cwd=tmp_path, **env)
    assert again.code == 0 and "no feed was due" in again.stdout
    everything = await run_cli("poll", "--once", "--all", cwd=tmp_path, **env)
    assert "2 feeds polled, 0 new items" in everything.stdout


@pytest.mark.parametrize("fmt", ["json", "console"])
async def test_log_format_switch(tmp_path, fmt):
    result = await run_cli("--log-format", fmt, "db", "upgrade", cwd=tmp_path,
                           database_url=f"sqlite:///{tmp_path}/a.db")
    first = result.stderr.strip().splitlines()[0]
    assert first.startswith("{") == (fmt == "json")


async def test_keys_are_printed_once_and_listed_without_secrets(tmp_path):
    env = {"database_url": f"sqlite:///{tmp_path}/a.db"}
    created = await run_cli("keys", "create", "--scope", "admin", "--name", "ops", cwd=tmp_path,
                            **env)
    assert created.code == 0
    secret = created.stdout.splitlines()[0]
    assert re.fullmatch(r"aw_admin_[A-Za-z0-9]{40}", secret)
    listing = await run_cli("keys", "list", cwd=tmp_path, **env)
    assert "ops" in listing.stdout and secret not in listing.stdout and secret[9:21] in listing.stdout
    revoked = await run_cli("keys", "revoke", "1", cwd=tmp_path, **env)
    assert revoked.code == 0 and "revoked" in revoked.stdout
    assert (await run_cli("keys", "revoke", "99", cwd=tmp_path, **env)).code == 1


async def test_classify_contract_on_a_small_file(tmp_path):
    lines = [
        {"id": "b", "date": "2023-07-23", "source": "METI news releases", "source_country": "JP",
         "title": "Japan adds 23 chip-making equipment items to its export control list",
         "summary": "The amended order requires licences for advanced semiconductor manufacturing "
                    "equipment to all destinations.", "labels": {"ignored": True}},
        {"id": "a", "date": "2017-03-31", "source": "METI news releases", "source_country": "JP",
         "title": "Personnel changes", "summary": "Director-level appointments take effect."},
    ]
    infile = tmp_path / "in.jsonl"
    infile.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    result = await run_cli("classify", str(infile), cwd=tmp_path)
    assert result.code == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", "b"]  # processed in date order
    assert {"id", "labels", "confidence", "evidence"} <= set(out[0])
    assert out[0]["labels"]["relevant"] is False
    assert out[1]["labels"]["actor"] == "JP" and out[1]["labels"]["domain"] == "export_controls"
    assert set(out[1]["confidence"]) == {"relevant", "actor", "domain", "stance", "targets_china"}

    infile.write_text(infile.read_text() + '{"id": "c", "date": "not a date"}\n')
    broken = await run_cli("classify", str(infile), cwd=tmp_path)
    assert broken.code == 2 and broken.stdout == ""
    assert f"{infile}:3" in broken.stderr


async def test_evaluate_prints_scores_and_confusion(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({
        "id": "x", "date": "2023-05-20", "source": "MOFA press releases", "source_country": "JP",
        "title": "G7 Leaders' Statement on Economic Resilience and Economic Security",
        "summary": "G7 leaders agree to coordinate against economic coercion and build "
                   "resilient supply chains.",
        "labels": {"relevant": True, "actor": "joint", "domain": "cooperation",
                   "stance": "converging", "targets_china": False}}) + "\n")
    result = await run_cli("evaluate", str(gold), cwd=tmp_path)
    assert result.code == 0, result.stderr
    assert "stance" in result.stdout and "converging" in result.stdout
    summary = dict(pair.split("=") for pair in result.stdout.splitlines()[-1].split())
    assert summary["relevance_f1"] == "1.000" and summary["actor_accuracy"] == "1.000"
