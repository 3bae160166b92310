"""Canonical serialisation: rdflib graphs -> sorted, de-duplicated N-Quads.

The builder mints no blank nodes; the ontology has a few (OWL class unions),
and those graphs are relabelled with RDFC-1.0 first. Sorting the N-Quads lines
then gives a canonical form: the same knowledge graph always gives the same bytes.
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
    """Sorted, de-duplicated N-Quads lines with canonical blank-node labels."""
    lines = ox.serialize(_relabel_blank_nodes(list(quads)), format=ox.RdfFormat.N_QUADS)
    return b"".join(sorted(set(lines.splitlines(keepends=True))))


def _relabel_blank_nodes(quads: list[ox.Quad]) -> list[ox.Quad]:
    # Only graphs holding blank nodes go through RDFC-1.0 (its cost grows with them).
    with_blanks = {
        q.graph_name
        for q in quads
        if isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode)
    }
    if not with_blanks:
        return quads
    plain = [q for q in quads if q.graph_name not in with_blanks]
    dataset = ox.Dataset(q for q in quads if q.graph_name in with_blanks)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return plain + list(dataset)


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
