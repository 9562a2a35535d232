"""Rules for relevance, actor, domain and targets_china (rubric fields 1, 2, 3 and 5). Pure.

Scores are sums of cue weights from the shipped lexicons; thresholds were set on dev items
dated before 2022-07-01 only (docs/classifier.md, "Time discipline").
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass

from service.classify.knowledge import Knowledge, remembered
from service.classify.rules import Features, Hit
from service.classify.text import normalise, tokenise
from service.classify.types import Evidence

RELEVANCE_THRESHOLD = 2.5
MEASURE_CAP = 2.5
JOINT_RELEVANCE_CAP = 3.0  # a G7 or US-Japan act is usually a relevant arrangement
JOINT_THRESHOLD = 5.0
SOURCE_PRIOR = {"government": 2.5, "think_tank": 1.0, "news": 0.3}
SUBJECT_BONUS = 6.0  # the state that opens a title is usually the one acting
THIRD_STATE_FEED_PRIOR = 4.0  # a third state's own feed nearly always reports its own acts
COUNTERPART_CUE = 2.5  # a counterpart-named stance cue points at the other state
SOURCE_STATE_BONUS = 2.0  # a third-state feed whose name names its state (MOFCOM, GOV.UK)
REACTION_WEIGHT = 8.0  # a formal submission or objection by the feed's own state
# A state named right after these words is the target, partner or yardstick of the act,
# not the one acting ("against U.S. firms", "exports to the United States", "in step with
# CFIUS", "work with U.S. partners"); Japanese marks the target before (対米) or after (向け).
TARGET_BEFORE = (
    "against",
    "to the",
    "to",
    "with the",
    "with",
    "from the",
    "from",
    "in step with",
    "in line with",
    "aligned with",
    "closer to",
    "asks the",
    "urges the",
    "for",
    "for the",
    "on",
    "on the",
    "products of",  # v1.19: "Tariff Rates for Products of Japan"
)
_TARGET_BEFORE_BY_WORDS = tuple(
    (n, frozenset(m for m in TARGET_BEFORE if m.count(" ") + 1 == n))
    for n in sorted({m.count(" ") + 1 for m in TARGET_BEFORE})
)
COORDINATION_BEFORE = (
    "alongside",
    "with",
    "with other",
    "in coordination with",
    "together with",
    "and other",
    # v1.6: timed to a joint event ("Ahead of G7 Summit, Treasury widens ..."): one state acts
    "ahead of",
    "ahead of the",
    "before the",
    "on the eve of the",
)
# A joint act named after these words is the frame of one state's step, not the act itself.
REFERENCE_BEFORE = ("implementing the", "implementing", "implements the", "to implement the",
                    "pursuant to the", "under the", "implementation of the",
                    " puts the", "order puts",  # v1.24: "Order Puts U.S.-Japan Agreement Into Effect"
                    " putting the")  # v1.31: "Signs Order Putting the U.S.-Japan Trade Deal Into Effect"
SHARED_INSTITUTION_FACTOR = 0.25
# v1.10: a bare press-conference title ("官房長官記者会見") leaves the subject to the summary:
# the counterpart named at its very start is the measure remarked on.
REMARKS_SUBJECT_CHARS = 12
GAP_MARGIN = 2.5  # stance cues this far towards diverging rule out a joint act
MODEL_SUFFIX_REACH = 8  # characters after a state's name within which "-style" marks a model
TARGET_AFTER_JA = ("向け", "に対する", "に対し", "からの", "から", "との", "への", "製")


def other_of(pair: tuple[str, str], state: str | None) -> str:
    """The pair's other state: the counterpart of ``state`` (the first one for a third state)."""
    return pair[1] if state == pair[0] else pair[0]


def squash(margin: float, scale: float = 2.0) -> float:
    """Map a score margin to a 0.5-1 confidence."""
    return 0.5 + 0.5 * math.tanh(max(margin, 0.0) / scale)


