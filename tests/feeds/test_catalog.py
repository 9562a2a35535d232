"""feeds.yml: the shipped file, defaults, and every error naming its file, line and field."""

import hashlib
import io
import re
from datetime import timedelta
from pathlib import Path

import pytest

from service.feeds import catalog
from service.feeds.catalog import (
    MAX_FILE_BYTES,
    CatalogError,
    CatalogReadError,
    CountryPair,
    check_catalog_file,
    load_catalog,
    parse_catalog,
    parse_duration,
)
from tests.paths import REPO_DIR, SAMPLES_DIR

SHIPPED = REPO_DIR / "feeds.yml"


def yaml_doc(*lines: str) -> str:
    """One argument per line, so line N of the file is argument N."""
    return "\n".join(lines) + "\n"


def problems_in(text: str | bytes) -> list[tuple[int | None, str, str]]:
    with pytest.raises(CatalogError) as caught:
        parse_catalog(text, source="feeds.yml")
    return [(p.line, p.field, p.message) for p in caught.value.problems]


def only_problem(text: str | bytes) -> tuple[int | None, str, str]:
    found = problems_in(text)
    assert len(found) == 1, found
    return found[0]


HEADER = (
    "version: 1",  # 1
    "defaults:",  # 2
    "  kind: government",  # 3
    "  language: en",  # 4
    "feeds:",  # 5
)


def known_feeds() -> dict[str, str]:
    """url -> confidence, from the table in KNOWN-FEEDS.md."""
    rows = (SAMPLES_DIR / "KNOWN-FEEDS.md").read_text(encoding="utf-8").splitlines()
    cells = [[cell.strip() for cell in row.strip("|").split("|")] for row in rows]
    return {row[1]: row[3] for row in cells if len(row) >= 4 and row[1].startswith("http")}


# --- the shipped file ---------------------------------------------------------------------


def test_shipped_feeds_yml_loads() -> None:
    shipped = load_catalog(SHIPPED)

    assert shipped.version == 1
    assert shipped.pairs == (CountryPair("US", "JP"),)
    assert {feed.country for feed in shipped.feeds} == {"US", "JP"}
    assert len(shipped.enabled_feeds) >= 10


def test_shipped_feed_urls_are_exactly_the_known_feeds() -> None:
    known = known_feeds()
    assert len(known) == 13  # the table parsed

    assert {feed.url for feed in load_catalog(SHIPPED).feeds} == set(known)


def test_shipped_low_confidence_feeds_are_disabled() -> None:
    low = {url for url, confidence in known_feeds().items() if confidence == "low"}

    disabled = {feed.url for feed in load_catalog(SHIPPED).feeds if not feed.enabled}

    assert low and disabled == low


def test_check_accepts_the_shipped_file() -> None:
    out = io.StringIO()

    assert check_catalog_file(SHIPPED, out) == 0
    shipped = load_catalog(SHIPPED)
    expected = f"{len(shipped.feeds)} feeds ({len(shipped.enabled_feeds)} enabled), pairs US-JP"
    assert out.getvalue() == f"{SHIPPED}: OK — {expected}\n"


# --- valid files --------------------------------------------------------------------------


def test_feeds_inherit_defaults_and_override_them() -> None:
    text = yaml_doc(
        "version: 1",
        "defaults:",
        "  kind: think_tank",
        "  language: ja",
        "  poll_interval: 2h",
        "  enabled: false",
        "feeds:",
        "  - id: inherits",
        "    name: Inherits",
        "    url: https://a.example/feed",
        "    country: JP",
        "  - id: overrides",
        "    name: Overrides",
        "    url: https://b.example/feed",
        "    country: US",
        "    kind: news",
        "    language: en",
        "    poll_interval: PT15M",
        "    enabled: true",
        "    tags: [trade, export-controls]",
    )

    inherits, overrides = parse_catalog(text, source="feeds.yml").feeds

    assert (inherits.kind, inherits.language, inherits.poll_interval, inherits.enabled) == (
        "think_tank",
        "ja",
        timedelta(hours=2),
        False,
    )
    assert inherits.tags == ()
    assert (overrides.kind, overrides.language, overrides.poll_interval, overrides.enabled) == (
        "news",
        "en",
        timedelta(minutes=15),
        True,
    )
    assert overrides.tags == ("trade", "export-controls")


