"""Canonical serialisation: rdflib graphs -> sorted, de-duplicated N-Quads.

The builder mints no blank nodes, so sorting the N-Quads lines is a canonical
form: the same knowledge graph always gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kb.iris import PREFIXES


class ExportFormat(Enum):
    """Formats of `kb export`, by their usual file extension."""

    NQ = "nq"
    TRIG = "trig"
    TTL = "ttl"
    JSONLD = "jsonld"
    NT = "nt"

    @property
    def rdf_format(self) -> ox.RdfFormat:
        return _OX_FORMATS[self]

    @property
    def has_graphs(self) -> bool:
        return self in (ExportFormat.NQ, ExportFormat.TRIG)


_OX_FORMATS = {
    ExportFormat.NQ: ox.RdfFormat.N_QUADS,
    ExportFormat.TRIG: ox.RdfFormat.TRIG,
    ExportFormat.TTL: ox.RdfFormat.TURTLE,
    ExportFormat.JSONLD: ox.RdfFormat.JSON_LD,
    ExportFormat.NT: ox.RdfFormat.N_TRIPLES,
}


def to_ox_term(node: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, BNode):
        return ox.BlankNode(str(node))
    if isinstance(node, Literal):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        if node.datatype:
            return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
        return ox.Literal(str(node))
    raise TypeError(f"not an RDF term: {node!r}")


def graph_quads(graph: Graph, name: URIRef) -> list[ox.Quad]:
    """The triples of an rdflib graph as quads in the named graph `name`."""
    g = ox.NamedNode(str(name))
    return [ox.Quad(to_ox_term(s), to_ox_term(p), to_ox_term(o), g) for s, p, o in graph]


def canonical_nquads(quads: Iterable[ox.Quad]) -> bytes:
    """Sorted, de-duplicated N-Quads lines."""
    lines = ox.serialize(list(quads), format=ox.RdfFormat.N_QUADS).splitlines(keepends=True)
    return b"".join(sorted(set(lines)))


def serialize_dataset(quads: list[ox.Quad], fmt: ExportFormat) -> bytes:
    """Serialise quads (already in canonical order) in an export format.

    Triple formats get the union of all graphs, each triple once.
    """
    if fmt is ExportFormat.NQ:
        return canonical_nquads(quads)
    if fmt.has_graphs:
        return ox.serialize(quads, format=fmt.rdf_format, prefixes=PREFIXES)
    seen: set[ox.Triple] = set()
    triples = []
    for quad in quads:
        if quad.triple not in seen:
            seen.add(quad.triple)
            triples.append(quad.triple)
    prefixes = PREFIXES if fmt is not ExportFormat.NT and fmt is not ExportFormat.JSONLD else None
    return ox.serialize(triples, format=fmt.rdf_format, prefixes=prefixes)


def parse_nquads(data: bytes) -> list[ox.Quad]:
    return list(ox.parse(data, format=ox.RdfFormat.N_QUADS))