@dataclass(slots=True)  # not frozen: made several times per item, where a frozen __init__ costs
class Decision:
    value: str | bool | None
    confidence: float
    evidence: tuple[Evidence, ...]
    detail: str = ""  # extra for later rules (e.g. the acting third country's code)


def decide_relevance(f: Features, knowledge: Knowledge) -> Decision:
    domain_scores = f.scores("domain")
    best_domain, best = max(domain_scores.items(), key=lambda kv: kv[1], default=("none", 0.0))
    measure = min(sum(f.scores("measure").values()), MEASURE_CAP)
    routine = f.scores("routine")
    negative = sum(routine.values())
    joint = min(max((h.scaled for h in joint_hits(f, knowledge)), default=0.0), JOINT_RELEVANCE_CAP)
    score = best + measure + joint - negative
    evidence = [
        Evidence(
            "relevant", "domain_cues", f"{best_domain}: {', '.join(f.terms('domain', best_domain)[:4])}", best
        )
    ]
    if measure:
        evidence.append(Evidence("relevant", "measure_cues", ", ".join(f.terms("measure")[:4]), measure))
    for category, weight in sorted(routine.items(), key=lambda kv: -kv[1]):
        evidence.append(
            Evidence("relevant", f"routine:{category}", ", ".join(f.terms("routine", category)[:3]), -weight)
        )
    relevant = score >= RELEVANCE_THRESHOLD
    return Decision(relevant, squash(abs(score - RELEVANCE_THRESHOLD), 3.0), tuple(evidence))


def _marked_target(hit: Hit, f: Features) -> bool:
    """True when the words around a state's name make it the target or partner, not the actor."""
    if hit.cue.section not in ("names", "adjectives", "agencies"):
        return False
    text = f.title if hit.zone == "title" else f.summary
    if hit.term.isascii():
        if "style" in text[hit.start : hit.start + len(hit.term) + MODEL_SUFFIX_REACH]:
            return True  # v1.28: "U.S.-style safeguards" names a model, not a state acting
        before = text[max(0, hit.start - 16) : hit.start].rstrip()
        words = before.split()
        return any(" ".join(words[-n:]) in markers for n, markers in _TARGET_BEFORE_BY_WORDS
                   if len(words) >= n)
    end = hit.start + len(hit.term)
    return text[max(0, hit.start - 1) : hit.start] == "対" or text.startswith(TARGET_AFTER_JA, end)


def source_state(f: Features, knowledge: Knowledge) -> str | None:
    """The third state a non-pair feed belongs to, read from its name (MOFCOM, GOV.UK, MOTIE)."""
    item = f.item
    if item.source_country in f.pair:
        return None
    return remembered(knowledge.source_state_cache, (item.source, item.source_country),
                      _state_in_name, item.source, knowledge, f.pair)


def _state_in_name(source: str, knowledge: Knowledge, pair: tuple[str, str]) -> str | None:
    name = normalise(source)
    for match in knowledge.pair_matcher(pair).find(name, tokenise(name)):
        cue = match.payload
        if cue.kind == "actor" and cue.weight > 0 and cue.state not in pair:
            return cue.state
    return None


