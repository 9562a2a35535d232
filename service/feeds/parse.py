"""Fetched feed bytes to plain frozen dataclasses with feedparser; pure, does no I/O.

feedparser only ever gets bytes we fetched, wrapped in a stream (given a bare string it opens it
as a URL or a file path), with the feed URL as Content-Location so relative links resolve
(lemon24/reader). Before it runs we decode the bytes ourselves, because its fallbacks turn one bad
UTF-8 byte or one CP932-only character (①, 髙) into a whole document of mojibake, and we refuse
documents that declare unsafe entities (billion laughs, external entities) or nest absurdly deep.
feedparser's sanitizer and relative-URI pass are off: we keep text, never markup.
Safe to call from several threads at once (``asyncio.to_thread``, a process pool).
"""

import email.utils
import io
import pyexpat
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from urllib.parse import urljoin

import feedparser
import feedparser.api

from service.feeds.text import html_to_text, plain_to_text, to_utf8

# feedparser asks xml.sax for "drv_libxml2" before expat on every document; that module is
# not installed, so each parse searched sys.path for it and parse threads queued on the import
# lock (a quarter of single-threaded parse time, more with threads). Ask for expat directly:
# it is what feedparser falls back to anyway.
feedparser.api.PREFERRED_XML_PARSERS = ["xml.sax.expatreader"]

MAX_TITLE_CHARS = 1_000
MAX_SUMMARY_CHARS = 4_000
MAX_DEPTH = 256  # element nesting; real feeds with inline XHTML stay under 40
MAX_ENTITY_CHARS = 64  # a longer declared entity value is a quadratic-blowup vector
MAX_TTL = timedelta(days=7)


@dataclass(frozen=True)
class ParsedEntry:
    # id/guid as published, stripped; URI references (rdf:about in RSS 1.0, RSS 2.0 permalink
    # guids) come back resolved against xml:base or the feed URL.
    guid: str | None
    link: str | None  # absolute http(s) URL
    title: str  # clean text, "" if none
    summary: str  # clean text of summary/description, else content; "" if none
    published_at: datetime | None  # UTC; published, else updated (Atom, RSS 1.0 dc:date)
    updated_at: datetime | None  # UTC
    language: str | None  # primary subtag of entry xml:lang or feed language: "ja", "en"


@dataclass(frozen=True)
class ParsedFeed:
    title: str | None
    link: str | None
    language: str | None
    ttl: timedelta | None  # RSS <ttl>, when between 1 minute and MAX_TTL
    entries: tuple[ParsedEntry, ...]  # document order, duplicates removed
    bozo_reason: str | None  # why the document is malformed, when entries were still read


