"""The extractor's language rule tables (`data/reference/extraction.toml`), typed.

The TOML holds only vocabulary (head nouns, instrument keywords, connectors,
cues); this module turns it into look-up structures over folded tokens and
checks it, raising `ReferenceDataError` with the file and the offending entry.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from kb.errors import ReferenceDataError
from kb.extract.tokens import PhraseIndex, fold, phrase_tokens

RULES_FILE = "extraction.toml"
DEFAULT_REFERENCE_DIR = Path(__file__).resolve().parents[2] / "data" / "reference"

INSTITUTION_TYPES = frozenset(
    {
        "municipal-government",
        "municipal-secretariat",
        "legislative-body",
        "regional-government",
        "national-government",
        "ministry",
        "national-body",
        "oversight-body",
        "judicial-body",
        "public-institute",
        "service-centre",
        "coordination-body",
        "police",
        "emergency-service",
        "university",
        "research-centre",
        "un-agency",
        "international-organization",
        "network",
        "ngo",
        "private-sector",
        "other",
    }
)
INSTRUMENT_TYPES = frozenset(
    {
        "plan",
        "program",
        "strategy",
        "policy",
        "law",
        "decree",
        "resolution",
        "circular",
        "ordinance",
        "treaty",
        "agreement",
        "route",
        "protocol",
        "other",
    }
)
SCOPES = ("municipal", "regional", "national", "international")


@dataclass(frozen=True, slots=True)
class Head:
    """An institutional head noun ("Secretaría", "City Council") as the rules know it."""

    label: str  # singular, as written in the rule table
    institution_type: str
    plural: bool
    bare: bool  # may stand alone ("la Alcaldía")
    needs_complement: bool  # never alone, even capitalised ("Casa", "Centro")
    sub_of: tuple[str, ...] | None  # folded head of the parent body ("secretaria")
    words: tuple[str, ...]  # folded singular tokens


@dataclass(frozen=True, slots=True)
class Keyword:
    """An instrument keyword ("Plan", "Circular", "Memorandum of Understanding")."""

    label: str
    instrument_type: str
    numbered: bool
    plural: bool


@dataclass(frozen=True, slots=True)
class TypeMarker:
    words: tuple[tuple[str, ...], ...]
    from_types: frozenset[str]
    institution_type: str


@dataclass(frozen=True, slots=True)
class LanguageRules:
    language: str
    head_initial: bool
    lowercase_complements: bool
    heads: PhraseIndex[Head]
    keywords: PhraseIndex[Keyword]
    connectors: PhraseIndex[bool]
    coordinators: frozenset[str]
    parent_connectors: PhraseIndex[bool]
    place_prepositions: PhraseIndex[bool]
    default_preposition: str  # joins a coordinated conjunct to its head ("de", "of")
    articles: frozenset[str]
    contractions: frozenset[str]
    indefinites: frozenset[str]
    possessives: frozenset[str]
    name_adjectives: frozenset[str]
    adjective_suffixes: tuple[str, ...]
    place_words: frozenset[str]
    stopwords: frozenset[str]
    abbreviations: frozenset[str]
    scope_markers: tuple[tuple[tuple[str, ...], str], ...]
    number_markers: tuple[str, ...]
    year_links: tuple[str, ...]
    numbered_types: Mapping[str, str]
    generic_keywords: frozenset[str]
    generic_complement_starts: PhraseIndex[bool]
    title_words: frozenset[str]
    not_before: tuple[tuple[str, ...], ...]
    negations: frozenset[str]
    in_preparation: tuple[str, ...]
    planned: tuple[str, ...]
    not_ratified: tuple[str, ...]
    adoption: tuple[str, ...]
    year_prepositions: frozenset[str]
    parent_cues: PhraseIndex[bool]
    owner_cues: PhraseIndex[bool]
    creator_cues: PhraseIndex[bool]
    intro_words: PhraseIndex[bool]
    copulas: frozenset[str]
    months: frozenset[str] = frozenset()
    posts: PhraseIndex[str] = field(default_factory=lambda: PhraseIndex(()))
    lowercase_bare: frozenset[tuple[str, ...]] = frozenset()
    sentence_case: frozenset[tuple[str, ...]] = frozenset()
    sentence_case_types: Mapping[str, str] = field(default_factory=dict)
    # Phrases that introduce a body by its kind ("the NGO X", "la ONG X") -> type.
    org_cues: tuple[tuple[tuple[str, ...], str], ...] = ()
    # Lower-case heads that, after a definite article, point back to the one body
    # named earlier in the profile with that head ("la préfecture").
    anaphoric_heads: frozenset[tuple[str, ...]] = frozenset()

    @property
    def determiners(self) -> frozenset[str]:
        return self.articles | self.contractions | self.indefinites | self.possessives


@dataclass(frozen=True, slots=True)
class ExtractionRules:
    path: str
    year_min: int
    year_max: int
    dominant_types: frozenset[str]
    type_scopes: Mapping[str, str]
    instrument_type_scopes: Mapping[str, str]
    acts: frozenset[str]
    scope_types: Mapping[str, Mapping[str, str]]
    type_markers: tuple[TypeMarker, ...]
    languages: Mapping[str, LanguageRules]
    fallback_type: str = "other"
    year_introducers: frozenset[str] = frozenset()
    """Words that may stand right before a year in any language: prepositions,
    articles, year links, months (findings quote names in other languages)."""

    def for_language(self, language: str) -> LanguageRules:
        """Rules of a findings language; English's when the language has none."""
        return self.languages.get(language) or self.languages["en"]


