"""Store polled entries: dedupe, insert or update items, enqueue them for processing.

Everything happens in the caller's transaction, and the processing event is written in
that same transaction, so an item can never be stored without also being queued for
classification (a crash between the two is impossible by construction).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from service.feeds import repository
from service.feeds.dedupe import Decision, EntryKeys, decide, entry_keys
from service.feeds.parse import ParsedEntry


@dataclass(frozen=True)
class StoreStats:
    """How one poll's entries were stored."""

    entries: int
    new: int
    changed: int
    unchanged: int
    linked: int = 0  # links of items to this feed made by this poll


def _item_row(
    feed_id: str, entry: ParsedEntry, keys: EntryKeys, now: datetime
) -> dict[str, object]:
    return {
        "feed_id": feed_id,
        "guid": entry.guid,
        "link": entry.link,
        "title": entry.title,
        "summary": entry.summary,
        "language": entry.language,
        "published_at": entry.published_at or entry.updated_at or now,
        "content_hash": keys.content_hash,
        "revision": 1,
        "first_seen_at": now,
        "updated_at": now,
    }


def _event_row(item_id: int, revision: int, reason: str, now: datetime) -> dict[str, object]:
    return {
        "item_id": item_id,
        "revision": revision,
        "reason": reason,
        "created_at": now,
        "available_at": now,
        "attempts": 0,
    }


async def store_entries(
    session: AsyncSession, feed_id: str, entries: Sequence[ParsedEntry], now: datetime
) -> StoreStats:
    """Store the entries of one poll of ``feed_id`` exactly once."""
    return (await store_polls(session, [(feed_id, entries)], now))[feed_id]


async def store_polls(
    session: AsyncSession, polls: Sequence[tuple[str, Sequence[ParsedEntry]]], now: datetime
) -> dict[str, StoreStats]:
    """Store the entries of several feeds' polls exactly once, in one pass over the database.

    The batch is deduplicated as a whole: an entry carried by two feeds of the batch becomes
    one item (owned by the first feed) linked to both. One key lookup, one insert of items,
    keys, events and links each, whatever the number of feeds.
    """
    feeds = [feed_id for feed_id, entries in polls for _ in entries]
    entries = [entry for _, feed_entries in polls for entry in feed_entries]
    keyed = [
        entry_keys(
            feed_id,
            guid=e.guid,
            link=e.link,
            title=e.title,
            summary=e.summary,
            published_iso=e.published_at.isoformat() if e.published_at else None,
        )
        for feed_id, e in zip(feeds, entries, strict=True)
    ]
    known = await repository.known_keys(session, [k for ek in keyed for k in ek.keys])
    hashes = await repository.content_hashes(session, known.values())
    decisions = decide(keyed, known, hashes)

    new_indexes = [i for i, d in enumerate(decisions) if d.action == "new"]
    new_ids = await repository.insert_items(
        session, [_item_row(feeds[i], entries[i], keyed[i], now) for i in new_indexes]
    )
    id_of_new = dict(zip(new_indexes, new_ids, strict=True))
    item_ids = _item_ids(decisions, id_of_new)

    # Sorted, so concurrent transactions take key locks in one order (no deadlocks).
    key_pairs = sorted((key, item_ids[i]) for i, d in enumerate(decisions) for key in d.missing_keys)
    inserted = await repository.insert_keys(session, key_pairs)
    lost = await _resolve_lost_races(session, decisions, keyed, id_of_new, inserted, item_ids)

    events = [_event_row(id_of_new[i], 1, "new", now) for i in new_indexes if i not in lost]
    changed: Counter[str] = Counter()
    for index, decision in enumerate(decisions):
        if decision.action == "changed" and decision.item_id is not None:
            entry = entries[index]
            values: dict[str, object] = {
                "title": entry.title,
                "summary": entry.summary,
                "content_hash": keyed[index].content_hash,
                "updated_at": now,
            }
            if entry.published_at is not None:
                values["published_at"] = entry.published_at
            revision = await repository.update_item(session, decision.item_id, values)
            events.append(_event_row(decision.item_id, revision, "changed", now))
            changed[feeds[index]] += 1
    await repository.enqueue_events(session, events)
    linked = await repository.link_items(
        session, ((item_id, feeds[i]) for i, item_id in item_ids.items()), now)
    new = Counter(feeds[i] for i in new_indexes if i not in lost)
    total = Counter(feeds)
    return {
        feed_id: StoreStats(
            entries=total[feed_id], new=new[feed_id], changed=changed[feed_id],
            unchanged=total[feed_id] - new[feed_id] - changed[feed_id], linked=linked[feed_id],
        )
        for feed_id, _ in polls
    }


def _item_ids(decisions: Sequence[Decision], id_of_new: dict[int, int]) -> dict[int, int]:
    """The item id each entry resolves to (duplicates resolve to their first occurrence)."""
    item_ids: dict[int, int] = {}
    for index, decision in enumerate(decisions):
        if decision.action == "new":
            item_ids[index] = id_of_new[index]
        elif decision.action == "duplicate" and decision.batch_index is not None:
            item_ids[index] = item_ids[decision.batch_index]
        elif decision.item_id is not None:
            item_ids[index] = decision.item_id
    return item_ids


async def _resolve_lost_races(
    session: AsyncSession,
    decisions: Sequence[Decision],
    keyed: Sequence[EntryKeys],
    id_of_new: dict[int, int],
    inserted: set[str],
    item_ids: dict[int, int],
) -> set[int]:
    """Drop new items that another replica stored first; link the entry to theirs instead.

    Only PostgreSQL with several replicas gets here: two pollers met the same entry in two
    feeds at the same moment, and a key of ours was already taken. A key names one item,
    so the entry is already stored: our row goes, and our other keys move to the winner.
    """
    lost = {i for i in id_of_new if any(k not in inserted for k in keyed[i].keys)}
    if not lost:
        return set()
    await repository.delete_items(session, [id_of_new[i] for i in lost])
    taken = [k for i in lost for k in keyed[i].keys if k not in inserted]
    winners = await repository.known_keys(session, taken)
    moved: list[tuple[str, int]] = []
    for index in lost:
        winner = next(winners[k] for k in keyed[index].keys if k in winners)
        item_ids[index] = winner
        moved += [(k, winner) for k in keyed[index].keys if k in inserted]
    await repository.insert_keys(session, moved)
    for index, decision in enumerate(decisions):
        if decision.action == "duplicate" and decision.batch_index in lost:
            item_ids[index] = item_ids[decision.batch_index]
    return lost
