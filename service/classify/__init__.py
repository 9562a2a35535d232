"""Classify economic-security feed items per the rubric (shared/data/RUBRIC.md).

The public surface: ``get_classifier(name)`` returns a ``Classifier``; ``classify_stream``
labels items in date order against an evolving ``PolicyPicture``; ``jsonl.run_classify`` and
``jsonl.run_evaluate`` are the CLI contract. See docs/classifier.md.
"""

from service.classify.batch import classify_stream
from service.classify.engine import (
    RULES_VERSION,
    Classifier,
    RulesClassifier,
    available_classifiers,
    default_classifier_name,
    get_classifier,
    register_classifier,
)
from service.classify.policy import PolicyPicture, SlotState
from service.classify.types import (
    Classification,
    Evidence,
    ItemText,
    Labels,
    PolicyEffect,
)

__all__ = [
    "RULES_VERSION",
    "Classification",
    "Classifier",
    "Evidence",
    "ItemText",
    "Labels",
    "PolicyEffect",
    "PolicyPicture",
    "RulesClassifier",
    "SlotState",
    "available_classifiers",
    "classify_stream",
    "default_classifier_name",
    "get_classifier",
    "register_classifier",
]
