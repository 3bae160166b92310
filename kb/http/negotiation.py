"""Content negotiation: which media type answers a request (pure functions).

`negotiate(accept, offers)` implements RFC 9110 §12.5.1 proactive negotiation:
the highest q-value wins, a more specific range beats a wildcard for the same
type, and ties go to the server's order of preference (the order of `offers`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class ResultKind(Enum):
    """What a query returns, which decides the formats that can carry it."""

    SOLUTIONS = "solutions"
    BOOLEAN = "boolean"
    GRAPH = "graph"


@dataclass(frozen=True, slots=True)
class MediaType:
    """A format on offer: its canonical media type, aliases and `format=` names."""

    name: str
    aliases: tuple[str, ...] = ()
    shortcuts: tuple[str, ...] = ()

    def answers(self, media_range: str) -> bool:
        return media_range == self.name or media_range in self.aliases


SPARQL_JSON = MediaType("application/sparql-results+json", ("application/json",), ("json", "srj"))
SPARQL_XML = MediaType(
    "application/sparql-results+xml", ("application/xml", "text/xml"), ("xml", "srx")
)
CSV = MediaType("text/csv", (), ("csv",))
TSV = MediaType("text/tab-separated-values", (), ("tsv",))
TURTLE = MediaType("text/turtle", ("application/x-turtle",), ("turtle", "ttl"))
N_TRIPLES = MediaType("application/n-triples", ("text/plain",), ("ntriples", "nt"))
JSON_LD = MediaType("application/ld+json", ("application/json",), ("jsonld", "json-ld", "json"))
RDF_XML = MediaType(
    "application/rdf+xml", ("application/xml", "text/xml"), ("rdfxml", "rdf", "xml", "owl")
)
N_QUADS = MediaType("application/n-quads", (), ("nquads", "nq"))
TRIG = MediaType("application/trig", (), ("trig",))

OFFERS: dict[ResultKind, tuple[MediaType, ...]] = {
    ResultKind.SOLUTIONS: (SPARQL_JSON, SPARQL_XML, CSV, TSV),
    ResultKind.BOOLEAN: (SPARQL_JSON, SPARQL_XML, CSV, TSV),
    ResultKind.GRAPH: (TURTLE, N_TRIPLES, JSON_LD, RDF_XML, N_QUADS, TRIG),
}
# Service description, VoID and examples: RDF about the service, Turtle first.
DESCRIPTION_OFFERS: tuple[MediaType, ...] = (TURTLE, JSON_LD, RDF_XML, N_TRIPLES)


@dataclass(frozen=True, slots=True)
class MediaRange:
    type: str
    subtype: str
    q: float

    @property
    def full(self) -> str:
        return f"{self.type}/{self.subtype}"

    @property
    def specificity(self) -> int:
        return 0 if self.type == "*" else 1 if self.subtype == "*" else 2

    def matches(self, media: MediaType) -> bool:
        if self.type == "*":
            return True
        if self.subtype == "*":
            return media.name.split("/", 1)[0] == self.type
        return media.answers(self.full)


def parse_accept(header: str | None) -> list[MediaRange]:
    """`text/turtle;q=0.9, */*;q=0.1` -> ranges; malformed items are skipped."""
    ranges: list[MediaRange] = []
    for item in (header or "").split(","):
        parts = [p.strip() for p in item.split(";")]
        media = parts[0].lower()
        if "/" not in media:
            continue
        major, minor = media.split("/", 1)
        if not major or not minor or (major == "*" and minor != "*"):
            continue
        q = 1.0
        for param in parts[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.append(MediaRange(major, minor, q))
    return ranges


def negotiate(accept: str | None, offers: tuple[MediaType, ...]) -> MediaType | None:
    """The offer the client prefers; the first offer when Accept is absent; None -> 406."""
    ranges = parse_accept(accept)
    if not ranges:
        return offers[0] if offers else None
    best: tuple[float, int, int] | None = None
    chosen: MediaType | None = None
    for rank, offer in enumerate(offers):
        # The most specific range that matches an offer decides its q (RFC 9110).
        matching = [r for r in ranges if r.matches(offer)]
        if not matching:
            continue
        decisive = max(matching, key=lambda r: r.specificity)
        q = max(r.q for r in matching if r.specificity == decisive.specificity)
        if q <= 0:
            continue
        score = (q, decisive.specificity, -rank)
        if best is None or score > best:
            best, chosen = score, offer
    return chosen


def by_format_parameter(value: str, offers: tuple[MediaType, ...]) -> MediaType | None:
    """`format=json` or `format=text/turtle` (browser links) -> the offer it names."""
    wanted = value.strip().lower()
    for offer in offers:
        if wanted in offer.shortcuts or offer.answers(wanted):
            return offer
    return None


def choose(
    kind: ResultKind, *, accept: str | None, format_parameter: str | None = None
) -> MediaType | None:
    """Negotiate the format of one result kind; `format=` overrides Accept."""
    offers = OFFERS[kind]
    if format_parameter:
        return by_format_parameter(format_parameter, offers)
    return negotiate(accept, offers)


def prefers_html(accept: str | None) -> bool:
    """Whether the client is a browser: it ranks text/html first, by name (not */*)."""
    ranges = [r for r in parse_accept(accept) if r.q > 0]
    if not ranges:
        return False
    top = max(r.q for r in ranges)
    return any(r.q == top and (r.type, r.subtype) == ("text", "html") for r in ranges)


def prefers_json(accept: str | None) -> bool:
    """Whether error bodies should be JSON: the client ranks some JSON type first."""
    ranges = [r for r in parse_accept(accept) if r.q > 0]
    if not ranges:
        return False
    top = max(r.q for r in ranges)
    return any(r.q == top and r.subtype.endswith("json") for r in ranges)
