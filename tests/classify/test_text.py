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