class FeedParseError(ValueError):
    """The document is refused: not a feed, unsafe entity declarations, too deeply nested."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(url, reason)  # both in args, so it pickles back from a process pool
        self.url = url
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.reason} ({self.url})"


def parse_feed(body: bytes, *, url: str, content_type: str | None = None) -> ParsedFeed:
    """Parse one fetched RSS 0.9x/1.0/2.0 or Atom document; raise FeedParseError if refused."""
    if not body.strip():
        raise FeedParseError(url, "not a feed: empty document")
    data, encoding_note = to_utf8(body, content_type)
    _refuse_unsafe_entities(data, url)
    _refuse_deep_nesting(data, url)
    try:
        result = feedparser.parse(
            io.BytesIO(data),
            response_headers={
                "content-location": url,
                "content-type": "application/xml; charset=utf-8",
            },
            sanitize_html=False,
            resolve_relative_uris=False,
        )
    except Exception as exc:  # feedparser's own bugs on odd input are parse failures too
        raise FeedParseError(url, f"feedparser failed: {exc!r}") from exc
    feed: dict[str, Any] = result.get("feed") or {}
    raw_entries: list[dict[str, Any]] = result.get("entries") or []
    version: str = result.get("version") or ""
    reasons = [encoding_note] if encoding_note else []
    if result.get("bozo"):
        error = result.get("bozo_exception")
        reasons.append(f"{type(error).__name__}: {error}")
    if not version and not raw_entries:
        raise FeedParseError(url, "not a feed: no RSS or Atom root element, no entries")

    feed_language = _language(_str(feed, "language"))
    feed_dates = [_read_date(feed, "updated"), _read_date(feed, "published")]
    entry_dates = [(_read_date(e, "published"), _read_date(e, "updated")) for e in raw_entries]
    offset = _dominant_offset([*feed_dates, *(d for pair in entry_dates for d in pair)])

    entries: list[ParsedEntry] = []
    seen: set[object] = set()
    for raw, (published, updated) in zip(raw_entries, entry_dates, strict=True):
        entry = _entry(raw, published, updated, offset, version, url, feed_language)
        key = entry.guid or (entry.link, entry.title, entry.summary)
        if key not in seen:
            seen.add(key)
            entries.append(entry)

    return ParsedFeed(
        title=_text(feed.get("title_detail"), MAX_TITLE_CHARS) or None,
        link=_absolute_http(_str(feed, "link"), url),
        language=feed_language,
        ttl=_ttl(_str(feed, "ttl")),
        entries=tuple(entries),
        bozo_reason="; ".join(reasons) or None,
    )


def _entry(
    raw: dict[str, Any],
    published: datetime | None,
    updated: datetime | None,
    offset: timezone,
    version: str,
    url: str,
    feed_language: str | None,
) -> ParsedEntry:
    title_detail = raw.get("title_detail")
    details = [title_detail, raw.get("summary_detail"), *(raw.get("content") or ())]
    base = next((d["base"] for d in details if d and d.get("base")), url)
    guid = (_str(raw, "id") or "").strip() or None
    if guid and version.startswith(("rss090", "rss10")) and not _SCHEME.match(guid):
        guid = urljoin(base, guid)  # rdf:about is a URI reference, relative to the document
    summary = _text(raw.get("summary_detail"), MAX_SUMMARY_CHARS)
    contents: list[dict[str, Any]] = raw.get("content") or []
    for content in contents:
        if summary:
            break
        summary = _text(content, MAX_SUMMARY_CHARS)
    return ParsedEntry(
        guid=guid,
        link=_absolute_http(_str(raw, "link"), base),
        title=_text(title_detail, MAX_TITLE_CHARS),
        summary=summary,
        published_at=_in_utc(published or updated, offset),
        updated_at=_in_utc(updated, offset),
        language=next(
            (lang for d in details if d and (lang := _language(d.get("language")))),
            feed_language,
        ),
    )


def _str(item: dict[str, Any], key: str) -> str | None:
    # dict.get: FeedParserDict.get("updated") would warn and answer "published" instead.
    value = dict.get(item, key)
    return value if isinstance(value, str) else None


def _text(detail: dict[str, Any] | None, limit: int) -> str:
    if not detail or not isinstance(value := detail.get("value"), str):
        return ""
    if detail.get("type") in ("text/html", "application/xhtml+xml"):
        return html_to_text(value, limit=limit)
    return plain_to_text(value, limit=limit)


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def _absolute_http(link: str | None, base: str) -> str | None:
    link = (link or "").strip()
    if not link:
        return None
    if not _SCHEME.match(link):
        link = urljoin(base, link)
    return link if link.split(":", 1)[0].lower() in ("http", "https") else None


_LANGUAGE_NAMES = {"english": "en", "japanese": "ja", "jp": "ja"}
_LANGUAGE = re.compile(r"[a-z]{2,3}")


def _language(value: object) -> str | None:
    """Primary subtag, lower case: "en-gb" and "en-US" are both "en" (BIS says en-gb)."""
    if not isinstance(value, str):
        return None
    primary = value.strip().lower().replace("_", "-").split("-", 1)[0]
    primary = _LANGUAGE_NAMES.get(primary, primary)
    return primary if _LANGUAGE.fullmatch(primary) else None


def _ttl(value: str | None) -> timedelta | None:
    try:
        ttl = timedelta(minutes=int((value or "").strip()))
    except ValueError:
        return None
    return ttl if timedelta(minutes=1) <= ttl <= MAX_TTL else None


# --- dates ---------------------------------------------------------------------------------

_SLASH_DATE = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?")
_ZONE_SUFFIX = re.compile(r"(?:[+-]\d{2}:?\d{2}|\b(?![AaPp][Mm]\b)[A-Za-z]{1,5})\s*$")
_NAMED_OFFSETS = {"JST": "+0900", "KST": "+0900"}  # email.utils knows only UTC/GMT and US zones


def _read_date(item: dict[str, Any], key: str) -> datetime | None:
    """``item[key]`` as a datetime, naive when the text gives no offset (e.g. a bare date)."""
    raw = _str(item, key)
    if not raw or not (text := raw.strip()):
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    if text[-3:] in _NAMED_OFFSETS:
        text = text[:-3] + _NAMED_OFFSETS[text[-3:]]
    try:
        when = email.utils.parsedate_to_datetime(text)
        return when.replace(tzinfo=UTC) if text.endswith("-0000") else when
    except (TypeError, ValueError, IndexError, OverflowError):
        pass
    if slash := _SLASH_DATE.fullmatch(text):  # feedparser reads "2026/10/08 14:30" as 1 Nov
        year, month, day, hour, minute, second = (int(part or 0) for part in slash.groups())
        try:
            return datetime(year, month, day, hour, minute, second)  # noqa: DTZ001
        except ValueError:
            return None
    # feedparser knows many more formats; it returns UTC, guessing UTC when none is given.
    parsed = dict.get(item, f"{key}_parsed")
    if not parsed:
        return None
    try:
        year, month, day, hour, minute, second = parsed[:6]
        when = datetime(year, month, day, hour, minute, min(second, 59), tzinfo=UTC)
    except (TypeError, ValueError, OverflowError):
        return None
    return when if _ZONE_SUFFIX.search(text) else when.replace(tzinfo=None)


def _dominant_offset(dates: Iterable[datetime | None]) -> timezone:
    """The most common UTC offset among the feed's dates that state one; UTC if none does."""
    offsets = Counter(d.utcoffset() for d in dates if d is not None and d.tzinfo is not None)
    common = offsets.most_common(1)
    return timezone(common[0][0]) if common and common[0][0] is not None else UTC


