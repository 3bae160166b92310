"""Compact JSON-LD with one fixed, readable `@context`.

pyoxigraph writes expanded JSON-LD (full IRIs everywhere). People reading a
document want `"label"`, `"domain": "mgi:MigrantsRights"`, numbers as
numbers; so this module writes the compact form itself, from triples, with a
context that names every term of the vocabulary contract. The context is
inline, so a document parses offline. Every value that a term's coercion
cannot carry falls back to a compact IRI key with an explicit value object:
the RDF read back is exactly the RDF written (the tests check isomorphism).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, BinaryIO

import pyoxigraph as ox

from kb.namespaces import ALL_PREFIXES, XSD, curie
from kb.rdf.graph import key

_ID = "@id"

# term -> (property IRI as a compact IRI, whether values are IRIs)
_TERMS: dict[str, tuple[str, bool]] = {
    "label": ("rdfs:label", False),
    "comment": ("rdfs:comment", False),
    "seeAlso": ("rdfs:seeAlso", True),
    "isDefinedBy": ("rdfs:isDefinedBy", True),
    "prefLabel": ("skos:prefLabel", False),
    "altLabel": ("skos:altLabel", False),
    "notation": ("skos:notation", False),
    "definition": ("skos:definition", False),
    "scopeNote": ("skos:scopeNote", False),
    "inScheme": ("skos:inScheme", True),
    "title": ("dcterms:title", False),
    "abstract": ("dcterms:abstract", False),
    "description": ("dcterms:description", False),
    "issued": ("dcterms:issued", False),
    "modified": ("dcterms:modified", False),
    "language": ("dcterms:language", False),
    "identifier": ("dcterms:identifier", False),
    "source": ("dcterms:source", False),
    "publisher": ("dcterms:publisher", True),
    "creator": ("dcterms:creator", True),
    "license": ("dcterms:license", True),
    "profile": ("mgi:profile", True),
    "hasFinding": ("mgi:hasFinding", True),
    "domain": ("mgi:domain", True),
    "assessment": ("mgi:assessment", True),
    "text": ("mgi:text", False),
    "position": ("mgi:position", False),
    "mentions": ("mgi:mentions", True),
    "hasMention": ("mgi:hasMention", True),
    "refersTo": ("mgi:refersTo", True),
    "surfaceForm": ("mgi:surfaceForm", False),
    "start": ("mgi:start", False),
    "end": ("mgi:end", False),
    "refersToYear": ("mgi:refersToYear", False),
    "assessedPlace": ("mgi:assessedPlace", True),
    "jurisdiction": ("mgi:jurisdiction", True),
    "instrumentType": ("mgi:instrumentType", True),
    "status": ("mgi:status", True),
    "curated": ("mgi:curated", False),
    "classification": ("org:classification", True),
    "subOrganizationOf": ("org:subOrganizationOf", True),
    "name": ("schema:name", False),
    "containedInPlace": ("schema:containedInPlace", True),
    "latitude": ("schema:latitude", False),
    "longitude": ("schema:longitude", False),
    "primaryTopic": ("foaf:primaryTopic", True),
    "inDataset": ("void:inDataset", True),
    "totalItems": ("hydra:totalItems", False),
    "member": ("hydra:member", True),
    "view": ("hydra:view", True),
    "manages": ("hydra:manages", True),
    "property": ("hydra:property", True),
    "object": ("hydra:object", True),
    "first": ("hydra:first", True),
    "last": ("hydra:last", True),
    "next": ("hydra:next", True),
    "previous": ("hydra:previous", True),
}


def _expand(compact: str) -> str:
    prefix, _, local = compact.partition(":")
    return ALL_PREFIXES[prefix] + local


_BY_IRI: dict[str, tuple[str, bool]] = {
    _expand(iri): (term, is_id) for term, (iri, is_id) in _TERMS.items()
}


def context() -> dict[str, Any]:
    """The `@context` of every document: prefixes, `id`/`type` aliases, named terms."""
    ctx: dict[str, Any] = dict(ALL_PREFIXES)
    ctx["id"] = "@id"
    ctx["type"] = "@type"
    for term, (iri, is_id) in _TERMS.items():
        ctx[term] = {"@id": iri, "@type": "@id"} if is_id else iri
    return ctx


def _compact_iri(iri: str) -> str:
    return curie(iri) or iri


def _node_id(node: ox.NamedNode | ox.BlankNode) -> str:
    return node.value if isinstance(node, ox.NamedNode) else f"_:{node.value}"


def _literal(literal: ox.Literal) -> Any:
    datatype = literal.datatype.value
    value = literal.value
    if literal.language:
        return {"@value": value, "@language": literal.language}
    if datatype == XSD + "string":
        return value
    if datatype == XSD + "integer":
        try:
            if str(int(value)) == value:
                return int(value)  # JSON-LD reads an integral number back as xsd:integer
        except ValueError:
            pass
    if datatype == XSD + "boolean" and value in ("true", "false"):
        return value == "true"
    return {"@value": value, "@type": _compact_iri(datatype)}


def _value(term: ox.NamedNode | ox.BlankNode | ox.Literal, *, as_id: bool) -> Any:
    if isinstance(term, ox.Literal):
        return _literal(term)
    identifier = _node_id(term)
    if as_id:
        return identifier if isinstance(term, ox.BlankNode) else _compact_iri(identifier)
    return {_ID: identifier if isinstance(term, ox.BlankNode) else _compact_iri(identifier)}


def _nodes(triples: Iterable[ox.Triple], first: str | None) -> list[dict[str, Any]]:
    subjects: dict[str, dict[str, list[Any]]] = {}
    kinds: dict[str, ox.NamedNode | ox.BlankNode] = {}
    for triple in triples:
        s = key(triple.subject)
        kinds[s] = triple.subject  # type: ignore[assignment]
        subjects.setdefault(s, {}).setdefault(triple.predicate.value, []).append(triple.object)
    order = sorted(subjects, key=lambda s: (s != first, s))
    nodes = []
    for s in order:
        node: dict[str, Any] = {"id": _node_id(kinds[s])}
        for predicate in sorted(subjects[s]):
            values = sorted(subjects[s][predicate], key=str)
            if predicate == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type" and all(
                isinstance(v, ox.NamedNode) for v in values
            ):
                node["type"] = [_compact_iri(v.value) for v in values]
                continue
            term = _BY_IRI.get(predicate)
            literals = any(isinstance(v, ox.Literal) for v in values)
            if term is not None and not (term[1] and literals):
                name, as_id = term
            else:
                name, as_id = _compact_iri(predicate), False
            items = [_value(v, as_id=as_id) for v in values]
            node[name] = items[0] if len(items) == 1 else items
        nodes.append(node)
    return nodes


def document(triples: Iterable[ox.Triple], *, first: str | None = None) -> dict[str, Any]:
    """A compact JSON-LD document of `triples`; `first` names the node listed first."""
    return {"@context": context(), "@graph": _nodes(triples, first)}


def write_dataset_document(
    graphs: Iterable[tuple[str | None, Iterable[ox.Triple]]], out: BinaryIO
) -> None:
    """Compact JSON-LD keeping named graphs (the dump), written graph by graph.

    `graphs` gives (graph IRI or None for the default graph, its triples); only
    one graph's nodes are held at a time. The text is what `json.dumps(…,
    indent=1)` gives for the whole document.
    """
    empty = json.dumps({"@context": context(), "@graph": []}, ensure_ascii=False, indent=1)
    out.write(empty.removesuffix("[]\n}").encode() + b"[")
    for index, (name, triples) in enumerate(graphs):
        nodes = _nodes(triples, None)
        entry = {"@graph": nodes} if name is None else {"id": name, "@graph": nodes}
        text = json.dumps(entry, ensure_ascii=False, indent=1)
        out.write(b",\n" if index else b"\n")
        # Only "\n" breaks lines here: JSON escapes it inside strings, not U+2028 & co.
        out.write(("  " + text.replace("\n", "\n  ")).encode())
    out.write(b"\n ]\n}\n")


def dumps(doc: dict[str, Any]) -> bytes:
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode()
