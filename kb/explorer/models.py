"""What the explorer's pages show and its JSON API returns: one set of models for both.

Pages render these objects; `/api/…` returns them as JSON (so the OpenAPI
schema at `/docs` describes exactly what a page is built from). Every field is
filled from a SPARQL answer; `sparql` maps each panel to the query text that
produced it, which is what the pages' "show the SPARQL" links open.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, Field

T = TypeVar("T")


class Ref(BaseModel):
    """A resource of the graph: its IRI, its explorer id (if it has a page) and label."""

    iri: str
    id: str | None = Field(None, description="identifier in explorer URLs and /api paths")
    label: str | None = None


class Concept(BaseModel):
    """A concept of the ontology's schemes (domain, assessment, institution type)."""

    iri: str
    code: str = Field(description="skos:notation: 1-6 for domains, well-developed/potential")
    label: str


class Page(BaseModel, Generic[T]):
    total: int
    limit: int
    offset: int
    items: list[T]

    @property
    def page(self) -> int:
        return self.offset // self.limit + 1 if self.limit else 1

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.limit)) if self.limit else 1


class Cell(BaseModel):
    """Findings of one domain and assessment."""

    domain: Concept
    assessment: Concept
    findings: int
    profiles: int | None = None


class Finding(BaseModel):
    iri: str
    id: str = Field(description="profile slug / position in the document, e.g. bucaramanga-2022/4")
    text: str
    lang: str = ""
    domain: Concept
    assessment: Concept
    position: int
    profile: Ref
    place: Ref | None = None
    issued: str | None = None
    spans: list[tuple[int, int]] = Field(
        default_factory=list,
        description="character offsets [start, end) of the mentions being looked at",
    )


class Mention(BaseModel):
    start: int
    end: int
    target: Ref
    kind: str = Field(description="institution or instrument")


class HomeStats(BaseModel):
    profiles: int
    places: int
    institutions: int
    findings: int
    instruments: int
    triples: int | None = None
    dataset_version: str | None = None
    last_build: str | None = None


class InstitutionRow(BaseModel):
    iri: str
    id: str | None
    label: str | None
    type: Concept | None
    jurisdiction: Ref | None
    findings: int
    profiles: int
    domains: int


class InstitutionAbout(BaseModel):
    iri: str
    id: str
    label: str
    pref_labels: list[str] = []
    alt_labels: list[str] = []
    type: Concept | None = None
    parents: list[Ref] = []
    children: list[Ref] = []
    jurisdiction: Ref | None = None
    note: str | None = None
    curated: bool | None = None


class Totals(BaseModel):
    findings: int = 0
    profiles: int = 0
    places: int = 0
    domains: int = 0


class Instrument(BaseModel):
    iri: str
    title: str | None
    type: Concept | None
    issued: str | None
    shared_findings: int
    issued_by_this: bool = False


class CoMention(BaseModel):
    institution: Ref
    shared_findings: int


class Edge(BaseModel):
    a: str
    b: str
    shared_findings: int


class InstitutionDetail(BaseModel):
    about: InstitutionAbout
    totals: Totals
    chart: list[Cell]
    findings: Page[Finding]
    instruments: list[Instrument]
    co_mentions: Page[CoMention]
    network_edges: list[Edge]
    sparql: dict[str, str]


class PlaceRow(BaseModel):
    iri: str
    id: str | None
    label: str | None
    kind: str | None
    country: Ref | None
    latitude: float | None
    longitude: float | None
    profiles: int
    findings: int


class ProfileSummary(BaseModel):
    profile: Ref
    issued: str | None
    title: str | None
    well_developed: int
    potential: int


class PlaceDetail(BaseModel):
    iri: str
    id: str
    label: str
    kind: str | None
    latitude: float | None
    longitude: float | None
    within: list[Ref]
    profiles: list[ProfileSummary]
    sparql: dict[str, str]


class InstitutionInvolved(BaseModel):
    institution: Ref
    findings: int
    domains: int
    well_developed: int


class ProfileDetail(BaseModel):
    iri: str
    id: str
    title: str | None
    titles: dict[str, str] = {}
    issued: str | None
    language: str | None
    kind: str | None
    source: str | None
    place: Ref | None
    country: Ref | None
    chart: list[Cell]
    findings: list[Finding]
    mentions: dict[str, list[Mention]] = Field(description="finding id -> its mentions")
    institutions: list[InstitutionInvolved]
    sparql: dict[str, str]


class CompareColumn(BaseModel):
    place: Ref
    profile: Ref
    issued: str | None
    cells: dict[str, int] = Field(description="'{domain code}/{assessment code}' -> findings")
    total: int


class Comparison(BaseModel):
    domains: list[Concept]
    assessments: list[Concept]
    columns: list[CompareColumn]
    missing: list[str] = Field(default_factory=list, description="place ids with no profile")
    sparql: dict[str, str]


class PlaceHit(BaseModel):
    place: Ref
    profiles: int


class InstitutionHit(BaseModel):
    institution: Ref
    matched: str
    jurisdiction: str | None
    findings: int


class SearchResults(BaseModel):
    q: str
    institutions: list[InstitutionHit]
    places: list[PlaceHit]
    findings: Page[Finding]
    sparql: dict[str, str]


class FindingDetail(BaseModel):
    finding: Finding
    years: list[str]
    mentions: list[Mention]
    sparql: dict[str, str]