def test_without_defaults_a_feed_is_enabled_and_has_no_interval() -> None:
    text = yaml_doc(
        "version: 1",
        "feeds:",
        "  - {id: a, name: A, url: 'https://a.example/', country: US, kind: news, language: en}",
    )

    loaded = parse_catalog(text, source="feeds.yml")

    assert loaded.pairs == (CountryPair("US", "JP"),)
    assert loaded.feeds[0].enabled is True
    assert loaded.feeds[0].poll_interval is None


def test_load_records_source_and_sha256_of_the_bytes(tmp_path: Path) -> None:
    path = tmp_path / "feeds.yml"
    path.write_bytes(yaml_doc("version: 1", "pairs: [US-JP, US-KR]", "feeds: []").encode())

    loaded = load_catalog(path)

    assert loaded.source == str(path)
    assert loaded.digest == hashlib.sha256(path.read_bytes()).hexdigest()
    assert [str(pair) for pair in loaded.pairs] == ["US-JP", "US-KR"]


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        (90, timedelta(seconds=90)),
        ("900", timedelta(minutes=15)),
        ("15m", timedelta(minutes=15)),
        ("1h", timedelta(hours=1)),
        ("1h30m", timedelta(minutes=90)),
        ("1d", timedelta(days=1)),
        ("PT30M", timedelta(minutes=30)),
        ("P1DT2H", timedelta(hours=26)),
        (timedelta(hours=3), timedelta(hours=3)),
    ],
)
def test_parse_duration_reads(written: object, expected: timedelta) -> None:
    assert parse_duration(written) == expected


@pytest.mark.parametrize("written", ["", "P", "PT", "1.5h", "-5m", "1w", -5, True, None, [1]])
def test_parse_duration_refuses(written: object) -> None:
    with pytest.raises(ValueError, match="duration"):
        parse_duration(written)


# --- each error names its line and field ---------------------------------------------------


def test_wrong_type_names_the_value_line() -> None:
    text = yaml_doc(
        *HEADER,
        "  - id: a",  # 6
        "    name: 123",  # 7
        "    url: https://a.example/",
        "    country: US",
    )

    assert only_problem(text) == (
        7,
        "feeds[0].name",
        'must be text, got the number 123; YAML reads 123 that way, so write "123" in quotes',
    )


def test_unquoted_no_is_a_boolean_not_norway() -> None:
    text = yaml_doc(
        *HEADER,
        "  - id: a",
        "    name: A",
        "    url: https://a.example/",
        "    country: NO",  # 9
    )

    line, field, message = only_problem(text)

    assert (line, field) == (9, "feeds[0].country")
    assert 'write "NO" in quotes' in message


def test_unknown_key_with_a_typo_is_named_at_its_line() -> None:
    text = yaml_doc(
        *HEADER,
        "  - id: a",  # 6
        "    name: A",
        "    urll: https://a.example/",  # 8
        "    country: US",
    )

    assert problems_in(text) == [
        (6, "feeds[0].url", "is required but missing"),
        (8, "feeds[0].urll", "unknown key 'urll'; did you mean 'url'?"),
    ]


def test_unknown_top_level_key_is_an_error() -> None:
    text = yaml_doc("version: 1", "feeds: []", "defualts:", "  kind: news")

    assert only_problem(text) == (3, "defualts", "unknown key 'defualts'; did you mean 'defaults'?")


def test_missing_url_is_reported_at_the_feed() -> None:
    text = yaml_doc(
        *HEADER,
        "  - id: a",
        "    name: A",
        "    country: US",
        "  - id: b",  # 9
        "    name: B",
        "    country: US",
    )

    assert problems_in(text) == [
        (6, "feeds[0].url", "is required but missing"),
        (9, "feeds[1].url", "is required but missing"),
    ]


def test_bad_url_scheme_is_named_with_line_and_column() -> None:
    text = yaml_doc(
        *HEADER,
        "  - id: a",
        "    name: A",
        "    url: ftp://a.example/feed",  # 8
        "    country: US",
    )

    with pytest.raises(CatalogError) as caught:
        parse_catalog(text, source="feeds.yml")

    assert str(caught.value) == "feeds.yml:8:10: feeds[0].url: must be an http or https URL"


def test_duplicate_id_points_at_the_second_and_names_the_first() -> None:
    text = yaml_doc(
        *HEADER,
        "  - id: same",  # 6
        "    name: A",
        "    url: https://a.example/",
        "    country: US",
        "  - id: same",  # 10
        "    name: B",
        "    url: https://b.example/",
        "    country: US",
    )

    assert only_problem(text) == (10, "feeds[1].id", "repeats the id of feeds[0] on line 6")


