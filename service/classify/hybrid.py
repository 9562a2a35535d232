"""The hybrid classifier: the rules decide, a small learned model reviews chosen fields.

The rules run first (labels, evidence, policy effects). For each field the cross-validation
chose (``FieldModel.use``), a logistic regression over the rules' own features plus hashed
n-grams (service/classify/learned.py) gives calibrated probabilities; when its best class
differs from the rules' and it is at least ``threshold`` sure, it wins. The rubric's fixed
couplings stay: a joint act converges, a third state acting alone is neutral. Policy
effects are the rules' (they describe the step, not the stance); they are dropped only if
the model moves the actor, since they would credit the wrong state.
"""

from __future__ import annotations

import dataclasses

from service.classify.engine import RulesClassifier
from service.classify.knowledge import Knowledge
from service.classify.learned import FieldModel, Model, encode, featurise, load_model
from service.classify.policy import PolicyPicture
from service.classify.types import Classification, Evidence, ItemText, Labels

HYBRID_VERSION = "hybrid-v2"
FIELD_ORDER = ("actor", "domain", "targets_china", "stance")


class HybridClassifier:
    """Rules plus the shipped model artefact (data/model.json)."""

    version = HYBRID_VERSION

    def __init__(self, knowledge: Knowledge | None = None, model: Model | None = None) -> None:
        self.rules = RulesClassifier(knowledge)
        self.knowledge = self.rules.knowledge
        self.model = model or load_model()
        used = {name for name, fm in self.model.fields.items() if fm.use}
        self._stance_only = used <= {"stance"}

    def classify(self, item: ItemText, picture: PolicyPicture) -> Classification:
        trace: dict[str, str] = {}
        result, f = self.rules.analyse(item, picture, trace)
        if not result.labels.relevant or (
            self._stance_only and result.labels.actor not in ("US", "JP")
        ):  # nothing the model may change (rubric couplings fix joint/other stance)
            return dataclasses.replace(result, version=self.version)
        features = featurise(item, f, result, trace, self.knowledge)
        return combine(result, features, self.model, self.version)


def _value(field: str, labels: Labels) -> str:
    raw = getattr(labels, field)
    return ("true" if raw else "false") if isinstance(raw, bool) else str(raw)


def _set(labels: Labels, field: str, value: str) -> Labels:
    if field == "targets_china":
        return dataclasses.replace(labels, targets_china=value == "true")
    if field == "actor":
        return dataclasses.replace(labels, actor=value)
    if field == "domain":
        return dataclasses.replace(labels, domain=value)
    return dataclasses.replace(labels, stance=value)


def combine(result: Classification, features: list[str], model: Model, version: str) -> Classification:
    """Apply the model's chosen fields to a relevant item's rules classification."""
    x = encode(features)
    labels = result.labels
    confidence = dict(result.confidence)
    evidence = list(result.evidence)
    for field in FIELD_ORDER:
        fm = model.fields.get(field)
        if fm is None or not fm.use:
            continue
        if field == "stance" and labels.actor not in ("US", "JP"):
            continue  # rubric: joint acts converge, third states acting alone are neutral
        probs = fm.probabilities(x)
        ruled = _value(field, labels)
        best = max(range(len(fm.classes)), key=lambda i: probs[i])
        chosen = fm.classes[best] if probs[best] >= fm.threshold else ruled
        if ruled not in fm.classes:
            chosen = ruled
        if chosen != ruled:
            labels = _set(labels, field, chosen)
            if field == "actor":
                labels = dataclasses.replace(labels, stance=_coupled_stance(chosen, labels.stance))
        p = probs[fm.classes.index(chosen)]
        confidence[field] = p
        evidence.append(_model_evidence(fm, features, x, field, chosen, ruled, p))
    effects = result.effects if labels.actor == result.labels.actor else ()
    return Classification(labels, confidence, tuple(evidence), version, effects)


def _coupled_stance(actor: str, stance: str) -> str:
    return {"joint": "converging", "other": "neutral"}.get(actor, stance)


def _model_evidence(
    fm: FieldModel,
    features: list[str],
    x: list[tuple[int, float]],
    field: str,
    chosen: str,
    ruled: str,
    p: float,
) -> Evidence:
    top = ", ".join(f"{name}({push:+.2f})" for name, push in fm.top_features(features, chosen, x))
    if chosen != ruled:
        return Evidence(
            field, "model_override", f"model p={p:.2f} for {chosen} over rules' {ruled}: {top}", p
        )
    return Evidence(field, "model_agrees", f"model p={p:.2f} for {chosen}: {top}", p)
