"""The ``alignwatch`` command line.

Exit codes: 0 success; 1 the command ran but found problems (invalid feeds.yml, failed
feeds in ``poll --once``); 2 usage or set-up errors (bad option, unreadable file,
database unreachable). Progress goes to stderr, results to stdout.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import click
from pydantic import ValidationError

from service import __version__
from service.config import Settings, demo_settings
from service.logs import configure_logging


def _settings(**overrides: Any) -> Settings:
    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as exc:
        raise click.UsageError(f"invalid settings: {exc}") from exc


def _run(coroutine_factory: Callable[[], Coroutine[Any, Any, int]]) -> None:
    try:
        code = asyncio.run(coroutine_factory())
    except KeyboardInterrupt:
        code = 130
    except OSError as exc:
        click.echo(f"error: {exc}", err=True)
        code = 2
    sys.exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="alignwatch")
@click.option("--log-format", type=click.Choice(["auto", "console", "json"]), default=None,
              help="Readable lines for people or JSON lines for machines "
                   "[env ALIGNWATCH_LOG_FORMAT; default: console on a terminal].")
@click.option("--log-level", type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"]),
              default=None, help="Minimum level to log [env ALIGNWATCH_LOG_LEVEL].")
@click.pass_context
def main(ctx: click.Context, log_format: str | None, log_level: str | None) -> None:
    """alignwatch: watch whether US and Japanese economic-security policies converge.

    Settings come from ALIGNWATCH_* environment variables or a .env file; see the README.
    """
    settings = _settings(log_format=log_format, log_level=log_level)
    configure_logging(settings.log_format, settings.log_level)
    ctx.obj = settings


@main.command()
@click.option("--host", default=None, help="Address to bind [env ALIGNWATCH_HOST; 127.0.0.1].")
@click.option("--port", type=int, default=None, help="Port [env ALIGNWATCH_PORT; 8000].")
@click.option("--demo", is_flag=True,
              help="Run on bundled sample feeds served by this process, in a separate "
                   "database (alignwatch-demo.db); needs no network.")
@click.pass_obj
def serve(settings: Settings, host: str | None, port: int | None, demo: bool) -> None:
    """Run the API, the dashboard and the poller (migrates the database first)."""
    import uvicorn

    from service.app import create_app

    settings = _settings(**(settings.model_dump() | {"host": host, "port": port}))
    if demo:
        settings = demo_settings(settings)
        click.echo(f"demo mode: database {settings.database_url}, feeds {settings.feeds_file}",
                   err=True)
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port,
                log_config=None, access_log=False, proxy_headers=False, server_header=False,
                timeout_graceful_shutdown=30)


@main.group()
def db() -> None:
    """Database maintenance."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="Target revision.")
@click.pass_obj
def db_upgrade(settings: Settings, revision: str) -> None:
    """Apply pending migrations (the server also does this on start-up)."""
    from service.db import migrate
    from service.db.session import create_database

    async def run() -> int:
        database = create_database(settings)
        try:
            await migrate.upgrade(database.engine, revision)
            click.echo(f"database at revision {await migrate.current_revision(database.engine)}")
            return 0
        finally:
            await database.dispose()

    _run(run)


@main.group()
def feeds() -> None:
    """Inspect the feeds file."""


@feeds.command("check")
@click.argument("file", required=False, type=click.Path(path_type=Path))
@click.pass_obj
def feeds_check(settings: Settings, file: Path | None) -> None:
    """Validate FILE (default: the configured feeds.yml); exit 1 on errors, 2 if unreadable."""
    from service.feeds.catalog import check_catalog_file

    sys.exit(check_catalog_file(file or settings.feeds_file, sys.stdout))


@main.command()
@click.option("--once", is_flag=True, required=True,
              help="Poll every due feed once, process what arrived, print a summary, exit.")
@click.option("--all", "poll_all", is_flag=True,
              help="Poll every enabled feed now, not only the ones that are due.")
@click.pass_obj
def poll(settings: Settings, once: bool, poll_all: bool) -> None:
    """Poll feeds from the command line (one pass)."""
    from service.feeds.poll_once import poll_once

    del once
    _run(lambda: poll_once(settings, poll_all=poll_all, out=sys.stdout))


@main.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--progress/--no-progress", default=None,
              help="Show a progress bar on stderr [default: on a terminal].")
def classify(file: Path, progress: bool | None) -> None:
    """Classify the items of a JSONL FILE; write one JSON line per item to stdout.

    Each input line needs id, date, source, source_country, title and summary (other
    fields, labels included, are ignored). Lines are processed in date order, each
    against the policy picture built from the shipped baseline and the earlier lines.
    Exit 2 on a malformed line (named by file and line), before anything is written.
    """
    from service.classify.jsonl import run_classify

    show = sys.stderr.isatty() if progress is None else progress
    sys.exit(run_classify(file, sys.stdout, progress=show))


@main.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
def evaluate(file: Path) -> None:
    """Score the classifier on a JSONL FILE with gold labels (the rubric's format).

    Prints accuracy and macro-F1 for every field, the goal metrics and the stance
    confusion matrix, then one key=value summary line.
    """
    from service.classify.jsonl import run_evaluate

    sys.exit(run_evaluate(file, sys.stdout))


@main.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--pair", default=None, help="Pair the labels are for [default: the first in feeds.yml].")
@click.pass_obj
def backfill(settings: Settings, file: Path, pair: str | None) -> None:
    """Load labelled past items from a JSONL FILE (the rubric's format) as confirmed history.

    Items are stored in synthetic feeds (backfill-us, -jp, -other) with the labels as an
    analyst's classification, then go through the pipeline into the index. Progress goes
    to stderr; re-running with the same file changes nothing. Exit 2 on a malformed line,
    before anything is written.
    """
    from service.index.backfill import run_backfill

    _run(lambda: run_backfill(settings, file, pair=pair, out=sys.stdout, err=sys.stderr))


@main.group()
def corrections() -> None:
    """Analysts' label corrections."""


@corrections.command("export")
@click.pass_obj
def corrections_export(settings: Settings) -> None:
    """Write every corrected item as JSONL in the rubric's format (for the next training run)."""
    from service.classify.cli import export_all

    _run(lambda: export_all(settings, out=sys.stdout))


@main.group()
def keys() -> None:
    """Create, list and revoke API keys."""


@keys.command("create")
@click.option("--scope", type=click.Choice(["read", "admin"]), required=True,
              help="read: GET endpoints; admin: everything, including writes.")
@click.option("--name", required=True, help="Who or what uses the key, for the listing.")
@click.pass_obj
def keys_create(settings: Settings, scope: str, name: str) -> None:
    """Create a key and print it once: it cannot be shown again."""
    from service.auth.cli import create

    _run(lambda: create(settings, scope=scope, name=name, out=sys.stdout))


@keys.command("list")
@click.pass_obj
def keys_list(settings: Settings) -> None:
    """List keys (never their secrets)."""
    from service.auth.cli import list_all

    _run(lambda: list_all(settings, out=sys.stdout))


@keys.command("revoke")
@click.argument("key_id", type=int)
@click.pass_obj
def keys_revoke(settings: Settings, key_id: int) -> None:
    """Revoke the key with id KEY_ID."""
    from service.auth.cli import revoke

    _run(lambda: revoke(settings, key_id=key_id, out=sys.stdout))


if __name__ == "__main__":
    main()
