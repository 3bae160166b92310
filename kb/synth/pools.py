"""Vocabulary pools for synthetic profiles (`data/synth/*.toml`), loaded and checked.

The pools are data, not code: adding a template, an institution or a language
means editing TOML. `load_pools` reads them once, checks that every template
slot and placeholder is known and that every (language, level, domain, list)
has at least one usable template, and indexes them for fast weighted draws.
"""

from __future__ import annotations

import itertools
import re
import tomllib
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from kb.errors import KbError
from kb.model import Assessment, Domain, Level

DEFAULT_POOLS = Path(__file__).resolve().parents[2] / "data" / "synth"
LANGUAGES = ("en", "es", "fr", "pt")

# Template slots that draw an institution, an instrument, or a scalar phrase.
INSTITUTION_ROLES = frozenset(
    {"intl", "nat", "gov", "sec", "secs", "coord", "rights", "centre", "risk", "police"}
    | {"civ", "council", "clinic"}
)
INSTRUMENT_ROLES = frozenset({"plan", "norm", "law", "prog", "route", "draft"})
PLACE_ROLE = "here"
SCALAR_SLOTS = frozenset(
    {"svc", "topic", "gap", "absent", "year", "num", "short", "place", "country"}
)
FORMS = frozenset({"S", "O", "DE", "A", "CON"})
PHRASE_KINDS = ("svc", "topic", "gap", "absent")
INSTRUMENT_PLACEHOLDERS = frozenset(
    {"range", "year", "n", "n3", "nlaw", "ndot", "motto", "place", "short", "country"}
)

# {role}{instance}:{FORM} — e.g. "{rights2:A}", "{year}", "{sec:DE}".
SLOT = re.compile(r"\{([a-z_]+?)(\d*)(?::([A-Z]+))?\}")
PLACEHOLDER = re.compile(r"\{([a-z_0-9]+)\}")


class SynthPoolError(KbError):
    """A file in `data/synth/` is missing, malformed or inconsistent."""


@dataclass(frozen=True, slots=True)
class NameForm:
    """A way of writing a name, with the article it takes ("" for none)."""

    text: str
    art: str


@dataclass(frozen=True, slots=True)
class InstitutionName:
    forms: tuple[NameForm, ...]  # first = canonical
    acronym: str | None  # "auto" = initials of the canonical name's capitalised words
    acr_art: str


@dataclass(frozen=True, slots=True)
class Institution:
    key: str
    roles: frozenset[str]
    levels: frozenset[Level]
    type: str
    scope: str
    weight: float
    tier: str
    names: Mapping[str, InstitutionName]


@dataclass(frozen=True, slots=True)
class Area:
    """A policy area that secretariats and ministries are named after."""

    key: str
    weight: float
    domains: frozenset[Domain]  # where it is the usual actor
    names: Mapping[str, tuple[str, str]]  # language -> (name, "de"-phrase)


@dataclass(frozen=True, slots=True)
class SecretariatForms:
    local: tuple[NameForm, ...]
    national: tuple[NameForm, ...]
    local_pair: NameForm
    national_pair: NameForm


@dataclass(frozen=True, slots=True)
class InstrumentPattern:
    roles: frozenset[str]
    levels: frozenset[Level]
    type: str
    text: str
    art: str
    status: str


@dataclass(frozen=True, slots=True, eq=False)  # identity: compared often, fields never equal
class Template:
    assessment: Assessment
    domains: frozenset[Domain]
    levels: frozenset[Level]
    text: str
    slots: tuple[tuple[str, str], ...]  # (role, instance) of institution/instrument slots
    areas: frozenset[str]  # secretariat areas that fit the sentence; empty = any


