"""Text normalisation and fast phrase lookup for the rules classifier. Pure: no I/O.

The issue asks for at least 5,000 items/s on one core, so lexicon matching avoids one regex
per term: English phrases are looked up token by token in a dict keyed by their first
token; Japanese phrases (no word boundaries) are found by a two-character index over the
text. Everything runs on NFKC-folded lower-case text so full-width forms (２＋２, Ｇ７)
match their ASCII spellings.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any, Generic, NamedTuple, TypeVar

P = TypeVar("P")

_TOKEN = re.compile(r"[a-z0-9]+(?:[+&][a-z0-9]+)*")
_JA_SCRIPT = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
_REPLACEMENTS = (
    ("\u2019", "'"),
    ("\u2018", "'"),
    ("u.s.a.", "usa"),
    ("u.s.", "us"),
    ("u.k.", "uk"),
    ("e.u.", "eu"),
    ("'s ", " "),
    ("'s,", ","),
    ("'s.", "."),
    ("’s ", " "),
)
_NO_STEM = frozenset({"news", "always", "series", "lens", "us", "its", "has", "was", "gas", "this"})
_STEMS: dict[str, str] = {}


def normalise(text: str) -> str:
    """NFKC-fold, lower-case and spell out the abbreviations our lexicons use."""
    # NFKC leaves ASCII as it is; most English items skip the Unicode tables entirely
    folded = text.lower() if text.isascii() else unicodedata.normalize("NFKC", text).lower()
    for old, new in _REPLACEMENTS:
        if old in folded:
            folded = folded.replace(old, new)
    return folded


def is_japanese(text: str) -> bool:
    return not text.isascii() and _JA_SCRIPT.search(text) is not None


def stem(token: str) -> str:
    """Fold English plurals so lexicons need only the singular ("tariffs" -> "tariff")."""
    cached = _STEMS.get(token)
    if cached is not None:
        return cached
    out = token
    if token not in _NO_STEM and len(token) > 3:
        if token.endswith("ies") and len(token) > 4:
            out = token[:-3] + "y"
        elif token.endswith("s") and not token.endswith(("ss", "us", "is")):
            out = token[:-1]
    if len(_STEMS) < 200_000:
        _STEMS[token] = out
    return out


class Tokens(NamedTuple):
    """A text's ASCII words (stemmed) and their offsets in the normalised text, as two lists:
    made for every item, so no object per word."""

    words: list[str]
    starts: list[int]


def tokenise(text: str) -> Tokens:
    """ASCII word tokens (stemmed) with their character offsets in the normalised text."""
    stems = _STEMS
    return Tokens([stems.get(w) or stem(w) for w in _TOKEN.findall(text)],
                  [m.start() for m in _TOKEN.finditer(text)])


class Match(NamedTuple, Generic[P]):
    payload: P
    term: str
    start: int


_Rests = list[tuple[tuple[str, ...], str, P]]
# (single-word terms, two-word terms by their second word, terms whose rest follows the word,
# the longest of those rests)
_WordEntry = tuple[list[tuple[str, P]], dict[str, _Rests[P]], _Rests[P], int]
_NO_TERM: _WordEntry[Any] = ([], {}, [], 0)
_MAX_CACHED_WORDS = 200_000
_new = tuple.__new__  # builds a NamedTuple in C, skipping its Python-level __new__


class PhraseMatcher(Generic[P]):
    """Find every lexicon term in a text; each term carries a payload (a tag, a weight).

    English terms match whole tokens; a token ending in ``*`` matches any token with that
    prefix (at least three characters). Terms with non-ASCII characters match as
    substrings of the normalised text.
    """

    def __init__(self, entries: Iterable[tuple[str, P]]) -> None:
        # Single-word terms by word; longer ones by their first two words, so a common first
        # word ("the", "us") does not make every text token try dozens of phrases.
        self._one: dict[str, list[tuple[str, P]]] = {}
        self._two: dict[tuple[str, str], list[tuple[tuple[str, ...], str, P]]] = {}
        # "export*": by the prefix's first three letters; "rare earth*": by the exact first word
        self._prefix: dict[str, list[tuple[str, tuple[str, ...], str, P]]] = {}
        self._first_then_prefix: dict[str, list[tuple[tuple[str, ...], str, P]]] = {}
        self._ja: dict[str, list[tuple[str, P]]] = {}
        for raw_term, payload in entries:
            term = normalise(raw_term).strip()
            if not term:
                continue
            if term.isascii():
                self._add_ascii(term, payload)
            elif len(term) >= 2:
                self._ja.setdefault(term[:2], []).append((term, payload))
            else:
                raise ValueError(f"lexicon term too short for substring matching: {raw_term!r}")
        self._two_by_first: dict[str, dict[str, list[tuple[tuple[str, ...], str, P]]]] = {}
        for (first, second), rests in self._two.items():
            self._two_by_first.setdefault(first, {})[second] = rests
        self._entries: dict[str, _WordEntry[P]] = {}  # word -> its candidate terms, filled lazily
        # the longest rest among the terms that start with each two words
        self._two_depth = {key: _depth(rests) for key, rests in self._two.items()}
        # term matches per window of words after the ones a term was found by (_completed)
        self._two_done: dict[tuple[str, ...], list[tuple[str, P]]] = {}
        self._after_done: dict[tuple[str, ...], list[tuple[str, P]]] = {}
        # Where a Japanese term may start: one C-speed scan for the characters that begin one,
        # instead of a Python loop over every character pair of the text.
        firsts = "".join(sorted({key[0] for key in self._ja}))
        self._ja_start = re.compile(f"[{re.escape(firsts)}]") if firsts else None

    def _add_ascii(self, term: str, payload: P) -> None:
        words = re.findall(r"[a-z0-9]+(?:[+&][a-z0-9]+)*\*?", term)
        parts = [p if p.endswith("*") else stem(p) for p in words]
        if not parts:
            raise ValueError(f"lexicon term has no word: {term!r}")
        first = parts[0]
        if first.endswith("*"):
            prefix = first[:-1]
            if len(prefix) < 3:
                raise ValueError(f"prefix too short in {term!r}")
            self._prefix.setdefault(prefix[:3], []).append((prefix, tuple(parts[1:]), term, payload))
        elif len(parts) == 1:
            self._one.setdefault(first, []).append((term, payload))
        elif parts[1].endswith("*"):
            self._first_then_prefix.setdefault(first, []).append((tuple(parts[1:]), term, payload))
        else:
            self._two.setdefault((first, parts[1]), []).append((tuple(parts[2:]), term, payload))

    def _word_entry(self, word: str) -> _WordEntry[P]:
        """Every way a term can start at ``word``, gathered once per distinct word."""
        after = [(rest, term, payload) for pre, rest, term, payload in self._prefix.get(word[:3], ())
                 if word.startswith(pre)]
        after += self._first_then_prefix.get(word, [])
        singles = self._one.get(word, [])
        nexts = self._two_by_first.get(word, {})
        if not (singles or nexts or after):
            return _NO_TERM
        return singles, nexts, after, _depth(after)

    def _completed(self, cache: dict[tuple[str, ...], list[tuple[str, P]]], window: tuple[str, ...],
                   lead: int, rests: _Rests[P]) -> list[tuple[str, P]]:
        """The terms of ``rests`` (those that start with the ``lead`` first words of
        ``window``) whose remaining words follow in ``window``, in their order.

        A term's match depends only on the words of the window, so the answer is kept per
        window: "the united states" leads to dozens of phrases, and checking each against
        the text was most of the matcher's time (bench/ingest.py)."""
        found = cache.get(window)
        if found is None:
            found = [(term, payload) for rest, term, payload in rests
                     if _rest_matches(window, lead, rest)]
            if len(cache) < _MAX_CACHED_WORDS:
                cache[window] = found
        return found

    def find(self, text: str, tokens: Tokens) -> list[Match[P]]:
        """All matches in ``text`` (already normalised) and its ``tokens``."""
        found: list[Match[P]] = []
        entries = self._entries
        words, starts = tokens
        n = len(words)
        for i, word in enumerate(words):
            entry = entries.get(word)
            if entry is None:
                entry = self._word_entry(word)
                if len(entries) < _MAX_CACHED_WORDS:
                    entries[word] = entry
            if entry is _NO_TERM:
                continue
            singles, nexts, after, after_depth = entry
            start = starts[i]
            for term, payload in singles:
                found.append(_new(Match, (payload, term, start)))
            if nexts and i + 1 < n and (two := nexts.get(words[i + 1])):
                window = (word, *words[i + 1 : i + 2 + self._two_depth[word, words[i + 1]]])
                for term, payload in self._completed(self._two_done, window, 2, two):
                    found.append(_new(Match, (payload, term, start)))
            if after:
                window = (word, *words[i + 1 : i + 1 + after_depth])
                for term, payload in self._completed(self._after_done, window, 1, after):
                    found.append(_new(Match, (payload, term, start)))
        if self._ja_start is not None and not text.isascii():
            ja = self._ja
            for hit in self._ja_start.finditer(text):
                i = hit.start()
                for term, payload in ja.get(text[i : i + 2], ()):
                    if text.startswith(term, i) and not _runs_on(text, term, i):
                        found.append(_new(Match, (payload, term, i)))
        return found


def _runs_on(text: str, term: str, start: int) -> bool:
    """A term ending in a Latin letter or digit must end a word: グループa is not the start
    of グループapt40."""
    end = start + len(term)
    return term[-1].isascii() and term[-1].isalnum() and end < len(text) and text[end].isascii() \
        and text[end].isalnum()


def _depth(rests: _Rests[Any]) -> int:
    """How many words after its lead a term of ``rests`` may need."""
    return max((len(rest) for rest, _, _ in rests), default=0)


def _rest_matches(words: Sequence[str], start: int, rest: tuple[str, ...]) -> bool:
    """Whether ``rest`` (words, or ``*`` prefixes) follows from ``words[start]`` on."""
    if start + len(rest) > len(words):
        return False
    for word, part in zip(words[start:], rest, strict=False):
        if part.endswith("*"):
            if not word.startswith(part[:-1]):
                return False
        elif word != part:
            return False
    return True
