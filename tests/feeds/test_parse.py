"""Tests for service.feeds.parse: golden files for the shared samples, then one test per hazard.

Golden files (lemon24/reader, miniflux/v2 style) live in tests/feeds/golden/<sample>.json: the
feed URL and Content-Type the sample is parsed with, and the expected result, reviewed by hand
against the sample and its README. ALIGNWATCH_REGEN_GOLDEN=1 rewrites the expected part from the
parser's output; review the diff before committing it.
"""

import json
import os
import pickle
import time
import tracemalloc
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from service.feeds.parse import MAX_SUMMARY_CHARS, FeedParseError, ParsedFeed, parse_feed
from tests.paths import SAMPLES_DIR

GOLDEN_DIR = Path(__file__).parent / "golden"
REGEN = os.environ.get("ALIGNWATCH_REGEN_GOLDEN") == "1"
SAMPLES = sorted(p.name for p in SAMPLES_DIR.iterdir() if p.suffix != ".md")
URL = "https://www.example.gov/feeds/news.xml"


def iso(when: datetime | None) -> str | None:
    return when.isoformat() if when else None


def as_golden(feed: ParsedFeed) -> dict[str, Any]:
    return {
        "title": feed.title,
        "link": feed.link,
        "language": feed.language,
        "ttl_minutes": feed.ttl // timedelta(minutes=1) if feed.ttl else None,
        # Only the exception type: expat's line and column wording is not ours to pin.
        "bozo": feed.bozo_reason.split(":", 1)[0] if feed.bozo_reason else None,
        "entries": [
            {
                "guid": e.guid,
                "link": e.link,
                "title": e.title,
                "summary": e.summary,
                "published_at": iso(e.published_at),
                "updated_at": iso(e.updated_at),
                "language": e.language,
            }
            for e in feed.entries
        ],
    }


def rss(
    items: str, channel: str = "", prolog: str = '<?xml version="1.0" encoding="utf-8"?>'
) -> bytes:
    return (
        f'{prolog}\n<rss version="2.0"><channel><title>T</title>'
        "<link>https://www.example.gov/</link>"
        f"{channel}{items}</channel></rss>"
    ).encode()


# --- golden files ---------------------------------------------------------------------------


def test_every_sample_has_a_golden_file() -> None:
    assert SAMPLES, f"no samples in {SAMPLES_DIR}"
    golden = sorted(p.stem for p in GOLDEN_DIR.glob("*.json"))
    assert golden == SAMPLES