def test_duplicate_url_ignores_host_case_and_fragment() -> None:
    text = yaml_doc(
        *HEADER,
        "  - id: a",
        "    name: A",
        "    url: https://a.example/feed",  # 8
        "    country: US",
        "  - id: b",
        "    name: B",
        "    url: HTTPS://A.Example/feed#top",  # 12
        "    country: US",
    )

    assert only_problem(text) == (12, "feeds[1].url", "repeats the url of feeds[0] on line 8")


def test_duplicate_yaml_key_is_an_error() -> None:
    text = yaml_doc(
        *HEADER,
        "  - id: a",
        "    name: A",
        "    url: https://a.example/",  # 8
        "    country: US",
        "    url: https://b.example/",  # 10
    )

    assert only_problem(text) == (10, "feeds[0].url", "duplicate key 'url'; first given on line 8")


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("1m", "must be between 5m and 1d, got 1m"),
        ("2d", "must be between 5m and 1d, got 2d"),
        ("90", "must be between 5m and 1d, got 1m30s"),
        ("90", "(bare numbers are seconds: write 90m for minutes)"),
        ("soon", 'must be a duration like "15m"'),
    ],
)
def test_poll_interval_out_of_bounds(written: str, message: str) -> None:
    text = yaml_doc(
        *HEADER,
        "  - id: a",
        "    name: A",
        "    url: https://a.example/",
        "    country: US",
        f"    poll_interval: {written}",  # 10
    )

    line, field, found = only_problem(text)

    assert (line, field) == (10, "feeds[0].poll_interval")
    assert message in found


def test_default_poll_interval_is_bounded_too() -> None:
    text = yaml_doc("version: 1", "defaults:", "  poll_interval: 30s", "feeds: []")

    assert only_problem(text) == (
        3,
        "defaults.poll_interval",
        "must be between 5m and 1d, got 30s",
    )


def test_bad_pairs() -> None:
    text = yaml_doc(
        "version: 1",
        "pairs:",
        "  - US-JP",  # 3
        "  - US-US",  # 4
        "  - JP-US",  # 5
        "  - usa-jp",  # 6
        "feeds: []",
    )

    assert problems_in(text) == [
        (4, "pairs[1]", "must name two different countries, got US-US"),
        (5, "pairs[2]", "repeats the pair of pairs[0] on line 3"),
        (6, "pairs[3]", "must be two upper-case country codes like US-JP, got 'usa-jp'"),
    ]


def test_kind_must_come_from_the_feed_or_defaults() -> None:
    text = yaml_doc(
        "version: 1",
        "defaults:",
        "  language: en",
        "feeds:",
        "  - id: a",  # 5
        "    name: A",
        "    url: https://a.example/",
        "    country: US",
    )

    assert only_problem(text) == (5, "feeds[0].kind", "is required here or in defaults.kind")


def test_unsupported_version() -> None:
    assert only_problem(yaml_doc("feeds: []", "version: 2")) == (
        2,
        "version",
        "unsupported version 2; this service reads version 1",
    )


def test_yaml_syntax_error_has_its_line() -> None:
    text = yaml_doc(
        "version: 1",
        "feeds:",
        "  - id: a",
        "   name: A",  # 4: one space short
    )

    line, field, message = only_problem(text)

    assert (line, field) == (4, "")
    assert message.startswith("YAML syntax error: ")


def test_tab_indentation_has_its_line() -> None:
    line, _, message = only_problem(yaml_doc("version: 1", "feeds:", "\t- id: a"))

    assert line == 3
    assert "'\\t'" in message


def test_control_character_has_its_line() -> None:
    text = yaml_doc("version: 1", "feeds: []", "# bell \x07")

    assert only_problem(text) == (3, "", "character U+0007 is not allowed in YAML")


def test_deep_nesting_is_refused() -> None:
    text = yaml_doc("version: 1", "feeds: " + "[" * 100 + "]" * 100)

    assert only_problem(text) == (2, "", "YAML syntax error: nested deeper than 16 levels")


def test_aliases_are_refused_at_the_alias() -> None:
    text = yaml_doc(
        *HEADER,
        "  - id: a",
        "    name: A",
        "    url: https://a.example/",
        "    country: US",
        "    tags: &common [trade]",
        "  - id: b",
        "    name: B",
        "    url: https://b.example/",
        "    country: US",
        "    tags: *common",  # 15
    )

    assert only_problem(text) == (
        15,
        "feeds[1].tags",
        "YAML aliases (*name) are not supported; write the value out",
    )


