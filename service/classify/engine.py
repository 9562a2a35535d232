"""The Classifier interface, the rules implementation and the registry of named classifiers.

A Protocol plus a name -> factory registry, so a different classifier can be swapped in by
configuration (``get_classifier(settings.classifier)``) without touching callers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from service.classify.fields import Decision, decide_actor, decide_china, decide_domain, decide_relevance
from service.classify.knowledge import Knowledge, load_knowledge
from service.classify.policy import PolicyPicture
from service.classify.rules import Features, extract
from service.classify.stance import decide_stance
from service.classify.types import Classification, Evidence, ItemText, Labels

RULES_VERSION = "rules-v1.31"


class Classifier(Protocol):
    """Labels one item against the policy picture as of the item's date."""

    version: str

    def classify(self, item: ItemText, picture: PolicyPicture) -> Classification: ...


class RulesClassifier:
    """Lexicon and policy-picture rules; offline, deterministic, no trained artefact."""

    version = RULES_VERSION

    def __init__(self, knowledge: Knowledge | None = None) -> None:
        self.knowledge = knowledge or load_knowledge()

    def classify(self, item: ItemText, picture: PolicyPicture) -> Classification:
        return self.analyse(item, picture)[0]

    def analyse(
        self, item: ItemText, picture: PolicyPicture, trace: dict[str, str] | None = None
    ) -> tuple[Classification, Features]:
        """The classification plus the cue features behind it; ``trace`` (optional) receives
        the stance route (slot, step kind, counterpart position) for the learned component."""
        pair = picture.pair
        f = extract(item, self.knowledge, pair)
        relevance = decide_relevance(f, self.knowledge)
        relevant = bool(relevance.value)
        actor_d: Decision | None = None
        domain_d: Decision | None = None
        if relevant:
            actor_d = decide_actor(f, self.knowledge)
            actor = str(actor_d.value)
            domain_d = decide_domain(f, actor, self.knowledge)
            domain = str(domain_d.value)
            if domain == "none":
                domain = "cooperation"
        else:
            actor, domain = None, "none"
        china_d = decide_china(f, relevant, actor_d.detail if actor_d else "")
        stance_d, effects = decide_stance(
            f,
            self.knowledge,
            picture,
            relevant=relevant,
            actor=actor,
            domain=domain,
            china=bool(china_d.value),
            trace=trace,
        )
        labels = Labels(relevant, actor, domain, str(stance_d.value), bool(china_d.value))
        confidence = {
            "relevant": relevance.confidence,
            "actor": actor_d.confidence if actor_d else relevance.confidence,
            "domain": domain_d.confidence if domain_d else relevance.confidence,
            "stance": stance_d.confidence,
            "targets_china": china_d.confidence,
        }
        evidence = (
            relevance.evidence
            + (actor_d.evidence if actor_d else ())
            + (domain_d.evidence if domain_d else ())
            + stance_d.evidence
            + china_d.evidence
        )
        if relevant:
            source = f"{item.source_country}/{f.source_kind}/{f.language}"
            evidence += (Evidence("actor", "feed", source, 0.0),)
        return Classification(labels, confidence, evidence, self.version, effects), f


def _hybrid() -> Classifier:
    from service.classify.hybrid import HybridClassifier  # imports this module

    return HybridClassifier()


_REGISTRY: dict[str, Callable[[], Classifier]] = {"rules-v1": RulesClassifier, "hybrid-v2": _hybrid}
default_classifier_name = "rules-v1"


def register_classifier(name: str, factory: Callable[[], Classifier]) -> None:
    """Make another implementation selectable by name (configuration)."""
    _REGISTRY[name] = factory


def available_classifiers() -> list[str]:
    return sorted(_REGISTRY)


def get_classifier(name: str = default_classifier_name) -> Classifier:
    try:
        factory = _REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown classifier {name!r}; known: {', '.join(available_classifiers())}") from None
    return factory()