def pluralise(word: str, rules: Iterable[tuple[str, str]]) -> str:
    """Folded plural of a folded word by the first matching suffix rule."""
    for singular, plural in rules:
        if word.endswith(singular):
            return word[: len(word) - len(singular)] + plural if singular else word + plural
    return word + "s"


def _strings(raw: Any, where: str, path: Path) -> list[str]:
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        raise ReferenceDataError(f"{where}: expected a list of strings", path=path)
    return list(raw)


def _index(words: Iterable[str]) -> PhraseIndex[bool]:
    return PhraseIndex((phrase_tokens(w), True) for w in words)


def _folded_set(words: Iterable[str]) -> frozenset[str]:
    return frozenset(fold(w) for w in words)


def _language(code: str, raw: Mapping[str, Any], path: Path) -> LanguageRules:
    where = f"[languages.{code}]"
    head_initial = bool(raw.get("head_initial", True))
    plural_rules = [tuple(pair) for pair in raw.get("plural_rules", [["", "s"]])]
    rules_table = raw.get("head_rules", {})
    bare = {phrase_tokens(w) for w in _strings(rules_table.get("bare"), where, path)}
    needs = {phrase_tokens(w) for w in _strings(rules_table.get("needs_complement"), where, path)}
    subs = {
        phrase_tokens(k): phrase_tokens(v)
        for k, v in dict(rules_table.get("sub_heads", {})).items()
    }

    head_entries: list[tuple[tuple[str, ...], Head]] = []
    for type_code, words in dict(raw.get("heads", {})).items():
        if type_code not in INSTITUTION_TYPES:
            raise ReferenceDataError(
                f"{where}.heads: unknown institution type {type_code!r}", path=path
            )
        for label in _strings(words, f"{where}.heads.{type_code}", path):
            singular = phrase_tokens(label)
            # Head-initial languages inflect the first word, English the last.
            k = 0 if head_initial else len(singular) - 1
            plural_words = list(singular)
            plural_words[k] = pluralise(singular[k], plural_rules)
            for words_, is_plural in ((singular, False), (tuple(plural_words), True)):
                head_entries.append(
                    (
                        words_,
                        Head(
                            label=label,
                            institution_type=type_code,
                            plural=is_plural,
                            bare=singular in bare,
                            needs_complement=singular in needs,
                            sub_of=subs.get(singular),
                            words=singular,
                        ),
                    )
                )

    instruments = dict(raw.get("instruments", {}))
    inst_rules = dict(raw.get("instrument_rules", {}))
    numbered = {phrase_tokens(w) for w in _strings(inst_rules.get("numbered"), where, path)}
    keyword_entries: list[tuple[tuple[str, ...], Keyword]] = []
    for type_code, words in instruments.items():
        if type_code not in INSTRUMENT_TYPES:
            raise ReferenceDataError(
                f"{where}.instruments: unknown instrument type {type_code!r}", path=path
            )
        for label in _strings(words, f"{where}.instruments.{type_code}", path):
            singular = phrase_tokens(label)
            k = 0 if head_initial else len(singular) - 1
            plural_words = list(singular)
            plural_words[k] = pluralise(singular[k], plural_rules)
            for words_, is_plural in ((singular, False), (tuple(plural_words), True)):
                keyword_entries.append(
                    (words_, Keyword(label, type_code, singular in numbered, is_plural))
                )
    for words in numbered:
        if not any(w == words for w, _ in keyword_entries):
            raise ReferenceDataError(
                f"{where}.instrument_rules.numbered: {' '.join(words)!r} is not a keyword",
                path=path,
            )
    numbered_types = {fold(k): v for k, v in dict(inst_rules.get("numbered_types", {})).items()}
    for value in numbered_types.values():
        if value not in INSTRUMENT_TYPES:
            raise ReferenceDataError(f"{where}: unknown instrument type {value!r}", path=path)

    markers = dict(raw.get("scope_markers", {}))
    scope_markers = []
    for scope in SCOPES:
        for word in _strings(markers.get(scope), f"{where}.scope_markers.{scope}", path):
            scope_markers.append((phrase_tokens(word), scope))
    cues = dict(raw.get("cues", {}))

    def cue_list(name: str, *, stems: bool = False) -> tuple[str, ...]:
        """Folded cues, tokenised like the text ("n'a" -> "n' a"). A trailing "*"
        marks a stem; `stems=True` makes every cue one (the adoption list)."""
        out = []
        for w in _strings(cues.get(name), f"{where}.cues.{name}", path):
            stem = stems or w.endswith("*")
            words = " ".join(phrase_tokens(w.rstrip("*")))
            out.append(words + ("*" if stem else ""))
        return tuple(out)

    posts_table = dict(raw.get("posts", {}))
    post_entries = []
    for type_code, words in posts_table.items():
        _check_type(type_code, f"{where}.posts", path, INSTITUTION_TYPES)
        for w in _strings(words, f"{where}.posts.{type_code}", path):
            post_entries.append((phrase_tokens(w), type_code))
    sentence_case_types = {
        fold(k): _check_type(
            v, f"{where}.instrument_rules.sentence_case_types", path, INSTRUMENT_TYPES
        )
        for k, v in dict(inst_rules.get("sentence_case_types", {})).items()
    }

    return LanguageRules(
        language=code,
        head_initial=head_initial,
        lowercase_complements=bool(raw.get("lowercase_complements", False)),
        heads=PhraseIndex(head_entries),
        keywords=PhraseIndex(keyword_entries),
        connectors=_index(_strings(raw.get("connectors"), where, path)),
        coordinators=_folded_set(_strings(raw.get("coordinators"), where, path)),
        parent_connectors=_index(_strings(raw.get("parent_connectors"), where, path)),
        place_prepositions=_index(_strings(raw.get("place_prepositions"), where, path)),
        default_preposition=(_strings(raw.get("place_prepositions"), where, path) or [""])[0],
        articles=_folded_set(_strings(raw.get("articles"), where, path)),
        contractions=_folded_set(_strings(raw.get("contractions"), where, path)),
        indefinites=_folded_set(_strings(raw.get("indefinites"), where, path)),
        possessives=_folded_set(_strings(raw.get("possessives"), where, path)),
        name_adjectives=_folded_set(_strings(raw.get("name_adjectives"), where, path)),
        adjective_suffixes=tuple(_strings(raw.get("adjective_suffixes"), where, path)),
        place_words=_folded_set(_strings(raw.get("place_words"), where, path)),
        stopwords=_folded_set(_strings(raw.get("stopwords"), where, path)),
        abbreviations=_folded_set(_strings(raw.get("abbreviations"), where, path)),
        scope_markers=tuple(scope_markers),
        number_markers=tuple(_strings(inst_rules.get("number_markers"), where, path)),
        year_links=tuple(_strings(inst_rules.get("year_links"), where, path)),
        numbered_types=numbered_types,
        generic_keywords=_folded_set(_strings(inst_rules.get("generic"), where, path)),
        generic_complement_starts=_index(
            _strings(inst_rules.get("generic_complement_starts"), where, path)
        ),
        title_words=_folded_set(_strings(inst_rules.get("title_words"), where, path)),
        not_before=tuple(
            phrase_tokens(w) for w in _strings(inst_rules.get("not_before"), where, path)
        ),
        negations=_folded_set(_strings(cues.get("negations"), where, path)),
        in_preparation=cue_list("in_preparation"),
        planned=cue_list("planned"),
        not_ratified=cue_list("not_ratified"),
        adoption=cue_list("adoption", stems=True),
        year_prepositions=_folded_set(_strings(cues.get("year_prepositions"), where, path)),
        parent_cues=_index(_strings(cues.get("parent_cues"), where, path)),
        owner_cues=_index(_strings(cues.get("owner_cues"), where, path)),
        creator_cues=_index(_strings(cues.get("creator_cues"), where, path)),
        intro_words=_index(_strings(cues.get("intro_words"), where, path)),
        copulas=_folded_set(_strings(cues.get("copulas"), where, path)),
        months=_folded_set(_strings(raw.get("months"), where, path)),
        posts=PhraseIndex(post_entries),
        lowercase_bare=frozenset(
            phrase_tokens(w) for w in _strings(rules_table.get("lowercase_bare"), where, path)
        ),
        sentence_case=frozenset(
            phrase_tokens(w) for w in _strings(inst_rules.get("sentence_case"), where, path)
        ),
        sentence_case_types=sentence_case_types,
        org_cues=tuple(
            (phrase_tokens(w), _check_type(t, f"{where}.org_cues", path, INSTITUTION_TYPES))
            for t, words in dict(raw.get("org_cues", {})).items()
            for w in _strings(words, f"{where}.org_cues.{t}", path)
        ),
        anaphoric_heads=frozenset(
            phrase_tokens(w) for w in _strings(rules_table.get("anaphoric"), where, path)
        ),
    )