def _in_utc(when: datetime | None, offset: timezone) -> datetime | None:
    """A bare date or naive time is read in the feed's own offset, not as midnight UTC."""
    if when is None:
        return None
    try:
        return (when if when.tzinfo else when.replace(tzinfo=offset)).astimezone(UTC)
    except (OverflowError, ValueError):
        return None


# --- refusals ---------------------------------------------------------------------------------


class _PrologRead(Exception):
    """The root element was reached: everything that may declare an entity has been seen."""


def _refuse_unsafe_entities(data: bytes, url: str) -> None:
    """Refuse parameter, external and nested entity declarations (billion laughs, XXE).

    feedparser drops most of these itself (replace_doctype), but silently: we want the refusal
    on record. Short internal ones (``<!ENTITY nbsp "&#160;">``) are common and harmless.
    """
    if b"<!ENTITY" not in data:
        return
    count = 0

    def entity_declared(
        name: str,
        is_parameter: bool,
        value: str | None,
        _base: object,
        system_id: str | None,
        public_id: str | None,
        notation: str | None,
    ) -> None:
        nonlocal count
        count += 1
        if is_parameter or value is None or system_id or public_id or notation:
            raise FeedParseError(url, f"refused: external or parameter entity {name!r}")
        if "&" in value or "%" in value or len(value) > MAX_ENTITY_CHARS or count > 512:
            raise FeedParseError(url, f"refused: entity {name!r} could expand without bound")

    def root_reached(*_: object) -> None:
        raise _PrologRead

    parser = pyexpat.ParserCreate("utf-8")
    parser.EntityDeclHandler = entity_declared
    parser.StartElementHandler = root_reached
    try:
        parser.Parse(data, True)
    except _PrologRead:
        return
    except pyexpat.ExpatError as exc:
        # A prolog expat cannot read never reaches feedparser's strict parser, and its loose
        # parser expands nothing: refuse only if the unreadable part declares entities.
        if b"<!ENTITY" in data[: parser.ErrorByteIndex + 1]:
            raise FeedParseError(url, f"refused: malformed entity declarations ({exc})") from exc


# One token from a "<": a CDATA section or comment opener (skipped with find, so an unclosed one
# costs one scan), a declaration or processing instruction, or a start/end/empty-element tag. No
# alternative can run past the next "<" (XML forbids it in attribute values), so a scan of the
# whole document stays linear even on hostile input.
_TOKEN = re.compile(
    rb"<(?:(!\[CDATA\[|!--)|[?!][^<>]*>"
    rb"|(/?)([A-Za-z_:][-\w.:]*)(?:[^<>\"']|\"[^\"<]*\"|'[^'<]*')*?(/?)>)"
)
_SECTION_END = {b"![CDATA[": b"]]>", b"!--": b"-->"}
_VOID_HTML = {b"br", b"hr", b"img", b"wbr", b"area", b"col", b"embed", b"input", b"param"}


def _refuse_deep_nesting(data: bytes, url: str) -> None:
    """Refuse documents nested deeper than MAX_DEPTH, counting tags the way a lax parser would.

    Checked on bytes before feedparser, whose cost grows with depth, and so do HTML parsers'.
    """
    if data.count(b"<") <= MAX_DEPTH:
        return
    depth = pos = 0
    while token := _TOKEN.search(data, pos):
        pos = token.end()
        section, closing, name, empty = token.groups()
        if section:
            pos = data.find(_SECTION_END[section], pos) + 3
            if pos == 2:
                return  # unclosed to the end: nothing more to count
        elif name is None or empty:
            continue
        elif closing:
            depth = max(depth - 1, 0)
        elif name.lower() not in _VOID_HTML:
            depth += 1
            if depth > MAX_DEPTH:
                raise FeedParseError(url, f"refused: elements nested deeper than {MAX_DEPTH}")
