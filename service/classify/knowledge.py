"""Load the classifier's shipped knowledge (countries, groups, lexicon, slots) into matchers.

The issue asks that nothing about the two countries be hard-coded in the engine: who
speaks for a state, its instruments and its language cues live in data/countries/*.yml,
keyed by ISO code, and the pair is configuration. Files are read once per process
(``load_knowledge`` is cached); everything after that is pure.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml

from service.classify.text import PhraseMatcher, normalise

DATA_DIR = Path(__file__).resolve().parent / "data"
FEED_CACHE_LIMIT = 10_000  # distinct feed names remembered: feeds are few, items many

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def remembered(cache: dict[K, V], key: K, compute: Callable[..., V], *args: Any) -> V:
    """``cache[key]``, else ``compute(*args)``: what is read off a feed's name is read once per
    feed (this runs per item), and a cache at its limit (a stream of odd names) stops growing."""
    if key in cache:
        return cache[key]
    value = compute(*args)
    if len(cache) < FEED_CACHE_LIMIT:
        cache[key] = value
    return value


@dataclass(frozen=True, slots=True)
class Cue:
    """What a lexicon term means: a kind ("domain", "actor"...), a key and a weight."""

    kind: str
    key: str
    weight: float
    # "US:agencies" -> state "US", section "agencies" (read for every hit: split once here)
    state: str = field(init=False)
    section: str = field(init=False)

    def __post_init__(self) -> None:
        state, _, section = self.key.partition(":")
        object.__setattr__(self, "state", state)
        object.__setattr__(self, "section", section)


@dataclass(frozen=True, slots=True)
class Country:
    code: str
    short_ja: str
    names: tuple[str, ...]
    counterpart_names: tuple[str, ...]
    adjectives: tuple[str, ...]
    capitals: tuple[str, ...] = ()  # names that never form a hyphen compound (v1.3)
    # institutions other states have too (a senate, a treasury, an entity list): weak in a
    # third state's own feed unless this country is named (v1.4)
    shared_institutions: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Slot:
    key: str  # "domain/name"
    domain: str
    doc: str
    divisive: bool
    neutral: bool
    inverted: bool
    bilateral: bool
    matches: tuple[str, ...]  # other slots whose holder counts as having this one
    hits_counterpart: bool = False
    liberalising: bool = False  # v1.18: a trade agreement; its tariff cuts carry it forward
    spans_fields: bool = False  # v1.27: a shared framework whose steps are judged by it in any field


@dataclass
class Knowledge:
    """Everything the rules read, built once from the data directory."""

    countries: dict[str, Country]
    groups: dict[str, frozenset[str]]
    slots: dict[str, Slot]
    domain_fallback_slot: dict[str, str]
    entries: list[tuple[str, Cue]]
    source_kinds: dict[str, tuple[str, ...]]
    source_domains: dict[str, str]  # feed-name fragment -> the domain that agency works in
    country_sources: dict[str, dict[str, tuple[str, ...]]]
    counterpart_templates: dict[str, list[tuple[str, float]]]
    _pair_matchers: dict[tuple[str, str], PhraseMatcher[Cue]] = field(default_factory=dict)
    source_kind_cache: dict[tuple[str, str], str] = field(default_factory=dict)
    source_state_cache: dict[tuple[str, str], str | None] = field(default_factory=dict)
    source_domain_cache: dict[str, str | None] = field(default_factory=dict)

    def pair_matcher(self, pair: tuple[str, str]) -> PhraseMatcher[Cue]:
        """All cues for a pair: the shared lexicon plus bilateral compounds and
        counterpart-named stance cues (one matcher, so each token is looked up once)."""
        cached = self._pair_matchers.get(pair)
        if cached is None:
            cached = PhraseMatcher(self.entries + self._pair_entries(pair))
            self._pair_matchers[pair] = cached
        return cached

    def _pair_entries(self, pair: tuple[str, str]) -> list[tuple[str, Cue]]:
        a, b = (self.countries[c] for c in pair)
        entries: list[tuple[str, Cue]] = []
        joint = Cue("pair", "joint", 3.0)
        for x, y in ((a, b), (b, a)):
            entries.append((x.short_ja + y.short_ja, joint))
            for nx in _ascii(x.names + x.adjectives):
                for ny in _ascii(y.names + y.adjectives):  # "U.S. and Japanese agencies"
                    entries += [(f"{nx} and {ny}", joint), (f"{nx} and the {ny}", joint)]
                    if nx in x.names and ny in y.names:  # v1.24: "The United States, Japan and 30 others"
                        entries.append((f"{nx} {ny} and", joint))
                    if nx not in x.capitals and ny not in y.capitals:
                        # Tokens drop punctuation, so "in Washington: Japan seeks ..." would
                        # read as "washington-japan"; capitals do not form the compound.
                        entries.append((f"{nx}-{ny}", joint))
        for country in (a, b):
            for stance, templates in self.counterpart_templates.items():
                cue_key = f"{country.code}:{stance}"
                for template, weight in templates:
                    for name in country.counterpart_names:
                        for spelled in (name, "the " + name):
                            entries.append(
                                (template.replace("{c}", spelled), Cue("cpstance", cue_key, weight))
                            )
        return entries


def _ascii(names: tuple[str, ...]) -> list[str]:
    return [n for n in names if n.isascii()]


def _split_weight(term: str, default: float) -> tuple[str, float]:
    """``"term @1.5"`` -> ("term", 1.5); the lexicon's per-term weight override."""
    if " @" in term:
        text, _, weight = term.rpartition(" @")
        return text.strip(), float(weight)
    return term, default


