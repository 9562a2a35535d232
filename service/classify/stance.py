"""Stance against the counterpart's policy at the item's date, and the item's PolicyEffects.

Pure. The issue asks that stance depend on the counterpart's policy, not on words alone:
the step the item describes (slot + action) is compared with the counterpart's position in
the same slot in the PolicyPicture as of the item's date. Explicit cues (coordination with
partners, a tariff that hits the counterpart, an analysis finding a widening gap) decide
first; a third country acting alone is neutral and a joint act converges (rubric).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from service.classify.fields import (
    Decision,
    implements_joint_act,
    other_of,
    periodic_report,
    reaction,
    remarks_titled,
)
from service.classify.knowledge import Knowledge, Slot
from service.classify.policy import PolicyPicture
from service.classify.rules import Features
from service.classify.types import Evidence, PolicyEffect

LEGAL_FORMS = frozenset(
    {
        "rule",
        "final rule",
        "interim final rule",
        "executive order",
        "regulation*",
        "law",
        "ban",
        "bans",
        "restrict*",
        "prohibit*",
        "政令",
        "省令",
        "法律",
        "規制",
    }
)
DIVISIVE_SHARE = 0.5  # a China-targeted slot this close to the best one decides
IN_FORCE_ADOPTS = 0.25  # "takes effect" for a slot the actor lacks: a weak adoption cue
CUE_MARGIN = 2.0  # explicit stance cues win when they lead the other side by this much
FRAMEWORK_CUE = 3.0  # a cue this strong names the pair's shared framework outright
# In an inverted slot (a list of favoured destinations) these verbs swap meaning.
INVERTING_TERMS = frozenset(
    {"remov*", "削除", "withdraw*", "suspend*", "add", "adds", "added", "addition*", "追加"}
)
REQUESTED_RELIEF = frozenset({"exempt*", "exclusion*", "exclude*", "除外", "免除"})
REMOVING_TERMS = frozenset(
    {
        "lift*",
        "revok*",
        "rescind*",
        "repeal*",
        "terminat*",
        "withdraw*",
        "pull* out",
        "ends participation",
        "withdraws its earlier backing",  # v1.30
        "withdraws its backing",
        "removes its backing",
        "解除",
        "廃止",
        "撤回",
        "離脱",
    }
)


@dataclass(slots=True)
class Step:
    """What the item does: its slot (or None) and its kind of action."""

    slot: Slot | None
    kind: str  # restrict | relax | propose | inquire | implement
    action: str | None  # PolicyEffect action, None when no effect
    holds: bool = False  # the actor already held the slot before this step


def choose_slot(f: Features, knowledge: Knowledge, domain: str, china: bool) -> Slot | None:
    """The best-matching slot of the item's domain; China-targeted fallbacks per domain."""
    framework = _named_framework(f, knowledge)
    if framework is not None:
        return framework
    scores = {k: v for k, v in f.scores("slot").items() if k.startswith(domain + "/")}
    if scores:
        best = max(scores.items(), key=lambda kv: kv[1])[0]
        chosen = knowledge.slots[best]
        if china and chosen.matches:
            # A country-agnostic slot that has a China-targeted twin (chip tools / China-wide
            # chip rules, vendor rules / named-vendor bans): a package aimed at China that also
            # lists Entity List parties or direct-product rules is judged by its targeted part.
            divisive = [
                k
                for k, v in scores.items()
                if knowledge.slots[k].divisive and v >= DIVISIVE_SHARE * scores[best]
            ]
            if divisive:
                best = max(divisive, key=lambda k: scores[k])
        return knowledge.slots[best]
    fallback = {
        "export_controls": "export_controls/china_end_use" if china else None,
        "sanctions": "sanctions/china_hong_kong" if china else "sanctions/other_programmes",
        "tech_security": "tech_security/china_vendor_bans" if china else None,
        "trade_policy": "trade_policy/china_tariffs" if china else None,
        "cooperation": "cooperation/bilateral_dialogue",
    }.get(domain)
    return knowledge.slots.get(fallback) if fallback else None


