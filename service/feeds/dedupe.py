"""Entry identity and change detection: pure functions, no I/O.

An entry is stored once although its feed re-publishes it, reorders it, lacks guids, or a
second feed carries it too. Each entry is known by several keys, strongest first:
the guid within its feed, its normalised link (shared across feeds), and a fingerprint
of its text (catches a release posted twice under two article ids). Keys are hashed to a
fixed width so long URLs index well.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Below this many characters a summary is too generic to identify an entry by its text.
MIN_FINGERPRINT_SUMMARY = 40
_TRACKING_PARAMS = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid")


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def normalize_link(link: str) -> str:
    """A link in canonical form: lower-case scheme and host, no fragment or tracking query."""
    parts = urlsplit(link.strip())
    host = (parts.hostname or "").lower()
    if parts.port and not (
        (parts.scheme == "http" and parts.port == 80) or (parts.scheme == "https" and parts.port == 443)
    ):
        host = f"{host}:{parts.port}"
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
         if not k.lower().startswith(_TRACKING_PARAMS)]
    )
    scheme = parts.scheme.lower()
    if scheme == "http":
        scheme = "https"  # the same document is often linked both ways
    return urlunsplit((scheme, host, parts.path or "/", query, ""))


def content_hash(title: str, summary: str) -> str:
    """What must change for an entry to count as updated (and be processed again)."""
    return _digest(f"{title.strip()}\n{summary.strip()}")


@dataclass(frozen=True)
class EntryKeys:
    """The identities of one entry, strongest first."""

    keys: tuple[str, ...]
    content_hash: str


def entry_keys(
    feed_id: str,
    *,
    guid: str | None,
    link: str | None,
    title: str,
    summary: str,
    published_iso: str | None,
) -> EntryKeys:
    """Every key this entry may already be stored under."""
    keys: list[str] = []
    if guid:
        keys.append("g:" + _digest(f"{feed_id}\n{guid.strip()}")[:48])
    if link:
        keys.append("l:" + _digest(normalize_link(link))[:48])
    if len(summary.strip()) >= MIN_FINGERPRINT_SUMMARY:
        keys.append("c:" + content_hash(title, summary)[:48])
    if not keys:
        # No guid, no link, no real summary: title and date within this feed are all we have.
        keys.append("t:" + _digest(f"{feed_id}\n{title.strip()}\n{published_iso or ''}")[:48])
    return EntryKeys(keys=tuple(keys), content_hash=content_hash(title, summary))


@dataclass(frozen=True)
class Decision:
    """What to do with one parsed entry, given the keys already stored."""

    action: str  # "new" | "changed" | "unchanged" | "duplicate" (same entry twice in a batch)
    item_id: int | None  # the existing item, for changed/unchanged
    batch_index: int | None  # for duplicates: the earlier entry of this batch it repeats
    missing_keys: tuple[str, ...]  # keys to add to the item


def decide(
    entries: Sequence[EntryKeys],
    known: dict[str, int],
    stored_hashes: dict[int, str],
) -> list[Decision]:
    """Decide for each entry of one poll whether it is new, changed, unchanged or repeated.

    ``known`` maps stored keys to item ids; ``stored_hashes`` maps those items to their
    content hash. Entries repeated within the batch resolve to the first occurrence.
    """
    decisions: list[Decision] = []
    batch_keys: dict[str, int] = {}
    for index, entry in enumerate(entries):
        item_id = next((known[k] for k in entry.keys if k in known), None)
        if item_id is None:
            earlier = next((batch_keys[k] for k in entry.keys if k in batch_keys), None)
            if earlier is not None:
                extra = tuple(k for k in entry.keys if k not in batch_keys)
                decisions.append(Decision("duplicate", None, earlier, extra))
                for key in extra:
                    batch_keys[key] = earlier
                continue
            for key in entry.keys:
                batch_keys[key] = index
            decisions.append(Decision("new", None, None, entry.keys))
            continue
        missing = tuple(k for k in entry.keys if k not in known)
        for key in missing:
            known[key] = item_id
        if stored_hashes.get(item_id) != entry.content_hash:
            stored_hashes[item_id] = entry.content_hash
            decisions.append(Decision("changed", item_id, None, missing))
        else:
            decisions.append(Decision("unchanged", item_id, None, missing))
    return decisions