def _read(path: Path) -> Any:
    with path.open(encoding="utf-8") as fh:
        return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506


def _country_entries(raw: dict[str, Any]) -> tuple[Country, list[tuple[str, Cue]]]:
    code = str(raw["code"])
    entries: list[tuple[str, Cue]] = []
    weights = {"agencies": 3.0, "leaders": 2.0, "names": 1.0, "adjectives": 0.6, "firms": 0.0}
    for section, default in weights.items():
        for term in raw.get(section, []) or []:
            text, weight = _split_weight(str(term), default)
            entries.append((text, Cue("actor", f"{code}:{section}", weight)))
    for term, domain in (raw.get("instruments", {}) or {}).items():
        entries.append((str(term), Cue("actor", f"{code}:instruments", 2.0)))
        if domain != "none":  # FEFTA serves several domains: an actor cue only
            entries.append((str(term), Cue("domain", str(domain), 3.0)))
    country = Country(
        code=code,
        short_ja=str(raw.get("short_ja", "")) or code,
        names=tuple(str(n) for n in raw.get("names", []) or []),
        counterpart_names=tuple(str(n) for n in raw.get("counterpart_names", raw.get("names", [])) or []),
        adjectives=tuple(str(n) for n in raw.get("adjectives", []) or []),
        capitals=tuple(str(n) for n in raw.get("capitals", []) or []),
        shared_institutions=frozenset(
            _split_weight(str(n), 0.0)[0] for n in raw.get("shared_institutions", []) or []
        ),
    )
    return country, entries