@dataclass(frozen=True, slots=True)
class PlaceType:
    level: Level
    word: str
    art: str
    preps: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LanguagePack:
    """Everything written in one language: chrome, format words, phrases, templates."""

    language: str
    about_titles: tuple[str, ...]
    about_domains: tuple[str, ...]
    about_national: tuple[str, ...]
    about_local: tuple[str, ...]
    about_topics: tuple[str, ...]
    key_findings: tuple[str, ...]
    click: tuple[str, ...]
    intro_headings: tuple[str, ...]
    intro_first: tuple[str, ...]
    intro_extra: tuple[str, ...]
    intro_second: tuple[str, ...]
    well_developed: tuple[str, ...]
    well_developed_prefix: tuple[str, ...]
    potential: tuple[str, ...]
    months: tuple[tuple[str, ...], ...]  # 12 entries, each one or more spellings
    profile_phrases: tuple[str, ...]
    domains: tuple[tuple[str, ...], ...]  # 6 entries of heading wordings
    place_types: tuple[PlaceType, ...]
    here: Mapping[Level, tuple[NameForm, ...]]
    phrases: Mapping[str, tuple[tuple[str, ...], ...]]  # kind -> per-domain lists
    motto: tuple[str, ...]
    templates: tuple[Template, ...]
    instruments: tuple[InstrumentPattern, ...]


@dataclass(frozen=True, slots=True)
class Country:
    name: str
    language: str
    weight: float


@dataclass(frozen=True, slots=True)
class NamePool:
    consonants: tuple[str, ...]
    vowels: tuple[str, ...]
    accents: Mapping[str, Mapping[str, tuple[str, ...]]]  # language -> vowel -> spellings
    suffixes: Mapping[str, tuple[str, ...]]
    prefixes: Mapping[str, tuple[str, ...]]
    links: Mapping[str, tuple[str, ...]]


T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Weighted(Generic[T]):
    """Candidates with cumulative weights, ready for `random.choices`."""

    items: tuple[T, ...]
    cum_weights: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class SynthPools:
    languages: Mapping[str, LanguagePack]
    institutions: tuple[Institution, ...]
    areas: Weighted[Area]
    secretariats: Mapping[str, SecretariatForms]
    names: NamePool
    countries: Weighted[Country]
    # (language, level, role) -> institutions that can fill the slot
    by_role: Mapping[tuple[str, Level, str], Weighted[Institution]]
    # (language, level, role) -> instrument patterns
    instruments: Mapping[tuple[str, Level, str], tuple[InstrumentPattern, ...]]
    # (language, level, domain, assessment) -> templates whose slots can be filled
    templates: Mapping[tuple[str, Level, Domain, Assessment], tuple[Template, ...]]


