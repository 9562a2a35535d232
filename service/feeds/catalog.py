"""The feeds.yml schema: which feeds to poll, how often, for which country pairs.

Operators edit the file by hand, so unknown keys, duplicates and wrong types are errors, and
every problem is reported at once with its file, line and field (catalog_check.py reads the
YAML). Only load_catalog and check_catalog_file do I/O. See docs/feeds-yml.md.
"""

import hashlib
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Literal, TextIO
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainValidator, ValidationError

from service.feeds.catalog_check import (
    CatalogError,
    CatalogProblem,
    CatalogReadError,
    LocatedYaml,
    YamlPath,
    compose,
    describe,
)

__all__ = [
    "MAX_FEEDS",
    "MAX_FILE_BYTES",
    "POLL_INTERVAL_MAX",
    "POLL_INTERVAL_MIN",
    "Catalog",
    "CatalogError",
    "CatalogProblem",
    "CatalogReadError",
    "CountryPair",
    "FeedKind",
    "FeedSpec",
    "check_catalog_file",
    "format_duration",
    "load_catalog",
    "parse_catalog",
    "parse_duration",
]

POLL_INTERVAL_MIN = timedelta(minutes=5)
POLL_INTERVAL_MAX = timedelta(days=1)
MAX_FILE_BYTES = 4 * 1024 * 1024  # fits MAX_FEEDS entries of about 400 bytes
MAX_FEEDS = 10_000

FeedKind = Literal["government", "think_tank", "news"]

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_COUNTRY = re.compile(r"[A-Z]{2}")
_PAIR = re.compile(r"([A-Z]{2})-([A-Z]{2})")
_LANGUAGE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")
_SECONDS = re.compile(r"[0-9]{1,9}")
_COMPACT = re.compile(r"(?:[0-9]{1,9}[smhd])+")
_COMPACT_PART = re.compile(r"([0-9]+)([smhd])")
_ISO = re.compile(r"P(?:(\d{1,9})D)?(?:T(?=\d)(?:(\d{1,9})H)?(?:(\d{1,9})M)?(?:(\d{1,9})S)?)?", re.A)
_UNITS = {"d": 86400, "h": 3600, "m": 60, "s": 1}


def parse_duration(value: object) -> timedelta:
    """Read a duration: 90 (seconds), "15m", "1h30m", "1d" or ISO 8601 "PT30M".

    Bare numbers are seconds, as pydantic and most configuration files read them.
    Raises ValueError for anything else, including negative or non-finite values.
    """
    usage = 'must be a duration like "15m", "1h", "1d", "PT30M" or a number of seconds'
    seconds: float
    if isinstance(value, timedelta):
        seconds = value.total_seconds()
    elif isinstance(value, int | float) and not isinstance(value, bool):
        seconds = value
    elif isinstance(value, str) and _SECONDS.fullmatch(text := value.strip().lower()):
        seconds = int(text)
    elif isinstance(value, str) and _COMPACT.fullmatch(text):
        seconds = sum(int(number) * _UNITS[unit] for number, unit in _COMPACT_PART.findall(text))
    elif isinstance(value, str) and (iso := _ISO.fullmatch(text.upper())) and any(iso.groups()):
        days, hours, minutes, secs = (int(group or 0) for group in iso.groups())
        seconds = ((days * 24 + hours) * 60 + minutes) * 60 + secs
    else:
        raise ValueError(f"{usage}, got {describe(value)}")
    try:
        if not math.isfinite(seconds) or seconds < 0:
            raise ValueError(f"must be a finite duration of zero or more, got {describe(value)}")
        return timedelta(seconds=seconds)
    except OverflowError:
        raise ValueError(f"is far too long a duration: {describe(value)}") from None


def format_duration(interval: timedelta) -> str:
    """Write a duration as feeds.yml accepts it back: 1d, 1h30m, 90s."""
    seconds, parts = int(interval.total_seconds()), []
    for unit, size in _UNITS.items():
        if seconds >= size:
            parts.append(f"{seconds // size}{unit}")
            seconds %= size
    return "".join(parts) or "0s"


def _check_poll_interval(value: object) -> timedelta:
    interval = parse_duration(value)
    if POLL_INTERVAL_MIN <= interval <= POLL_INTERVAL_MAX:
        return interval
    bounds = f"{format_duration(POLL_INTERVAL_MIN)} and {format_duration(POLL_INTERVAL_MAX)}"
    hint = ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        hint = f" (bare numbers are seconds: write {value}m for minutes)"
    raise ValueError(f"must be between {bounds}, got {format_duration(interval)}{hint}")


def _check_slug(value: str) -> str:
    if len(value) <= 64 and _SLUG.fullmatch(value):
        return value
    raise ValueError(f"must be lower-case letters, digits and hyphens like us-trade, got {value!r}")


def _check_name(value: str) -> str:
    if not value.strip() or len(value) > 200:
        raise ValueError("must be a name of 1 to 200 characters")
    return value.strip()