def _named_framework(f: Features, knowledge: Knowledge) -> Slot | None:
    """v1.27: a step under the pair's named shared framework (the 2025 strategic investment
    arrangement) is judged by that framework whatever field the item is labelled with:
    projects in minerals or energy chosen under it are still steps under the arrangement."""
    named = [(v, k) for k, v in f.scores("slot").items()
             if knowledge.slots[k].spans_fields and v >= FRAMEWORK_CUE]
    return knowledge.slots[max(named)[1]] if named else None


def classify_step(f: Features, slot: Slot | None, actor_has_slot: bool, *, remarks: bool = False) -> Step:
    """Decide the kind of step from the action cues (restrict, relax, propose...)."""
    scores = {
        "restrict": 0.0,
        "relax": 0.0,
        "propose": 0.0,
        "inquire": 0.0,
        "implement": 0.0,
        "specific": 0.0,
        "in_force": 0.0,
        "periodic": 0.0,
    }
    seen: set[tuple[str, str]] = set()
    for hit in f.hits("action"):
        if (hit.term, hit.zone) in seen or (remarks and hit.term in REQUESTED_RELIEF):
            continue  # a minister asking for an exclusion does not make the measure a relief
        seen.add((hit.term, hit.zone))
        kind = hit.cue.key
        if kind == "in_force" and hit.zone != "title":
            kind = "restrict"  # the item's subject is not the entry into force: weak adoption cue
            scores[kind] += IN_FORCE_ADOPTS * hit.scaled
            continue
        if slot is not None and slot.inverted and hit.term in INVERTING_TERMS:
            kind = "restrict" if kind == "relax" else "relax"
        scores[kind] += hit.scaled
    specific = scores.pop("specific")
    scores["implement"] += scores.pop("periodic")  # a report on measures in place
    # A measure taking effect is an implementing step when the actor already holds the slot
    # (the law or rule was adopted earlier); otherwise it is the adoption itself.
    in_force = scores.pop("in_force")
    if actor_has_slot:
        scores["implement"] += in_force
    else:
        scores["restrict"] += IN_FORCE_ADOPTS * in_force
    kind = max(scores.items(), key=lambda kv: kv[1])[0] if any(scores.values()) else "restrict"
    if kind == "inquire" and specific:
        # An inquiry that says what it would bar is labelled like the measure (rubric).
        kind = "propose"
    if kind == "implement" and scores["implement"] < scores["restrict"] + 1.0:
        kind = "restrict"
    if kind == "relax" and slot is not None and slot.liberalising and not _removing(f):
        kind = "restrict"  # tariff cuts under RCEP deepen the agreement; leaving it stays relief
    if kind in ("propose", "inquire") and scores[kind] < 0.5 * scores["restrict"]:
        kind = "restrict"
    if slot is None or kind == "implement":
        return Step(slot, kind, None, actor_has_slot)
    if kind in ("propose", "inquire"):
        return Step(slot, kind, "announce", actor_has_slot)
    if kind == "relax":
        return Step(slot, kind, "remove" if _removing(f) else "ease", actor_has_slot)
    return Step(slot, kind, "tighten" if actor_has_slot else "adopt", actor_has_slot)


def _removing(f: Features) -> bool:
    """The relief lifts or leaves the measure altogether (lift, withdraw), not eases it."""
    return any(h.cue.key == "relax" and h.term in REMOVING_TERMS for h in f.hits("action"))


def step_is_relief(f: Features) -> bool:
    """The item's action cues lean to relief (cuts, exemptions), not to new restrictions."""
    scores = f.scores("action")
    return scores.get("relax", 0.0) > scores.get("restrict", 0.0)


def _without(f: Features, knowledge: Knowledge, counterpart: str) -> bool:
    """True when a third state is named and the counterpart is not (nor a group it is in)."""
    if f.hits("pair") or any(counterpart in knowledge.groups[h.cue.key] for h in f.hits("group")):
        return False
    named = {h.cue.state for h in f.hits("actor") if h.cue.weight > 0}
    return counterpart not in named and any(c not in f.pair for c in named)


