"""Self-description: service description formats, VoID with counts, sparql-examples."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import rdflib
from rdflib import RDF, RDFS, Namespace

if TYPE_CHECKING:
    from tests.support.servers import Server

pytestmark = pytest.mark.e2e

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")
SH = Namespace("http://www.w3.org/ns/shacl#")
SCHEMA = Namespace("https://schema.org/")
MGI = Namespace("https://w3id.org/mgi/def#")
QUERIES = Path(__file__).resolve().parents[2] / "queries"


def _graph(server: Server, path: str, accept: str = "text/turtle") -> rdflib.Graph:
    with server.client() as client:
        response = client.get(path, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(accept)
    assert "Accept" in response.headers["vary"]
    fmt = {"text/turtle": "turtle", "application/ld+json": "json-ld", "application/rdf+xml": "xml"}
    return rdflib.Graph().parse(data=response.content, format=fmt[accept])


def _select(server: Server, query: str) -> list[dict[str, str]]:
    with server.client() as client:
        bindings = client.get("/sparql", params={"query": query}).json()["results"]["bindings"]
    return [{k: v["value"] for k, v in b.items()} for b in bindings]


@pytest.mark.parametrize("accept", ["text/turtle", "application/ld+json", "application/rdf+xml"])
def test_service_description_formats(server: Server, accept: str) -> None:
    graph = _graph(server, "/sparql", accept)
    endpoint = rdflib.URIRef(server.sparql)
    assert (endpoint, RDF.type, SD.Service) in graph
    assert (endpoint, SD.supportedLanguage, SD.SPARQL11Query) in graph
    formats = {str(f).rsplit("/", 1)[-1] for f in graph.objects(endpoint, SD.resultFormat)}
    assert {"SPARQL_Results_JSON", "SPARQL_Results_CSV", "Turtle", "JSON-LD", "RDF_XML"} <= formats


def test_service_description_lists_every_named_graph(server: Server) -> None:
    graph = _graph(server, "/sparql")
    described = {str(n) for n in graph.objects(None, SD.name)}
    actual = {r["g"] for r in _select(server, "SELECT DISTINCT ?g WHERE { GRAPH ?g {} }")}
    assert described == actual and len(actual) >= 2


def test_void_counts_match_the_store(server: Server) -> None:
    graph = _graph(server, "/.well-known/void")
    dataset = next(graph.subjects(RDF.type, VOID.Dataset))
    total = int(_select(server, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")[0]["n"])
    assert int(graph.value(dataset, VOID.triples)) == total
    findings = int(
        _select(server, f"SELECT (COUNT(DISTINCT ?f) AS ?n) {{ ?f a <{MGI.Finding}> }}")[0]["n"]
    )
    partitions = {
        graph.value(p, VOID["class"]): int(graph.value(p, VOID.entities))
        for p in graph.objects(dataset, VOID.classPartition)
    }
    assert partitions[MGI.Finding] == findings
    properties = {
        graph.value(p, VOID.property): int(graph.value(p, VOID.triples))
        for p in graph.objects(dataset, VOID.propertyPartition)
    }
    assert properties[MGI.hasFinding] == findings
    assert str(graph.value(dataset, VOID.sparqlEndpoint)) == server.sparql


def test_void_in_json_ld(server: Server) -> None:
    assert len(_graph(server, "/.well-known/void", "application/ld+json")) > 10


def test_sparql_examples(server: Server) -> None:
    graph = _graph(server, "/.well-known/sparql-examples")
    executables = set(graph.subjects(RDF.type, SH.SPARQLExecutable))
    names = {p.stem for p in QUERIES.glob("*.rq")}
    assert {str(e).rsplit("#", 1)[-1] for e in executables} == names
    for node in executables:
        assert graph.value(node, RDFS.label) is not None
        assert graph.value(node, RDFS.comment) is not None
        assert list(graph.objects(node, SCHEMA.keywords))
        query = graph.value(node, SH.select) or graph.value(node, SH.construct)
        assert query is not None and "PREFIX mgi:" in str(query)
        assert str(graph.value(node, SCHEMA.target)) == server.sparql


def test_descriptions_revalidate(server: Server) -> None:
    with server.client() as client:
        first = client.get("/.well-known/void")
        again = client.get("/.well-known/void", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
