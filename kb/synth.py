"""Synthetic MGI profiles in the profile text format, for scale tests (issue 7).

`write_synthetic_profiles(out_dir, count=N, seed=S)` writes N invented
profiles, `{place-slug}-{year}.txt`, in the text format of
`profiles/FORMAT.md`, so that the real parser, extractor, builder and
validator can be exercised at scale. Each profile draws its own variant of
everything FORMAT.md allows: findings language (en/es/fr/pt) and a page-chrome
language that may differ, local or national level and the matching
designations, About block or none, stray digit and click lines, heading
wordings and case styles, list-heading wordings with or without the prefix,
French space/U+00A0/U+202F before colons, bullet markers, indentation, date
forms with months in any language, CRLF, final newline or not.

Findings are built from templates (`data/synth/{lang}.toml`) that name
institutions from a shared, skewed pool (`data/synth/institutions.toml`), so a
few bodies (IOM, UNHCR, the migration authority of a frequent invented
country) recur in most profiles, as in real corpora. Places, countries and
local bodies are invented; only the five UN bodies are real.

Determinism: profile i depends only on (seed, i), through its own
`random.Random`; the same (count, seed) gives byte-identical files, and a
smaller run is a prefix of a larger one.

Template slots: `{role[instance][:FORM]}`.
- institution roles: intl nat gov sec secs coord rights centre clinic risk
  police civ council; instrument roles: plan norm law prog route draft; `here` is the
  assessed place (its short name, or "el municipio", "the City", …).
- FORM: S (sentence start, capitalised), O (with article; default), DE, A,
  CON (with the language's preposition and contraction: del/al, du/au/des,
  do/da/ao/à, of/to/with).
- a digit makes a second, distinct entity of the same role: {rights2:A}.
- scalars: svc topic gap absent (per-domain phrases), year num short place
  country.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from math import gcd
from pathlib import Path

from kb.model import Assessment, Domain, EntityKind, Level
from kb.synth_pools import (
    DEFAULT_POOLS,
    INSTRUMENT_ROLES,
    LANGUAGES,
    PLACEHOLDER,
    SLOT,
    Area,
    Institution,
    InstitutionName,
    LanguagePack,
    NameForm,
    PlaceType,
    SynthPoolError,
    SynthPools,
    Template,
    load_pools,
)
from kb.text import fold_accents, slugify

__all__ = [
    "DEFAULT_POOLS",
    "PlantedMention",
    "SynthPoolError",
    "SynthPools",
    "SyntheticFinding",
    "SyntheticLayout",
    "SyntheticProfile",
    "build_synthetic_profile",
    "iter_synthetic_profiles",
    "load_pools",
    "profile_rng",
    "synthesize_profile",
    "write_synthetic_profiles",
]

FIRST_YEAR, LAST_YEAR = 2018, 2025

# How often each variant is drawn. Tuned so that 40 profiles show every kind
# of variant at least once while most profiles still look like real ones.
P_NATIONAL = 0.15
P_FINDINGS_IN_COUNTRY_LANGUAGE = 0.85
P_CHROME_SAME_AS_FINDINGS = 0.55
P_ABOUT = 0.8
P_ABOUT_TITLE_TWICE = 0.85
P_ONE_DESCRIPTION = 0.3
P_STRAY_DIGITS = 0.5
P_STRAY_ANYWHERE = 0.1
P_CRLF = 0.12
P_FINAL_NEWLINE = 0.5
P_TRAILING_BLANKS = 0.1
P_MIXED_MARKERS = 0.12
P_SHUFFLED_DOMAINS = 0.04
P_TRAILING_WHITESPACE = 0.1
P_WHITESPACE_BLANKS = 0.15
P_CURLY = 0.4
P_WD_PREFIX = 0.4
P_INTRO_EXTRA = 0.3
P_BARE_COUNTRY = 0.25
P_STRAY_QUOTE = 0.004  # per finding
P_INDENTED_LINES = 0.06  # markers and headings indented like the bullets (FORMAT.md §1)

MARKERS = ("•", "-", "*", "–", "◦", "▪", "·")
MARKER_WEIGHTS = (6, 3, 2, 1, 1, 1, 1)
INDENTS = ("", "  ", "    ", "\t", " ", "\t\t")
INDENT_WEIGHTS = (5, 4, 1, 2, 1, 1)
BLANK_STYLES = ("loose", "compact", "tight", "messy")
BLANK_STYLE_WEIGHTS = (3, 4, 1, 2)
CASE_STYLES = ("upper", "sentence", "title")
CASE_WEIGHTS = (6, 3, 2)
FRENCH_COLONS = (" :", "\u00a0:", "\u202f:", ":")
FRENCH_COLON_WEIGHTS = (4, 3, 1, 1)
DATE_FORMS = ("year-month", "month-year", "month-de-year")

# Articles and contractions per language, for the DE / A / CON slot forms.
_PREPOSITIONS = {
    "es": {"DE": "de", "A": "a", "CON": "con"},
    "pt": {"DE": "de", "A": "a", "CON": "com"},
    "fr": {"DE": "de", "A": "à", "CON": "avec"},
    "en": {"DE": "of", "A": "to", "CON": "with"},
}
_CONTRACTIONS: dict[str, dict[str, dict[str, str]]] = {
    "es": {"DE": {"el": "del"}, "A": {"el": "al"}},
    "pt": {
        "DE": {"o": "do", "a": "da", "os": "dos", "as": "das"},
        "A": {"o": "ao", "a": "à", "os": "aos", "as": "às"},
    },
    "fr": {"DE": {"le": "du", "les": "des"}, "A": {"le": "au", "les": "aux"}},
    "en": {},
}
_FRENCH_ELISION = frozenset("aeiouhâàéèêîôûAEIOUHÂÀÉÈÊÎÔÛ")
_STRAIGHT_QUOTES = re.compile(r'"([^"]*)"')
# Multiplier that scrambles the index before it becomes syllables, so that
# neighbouring indices do not get neighbouring names.
_SCRAMBLE = 104_729


@dataclass(frozen=True, slots=True)
class PlantedMention:
    """An institution or instrument the generator wrote into a finding."""

    kind: EntityKind
    key: str  # identity across profiles: "iom", "migration-authority@varenia", …
    name: str  # canonical name in the findings language
    surface_forms: tuple[str, ...]  # each occurs verbatim in the finding text
    type: str  # institution type (FORMAT.md §8.3) or instrument type (§8.4)
    scope: str | None
    tier: str  # "core" or "hard" (FORMAT.md §8.6)
    years: tuple[int, ...] = ()
    status: str | None = None  # instruments only


@dataclass(frozen=True, slots=True)
class SyntheticFinding:
    n: int
    domain: Domain
    assessment: Assessment
    position: int
    text: str
    mentions: tuple[PlantedMention, ...]
    years: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class SyntheticLayout:
    """Which format variants a profile was written with (for variety checks)."""

    about_block: bool
    stray_number_lines: bool
    stray_lines_anywhere: bool
    indented_lines: bool  # markers and headings indented too, not only bullets
    key_findings_marker: str
    bullet_markers: tuple[str, ...]
    indent: str
    heading_case: str
    date_form: str
    domain_order: tuple[Domain, ...]
    crlf: bool
    ends_with_newline: bool
    curly_apostrophes: bool


@dataclass(frozen=True, slots=True)
class SyntheticProfile:
    """A generated profile: its text and what a parser should read from it."""

    file_name: str
    text: str
    slug: str
    title: str
    title_language: str
    level: Level
    place_name: str
    designation: str
    place_slug: str
    country: str
    findings_language: str
    chrome_language: str
    date: str  # YYYY-MM
    date_text: str
    short_name: str
    intro_heading: str
    intro_paragraphs: tuple[str, ...]
    findings: tuple[SyntheticFinding, ...]
    place_references: tuple[str, ...]
    layout: SyntheticLayout

    @property
    def year(self) -> int:
        return int(self.date[:4])


def profile_rng(seed: int, index: int) -> random.Random:
    """The random stream of profile `index` under `seed`.

    A string seed is hashed (SHA-512) by `random`, so the stream is the same on
    every run and platform, and each profile's stream is independent of how
    many profiles are generated.
    """
    # Test data, not secrets: a seeded, reproducible generator is the point.
    return random.Random(f"mgi-synth/{seed}/{index}")  # noqa: S311


def synthesize_profile(index: int, rng: random.Random, pools: SynthPools) -> tuple[str, str]:
    """One synthetic profile as (file name, text); pure given `rng`'s state."""
    profile = build_synthetic_profile(index, rng, pools)
    return profile.file_name, profile.text


