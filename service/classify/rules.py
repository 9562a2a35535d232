"""Feature extraction for the rules classifier: which lexicon cues an item contains. Pure.

Follows the rubric (shared/data/RUBRIC.md): every cue is a term from the shipped data files
(lexicon, countries, groups, slots), so what an analyst knows stays editable as data and
each decision can name the phrases behind it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from service.classify.knowledge import Cue, Knowledge, remembered
from service.classify.text import is_japanese, normalise, tokenise
from service.classify.types import ItemText

TITLE_FACTOR = 2.0  # a cue in the title says more about the item than one in the summary
STRONG_CUE = 2.5  # zone-scaled weight from which a domain cue counts in full
WEAK_CAP = 4.0  # weak domain cues add up to at most this much
WEAK_BASE = 1.5  # domain cues weighing at most this are topic words, weak in any zone
PLURAL_SLACK = 2  # "ies" folds to "y": the most a plural term outruns the word it matched

_new = tuple.__new__  # builds a NamedTuple in C, skipping its Python-level __new__


class Hit(NamedTuple):
    """One lexicon term found in one zone of the item (a tuple: made by the thousand)."""

    cue: Cue
    term: str
    zone: str  # "title" | "summary"
    start: int
    scaled: float  # the cue's weight, doubled in the title: a cue there says more


@dataclass(slots=True)
class Features:
    """Everything the field rules read about one item."""

    item: ItemText
    pair: tuple[str, str]
    language: str
    source_kind: str
    title: str
    summary: str
    by_kind: dict[str, list[Hit]] = field(default_factory=dict)
    _scores: dict[str, dict[str, float]] = field(default_factory=dict)
    _actors: list[Hit] | None = None  # actor hits no longer term of another state covers

    def hits(self, kind: str) -> list[Hit]:
        return self.by_kind.get(kind, [])

    def scores(self, kind: str) -> dict[str, float]:
        """Sum of zone-scaled weights per key, each (term, zone) counted once."""
        cached = self._scores.get(kind)
        if cached is not None:
            return cached
        hits = self.by_kind.get(kind)
        if not hits:
            self._scores[kind] = {}
            return self._scores[kind]
        best: dict[tuple[str, str, int], float] = {}  # overlapping terms: keep the strongest
        weak_spot: dict[tuple[str, str, int], bool] = {}
        first_at: dict[tuple[str, str, str], int] = {}  # a term counts once per zone ...
        for cue, term, zone, start, weight in hits:
            key = cue.key
            mark = (key, term, zone)
            if first_at.setdefault(mark, start) != start:
                continue  # ... but two cues of one term at one spot keep the stronger (v1.19)
            spot = (key, zone, start)
            # a topic word stays weak in the title too (three mineral names are not a control)
            weakish = cue.weight <= WEAK_BASE
            previous = best.get(spot)
            if previous is None:
                best[spot], weak_spot[spot] = weight, weakish
            else:
                best[spot], weak_spot[spot] = max(previous, weight), weak_spot[spot] and weakish
        out: dict[str, float] = defaultdict(float)
        weak: dict[str, float] = defaultdict(float)
        for (key, _zone, _start), weight in best.items():
            if kind == "domain" and (weight < STRONG_CUE or weak_spot[(key, _zone, _start)]):
                weak[key] += weight
            else:
                out[key] += weight
        for key, weight in weak.items():  # a pile of topic words is not a strong cue
            out[key] += min(weight, WEAK_CAP)
        self._scores[kind] = dict(out)
        return self._scores[kind]

    def actor_hits(self) -> list[Hit]:
        """Actor hits without those inside a longer actor term of another state ("north korea")."""
        if self._actors is None:
            self._actors = _uncontained(self.by_kind.get("actor", []))
        return self._actors

    def terms(self, kind: str, key: str | None = None) -> list[str]:
        """Distinct matched terms of a kind (optionally one key), in order of appearance."""
        out: list[str] = []
        for hit in self.by_kind.get(kind, []):
            if (key is None or hit.cue.key == key) and hit.term not in out:
                out.append(hit.term)
        return out


def infer_source_kind(item: ItemText, knowledge: Knowledge) -> str:
    """government | think_tank | news, from the feed's own field or its name."""
    if item.source_kind:
        return item.source_kind
    return remembered(knowledge.source_kind_cache, (item.source, item.source_country),
                      _kind_in_name, item, knowledge)


