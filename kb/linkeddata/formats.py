"""The representations of a linked-data document, and which one a request gets.

Negotiation reuses the SPARQL endpoint's RFC 9110 `negotiate`; only the set
of offers differs. Every representation has a registered media type and a
file extension, so people who cannot set headers can ask by URL (`….ttl`).
"""

from __future__ import annotations

from enum import Enum

import pyoxigraph as ox

from kb.http.negotiation import JSON_LD, N_TRIPLES, RDF_XML, TURTLE, MediaType, negotiate

HTML = MediaType("text/html", ("application/xhtml+xml",), ("html",))


class DocFormat(Enum):
    """A representation of a document, named by its file extension."""

    HTML = "html"
    TURTLE = "ttl"
    JSONLD = "jsonld"
    NTRIPLES = "nt"
    RDFXML = "rdf"

    @property
    def media(self) -> MediaType:
        return _MEDIA[self]

    @property
    def media_type(self) -> str:
        return self.media.name

    @property
    def content_type(self) -> str:
        # Text types and XML say their charset; JSON and N-Triples are UTF-8 by definition.
        if self in (DocFormat.HTML, DocFormat.TURTLE, DocFormat.RDFXML):
            return f"{self.media_type}; charset=utf-8"
        return self.media_type

    @property
    def extension(self) -> str:
        return self.value

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def is_rdf(self) -> bool:
        return self is not DocFormat.HTML

    @property
    def rdf_format(self) -> ox.RdfFormat:
        return _OX[self]


_MEDIA = {
    DocFormat.HTML: HTML,
    DocFormat.TURTLE: TURTLE,
    DocFormat.JSONLD: JSON_LD,
    DocFormat.NTRIPLES: N_TRIPLES,
    DocFormat.RDFXML: RDF_XML,
}
_LABELS = {
    DocFormat.HTML: "HTML",
    DocFormat.TURTLE: "Turtle",
    DocFormat.JSONLD: "JSON-LD",
    DocFormat.NTRIPLES: "N-Triples",
    DocFormat.RDFXML: "RDF/XML",
}
_OX = {
    DocFormat.TURTLE: ox.RdfFormat.TURTLE,
    DocFormat.JSONLD: ox.RdfFormat.JSON_LD,
    DocFormat.NTRIPLES: ox.RdfFormat.N_TRIPLES,
    DocFormat.RDFXML: ox.RdfFormat.RDF_XML,
}

# Server preference on ties: people first (a browser's */* gets HTML), then Turtle.
ALL_FORMATS: tuple[DocFormat, ...] = tuple(DocFormat)
RDF_FORMATS: tuple[DocFormat, ...] = tuple(f for f in DocFormat if f.is_rdf)
_BY_EXTENSION = {f.extension: f for f in DocFormat}


def negotiate_format(
    accept: str | None, offers: tuple[DocFormat, ...] = ALL_FORMATS
) -> DocFormat | None:
    """The representation the client prefers; the first offer without Accept; None -> 406."""
    chosen = negotiate(accept, tuple(f.media for f in offers))
    if chosen is None:
        return None
    return next(f for f in offers if f.media is chosen)


def split_extension(name: str) -> tuple[str, DocFormat | None]:
    """`org/imebu.ttl` -> (`org/imebu`, TURTLE); names without a known extension are kept.

    Minted slugs are `[a-z0-9-]` and finding numbers are digits, so a dot in
    the last segment can only start an extension.
    """
    head, dot, ext = name.rpartition(".")
    if dot and "/" not in ext and ext in _BY_EXTENSION:
        return head, _BY_EXTENSION[ext]
    return name, None


def format_by_extension(ext: str) -> DocFormat | None:
    return _BY_EXTENSION.get(ext)