@pytest.mark.parametrize("sample", SAMPLES)
def test_sample_matches_golden_file(sample: str) -> None:
    path = GOLDEN_DIR / f"{sample}.json"
    golden = json.loads(path.read_text(encoding="utf-8"))
    body = (SAMPLES_DIR / sample).read_bytes()
    parsed = as_golden(parse_feed(body, url=golden["url"], content_type=golden["content_type"]))
    if REGEN:
        golden["expected"] = parsed
        path.write_text(json.dumps(golden, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    assert parsed == golden["expected"]


# --- the samples' quirks, spelled out -------------------------------------------------------


def sample(name: str, url: str = URL, content_type: str | None = None) -> ParsedFeed:
    return parse_feed((SAMPLES_DIR / name).read_bytes(), url=url, content_type=content_type)


def test_shift_jis_titles_survive_a_server_default_charset() -> None:
    feed = sample("jp-mofa-press-sjis.rdf", content_type="text/html; charset=ISO-8859-1")
    titles = [e.title for e in feed.entries]
    # Declared Shift_JIS: 〜 is U+301C WAVE DASH (CP932 would give U+FF5E), ２＋２ stays full-width.
    assert "Ｇ７貿易大臣会合の開催\u301c経済的威圧と過剰生産への対応\u301c" in titles
    assert "日米経済政策協議委員会（経済版「２＋２」）閣僚会合の開催" in titles
    assert feed.title == "外務省 報道発表"


def test_duplicate_guid_in_one_document_is_returned_once() -> None:
    guids = [e.guid for e in sample("jp-mofa-press-sjis.rdf").entries]
    assert len(guids) == len(set(guids)) == 5


def test_root_relative_rdf_about_resolves_against_the_feed_url() -> None:
    feed = sample("jp-meti-news.rdf", url="https://www.meti.go.jp/english/rss/news.rdf")
    expected = "https://www.meti.go.jp/english/press/2026/1006_003.html"
    assert [(e.guid, e.link) for e in feed.entries if "1006_003" in (e.link or "")] == [
        (expected, expected)
    ]


def test_bare_date_is_midnight_in_the_feeds_own_offset() -> None:
    feed = sample("jp-meti-news.rdf")
    bare = next(e for e in feed.entries if e.title.startswith("Results of the Japan-U.S."))
    assert bare.published_at == datetime(2026, 10, 5, 15, 0, tzinfo=UTC)  # 2026-10-06T00:00+09:00


def test_broken_feed_still_yields_its_five_entries() -> None:
    feed = sample("broken-feed.xml", url="https://ustr.gov/rss.xml")
    assert len(feed.entries) == 5
    assert feed.bozo_reason and feed.bozo_reason.startswith("SAXParseException")
    assert feed.entries[1].title.startswith("United States & Japan Conclude")
    last = feed.entries[-1]
    assert (last.guid, last.published_at) == (None, None)


# --- refusals -------------------------------------------------------------------------------

BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY lol0 "lol">\n'
    + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">\n' for i in range(1, 10))
    + ']>\n<rss version="2.0"><channel><title>&lol9;</title>'
    "<item><title>&lol9;</title><guid>a</guid></item></channel></rss>"
).encode()


def test_entity_expansion_bomb_is_refused_quickly() -> None:
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(FeedParseError, match="could expand without bound"):
            parse_feed(BILLION_LAUGHS, url=URL)
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert elapsed < 0.5
    assert peak < 5_000_000


def test_entity_bomb_on_one_line_is_refused_too() -> None:
    # feedparser's own DOCTYPE scrubbing only sees declarations that start a line.
    with pytest.raises(FeedParseError):
        parse_feed(BILLION_LAUGHS.replace(b"\n", b""), url=URL)


def test_quadratic_blowup_entity_is_refused() -> None:
    body = rss(
        "<item><title>" + "&big;" * 1000 + "</title></item>",
        prolog='<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY big "' + "x" * 100_000 + '">\n]>',
    )
    with pytest.raises(FeedParseError, match="'big'"):
        parse_feed(body, url=URL)


@pytest.mark.parametrize(
    "declaration",
    [
        '<!ENTITY xxe SYSTEM "file:///etc/passwd">',
        '<!ENTITY xxe PUBLIC "-//X//EN" "http://127.0.0.1/secret">',
        '<!ENTITY % xxe SYSTEM "file:///etc/passwd"> %xxe;',
    ],
)
def test_external_entity_is_refused(declaration: str) -> None:
    body = rss(
        "<item><title>&xxe;</title><guid>a</guid></item>",
        prolog=f'<?xml version="1.0"?>\n<!DOCTYPE rss [\n{declaration}\n]>',
    )
    with pytest.raises(FeedParseError, match="external or parameter entity 'xxe'") as refused:
        parse_feed(body, url=URL)
    assert refused.value.url == URL


def test_short_character_entity_declarations_are_accepted() -> None:
    body = rss(
        "<item><title>Export&nbsp;Controls &amp; &org;</title><guid>a</guid></item>",
        prolog='<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY nbsp "&#160;">\n'
        '<!ENTITY org "BIS">\n]>',
    )
    feed = parse_feed(body, url=URL)
    assert [e.title for e in feed.entries] == ["Export Controls & BIS"]
    assert feed.bozo_reason is None


def test_absurd_nesting_is_refused() -> None:
    body = rss("<item><title>t</title>" + "<x>" * 100_000 + "</x>" * 100_000 + "</item>")
    started = time.perf_counter()
    with pytest.raises(FeedParseError, match="nested deeper"):
        parse_feed(body, url=URL)
    assert time.perf_counter() - started < 1.0


def test_unclosed_nesting_is_refused() -> None:
    with pytest.raises(FeedParseError, match="nested deeper"):
        parse_feed(rss("<item><title>t</title>" + "<x>" * 100_000), url=URL)


def test_nesting_behind_unclosed_quotes_and_cdata_is_still_found_quickly() -> None:
    # Each unclosed quote or CDATA section must not send the depth check scanning to the end.
    hostile = '<a href="x' * 20_000 + "<![CDATA[" + "<x>" * 1_000
    started = time.perf_counter()
    with pytest.raises(FeedParseError, match="nested deeper"):
        parse_feed(rss("<item><title>t</title>" + '<a href="x' * 20_000 + "<x>" * 1_000), url=URL)
    with pytest.raises(FeedParseError, match="not a feed"):
        parse_feed(hostile.encode(), url=URL)  # the <x>s sit inside an unclosed CDATA section
    assert time.perf_counter() - started < 2.0


def test_ordinary_xhtml_nesting_and_many_void_tags_are_accepted() -> None:
    xhtml = "<div>" * 30 + "deep text" + "</div>" * 30
    body = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><id>t</id>'
        '<entry><id>e1</id><title>One</title><content type="xhtml">'
        f'<div xmlns="http://www.w3.org/1999/xhtml">{xhtml}{"a<br>b " * 400}</div>'
        "</content></entry></feed>"
    ).encode()
    feed = parse_feed(body, url=URL)
    assert feed.entries[0].summary.startswith("deep text")


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (
            b"<!DOCTYPE html><html><head><title>Press Releases</title></head>"
            b"<body><h1>Press Releases</h1><p>Moved.</p></body></html>",
            "text/html; charset=utf-8",
        ),
        (b'<?xml version="1.0"?><urlset><url><loc>https://x.example/</loc></url></urlset>', None),
        (b"Service Unavailable", "text/plain"),
        (b"   \n", None),
    ],
    ids=["html-page", "sitemap", "plain-text", "blank"],
)
def test_document_that_is_not_a_feed_is_refused(body: bytes, content_type: str | None) -> None:
    with pytest.raises(FeedParseError, match="not a feed"):
        parse_feed(body, url=URL, content_type=content_type)


