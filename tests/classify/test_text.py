from service.classify.text import PhraseMatcher, normalise, stem, tokenise


def test_normalise_folds_full_width_forms():
    assert normalise("日米経済版２＋２とＧ７") == "日米経済版2+2とg7"
    assert normalise("U.S. Steel's bid") == "us steel bid"


def test_stem_folds_plurals_but_keeps_acronyms():
    assert stem("tariffs") == "tariff"
    assert stem("entities") == "entity"
    assert stem("cfius") == "cfius"
    assert stem("us") == "us"


def test_matcher_finds_phrases_prefixes_and_japanese_substrings():
    matcher = PhraseMatcher(
        [("entity list", "el"), ("export control*", "ec"), ("外為法", "fefta"), ("g7", "g7")]
    )
    text = normalise(
        "Commerce adds firms to the Entity Lists; export controlling rules; 外為法の改正（Ｇ７）"
    )
    found = {m.payload for m in matcher.find(text, tokenise(text))}
    assert found == {"el", "ec", "fefta", "g7"}


def test_matcher_respects_word_boundaries():
    matcher = PhraseMatcher([("ira", "ira"), ("ear", "ear")])
    text = normalise("Aspirations for the year ahead")
    assert matcher.find(text, tokenise(text)) == []


def test_matcher_reads_each_phrase_to_its_own_end_however_often_its_start_recurs():
    """Phrases sharing their first words, met again and again in one text and across texts,
    with a different continuation each time and one cut off by the end of the text."""
    matcher = PhraseMatcher([
        ("united states and japan", "us-jp"), ("united states and china", "us-cn"),
        ("the united states government", "usg"), ("united states", "us"),
        ("export control* on chip*", "ec-chips"), ("export control* regime", "ec-regime"),
    ])

    def found(raw: str) -> list[tuple[str, int]]:
        text = normalise(raw)
        return [(m.payload, m.start) for m in matcher.find(text, tokenise(text))]

    text = ("The United States and Japan, then the United States and China; "
            "export controls on chips and an export control regime, and the United States and")
    assert found(text) == found(text)  # the second reading answers from what the first kept
    assert sorted(p for p, _ in found(text)) == sorted(
        ["us", "us-jp", "us", "us-cn", "ec-chips", "ec-regime", "us"])
    assert sorted(p for p, _ in found("the United States government")) == ["us", "usg"]
    assert found("export controls on") == []  # the phrase runs past the end
    assert sorted(p for p, _ in found("the United States and Japan")) == ["us", "us-jp"]