def _actor_scores(f: Features, knowledge: Knowledge) -> tuple[dict[str, float], list[str]]:
    """Score every country for being the one that acts; returns scores and their reasons."""
    scores: dict[str, float] = defaultdict(float)
    reasons: list[str] = []
    spans = [(h.zone, h.start, h.start + len(h.term)) for h in f.hits("cpstance")]
    hits = sorted(
        (
            h
            for h in f.actor_hits()
            if not _marked_target(h, f)
            and not any(z == h.zone and a <= h.start < b for z, a, b in spans)  # "leaves Japan"
        ),
        key=lambda h: (h.zone != "title", h.start),
    )
    # Third states named in a title act only in feeds that report on them (their own, news).
    subject = next((h for h in hits if h.zone == "title" and h.cue.weight > 0), None)
    # ... and in analysis whose title opens with the third state and names the pair, if at
    # all, only as possessors or targets ("Beijing's Gallium Licensing and the Limits of
    # Mineral Leverage", "China's Rare-Earth Licensing and Japan's Exposure", "China Bans
    # Gallium Exports to the United States"; not "…; Japan Is Still Waiting")
    third_subjects = (f.item.source_country not in f.pair or f.source_kind == "news"
                      or (f.source_kind == "think_tank" and subject is not None and subject.start == 0
                          and all(_possessive(f.item.title, h.term) or _marked_target(h, f) or _affected(h, f)
                                  for h in f.actor_hits() if h.zone == "title" and h.cue.state in f.pair)))
    third_feed = f.item.source_country not in f.pair and f.source_kind == "government"
    named_states = {h.cue.state for h in hits
                    if h.cue.section in ("names", "adjectives")}
    seen: set[tuple[str, str]] = set()
    for hit in hits:
        code, section = hit.cue.state, hit.cue.section
        if (code, hit.term) in seen and hit is not subject:
            continue
        seen.add((code, hit.term))
        in_pair = code in f.pair
        if not in_pair and section in ("names", "adjectives") and (hit is not subject or not third_subjects):
            continue  # a third country named as a target is not acting
        weight = hit.scaled
        if hit is subject:
            weight += SUBJECT_BONUS if subject.start < 3 else SUBJECT_BONUS / 3
        if third_feed and code not in named_states and hit.term in _shared(knowledge, code):
            weight *= SHARED_INSTITUTION_FACTOR  # Taiwan's "Entity List", Mexico's Senate
        scores[code] += weight
        if weight:
            reasons.append(f"{code}:{hit.term}({weight:.1f})")
    named_terms: set[str] = set()
    for hit in f.hits("cpstance"):  # "imports from Japan are covered": Japan is not the actor
        named = hit.cue.state
        if named in f.pair and hit.term not in named_terms:
            named_terms.add(hit.term)
            actor = other_of(f.pair, named)
            weight = min(COUNTERPART_CUE, hit.cue.weight)  # "including Japan" says little
            scores[actor] += weight
            reasons.append(f"{actor}:counterpart named '{hit.term}'({weight:.1f})")
    country = f.item.source_country
    prior = SOURCE_PRIOR.get(f.source_kind, 1.0)
    if country not in f.pair and f.source_kind == "government":
        prior = THIRD_STATE_FEED_PRIOR
    feed_state = source_state(f, knowledge)
    if feed_state is not None:
        country, prior = feed_state, prior + SOURCE_STATE_BONUS
    if country in knowledge.countries or country == "other":
        scores[country if country in f.pair else "other:" + country] += prior
        reasons.append(f"source {country}/{f.source_kind}({prior:.1f})")
    return scores, reasons


AFFECTED_NOUNS = ("manufacturers", "makers", "carmakers", "firms", "companies", "exporters", "suppliers",
                  "producers", "industry", "industries", "investors")


def _affected(hit: Hit, f: Features) -> bool:
    """v1.28: "... and Japanese Manufacturers": a pair state's adjective naming those a
    third state's measure hits, not a state that acts."""
    if hit.cue.section != "adjectives":
        return False
    text = f.title if hit.zone == "title" else f.summary
    following = text[hit.start + len(hit.term):].split()
    return bool(following) and following[0].strip(",.:;") in AFFECTED_NOUNS


def _possessive(title: str, term: str) -> bool:
    """Every mention of ``term`` in the raw title is a possessive ("Japan's Exposure");
    normalised text has lost the apostrophe, so this reads the title as published."""
    return re.search(rf"\b{re.escape(term)}\b(?![’']s\b)", title, re.IGNORECASE) is None


def _shared(knowledge: Knowledge, code: str) -> frozenset[str]:
    country = knowledge.countries.get(code)
    return country.shared_institutions if country else frozenset()


