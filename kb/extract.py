"""Link findings to institutions, policy instruments and years (issue 3).

`extract_mentions(profile, gazetteer)` reads every finding of a profile and returns
an `Extraction`: the organisations and instruments it names (resolved to one
identity each), every mention with exact code-point offsets, and the years.

How (details and measured quality in docs/extraction.md):

1. Recognition, per finding, over offset-keeping tokens:
   - curated names and acronyms from the gazetteer;
   - rule-built institution names: a capitalised head noun from the language's
     table ("Secretaría", "Office", "Mairie") with its complement (capitalised
     words joined by connectors such as "de la", "of the"), English pre-modifiers
     ("Kestrelmouth City Council"), coordinated plurals split into their bodies
     ("Secretarías del Interior y Planeación"), a stated parent cut off
     ("… de la Alcaldía"); lower-case heads with a proper-noun or quoted complement
     ("sous-préfecture de Montbrison"); posts ("le maire");
   - "Name (ACR)" where ACR spells the name's initials: one body, even when the
     head rules cut it or no head is listed;
   - acronyms defined in parentheses, then every later use of them;
   - instruments: numbered references ("Circular 254 de 2018"), titled ones
     ("Plan de Desarrollo Municipal de Bucaramanga"), sentence-case titles up to a
     year or "(núm. N)", quoted titles, "Title (Ley N de YYYY)" as one, and unnamed
     but existing ones ("rutas de protección"), minus those stated as absent (an
     unnamed one after a negation, a named one only under "no"/"un").
2. Resolution, per profile: one identity per body (place qualifiers, articles and
   "municipal" adjectives do not count; a city has one executive), slugs from
   the gazetteer or minted as `{place}--{name}`, types from the head noun, parents
   from the gazetteer, the text ("adscrita a", "run by", "cuenta con el") or the
   context (a local secretariat belongs to the municipal government).
3. Years: four-digit years in range, not the number of a law or decree.

All vocabulary lives in `data/reference/extraction.toml`; no body or plan of a
particular profile is named in this module.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from kb.extract_rules import (
    DEFAULT_REFERENCE_DIR,
    RULES_FILE,
    ExtractionRules,
    Head,
    Keyword,
    LanguageRules,
    rules_at,
)
from kb.extract_text import (
    OPENING_QUOTES,
    PhraseIndex,
    Token,
    YearSpan,
    find_years,
    fold,
    phrase_tokens,
    quote_pairs,
    sentence_spans,
    tokenize,
)
from kb.gazetteer import Gazetteer, GazetteerEntry
from kb.model import (
    EntityKind,
    Extraction,
    Finding,
    Level,
    Mention,
    Organization,
    PolicyInstrument,
    Profile,
)
from kb.text import slugify

__all__ = ["extract_mentions", "mint_slug", "name_key"]

MUNICIPAL_GOVERNMENT = "municipal-government"
_MUNICIPAL_GOVERNMENT_KEY = ("municipal", "government")
_CONTEXT_PARENT_TYPES = frozenset({"municipal-secretariat"})
_OWNED_TYPES = frozenset({"service-centre", "research-centre", "municipal-secretariat"})
_DEFAULT_GOVERNMENT_LABEL = {
    "es": "Alcaldía de {place}",
    "en": "Municipal government of {place}",
    "fr": "Mairie de {place}",
    "pt": "Prefeitura de {place}",
}


# --- candidates found in one finding -----------------------------------------------


@dataclass(slots=True)
class _OrgCandidate:
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
class _InstrumentCandidate:
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


_Candidate = _OrgCandidate | _InstrumentCandidate


@dataclass(slots=True)
class _FindingWork:
    finding: Finding
    tokens: list[Token]
    sentences: list[range]
    orgs: list[_OrgCandidate] = field(default_factory=list)
    instruments: list[_InstrumentCandidate] = field(default_factory=list)
    raw_gazetteer: list[_OrgCandidate] = field(default_factory=list)
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


# --- the public entry point -------------------------------------------------------


def extract_mentions(
    profile: Profile,
    gazetteer: Gazetteer,
    *,
    rules: ExtractionRules | None = None,
    country: str | None = None,
) -> Extraction:
    """Institutions, instruments and years named in every finding of a profile.

    `rules` defaults to the `extraction.toml` beside the gazetteer file (or the
    repository's). `country` is the place slug of the profile's country when the
    caller knows it; otherwise a national profile's own place is used, or it is
    inferred from the curated bodies the profile names.
    """
    if rules is None:
        path = gazetteer.rules_path or DEFAULT_REFERENCE_DIR / RULES_FILE
        rules = rules_at(Path(path))
    return _Extractor(profile, gazetteer, rules, country).run()


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
    return _strip_key(phrase_tokens(name), lang, places, municipal_words(lang))


def mint_slug(key: Sequence[str], qualifier: str | None) -> str:
    """`{qualifier}--{slug of key}`, or the bare slug for an unqualified body."""
    body = slugify(" ".join(key)) or "body"
    return f"{qualifier}--{body}" if qualifier else body


def municipal_words(lang: LanguageRules) -> frozenset[tuple[str, ...]]:
    return frozenset(words for words, scope in lang.scope_markers if scope == "municipal")


def _strip_key(
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
class _Entity:
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


class _Extractor:
    def __init__(
        self, profile: Profile, gazetteer: Gazetteer, rules: ExtractionRules, country: str | None
    ) -> None:
        self.profile = profile
        self.gazetteer = gazetteer
        self.rules = rules
        self.lang = rules.for_language(profile.findings_language)
        self.place_slug = slugify(profile.place_name)
        self.local = profile.level is Level.LOCAL
        self.country = country or (None if self.local else self.place_slug)
        names = [profile.place_name, profile.short_name or ""]
        self.place_names = [n for n in dict.fromkeys(names) if n]
        self.place_words = [phrase_tokens(n) for n in self.place_names]
        self.municipal = municipal_words(self.lang)
        self.works: list[_FindingWork] = []
        self._acronym_targets: dict[str, _Candidate] = {}
        self.entities: dict[str, _Entity] = {}
        self._gaz_names = PhraseIndex(
            (phrase_tokens(name), entry) for entry in gazetteer for name in entry.names
        )
        self._gaz_acronyms: dict[str, list[GazetteerEntry]] = {}
        for entry in gazetteer:
            for acronym in entry.acronyms:
                self._gaz_acronyms.setdefault(acronym, []).append(entry)
        self._number_markers = PhraseIndex(
            (phrase_tokens(m), True) for m in self.lang.number_markers
        )
        self._year_links = PhraseIndex((phrase_tokens(m), True) for m in self.lang.year_links)
        self._paren_acronyms: set[str] = set()
        self._reused_acronyms: set[str] = set()
        self._known_names: set[tuple[str, ...]] = set()
        self._place_stems = {
            w[:5]
            for name in (*self.place_names, self.profile.designation or "")
            for w in phrase_tokens(name)
            if len(w) >= 5
        }

    # -- driver --

    def run(self) -> Extraction:
        for finding in self.profile.findings:
            tokens = tokenize(finding.text)
            work = _FindingWork(finding, tokens, sentence_spans(tokens, self.lang.abbreviations))
            work.raw_gazetteer = self._gazetteer_names(work)
            self.works.append(work)
        if self.country is None:
            self.country = self._infer_country()
        # Acronyms the profile defines in parentheses, or curated ones: "… de la DSU"
        # names a specific parent even though "DSU" is no head noun.
        self._paren_acronyms = set(self._gaz_acronyms)
        for work in self.works:
            t = work.tokens
            for k in range(1, len(t) - 1):
                if _acronym_like(t[k]) and t[k - 1].text == "(" and t[k + 1].text == ")":
                    self._paren_acronyms.add(t[k].text)
        # Acronyms the profile uses again outside their parentheses: a headless
        # "Proper Name (ACR)" whose acronym is reused is a body.
        self._reused_acronyms = {
            t[k].text
            for work in self.works
            for t in (work.tokens,)
            for k in range(len(t))
            if t[k].text in self._paren_acronyms
            and not (0 < k < len(t) - 1 and t[k - 1].text == "(" and t[k + 1].text == ")")
        }
        # Names the profile writes in full: a coordinated plural is not split inside
        # one of them ("Ministerios de Educación y de Ciencia y Tecnología").
        self._known_names = set()
        for work in self.works:
            for c in self._rule_orgs(work):
                if c.head is not None and not c.synthetic and not c.head.plural:
                    self._known_names.add(self._plain_key(c.name_words))
        for work in self.works:
            gaz = [c for c in work.raw_gazetteer if self._usable(c)]
            for c in gaz:
                c.gazetteer = tuple(e for e in c.gazetteer if self._entry_ok(e))
            rule_orgs = self._rule_orgs(work)
            work.orgs = self._choose_orgs(gaz, rule_orgs)
            work.orgs = [c for c in work.orgs if not self._absent(work, c.start_tok, c)]
            work.instruments = self._instruments(work)
            # A head joined into a title by a bare coordinator ("Política … de Proteção
            # e Defesa Civil") is a word of the title, not a body.
            work.orgs = [
                c
                for c in work.orgs
                if not any(
                    i.start_tok < c.start_tok
                    and c.end_tok <= i.end_tok
                    and work.tokens[c.start_tok - 1].folded in self.lang.coordinators
                    for i in work.instruments
                )
            ]
        acronyms = self._acronym_definitions()
        for work in self.works:
            self._acronym_mentions(work, acronyms)
        self._resolve_orgs()
        self._resolve_instruments()
        return self._result()

    # -- gazetteer --

    def _gazetteer_names(self, work: _FindingWork) -> list[_OrgCandidate]:
        tokens = work.tokens
        found = []
        for i, tok in enumerate(tokens):
            if not tok.is_alpha:
                continue
            if tok.is_cap:
                for n, entry in self._gaz_names.all_matches(tokens, i):
                    found.append(self._gaz_candidate(work, i, i + n, entry))
            if tok.text in self._gaz_acronyms:
                for entry in self._gaz_acronyms[tok.text]:
                    cand = self._gaz_candidate(work, i, i + 1, entry)
                    cand.acronym_of = tok.text
                    found.append(cand)
        # One candidate per span, holding every entry of that name.
        merged: dict[tuple[int, int], _OrgCandidate] = {}
        for cand in found:
            key = (cand.start_tok, cand.end_tok)
            if key in merged:
                merged[key].gazetteer += cand.gazetteer
            else:
                merged[key] = cand
        return list(merged.values())

    def _gaz_candidate(self, work: _FindingWork, i: int, j: int, entry: GazetteerEntry):
        _, _, text = work.surface(i, j)
        return _OrgCandidate(i, j, text, phrase_tokens(text), gazetteer=(entry,))

    def _entry_ok(self, entry: GazetteerEntry) -> bool:
        return not entry.needs_country or entry.country == self.country

    def _usable(self, cand: _OrgCandidate) -> bool:
        return any(self._entry_ok(e) for e in cand.gazetteer)

    def _infer_country(self) -> str | None:
        """The country of a local profile, from the curated bodies it names whose
        name is not shared with other countries (Migración Colombia, SENA…)."""
        votes: Counter[str] = Counter()
        for entry in self.gazetteer:
            if entry.jurisdiction == self.place_slug and entry.country:
                votes[entry.country] += 5
        for work in self.works:
            for cand in work.raw_gazetteer:
                for entry in cand.gazetteer:
                    if not entry.needs_country and entry.country:
                        votes[entry.country] += 1
        return votes.most_common(1)[0][0] if votes else None

    # -- rule-built institution names --

    def _plain_key(self, words: Sequence[str]) -> tuple[str, ...]:
        return _strip_key(words, self.lang, self.place_words, self.municipal) or tuple(words)

    def _rule_orgs(self, work: _FindingWork) -> list[_OrgCandidate]:
        tokens = work.tokens
        lang = self.lang
        found: list[_OrgCandidate] = []
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            if not tok.is_alpha:
                i += 1
                continue
            match = lang.heads.match(tokens, i)
            if match is None:
                i += 1
                continue
            n, head = match
            assert isinstance(head, Head)
            if tok.is_cap:
                built = self._build_name(work, i, n, head, found)
            else:
                built = self._lowercase_head(work, i, n, head, found)
            if not built:
                i += 1
                continue
            found.extend(built)
            i = max(c.end_tok for c in built)
        found += self._apposition_orgs(work, found)
        found += self._posts(work, found)
        found += self._cue_orgs(work, found)
        found.sort(key=lambda c: c.start_tok)
        found = self._acronym_phrases(work, found)
        return found

    def _lowercase_head(
        self, work: _FindingWork, i: int, n: int, head: Head, before: list[_OrgCandidate]
    ) -> list[_OrgCandidate]:
        """A head written in lower case names one body only with a specific complement:
        a proper noun ("sous-préfecture de Montbrison", "association Terre d'Asile"), a
        quoted name ("comité technique « … »"), or, for the few heads listed as
        `lowercase_bare`, a definite article ("la police municipale")."""
        tokens = work.tokens
        lang = self.lang
        if head.plural or not lang.head_initial:
            return []  # English writes every name in Title Case
        bare = next(
            (
                len(words)
                for words in lang.lowercase_bare
                if tuple(t.folded for t in tokens[i : i + len(words)]) == words
            ),
            0,
        )
        built = self._build_name(work, i, n, head, before, lowercase=True)
        if not built:
            return []
        cand = built[0]
        if len(built) > 1 or cand.left_words or cand.parent_tok is not None:
            return []  # "le bureau de la Préfecture": a part of a named body
        if self._determiner_before(work, i) in lang.indefinites:
            return []  # "es un grupo de WhatsApp": a description, not a name
        specific = False
        place_only = True
        for k in range(i + n, cand.end_tok):
            t = tokens[k]
            if t.text in OPENING_QUOTES:
                specific, place_only = True, False
                break
            if t.is_alpha and t.is_cap and t.folded not in lang.determiners:
                specific = True
                if not self._is_place_at(tokens, k):
                    place_only = False
        if specific and (not place_only or head.bare):
            # Trailing lower-case words are the sentence's, not the name's
            # ("association Terre d'Asile pour un accompagnement …").
            end = cand.end_tok
            while end > i + n and not (
                tokens[end - 1].is_cap or tokens[end - 1].text in OPENING_QUOTES.values()
            ):
                end -= 1
            if end != cand.end_tok:
                _, _, text = work.surface(i, end)
                cand = replace(cand, end_tok=end, name=text, name_words=phrase_tokens(text))
            return [cand]
        definite = self._determiner_before(work, i) in (lang.articles | lang.contractions)
        if bare and definite:
            _, _, text = work.surface(i, i + bare)
            return [replace(cand, end_tok=i + bare, name=text, name_words=phrase_tokens(text))]
        if definite and not specific and head.words in lang.anaphoric_heads:
            _, _, text = work.surface(i, i + n)
            return [
                replace(
                    cand, end_tok=i + n, name=text, name_words=phrase_tokens(text), anaphor=True
                )
            ]
        return []

    def _posts(self, work: _FindingWork, found: list[_OrgCandidate]) -> list[_OrgCandidate]:
        """A post written as an actor after a definite article ("le maire", "el
        alcalde"), unless it is part of a longer name ("Office of the Mayor")."""
        tokens = work.tokens
        lang = self.lang
        taken = {k for c in found for k in range(c.start_tok, c.end_tok)}
        out = []
        for i in range(1, len(tokens)):
            if i in taken or not tokens[i].is_alpha:
                continue
            match = lang.posts.match(tokens, i)
            if match is None:
                continue
            n, type_code = match
            if self._determiner_before(work, i) not in (lang.articles | lang.contractions):
                continue
            # A post followed by a capitalised name is a person's title ("el alcalde Pérez").
            if i + n < len(tokens) and tokens[i + n].is_cap and tokens[i + n].is_alpha:
                continue
            _, _, text = work.surface(i, i + n)
            words = phrase_tokens(text)
            head = Head(text, str(type_code), False, True, False, None, words)
            out.append(_OrgCandidate(i, i + n, text, words, head=head))
        return out

    # -- acronyms that spell a name's initials --

    def _initials_start(self, tokens: Sequence[Token], paren: int, acronym: str) -> int | None:
        """Start of the phrase before "(ACR)" whose initials spell ACR, or None.

        Each content word gives a prefix of itself (at least its first letter) or is
        skipped; function words (connectors, articles) are skipped freely; the first
        word must give the acronym's first letter. Few content words may be skipped
        (IMEBU skips "Fomento Empresarial"). The start is a capitalised word or a head."""
        letters = fold(acronym)
        if not letters.isalpha() or len(letters) < 2:
            return None
        lang = self.lang
        k = paren - 1
        floor = max(0, paren - 16)
        starts = []
        while k >= floor:
            t = tokens[k]
            if not t.is_alpha:
                break
            starter = (t.is_cap and t.folded not in lang.determiners) or lang.heads.match(tokens, k)
            if starter and t.folded not in lang.stopwords and not t.is_acronym:
                starts.append(k)
            k -= 1
        best: tuple[int, int] | None = None  # (skips, -len)
        best_start = None
        for start in starts:
            words: list[str] = []
            for t in tokens[start:paren]:
                if (t.folded,) in lang.connectors or t.folded in lang.determiners:
                    words.append("")
                    continue
                words.extend(p for p in t.folded.replace("'", "-").split("-") if p)
            skips = _align_initials(letters, [w for w in words if w])
            if skips is None:
                continue
            content = sum(1 for w in words if w)
            if skips > max(1, content // 3):
                continue
            score = (skips, -(paren - start))
            if best is None or score < best:
                best, best_start = score, start
        return best_start

    def _acronym_phrases(
        self, work: _FindingWork, found: list[_OrgCandidate]
    ) -> list[_OrgCandidate]:
        """ "Name (ACR)" where ACR spells the name's initials: the whole phrase is one
        body. This joins a name cut at a coordinator ("Coordenadoria … de Proteção e
        Defesa Civil (COMHDEC)") or at a lower-case word ("Association nationale des
        maires et élus ruraux (ANMER)"), and it finds names whose head is in no
        list ("Fondo Nacional de Vivienda (FONAVI)"), if they state a scope or
        the place ("Nacional", "Regional", a demonym)."""
        tokens = work.tokens
        lang = self.lang
        for p in range(1, len(tokens) - 2):
            if not (
                tokens[p].text == "(" and _acronym_like(tokens[p + 1]) and tokens[p + 2].text == ")"
            ):
                continue
            start = self._initials_start(tokens, p, tokens[p + 1].text)
            if start is None:
                continue
            if (
                lang.keywords.match(tokens, start) is not None
                and lang.heads.match(tokens, start) is None
            ):
                continue  # "Plan … (PCS)": an instrument
            inside = [c for c in found if c.start_tok < p and c.end_tok > start]
            if any(c.start_tok == start and c.end_tok == p for c in inside):
                continue
            if any(c.start_tok < start or c.end_tok > p or c.synthetic for c in inside):
                continue
            head: Head | None = None
            left = 0
            if inside and inside[0].start_tok == start:
                head, left = inside[0].head, inside[0].left_words
            else:
                match = lang.heads.match(tokens, start)
                if match is not None:
                    head = match[1]  # type: ignore[assignment]
            if head is not None and head.plural:
                continue
            _, _, text = work.surface(start, p)
            words = phrase_tokens(text)
            if head is None:
                if len([w for w in words if (w,) not in lang.connectors]) < 2:
                    continue
                stated = any(_contains(words, m) for m, _ in lang.scope_markers) or any(
                    w[:5] in self._place_stems for w in words if len(w) >= 5
                )
                cue_type = self._org_cue_before(tokens, start)
                reused = tokens[p + 1].text in self._reused_acronyms
                if not (stated or cue_type or reused):
                    continue
                head = Head(
                    tokens[start].text,
                    cue_type or self.rules.fallback_type,
                    False,
                    False,
                    False,
                    None,
                    (tokens[start].folded,),
                )
            found = [c for c in found if c not in inside]
            found.append(_OrgCandidate(start, p, text, words, head=head, left_words=left))
        found.sort(key=lambda c: c.start_tok)
        return found

    def _org_cue_before(self, tokens: Sequence[Token], start: int) -> str | None:
        """Type of a kind phrase right before `start` ("the NGO", "la ONG"), or None."""
        for words, type_code in self.lang.org_cues:
            n = len(words)
            if start >= n and all(tokens[start - n + i].folded == w for i, w in enumerate(words)):
                return type_code
        return None

    def _cue_orgs(self, work: _FindingWork, found: list[_OrgCandidate]) -> list[_OrgCandidate]:
        """A capitalised name introduced by its kind, with no head noun: "the NGO
        Open Hands", "la ONG Manos Unidas". The name runs over capitalised words and
        connectors between them."""
        tokens = work.tokens
        lang = self.lang
        out = []
        for k in range(1, len(tokens)):
            cue_type = self._org_cue_before(tokens, k)
            if cue_type is None or not self._is_name_word(tokens[k]):
                continue
            if any(c.start_tok <= k < c.end_tok for c in found):
                continue
            e = k + 1
            while e < len(tokens):
                if self._is_name_word(tokens[e]):
                    e += 1
                    continue
                m = lang.connectors.match(tokens, e)
                if (
                    m is not None
                    and e + m[0] < len(tokens)
                    and self._is_name_word(tokens[e + m[0]])
                ):
                    if tokens[e].folded in lang.coordinators:
                        break
                    e += m[0]
                    continue
                break
            if (
                e < len(tokens)
                and tokens[e].text == "("
                and _acronym_like(tokens[min(e + 1, len(tokens) - 1)])
            ):
                pass  # the initials rule decides "Name (ACR)"
            elif tokens[k].folded in lang.stopwords:
                continue
            else:
                _, _, text = work.surface(k, e)
                head = Head(
                    tokens[k].text, cue_type, False, False, False, None, (tokens[k].folded,)
                )
                out.append(_OrgCandidate(k, e, text, phrase_tokens(text), head=head, left_words=0))
        return out

    def _apposition_orgs(
        self, work: _FindingWork, found: list[_OrgCandidate]
    ) -> list[_OrgCandidate]:
        """A quoted name the text calls a body ("el “Código Alerta” es un grupo…")."""
        tokens = work.tokens
        out = []
        for qs, qe in quote_pairs(work.finding.text):
            inner = [k for k, t in enumerate(tokens) if qs <= t.start and t.end <= qe]
            if not inner or any(c.start_tok <= inner[0] < c.end_tok for c in found):
                continue
            head = self._apposition_head(tokens, inner[-1] + 2)
            if head is None:
                continue
            a, b = inner[0], inner[-1] + 1
            _, _, text = work.surface(a, b)
            out.append(_OrgCandidate(a, b, text, phrase_tokens(text), head=head, left_words=b - a))
        return out

    def _is_name_word(self, tok: Token) -> bool:
        return tok.is_alpha and tok.is_cap and not tok.is_acronym

    def _build_name(
        self,
        work: _FindingWork,
        i: int,
        n: int,
        head: Head,
        before: list[_OrgCandidate],
        *,
        lowercase: bool = False,
    ) -> list[_OrgCandidate]:
        tokens = work.tokens
        lang = self.lang
        start = i
        if not lang.head_initial and not lowercase:
            floor = max((c.end_tok for c in before), default=0)
            while (
                start - 1 >= floor
                and self._is_name_word(tokens[start - 1])
                and tokens[start - 1].folded not in lang.stopwords
                and lang.keywords.match(tokens, start - 1) is None
            ):
                start -= 1
        left_words = i - start
        j = i + n
        last = j
        complement = 0
        parent_tok: int | None = None
        conjuncts: list[tuple[int, int, tuple[str, ...]]] = []  # (start, end, prep words)
        conj_start = i
        conj_prep: tuple[str, ...] = ()
        first_prep: tuple[str, ...] = ()
        while j < len(tokens):
            t = tokens[j]
            if t.text == "," and head.plural and complement and j + 1 < len(tokens):
                # "Secretarías de Cultura, Deporte y Turismo": a list of conjuncts;
                # "Secretarias Municipais de Habitação, de Cultura e de …": with the
                # preposition repeated.
                prep = lang.connectors.match(tokens, j + 1)
                k = j + 1 + (prep[0] if prep is not None else 0)
                if (
                    k < len(tokens)
                    and (self._is_name_word(tokens[k]) or (prep and self._lower_word(tokens, k)))
                    and lang.heads.match(tokens, k) is None
                    and (prep is None or tokens[j + 1].folded not in lang.coordinators)
                ):
                    conjuncts.append((conj_start, last, conj_prep))
                    conj_start = j + 1
                    conj_prep = tuple(x.folded for x in tokens[j + 1 : k])
                    j = k
                    if not self._is_name_word(tokens[k]):
                        j = last = k + 1
                        complement += 1
                    continue
            if not t.is_word:
                break
            conn = lang.connectors.match(tokens, j)
            if conn is not None:
                k = conn[0]
                words = tuple(x.folded for x in tokens[j : j + k])
                nxt = j + k
                if nxt >= len(tokens):
                    break
                nt = tokens[nxt]
                if words[0] in lang.coordinators and len(words) > 1:
                    break  # "and the …": another body follows
                if words[0] in lang.coordinators:
                    follow = lang.connectors.match(tokens, nxt)
                    if (
                        follow is not None
                        and nt.folded not in lang.coordinators
                        and not head.plural
                        and lang.lowercase_complements
                    ):
                        j = nxt  # "Office … de l'immigration et de l'intégration"
                        continue
                    if (
                        follow is not None
                        and head.plural
                        and nt.folded not in lang.coordinators
                        and self._lower_word(tokens, nxt + follow[0])
                    ):
                        # "Directions de la culture et du sport"
                        conjuncts.append((conj_start, last, conj_prep))
                        conj_start = nxt
                        conj_prep = tuple(x.folded for x in tokens[nxt : nxt + follow[0]])
                        j = last = nxt + follow[0] + 1
                        complement += 1
                        continue
                    if nt.folded in lang.determiners or nt.is_acronym or not nt.is_alpha:
                        break
                    if nt.is_cap and lang.heads.match(tokens, nxt) is not None:
                        break
                    if follow is not None and nt.folded not in lang.coordinators:
                        if not head.plural:
                            break
                        conjuncts.append((conj_start, last, conj_prep))
                        conj_start = nxt
                        conj_prep = tuple(x.folded for x in tokens[nxt : nxt + follow[0]])
                        j = nxt + follow[0]
                        continue
                    if not nt.is_cap:
                        break
                    if head.plural:
                        conjuncts.append((conj_start, last, conj_prep))
                        conj_start = nxt
                        conj_prep = ()
                    j = nxt
                    continue
                if (
                    words in lang.parent_connectors
                    and tokens[j - 1].folded not in lang.coordinators
                ) and (
                    (
                        nt.is_cap
                        and lang.heads.match(tokens, nxt) is not None
                        and not self._is_place_at(tokens, nxt)
                    )
                    or (nt.is_acronym and nt.text in self._paren_acronyms)
                ):
                    parent_tok = nxt  # "… de la Alcaldía", "… de la DSU"
                    break
                keyword = lang.keywords.match(tokens, nxt)
                if self._is_name_word(nt) and (keyword is None or keyword[1].plural):
                    if not first_prep:
                        first_prep = words
                    j = nxt
                    continue
                if (
                    lang.lowercase_complements
                    and nt.is_alpha
                    and not nt.is_cap
                    and nt.folded not in lang.determiners
                    and lang.connectors.match(tokens, nxt) is None
                ):
                    j = nxt + 1
                    last = j
                    complement += 1
                    continue
                break
            if self._is_name_word(t):
                keyword = lang.keywords.match(tokens, j)
                if keyword is not None and not keyword[1].plural:
                    break  # "Education Office Circular …": the title starts here
                if not lang.head_initial and t.folded in lang.stopwords:
                    break
                j += 1
                last = j
                complement += 1
                continue
            if not t.is_cap and t.is_alpha and self._name_adjective(t):
                j += 1
                last = j
                complement += 1
                continue
            break
        if not head.plural and j == last and last < len(tokens):
            # A quoted name after the head: "comité de pilotage « Vivre ensemble »".
            close = OPENING_QUOTES.get(tokens[last].text)
            k = last + 1
            while close and k < min(len(tokens), last + 16) and tokens[k].text != close:
                k += 1
            if (
                close
                and k < len(tokens)
                and tokens[k].text == close
                and k > last + 1
                and lang.keywords.match(tokens, last + 1) is None
            ):
                last = k + 1
                complement += 1
        if head.plural:
            if not conjuncts:
                return []  # "las secretarías municipales", "múltiples Secretarías"
            conjuncts.append((conj_start, last, conj_prep))
            return self._conjunct_candidates(work, head, conjuncts, parent_tok)
        multiword = len(head.words) > 1
        if not (complement or left_words or head.bare or (multiword and not head.needs_complement)):
            return []
        if head.needs_complement and not complement and not left_words and not head.bare:
            return []
        _, _, text = work.surface(start, last)
        cand = _OrgCandidate(
            start,
            last,
            text,
            phrase_tokens(text),
            head=head,
            parent_tok=parent_tok,
            left_words=left_words,
        )
        return [cand]

    def _lower_word(self, tokens: Sequence[Token], k: int) -> bool:
        """A lower-case content word that may complete a French-style name."""
        if not self.lang.lowercase_complements or k >= len(tokens):
            return False
        t = tokens[k]
        return (
            t.is_alpha
            and not t.is_cap
            and t.folded not in self.lang.determiners
            and self.lang.connectors.match(tokens, k) is None
        )

    def _name_adjective(self, tok: Token, *, by_suffix: bool | None = None) -> bool:
        """A lower-case adjective that may sit inside a name or an unnamed instrument."""
        if tok.folded in self.lang.name_adjectives:
            return True
        if by_suffix is None:
            by_suffix = self.lang.lowercase_complements
        return (
            by_suffix
            and len(tok.folded) > 4
            and any(tok.folded.endswith(s) for s in self.lang.adjective_suffixes)
        )

    def _is_place_at(self, tokens: Sequence[Token], i: int) -> bool:
        return (
            any(tuple(t.folded for t in tokens[i : i + len(p)]) == p for p in self.place_words)
            or tokens[i].folded in self.lang.place_words
        )

    def _conjunct_candidates(
        self,
        work: _FindingWork,
        head: Head,
        conjuncts: list[tuple[int, int, tuple[str, ...]]],
        parent_tok: int | None = None,
    ) -> list[_OrgCandidate]:
        """'Secretarías del Interior y Planeación' -> two bodies, each with its own span
        and its name rebuilt from the singular head ("Secretaría de Planeación").

        A bare "y" does not split when the other conjuncts repeat their preposition
        ("Ministerios de Educación y de Ciencia y Tecnología") or when the joined name is one
        the profile writes elsewhere."""
        tokens = work.tokens
        head_end = conjuncts[0][0] + len(head.words)
        singular = replace(head, plural=False)
        repeated = any(prep for _, _, prep in conjuncts[1:])
        merged: list[tuple[int, int, tuple[str, ...]]] = []
        for s, e, prep in conjuncts:
            if merged and not prep and s > 0 and tokens[s - 1].folded in self.lang.coordinators:
                ps, _, pprep = merged[-1]
                joined = self._conjunct_name(work, head, ps, e, pprep, len(merged) == 1)
                if repeated or self._plain_key(phrase_tokens(joined)) in self._known_names:
                    merged[-1] = (ps, e, pprep)
                    continue
            merged.append((s, e, prep))
        if len(merged) < 2:
            # Not a coordination after all: one body under a plural head is generic.
            return []
        out = []
        for index, (s, e, prep) in enumerate(merged):
            if e <= s or (index == 0 and e <= head_end):
                continue
            name = self._conjunct_name(work, head, s, e, prep, index == 0)
            out.append(
                _OrgCandidate(
                    s,
                    e,
                    name,
                    phrase_tokens(name),
                    head=singular,
                    synthetic=index > 0,
                    parent_tok=parent_tok,
                )
            )
        return out

    def _conjunct_name(
        self, work: _FindingWork, head: Head, s: int, e: int, prep: tuple[str, ...], first: bool
    ) -> str:
        """The singular name of one conjunct: the head's label, the joiner, the words."""
        text = work.finding.text
        tokens = work.tokens
        if not first:
            words_start = s + len(prep)
            tail = text[tokens[words_start].start : tokens[e - 1].end]
            joiner = (
                text[tokens[s].start : tokens[words_start].start].strip()
                if prep
                else self.lang.default_preposition
            )
            return " ".join(x for x in (head.label, joiner, tail) if x)
        head_end = s + len(head.words)
        if e <= head_end:
            return head.label
        base = tokens[head_end].start
        tail = text[base : tokens[e - 1].end]
        # "Secretarias Municipais de …" -> "Secretaria Municipal de …"
        for t in reversed(tokens[head_end:e]):
            single = next(
                (a for a in self.lang.name_adjectives if _plural_of(t.folded, a, self.lang)),
                None,
            )
            if single is not None:
                form = single.capitalize() if t.is_cap else single
                tail = tail[: t.start - base] + form + tail[t.end - base :]
        return f"{head.label} {tail}"

    def _choose_orgs(
        self, gazetteer: list[_OrgCandidate], rules: list[_OrgCandidate]
    ) -> list[_OrgCandidate]:
        """Non-overlapping candidates: the longer span wins, the gazetteer on a tie.
        A rule name that extends a curated name from its first word is a branch or
        chapter of that body (its parent)."""
        pool = [(c, 0) for c in gazetteer if c.gazetteer] + [(c, 1) for c in rules]
        pool.sort(key=lambda x: (-(x[0].end_tok - x[0].start_tok), x[1], x[0].start_tok))
        chosen: list[_OrgCandidate] = []
        taken: set[int] = set()
        for cand, _ in pool:
            span = set(range(cand.start_tok, cand.end_tok))
            if span & taken:
                continue
            chosen.append(cand)
            taken |= span
        for cand in chosen:
            if cand.gazetteer or cand.synthetic:
                continue
            for gaz in gazetteer:
                if (
                    gaz.gazetteer
                    and gaz.acronym_of is None
                    and gaz.start_tok == cand.start_tok
                    and gaz.end_tok < cand.end_tok
                ):
                    cand.chapter_of = gaz.gazetteer[0]
        chosen.sort(key=lambda c: c.start_tok)
        return chosen

    # -- absence --

    def _determiner_before(self, work: _FindingWork, tok: int) -> str | None:
        if tok == 0:
            return None
        prev = work.tokens[tok - 1]
        if prev.folded in self.lang.determiners or prev.folded in self.lang.negations:
            return prev.folded
        if prev.folded.endswith("'s"):
            return "'s"
        return None

    def _absent(self, work: _FindingWork, start_tok: int, cand: object) -> bool:
        """Stated as absent: a negation earlier in the sentence and an indefinite or
        bare noun phrase ("No existe una política…", "no cuenta con programas…")."""
        if isinstance(cand, _OrgCandidate) and (cand.gazetteer or cand.head is None):
            return False
        sentence = work.sentence_of(start_tok)
        stop = start_tok
        if isinstance(cand, _OrgCandidate):
            # "a organização não governamental X": the kind phrase negates nothing
            for words, _ in self.lang.org_cues:
                n = len(words)
                if (
                    start_tok >= n
                    and tuple(t.folded for t in work.tokens[start_tok - n : start_tok]) == words
                ):
                    stop = start_tok - n
                    break
        negated = any(_negation_at(work.tokens, k, self.lang) for k in range(sentence.start, stop))
        if not negated:
            return False
        if isinstance(cand, _InstrumentCandidate) and cand.kind != "generic":
            # A named instrument after a negation is not absent ("aún no ha aprobado
            # el proyecto de Ley …", "no ha ratificado el Convenio …"), unless the
            # negation or an indefinite article governs it ("There is no Migration
            # Strategy", "no cuenta con un Plan …").
            det = self._determiner_before(work, start_tok)
            if det in {"de", "d'"}:  # French "pas de Plan …" vs "projet de Loi …"
                k = start_tok - 2
                return k >= 0 and work.tokens[k].folded in self.lang.negations
            return det is not None and (det in self.lang.negations or det in self.lang.indefinites)
        det = self._determiner_before(work, start_tok)
        lang = self.lang
        definite = (
            det is not None
            and (
                det in lang.articles
                or det in lang.contractions
                or det in lang.possessives
                or det == "'s"
            )
            and det not in lang.indefinites
        )
        return not definite

    # -- instruments --

    def _instruments(self, work: _FindingWork) -> list[_InstrumentCandidate]:
        found: list[_InstrumentCandidate] = []
        found += self._numbered(work)
        found += self._titled(work)
        found += self._quoted(work)
        found += self._generic(work)
        order = {"numbered": 0, "quoted": 1, "titled": 2, "generic": 3}
        found.sort(key=lambda c: (-(c.end - c.start), order[c.kind], c.start))
        chosen: list[_InstrumentCandidate] = []
        for cand in found:
            if any(cand.start < o.end and o.start < cand.end for o in chosen):
                continue
            # A curated body named like a programme ("Programa Mundial de Alimentos").
            if any(
                o.gazetteer
                and o.acronym_of is None
                and work.tokens[o.start_tok].start <= cand.start < work.tokens[o.end_tok - 1].end
                for o in work.orgs
            ):
                continue
            chosen.append(cand)
        chosen = [c for c in chosen if not self._absent(work, c.start_tok, c)]
        chosen.sort(key=lambda c: c.start)
        return self._merge_number_references(work, chosen)

    def _merge_number_references(
        self, work: _FindingWork, chosen: list[_InstrumentCandidate]
    ) -> list[_InstrumentCandidate]:
        """ "Title (number reference)" is one instrument: "Ley Orgánica … (Ley 938 de
        2017)", "Lei de Acolhimento (Lei nº 5.432/2018)". The title keeps the identity,
        and the number reference alone names the same instrument elsewhere."""
        tokens = work.tokens
        text = work.finding.text
        out: list[_InstrumentCandidate] = []
        for cand in chosen:
            prev = out[-1] if out else None
            if (
                prev is not None
                and cand.kind == "numbered"
                and prev.kind in {"titled", "quoted"}
                and prev.end_tok < len(tokens)
                and tokens[prev.end_tok + (prev.kind == "quoted")].text == "("
                and cand.start_tok == prev.end_tok + 1 + (prev.kind == "quoted")
                and (close := self._reference_close(tokens, cand.end_tok)) is not None
            ):
                end = tokens[close].end
                merged = replace(
                    prev,
                    end_tok=close + 1,
                    end=end,
                    title=text[prev.start : end],
                    key_title=prev.key_title or prev.title,
                    aliases=(*prev.aliases, cand.title),
                    creator_tok=prev.creator_tok or self._creator_after(work, close + 1),
                )
                out[-1] = merged
                continue
            out.append(cand)
        return out

    def _reference_close(self, tokens: Sequence[Token], k: int) -> int | None:
        """The ")" that closes a number reference ending at token k, past a date
        written after a comma: "(Lei nº 13.445, de 24 de maio de 2017)"."""
        lang = self.lang
        j = k
        while j < len(tokens) and j < k + 12:
            t = tokens[j]
            if t.text == ")":
                return j
            if not (
                t.text in {",", "/", "-", "–"}
                or t.is_number
                or t.folded in lang.months
                or (t.folded,) in lang.connectors
                or self._year_links.match(tokens, j) is not None
            ):
                return None
            j += 1
        return None

    def _keyword_at(self, tokens: Sequence[Token], i: int) -> tuple[int, Keyword] | None:
        match = self.lang.keywords.match(tokens, i)
        if match is None:
            return None
        n, kw = match
        assert isinstance(kw, Keyword)
        for phrase in self.lang.not_before:
            k = len(phrase)
            for s in range(max(0, i - k + 1), i + 1):
                if tuple(t.folded for t in tokens[s : s + k]) == phrase:
                    return None
        return n, kw

    def _left_modifiers(self, tokens: Sequence[Token], i: int) -> int:
        if self.lang.head_initial:
            return i
        start = i
        while (
            start - 1 >= 0
            and self._is_name_word(tokens[start - 1])
            and tokens[start - 1].folded not in self.lang.stopwords
        ):
            start -= 1
        return start

    def _candidate(self, work, s, e, keyword, kind, title=None, type_code=None):
        start, end, text = work.surface(s, e)
        return _InstrumentCandidate(
            s, e, start, end, title or text, keyword, type_code or keyword.instrument_type, kind
        )

    def _numbered(self, work: _FindingWork) -> list[_InstrumentCandidate]:
        tokens = work.tokens
        out = []
        for i, tok in enumerate(tokens):
            if not tok.is_alpha:
                continue
            kw = self._keyword_at(tokens, i)
            if kw is None or not kw[1].numbered:
                continue
            j = i + kw[0]
            marker = self._number_markers.match(tokens, j)
            if marker is not None:
                j += marker[0]
            if marker is None and (date_end := self._date_after(tokens, j)) is not None:
                # "délibération du 14 avril 2021": a dated act without a number.
                start = self._left_modifiers(tokens, i)
                type_code = self.lang.numbered_types.get(tokens[i].folded, kw[1].instrument_type)
                cand = self._candidate(
                    work, start, date_end, kw[1], "numbered", type_code=type_code
                )
                cand.creator_tok = self._creator_after(work, date_end)
                out.append(cand)
                continue
            if j >= len(tokens) or not tokens[j].is_number:
                continue
            number_start = j
            j += 1
            # "13.445/2017", "1.234": glued digits and separators are one number.
            while (
                j + 1 < len(tokens)
                and tokens[j].text in {".", "/", "-"}
                and tokens[j].start == tokens[j - 1].end
                and tokens[j + 1].is_number
                and tokens[j + 1].start == tokens[j].end
            ):
                j += 2
            if j - number_start == 1 and re.fullmatch(r"\d{4}", tokens[number_start].text):
                work.number_spans.append((tokens[number_start].start, tokens[number_start].end))
            link = self._year_links.match(tokens, j)
            if link is not None and j + link[0] < len(tokens):
                year_tok = tokens[j + link[0]]
                if re.fullmatch(r"\d{4}", year_tok.text):
                    j += link[0] + 1
            date_end = self._date_after(tokens, j)
            if date_end is not None:
                j = date_end  # "n° 2019-45 du 3 juin 2019"
            start = self._left_modifiers(tokens, i)
            type_code = self.lang.numbered_types.get(tokens[i].folded, kw[1].instrument_type)
            cand = self._candidate(work, start, j, kw[1], "numbered", type_code=type_code)
            cand.creator_tok = self._creator_after(work, j)
            out.append(cand)
        return out

    def _date_after(self, tokens: Sequence[Token], j: int) -> int | None:
        """End of a full date that follows a reference ("du 3 juin 2019", "del 5 de
        mayo de 2020", "of 3 June 2019"), or None."""
        link = self._year_links.match(tokens, j)
        if link is None or tokens[j].text in {",", "/"}:
            return None
        k = j + link[0]
        if k >= len(tokens) or not (
            re.fullmatch(r"\d{1,2}", tokens[k].text) or tokens[k].folded in self.lang.months
        ):
            return None
        month = False
        for m in range(k, min(len(tokens), k + 6)):
            t = tokens[m]
            if t.folded in self.lang.months and not t.is_number:
                month = True
            elif re.fullmatch(r"\d{4}", t.text):
                return m + 1 if month else None
            elif (
                not (re.fullmatch(r"\d{1,2}", t.text) or t.text in {",", "º", "°"})
                and (t.folded,) not in self.lang.connectors
                and t.folded != "er"
            ):
                return None
        return None

    def _title_extent(self, work: _FindingWork, j: int) -> tuple[int, int, int | None]:
        """Extend a title to the right: (end token, named words, creator token)."""
        tokens = work.tokens
        lang = self.lang
        last = j
        named = 0
        while j < len(tokens):
            t = tokens[j]
            if t.text in {"«", "“", '"'} and j == last:
                close = {"«": "»", "“": "”", '"': '"'}[t.text]
                k = j + 1
                while k < len(tokens) and tokens[k].text != close:
                    k += 1
                if k < len(tokens) and k > j + 1:
                    j = k + 1
                    last = j
                    named += 1
                    break
                break
            if (
                t.text in {"–", "—", "-"}
                and 0 < j < len(tokens) - 1
                and tokens[j - 1].is_number
                and tokens[j + 1].is_number
            ):
                j += 1  # "2020–2025": the en dash is a token of its own
                continue
            if not t.is_word:
                break
            conn = lang.connectors.match(tokens, j)
            if conn is not None:
                nxt = j + conn[0]
                if nxt >= len(tokens):
                    break
                nt = tokens[nxt]
                words = tuple(x.folded for x in tokens[j:nxt])
                if words[0] in lang.coordinators and (
                    nt.folded in lang.determiners or not (nt.is_cap or nt.is_number)
                ):
                    break
                if (
                    nt.is_cap
                    and lang.heads.match(tokens, nxt) is not None
                    and not self._is_place_at(tokens, nxt)
                    and lang.head_initial
                    and len(words) == 1
                    and words[0] in lang.coordinators
                    and named
                ):
                    # "Política … de Proteção e Defesa Civil": a head right after a bare
                    # coordinator, with no article, is a word of the title, not a body.
                    j = nxt + 1
                    last = j
                    named += 1
                    continue
                if (
                    nt.is_cap
                    and lang.heads.match(tokens, nxt) is not None
                    and not self._is_place_at(tokens, nxt)
                ):
                    return (
                        last,
                        named,
                        (nxt if words in lang.parent_connectors or len(words) == 1 else None),
                    )
                year_link = self._year_links.match(tokens, j) is not None
                if (
                    self._is_name_word(nt)
                    or (nt.is_number and year_link)
                    or nt.folded in lang.title_words
                ):
                    j = nxt
                    continue
                if (
                    lang.lowercase_complements
                    and nt.is_alpha
                    and not nt.is_cap
                    and nt.folded not in lang.determiners
                    and lang.connectors.match(tokens, nxt) is None
                ):
                    j = nxt + 1  # French titles are in sentence case
                    last = j
                    named += 1
                    continue
                break
            if self._is_name_word(t) or t.is_number or t.folded in lang.title_words:
                if self._is_name_word(t) and lang.heads.match(tokens, j) is not None and named:
                    break
                j += 1
                last = j
                named += 1
                continue
            if not t.is_cap and t.is_alpha and t.folded in lang.name_adjectives:
                j += 1
                last = j
                continue
            break
        return last, named, None

    def _titled(self, work: _FindingWork) -> list[_InstrumentCandidate]:
        tokens = work.tokens
        out = []
        for i, tok in enumerate(tokens):
            if not (tok.is_alpha and tok.is_cap):
                continue
            kw = self._keyword_at(tokens, i)
            if kw is None or kw[1].plural:
                continue
            after = i + kw[0]
            marker = self._number_markers.match(tokens, after)
            if marker is not None:
                after += marker[0]
            if kw[1].numbered and after < len(tokens) and tokens[after].is_number:
                continue  # "Circular 254 de 2018": the numbered pass reads it
            if self._apposition_head(tokens, self._after_title(work, i + kw[0])) is not None:
                continue
            start = self._left_modifiers(tokens, i)
            end, named, creator = self._title_extent(work, i + kw[0])
            multiword = len(kw[1].label.split()) > 1
            if named and self._sentence_case(tokens, i, kw[0]):
                end = self._year_suffix(tokens, end)
            if not named and start == i and self._sentence_case(tokens, i, kw[0]):
                # "Convenio sobre la seguridad social (norma mínima), 1952 (núm. 102)"
                end = self._sentence_case_end(tokens, i + kw[0])
                if end is not None:
                    type_code = self.lang.sentence_case_types.get(tokens[i].folded)
                    cand = self._candidate(work, i, end, kw[1], "titled", type_code=type_code)
                    cand.creator_tok = self._creator_after(work, end)
                    out.append(cand)
                    continue
            if not named and start == i and not multiword:
                continue
            if end <= i + kw[0] - 1:
                continue
            cand = self._candidate(work, start, end, kw[1], "titled")
            cand.creator_tok = creator if creator is not None else self._creator_after(work, end)
            out.append(cand)
        return out

    def _sentence_case(self, tokens: Sequence[Token], i: int, n: int) -> bool:
        return tuple(t.folded for t in tokens[i : i + n]) in self.lang.sentence_case

    def _sentence_case_end(self, tokens: Sequence[Token], j: int) -> int | None:
        """A title in sentence case runs on over lower-case words to a clear end: a
        year introduced by a comma or a year link (", 1952", "de 2021"), maybe followed
        by "(núm. 102)"; or a "(núm. N)" of its own. Without such an end there is no
        title (the words may be the sentence's own)."""
        lang = self.lang
        conn = lang.connectors.match(tokens, j)
        if conn is None or tokens[j].folded in lang.coordinators:
            return None
        k = j + conn[0]
        words = 0
        limit = min(len(tokens), j + 24)
        while k < limit:
            t = tokens[k]
            if t.text == "(":
                close = next(
                    (m for m in range(k + 1, min(len(tokens), k + 6)) if tokens[m].text == ")"),
                    None,
                )
                if close is None:
                    return None
                if self._number_markers.match(tokens, k + 1) is not None:
                    return close + 1  # "(núm. 102)"
                if not all(x.is_alpha and not x.is_cap for x in tokens[k + 1 : close]):
                    return None
                k = close + 1
                continue
            if t.text == "," or (t.is_word and self._year_links.match(tokens, k) is not None):
                link = self._year_links.match(tokens, k)
                step = link[0] if link is not None else 1
                if k + step < len(tokens) and re.fullmatch(r"\d{4}", tokens[k + step].text):
                    end = k + step + 1
                    if (
                        end + 1 < len(tokens)
                        and tokens[end].text == "("
                        and self._number_markers.match(tokens, end + 1) is not None
                    ):
                        close = next(
                            (
                                m
                                for m in range(end + 2, min(len(tokens), end + 6))
                                if tokens[m].text == ")"
                            ),
                            None,
                        )
                        if close is not None:
                            end = close + 1
                    return end
                if t.text == ",":
                    return None
            if not t.is_alpha:
                return None
            if t.is_cap and lang.heads.match(tokens, k) is not None:
                return None
            words += 1
            if words > 12:
                return None
            k += 1
        return None

    def _year_suffix(self, tokens: Sequence[Token], end: int) -> int:
        """ ", 1961" (and "(no 143)") closing a convention's title belongs to it."""
        if not (
            end + 1 < len(tokens)
            and tokens[end].text == ","
            and re.fullmatch(r"\d{4}", tokens[end + 1].text)
        ):
            return end
        k = end + 2
        if k < len(tokens) and tokens[k].is_word:
            return end  # ", 2015 a vu …": the year starts a clause
        if (
            k + 1 < len(tokens)
            and tokens[k].text == "("
            and self._number_markers.match(tokens, k + 1)
        ):
            close = next(
                (m for m in range(k + 2, min(len(tokens), k + 6)) if tokens[m].text == ")"), None
            )
            if close is not None:
                return close + 1
        return k

    def _quoted(self, work: _FindingWork) -> list[_InstrumentCandidate]:
        text = work.finding.text
        tokens = work.tokens
        out = []
        for qs, qe in quote_pairs(text):
            inner = [k for k, t in enumerate(tokens) if qs <= t.start and t.end <= qe]
            if not inner:
                continue
            a, b = inner[0], inner[-1] + 1
            kw = self._keyword_at(tokens, a)
            before = self._keyword_before(tokens, a - 2)
            after = self.lang.keywords.match(tokens, b + 1) if b + 1 < len(tokens) else None
            keyword: Keyword | None = None
            if kw is not None:
                keyword = kw[1]
            elif before is not None:
                keyword = before
            elif after is not None and not self.lang.head_initial:
                keyword = after[1]
            if keyword is None:
                continue
            if before is None and self._apposition_head(tokens, b + 1) is not None:
                continue
            start, end = tokens[a].start, tokens[b - 1].end
            cand = _InstrumentCandidate(
                a, b, start, end, text[start:end], keyword, keyword.instrument_type, "quoted"
            )
            cand.creator_tok = self._creator_after(work, b + 1)
            out.append(cand)
        return out

    def _keyword_before(self, tokens: Sequence[Token], k: int) -> Keyword | None:
        """A keyword right before a quotation, maybe with adjectives between
        ("programa municipal «…»")."""
        steps = 0
        while k >= 0 and steps < 3:
            for s in range(max(0, k - 3), k + 1):
                match = self.lang.keywords.match(tokens, s)
                if match is not None and s + match[0] - 1 == k:
                    return match[1]
            if not (tokens[k].is_alpha and not tokens[k].is_cap):
                return None
            k -= 1
            steps += 1
        return None

    def _apposition_head(self, tokens: Sequence[Token], k: int) -> Head | None:
        """'“X” es un grupo de WhatsApp': the text says X is a body (a head noun
        after a copula), so X is an institution, not an instrument."""
        if k >= len(tokens) or tokens[k].folded not in self.lang.copulas:
            return None
        k += 1
        if k < len(tokens) and tokens[k].folded in self.lang.determiners:
            k += 1
        match = self.lang.heads.match(tokens, k)
        if match is None or self.lang.keywords.match(tokens, k) is not None:
            return None
        head = match[1]
        assert isinstance(head, Head)
        return None if head.plural else head

    def _after_title(self, work: _FindingWork, j: int) -> int:
        """First token after a capitalised title starting at j (for apposition checks)."""
        tokens = work.tokens
        while j < len(tokens) and self._is_name_word(tokens[j]):
            j += 1
        if j < len(tokens) and tokens[j].text in {"”", "»", '"'}:
            j += 1
        return j

    def _generic(self, work: _FindingWork) -> list[_InstrumentCandidate]:
        """Unnamed but existing instruments written in lower case."""
        tokens = work.tokens
        lang = self.lang
        out = []
        for i, tok in enumerate(tokens):
            if not tok.is_alpha or tok.is_cap or tok.folded not in lang.generic_keywords:
                continue
            kw = self._keyword_at(tokens, i)
            if kw is None:
                continue
            if lang.head_initial:
                j = i + 1
                adjectives = 0
                while (
                    j < len(tokens)
                    and adjectives < 2
                    and tokens[j].is_alpha
                    and not tokens[j].is_cap
                    and lang.generic_complement_starts.match(tokens, j) is None
                    and lang.connectors.match(tokens, j) is None
                    and tokens[j].folded not in lang.determiners
                ):
                    j += 1
                    adjectives += 1
                comp = lang.generic_complement_starts.match(tokens, j)
                if comp is None:
                    continue
                if not adjectives and tokens[j].folded in lang.contractions:
                    # "les parcours des familles": a complement with an article is an
                    # argument ("the paths of the people"), not a kind of instrument.
                    continue
                k = j + comp[0]
                if (
                    k >= len(tokens)
                    or not tokens[k].is_alpha
                    or tokens[k].folded in lang.determiners
                ):
                    continue
                end = k + 1
                while (
                    end < len(tokens)
                    and tokens[end].is_alpha
                    and (tokens[end].is_cap or self._name_adjective(tokens[end], by_suffix=True))
                ):
                    end += 1
                # Follow "de X" chains ("vivienda de interés social").
                while end + 1 < len(tokens):
                    conn = lang.connectors.match(tokens, end)
                    if conn is None or tokens[end].folded in lang.coordinators:
                        break
                    words = tuple(x.folded for x in tokens[end : end + conn[0]])
                    if words[0] not in {"de", "del", "d'", "do", "da", "dos", "das", "du", "des"}:
                        break
                    nxt = end + conn[0]
                    if nxt >= len(tokens) or not tokens[nxt].is_alpha:
                        break
                    end = nxt + 1
                    while (
                        end < len(tokens)
                        and tokens[end].is_alpha
                        and (
                            tokens[end].is_cap or self._name_adjective(tokens[end], by_suffix=True)
                        )
                    ):
                        end += 1
                start = i
            else:
                start = i
                mods = 0
                while (
                    start - 1 >= 0
                    and tokens[start - 1].is_alpha
                    and not tokens[start - 1].is_cap
                    and tokens[start - 1].folded not in lang.determiners
                    and tokens[start - 1].folded not in lang.negations
                    and mods < 3
                ):
                    start -= 1
                    mods += 1
                if not mods or self._determiner_before(work, start) is None:
                    continue
                end = i + kw[0]
            cand = self._candidate(work, start, end, kw[1], "generic")
            out.append(cand)
        return out

    def _creator_after(self, work: _FindingWork, j: int) -> int | None:
        """'… de la Alcaldía de X', '… of the City Council': the issuer's first token."""
        tokens = work.tokens
        cue = self.lang.creator_cues.match(tokens, j) if j < len(tokens) else None
        if cue is None:
            return None
        k = j + cue[0]
        if k < len(tokens) and tokens[k].folded in self.lang.articles:
            k += 1
        return k if k < len(tokens) and tokens[k].is_cap else None

    # -- acronyms --

    def _acronym_definitions(self) -> dict[str, _Candidate]:
        """Acronyms given in parentheses right after a name, profile-wide:
        acronym -> the candidate that defines it (first definition wins)."""
        defined: dict[str, _Candidate] = {}
        for work in self.works:
            tokens = work.tokens
            for cand in [*work.orgs, *work.instruments]:
                if isinstance(cand, _OrgCandidate) and cand.acronym_of is not None:
                    continue
                e = cand.end_tok
                if isinstance(cand, _InstrumentCandidate) and cand.kind == "quoted":
                    e += 1  # past the closing quotation mark
                if (
                    e + 2 < len(tokens)
                    and tokens[e].text == "("
                    and _acronym_like(tokens[e + 1])
                    and tokens[e + 2].text == ")"
                ):
                    defined.setdefault(tokens[e + 1].text, cand)
        return defined

    def _acronym_mentions(self, work: _FindingWork, defined: dict[str, _Candidate]) -> None:
        taken = {k for c in work.orgs for k in range(c.start_tok, c.end_tok)}
        taken_i = {k for c in work.instruments for k in range(c.start_tok, c.end_tok)}
        for k, tok in enumerate(work.tokens):
            if not _acronym_like(tok) or tok.text not in defined:
                continue
            target = defined[tok.text]
            if isinstance(target, _InstrumentCandidate):
                if k in taken_i:
                    continue
                cand = _InstrumentCandidate(
                    k,
                    k + 1,
                    tok.start,
                    tok.end,
                    tok.text,
                    target.keyword,
                    target.instrument_type,
                    "acronym",
                )
                cand.entity = f"=acr:{tok.text}"
                work.instruments.append(cand)
                continue
            if k in taken:
                # A curated acronym already matched here: let the definition decide.
                for c in work.orgs:
                    if c.start_tok == k and c.acronym_of == tok.text:
                        c.gazetteer = ()
                        c.head = None
                        c.entity = f"=acr:{tok.text}"
                continue
            cand = _OrgCandidate(k, k + 1, tok.text, (tok.folded,), acronym_of=tok.text)
            cand.entity = f"=acr:{tok.text}"
            work.orgs.append(cand)
        work.orgs.sort(key=lambda c: c.start_tok)
        work.instruments.sort(key=lambda c: c.start)
        self._acronym_targets = defined

    # -- resolution: institutions --

    def _org_key(self, cand: _OrgCandidate) -> str:
        if cand.gazetteer:
            return "gaz:" + cand.gazetteer[0].slug
        if cand.head is not None and self._org_type(cand)[0] == MUNICIPAL_GOVERNMENT and self.local:
            return "role:" + MUNICIPAL_GOVERNMENT
        key = _strip_key(cand.name_words, self.lang, self.place_words, self.municipal)
        return "key:" + " ".join(key or cand.name_words)

    def _org_type(self, cand: _OrgCandidate) -> tuple[str, str | None]:
        """(type code, scope) of a rule-built name."""
        head = cand.head
        assert head is not None
        lang = self.lang
        words = cand.name_words
        type_code = head.institution_type
        if not lang.head_initial:
            # English: the last head before the complement, unless an earlier one dominates.
            core_end = len(words)
            for k, w in enumerate(words):
                if (w,) in lang.connectors and k >= cand.left_words:
                    core_end = k
                    break
            toks = tokenize(cand.name)
            heads = [lang.heads.match(toks, k) for k in range(min(core_end, len(toks)))]
            found = [h[1] for h in heads if h is not None]
            dominant = [h for h in found if h.institution_type in self.rules.dominant_types]
            pick = dominant[0] if dominant else (found[-1] if found else head)
            assert isinstance(pick, Head)
            type_code = pick.institution_type
        for marker in self.rules.type_markers:
            if marker.from_types and type_code not in marker.from_types:
                continue
            if any(_contains(words, m) for m in marker.words):
                type_code = marker.institution_type
                break
        scope = None
        best = len(words) + 1
        for marker, marker_scope in lang.scope_markers:
            pos = _find(words, marker)
            if pos is not None and pos < best:
                best, scope = pos, marker_scope
        if any(_contains(words, p) for p in self.place_words):
            scope = scope or "municipal"
        if scope is None and not self.local:
            scope = "national"
        if scope is not None:
            type_code = self.rules.scope_types.get(scope, {}).get(type_code, type_code)
        if scope is None:
            scope = self.rules.type_scopes.get(type_code)
        return type_code, scope

    def _resolve_orgs(self) -> None:
        for work in self.works:
            for cand in work.orgs:
                if not cand.entity and not cand.anaphor:
                    cand.entity = self._org_key(cand)
        self._resolve_anaphors()
        # Acronym keys point at their defining candidate's entity.
        for work in self.works:
            for cand in work.orgs:
                if cand.entity.startswith("=acr:"):
                    target = self._acronym_targets[cand.entity[5:]]
                    cand.entity = target.entity or (
                        self._org_key(target) if isinstance(target, _OrgCandidate) else ""
                    )
        for work in self.works:
            for cand in work.orgs:
                entity = self.entities.setdefault(
                    cand.entity, _Entity(cand.entity, EntityKind.ORGANIZATION)
                )
                entity.candidates.append(cand)
        for entity in self.entities.values():
            if entity.kind is EntityKind.ORGANIZATION:
                self._describe_org(entity)
        self._stated_parents()
        self._context_parents()

    def _resolve_anaphors(self) -> None:
        """A bare lower-case head ("la préfecture") names the body written earlier in
        the profile with the same head and a complement ("préfecture de la Haute-Lise"),
        when exactly one such body precedes it; otherwise it is dropped."""
        seen: list[tuple[tuple[str, ...], str]] = []  # (head words, entity key)
        for work in self.works:
            keep = []
            for cand in work.orgs:
                if cand.anaphor and cand.head is not None:
                    keys = {key for words, key in seen if words == cand.head.words}
                    if len(keys) != 1:
                        continue
                    cand.entity = keys.pop()
                elif cand.head is not None and cand.entity and not cand.synthetic:
                    seen.append((cand.head.words, cand.entity))
                keep.append(cand)
            work.orgs = keep

    def _describe_org(self, entity: _Entity) -> None:
        cands = entity.candidates
        gaz = next((c.gazetteer[0] for c in cands if c.gazetteer), None)
        if gaz is not None:
            entity.gazetteer = gaz
            entity.slug = gaz.slug
            entity.label = gaz.label
            entity.type_code = gaz.institution_type
            entity.scope = gaz.scope
            entity.parent = gaz.parent
            entity.parent_is_slug = gaz.parent is not None
        else:
            named = [c for c in cands if c.head is not None]
            best = max(
                named,
                key=lambda c: (
                    not c.synthetic,
                    c.name[:1].isupper(),  # "Policía" over a lower-case "policía local"
                    self._mentions_place(c),
                    len(c.name),
                ),
            )
            entity.type_code, entity.scope = self._org_type(best)
            entity.label = self._label(best.name)
            if entity.key == "role:" + MUNICIPAL_GOVERNMENT:
                key: tuple[str, ...] = _MUNICIPAL_GOVERNMENT_KEY
            else:
                key = tuple(entity.key[4:].split())
            qualifier = self._qualifier(entity.scope)
            entity.slug = mint_slug(key, qualifier)
            if not qualifier:
                entity.slug = slugify(entity.label)
            curated = self.gazetteer.get(entity.slug)
            if curated is not None:
                entity.gazetteer = curated
                entity.label = curated.label
                entity.type_code = curated.institution_type
                entity.parent = curated.parent
                entity.parent_is_slug = curated.parent is not None
            chapter = next((c.chapter_of for c in cands if c.chapter_of is not None), None)
            if chapter is not None and entity.parent is None:
                entity.parent, entity.parent_is_slug = chapter.slug, True
        labels = [c.name for c in cands if not c.synthetic and c.acronym_of is None]
        labels += [c.acronym_of for c in cands if c.acronym_of]
        entity.alt_labels = [x for x in dict.fromkeys(labels) if x and x != entity.label]

    def _label(self, name: str) -> str:
        """A name without a trailing generic place phrase ("… del Municipio")."""
        tokens = tokenize(name)
        if len(tokens) > 2 and tokens[-1].folded in self.lang.place_words:
            for k in (2, 1):
                prep = tuple(t.folded for t in tokens[-1 - k : -1])
                if len(tokens) > k + 1 and (
                    prep in self.lang.place_prepositions or prep in self.lang.parent_connectors
                ):
                    return name[: tokens[-1 - k].start].rstrip()
        return name

    def _mentions_place(self, cand: _OrgCandidate) -> bool:
        return any(_contains(cand.name_words, p) for p in self.place_words)

    def _qualifier(self, scope: str | None) -> str | None:
        if scope == "international":
            return None
        if scope == "national" and self.country:
            return self.country
        return self.place_slug

    def _jurisdiction(self, scope: str | None) -> str | None:
        if scope == "international":
            return None
        if scope == "national":
            return self.country
        if scope == "regional":
            return None
        return self.place_slug if self.local else self.country

    def _set_parent(self, child: str, parent: str) -> None:
        entity = self.entities.get(child)
        if entity is None or child == parent or entity.parent is not None:
            return
        if entity.gazetteer is not None:
            return  # curated ties are facts; the text does not override them
        entity.parent, entity.parent_is_slug = parent, False

    def _org_at(self, work: _FindingWork, tok: int) -> _OrgCandidate | None:
        for cand in work.orgs:
            if cand.start_tok == tok:
                return cand
        return None

    def _org_ending_at(self, work: _FindingWork, tok: int) -> tuple[_OrgCandidate, int] | None:
        """The org whose span (plus "(ACR)" and a comma) ends right before `tok`."""
        tokens = work.tokens
        for cand in work.orgs:
            e = cand.end_tok
            if e + 2 < len(tokens) and tokens[e].text == "(" and tokens[e + 2].text == ")":
                e += 3
            if e < len(tokens) and tokens[e].text == ",":
                e += 1
            if e == tok:
                return cand, e
        return None

    def _stated_parents(self) -> None:
        lang = self.lang
        for work in self.works:
            tokens = work.tokens
            for cand in work.orgs:
                if cand.parent_tok is not None:
                    parent = self._org_at(work, cand.parent_tok)
                    if parent is not None:
                        self._set_parent(cand.entity, parent.entity)
            for k in range(len(tokens)):
                for cues, owner in ((lang.parent_cues, False), (lang.owner_cues, True)):
                    match = cues.match(tokens, k)
                    if match is None:
                        continue
                    before = self._org_ending_at(work, k)
                    after_tok = k + match[0]
                    while after_tok < len(tokens) and tokens[after_tok].folded in lang.determiners:
                        after_tok += 1
                    after = self._org_at(work, after_tok)
                    if before is None or after is None:
                        continue
                    if owner:
                        child = self.entities.get(after.entity)
                        if child is not None and child.type_code in _OWNED_TYPES:
                            self._set_parent(after.entity, before[0].entity)
                    else:
                        self._set_parent(before[0].entity, after.entity)

    def _context_parents(self) -> None:
        """Sub-bodies belong to their body; a local secretariat to the municipal
        government (minted when the profile never names it)."""
        by_words: dict[tuple[str, ...], str] = {}
        for entity in self.entities.values():
            if entity.kind is EntityKind.ORGANIZATION and entity.key.startswith("key:"):
                by_words[tuple(entity.key[4:].split())] = entity.key
        for entity in list(self.entities.values()):
            if entity.kind is not EntityKind.ORGANIZATION or entity.parent is not None:
                continue
            head = next((c.head for c in entity.candidates if c.head is not None), None)
            if head is not None and head.sub_of is not None and entity.key.startswith("key:"):
                words = tuple(entity.key[4:].split())
                n = len(head.words)
                parent_words = head.sub_of + words[n:]
                if parent_words in by_words:
                    entity.parent, entity.parent_is_slug = by_words[parent_words], False
                    continue
            if (
                self.local
                and entity.type_code in _CONTEXT_PARENT_TYPES
                and entity.gazetteer is None
            ):
                entity.parent = self._municipal_government()
                entity.parent_is_slug = False

    def _municipal_government(self) -> str:
        key = "role:" + MUNICIPAL_GOVERNMENT
        if key not in self.entities:
            entity = _Entity(key, EntityKind.ORGANIZATION)
            entity.slug = mint_slug(_MUNICIPAL_GOVERNMENT_KEY, self.place_slug)
            template = _DEFAULT_GOVERNMENT_LABEL.get(self.lang.language, "{place}")
            entity.label = template.format(place=self.profile.place_name)
            entity.type_code = MUNICIPAL_GOVERNMENT
            entity.scope = "municipal"
            curated = self.gazetteer.get(entity.slug)
            if curated is not None:
                entity.gazetteer = curated
                entity.label = curated.label
            self.entities[key] = entity
        return key

    # -- resolution: instruments --

    def _resolve_instruments(self) -> None:
        for work in self.works:
            for cand in work.instruments:
                if cand.entity.startswith("=acr:"):
                    target = self._acronym_targets[cand.entity[5:]]
                    cand.entity = target.entity
                    continue
                cand.entity = self._instrument_key(cand.key_title or cand.title)
        # A number reference merged with its title ("… (Ley 938 de 2017)") names the
        # same instrument when it is written alone.
        aliases = {
            self._instrument_key(alias): cand.entity
            for work in self.works
            for cand in work.instruments
            for alias in cand.aliases
        }
        for work in self.works:
            for cand in work.instruments:
                cand.entity = aliases.get(cand.entity, cand.entity)
        for work in self.works:
            for index, cand in enumerate(work.instruments):
                if not cand.entity:
                    continue
                entity = self.entities.setdefault(
                    cand.entity, _Entity(cand.entity, EntityKind.INSTRUMENT)
                )
                entity.candidates.append(cand)
                if cand.kind == "acronym":
                    continue
                entity.years |= self._instrument_years(work, index)
                status = self._status(work, index)
                if status != "in-force":
                    entity.status = status
                creator = self._creator(work, cand)
                if creator and entity.creator is None:
                    entity.creator = creator
        for entity in self.entities.values():
            if entity.kind is EntityKind.INSTRUMENT:
                self._describe_instrument(entity)

    def _instrument_key(self, title: str) -> str:
        words = _strip_key(phrase_tokens(title), self.lang, self.place_words, frozenset())
        return "inst:" + " ".join(words or phrase_tokens(title))

    def _describe_instrument(self, entity: _Entity) -> None:
        cands = [c for c in entity.candidates if c.kind != "acronym"] or entity.candidates
        best = max(cands, key=lambda c: (c.kind != "generic", len(c.title)))
        entity.label = best.title
        entity.type_code = best.instrument_type
        words = phrase_tokens(best.title)
        scope = self.rules.instrument_type_scopes.get(entity.type_code)
        if scope is None:
            position = len(words) + 1
            for marker, marker_scope in self.lang.scope_markers:
                pos = _find(words, marker)
                if pos is not None and pos < position:
                    position, scope = pos, marker_scope
        if scope is None or any(_contains(words, p) for p in self.place_words):
            scope = scope if scope is not None else ("municipal" if self.local else "national")
        entity.scope = scope
        key = tuple(entity.key[5:].split())
        qualifier = self._qualifier(scope)
        entity.slug = mint_slug(key, qualifier)
        entity.alt_labels = [
            x for x in dict.fromkeys(c.title for c in entity.candidates) if x != entity.label
        ]

    def _window(self, work: _FindingWork, index: int) -> tuple[int, int]:
        """Tokens around instrument `index` that speak about it: its sentence, cut at
        the neighbouring instruments."""
        cand = work.instruments[index]
        sentence = work.sentence_of(cand.start_tok)
        lo, hi = sentence.start, sentence.stop
        for other in work.instruments[:index]:
            if other.end_tok <= cand.start_tok and other.end_tok > lo and other.kind != "acronym":
                lo = other.end_tok
        for other in work.instruments[index + 1 :]:
            if other.start_tok >= cand.end_tok and other.start_tok < hi and other.kind != "acronym":
                hi = other.start_tok
        return lo, hi

    def _window_text(self, work: _FindingWork, lo: int, hi: int) -> str:
        if lo >= hi:
            return ""
        return " " + " ".join(t.folded for t in work.tokens[lo:hi]) + " "

    def _status(self, work: _FindingWork, index: int) -> str:
        """Status from cues that govern the instrument: before it in its clause (it is
        the verb's object: "se encuentra formulando la Política…", "no ha ratificado el
        Convenio…") or just after it ("…, que está en elaboración", "… was being
        drafted"). A coordinated instrument with no cue of its own shares the status
        of the one before it ("no ha ratificado el Convenio 97 ni el Convenio 143")."""
        cand = work.instruments[index]
        tokens = work.tokens
        lo, hi = self._window(work, index)
        before = self._window_text(work, lo, cand.start_tok)
        after_start = cand.end_tok
        if (
            after_start + 2 < len(tokens)
            and tokens[after_start].text == "("
            and tokens[after_start + 2].text == ")"
        ):
            after_start += 3  # "(PCS)"
        after = self._window_text(work, after_start, min(hi, after_start + 6))
        for status, cues in (
            ("not-ratified", self.lang.not_ratified),
            ("in-preparation", self.lang.in_preparation),
            ("planned", self.lang.planned),
        ):
            if any(_has_cue(before, cue) or _has_cue(after, cue) for cue in cues):
                return status
        previous = [
            k
            for k, other in enumerate(work.instruments[:index])
            if other.kind != "acronym" and other.end_tok <= cand.start_tok
        ]
        if previous:
            k = previous[-1]
            gap = tokens[work.instruments[k].end_tok : cand.start_tok]
            lang = self.lang
            if gap and all(
                t.folded in lang.coordinators
                or t.folded in lang.determiners
                or t.folded in lang.negations
                or t.text == ","
                for t in gap
            ):
                return self._status(work, k)
        return "in-force"

    def _instrument_years(self, work: _FindingWork, index: int) -> set[int]:
        cand = work.instruments[index]
        years = {y.year for y in self._years(work) if cand.start <= y.start and y.end <= cand.end}
        if years:
            return years
        lo, hi = self._window(work, index)
        tokens = work.tokens
        text = self._window_text(work, lo, hi)
        adopted = any(_has_cue(text, cue) for cue in self.lang.adoption)
        found = set()
        for y in self._years(work):
            k = next((i for i in range(lo, hi) if tokens[i].start == y.start), None)
            if k is None or k == 0:
                continue
            near = cand.end_tok <= k <= cand.end_tok + 2
            if tokens[k - 1].folded in self.lang.year_prepositions and (adopted or near):
                found.add(y.year)
        return found

    def _creator(self, work: _FindingWork, cand: _InstrumentCandidate) -> str | None:
        if cand.creator_tok is not None:
            org = self._org_at(work, cand.creator_tok)
            if org is not None:
                return org.entity
        inside = [
            o
            for o in work.orgs
            if o.start_tok >= cand.start_tok and o.end_tok <= cand.end_tok and o.head is not None
        ]
        if inside:
            return inside[0].entity
        if cand.instrument_type in self.rules.acts:
            return None
        sentence = work.sentence_of(cand.start_tok)
        orgs = [o for o in work.orgs if o.start_tok in sentence]
        if not orgs or orgs[0].start_tok >= cand.start_tok:
            return None
        subject = orgs[0]
        det = self._determiner_before(work, cand.start_tok)
        if det in self.lang.possessives:
            return subject.entity
        if not self._subject_position(work, subject.start_tok, sentence):
            return None
        # A new clause ("…, y el Plan …") has its own subject.
        for k in range(subject.end_tok, cand.start_tok):
            t = work.tokens[k]
            if t.text == ";" or (
                t.text == ","
                and k + 1 < len(work.tokens)
                and work.tokens[k + 1].folded in self.lang.coordinators
            ):
                return None
        return subject.entity

    def _subject_position(self, work: _FindingWork, tok: int, sentence: range) -> bool:
        tokens = work.tokens
        k = tok
        while k > sentence.start and tokens[k - 1].folded in self.lang.determiners:
            k -= 1
        if k == sentence.start:
            return True
        intro = self.lang.intro_words.match(tokens, sentence.start)
        return intro is not None and k - sentence.start <= 8

    # -- years --

    def _years(self, work: _FindingWork) -> list[YearSpan]:
        return find_years(
            work.finding.text,
            minimum=self.rules.year_min,
            maximum=self.rules.year_max,
            excluded=work.number_spans,
        )

    # -- output --

    def _result(self) -> Extraction:
        orgs: dict[str, Organization] = {}
        instruments: dict[str, PolicyInstrument] = {}
        slugs: dict[str, str] = {}
        for entity in self.entities.values():
            slugs[entity.key] = entity.slug
        language = self.profile.findings_language
        for entity in self.entities.values():
            if entity.kind is not EntityKind.ORGANIZATION:
                continue
            parent = None
            if entity.parent is not None:
                parent = entity.parent if entity.parent_is_slug else slugs.get(entity.parent)
            if entity.gazetteer is not None:
                org = self._curated(entity.gazetteer, entity.alt_labels)
            else:
                org = Organization(
                    slug=entity.slug,
                    label=entity.label,
                    label_language=language,
                    institution_type=entity.type_code,
                    alt_labels=tuple(entity.alt_labels),
                    parent=parent if parent != entity.slug else None,
                    jurisdiction=self._jurisdiction(entity.scope),
                    curated=False,
                )
            if org.slug in orgs:
                org = _merge_orgs(orgs[org.slug], org)
            orgs[org.slug] = org
        # Curated ancestors must exist for the parent links to resolve.
        for org in list(orgs.values()):
            if org.curated:
                for ancestor in self.gazetteer.ancestors(org.slug):
                    orgs.setdefault(ancestor.slug, self._curated(ancestor, []))
        for entity in self.entities.values():
            if entity.kind is not EntityKind.INSTRUMENT:
                continue
            instruments[entity.slug] = PolicyInstrument(
                slug=entity.slug,
                title=entity.label,
                title_language=language,
                instrument_type=entity.type_code,
                years=tuple(sorted(entity.years)),
                creator=slugs.get(entity.creator) if entity.creator else None,
                jurisdiction=self._jurisdiction(entity.scope),
                status=entity.status,
            )
        mentions: list[Mention] = []
        years: dict[int, tuple[int, ...]] = {}
        for work in self.works:
            n = work.finding.n
            text = work.finding.text
            seen: set[tuple[int, int, str]] = set()
            for cand in work.orgs:
                start, end, surface = work.surface(cand.start_tok, cand.end_tok)
                slug = slugs[cand.entity]
                if (start, end, slug) not in seen:
                    seen.add((start, end, slug))
                    mentions.append(Mention(n, start, end, surface, EntityKind.ORGANIZATION, slug))
            for cand in work.instruments:
                if not cand.entity:
                    continue
                slug = slugs[cand.entity]
                if (cand.start, cand.end, slug) not in seen:
                    seen.add((cand.start, cand.end, slug))
                    mentions.append(
                        Mention(
                            n,
                            cand.start,
                            cand.end,
                            text[cand.start : cand.end],
                            EntityKind.INSTRUMENT,
                            slug,
                        )
                    )
            years[n] = tuple(sorted({y.year for y in self._years(work)}))
        mentions.sort(key=lambda m: (m.finding_n, m.start, m.end, m.kind.value, m.target))
        return Extraction(
            organizations=tuple(sorted(orgs.values(), key=lambda o: o.slug)),
            instruments=tuple(sorted(instruments.values(), key=lambda i: i.slug)),
            mentions=tuple(mentions),
            years=years,
        )

    def _curated(self, entry: GazetteerEntry, seen_labels: Iterable[str]) -> Organization:
        alts = [a.text for a in entry.alt_labels] + list(seen_labels)
        return Organization(
            slug=entry.slug,
            label=entry.label,
            label_language=entry.label_language,
            institution_type=entry.institution_type,
            alt_labels=tuple(x for x in dict.fromkeys(alts) if x != entry.label),
            parent=entry.parent,
            jurisdiction=entry.jurisdiction,
            curated=True,
        )


def _merge_orgs(a: Organization, b: Organization) -> Organization:
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


def _plural_of(word: str, adjective: str, lang: LanguageRules) -> bool:
    """Is `word` a plural of the (folded) adjective, by the simple suffix rules?"""
    if word == adjective or not word.startswith(adjective[:3]):
        return False
    return word in {
        adjective + "s",
        adjective + "es",
        adjective[:-1] + "is",
        adjective[:-2] + "aux",
    }


def _align_initials(letters: str, words: Sequence[str]) -> int | None:
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


def _acronym_like(tok: Token) -> bool:
    return tok.is_acronym or tok.is_mixed_acronym


def _negation_at(tokens: Sequence[Token], k: int, lang: LanguageRules) -> bool:
    """A negation word, unless it is a number sign ("By-law No. 14", "no 3")."""
    if tokens[k].folded not in lang.negations:
        return False
    nxt = tokens[k + 1] if k + 1 < len(tokens) else None
    if nxt is not None and nxt.text == "." and k + 2 < len(tokens):
        nxt = tokens[k + 2]
    return not (nxt is not None and nxt.is_number)


def _find(words: Sequence[str], phrase: Sequence[str]) -> int | None:
    n = len(phrase)
    for i in range(len(words) - n + 1):
        if tuple(words[i : i + n]) == tuple(phrase):
            return i
    return None


def _contains(words: Sequence[str], phrase: Sequence[str]) -> bool:
    return bool(phrase) and _find(words, phrase) is not None


def _has_cue(window: str, cue: str) -> bool:
    """A cue phrase inside a folded window: whole words, or a word prefix when the
    cue ends with "*" (stems such as 'adoptad*')."""
    if cue.endswith("*"):
        return f" {cue[:-1]}" in window
    return f" {cue} " in window
