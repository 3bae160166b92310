"""Self-description of the endpoint as RDF: Service Description, VoID, examples.

Built as pyoxigraph triples and written with pyoxigraph's serialisers. The
statistics VoID reports are counted once per dataset version by `kb build`
(statistics.json in the build), or by the server for builds without them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

import pyoxigraph as ox

from kb.endpoint.examples import Example
from kb.http.negotiation import (
    CSV,
    JSON_LD,
    N_QUADS,
    N_TRIPLES,
    RDF_XML,
    SPARQL_JSON,
    SPARQL_XML,
    TRIG,
    TSV,
    TURTLE,
    MediaType,
)
from kb.namespaces import PREFIXES, XSD
from kb.publication.counts import DatasetStatistics
from kb.sparql.text import QueryForm

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
SH = "http://www.w3.org/ns/shacl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
DCTERMS = "http://purl.org/dc/terms/"
SCHEMA = "https://schema.org/"
FORMATS = "http://www.w3.org/ns/formats/"

DESCRIPTION_PREFIXES = {
    **PREFIXES,
    "sd": SD,
    "void": VOID,
    "sh": SH,
    "formats": FORMATS,
}

_FORMAT_IRIS: dict[MediaType, str] = {
    SPARQL_JSON: "SPARQL_Results_JSON",
    SPARQL_XML: "SPARQL_Results_XML",
    CSV: "SPARQL_Results_CSV",
    TSV: "SPARQL_Results_TSV",
    TURTLE: "Turtle",
    N_TRIPLES: "N-Triples",
    JSON_LD: "JSON-LD",
    RDF_XML: "RDF_XML",
    N_QUADS: "N-Quads",
    TRIG: "TriG",
}

RDF_FORMATS = {
    TURTLE: ox.RdfFormat.TURTLE,
    JSON_LD: ox.RdfFormat.JSON_LD,
    RDF_XML: ox.RdfFormat.RDF_XML,
    N_TRIPLES: ox.RdfFormat.N_TRIPLES,
}


def _iri(value: str) -> ox.NamedNode:
    return ox.NamedNode(value)


def _a(cls: str) -> tuple[ox.NamedNode, ox.NamedNode]:
    return _iri(RDF + "type"), _iri(cls)


def _int(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=_iri(XSD + "integer"))


def service_description(
    endpoint: str,
    stats: DatasetStatistics,
    *,
    dataset_iri: str,
    void_url: str,
    examples_url: str,
    federated: bool,
) -> list[ox.Triple]:
    service = _iri(endpoint)
    dataset = _iri(dataset_iri)
    default_graph = ox.BlankNode()
    t = [
        ox.Triple(service, *_a(SD + "Service")),
        ox.Triple(service, _iri(SD + "endpoint"), service),
        ox.Triple(service, _iri(SD + "supportedLanguage"), _iri(SD + "SPARQL11Query")),
        ox.Triple(service, _iri(SD + "feature"), _iri(SD + "UnionDefaultGraph")),
        ox.Triple(
            service,
            _iri(SD + "defaultEntailmentRegime"),
            _iri("http://www.w3.org/ns/entailment/Simple"),
        ),
        ox.Triple(
            service,
            _iri(DCTERMS + "title"),
            ox.Literal("MGI Knowledge Graph SPARQL endpoint", language="en"),
        ),
        ox.Triple(service, _iri(RDFS + "seeAlso"), _iri(void_url)),
        ox.Triple(service, _iri(RDFS + "seeAlso"), _iri(examples_url)),
        ox.Triple(service, _iri(SD + "defaultDataset"), dataset),
        ox.Triple(dataset, *_a(SD + "Dataset")),
        ox.Triple(dataset, _iri(SD + "defaultGraph"), default_graph),
        ox.Triple(default_graph, *_a(SD + "Graph")),
        ox.Triple(default_graph, _iri(VOID + "triples"), _int(stats.triples)),
    ]
    if federated:
        t.append(ox.Triple(service, _iri(SD + "feature"), _iri(SD + "BasicFederatedQuery")))
    for name in _FORMAT_IRIS.values():
        t.append(ox.Triple(service, _iri(SD + "resultFormat"), _iri(FORMATS + name)))
    for name, triples in stats.graphs:
        named, inner = ox.BlankNode(), ox.BlankNode()
        t += [
            ox.Triple(dataset, _iri(SD + "namedGraph"), named),
            ox.Triple(named, *_a(SD + "NamedGraph")),
            ox.Triple(named, _iri(SD + "name"), _iri(name)),
            ox.Triple(named, _iri(SD + "graph"), inner),
            ox.Triple(inner, *_a(SD + "Graph")),
            ox.Triple(inner, _iri(VOID + "triples"), _int(triples)),
        ]
    return t


def void_description(
    stats: DatasetStatistics,
    *,
    version: str,
    modified: datetime,
    dataset_iri: str,
    endpoint: str,
    uri_space: str,
) -> list[ox.Triple]:
    """VoID of one dataset version: its counts, its version id and build time."""
    dataset = _iri(dataset_iri)
    stamp = modified.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    t = [
        ox.Triple(dataset, *_a(VOID + "Dataset")),
        ox.Triple(
            dataset, _iri(DCTERMS + "title"), ox.Literal("MGI Knowledge Graph", language="en")
        ),
        ox.Triple(
            dataset,
            _iri(DCTERMS + "modified"),
            ox.Literal(stamp, datatype=_iri(XSD + "dateTime")),
        ),
        ox.Triple(dataset, _iri(DCTERMS + "identifier"), ox.Literal(version)),
        ox.Triple(dataset, _iri(VOID + "sparqlEndpoint"), _iri(endpoint)),
        ox.Triple(dataset, _iri(VOID + "uriSpace"), ox.Literal(uri_space)),
        ox.Triple(dataset, _iri(VOID + "triples"), _int(stats.triples)),
        ox.Triple(dataset, _iri(VOID + "distinctSubjects"), _int(stats.distinct_subjects)),
        ox.Triple(dataset, _iri(VOID + "distinctObjects"), _int(stats.distinct_objects)),
        ox.Triple(dataset, _iri(VOID + "classes"), _int(len(stats.classes))),
        ox.Triple(dataset, _iri(VOID + "properties"), _int(len(stats.properties))),
    ]
    for prefix in ("mgi", "org", "schema", "skos", "dcterms", "prov"):
        t.append(ox.Triple(dataset, _iri(VOID + "vocabulary"), _iri(PREFIXES[prefix])))
    for cls, count in stats.classes:
        part = ox.BlankNode()
        t += [
            ox.Triple(dataset, _iri(VOID + "classPartition"), part),
            ox.Triple(part, _iri(VOID + "class"), _iri(cls)),
            ox.Triple(part, _iri(VOID + "entities"), _int(count)),
        ]
    for prop, count in stats.properties:
        part = ox.BlankNode()
        t += [
            ox.Triple(dataset, _iri(VOID + "propertyPartition"), part),
            ox.Triple(part, _iri(VOID + "property"), _iri(prop)),
            ox.Triple(part, _iri(VOID + "triples"), _int(count)),
        ]
    for name, triples in stats.graphs:
        part = ox.BlankNode()
        t += [
            ox.Triple(dataset, _iri(VOID + "subset"), part),
            ox.Triple(part, *_a(VOID + "Dataset")),
            ox.Triple(part, _iri(SD + "name"), _iri(name)),
            ox.Triple(part, _iri(VOID + "triples"), _int(triples)),
        ]
    return t


_EXECUTABLE = {
    QueryForm.SELECT: ("SPARQLSelectExecutable", "select"),
    QueryForm.ASK: ("SPARQLAskExecutable", "ask"),
    QueryForm.CONSTRUCT: ("SPARQLConstructExecutable", "construct"),
    QueryForm.DESCRIBE: ("SPARQLDescribeExecutable", "describe"),
}


def examples_description(
    examples: Iterable[Example], *, base: str, endpoint: str
) -> list[ox.Triple]:
    """The SIB sparql-examples convention: one sh:SPARQLExecutable per query."""
    prefixes = _iri(base + "#prefixes")
    t = [ox.Triple(prefixes, *_a("http://www.w3.org/2002/07/owl#Ontology"))]
    for prefix, namespace in PREFIXES.items():
        declaration = ox.BlankNode()
        t += [
            ox.Triple(prefixes, _iri(SH + "declare"), declaration),
            ox.Triple(declaration, _iri(SH + "prefix"), ox.Literal(prefix)),
            ox.Triple(
                declaration,
                _iri(SH + "namespace"),
                ox.Literal(namespace, datatype=_iri(XSD + "anyURI")),
            ),
        ]
    for example in examples:
        node = _iri(f"{base}#{example.name}")
        cls, prop = _EXECUTABLE.get(example.form or QueryForm.SELECT, _EXECUTABLE[QueryForm.SELECT])
        t += [
            ox.Triple(node, *_a(SH + "SPARQLExecutable")),
            ox.Triple(node, *_a(SH + cls)),
            ox.Triple(node, _iri(RDFS + "label"), ox.Literal(example.title, language="en")),
            ox.Triple(node, _iri(SH + prop), ox.Literal(example.query)),
            ox.Triple(node, _iri(SH + "prefixes"), prefixes),
            ox.Triple(node, _iri(SCHEMA + "target"), _iri(endpoint)),
        ]
        if example.description:
            t.append(
                ox.Triple(
                    node, _iri(RDFS + "comment"), ox.Literal(example.description, language="en")
                )
            )
        for tag in example.tags:
            t.append(ox.Triple(node, _iri(SCHEMA + "keywords"), ox.Literal(tag)))
    return t


def serialize(triples: list[ox.Triple], media: MediaType) -> bytes:
    fmt = RDF_FORMATS[media]
    prefixes = DESCRIPTION_PREFIXES if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None
    return ox.serialize(triples, format=fmt, prefixes=prefixes) or b""
