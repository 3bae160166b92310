"""Canonical serialisation: rdflib graphs -> sorted, de-duplicated N-Quads.

The builder mints no blank nodes; the ontology has a few (OWL class unions),
and those graphs are relabelled with RDFC-1.0 first. Sorting the N-Quads lines
then gives a canonical form: the same knowledge graph always gives the same bytes.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterable, Iterator
from enum import Enum
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kb.namespaces import PREFIXES


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


def write_export(dataset: Path, fmt: ExportFormat, output: BinaryIO) -> None:
    """Stream a canonical N-Quads file to `output` in an export format.

    Quads are read and written one at a time, in the file's order. Graph
    formats keep no state; triple formats give the union of all graphs, each
    triple once, which keeps a 16-byte digest per distinct triple (about 100
    bytes with Python's set overhead): far less than the triples themselves.
    """
    if fmt is ExportFormat.NQ:
        with dataset.open("rb") as source:
            shutil.copyfileobj(source, output, 1 << 20)
        return
    quads = ox.parse(path=str(dataset), format=ox.RdfFormat.N_QUADS)
    if fmt.has_graphs:
        ox.serialize(quads, output, fmt.rdf_format, prefixes=PREFIXES)
        return
    prefixes = PREFIXES if fmt is not ExportFormat.NT and fmt is not ExportFormat.JSONLD else None
    ox.serialize(_distinct_triples(quads), output, fmt.rdf_format, prefixes=prefixes)


def _distinct_triples(quads: Iterable[ox.Quad]) -> Iterator[ox.Triple]:
    seen: set[bytes] = set()
    for quad in quads:
        triple = quad.triple
        digest = hashlib.blake2b(str(triple).encode(), digest_size=16).digest()
        if digest not in seen:
            seen.add(digest)
            yield triple
