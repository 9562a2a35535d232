"""The learned component: deterministic training, the shipped artefact, the hybrid and the
cross-validation (smoke runs on small slices so the suite stays fast)."""

import datetime as dt

import pytest

from service.classify import PolicyPicture, get_classifier
from service.classify.crossval import folds, run
from service.classify.learned import MODEL_PATH, load_model, model_to_json, softmax
from service.classify.train import FIELD_SETTINGS, TRAINING_FILES, Hyper, build_rows, main, train_model
from service.classify.types import ItemText

SMALL = Hyper(epochs=3)


@pytest.fixture(scope="module")
def rows():
    if not all(path.exists() for _, path in TRAINING_FILES):
        pytest.skip("a training file is missing")
    return build_rows()


def test_training_is_deterministic(rows):
    part = rows[::4]
    first = model_to_json(train_model(part, hyper=SMALL, fields=("stance",)))
    second = model_to_json(train_model(part, hyper=SMALL, fields=("stance",)))
    assert first == second


def test_shipped_artefact_is_rebuilt_bit_for_bit(rows, capsys):
    assert main(["--check"]) == 0
    assert "identical" in capsys.readouterr().out


def test_artefact_loads_with_the_chosen_settings():
    model = load_model(MODEL_PATH)
    assert model.version == "hybrid-v2"
    for name, fm in model.fields.items():
        assert fm.use == FIELD_SETTINGS[name].use
        assert fm.weights
        assert all(len(row) == len(fm.classes) for row in fm.weights.values())


def test_hybrid_keeps_rules_evidence_and_adds_the_model():
    hybrid = get_classifier("hybrid-v2")
    item = ItemText(
        "t-1",
        dt.date(2025, 3, 1),
        "Federal Register: Industry and Security Bureau",
        "US",
        "Entity List Additions of Chinese Chip Firms",
        "BIS adds 20 Chinese entities to the Entity List, restricting exports of US technology.",
    )
    result = hybrid.classify(item, PolicyPicture.from_baseline())
    assert result.version == "hybrid-v2"
    assert result.labels.actor == "US"
    features = {e.feature for e in result.evidence if e.field == "stance"}
    assert features & {"model_agrees", "model_override"}
    assert features - {"model_agrees", "model_override"}  # the rules' reasons stay
    assert all(0.0 <= c <= 1.0 for c in result.confidence.values())


def test_default_stays_the_rules():
    assert get_classifier().version.startswith("rules-")


def test_softmax_temperature_flattens():
    sharp = softmax([2.0, 0.0, 0.0], 1.0)
    flat = softmax([2.0, 0.0, 0.0], 2.0)
    assert abs(sum(flat) - 1.0) < 1e-9
    assert flat[0] < sharp[0]


def test_crossval_smoke_on_a_slice(rows):
    part = rows[::6]
    names = [f.name for f in folds(part)]
    assert any(n.startswith("time") for n in names)
    assert any(n.startswith("source") for n in names)
    lines: list[str] = []
    means = run(part, hyper=SMALL, out=lines.append)
    assert set(means) == {"rules", "hybrid"}
    assert all(0.0 <= v <= 1.0 for m in means.values() for v in m.values())
    assert any(line.startswith("mean over") for line in lines)


def test_stance_trace_records_the_counterpart_position():
    from service.classify.engine import RulesClassifier

    item = ItemText(
        "t-2",
        dt.date(2024, 1, 10),
        "METI news releases",
        "JP",
        "Export Controls on Advanced Semiconductor Manufacturing Equipment Expanded",
        "METI adds chip-making tools to the list requiring export licences.",
    )
    trace: dict[str, str] = {}
    RulesClassifier().analyse(item, PolicyPicture.from_baseline(), trace)
    assert trace.get("slot", "").startswith("export_controls/")
    assert trace.get("cp") in {"holds", "lacks", "removed", "announced"}
