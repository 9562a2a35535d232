"""``alignwatch poll --once``: one pass over the due feeds with progress and a summary."""

from __future__ import annotations

import sys
from typing import TextIO

from sqlalchemy import func, select, update
from sqlmodel import col
from tqdm import tqdm

from service.config import Settings
from service.db.models import Feed, FeedState
from service.feeds.service import PollOutcome
from service.runtime import open_runtime
from service.timeutil import isoformat, utcnow

_OK = {"ok", "not_modified"}


async def poll_once(settings: Settings, *, poll_all: bool, out: TextIO) -> int:
    """Poll, process, print one line per feed; exit 1 if any feed failed."""
    progress = tqdm(total=0, unit="feed", desc="polling", file=sys.stderr,
                    disable=not sys.stderr.isatty())

    def advance(outcome: PollOutcome) -> None:
        progress.update(1)
        progress.set_postfix_str(f"{outcome.feed_id}: {outcome.result}", refresh=False)

    async with open_runtime(settings, on_poll=advance) as runtime:
        await runtime.reloader.reload("poll --once")
        if runtime.reloader.error is not None:
            out.write(f"{runtime.reloader.error}\n")
            if runtime.reloader.current is None:
                return 1
        now = utcnow()
        async with runtime.db.begin() as session:
            if poll_all:
                await session.execute(update(FeedState).values(next_poll_at=now))
            due = (await session.execute(
                select(func.count()).select_from(FeedState)
                .join(Feed, col(Feed.id) == col(FeedState.feed_id))
                .where(col(Feed.enabled).is_(True), col(Feed.in_catalog).is_(True),
                       col(FeedState.disabled_at).is_(None), col(FeedState.next_poll_at) <= now)
            )).scalar_one()
        progress.total = int(due)
        progress.refresh()
        outcomes = await runtime.poll_and_process()
        progress.close()
    _print_summary(outcomes, out)
    return 0 if all(o.result in _OK for o in outcomes) else 1


def _print_summary(outcomes: list[PollOutcome], out: TextIO) -> None:
    if not outcomes:
        out.write("no feed was due; use --all to poll every enabled feed now\n")
        return
    width = max(len(o.feed_id) for o in outcomes)
    out.write(f"{'feed':{width}}  {'result':18} {'http':>4} {'new':>5} {'changed':>7} "
              f"{'entries':>7}  next poll\n")
    for o in sorted(outcomes, key=lambda o: o.feed_id):
        out.write(f"{o.feed_id:{width}}  {o.result:18} {o.status or '-':>4} {o.new:>5} "
                  f"{o.changed:>7} {o.entries:>7}  {isoformat(o.next_poll_at) or '-'}\n")
        if o.result not in _OK and o.message:
            out.write(f"{'':{width}}  └ {o.message}\n")
    failed = sum(o.result not in _OK for o in outcomes)
    out.write(f"{len(outcomes)} feeds polled, {sum(o.new for o in outcomes)} new items, "
              f"{sum(o.changed for o in outcomes)} changed, {failed} failed\n")