def reaction(f: Features) -> str | None:
    """The feed's own state reacting to the counterpart's measure: ``objection`` for a formal
    submission, notification or exclusion request (rubric conventions: Japan's comments on a
    US proposed rule, its WTO notification, its exclusion request are Japan's acts and
    diverge); ``support`` for help to its own firms hit by the measure (a domestic step).
    None otherwise; a minister's mere remarks stay the counterpart's measure."""
    if f.item.source_country not in f.pair or f.source_kind != "government":
        return None
    # a formal request (lexicon: reaction/formal) counts wherever it stands in the summary
    keys = {h.cue.key for h in f.hits("reaction")
            if h.zone == "title" or h.start < 40 or h.cue.key == "formal"}
    if remarks_titled(f):
        # remarks stay the counterpart's measure, unless they report a formal request made
        # to the counterpart (a minister's statement that Japan demanded an exclusion), or
        # the title itself names the submission (v1.27: "Submission of Comments by ...")
        titled_objection = any(h.zone == "title" and h.cue.key == "objection" for h in f.hits("reaction"))
        return "objection" if "formal" in keys or titled_objection else None
    if keys & {"objection", "formal"}:
        return "objection"
    return "support" if "support" in keys else None


def remarks_titled(f: Features) -> bool:
    """The title says it reports remarks (a press conference, a spokesperson's statement)."""
    return any(h.cue.key == "remarks" and h.zone == "title" for h in f.hits("reaction"))


def _own_remarks(f: Features) -> bool:
    """Remarks in a feed of the pair that report no formal request: they speak of a measure
    rather than take one, so the measure remarked on decides the actor."""
    return f.item.source_country in f.pair and remarks_titled(f) and reaction(f) != "objection"


def _joint_score(f: Features, knowledge: Knowledge, scores: dict[str, float]) -> tuple[float, list[str]]:
    score = 0.0
    reasons: list[str] = []
    seen: set[str] = set()
    for hit in joint_hits(f, knowledge):
        if hit.term in seen:
            continue
        seen.add(hit.term)
        weight = hit.scaled if hit.zone == "title" or hit.cue.kind == "pair" else hit.scaled / 4
        if (hit.cue.kind == "group" and _coordinated(hit, f)) or _referenced(hit, f):
            # "alongside G7 partners", "implementing the US-Japan agreement", "as G7 leaders
            # gather": one state acting in step with, or under, a joint act, not the act itself
            weight /= 4
        score += weight
        reasons.append(f"{hit.term}({weight:.1f})")
    genre = [h for h in f.hits("joint_genre") if h.zone == "title"] or [
        h for h in f.hits("joint_genre") if h.zone == "summary" and h.start < 60
    ]
    named = {
        h.cue.state
        for h in f.hits("actor")
        if h.cue.section in ("names", "agencies", "adjectives", "leaders")  # v1.25: leaders too
    }
    if genre and set(f.pair) <= named:
        score += JOINT_THRESHOLD
        reasons.append(f"{genre[0].term} with both named")
    elif genre and genre[0].zone == "title" and _hosts_counterpart(f):
        score += JOINT_THRESHOLD
        reasons.append(f"{genre[0].term} in a {f.item.source_country} feed naming the counterpart's leader")
    return score, reasons


def _hosts_counterpart(f: Features) -> bool:
    """v1.24: a pair state's own feed titles a joint text with the other's leader or
    government ("Joint Leaders' Statement Issued During Prime Minister Kishida's Visit"):
    the feed's state is the other party, though the text never names it."""
    own = f.item.source_country
    if own not in f.pair or f.source_kind != "government":
        return False
    other = other_of(f.pair, own)
    return any(h.zone == "title" and h.cue.state == other and h.cue.weight > 0
               and h.cue.section in ("names", "agencies", "leaders") for h in f.actor_hits())