def _legal_form(f: Features) -> bool:
    """The item announces a binding instrument (rule, order, law, ban), not an initiative."""
    return any(h.term in LEGAL_FORMS for h in f.hits("measure"))


def _cue_scores(f: Features, counterpart: str) -> tuple[float, float, list[str]]:
    conv = f.scores("stance").get("converging", 0.0)
    div = f.scores("stance").get("diverging", 0.0)
    cp = f.scores("cpstance")
    conv += cp.get(f"{counterpart}:converging", 0.0)
    div += cp.get(f"{counterpart}:diverging", 0.0)
    terms = f.terms("stance") + [h.term for h in f.hits("cpstance") if h.cue.key.startswith(counterpart)]
    return conv, div, terms


def decide_stance(
    f: Features,
    knowledge: Knowledge,
    picture: PolicyPicture,
    *,
    relevant: bool,
    actor: str | None,
    domain: str,
    china: bool,
    trace: dict[str, str] | None = None,
) -> tuple[Decision, tuple[PolicyEffect, ...]]:
    """Stance plus the effects this item has on the picture (empty when none).

    ``trace`` (optional) receives what the decision rested on: the slot and its flags, the
    kind of step and the counterpart's position (holds / lacks / removed / announced) --
    the learned component (service/classify/learned.py) reads these as features."""
    date = f.item.date
    if not relevant or actor is None:
        return Decision("neutral", 0.9, ()), ()
    if actor == "other":
        ev = Evidence(
            "stance", "third_country", "a third country acting alone has no bearing on the gap", 1.0
        )
        return Decision("neutral", 0.8, (ev,)), ()
    slot = choose_slot(f, knowledge, domain, china)
    if trace is not None and slot is not None:
        trace["slot"] = slot.key
    if actor == "joint":
        joint_effects: tuple[PolicyEffect, ...] = ()
        if slot is not None and not slot.divisive:
            # A deal on tariffs or a carve-out from the other's rule does not give both
            # countries the measure; only shared frameworks and common measures do.
            joint_effects = tuple(
                PolicyEffect(c, domain, slot.key, "adopt", date, f.item.id, f.item.title[:90]) for c in f.pair
            )
        ev = Evidence("stance", "joint_act", "a joint or minilateral act both join converges", 1.0)
        return Decision("converging", 0.85, (ev,)), joint_effects
    counterpart = other_of(f.pair, actor)
    if (
        slot is not None
        and slot.bilateral
        and slot.domain == "cooperation"
        and _without(f, knowledge, counterpart)
    ):
        # A partnership with a third state that leaves the counterpart out (Japan-India,
        # Japan-UK) is cooperation with a third party, not a shared framework.
        slot = knowledge.slots.get("cooperation/third_party", slot)
        if trace is not None and slot is not None:
            trace["slot"] = slot.key
    reacting = reaction(f) if actor == f.item.source_country else None
    if reacting == "objection":
        ev = Evidence(
            "stance",
            "formal_reaction",
            f"{actor} formally objects to or seeks exclusion from a {counterpart} measure",
            -1.0,
        )
        return Decision("diverging", 0.75, (ev,)), ()
    if reacting == "support":
        ev = Evidence(
            "stance", "domestic_support", f"{actor} cushions its firms from a {counterpart} measure", 0.0
        )
        return Decision("neutral", 0.7, (ev,)), ()
    if periodic_report(f) and f.source_kind != "think_tank":
        ev = Evidence("stance", "periodic_report", "a periodic report on measures in place", 0.0)
        return Decision("neutral", 0.75, (ev,)), ()
    joint_frame = implements_joint_act(f, knowledge)
    if joint_frame is not None and step_is_relief(f):
        ev = Evidence("stance", "implements_joint_act",
                      f"{actor} gives effect to a joint act ({joint_frame}): converges", 1.0)
        return Decision("converging", 0.75, (ev,)), ()
    own = picture.state(actor, slot.key, date) if slot else None
    said = remarks_titled(f)
    step = classify_step(f, slot, bool(own and own.in_force), remarks=said and actor != f.item.source_country)
    if trace is not None:
        trace["step"] = step.kind
        trace["own"] = "holds" if own and own.in_force else "lacks"
        if slot is not None:
            trace["cp"] = _position(picture, slot, counterpart, date)
    effects: tuple[PolicyEffect, ...] = ()
    # v1.21: analysis and remarks describe measures, they do not take them: only a measure
    # moves the picture (a minister's remark read as Japan's act once flipped later items)
    if slot is not None and step.action is not None and f.source_kind != "think_tank" and not said:
        effects = (PolicyEffect(actor, domain, slot.key, step.action, date, f.item.id, f.item.title[:90]),)
    conv, div, terms = _cue_scores(f, counterpart)
    cue_ev = Evidence("stance", "stance_cues", ", ".join(terms[:5]), conv - div)
    if f.source_kind == "think_tank" or abs(conv - div) >= CUE_MARGIN:
        if conv > div:
            return Decision("converging", 0.8, (cue_ev,)), effects
        if div > conv:
            return Decision("diverging", 0.8, (cue_ev,)), effects
        if f.source_kind == "think_tank" and not f.hits("slot"):
            return Decision("neutral", 0.55, ()), effects
    return _policy_stance(f, picture, step, actor, counterpart, conv, div, cue_ev, china), effects