def _check_url(value: str) -> str:
    if len(value) > 2048 or any(char.isspace() or ord(char) < 32 for char in value):
        raise ValueError("must be a URL of at most 2048 characters without spaces")
    try:
        parts = urlsplit(value)
        valid = parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:  # a malformed port or IPv6 address
        valid = False
    if not valid:
        raise ValueError("must be an http or https URL")
    if parts.username is not None or parts.password is not None:
        raise ValueError("must not contain a user name or password")
    return value


def _check_country(value: str) -> str:
    if _COUNTRY.fullmatch(value):
        return value
    hint = f" (write {value.upper()})" if _COUNTRY.fullmatch(value.upper()) else ""
    raise ValueError(f"must be an upper-case ISO 3166-1 alpha-2 code like US or JP{hint}")


def _check_language(value: str) -> str:
    if len(value) <= 35 and _LANGUAGE.fullmatch(value):
        return value
    raise ValueError(f"must be a BCP 47 language tag like en, ja or en-US, got {value!r}")


def _check_unique_tags(tags: list[str]) -> list[str]:
    if len(set(tags)) != len(tags):
        raise ValueError("lists the same tag twice")
    return tags


def _check_version(value: int) -> int:
    if value != 1:
        raise ValueError(f"unsupported version {value}; this service reads version 1")
    return value


@dataclass(frozen=True)
class CountryPair:
    """Two countries whose policies are compared, written "US-JP"."""

    a: str
    b: str

    def __post_init__(self) -> None:
        if not (_COUNTRY.fullmatch(self.a) and _COUNTRY.fullmatch(self.b)):
            raise ValueError(f"must be two upper-case country codes like US-JP, got {str(self)!r}")
        if self.a == self.b:
            raise ValueError(f"must name two different countries, got {self}")

    def __str__(self) -> str:
        return f"{self.a}-{self.b}"

    @classmethod
    def parse(cls, text: str) -> "CountryPair":
        """Read "US-JP"; raises ValueError naming the expected shape."""
        if not (match := _PAIR.fullmatch(text)):
            raise ValueError(f"must be two upper-case country codes like US-JP, got {text!r}")
        return cls(match[1], match[2])


def _check_pair(value: object) -> CountryPair:
    if isinstance(value, CountryPair):
        return value
    if not isinstance(value, str):
        raise ValueError(f"must be two country codes like US-JP, got {describe(value)}")
    return CountryPair.parse(value)


Slug = Annotated[str, AfterValidator(_check_slug)]
FeedName = Annotated[str, AfterValidator(_check_name)]
FeedUrl = Annotated[str, AfterValidator(_check_url)]
CountryCode = Annotated[str, AfterValidator(_check_country)]
LanguageTag = Annotated[str, AfterValidator(_check_language)]
PollInterval = Annotated[timedelta, PlainValidator(_check_poll_interval)]
Pair = Annotated[CountryPair, PlainValidator(_check_pair)]


class FeedSpec(BaseModel):
    """One feed as the service polls it, with the file's defaults applied."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Slug
    name: FeedName
    url: FeedUrl
    country: CountryCode
    kind: FeedKind
    language: LanguageTag
    poll_interval: PollInterval | None = None  # None: the scheduler's own default
    tags: tuple[Slug, ...] = ()
    enabled: bool = True


class Catalog(BaseModel):
    """A validated feeds.yml; digest lets the reloader skip an unchanged file."""

    model_config = ConfigDict(frozen=True)

    version: int
    pairs: tuple[CountryPair, ...]
    feeds: tuple[FeedSpec, ...]
    source: str  # the path it was read from
    digest: str  # sha256 hex of the file's bytes

    @property
    def enabled_feeds(self) -> tuple[FeedSpec, ...]:
        return tuple(feed for feed in self.feeds if feed.enabled)


class _FileModel(BaseModel):
    """The file as written: strict, so YAML's `NO` (a boolean) is not a country code."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class _Defaults(_FileModel):
    poll_interval: PollInterval | None = None
    language: LanguageTag | None = None
    kind: FeedKind | None = None
    enabled: bool = True


class _FeedEntry(_FileModel):
    id: Slug
    name: FeedName
    url: FeedUrl
    country: CountryCode
    kind: FeedKind | None = None
    language: LanguageTag | None = None
    poll_interval: PollInterval | None = None
    tags: Annotated[list[Slug], Field(max_length=50), AfterValidator(_check_unique_tags)] = []
    enabled: bool | None = None


class _Document(_FileModel):
    version: Annotated[int, AfterValidator(_check_version)]
    pairs: Annotated[list[Pair], Field(min_length=1)] = [CountryPair("US", "JP")]
    defaults: _Defaults = _Defaults()
    feeds: list[_FeedEntry]


def _known_keys(path: YamlPath) -> Sequence[str]:
    """Keys allowed in the mapping at path, for "did you mean" hints."""
    model: type[BaseModel] = _Document if not path else _Defaults if len(path) == 1 else _FeedEntry
    return list(model.model_fields)