def _remarked_third_state(f: Features) -> str | None:
    """v1.19: remarks titled after a third state's measure ("Press Conference by Minister
    Nishimura: China's Export Controls on Gallium") are labelled as that measure, so its
    state acts; not when the title names the pair's states themselves."""
    if not _own_remarks(f):
        return None
    title = [h for h in f.actor_hits() if h.zone == "title" and h.cue.weight > 0 and not _marked_target(h, f)]
    if any(h.cue.state in f.pair and h.cue.section in ("names", "adjectives") for h in title):
        return None
    subjects = [h for h in title if h.cue.section in ("names", "agencies")]  # "Russian oil" is an object
    if not any(h.cue.state not in f.pair for h in subjects):
        # a bare press-conference title: the subject opens the summary (中国商務部が…)
        first = next((h for h in f.actor_hits() if h.zone == "summary" and h.cue.weight > 0), None)
        subjects = [first] if (first is not None and first.start < REMARKS_SUBJECT_CHARS
                               and first.cue.section in ("names", "agencies")) else []
    return next((h.cue.state for h in subjects if h.cue.state not in f.pair), None)


def _remarked_measure(f: Features) -> str | None:
    """A minister's remarks titled after the counterpart's measure are labelled as that
    measure (rubric conventions): the counterpart named in the title acts."""
    if not _own_remarks(f):
        return None
    counterpart = other_of(f.pair, f.item.source_country)
    named = any(
        (h.zone == "title" or (h.zone == "summary" and h.start < REMARKS_SUBJECT_CHARS))
        and h.cue.state == counterpart
        and h.cue.weight > 0
        and (not _marked_target(h, f) or _remarks_topic(h, f))
        for h in f.hits("actor")
    )
    return counterpart if named else None


def _remarks_topic(hit: Hit, f: Features) -> bool:
    """v1.25: "Statement by Minister Muto on the U.S. Decision ...": in a remarks title the
    counterpart after "on (the)" is the topic remarked on, not a target -- unless the title
    names the pair together (remarks on the pair's own agreement)."""
    return (hit.zone == "title" and _before(hit, f).endswith((" on the", " on"))
            and not any(p.zone == "title" for p in f.hits("pair")))


def joint_hits(f: Features, knowledge: Knowledge) -> list[Hit]:
    """Hits naming the pair together, then groups both of the pair join (G7, Quad...)."""
    return f.hits("pair") + [h for h in f.hits("group") if set(f.pair) <= knowledge.groups[h.cue.key]]


def _before(hit: Hit, f: Features) -> str:
    """The few words just before a hit in its zone."""
    text = f.title if hit.zone == "title" else f.summary
    return text[max(0, hit.start - 24) : hit.start].rstrip()


def _coordinated(hit: Hit, f: Features) -> bool:
    return _before(hit, f).endswith(COORDINATION_BEFORE)


def implements_joint_act(f: Features, knowledge: Knowledge) -> str | None:
    """The joint act (a pair or a group both join) the item names as the frame of one
    state's step ("implementing the United States-Japan agreement"), if any."""
    return next((h.term for h in joint_hits(f, knowledge) if _referenced(h, f)), None)


def _referenced(hit: Hit, f: Features) -> bool:
    before = _before(hit, f)
    return before == "as" or before.endswith(REFERENCE_BEFORE)


def _finds_gap(f: Features) -> bool:
    """An item whose stance cues say the pair drift apart is not a joint act (a joint act
    converges by the rubric): analysis of a shared framework finding one side holding back."""
    conv = f.scores("stance").get("converging", 0.0)
    div = f.scores("stance").get("diverging", 0.0)
    for key, weight in f.scores("cpstance").items():
        if key.endswith(":diverging"):
            div += weight
        else:
            conv += weight
    return div - conv >= GAP_MARGIN


