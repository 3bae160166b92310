"""What a synthetic profile may look like: how often each variant is drawn, the
planted-mention and profile records, and the grammar helpers the writer uses."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

from kb.model import Assessment, Domain, EntityKind, Level
from kb.text import fold_accents

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
PREPOSITIONS = {
    "es": {"DE": "de", "A": "a", "CON": "con"},
    "pt": {"DE": "de", "A": "a", "CON": "com"},
    "fr": {"DE": "de", "A": "à", "CON": "avec"},
    "en": {"DE": "of", "A": "to", "CON": "with"},
}
CONTRACTIONS: dict[str, dict[str, dict[str, str]]] = {
    "es": {"DE": {"el": "del"}, "A": {"el": "al"}},
    "pt": {
        "DE": {"o": "do", "a": "da", "os": "dos", "as": "das"},
        "A": {"o": "ao", "a": "à", "os": "aos", "as": "às"},
    },
    "fr": {"DE": {"le": "du", "les": "des"}, "A": {"le": "au", "les": "aux"}},
    "en": {},
}
FRENCH_ELISION = frozenset("aeiouhâàéèêîôûAEIOUHÂÀÉÈÊÎÔÛ")
STRAIGHT_QUOTES = re.compile(r'"([^"]*)"')
# Multiplier that scrambles the index before it becomes syllables, so that
# neighbouring indices do not get neighbouring names.
SCRAMBLE = 104_729


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


# --- grammar helpers ---------------------------------------------------------


def join(art: str, text: str) -> str:
    if not art:
        return text
    return f"{art}{text}" if art.endswith("'") else f"{art} {text}"


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def phrase(lang: str, art: str, text: str, form: str) -> str:
    """`text` with its article, in a slot form (S, O, DE, A, CON)."""
    if form in ("S", "O", ""):
        joined = join(art, text)
        return capitalise(joined) if form == "S" else joined
    contracted = CONTRACTIONS[lang].get(form, {}).get(art)
    if contracted:
        return f"{contracted} {text}"
    preposition = PREPOSITIONS[lang][form]
    if lang == "fr" and form == "DE" and not art and text[:1] in FRENCH_ELISION:
        return f"d'{text}"
    return f"{preposition} {join(art, text)}"


def title_case(text: str) -> str:
    return " ".join(capitalise(word) for word in text.split(" "))


def apply_case(text: str, style: str) -> str:
    if style == "upper":
        return text.upper()
    if style == "title":
        return title_case(text)
    return text


def thousands(value: int, lang: str, rng: random.Random) -> str:
    grouped = f"{value:,}"
    if lang == "en":
        return grouped
    if lang == "fr":
        return grouped.replace(",", rng.choice(("\u00a0", "\u202f", " ")))
    return grouped.replace(",", ".")


def auto_acronym(name: str) -> str | None:
    initials = [w[0] for w in name.split() if w[:1].isupper()]
    acronym = fold_accents("".join(initials)).upper()
    return acronym if len(acronym) >= 2 else None


class UnfillableError(Exception):
    """A template could not be filled (too few distinct candidates); try another."""


@dataclass
class FindingState:
    domain: Domain
    areas: frozenset[str]
    used: set[str] = field(default_factory=set)
    filled: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    mentions: list[PlantedMention] = field(default_factory=list)
    years: set[int] = field(default_factory=set)
    year_slots: dict[str, int] = field(default_factory=dict)
    phrases: list[str] = field(default_factory=list)