def load_catalog(path: Path) -> Catalog:
    """Read and validate a feeds.yml file; raises CatalogError (CatalogReadError if unreadable).

    Blocking file I/O and parsing: call it through asyncio.to_thread from the event loop.
    """
    try:
        with path.open("rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        problem = CatalogProblem(None, None, "", f"cannot read the file: {exc.strerror or exc}")
        raise CatalogReadError(str(path), [problem]) from exc
    return parse_catalog(data, source=str(path))


def parse_catalog(text: str | bytes, *, source: str) -> Catalog:
    """Validate feeds.yml content (bytes must be UTF-8); source names the file in problems."""
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    if len(data) > MAX_FILE_BYTES:
        message = f"file is larger than {MAX_FILE_BYTES // 2**20} MiB"
        raise CatalogError(source, [CatalogProblem(None, None, "", message)])
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            problem = CatalogProblem(line, None, "", "is not valid UTF-8 text")
            raise CatalogError(source, [problem]) from exc
    root = compose(text, source)
    if root is None:
        message = "file is empty; it needs at least version and feeds"
        raise CatalogError(source, [CatalogProblem(1, 1, "", message)])
    located = LocatedYaml(_known_keys)
    raw = located.build(root)
    document: _Document | None = None
    try:
        document = _Document.model_validate(raw)
    except ValidationError as exc:
        for error in exc.errors():
            located.report_validation_error(error)
    _check_across_entries(raw, located)
    if located.problems or document is None:
        problems = sorted(set(located.problems), key=lambda p: (p.line or 0, p.column or 0))
        raise CatalogError(source, problems)
    return Catalog(
        version=document.version,
        pairs=tuple(document.pairs),
        feeds=tuple(_apply_defaults(entry, document.defaults) for entry in document.feeds),
        source=source,
        digest=hashlib.sha256(data).hexdigest(),
    )


def _check_across_entries(raw: object, located: LocatedYaml) -> None:
    """Unique ids, URLs and pairs, and kind/language given on the feed or in defaults."""
    if not isinstance(raw, Mapping):
        return
    pairs, feeds, defaults = raw.get("pairs"), raw.get("feeds"), raw.get("defaults")
    seen_pairs: dict[frozenset[str], int] = {}
    for index, text in enumerate(pairs if isinstance(pairs, list) else []):
        if isinstance(text, str) and len(countries := frozenset(text.split("-"))) == 2:
            located.check_unique(seen_pairs, countries, ("pairs", index), "pair")
    if not isinstance(feeds, list):
        return
    if len(feeds) > MAX_FEEDS:
        located.report(("feeds",), f"lists {len(feeds)} feeds; the limit is {MAX_FEEDS}")
        return
    inherited = defaults if isinstance(defaults, Mapping) else {}
    ids: dict[str, int] = {}
    urls: dict[str, int] = {}
    for index, entry in enumerate(feeds):
        if not isinstance(entry, Mapping):
            continue
        if isinstance(feed_id := entry.get("id"), str):
            located.check_unique(ids, feed_id, ("feeds", index, "id"), "id")
        if isinstance(url := entry.get("url"), str):
            located.check_unique(urls, _comparable_url(url), ("feeds", index, "url"), "url")
        for name in ("kind", "language"):
            if entry.get(name) is None and inherited.get(name) is None:
                located.report(("feeds", index, name), f"is required here or in defaults.{name}")


def _comparable_url(url: str) -> str:
    """The URL with scheme and host lower-cased and no fragment, to catch duplicates."""
    try:
        parts = urlsplit(url)
        parts = parts._replace(scheme=parts.scheme.lower(), netloc=parts.netloc.lower())
        return parts._replace(fragment="").geturl()
    except ValueError:
        return url


def _apply_defaults(entry: _FeedEntry, defaults: _Defaults) -> FeedSpec:
    kind = entry.kind or defaults.kind
    language = entry.language or defaults.language
    assert kind is not None and language is not None  # else _check_across_entries reported it
    return FeedSpec(
        id=entry.id,
        name=entry.name,
        url=entry.url,
        country=entry.country,
        kind=kind,
        language=language,
        poll_interval=defaults.poll_interval if entry.poll_interval is None else entry.poll_interval,
        tags=tuple(entry.tags),
        enabled=defaults.enabled if entry.enabled is None else entry.enabled,
    )


def check_catalog_file(path: Path, out: TextIO) -> int:
    """`alignwatch feeds check`: print OK and a summary, or every problem.

    Returns 0 when valid, 1 when invalid, 2 when the file cannot be read.
    """
    try:
        catalog = load_catalog(path)
    except CatalogError as exc:
        print(exc, file=out)
        return 2 if isinstance(exc, CatalogReadError) else 1
    count, enabled = len(catalog.feeds), len(catalog.enabled_feeds)
    pairs = ", ".join(str(pair) for pair in catalog.pairs)
    noun = "feed" if count == 1 else "feeds"
    print(f"{path}: OK — {count} {noun} ({enabled} enabled), pairs {pairs}", file=out)
    return 0
