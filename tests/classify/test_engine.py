import dataclasses

import pytest

from service.classify import (
    Classification,
    ItemText,
    Labels,
    PolicyPicture,
    available_classifiers,
    classify_stream,
    default_classifier_name,
    get_classifier,
    register_classifier,
)
from tests.classify.factories import item


def test_registry_returns_the_rules_classifier_by_name():
    assert default_classifier_name in available_classifiers()
    assert get_classifier("rules-v1").version.startswith("rules-v1")
    with pytest.raises(KeyError, match="unknown classifier"):
        get_classifier("no-such-model")


@dataclasses.dataclass
class AlwaysIrrelevant:
    version: str = "stub-1"

    def classify(self, item: ItemText, picture: PolicyPicture) -> Classification:
        return Classification(Labels.irrelevant(), {"relevant": 1.0}, (), self.version)


def test_another_implementation_can_be_swapped_in_by_name():
    register_classifier("stub", AlwaysIrrelevant)
    out = classify_stream(
        [item("Commerce Adds Firms to the Entity List", source="BIS press releases", country="US")],
        classifier=get_classifier("stub"),
    )
    assert out[0][1].version == "stub-1" and not out[0][1].labels.relevant


def test_classification_json_carries_version_confidence_evidence_and_effects():
    result = get_classifier().classify(
        item(
            "Commerce Adds Chinese Firms to the Entity List",
            "Licences are required for all items.",
            source="BIS press releases",
            country="US",
        ),
        PolicyPicture.from_baseline(),
    )
    data = result.to_json_dict()
    assert data["version"] == result.version
    assert set(data["confidence"]) == {"relevant", "actor", "domain", "stance", "targets_china"}
    assert all(0.0 <= v <= 1.0 for v in data["confidence"].values())
    assert {e["field"] for e in data["evidence"]} >= {"relevant", "actor", "domain", "stance"}
    assert data["effects"][0]["slot"] == "export_controls/china_end_use"
    assert Labels.from_dict(data["labels"]) == result.labels