def test_python_tags_are_refused() -> None:
    line, field, message = only_problem(yaml_doc("version: !!python/object:os.system 1", "feeds: []"))

    assert (line, field) == (1, "version")
    assert "is not supported" in message


def test_empty_file() -> None:
    assert only_problem("") == (1, "", "file is empty; it needs at least version and feeds")
    assert only_problem("# only a comment\n")[0] == 1


def test_top_level_must_be_a_mapping() -> None:
    assert only_problem("- a\n- b\n") == (1, "", "must be a mapping of keys to values, got a list")


def test_file_not_found() -> None:
    missing = Path("/nonexistent/feeds.yml")

    with pytest.raises(CatalogReadError) as caught:
        load_catalog(missing)

    problem = caught.value.problems[0]
    assert (problem.line, problem.field) == (None, "")
    assert str(caught.value) == "/nonexistent/feeds.yml: cannot read the file: No such file or directory"


def test_invalid_utf8_has_its_line() -> None:
    assert only_problem(b"version: 1\nfeeds: []\n# caf\xe9\n") == (3, "", "is not valid UTF-8 text")


def test_oversized_file_is_refused_before_parsing() -> None:
    text = b"#" * (MAX_FILE_BYTES + 1)

    assert only_problem(text) == (None, "", "file is larger than 4 MiB")


def test_too_many_feeds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(catalog, "MAX_FEEDS", 1)
    text = yaml_doc(
        *HEADER,  # feeds: on line 5
        "  - {id: a, name: A, url: 'https://a.example/', country: US}",
        "  - {id: b, name: B, url: 'https://b.example/', country: US}",
    )

    assert only_problem(text) == (6, "feeds", "lists 2 feeds; the limit is 1")


def test_several_problems_are_reported_at_once_in_line_order() -> None:
    text = yaml_doc(
        "version: 1",
        "pairs: [US-US]",  # 2
        "defaults:",
        "  kind: government",
        "  language: en",
        "feeds:",
        "  - id: Bad_Id",  # 7
        "    name: A",
        "    url: https://a.example/",
        "    country: us",  # 10
        "  - id: b",
        "    name: B",
        "    url: mailto:b@example.org",  # 13
        "    country: JP",
        "    enabled: 'yes'",  # 15
        "    kind: agency",  # 16
    )

    assert [(line, field) for line, field, _ in problems_in(text)] == [
        (2, "pairs[0]"),
        (7, "feeds[0].id"),
        (10, "feeds[0].country"),
        (13, "feeds[1].url"),
        (15, "feeds[1].enabled"),
        (16, "feeds[1].kind"),
    ]


# --- the `alignwatch feeds check` hook -----------------------------------------------------


def test_check_prints_ok_with_counts(tmp_path: Path) -> None:
    path = tmp_path / "feeds.yml"
    path.write_text(
        yaml_doc(
            *HEADER,
            "  - {id: a, name: A, url: 'https://a.example/', country: US}",
            "  - {id: b, name: B, url: 'https://b.example/', country: JP, enabled: false}",
        ),
        encoding="utf-8",
    )
    out = io.StringIO()

    assert check_catalog_file(path, out) == 0
    assert out.getvalue() == f"{path}: OK — 2 feeds (1 enabled), pairs US-JP\n"


def test_check_prints_each_problem_and_exits_1(tmp_path: Path) -> None:
    path = tmp_path / "feeds.yml"
    path.write_text(yaml_doc("version: 1", "pairs: [US-US]", "feeds: 3"), encoding="utf-8")
    out = io.StringIO()

    assert check_catalog_file(path, out) == 1
    assert out.getvalue().splitlines() == [
        f"{path}:2:9: pairs[0]: must name two different countries, got US-US",
        f"{path}:3:8: feeds: must be a list, got the number 3",
    ]


def test_check_exits_2_when_the_file_cannot_be_read(tmp_path: Path) -> None:
    out = io.StringIO()

    assert check_catalog_file(tmp_path / "missing.yml", out) == 2
    assert check_catalog_file(tmp_path, out) == 2  # a directory
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    assert all(re.match(rf"{re.escape(str(tmp_path))}\S*: cannot read the file: ", line) for line in lines)