def decide_actor(f: Features, knowledge: Knowledge) -> Decision:
    if reaction(f) is not None:
        own = f.item.source_country
        terms = ", ".join(f.terms("reaction")[:3])
        ev = Evidence("actor", "formal_reaction", f"{own} feed: {terms}", REACTION_WEIGHT)
        return Decision(own, squash(REACTION_WEIGHT / 2), (ev,))
    third = _remarked_third_state(f)
    if third is not None:
        ev = Evidence(
            "actor", "remarks_on_measure", f"{f.item.source_country} remarks on a {third} measure", 4.0
        )
        return Decision("other", squash(2.0), (ev,), third)
    remarked = _remarked_measure(f)
    if remarked is not None:
        ev = Evidence(
            "actor", "remarks_on_measure", f"{f.item.source_country} remarks on a {remarked} measure", 4.0
        )
        return Decision(remarked, squash(2.0), (ev,))
    scores, reasons = _actor_scores(f, knowledge)
    joint, joint_reasons = _joint_score(f, knowledge, scores)
    a, b = f.pair
    pair_best = max((a, b), key=lambda c: scores.get(c, 0.0))
    others = {k: v for k, v in scores.items() if k not in f.pair}
    other_code, other_best = max(others.items(), key=lambda kv: kv[1], default=("", 0.0))
    other_code = other_code.removeprefix("other:")
    title_subject = _title_subject(f, knowledge)
    if joint >= JOINT_THRESHOLD and (title_subject in (None, "pair") or _titled_joint_text(f, knowledge)) \
            and not _finds_gap(f):
        ev = Evidence("actor", "joint", "; ".join(joint_reasons), joint)
        return Decision("joint", squash(joint - JOINT_THRESHOLD + 1.0), (ev,))
    own_feed = source_state(f, knowledge) is not None  # a third state's own feed wins ties
    if other_best > scores.get(pair_best, 0.0) or (own_feed and other_best == scores.get(pair_best, 0.0) > 0):
        if own_feed or other_code == f.item.source_country or other_code == "other":
            # in a third state's own feed that state acts; China named there is the target
            other_code = source_state(f, knowledge) or _named_third_state(f) or other_code
        ev = Evidence(
            "actor",
            "third_country",
            f"{other_code}: " + "; ".join(r for r in reasons if not r.startswith(tuple(f.pair))),
            other_best,
        )
        return Decision("other", squash(other_best - scores.get(pair_best, 0.0)), (ev,), other_code)
    runner_up = max(scores.get(b if pair_best == a else a, 0.0), other_best)
    ev = Evidence(
        "actor",
        "acting_state",
        "; ".join(r for r in reasons if r.startswith((pair_best, "source")))[:200],
        scores.get(pair_best, 0.0),
    )
    return Decision(pair_best, squash(scores.get(pair_best, 0.0) - runner_up), (ev,))


def _titled_joint_text(f: Features, knowledge: Knowledge) -> bool:
    """v1.26: a title naming the pair together and a joint genre ("Commerce and Industry
    Ministers of the United States, Japan and Korea Hold Trilateral Meeting") is a joint
    act though one state's agency opens it."""
    return (any(h.zone == "title" for h in joint_hits(f, knowledge))
            and any(h.zone == "title" for h in f.hits("joint_genre")))


def _named_third_state(f: Features) -> str | None:
    """The third state named first in the item (the actor behind a third-state feed)."""
    third = [h for h in f.hits("actor") if h.cue.state not in f.pair]
    first = min(third, key=lambda h: (h.zone != "title", h.start), default=None)
    return first.cue.state if first else None


def _title_subject(f: Features, knowledge: Knowledge) -> str | None:
    """'pair' when the title opens with the pair or a group both join; a code when it opens
    with one of the pair's states; None otherwise."""
    first_pair = min((h.start for h in joint_hits(f, knowledge) if h.zone == "title"), default=None)
    first_actor: Hit | None = min(
        (
            h
            for h in f.actor_hits()
            if h.zone == "title"
            and h.cue.weight > 0
            and h.cue.state in f.pair
        ),
        key=lambda h: h.start,
        default=None,
    )
    if first_pair is not None and (first_actor is None or first_pair <= first_actor.start):
        return "pair"
    if first_actor is None or first_actor.start >= 3 or first_actor.cue.section not in ("agencies", "names"):
        return None
    if any(
        h.zone == "title" and h.cue.weight > 0 and h.cue.state in f.pair and h.cue.section == "names"
        and h.cue.state != first_actor.cue.state and h.start < BOTH_NAMED_CHARS
        for h in f.actor_hits()
    ):
        # v1.14: "Japan-Philippines-United States Leaders' ...": both open it; v1.25: an
        # agency and the counterpart too ("Commerce and Japan Sign ...")
        return "pair"
    return first_actor.cue.state