def build_synthetic_profile(index: int, rng: random.Random, pools: SynthPools) -> SyntheticProfile:
    """One synthetic profile with the structure it was generated from.

    The place name encodes `index`, so different indices never share a slug.
    """
    return _ProfileWriter(index, rng, pools).build()


def iter_synthetic_profiles(
    count: int, seed: int, pools: SynthPools | None = None
) -> Iterator[SyntheticProfile]:
    """Profiles 0 … count-1 under `seed`, generated lazily."""
    if count < 0:
        raise ValueError("count must not be negative")
    pools = pools or load_pools()
    seen: set[str] = set()
    for index in range(count):
        profile = build_synthetic_profile(index, profile_rng(seed, index), pools)
        if profile.slug in seen:  # unreachable by construction; fail loudly if not
            raise RuntimeError(f"duplicate synthetic slug {profile.slug!r} at index {index}")
        seen.add(profile.slug)
        yield profile


def write_synthetic_profiles(
    out_dir: Path, *, count: int, seed: int, pools: SynthPools | None = None
) -> list[Path]:
    """Write `count` profiles into `out_dir` (created if needed); return their paths.

    Files of the same name are overwritten; other files in `out_dir` are left
    alone.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for profile in iter_synthetic_profiles(count, seed, pools):
        path = out_dir / profile.file_name
        # Bytes, not text mode: CRLF profiles must keep their line ends exactly.
        path.write_bytes(profile.text.encode("utf-8"))
        paths.append(path)
    return paths


# --- grammar helpers ---------------------------------------------------------


def _join(art: str, text: str) -> str:
    if not art:
        return text
    return f"{art}{text}" if art.endswith("'") else f"{art} {text}"


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _phrase(lang: str, art: str, text: str, form: str) -> str:
    """`text` with its article, in a slot form (S, O, DE, A, CON)."""
    if form in ("S", "O", ""):
        joined = _join(art, text)
        return _capitalise(joined) if form == "S" else joined
    contracted = _CONTRACTIONS[lang].get(form, {}).get(art)
    if contracted:
        return f"{contracted} {text}"
    preposition = _PREPOSITIONS[lang][form]
    if lang == "fr" and form == "DE" and not art and text[:1] in _FRENCH_ELISION:
        return f"d'{text}"
    return f"{preposition} {_join(art, text)}"


def _title_case(text: str) -> str:
    return " ".join(_capitalise(word) for word in text.split(" "))


def _apply_case(text: str, style: str) -> str:
    if style == "upper":
        return text.upper()
    if style == "title":
        return _title_case(text)
    return text


def _thousands(value: int, lang: str, rng: random.Random) -> str:
    grouped = f"{value:,}"
    if lang == "en":
        return grouped
    if lang == "fr":
        return grouped.replace(",", rng.choice(("\u00a0", "\u202f", " ")))
    return grouped.replace(",", ".")


def _auto_acronym(name: str) -> str | None:
    initials = [w[0] for w in name.split() if w[:1].isupper()]
    acronym = fold_accents("".join(initials)).upper()
    return acronym if len(acronym) >= 2 else None


class _UnfillableError(Exception):
    """A template could not be filled (too few distinct candidates); try another."""


@dataclass
class _FindingState:
    domain: Domain
    areas: frozenset[str]
    used: set[str] = field(default_factory=set)
    filled: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    mentions: list[PlantedMention] = field(default_factory=list)
    years: set[int] = field(default_factory=set)
    year_slots: dict[str, int] = field(default_factory=dict)
    phrases: list[str] = field(default_factory=list)


class _ProfileWriter:
    """Draws every choice of one profile from its own random stream, then writes it."""

    def __init__(self, index: int, rng: random.Random, pools: SynthPools) -> None:
        self.index = index
        self.rng = rng
        self.pools = pools
        self.introduced: set[str] = set()  # keys whose acronym the text has given
        self.said: set[str] = set()  # domain phrases already used in this profile
        self.place_refs: list[str] = []

    # -- the profile ---------------------------------------------------------

    def build(self) -> SyntheticProfile:
        rng = self.rng
        self.level = Level.NATIONAL if rng.random() < P_NATIONAL else Level.LOCAL
        country = rng.choices(
            self.pools.countries.items, cum_weights=self.pools.countries.cum_weights
        )[0]
        if self.level is Level.LOCAL and rng.random() < P_FINDINGS_IN_COUNTRY_LANGUAGE:
            self.lang = country.language
        else:
            self.lang = rng.choice(LANGUAGES)
        self.chrome = (
            self.lang if rng.random() < P_CHROME_SAME_AS_FINDINGS else rng.choice(LANGUAGES)
        )
        roll = rng.random()
        self.title_lang = (
            self.lang if roll < 0.7 else self.chrome if roll < 0.9 else rng.choice(LANGUAGES)
        )
        self.pack = self.pools.languages[self.lang]

        self.place_name, self.short_name = self._place_name()
        self.place_slug = slugify(self.place_name)
        self.country = self.place_name if self.level is Level.NATIONAL else country.name
        self.country_slug = slugify(self.country)
        self.year = rng.randint(FIRST_YEAR, LAST_YEAR)
        self.month = rng.randint(1, 12)
        self.curly = rng.random() < P_CURLY
        self.range_dash = "–" if (self.lang == "en") != (rng.random() < 0.2) else "-"
        self.place_refs = [self.place_name, self.short_name]

        title, designation, place_type, prep = self._title()
        intro_heading, intro = self._intro(place_type, prep)
        order = list(Domain)
        if rng.random() < P_SHUFFLED_DOMAINS:
            rng.shuffle(order)  # FORMAT.md §2.4: map blocks by heading, not position
        findings = self._findings(order)
        date_text, date_form = self._date_line()
        layout, text = self._write(title, date_text, date_form, intro_heading, intro, findings)

        slug = f"{self.place_slug}-{self.year}"
        return SyntheticProfile(
            file_name=f"{slug}.txt",
            text=text,
            slug=slug,
            title=title,
            title_language=self.title_lang,
            level=self.level,
            place_name=self.place_name,
            designation=designation,
            place_slug=self.place_slug,
            country=self.country,
            findings_language=self.lang,
            chrome_language=self.chrome,
            date=f"{self.year}-{self.month:02d}",
            date_text=date_text,
            short_name=self.short_name,
            intro_heading=intro_heading,
            intro_paragraphs=tuple(intro),
            findings=tuple(findings),
            place_references=tuple(dict.fromkeys(self.place_refs)),
            layout=layout,
        )

    # -- names -----------------------------------------------------------------

    def _core(self) -> str:
        """Consonant+vowel syllables that spell the (scrambled) index: unique per index."""
        names = self.pools.names
        syllables = [c + v for c in names.consonants for v in names.vowels]
        base = len(syllables)
        length, offset = 3, self.index
        while offset >= base**length:
            offset -= base**length
            length += 1
        span = base**length
        multiplier = _SCRAMBLE
        while gcd(multiplier, base) != 1:
            multiplier += 1
        code = (offset * multiplier + 7_919) % span  # a bijection on [0, span)
        parts = []
        for _ in range(length):
            code, digit = divmod(code, base)
            parts.append(syllables[digit])
        return "".join(parts)

    def _word(self, core: str) -> str:
        """`core` with a suffix and maybe one accent, capitalised.

        Only the core's vowels take accents and the suffix never doubles the
        core's last vowel ("Zatoka" + "ara"), so names read naturally; neither
        choice changes the slug's core, which is what keeps slugs unique.
        """
        rng, names = self.rng, self.pools.names
        endings = [e for e in names.suffixes[self.lang] if fold_accents(e[:1]) != core[-1]]
        suffix = rng.choice(endings or [""])
        accents = names.accents[self.lang]
        if fold_accents(suffix) == suffix and rng.random() < 0.3:
            spots = [i for i, ch in enumerate(core) if ch in accents]
            if spots:
                i = rng.choice(spots)
                core = core[:i] + rng.choice(accents[core[i]]) + core[i + 1 :]
        return _capitalise(core + suffix)

    def _place_name(self) -> tuple[str, str]:
        rng, names, lang = self.rng, self.pools.names, self.lang
        core = self._word(self._core())
        if self.level is Level.NATIONAL:
            return core, core
        name = core
        if rng.random() < 0.15:
            prefix = rng.choice(names.prefixes[lang])
            name = f"{prefix}{name}" if prefix.endswith("-") else f"{prefix} {name}"
        if rng.random() >= 0.15:
            return name, name
        second = self._word(
            "".join(rng.choice(names.consonants) + rng.choice(names.vowels) for _ in range(2))
        )
        full = f"{name}{rng.choice(names.links[lang])}{second}"
        # "Santa Inés de Guaracá (en adelante, Santa Inés)": the short name may drop the tail.
        return full, (name if rng.random() < 0.6 else full)

    def _place_type(self, lang: str) -> PlaceType:
        options = [p for p in self.pools.languages[lang].place_types if p.level is self.level]
        return self.rng.choice(options)

    def _title(self) -> tuple[str, str, PlaceType | None, str]:
        rng = self.rng
        pack = self.pools.languages[self.title_lang]
        place_type: PlaceType | None = None
        prep = ""
        if self.level is Level.NATIONAL and rng.random() < P_BARE_COUNTRY:
            designation = self.place_name
        else:
            place_type = self._place_type(self.title_lang)
            prep = rng.choice(place_type.preps)
            designation = self._designation(place_type, prep, self.title_lang)
        separator = rng.choice((" : ", "\u00a0: ")) if self.title_lang == "fr" else ": "
        title = f"{rng.choice(pack.profile_phrases)}{separator}{designation}"
        return title, designation, place_type, prep

    def _designation(self, place_type: PlaceType, prep: str, lang: str) -> str:
        if lang == "fr" and prep == "de" and self.place_name[:1] in _FRENCH_ELISION:
            return f"{place_type.word} d'{self.place_name}"  # "Commune d'Île-Kotame"
        return f"{place_type.word} {prep} {self.place_name}"

    # -- intro -------------------------------------------------------------------

    def _intro(self, title_type: PlaceType | None, title_prep: str) -> tuple[str, list[str]]:
        rng, pack = self.rng, self.pack
        if title_type is None:
            of_place = _phrase(self.lang, "", self.place_name, "DE")
        else:
            if self.title_lang == self.lang:
                place_type, prep = title_type, title_prep
            else:
                place_type = self._place_type(self.lang)
                prep = rng.choice(place_type.preps)
            designation = self._designation(place_type, prep, self.lang)
            of_place = _phrase(self.lang, place_type.art, designation, "DE")
        first = self._fill(rng.choice(pack.intro_first), {"of_place": of_place})
        paragraphs = [first]
        if rng.random() < P_INTRO_EXTRA:
            paragraphs.append(self._typography(rng.choice(pack.intro_extra)))
        paragraphs.append(self._typography(rng.choice(pack.intro_second)))
        style = rng.choices(CASE_STYLES, weights=CASE_WEIGHTS)[0]
        return _apply_case(rng.choice(pack.intro_headings), style), paragraphs

    # -- findings ------------------------------------------------------------------

    def _findings(self, order: list[Domain]) -> list[SyntheticFinding]:
        rng = self.rng
        findings: list[SyntheticFinding] = []
        texts: set[str] = set()
        for domain in order:
            total = rng.randint(5, 8)
            well = rng.randint(max(1, total - 5), min(5, total - 1))
            for assessment, count in (
                (Assessment.WELL_DEVELOPED, well),
                (Assessment.POTENTIAL, total - well),
            ):
                # A fresh copy per list: a template used once in a list is not reused in it.
                candidates = list(self.pools.templates[self.lang, self.level, domain, assessment])
                for position in range(1, count + 1):
                    text, mentions, years = self._finding(domain, assessment, candidates, texts)
                    texts.add(text)
                    findings.append(
                        SyntheticFinding(
                            n=len(findings) + 1,
                            domain=domain,
                            assessment=assessment,
                            position=position,
                            text=text,
                            mentions=mentions,
                            years=years,
                        )
                    )
        return findings

    def _finding(
        self, domain: Domain, assessment: Assessment, candidates: list[Template], seen: set[str]
    ) -> tuple[str, tuple[PlantedMention, ...], tuple[int, ...]]:
        """One finding: a fresh template and text if possible, a repeated text if not."""
        every = self.pools.templates[self.lang, self.level, domain, assessment]
        repeat: tuple[Template, str, _FindingState] | None = None
        for attempt in range(60):
            # Unused templates of this list first; then any of them.
            template = self.rng.choice(candidates if attempt < 30 else every)
            introduced = set(self.introduced)
            try:
                text, state = self._render(template, domain)
            except _UnfillableError:
                self.introduced = introduced  # discarded: its acronyms never reached the text
                continue
            if text not in seen:
                break
            repeat = repeat or (template, text, state)
            self.introduced = introduced
        else:
            if repeat is None:
                raise SynthPoolError(
                    f"{self.lang}.toml: no fillable template for domain {domain.value}"
                )
            template, text, state = repeat  # a sentence said twice beats no sentence
            self.introduced |= {m.key for m in state.mentions if len(m.surface_forms) > 1}
        if template in candidates and len(candidates) > 1:
            candidates.remove(template)
        self.said.update(state.phrases)
        for mention in state.mentions:
            for surface in mention.surface_forms:
                if surface not in text:  # a bug in the pools or the writer
                    raise RuntimeError(f"surface form {surface!r} not in {text!r}")
        if self.rng.random() < P_STRAY_QUOTE:
            # Real profiles keep stray punctuation (Bucaramanga: "…entre otras.”").
            text += self.rng.choice(("”", "»", '"'))
        return text, tuple(state.mentions), tuple(sorted(state.years))

    def _render(self, template: Template, domain: Domain) -> tuple[str, _FindingState]:
        state = _FindingState(domain, template.areas)
        text = self._typography(SLOT.sub(lambda m: self._slot(m, domain, state), template.text))
        state.mentions = [
            PlantedMention(
                kind=m.kind,
                key=m.key,
                name=self._typography(m.name),
                surface_forms=tuple(self._typography(s) for s in m.surface_forms),
                type=m.type,
                scope=m.scope,
                tier=m.tier,
                years=m.years,
                status=m.status,
            )
            for m in state.mentions
        ]
        return text, state

    def _slot(self, match: re.Match[str], domain: Domain, state: _FindingState) -> str:
        role, instance, form = match.group(1), match.group(2), match.group(3) or "O"
        rng, pack, lang = self.rng, self.pack, self.lang
        if role == "here":
            if rng.random() < 0.55:
                art, text = "", self.short_name
            else:
                choice = rng.choice(pack.here[self.level])
                art, text = choice.art, choice.text
            self.place_refs.append(text)
            return _phrase(lang, art, text, form)
        if role in ("svc", "topic", "gap", "absent"):
            options = pack.phrases[role][domain.value - 1]
            # Prefer phrases the profile has not said yet ("No existe X" … "no cuenta con X").
            value = rng.choice([o for o in options if o not in self.said] or list(options))
            state.phrases.append(value)
            return _capitalise(value) if form == "S" else value
        if role == "year":
            if instance not in state.year_slots:
                state.year_slots[instance] = self._past_year(set(state.year_slots.values()))
            state.years.add(state.year_slots[instance])
            return str(state.year_slots[instance])
        if role == "num":
            return _thousands(rng.randint(150, 40_000), lang, rng)
        if role in ("short", "place", "country"):
            return {"short": self.short_name, "place": self.place_name, "country": self.country}[
                role
            ]
        key = (role, instance)
        if key not in state.filled:
            if role in INSTRUMENT_ROLES:
                state.filled[key] = self._instrument(role, state)
            else:
                state.filled[key] = self._institution(role, state)
        art, text = state.filled[key]
        return _phrase(lang, art, text, form)

    def _past_year(self, avoid: set[int]) -> int:
        for _ in range(10):
            year = self.rng.randint(self.year - 6, self.year)
            if year not in avoid:
                return year
        return self.year

    # -- institutions ----------------------------------------------------------------

    def _qualified_key(self, key: str, scope: str) -> str:
        if scope == "international":
            return key
        if scope == "municipal":
            return f"{key}@{self.place_slug}"
        return f"{key}@{self.country_slug}"

    def _fill_name(self, text: str, *, canonical: bool) -> str:
        place = self.place_name
        if not canonical and self.short_name != self.place_name and self.rng.random() < 0.3:
            place = self.short_name
        return text.replace("{place}", place).replace("{country}", self.country)

    def _institution(self, role: str, state: _FindingState) -> tuple[str, str]:
        if role == "sec":
            return self._secretariat(state)
        if role == "secs":
            return self._secretariat_pair(state)
        pool = self.pools.by_role.get((self.lang, self.level, role))
        if pool is None:
            raise _UnfillableError
        for _ in range(15):
            inst: Institution = self.rng.choices(pool.items, cum_weights=pool.cum_weights)[0]
            key = self._qualified_key(inst.key, inst.scope)
            if key not in state.used:
                break
        else:
            raise _UnfillableError
        state.used.add(key)
        names = inst.names[self.lang]
        art, text, surface = self._name_in_text(key, inst, names)
        canonical = self._fill_name(names.forms[0].text, canonical=True)
        state.mentions.append(
            PlantedMention(
                kind=EntityKind.ORGANIZATION,
                key=key,
                name=canonical,
                surface_forms=surface,
                type=inst.type,
                scope=inst.scope,
                tier=inst.tier,
            )
        )
        return art, text

    def _name_in_text(
        self, key: str, inst: Institution, names: InstitutionName
    ) -> tuple[str, str, tuple[str, ...]]:
        """Which form, and whether with or as an acronym, this mention is written in."""
        rng = self.rng
        forms = names.forms
        form: NameForm = (
            forms[0] if len(forms) == 1 or rng.random() < 0.6 else rng.choice(forms[1:])
        )
        written = self._fill_name(form.text, canonical=False)
        acronym = names.acronym
        if acronym == "auto":
            # Initials only make sense after the full, qualified name.
            acronym = _auto_acronym(written) if form is forms[0] else None
        if acronym and key in self.introduced and rng.random() < 0.5:
            return names.acr_art, acronym, (acronym,)
        if acronym and inst.scope == "international" and rng.random() < 0.25:
            return names.acr_art, acronym, (acronym,)
        if acronym and rng.random() < 0.45:
            self.introduced.add(key)
            return form.art, f"{written} ({acronym})", (written, acronym)
        return form.art, written, (written,)

    def _area(self, state: _FindingState) -> tuple[Area, str]:
        areas = self.pools.areas
        # The sentence's own hint first ("vaccinated" -> health), then the domain's
        # usual actors (labour in well-being), now and then any area.
        if state.areas:
            fitting = [a for a in areas.items if a.key in state.areas]
        else:
            fitting = [a for a in areas.items if state.domain in a.domains]
        for _ in range(15):
            if fitting and (state.areas or self.rng.random() < 0.7):
                area = self.rng.choices(fitting, weights=[a.weight for a in fitting])[0]
            else:
                area = self.rng.choices(areas.items, cum_weights=areas.cum_weights)[0]
            if self.level is Level.LOCAL:
                key = self._qualified_key(f"secretariat-{area.key}", "municipal")
            else:
                key = self._qualified_key(f"ministry-{area.key}", "national")
            if key not in state.used:
                state.used.add(key)
                return area, key
        raise _UnfillableError

    def _secretariat_forms(self) -> tuple[tuple[NameForm, ...], NameForm, str, str]:
        forms = self.pools.secretariats[self.lang]
        if self.level is Level.LOCAL:
            return forms.local, forms.local_pair, "municipal-secretariat", "municipal"
        return forms.national, forms.national_pair, "ministry", "national"

    def _area_fill(self, text: str, area: Area, *, canonical: bool) -> str:
        name, de = area.names[self.lang]
        text = text.replace("{area_de}", de).replace("{area}", name)
        return self._fill_name(text, canonical=canonical)

    def _secretariat_mention(
        self, area: Area, key: str, surface: tuple[str, ...], tier: str
    ) -> PlantedMention:
        options, _, kind, scope = self._secretariat_forms()
        # Canonical: the form with the place qualifier if there is one (gold §8.3).
        canonical = next((f for f in options if "{place}" in f.text), options[0])
        return PlantedMention(
            kind=EntityKind.ORGANIZATION,
            key=key,
            name=self._area_fill(canonical.text, area, canonical=True),
            surface_forms=surface,
            type=kind,
            scope=scope,
            tier=tier,
        )

    def _secretariat(self, state: _FindingState) -> tuple[str, str]:
        options, _, _, _ = self._secretariat_forms()
        area, key = self._area(state)
        # The bare form ("Secretaría de Salud") is the common one in real profiles.
        form = (
            options[0]
            if len(options) == 1 or self.rng.random() < 0.6
            else self.rng.choice(options[1:])
        )
        written = self._area_fill(form.text, area, canonical=False)
        state.mentions.append(self._secretariat_mention(area, key, (written,), "core"))
        return form.art, written

    def _secretariat_pair(self, state: _FindingState) -> tuple[str, str]:
        _, pair, _, _ = self._secretariat_forms()
        (a, key_a), (b, key_b) = self._area(state), self._area(state)
        (a_name, a_de), (b_name, b_de) = a.names[self.lang], b.names[self.lang]
        written = (
            pair.text.replace("{a_de}", a_de)
            .replace("{b_de}", b_de)
            .replace("{a}", a_name)
            .replace("{b}", b_name)
        )
        written = self._fill_name(written, canonical=False)
        # "las Secretarías de Salud y Educación" names two bodies at once: hard tier.
        for area, key in ((a, key_a), (b, key_b)):
            state.mentions.append(self._secretariat_mention(area, key, (written,), "hard"))
        return pair.art, written

    # -- instruments ---------------------------------------------------------------

    def _instrument(self, role: str, state: _FindingState) -> tuple[str, str]:
        patterns = self.pools.instruments.get((self.lang, self.level, role))
        if not patterns:
            raise _UnfillableError
        for _ in range(8):
            pattern = self.rng.choice(patterns)
            years: list[int] = []
            title = PLACEHOLDER.sub(
                lambda m, years=years: self._instrument_value(m.group(1), years),
                pattern.text,
            )
            key = f"{slugify(title)}@{self.place_slug}"
            if key not in state.used:
                break
        else:
            raise _UnfillableError
        state.used.add(key)
        state.years.update(years)
        state.mentions.append(
            PlantedMention(
                kind=EntityKind.INSTRUMENT,
                key=key,
                name=title,
                surface_forms=(title,),
                type=pattern.type,
                scope="national" if Level.LOCAL not in pattern.levels else None,
                tier="core",
                years=tuple(dict.fromkeys(years)),
                status=pattern.status,
            )
        )
        return pattern.art, title

    def _instrument_value(self, name: str, years: list[int]) -> str:
        rng = self.rng
        if name == "year":
            year = self._past_year(set())
            years.append(year)
            return str(year)
        if name == "range":
            # Usually still running when the profile was written, as in real ones.
            start = rng.randint(self.year - 4, self.year - 1)
            end = start + rng.choice((3, 4))
            years.extend((start, end))
            return f"{start}{self.range_dash}{end}"
        if name == "n":
            return str(rng.randint(1, 250))
        if name == "n3":
            number = rng.randint(1, 250)
            return f"{number:03d}" if rng.random() < 0.5 else str(number)
        if name == "nlaw":
            # Four-digit law numbers that look like years but are not (FORMAT.md §8.6).
            return str(rng.randint(1000, 2199))
        if name == "ndot":
            return f"{rng.randint(1000, 19_999):,}".replace(",", ".")
        if name == "motto":
            return self._fill(rng.choice(self.pack.motto), {}, typography=False)
        return {"place": self.place_name, "short": self.short_name, "country": self.country}[name]

    # -- text helpers ----------------------------------------------------------------

    def _fill(self, text: str, values: dict[str, str], *, typography: bool = True) -> str:
        values = {"short": self.short_name, "place": self.place_name, **values}
        filled = PLACEHOLDER.sub(lambda m: values[m.group(1)], text)
        return self._typography(filled) if typography else filled

    def _typography(self, text: str) -> str:
        """Curly apostrophes and quotes for the whole profile, or straight ones."""
        if not self.curly:
            return text
        return _STRAIGHT_QUOTES.sub("“\\1”", text).replace("'", "’")

    # -- trailer -------------------------------------------------------------------

    def _date_line(self) -> tuple[str, str]:
        rng = self.rng
        roll = rng.random()
        month_lang = (
            self.chrome if roll < 0.5 else self.lang if roll < 0.75 else rng.choice(LANGUAGES)
        )
        month = rng.choice(self.pools.languages[month_lang].months[self.month - 1])
        forms = list(DATE_FORMS)
        if month_lang not in ("es", "pt") and rng.random() > 0.1:
            forms.remove("month-de-year")  # "Juillet de 2020" is allowed but rare
        form = rng.choice(forms)
        text = {
            "year-month": f"{self.year} {month}",
            "month-year": f"{month} {self.year}",
            "month-de-year": f"{month} de {self.year}",
        }[form]
        roll = rng.random()
        if roll < 0.15:
            text = text.upper()
        elif roll < 0.3:
            text = text.lower()
        if rng.random() < 0.15:
            text = fold_accents(text)
        return text, form

    # -- writing the lines -----------------------------------------------------------

    def _write(
        self,
        title: str,
        date_text: str,
        date_form: str,
        intro_heading: str,
        intro: list[str],
        findings: list[SyntheticFinding],
    ) -> tuple[SyntheticLayout, str]:
        rng = self.rng
        chrome = self.pools.languages[self.chrome]
        about = rng.random() < P_ABOUT
        stray_digits = rng.random() < P_STRAY_DIGITS
        stray_anywhere = rng.random() < P_STRAY_ANYWHERE
        marker_line = rng.choice(chrome.key_findings)
        primary = rng.choices(MARKERS, weights=MARKER_WEIGHTS)[0]
        markers = [primary]
        if rng.random() < P_MIXED_MARKERS:
            markers += rng.sample([m for m in MARKERS if m != primary], k=rng.randint(1, 2))
        indent = rng.choices(INDENTS, weights=INDENT_WEIGHTS)[0]
        after_marker = rng.choices((" ", "  ", "   "), weights=(8, 1, 1))[0]
        self.blank_style = rng.choices(BLANK_STYLES, weights=BLANK_STYLE_WEIGHTS)[0]
        self.whitespace_blanks = rng.random() < P_WHITESPACE_BLANKS
        heading_case = rng.choices(CASE_STYLES, weights=CASE_WEIGHTS)[0]
        mixed_case = rng.random() < 0.1
        trailing_ws = rng.random() < P_TRAILING_WHITESPACE
        crlf = rng.random() < P_CRLF
        colon = rng.choices(FRENCH_COLONS, weights=FRENCH_COLON_WEIGHTS)[0]
        with_prefix = rng.random() < P_WD_PREFIX
        wd_heading = self._list_heading(rng.choice(self.pack.well_developed), colon)
        if with_prefix:
            prefix = self._list_heading(rng.choice(self.pack.well_developed_prefix), colon)
            wd_heading = f"{prefix} {wd_heading}"
        pot_heading = self._list_heading(rng.choice(self.pack.potential), colon)
        click_line = rng.choice(chrome.click)
        # FORMAT.md §1: any line may be indented; real profiles indent only bullets.
        pad = indent if rng.random() < P_INDENTED_LINES else ""
        stray_lines = ["1", "1", "2", "12", click_line]

        lines: list[str] = []
        self.lines = lines
        if about:
            self._about(chrome)

        def marker() -> None:
            if lines:  # no blank lines before the first line of the file
                self._blank("block")
            if stray_digits:
                lines.append(f"{pad}1")
            lines.append(f"{pad}{marker_line}")
            self._blank("marker")

        def stray() -> None:
            if stray_anywhere and rng.random() < 0.15:
                lines.append(rng.choice(stray_lines))

        # Intro block.
        marker()
        lines.append(intro_heading)
        self._blank("heading")
        click_at = rng.choices(("middle", "end", "none"), weights=(7, 1, 2))[0]
        for i, paragraph in enumerate(intro):
            if i == len(intro) - 1 and click_at == "middle":
                lines.append(click_line)
                self._blank("major")
            lines.append(paragraph)
            self._blank("major")
        if click_at == "end":
            lines.append(click_line)

        # Domain blocks.
        by_domain: dict[Domain, list[SyntheticFinding]] = {}
        for finding in findings:
            by_domain.setdefault(finding.domain, []).append(finding)
        for domain, block in by_domain.items():
            marker()
            style = rng.choice(CASE_STYLES) if mixed_case else heading_case
            heading = self._typography(rng.choice(self.pack.domains[domain.value - 1]))
            lines.append(pad + _apply_case(heading, style))
            self._blank("heading")
            for assessment, list_heading in (
                (Assessment.WELL_DEVELOPED, wd_heading),
                (Assessment.POTENTIAL, pot_heading),
            ):
                if assessment is Assessment.POTENTIAL:
                    self._blank("major")
                lines.append(f"{pad}{list_heading}")
                self._blank("heading")
                stray()
                bullet = rng.choice(markers)
                items = [f for f in block if f.assessment is assessment]
                for j, finding in enumerate(items):
                    tail = (
                        rng.choice((" ", "\t", "  ")) if trailing_ws and rng.random() < 0.3 else ""
                    )
                    lines.append(f"{indent}{bullet}{after_marker}{finding.text}{tail}")
                    if j < len(items) - 1:
                        self._blank("bullet")
                        stray()

        # Trailer.
        self._blank("trailer")
        lines.append(date_text)
        self._blank("trailer")
        lines.append(title)
        if rng.random() < P_TRAILING_BLANKS:
            lines.append("")
        separator = "\r\n" if crlf else "\n"
        text = separator.join(lines)
        if rng.random() < P_FINAL_NEWLINE:
            text += separator
        layout = SyntheticLayout(
            about_block=about,
            stray_number_lines=stray_digits,
            stray_lines_anywhere=stray_anywhere,
            indented_lines=bool(pad),
            key_findings_marker=marker_line,
            bullet_markers=tuple(markers),
            indent=indent,
            heading_case="mixed" if mixed_case else heading_case,
            date_form=date_form,
            domain_order=tuple(by_domain),
            crlf=crlf,
            ends_with_newline=text.endswith("\n"),
            curly_apostrophes=self.curly,
        )
        return layout, text

    def _list_heading(self, wording: str, colon: str) -> str:
        # The pools write French colons as " :"; re-space them as drawn.
        if self.lang != "fr":
            return self._typography(wording)
        return self._typography(wording.rstrip(" :\u00a0\u202f") + colon)

    def _about(self, chrome: LanguagePack) -> None:
        rng, lines = self.rng, self.lines
        about_title = rng.choice(chrome.about_titles)
        lines.extend([about_title] * (2 if rng.random() < P_ABOUT_TITLE_TWICE else 1))
        one_description = rng.random() < P_ONE_DESCRIPTION
        for d in range(6):
            self._blank("about")
            name = self._typography(chrome.about_domains[d])
            lines.extend([name, name])
            topic = chrome.about_topics[d]
            descriptions = [rng.choice(chrome.about_national)]
            if not one_description:
                descriptions.append(rng.choice(chrome.about_local))
            for description in descriptions:
                lines.append("")
                lines.append(self._typography(_capitalise(description.replace("{topic}", topic))))
        self._blank("about")

    def _blank(self, where: str) -> None:
        """Blank lines between two lines; they carry no meaning (FORMAT.md §2)."""
        rng, style = self.rng, self.blank_style
        if style == "messy":
            count = rng.randint(0, 2)
        elif where in ("about", "trailer"):
            count = 1 if style != "tight" else rng.randint(0, 1)
        elif where == "marker":
            count = 1 if style == "loose" and rng.random() < 0.3 else 0
        elif where == "bullet":
            count = 1 if style == "loose" else 0
        elif where == "heading":
            count = 0 if style == "tight" else 1
        elif where == "block":  # before a block's "1"/marker; Bucaramanga often has none
            count = 0 if style == "tight" or (style == "compact" and rng.random() < 0.5) else 1
        else:  # major
            count = 0 if style == "tight" and rng.random() < 0.8 else 1
        for _ in range(count):
            if self.whitespace_blanks and rng.random() < 0.5:
                self.lines.append(rng.choice((" ", "  ", "\t", " \t")))
            else:
                self.lines.append("")