def _lexicon_entries(lex: dict[str, Any]) -> list[tuple[str, Cue]]:
    entries: list[tuple[str, Cue]] = []
    routine = dict(lex["routine"])
    routine_weight = float(routine.pop("weight"))
    for category, terms in routine.items():
        for term in terms:
            text, weight = _split_weight(str(term), routine_weight)
            entries.append((text, Cue("routine", category, weight)))
    measure_weight = float(lex["measure"]["weight"])
    for term in lex["measure"]["terms"]:
        text, weight = _split_weight(str(term), measure_weight)
        entries.append((text, Cue("measure", "", weight)))
    for domain, tiers in lex["domain"].items():
        for tier, terms in tiers.items():
            for term in terms:
                text, weight = _split_weight(str(term), float(tier))
                entries.append((text, Cue("domain", domain, weight)))
    for action, terms in lex["action"].items():
        for term in terms:
            text, weight = _split_weight(str(term), 1.0)
            entries.append((text, Cue("action", action, weight)))
    for stance in ("converging", "diverging"):
        for tier, terms in lex["stance"][stance].items():
            for term in terms:
                text, weight = _split_weight(str(term), float(tier))
                entries.append((text, Cue("stance", stance, weight)))
    for key, terms in lex["china"].items():
        for term in terms:
            text, weight = _split_weight(str(term), 1.0)
            entries.append((text, Cue("china", key, weight)))
    for term in lex["joint_genre"]["terms"]:
        entries.append((str(term), Cue("joint_genre", "", 1.0)))
    for term in lex["analysis"]["terms"]:
        entries.append((str(term), Cue("analysis", "", 1.0)))
    for key, terms in (lex.get("reaction") or {}).items():
        for term in terms:
            entries.append((str(term), Cue("reaction", str(key), 1.0)))
    return entries


def _slot_entries(raw: dict[str, Any]) -> tuple[dict[str, Slot], dict[str, str], list[tuple[str, Cue]]]:
    slots: dict[str, Slot] = {}
    fallback: dict[str, str] = {}
    entries: list[tuple[str, Cue]] = []
    for domain, names in raw.items():
        for name, spec in names.items():
            key = f"{domain}/{name}"
            fallback.setdefault(domain, key)
            slots[key] = Slot(
                key,
                domain,
                str(spec.get("doc", "")),
                bool(spec.get("divisive", False)),
                bool(spec.get("neutral", False)),
                bool(spec.get("inverted", False)),
                bool(spec.get("bilateral", False)),
                tuple(f"{domain}/{m}" for m in spec.get("matches", []) or []),
                bool(spec.get("hits_counterpart", False)),
                bool(spec.get("liberalising", False)),
                bool(spec.get("spans_fields", False)),
            )
            for term in spec.get("terms", []):
                text, weight = _split_weight(str(term), 1.0)
                entries.append((text, Cue("slot", key, weight)))
    return slots, fallback, entries


@functools.cache
def load_knowledge(data_dir: Path = DATA_DIR) -> Knowledge:
    """Read and compile the data files (cached: the service builds it once)."""
    entries: list[tuple[str, Cue]] = []
    countries: dict[str, Country] = {}
    country_sources: dict[str, dict[str, tuple[str, ...]]] = {}
    for path in sorted((data_dir / "countries").glob("*.yml")):
        raw = _read(path)
        for spec in raw.get("countries", [raw]):
            country, found = _country_entries(spec)
            countries[country.code] = country
            entries += found
            sources = spec.get("sources", {}) or {}
            country_sources[country.code] = {k: tuple(v or []) for k, v in sources.items()}
    groups: dict[str, frozenset[str]] = {}
    for name, spec in _read(data_dir / "groups.yml")["groups"].items():
        groups[name] = frozenset(spec["members"])
        entries += [(str(t), Cue("group", name, 3.0)) for t in spec["terms"]]
    lex = _read(data_dir / "lexicon.yml")
    entries += _lexicon_entries(lex)
    slots, fallback, slot_entries = _slot_entries(_read(data_dir / "slots.yml"))
    entries += slot_entries
    templates: dict[str, list[tuple[str, float]]] = {}
    for stance, terms in lex["stance"]["counterpart"].items():
        templates[stance] = [_split_weight(str(t), 3.0) for t in terms]
    return Knowledge(
        countries=countries,
        groups=groups,
        slots=slots,
        domain_fallback_slot=fallback,
        entries=entries,
        source_kinds={k: tuple(v) for k, v in lex["source_kind"].items()},
        source_domains={normalise(str(k)): str(v) for k, v in (lex.get("source_domain") or {}).items()},
        country_sources=country_sources,
        counterpart_templates=templates,
    )