def load_pools(path: Path = DEFAULT_POOLS) -> SynthPools:
    """Read and check `names.toml`, `institutions.toml` and `{en,es,fr,pt}.toml`."""
    names_doc = _read(path / "names.toml")
    inst_doc = _read(path / "institutions.toml")
    languages = {lang: _language(_read(path / f"{lang}.toml"), lang) for lang in LANGUAGES}
    institutions = tuple(
        _institution(_Table(t, f"institutions.toml institution[{i}]"))
        for i, t in enumerate(_Table(inst_doc, "institutions.toml").array("institution"))
    )
    areas = tuple(
        _area(_Table(t, f"institutions.toml area[{i}]"))
        for i, t in enumerate(_Table(inst_doc, "institutions.toml").array("area"))
    )
    sec_doc = _Table(inst_doc, "institutions.toml").table("secretariat")
    secretariats = {lang: _secretariat(sec_doc.table(lang)) for lang in LANGUAGES}
    names = _name_pool(_Table(names_doc, "names.toml"))
    countries = tuple(
        _country(_Table(t, f"names.toml country[{i}]"))
        for i, t in enumerate(_Table(names_doc, "names.toml").array("country"))
    )
    if not countries or not areas or len(areas) < 2:
        raise SynthPoolError("need at least one country and two areas in data/synth")
    area_keys = {a.key for a in areas}
    for pack in languages.values():
        for template in pack.templates:
            if not template.areas <= area_keys:
                raise SynthPoolError(
                    f"{pack.language}.toml: unknown area(s) "
                    f"{sorted(template.areas - area_keys)} in template {template.text!r}"
                )

    by_role: dict[tuple[str, Level, str], Weighted[Institution]] = {}
    for lang, level, role in itertools.product(LANGUAGES, Level, INSTITUTION_ROLES):
        found = [
            inst
            for inst in institutions
            if role in inst.roles and level in inst.levels and lang in inst.names
        ]
        if found:
            by_role[lang, level, role] = _weighted(found, [i.weight for i in found])
    instruments: dict[tuple[str, Level, str], tuple[InstrumentPattern, ...]] = {}
    for lang, level, role in itertools.product(LANGUAGES, Level, INSTRUMENT_ROLES):
        patterns = tuple(
            p for p in languages[lang].instruments if role in p.roles and level in p.levels
        )
        if patterns:
            instruments[lang, level, role] = patterns

    def fillable(template: Template, lang: str, level: Level) -> bool:
        wanted: dict[str, int] = {}
        for role, _ in template.slots:
            wanted[role] = wanted.get(role, 0) + 1
        for role, count in wanted.items():
            if role in ("sec", "secs"):
                continue  # built from areas, always available
            if role in INSTITUTION_ROLES:
                pool = by_role.get((lang, level, role))
                if pool is None or len(pool.items) < count:
                    return False
            elif (lang, level, role) not in instruments:
                return False
        return True

    templates: dict[tuple[str, Level, Domain, Assessment], tuple[Template, ...]] = {}
    for lang, level, domain, assessment in itertools.product(LANGUAGES, Level, Domain, Assessment):
        usable = tuple(
            t
            for t in languages[lang].templates
            if t.assessment is assessment
            and domain in t.domains
            and level in t.levels
            and fillable(t, lang, level)
        )
        if not usable:
            raise SynthPoolError(
                f"{lang}.toml: no usable {assessment.value} template for domain "
                f"{domain.value} in {level.value} profiles"
            )
        templates[lang, level, domain, assessment] = usable

    return SynthPools(
        languages=languages,
        institutions=institutions,
        areas=_weighted(areas, [a.weight for a in areas]),
        secretariats=secretariats,
        names=names,
        countries=_weighted(countries, [c.weight for c in countries]),
        by_role=by_role,
        instruments=instruments,
        templates=templates,
    )


# --- reading helpers: every error names the file and the key -------------------


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError as exc:
        raise SynthPoolError(f"{path}: pool file missing") from exc
    except tomllib.TOMLDecodeError as exc:
        raise SynthPoolError(f"{path}: {exc}") from exc


def _nfc(text: str) -> str:
    # Profiles are NFC (FORMAT.md §1); a decomposed accent in a pool must not leak.
    return unicodedata.normalize("NFC", text)


class _Table:
    """A TOML table with typed accessors that fail with the key's location."""

    def __init__(self, data: Any, where: str) -> None:
        if not isinstance(data, dict):
            raise SynthPoolError(f"{where}: expected a table")
        self.data: dict[str, Any] = data
        self.where = where

    def has(self, key: str) -> bool:
        return key in self.data

    def _get(self, key: str) -> Any:
        if key not in self.data:
            raise SynthPoolError(f"{self.where}: missing key {key!r}")
        return self.data[key]

    def text(self, key: str, default: str | None = None) -> str:
        value = self._get(key) if default is None else self.data.get(key, default)
        if not isinstance(value, str):
            raise SynthPoolError(f"{self.where}.{key}: expected a string")
        return _nfc(value)

    def texts(self, key: str, *, allow_empty: bool = False) -> tuple[str, ...]:
        value = self._get(key)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise SynthPoolError(f"{self.where}.{key}: expected a list of strings")
        if not value and not allow_empty:
            raise SynthPoolError(f"{self.where}.{key}: must not be empty")
        return tuple(_nfc(v) for v in value)

    def nested(self, key: str, length: int) -> tuple[tuple[str, ...], ...]:
        value = self._get(key)
        if not isinstance(value, list) or len(value) != length:
            raise SynthPoolError(f"{self.where}.{key}: expected {length} lists")
        return tuple(
            _Table({key: v}, f"{self.where}.{key}[{i}]").texts(key) for i, v in enumerate(value)
        )

    def number(self, key: str, default: float | None = None) -> float:
        value = self.data.get(key, default)
        if not isinstance(value, int | float) or isinstance(value, bool) or value <= 0:
            raise SynthPoolError(f"{self.where}.{key}: expected a positive number")
        return float(value)

    def table(self, key: str) -> _Table:
        return _Table(self._get(key), f"{self.where}.{key}")

    def array(self, key: str) -> list[Any]:
        value = self._get(key)
        if not isinstance(value, list) or not value:
            raise SynthPoolError(f"{self.where}.{key}: expected a non-empty array of tables")
        return value


