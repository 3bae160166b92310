"""The per-profile context of extraction: the candidates found in one finding,
the entities they resolve to, identity keys and slugs, and small text helpers
shared by the recognising modules (the method is described in `extractor.py`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from kb.extract.gazetteer import GazetteerEntry
from kb.extract.rules import (
    DEFAULT_REFERENCE_DIR,
    RULES_FILE,
    ExtractionRules,
    Head,
    Keyword,
    LanguageRules,
    rules_at,
)
from kb.extract.tokens import (
    Token,
    phrase_tokens,
)
from kb.model import (
    EntityKind,
    Finding,
    Organization,
)
from kb.text import slugify

MUNICIPAL_GOVERNMENT = "municipal-government"
MUNICIPAL_GOVERNMENT_KEY = ("municipal", "government")
CONTEXT_PARENT_TYPES = frozenset({"municipal-secretariat"})
OWNED_TYPES = frozenset({"service-centre", "research-centre", "municipal-secretariat"})
DEFAULT_GOVERNMENT_LABEL = {
    "es": "Alcaldía de {place}",
    "en": "Municipal government of {place}",
    "fr": "Mairie de {place}",
    "pt": "Prefeitura de {place}",
}


# --- candidates found in one finding -----------------------------------------------


@dataclass(slots=True)
class OrgCandidate:
    start_tok: int
    end_tok: int  # exclusive
    name: str  # label-ready name (a coordinated conjunct gets its head back)
    name_words: tuple[str, ...]  # folded tokens of `name`
    head: Head | None = None
    gazetteer: tuple[GazetteerEntry, ...] = ()
    acronym_of: str | None = None  # an acronym token: the acronym itself
    synthetic: bool = False  # name rebuilt for a coordinated conjunct
    parent_tok: int | None = None  # a stated parent body starts at this token
    left_words: int = 0  # English pre-modifiers before the head
    chapter_of: GazetteerEntry | None = None
    anaphor: bool = False  # "la préfecture": the one earlier body with this head
    entity: str = ""  # identity key, set during resolution


@dataclass(slots=True)
class InstrumentCandidate:
    start_tok: int
    end_tok: int
    start: int  # character offsets of the surface form
    end: int
    title: str
    keyword: Keyword
    instrument_type: str
    kind: str  # numbered | titled | quoted | generic
    creator_tok: int | None = None
    entity: str = ""
    key_title: str = ""  # the title that gives the identity key, when not `title`
    aliases: tuple[str, ...] = ()  # other references folded into this one


Candidate = OrgCandidate | InstrumentCandidate


@dataclass(slots=True)
class FindingWork:
    finding: Finding
    tokens: list[Token]
    sentences: list[range]
    orgs: list[OrgCandidate] = field(default_factory=list)
    instruments: list[InstrumentCandidate] = field(default_factory=list)
    raw_gazetteer: list[OrgCandidate] = field(default_factory=list)
    number_spans: list[tuple[int, int]] = field(default_factory=list)

    def sentence_of(self, tok: int) -> range:
        for span in self.sentences:
            if tok in span:
                return span
        return range(0, len(self.tokens))

    def surface(self, start_tok: int, end_tok: int) -> tuple[int, int, str]:
        start = self.tokens[start_tok].start
        end = self.tokens[end_tok - 1].end
        return start, end, self.finding.text[start:end]


def name_key(
    name: str,
    *,
    place_names: Iterable[str] = (),
    language: str = "es",
    rules: ExtractionRules | None = None,
) -> tuple[str, ...]:
    """Identity key of a body's name: folded words without articles, place
    qualifiers and "municipal"/"local" adjectives (see the slug scheme)."""
    rules = rules or rules_at(DEFAULT_REFERENCE_DIR / RULES_FILE)
    lang = rules.for_language(language)
    places = [phrase_tokens(p) for p in place_names if p]
    return strip_key(phrase_tokens(name), lang, places, municipal_words(lang))


def mint_slug(key: Sequence[str], qualifier: str | None) -> str:
    """`{qualifier}--{slug of key}`, or the bare slug for an unqualified body."""
    body = slugify(" ".join(key)) or "body"
    return f"{qualifier}--{body}" if qualifier else body


def municipal_words(lang: LanguageRules) -> frozenset[tuple[str, ...]]:
    return frozenset(words for words, scope in lang.scope_markers if scope == "municipal")


def strip_key(
    words: Sequence[str],
    lang: LanguageRules,
    places: Sequence[tuple[str, ...]],
    municipal: frozenset[tuple[str, ...]],
) -> tuple[str, ...]:
    w = list(words)
    while w and w[0] in lang.determiners:
        w.pop(0)
    changed = True
    while changed and w:
        changed = False
        for place in sorted(places, key=len, reverse=True):
            n = len(place)
            # A place written before the head (English: "Kestrelmouth City Council").
            if len(w) > n and tuple(w[:n]) == place:
                del w[:n]
                changed = True
                continue
            # A place written after a preposition ("… de Bucaramanga", "… of X").
            for k in range(1, 4):
                if len(w) > n + k and tuple(w[-n:]) == place:
                    prep = tuple(w[-n - k : -n])
                    if prep in lang.place_prepositions or prep in lang.parent_connectors:
                        del w[-n - k :]
                        changed = True
                        break
    # "del municipio", "of the city", "Municipal", "local": the place prefix says it.
    for marker in sorted(municipal, key=len, reverse=True):
        n = len(marker)
        i = 0
        while i + n <= len(w):
            if tuple(w[i : i + n]) == marker and len(w) > n:
                del w[i : i + n]
                while (
                    i > 0
                    and i <= len(w)
                    and (
                        (w[i - 1],) in lang.place_prepositions
                        or (w[i - 1],) in lang.parent_connectors
                    )
                    and (i == len(w))
                ):
                    del w[i - 1]
                    i -= 1
            else:
                i += 1
    while w and ((w[-1],) in lang.connectors or w[-1] in lang.determiners):
        w.pop()
    return tuple(w)


# --- the worker -------------------------------------------------------------------


@dataclass(slots=True)
class Entity:
    key: str
    kind: EntityKind
    candidates: list = field(default_factory=list)
    gazetteer: GazetteerEntry | None = None
    slug: str = ""
    label: str = ""
    type_code: str = ""
    scope: str | None = None
    parent: str | None = None  # entity key or gazetteer slug
    parent_is_slug: bool = False
    creator: str | None = None  # entity key (instruments)
    years: set[int] = field(default_factory=set)
    status: str = "in-force"
    alt_labels: list[str] = field(default_factory=list)


def merge_orgs(a: Organization, b: Organization) -> Organization:
    alts = tuple(x for x in dict.fromkeys([*a.alt_labels, b.label, *b.alt_labels]) if x != a.label)
    return Organization(
        a.slug,
        a.label,
        a.label_language,
        a.institution_type,
        alts,
        a.parent or b.parent,
        a.jurisdiction or b.jurisdiction,
        a.curated or b.curated,
    )


def plural_of(word: str, adjective: str, lang: LanguageRules) -> bool:
    """Is `word` a plural of the (folded) adjective, by the simple suffix rules?"""
    if word == adjective or not word.startswith(adjective[:3]):
        return False
    return word in {
        adjective + "s",
        adjective + "es",
        adjective[:-1] + "is",
        adjective[:-2] + "aux",
    }


def align_initials(letters: str, words: Sequence[str]) -> int | None:
    """Fewest content words skipped so that prefixes of the others, in order, spell
    `letters` (the first word must contribute); None when impossible."""
    if not words or not words[0].startswith(letters[0]):
        return None
    memo: dict[tuple[int, int], int | None] = {}

    def best(a: int, w: int) -> int | None:
        if a == len(letters):
            return len(words) - w
        if w == len(words):
            return None
        key = (a, w)
        if key in memo:
            return memo[key]
        options = []
        word = words[w]
        length = 1
        while length <= len(word) and a + length <= len(letters):
            if word[:length] != letters[a : a + length]:
                break
            rest = best(a + length, w + 1)
            if rest is not None:
                options.append(rest)
            length += 1
        if w > 0:
            rest = best(a, w + 1)
            if rest is not None:
                options.append(rest + 1)
        memo[key] = min(options) if options else None
        return memo[key]

    return best(0, 0)


def acronym_like(tok: Token) -> bool:
    return tok.is_acronym or tok.is_mixed_acronym


def negation_at(tokens: Sequence[Token], k: int, lang: LanguageRules) -> bool:
    """A negation word, unless it is a number sign ("By-law No. 14", "no 3")."""
    if tokens[k].folded not in lang.negations:
        return False
    nxt = tokens[k + 1] if k + 1 < len(tokens) else None
    if nxt is not None and nxt.text == "." and k + 2 < len(tokens):
        nxt = tokens[k + 2]
    return not (nxt is not None and nxt.is_number)


def find_phrase(words: Sequence[str], phrase: Sequence[str]) -> int | None:
    n = len(phrase)
    for i in range(len(words) - n + 1):
        if tuple(words[i : i + n]) == tuple(phrase):
            return i
    return None


def contains_phrase(words: Sequence[str], phrase: Sequence[str]) -> bool:
    return bool(phrase) and find_phrase(words, phrase) is not None


def has_cue(window: str, cue: str) -> bool:
    """A cue phrase inside a folded window: whole words, or a word prefix when the
    cue ends with "*" (stems such as 'adoptad*')."""
    if cue.endswith("*"):
        return f" {cue[:-1]}" in window
    return f" {cue} " in window