def test_body_naming_a_local_file_is_parsed_as_bytes_not_opened(tmp_path: Path) -> None:
    # Handed bare bytes, feedparser would open them as a path; we must parse them as they are.
    local = tmp_path / "feed.xml"
    local.write_bytes(rss("<item><title>secret</title><guid>a</guid></item>"))
    with pytest.raises(FeedParseError, match="not a feed"):
        parse_feed(str(local).encode(), url=URL)


def test_refusal_pickles_for_a_process_pool() -> None:
    error = pickle.loads(pickle.dumps(FeedParseError(URL, "not a feed: html page")))
    assert (error.url, error.reason) == (URL, "not a feed: html page")
    assert str(error) == f"not a feed: html page ({URL})"


# --- formats and encodings ------------------------------------------------------------------


def test_rss_091_with_netscape_doctype_and_latin1() -> None:
    body = (
        b'<?xml version="1.0" encoding="ISO-8859-1"?>\n'
        b'<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
        b'"http://my.netscape.com/publish/formats/rss-0.91.dtd">\n'
        b'<rss version="0.91"><channel><title>Caf\xe9 News</title>'
        b"<link>https://www.example.gov/</link>"
        b"<description>d</description><language>en-us</language>"
        b"<item><title>Na\xefve tariffs</title><link>/news/1</link>"
        b"<description>Steel &amp;amp; aluminium</description></item></channel></rss>"
    )
    feed = parse_feed(body, url=URL, content_type="text/xml")
    assert (feed.title, feed.language) == ("Café News", "en")
    [entry] = feed.entries
    assert (entry.guid, entry.link, entry.title) == (
        None,
        "https://www.example.gov/news/1",
        "Naïve tariffs",
    )
    assert entry.summary == "Steel & aluminium"


def test_feed_without_guids_keeps_distinct_items_and_drops_exact_repeats() -> None:
    item = "<item><title>{0}</title><link>https://www.example.gov/{1}</link></item>"
    body = rss(
        item.format("A", 1) + item.format("B", 2) + item.format("A", 1) + item.format("C", 1)
    )
    entries = parse_feed(body, url=URL).entries
    assert [(e.guid, e.title, e.link) for e in entries] == [
        (None, "A", "https://www.example.gov/1"),
        (None, "B", "https://www.example.gov/2"),
        (None, "C", "https://www.example.gov/1"),
    ]


@pytest.mark.parametrize(
    ("ttl", "expected"),
    [
        ("60", timedelta(hours=1)),
        (" 1440 ", timedelta(days=1)),
        ("0", None),
        ("-5", None),
        ("1h", None),
        ("100000", None),
    ],
)
def test_ttl(ttl: str, expected: timedelta | None) -> None:
    feed = parse_feed(rss("<item><title>a</title></item>", channel=f"<ttl>{ttl}</ttl>"), url=URL)
    assert feed.ttl == expected


def test_invalid_utf8_bytes_still_yield_entries_with_the_rest_intact() -> None:
    body = rss(
        "<item><title>日米 {bad} 協議</title><guid isPermaLink='false'>g1</guid></item>"
        "<item><title>経済安全保障</title><guid isPermaLink='false'>g2</guid></item>"
    ).replace(b"{bad}", b"\xff\xfe")
    feed = parse_feed(body, url=URL, content_type="application/rss+xml; charset=utf-8")
    assert [(e.guid, e.title) for e in feed.entries] == [
        ("g1", "日米 \ufffd\ufffd 協議"),
        ("g2", "経済安全保障"),
    ]
    assert feed.bozo_reason == "invalid utf-8 byte sequences replaced"