def _levels(table: _Table, key: str = "levels") -> frozenset[Level]:
    if not table.has(key):
        return frozenset(Level)
    try:
        return frozenset(Level(v) for v in table.texts(key))
    except ValueError as exc:
        raise SynthPoolError(f"{table.where}.{key}: {exc}") from exc


def _level(table: _Table) -> Level:
    try:
        return Level(table.text("level"))
    except ValueError as exc:
        raise SynthPoolError(f"{table.where}.level: {exc}") from exc


def _form(data: Any, where: str) -> NameForm:
    table = _Table(data, where)
    return NameForm(text=table.text("text"), art=table.text("art", ""))


def _check_placeholders(text: str, allowed: frozenset[str], where: str) -> None:
    unknown = set(PLACEHOLDER.findall(text)) - allowed
    if unknown:
        raise SynthPoolError(f"{where}: unknown placeholder(s) {sorted(unknown)} in {text!r}")


def _institution(table: _Table) -> Institution:
    names: dict[str, InstitutionName] = {}
    for lang in LANGUAGES:
        if not table.has(lang):
            continue
        entry = table.table(lang)
        if entry.has("forms"):
            forms = tuple(
                _form(f, f"{entry.where}.forms[{i}]") for i, f in enumerate(entry.array("forms"))
            )
        else:
            forms = (NameForm(entry.text("name"), entry.text("art", "")),)
        for form in forms:
            _check_placeholders(form.text, frozenset({"place", "country"}), entry.where)
        acronym = entry.text("acronym") if entry.has("acronym") else None
        acr_art = entry.text("acr_art") if entry.has("acr_art") else forms[0].art
        names[lang] = InstitutionName(forms=forms, acronym=acronym, acr_art=acr_art)
    roles = frozenset(table.texts("roles"))
    if not roles <= INSTITUTION_ROLES:
        raise SynthPoolError(f"{table.where}.roles: unknown {sorted(roles - INSTITUTION_ROLES)}")
    tier = table.text("tier", "core")
    if tier not in ("core", "hard"):
        raise SynthPoolError(f"{table.where}.tier: expected 'core' or 'hard'")
    return Institution(
        key=table.text("key"),
        roles=roles,
        levels=_levels(table),
        type=table.text("type"),
        scope=table.text("scope"),
        weight=table.number("weight"),
        tier=tier,
        names=names,
    )


def _area(table: _Table) -> Area:
    names: dict[str, tuple[str, str]] = {}
    for lang in LANGUAGES:
        entry = table.table(lang)
        name = entry.text("name")
        names[lang] = (name, entry.text("de", f"de {name}"))
    try:
        domains = frozenset(Domain(int(d)) for d in table.data.get("domains", []))
    except ValueError as exc:
        raise SynthPoolError(f"{table.where}.domains: {exc}") from exc
    return Area(
        key=table.text("key"), weight=table.number("weight", 1), domains=domains, names=names
    )