SETTLED_CUE = 2.0  # base weight from which a title's in-force or correction cue is the subject
EXPLICIT_CUE = 4.0  # v1.24: "under its existing rules", "no new controls": settled wherever said


def _settled_step(f: Features, step: Step) -> bool:
    """A divisive measure the actor already has taking effect or being corrected: the gap was
    opened by the rule itself (rubric: entry into force, technical corrections are neutral).
    Tariffs and trade agreements are not: their entry into force is when they bite. A
    periodic report (v1.15) is settled in every field: it catalogues measures in place."""
    if periodic_report(f):
        return True
    if step.slot is None or step.slot.domain == "trade_policy":
        return False
    if any(h.cue.key == "implement" and h.cue.weight >= EXPLICIT_CUE for h in f.hits("action")):
        return True  # v1.24: the item says the rules exist, whatever the picture holds
    return step.holds and any(h.zone == "title" and h.cue.key in ("in_force", "implement")
                              and h.cue.weight >= SETTLED_CUE for h in f.hits("action"))


def _position(picture: PolicyPicture, slot: Slot, counterpart: str, date: dt.date) -> str:
    """The counterpart's position in the slot (or a related one) on the date, in one word."""
    theirs = picture.state(counterpart, slot.key, date)
    for other in slot.matches:
        if not theirs.in_force:
            related = picture.state(counterpart, other, date)
            theirs = related if related.in_force else theirs
    if theirs.in_force:
        return "holds"
    return {"remove": "removed", "announce": "announced"}.get(theirs.last_action or "", "lacks")


