"""Offset-keeping text helpers for the extractor: tokens, folding, sentences, years.

Every token keeps its code-point offsets into the finding text, so whatever the
extractor finds can be cut back out of the text exactly
(`text[start:end] == surface_form`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from kb.text import fold_accents

# An elided French article or preposition ("l'", "d'") is a token of its own, so
# "l'Office" yields "l'" + "Office"; otherwise words keep inner hyphens and
# apostrophes ("By-law", "Inter-Agency", "City's").
_TOKEN = re.compile(r"(?:[dDlLjJnNsScC]|[Qq]u)['’](?=\w)|\w+(?:[-'’]\w+)*|\S")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "´": "'"})
_ACRONYM = re.compile(r"^[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ0-9&]*[A-ZÀ-ÖØ-Þ0-9]$")
_YEAR = re.compile(r"(?<!\w)(\d{4})(?!\w)(?![.,]\d)")
# Three or more digit groups separated by single spaces: a phone number or a code
# ("0800 1800 200"), whose four-digit groups are not years.
_DIGIT_GROUPS = re.compile(r"(?<![\w.,])\d+(?: \d+){2,}(?![\w]|[.,]\d)")
OPENING_QUOTES = {"“": "”", "«": "»", '"': '"', "„": "“", "‹": "›"}


def fold(text: str) -> str:
    """Matching form of a word or phrase: accents dropped, case folded, ’ -> '."""
    return fold_accents(text).translate(_APOSTROPHES).casefold()


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int
    folded: str

    @property
    def is_word(self) -> bool:
        return self.text[0].isalnum()

    @property
    def is_alpha(self) -> bool:
        return self.text[0].isalpha()

    @property
    def is_cap(self) -> bool:
        """Starts with an upper-case letter (a candidate name word)."""
        return self.text[0].isupper()

    @property
    def is_acronym(self) -> bool:
        """Two or more capitals, maybe with digits or '&' (IOM, ACNUR, R4V)."""
        return bool(_ACRONYM.match(self.text)) and sum(c.isupper() for c in self.text) >= 2

    @property
    def is_mixed_acronym(self) -> bool:
        """An acronym with a few lower-case letters ("CNIg", "MinTIC"): more capitals
        than lower-case letters, at least two capitals. Trusted only where the text
        defines it in parentheses."""
        t = self.text
        if not (t.isalpha() and t[0].isupper()):
            return False
        upper = sum(c.isupper() for c in t)
        return upper >= 2 and 0 < len(t) - upper < upper

    @property
    def is_number(self) -> bool:
        return self.text[0].isdigit()


def tokenize(text: str) -> list[Token]:
    return [Token(m.group(), m.start(), m.end(), fold(m.group())) for m in _TOKEN.finditer(text)]


def phrase_tokens(phrase: str) -> tuple[str, ...]:
    """Folded tokens of a phrase from the rule tables or the gazetteer."""
    if phrase.endswith(("'", "’")):
        # An elided article ("de l'", "d'") is a token only before a word.
        return tuple(t.folded for t in tokenize(phrase + "x"))[:-1]
    return tuple(t.folded for t in tokenize(phrase))


V = TypeVar("V")


class PhraseIndex(Generic[V]):
    """Longest-first look-up of multi-token phrases at a token position."""

    def __init__(self, phrases: Iterable[tuple[tuple[str, ...], V]]) -> None:
        self._by_first: dict[str, list[tuple[tuple[str, ...], V]]] = {}
        for words, value in phrases:
            if words:
                self._by_first.setdefault(words[0], []).append((words, value))
        for entries in self._by_first.values():
            entries.sort(key=lambda e: -len(e[0]))

    def match(self, tokens: Sequence[Token], i: int) -> tuple[int, V] | None:
        """(number of tokens, value) of the longest phrase starting at token i."""
        if i >= len(tokens):
            return None
        for words, value in self._by_first.get(tokens[i].folded, ()):
            n = len(words)
            if i + n <= len(tokens) and all(tokens[i + k].folded == words[k] for k in range(1, n)):
                return n, value
        return None

    def all_matches(self, tokens: Sequence[Token], i: int) -> list[tuple[int, V]]:
        """Every phrase starting at token i, longest first."""
        if i >= len(tokens):
            return []
        found = []
        for words, value in self._by_first.get(tokens[i].folded, ()):
            n = len(words)
            if i + n <= len(tokens) and all(tokens[i + k].folded == words[k] for k in range(1, n)):
                found.append((n, value))
        return found

    def __contains__(self, words: tuple[str, ...]) -> bool:
        return any(w == words for w, _ in self._by_first.get(words[0] if words else "", ()))


def sentence_spans(tokens: Sequence[Token], abbreviations: frozenset[str]) -> list[range]:
    """Token ranges of sentences: split after . ; ! ? unless the dot ends an abbreviation
    ("No. 3") or sits inside a number."""
    spans: list[range] = []
    start = 0
    for i, tok in enumerate(tokens):
        if tok.text not in {".", ";", "!", "?"}:
            continue
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if tok.text == "." and i > 0:
            prev = tokens[i - 1]
            if prev.folded in abbreviations and prev.end == tok.start:
                continue
            if nxt is not None and nxt.start == tok.end:  # "1.234", "e.g."
                continue
        if nxt is None:
            continue
        spans.append(range(start, i + 1))
        start = i + 1
    if start < len(tokens):
        spans.append(range(start, len(tokens)))
    return spans


@dataclass(frozen=True, slots=True)
class YearSpan:
    year: int
    start: int
    end: int


def find_years(
    text: str,
    *,
    minimum: int,
    maximum: int,
    excluded: Iterable[tuple[int, int]] = (),
) -> list[YearSpan]:
    """Four-digit years in [minimum, maximum] standing alone or inside references.

    `excluded` holds spans that are known not to be years (law numbers). Dotted
    thousands ("12.000") and "COVID-19" never match: a year is exactly four
    digits with no letter or digit on either side and no decimal part after it.
    Nor do groups of a digit sequence such as a phone number ("0800 1800 200").
    """
    skip = list(excluded)
    skip.extend(m.span() for m in _DIGIT_GROUPS.finditer(text))
    found = []
    for m in _YEAR.finditer(text):
        value = int(m.group(1))
        if not minimum <= value <= maximum:
            continue
        if any(s <= m.start() and m.end() <= e for s, e in skip):
            continue
        found.append(YearSpan(value, m.start(), m.end()))
    return found


def quote_pairs(text: str) -> list[tuple[int, int]]:
    """(start, end) of the content of each balanced quotation: “…”, «…», "…".

    An unmatched closing mark (the real profile has one) is ignored.
    """
    pairs = []
    i = 0
    while i < len(text):
        ch = text[i]
        closing = OPENING_QUOTES.get(ch)
        if closing is not None:
            j = text.find(closing, i + 1)
            if j > i + 1:
                pairs.append((i + 1, j))
                i = j + 1
                continue
        i += 1
    return pairs