def _secretariat(table: _Table) -> SecretariatForms:
    allowed = frozenset({"area", "area_de", "place", "a", "b", "a_de", "b_de"})

    def forms(key: str) -> tuple[NameForm, ...]:
        found = tuple(_form(f, f"{table.where}.{key}[{i}]") for i, f in enumerate(table.array(key)))
        for form in found:
            _check_placeholders(form.text, allowed, f"{table.where}.{key}")
        return found

    local_pair = _form(table.data.get("local_pair"), f"{table.where}.local_pair")
    national_pair = _form(table.data.get("national_pair"), f"{table.where}.national_pair")
    return SecretariatForms(
        local=forms("local"),
        national=forms("national"),
        local_pair=local_pair,
        national_pair=national_pair,
    )


def _country(table: _Table) -> Country:
    language = table.text("language")
    if language not in LANGUAGES:
        raise SynthPoolError(f"{table.where}.language: expected one of {LANGUAGES}")
    return Country(name=table.text("name"), language=language, weight=table.number("weight"))


def _name_pool(table: _Table) -> NamePool:
    consonants = table.texts("consonants")
    vowels = table.texts("vowels")
    letters = consonants + vowels
    # The index is encoded in consonant+vowel syllables; that is only decodable
    # (hence unique) with distinct single ASCII letters and disjoint sets.
    if (
        len(set(letters)) != len(letters)
        or not all(len(c) == 1 and c.isascii() and c.isalpha() for c in letters)
        or len(consonants) < 2
        or len(vowels) < 2
    ):
        raise SynthPoolError(f"{table.where}: consonants/vowels must be distinct ASCII letters")
    suffixes = _per_language(table.table("suffixes"), allow_empty_strings=True)
    for lang, endings in suffixes.items():
        for ending in endings:
            if ending and _fold_first(ending) in consonants:
                raise SynthPoolError(
                    f"{table.where}.suffixes.{lang}: {ending!r} must not start with a consonant"
                )
    accents = table.table("accents")
    by_language: dict[str, dict[str, tuple[str, ...]]] = {}
    for lang in LANGUAGES:
        spellings = accents.table(lang)
        if not set(spellings.data) <= set(vowels):
            raise SynthPoolError(f"{spellings.where}: keys must be vowels {vowels}")
        by_language[lang] = {v: spellings.texts(v) for v in spellings.data}
    return NamePool(
        consonants=consonants,
        vowels=vowels,
        accents=by_language,
        suffixes=suffixes,
        prefixes=_per_language(table.table("prefixes")),
        links=_per_language(table.table("links")),
    )


def _fold_first(text: str) -> str:
    first = unicodedata.normalize("NFKD", text[0])[0]
    return first.lower()


def _per_language(
    table: _Table, *, allow_empty_strings: bool = False
) -> dict[str, tuple[str, ...]]:
    result = {lang: table.texts(lang) for lang in LANGUAGES}
    if not allow_empty_strings and any("" in v for v in result.values()):
        raise SynthPoolError(f"{table.where}: empty strings are not allowed")
    return result