def _kind_in_name(item: ItemText, knowledge: Knowledge) -> str:
    name = normalise(item.source)
    per_country = knowledge.country_sources.get(item.source_country, {})
    for kind in ("think_tank", "news"):
        names = per_country.get(kind, ()) + knowledge.source_kinds.get(kind, ())
        if any(normalise(n) in name for n in names):
            return kind
    return "government"


def extract(item: ItemText, knowledge: Knowledge, pair: tuple[str, str]) -> Features:
    """Normalise the item and collect every cue hit, by kind."""
    title = normalise(item.title)
    summary = normalise(item.summary)
    language = item.language or ("ja" if is_japanese(item.title) or is_japanese(item.summary) else "en")
    features = Features(item, pair, language, infer_source_kind(item, knowledge), title, summary)
    by_kind: dict[str, list[Hit]] = defaultdict(list)
    pair_matcher = knowledge.pair_matcher(pair)
    for zone, text in (("title", title), ("summary", summary)):
        if not text:
            continue
        tokens = tokenise(text)
        for cue, term, start in pair_matcher.find(text, tokens):
            weight = cue.weight * TITLE_FACTOR if zone == "title" else cue.weight
            by_kind[cue.kind].append(_new(Hit, (cue, term, zone, start, weight)))
    if "domain" in by_kind:  # "trade" inside "Foreign Exchange and Foreign Trade Act" is no cue
        covers = by_kind["domain"] + by_kind.get("actor", []) + by_kind.get("group", [])
        by_kind["domain"] = _uncovered(by_kind["domain"], covers)
    if "action" in by_kind:  # 拡大 inside 通商拡大法 (Trade Expansion Act) is no action
        # nor "proposed" in "proposed acquisition" (a deal's name, not a proposal)
        covers = by_kind.get("actor", []) + [h for h in by_kind["action"] if h.cue.key == "phrase"]
        by_kind["action"] = _uncovered([h for h in by_kind["action"] if h.cue.key != "phrase"], covers)
    for kind in ("stance", "cpstance"):  # "retaliat*" inside "not retaliat*" is no diverging cue
        if kind in by_kind:
            by_kind[kind] = _uncovered(by_kind[kind], by_kind[kind])
    if "actor" in by_kind and "domain" in by_kind:  # "commerce" inside "electronic commerce"
        by_kind["actor"] = _uncovered(by_kind["actor"], by_kind["domain"])
    features.by_kind = dict(by_kind)
    return features


def _uncovered(hits: list[Hit], others: list[Hit]) -> list[Hit]:
    """``hits`` without those lying inside a longer term of another cue in the same zone."""
    if not others:
        return hits
    longest = max(len(o.term) for o in others)
    spans: dict[str, list[tuple[int, int, int, str]]] = {}
    for o in others:
        spans.setdefault(o.zone, []).append((o.start, o.start + len(o.term), len(o.term), o.cue.key))
    for zone_spans in spans.values():
        zone_spans.sort()
    kept: list[Hit] = []
    for hit in hits:
        start, length, key = hit.start, len(hit.term), hit.cue.key
        if length >= longest:  # nothing is longer: cannot be covered
            kept.append(hit)
            continue
        # v1.25: a plural cue ("subsidies") can match a singular word ("anti-subsidy"), so
        # its term may run up to two characters past the text it actually covers
        end = start + length - (PLURAL_SLACK if hit.term.isascii() else 0)
        for o_start, o_end, o_length, o_key in spans.get(hit.zone, ()):
            if o_start > start:
                kept.append(hit)
                break
            if o_length > length and o_end >= end and o_key != key:
                break
        else:
            kept.append(hit)
    return kept


def _uncontained(hits: list[Hit]) -> list[Hit]:
    """``hits`` without those covered by a longer actor term of another state ("north korea")."""
    spans = [(h.zone, h.start, h.start + len(h.term), len(h.term), h.cue.state) for h in hits]
    kept: list[Hit] = []
    for i, (zone, start, end, length, state) in enumerate(spans):
        for j, (o_zone, o_start, o_end, o_length, o_state) in enumerate(spans):
            if (o_length > length and o_start <= start and o_end >= end and o_zone == zone
                    and o_state != state and j != i):
                break
        else:
            kept.append(hits[i])
    return kept
