"""The CLI contract: run_classify / run_evaluate on small temporary files."""

import io
import json

from service.classify.jsonl import run_classify, run_evaluate

US_LATER = {
    "id": "b",
    "date": "2026-04-01",
    "source": "BIS press releases",
    "source_country": "US",
    "title": "Commerce Extends Connected Vehicle Rule to Trucks",
    "summary": "The rule bars software and hardware from China and Russia in connected heavy trucks.",
    "labels": {
        "relevant": True,
        "actor": "US",
        "domain": "tech_security",
        "stance": "converging",
        "targets_china": True,
    },
}
JP_EARLIER = {
    "id": "a",
    "date": "2026-03-02",
    "source": "METI news releases",
    "source_country": "JP",
    "title": "Japan Restricts Chinese Software in Connected Vehicles",
    "summary": "A cabinet order bars connected cars from using vehicle software from Chinese suppliers.",
    "extra": "ignored",
    "labels": {
        "relevant": True,
        "actor": "JP",
        "domain": "tech_security",
        "stance": "converging",
        "targets_china": True,
    },
}
ROUTINE = {
    "id": "c",
    "date": "2026-01-10",
    "source": "MOF press releases",
    "source_country": "JP",
    "title": "Senior Personnel Changes",
    "summary": "New director-generals are appointed.",
    "labels": {
        "relevant": False,
        "actor": None,
        "domain": "none",
        "stance": "neutral",
        "targets_china": False,
    },
}


def write(tmp_path, rows, name="in.jsonl"):
    path = tmp_path / name
    path.write_text(
        "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows), encoding="utf-8"
    )
    return path


def test_classify_writes_one_line_per_item_in_date_order(tmp_path):
    out = io.StringIO()
    assert run_classify(write(tmp_path, [US_LATER, ROUTINE, JP_EARLIER]), out, progress=False) == 0
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line["id"] for line in lines] == ["c", "a", "b"]
    for line in lines:
        assert set(line) >= {"id", "labels", "confidence", "evidence"}
        assert set(line["labels"]) == {"relevant", "actor", "domain", "stance", "targets_china"}
    assert lines[0]["labels"]["relevant"] is False
    # The earlier Japanese rule (processed first though listed last) makes the US step converge.
    assert lines[2]["labels"]["stance"] == "converging"


def test_without_the_earlier_item_the_same_step_diverges(tmp_path):
    out = io.StringIO()
    run_classify(write(tmp_path, [US_LATER]), out, progress=False)
    assert json.loads(out.getvalue())["labels"]["stance"] == "diverging"


def test_malformed_line_fails_with_file_and_line_and_writes_nothing(tmp_path, capsys):
    path = write(tmp_path, [ROUTINE, "{not json", JP_EARLIER])
    out = io.StringIO()
    assert run_classify(path, out, progress=False) != 0
    assert out.getvalue() == ""
    assert f"{path}:2:" in capsys.readouterr().err


def test_missing_field_is_reported(tmp_path, capsys):
    bad = {k: v for k, v in ROUTINE.items() if k != "summary"}
    path = write(tmp_path, [JP_EARLIER, bad])
    assert run_classify(path, io.StringIO(), progress=False) == 2
    err = capsys.readouterr().err
    assert f"{path}:2:" in err and "summary" in err


def test_evaluate_prints_fields_goals_and_confusion(tmp_path):
    out = io.StringIO()
    assert run_evaluate(write(tmp_path, [US_LATER, ROUTINE, JP_EARLIER]), out) == 0
    text = out.getvalue()
    for name in (
        "relevant",
        "actor",
        "domain",
        "stance",
        "targets_china",
        "stance_macro_f1",
        "hard_stance_accuracy",
        "relevance_f1_ja",
        "stance confusion",
    ):
        assert name in text
    assert "relevance_f1=1.000" in text.splitlines()[-1]


def test_evaluate_requires_gold_labels(tmp_path, capsys):
    row = {k: v for k, v in ROUTINE.items() if k != "labels"}
    assert run_evaluate(write(tmp_path, [row]), io.StringIO()) == 2
    assert "labels" in capsys.readouterr().err