def _check_type(value: str, where: str, path: Path, known: frozenset[str]) -> str:
    if value not in known:
        raise ReferenceDataError(f"{where}: unknown type {value!r}", path=path)
    return value


def load_rules(path: Path) -> ExtractionRules:
    """Read and check the rule tables; errors name the file and the table."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ReferenceDataError(f"cannot read extraction rules: {exc}", path=path) from exc
    common = dict(raw.get("common", {}))
    years = dict(raw.get("years", {}))
    type_scopes = {
        _check_type(k, "[common].type_scopes", path, INSTITUTION_TYPES): v
        for k, v in dict(common.get("type_scopes", {})).items()
    }
    instrument_type_scopes = {
        _check_type(k, "[common].instrument_type_scopes", path, INSTRUMENT_TYPES): v
        for k, v in dict(common.get("instrument_type_scopes", {})).items()
    }
    scope_types: dict[str, dict[str, str]] = {}
    for scope, table in dict(common.get("scope_types", {})).items():
        where = f"[common.scope_types.{scope}]"
        scope_types[scope] = {
            _check_type(k, where, path, INSTITUTION_TYPES): _check_type(
                v, where, path, INSTITUTION_TYPES
            )
            for k, v in dict(table).items()
        }
    markers = []
    for index, entry in enumerate(raw.get("type_markers", []), start=1):
        where = f"[[type_markers]] #{index}"
        markers.append(
            TypeMarker(
                words=tuple(phrase_tokens(w) for w in _strings(entry.get("words"), where, path)),
                from_types=frozenset(
                    _check_type(t, where, path, INSTITUTION_TYPES)
                    for t in _strings(entry.get("from"), where, path)
                ),
                institution_type=_check_type(
                    str(entry.get("type")), where, path, INSTITUTION_TYPES
                ),
            )
        )
    languages = {
        code: _language(code, table, path) for code, table in dict(raw.get("languages", {})).items()
    }
    if "en" not in languages:
        raise ReferenceDataError("[languages.en] is required (the fallback language)", path=path)
    return ExtractionRules(
        path=str(path),
        year_min=int(years.get("min", 1800)),
        year_max=int(years.get("max", 2099)),
        dominant_types=frozenset(
            _check_type(t, "[common].dominant_types", path, INSTITUTION_TYPES)
            for t in _strings(common.get("dominant_types"), "[common]", path)
        ),
        type_scopes=type_scopes,
        instrument_type_scopes=instrument_type_scopes,
        acts=frozenset(
            _check_type(t, "[common].acts", path, INSTRUMENT_TYPES)
            for t in _strings(common.get("acts"), "[common]", path)
        ),
        scope_types=scope_types,
        type_markers=tuple(markers),
        languages=languages,
        fallback_type=_check_type(
            str(common.get("fallback_type", "other")),
            "[common].fallback_type",
            path,
            INSTITUTION_TYPES,
        ),
        year_introducers=frozenset(
            word
            for lang in languages.values()
            for word in (*lang.year_prepositions, *lang.determiners, *lang.year_links, *lang.months)
        ),
    )


@lru_cache(maxsize=8)
def _cached_rules(path: str, mtime_ns: int) -> ExtractionRules:
    return load_rules(Path(path))


def rules_at(path: Path) -> ExtractionRules:
    """Rules from a file, cached until the file changes."""
    try:
        mtime = path.stat().st_mtime_ns
    except OSError as exc:
        raise ReferenceDataError(f"cannot read extraction rules: {exc}", path=path) from exc
    return _cached_rules(str(path.resolve()), mtime)