def _language(doc: dict[str, Any], lang: str) -> LanguagePack:
    root = _Table(doc, f"{lang}.toml")
    if root.text("language") != lang:
        raise SynthPoolError(f"{lang}.toml: language must be {lang!r}")
    chrome = root.table("chrome")
    fmt = root.table("format")
    phrases_table = root.table("phrases")
    here = root.table("here")
    place_types = tuple(
        PlaceType(
            level=_level(t),
            word=t.text("word"),
            art=t.text("art", ""),
            preps=t.texts("preps"),
        )
        for t in (_Table(p, f"{lang}.toml place_types") for p in fmt.array("place_types"))
    )
    for level in Level:
        if not any(p.level is level for p in place_types):
            raise SynthPoolError(f"{lang}.toml: no {level.value} place type")
    phrases = {kind: phrases_table.nested(kind, 6) for kind in PHRASE_KINDS}
    templates = tuple(
        _template(_Table(t, f"{lang}.toml template[{i}]"))
        for i, t in enumerate(root.array("template"))
    )
    instruments = tuple(
        _instrument(_Table(t, f"{lang}.toml instrument[{i}]"))
        for i, t in enumerate(root.array("instrument"))
    )
    months = fmt.nested("months", 12)
    domains = fmt.nested("domains", 6)
    return LanguagePack(
        language=lang,
        about_titles=chrome.texts("about_titles"),
        about_domains=_exactly(chrome.texts("about_domains"), 6, f"{lang}.toml about_domains"),
        about_national=chrome.texts("about_national"),
        about_local=chrome.texts("about_local"),
        about_topics=_exactly(chrome.texts("about_topics"), 6, f"{lang}.toml about_topics"),
        key_findings=chrome.texts("key_findings"),
        click=chrome.texts("click"),
        intro_headings=fmt.texts("intro_headings"),
        intro_first=fmt.texts("intro_first"),
        intro_extra=fmt.texts("intro_extra"),
        intro_second=fmt.texts("intro_second"),
        well_developed=fmt.texts("well_developed"),
        well_developed_prefix=fmt.texts("well_developed_prefix"),
        potential=fmt.texts("potential"),
        months=months,
        profile_phrases=fmt.texts("profile_phrases"),
        domains=domains,
        place_types=place_types,
        here={
            Level.LOCAL: tuple(_form(f, f"{lang}.toml here.local") for f in here.array("local")),
            Level.NATIONAL: tuple(
                _form(f, f"{lang}.toml here.national") for f in here.array("national")
            ),
        },
        phrases=phrases,
        motto=phrases_table.texts("motto"),
        templates=templates,
        instruments=instruments,
    )


def _exactly(values: tuple[str, ...], count: int, where: str) -> tuple[str, ...]:
    if len(values) != count:
        raise SynthPoolError(f"{where}: expected {count} entries, found {len(values)}")
    return values


def _template(table: _Table) -> Template:
    text = table.text("text")
    try:
        assessment = Assessment(table.text("assessment"))
        domains = frozenset(Domain(int(d)) for d in table.data.get("domains", []))
    except ValueError as exc:
        raise SynthPoolError(f"{table.where}: {exc}") from exc
    if not domains:
        raise SynthPoolError(f"{table.where}.domains: must list domains 1-6")
    slots: list[tuple[str, str]] = []
    for role, instance, form in SLOT.findall(text):
        if form and form not in FORMS:
            raise SynthPoolError(f"{table.where}: unknown form {form!r} in {text!r}")
        if role in INSTITUTION_ROLES or role in INSTRUMENT_ROLES:
            if (role, instance) not in slots:
                slots.append((role, instance))
        elif role != PLACE_ROLE and role not in SCALAR_SLOTS:
            raise SynthPoolError(f"{table.where}: unknown slot {role!r} in {text!r}")
    if PLACEHOLDER.sub("", SLOT.sub("", text)).count("{"):
        raise SynthPoolError(f"{table.where}: malformed slot in {text!r}")
    return Template(
        assessment=assessment,
        domains=domains,
        levels=_levels(table),
        text=text,
        slots=tuple(slots),
        areas=frozenset(table.texts("areas")) if table.has("areas") else frozenset(),
    )


def _instrument(table: _Table) -> InstrumentPattern:
    text = table.text("text")
    _check_placeholders(text, INSTRUMENT_PLACEHOLDERS, table.where)
    roles = frozenset(table.texts("roles"))
    if not roles <= INSTRUMENT_ROLES:
        raise SynthPoolError(f"{table.where}.roles: unknown {sorted(roles - INSTRUMENT_ROLES)}")
    return InstrumentPattern(
        roles=roles,
        levels=_levels(table),
        type=table.text("type"),
        text=text,
        art=table.text("art", ""),
        status=table.text("status", "in-force"),
    )


def _weighted(items: Sequence[T], weights: Sequence[float]) -> Weighted[T]:
    return Weighted(tuple(items), tuple(itertools.accumulate(weights)))