def _policy_stance(
    f: Features,
    picture: PolicyPicture,
    step: Step,
    actor: str,
    counterpart: str,
    conv: float,
    div: float,
    cue_ev: Evidence,
    china: bool,
) -> Decision:
    """Compare the step with the counterpart's position in the same slot on the item's date."""
    slot = step.slot
    kind = step.kind
    if slot is None:
        if conv != div:
            return Decision("converging" if conv > div else "diverging", 0.6, (cue_ev,))
        return Decision(
            "neutral", 0.55, (Evidence("stance", "no_slot", f"{actor} step matches no policy slot", 0.0),)
        )
    theirs = picture.state(counterpart, slot.key, f.item.date)
    for other in slot.matches:  # a related slot the counterpart holds counts as holding this one
        if not theirs.in_force:
            related = picture.state(counterpart, other, f.item.date)
            theirs = related if related.in_force else theirs
    policy = theirs.describe()
    named = any(h.cue.key.startswith(counterpart + ":") for h in f.hits("actor"))
    if slot.hits_counterpart and any(h.cue.key.startswith(counterpart + ":") for h in f.hits("actor")):
        firm = next((h.term for h in f.hits("actor") if h.cue.key.startswith(counterpart + ":")), counterpart)
        if kind == "relax":
            return Decision(
                "converging",
                0.7,
                (
                    Evidence(
                        "stance",
                        "counterpart_cleared",
                        f"{actor} clears a {counterpart} party ({firm}) in {slot.key}",
                        1.0,
                    ),
                ),
            )
        if kind == "restrict":
            return Decision(
                "diverging",
                0.7,
                (
                    Evidence(
                        "stance",
                        "counterpart_hit",
                        f"{actor} blocks a {counterpart} party ({firm}) in {slot.key}",
                        -1.0,
                    ),
                ),
            )
    if slot.neutral:
        return Decision(
            "neutral",
            0.7,
            (Evidence("stance", "policy", f"{slot.key} steps do not move the gap; {policy}", 0.0),),
        )
    if slot.bilateral and kind != "inquire":
        return Decision(
            "converging",
            0.75,
            (Evidence("stance", "policy", f"{slot.key} is a shared framework; {policy}", 1.0),),
        )
    if kind == "implement" and (not slot.divisive or _settled_step(f, step)):
        return Decision(
            "neutral",
            0.65,
            (Evidence("stance", "administrative", f"implementing step in {slot.key}; {policy}", 0.0),),
        )
    if kind == "inquire":
        if slot.divisive and slot.domain == "trade_policy" and named:
            return Decision(
                "diverging",
                0.6,
                (
                    Evidence(
                        "stance", "counterpart_hit", f"inquiry into {slot.key} names {counterpart}", -1.0
                    ),
                ),
            )
        if div > conv:
            return Decision("diverging", 0.6, (cue_ev,))
        return Decision(
            "neutral", 0.65, (Evidence("stance", "inquiry", f"open inquiry in {slot.key}; {policy}", 0.0),)
        )
    if kind == "relax":
        if (slot.divisive and slot.key == "trade_policy/china_tariffs"
                and f.scores("china").get("partner", 0.0) > 0):
            # v1.10: relief agreed in a deal with China itself (Geneva, Busan) is a bilateral
            # bargain with the target, not a move towards the counterpart (precedent).
            detail = f"{actor} eases {slot.key} in a deal with China"
            return Decision("neutral", 0.6, (Evidence("stance", "policy", detail, 0.0),))
        if theirs.in_force and step.action == "remove":
            return Decision(
                "diverging", 0.6, (Evidence("stance", "policy", f"{policy} -> {actor} leaves it", -1.0),)
            )
        if slot.divisive and (conv > div or not china):
            # Rolling back a unilateral gap-widening step narrows the gap; easing a
            # China-targeted control (a lifted denial order) is a routine step (rubric).
            return Decision(
                "converging",
                0.65,
                (Evidence("stance", "policy", f"{actor} eases a gap-widening {slot.key}; {policy}", 1.0),),
            )
        return Decision(
            "neutral", 0.55, (Evidence("stance", "policy", f"{actor} eases {slot.key}; {policy}", 0.0),)
        )
    if theirs.in_force:
        detail = f"{policy} -> {actor} step converges"
        return Decision("converging", 0.8, (Evidence("stance", "policy", detail, 1.0),))
    if slot.divisive or (china and kind == "restrict" and _legal_form(f)):
        # Rubric: country-targeted controls beyond the counterpart's scope widen the gap.
        detail = f"{policy} -> {actor} step in {slot.key} widens the gap"
        return Decision("diverging", 0.8, (Evidence("stance", "policy", detail, -1.0),))
    return Decision(
        "neutral", 0.6, (Evidence("stance", "policy", f"{policy} -> domestic step, no bearing", 0.0),)
    )