SOURCE_DOMAIN_PRIOR = 3.0  # a single-purpose agency's feed leans to its domain
NAMED_PROGRAMME_CUE = 4.0  # a domain cue this strong names one programme ("critical minerals initiative")
BOTH_NAMED_CHARS = 40  # a title naming both of the pair this early is about the pair
BROAD_AGENDA_FIELDS = 3  # a joint text with cues of this many fields is a broad agenda
JOINT_TEXTS = ("official visit", "state visit",  # v1.27: a visit's fact sheet is a joint text
               "declaration", "economic policy consultative committee",  # v1.28
               "communique", "communiqué", "joint statement", "leaders' statement", "joint leaders",
               "summit", "leaders' summit", "vision statement", "joint vision", "サミット", "共同声明",
               "首脳会", "大臣会合", "閣僚会合", "2+2", "two-plus-two", "経済版2+2", "ministerial")


G7_TEXTS = ("statement", "communique", "communiqué", "声明", "コミュニケ")
# A G7 statement titled after one field is about that field, not a broad agenda: an action
# plan, the price cap, and (v1.26) Ukraine, i.e. the sanctions
G7_SINGLE_FIELD_TITLES = ("action plan", "行動計画", "price cap", "ukraine", "ウクライナ")


def decide_domain(f: Features, actor: str | None, knowledge: Knowledge) -> Decision:
    scores = dict(f.scores("domain"))
    feed_domain = _feed_domain(f, knowledge) if scores else None
    if feed_domain is not None:
        scores[feed_domain] = scores.get(feed_domain, 0.0) + SOURCE_DOMAIN_PRIOR
    if not scores:
        return Decision("cooperation" if actor == "joint" else "none", 0.4, ())
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    best, top = ranked[0]
    titled = [
        h
        for h in f.hits("domain")
        if h.zone == "title" and h.cue.key != "cooperation" and h.cue.weight >= 1.5
    ]
    launched = _launched_field(f) if actor == "joint" else None
    if (
        actor == "joint"
        and best != "cooperation"
        and not titled
        and any(h.zone == "title" for h in f.hits("domain") if h.cue.key == "cooperation")
        and launched is None
    ):
        # A summit or communique that names no field in its title is about the cooperation.
        best, top = "cooperation", scores["cooperation"]
        ranked = [(best, top), ranked[0]]
    elif (
        best == "cooperation"
        and actor != "joint"
        and any(
            h.cue.key in ("trade_policy/rcep_and_china_ftas", "trade_policy/cptpp") for h in f.hits("slot")
        )
    ):
        # A summit of one of the pair with China that advances an FTA is about the FTA,
        # however many fields its communique ranges over (v1.28: checked before the agenda).
        best, top = "trade_policy", scores.get("trade_policy", 0.0)
        ranked = [(best, top), ranked[0]]
    elif _broad_joint_agenda(f, actor):
        # v1.6: a communique ranging over several fields is about the cooperation, even when
        # its title names one of them.
        if best != "cooperation":
            best, top = "cooperation", scores.get("cooperation", top)
            ranked = [(best, top), ranked[0]]
    elif best == "cooperation" and not titled and launched is not None:
        best, top = launched, scores[launched]
        ranked = [(best, top), ("cooperation", scores["cooperation"])]
    elif best == "cooperation":
        # "Joint Statement on Trade": a framework titled after a field belongs to that field.
        titled = [h for h in titled if scores[h.cue.key] >= top / 2]
        if titled:
            best = max({h.cue.key for h in titled}, key=lambda d: scores[d])
            ranked = [(best, scores[best]), ("cooperation", top)]
            top = scores[best]
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    cues = f.terms("domain", best)[:5] + (["feed " + f.item.source] if best == feed_domain else [])
    ev = Evidence("domain", "domain_cues", f"{best}: {', '.join(cues)}", top)
    return Decision(best, squash(top - second, 3.0), (ev,))