def test_cp932_only_characters_do_not_garble_a_shift_jis_feed() -> None:
    body = (
        '<?xml version="1.0" encoding="Shift_JIS"?>'
        '<rss version="2.0"><channel><title>外務省</title>'
        "<item><title>①髙橋大臣会見〜要旨〜</title></item></channel></rss>"
    ).encode("cp932")
    [entry] = parse_feed(body, url=URL).entries
    assert entry.title == "①髙橋大臣会見\u301c要旨\u301c"  # wave dash as plain Shift_JIS reads it


def test_utf16_with_bom() -> None:
    body = rss(
        "<item><title>経済安全保障</title></item>", prolog='<?xml version="1.0" encoding="utf-16"?>'
    )
    feed = parse_feed(body.decode().encode("utf-16"), url=URL)
    assert [e.title for e in feed.entries] == ["経済安全保障"]


# --- text and dates -------------------------------------------------------------------------


def test_text_is_cleaned_but_not_normalised() -> None:
    body = rss(
        "<item><title>Japan&amp;rsquo;s\tＧ７ and ２＋２ &#x7;review</title>"
        "<description>&lt;p&gt;WASHINGTON &amp;ndash; BIS&amp;amp;#39;s&amp;nbsp;rule&lt;/p&gt;"
        "&lt;script&gt;track()&lt;/script&gt;"
        "&lt;p&gt;See the &lt;a href='/x'&gt;EAR page&lt;/a&gt;."
        "&lt;/p&gt;&lt;p&gt;外務省\u3000報道発表&lt;/p&gt;</description></item>"
    )
    [entry] = parse_feed(body, url=URL).entries
    assert entry.title == "Japan’s Ｇ７ and ２＋２ review"
    assert entry.summary == "WASHINGTON – BIS's rule See the EAR page. 外務省\u3000報道発表"


def test_summary_is_bounded_and_falls_back_to_content() -> None:
    body = rss(
        "<item><title>long</title><description>" + "word " * 5000 + "</description></item>"
        '<item><title>content only</title><content:encoded xmlns:content="http://purl.org/rss/1.0/'
        'modules/content/"><![CDATA[<p>Full <b>text</b>.</p>]]></content:encoded></item>'
    )
    long, content_only = parse_feed(body, url=URL).entries
    assert len(long.summary) <= MAX_SUMMARY_CHARS and long.summary.endswith("word…")
    assert content_only.summary == "Full text."


@pytest.mark.parametrize(
    ("dates", "expected"),
    [
        (["Thu, 08 Oct 2026 04:00:00 GMT"], "2026-10-08T04:00:00+00:00"),
        (["Thu, 08 Oct 2026 11:30:00 -0400"], "2026-10-08T15:30:00+00:00"),
        (["Thu, 08 Oct 2026 10:00:00 JST"], "2026-10-08T01:00:00+00:00"),
        (
            ["2026-10-06", "2026-10-09T17:00:00+09:00", "2026-10-08T14:30+09:00"],
            "2026-10-05T15:00:00+00:00",
        ),
        (["2026-10-06"], "2026-10-06T00:00:00+00:00"),
        (["2026/10/08 14:30", "Thu, 08 Oct 2026 10:00:00 +0900"], "2026-10-08T05:30:00+00:00"),
        (["Thu, 08 Oct 2026", "Thu, 08 Oct 2026 10:00:00 -0400"], "2026-10-08T04:00:00+00:00"),
        (["sometime last week"], None),
        (["Thu, 31 Feb 2026 10:00:00 GMT"], None),
    ],
)
def test_published_at_is_utc_and_bare_dates_take_the_feeds_offset(
    dates: list[str], expected: str | None
) -> None:
    items = "".join(
        f"<item><title>{i}</title><pubDate>{d}</pubDate></item>" for i, d in enumerate(dates)
    )
    first = parse_feed(rss(items), url=URL).entries[0]
    assert iso(first.published_at) == expected
    assert first.published_at is None or first.published_at.tzinfo is UTC


def test_language_is_the_primary_subtag_of_entry_or_feed_language() -> None:
    feed = sample("thinktank-atom.xml")
    assert {e.language for e in feed.entries} == {"en", "ja"}
    assert sample("us-bis-press.rss").entries[0].language == "en"  # <language>en-gb</language>


# --- concurrency ----------------------------------------------------------------------------


def test_parse_is_thread_safe() -> None:
    bodies = [(SAMPLES_DIR / name).read_bytes() for name in SAMPLES]
    serial = [parse_feed(body, url=URL) for body in bodies]
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda body: parse_feed(body, url=URL), bodies * 20))
    assert results == serial * 20
    assert pickle.loads(pickle.dumps(serial)) == serial
