"""In-memory model of an MGI profile and of what the extractor finds in it.

Names follow the vocabulary contract (DESIGN.md): `Profile`, `Finding`,
`Domain`, `Assessment`, `Mention`. Stages pass these objects to each other;
none of them touches files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Domain(Enum):
    """The six MGI policy domains; value = notation "1"…"6"."""

    MIGRANTS_RIGHTS = 1
    WHOLE_OF_GOVERNMENT = 2
    PARTNERSHIPS = 3
    MIGRANT_WELLBEING = 4
    MOBILITY_DIMENSIONS_OF_CRISES = 5
    SAFE_ORDERLY_REGULAR_MIGRATION = 6

    @property
    def local_name(self) -> str:
        """Local name of the individual in the `mgi:` namespace."""
        return _DOMAIN_LOCAL_NAMES[self]

    @property
    def notation(self) -> str:
        return str(self.value)


_DOMAIN_LOCAL_NAMES = {
    Domain.MIGRANTS_RIGHTS: "MigrantsRights",
    Domain.WHOLE_OF_GOVERNMENT: "WholeOfGovernment",
    Domain.PARTNERSHIPS: "Partnerships",
    Domain.MIGRANT_WELLBEING: "MigrantWellbeing",
    Domain.MOBILITY_DIMENSIONS_OF_CRISES: "MobilityDimensionsOfCrises",
    Domain.SAFE_ORDERLY_REGULAR_MIGRATION: "SafeOrderlyRegularMigration",
}


class Assessment(Enum):
    """Which list of a domain block a finding stands in (gold values)."""

    WELL_DEVELOPED = "well-developed"
    POTENTIAL = "potential"

    @property
    def local_name(self) -> str:
        return "WellDeveloped" if self is Assessment.WELL_DEVELOPED else "PotentialForDevelopment"


class PlaceKind(Enum):
    """What kind of place a profile assesses or a reference entry names (FORMAT.md §2.5)."""

    COUNTRY = "country"
    REGION = "region"  # a state, province, department or region inside a country
    CITY = "city"

    @property
    def level(self) -> Level:
        """A country is assessed by a national profile, a city or region by a local one."""
        return Level.NATIONAL if self is PlaceKind.COUNTRY else Level.LOCAL


class Level(Enum):
    """Local (city or region) or national (country) profile."""

    LOCAL = "local"
    NATIONAL = "national"


@dataclass(frozen=True, slots=True)
class Finding:
    """One bullet of a profile, verbatim."""

    n: int  # 1-based document order over the whole profile
    domain: Domain
    assessment: Assessment
    position: int  # 1-based within (domain, assessment)
    text: str
    line: int = 0  # 1-based line in the source file (0 when unknown)


@dataclass(frozen=True, slots=True)
class Intro:
    heading: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Profile:
    """One published MGI assessment, as parsed from its text."""

    title: str
    title_language: str  # BCP 47 tag: en, es, fr, pt
    place_name: str  # "Bucaramanga"
    designation: str  # "Municipio de Bucaramanga"
    level: Level
    findings_language: str
    chrome_language: str
    date: str  # YYYY-MM
    date_text: str  # the date line, verbatim
    intro: Intro
    findings: tuple[Finding, ...]
    short_name: str | None = None  # "(en adelante, X)"
    source: str = ""  # file name the profile was read from
    place_kind: PlaceKind | None = None  # None: the kind the level implies (city or country)

    @property
    def assessed_kind(self) -> PlaceKind:
        if self.place_kind is not None:
            return self.place_kind
        return PlaceKind.CITY if self.level is Level.LOCAL else PlaceKind.COUNTRY

    @property
    def year(self) -> int:
        return int(self.date[:4])


# --- what the extractor produces (issue 3); the builder turns it into RDF ---------


class EntityKind(Enum):
    ORGANIZATION = "org"
    INSTRUMENT = "instrument"


@dataclass(frozen=True, slots=True)
class Organization:
    """An institution, resolved to one identity (`id/org/{slug}`)."""

    slug: str
    label: str
    label_language: str
    institution_type: str  # local name in mgi:InstitutionTypes, e.g. "oversight-body"
    alt_labels: tuple[str, ...] = ()
    parent: str | None = None  # slug of the parent organisation
    jurisdiction: str | None = None  # place slug
    curated: bool = False  # True when it comes from the gazetteer in data/reference/


@dataclass(frozen=True, slots=True)
class PolicyInstrument:
    """A plan, circular, decree, law, strategy, route, agreement or programme."""

    slug: str
    title: str
    title_language: str
    instrument_type: str  # local name in mgi:InstrumentTypes, e.g. "plan"
    years: tuple[int, ...] = ()
    creator: str | None = None  # organisation slug
    jurisdiction: str | None = None  # place slug
    status: str = "in-force"


@dataclass(frozen=True, slots=True)
class Mention:
    """Where, in a finding's text, an organisation or instrument is named."""

    finding_n: int
    start: int  # character offset into Finding.text, inclusive
    end: int  # exclusive; text[start:end] == surface_form
    surface_form: str
    kind: EntityKind
    target: str  # slug of the Organization or PolicyInstrument


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything the extractor found in one profile."""

    organizations: tuple[Organization, ...] = ()
    instruments: tuple[PolicyInstrument, ...] = ()
    mentions: tuple[Mention, ...] = ()
    years: dict[int, tuple[int, ...]] = field(default_factory=dict)  # finding n -> years