LAUNCH_WORDS = re.compile("launch|立ち上げ|発足")
LAUNCH_REACH = 60  # characters after the launch verb within which the launched field is named


def _launched_field(f: Features) -> str | None:
    """v1.25: the field a joint meeting launches something in ("the ministers launch a Quad
    Critical Minerals Initiative"): the item is about that field, though its title names
    none (five labelled files)."""
    starts = [m.start() for m in LAUNCH_WORDS.finditer(f.summary)]
    launched = [h for h in f.hits("domain")
                if h.zone == "summary" and h.cue.key != "cooperation" and h.cue.weight >= NAMED_PROGRAMME_CUE
                and any(0 < h.start - i <= LAUNCH_REACH for i in starts)]
    return min(launched, key=lambda h: h.start).cue.key if launched else None


def _broad_joint_agenda(f: Features, actor: str | None) -> bool:
    """A joint text (communique, leaders' statement, 2+2) whose cues span several fields;
    the meeting may be one of the pair's with a third state (v1.8). A G7 statement or
    communique is one by the rubric (v1.19), unless its title names a single field."""
    if actor is None:
        return False
    if (any(h.zone == "title" and h.cue.key == "G7" for h in f.hits("group"))
            and any(word in f.title for word in G7_TEXTS)
            and not any(word in f.title for word in G7_SINGLE_FIELD_TITLES)):
        return True
    return (
        any(h.zone == "title" and h.term.startswith(JOINT_TEXTS)
            for h in f.hits("domain") if h.cue.key == "cooperation")
        and len({h.cue.key for h in f.hits("domain")} - {"cooperation"}) >= BROAD_AGENDA_FIELDS
    )


def _feed_domain(f: Features, knowledge: Knowledge) -> str | None:
    """The domain of a single-purpose agency's feed (OFAC, USTR), read off its name."""
    return remembered(knowledge.source_domain_cache, f.item.source, _domain_in_name, f.item.source, knowledge)


def _domain_in_name(source: str, knowledge: Knowledge) -> str | None:
    name = normalise(source)
    return next((d for fragment, d in knowledge.source_domains.items() if fragment in name), None)


def decide_china(f: Features, relevant: bool, acting_other: str) -> Decision:
    if not relevant:
        return Decision(False, 0.9, ())
    china = f.scores("china")
    target = china.get("target", 0.0) + 1.5 * china.get("company", 0.0)
    partner = china.get("partner", 0.0)
    if acting_other == "CN":
        return Decision(
            False, 0.8, (Evidence("targets_china", "china_acts", "China is the acting state", 1.0),)
        )
    if target and partner and not china.get("company"):
        target -= 2 * partner
    if china.get("untargeted"):
        ev = Evidence("targets_china", "untargeted", ", ".join(f.terms("china", "untargeted")[:2]), 0.0)
        return Decision(False, 0.7, (ev,))
    if f.source_kind != "think_tank" and periodic_report(f, reports_only=True):
        ev = Evidence("targets_china", "periodic_report", "a periodic report targets no one", 0.0)
        return Decision(False, 0.75, (ev,))
    terms = ", ".join(f.terms("china", "target")[:3] + f.terms("china", "company")[:3])
    if target > 0:
        return Decision(True, squash(target, 2.0), (Evidence("targets_china", "china_cues", terms, target),))
    return Decision(False, 0.8, ())


def periodic_report(f: Features, *, reports_only: bool = False) -> bool:
    """The title names a recurring notice (annual report, the NTE report, the yearly
    continuation of an emergency) or a procedural window under a standing measure (v1.19:
    exclusion and inclusion requests): it keeps or catalogues measures in place, so it does
    not move the gap (v1.15/16). A report also targets no one (``reports_only``); a continued
    emergency still targets whom it names."""
    return any(h.zone == "title" and h.cue.key == "periodic" and (not reports_only or "report" in h.term)
               for h in f.hits("action"))
