"""Real SPARQL clients against `kb serve`: SPARQLWrapper and rdflib's SPARQLStore."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import GET, JSON, POST, TURTLE, XML, SPARQLWrapper

if TYPE_CHECKING:
    from tests.support.servers import Server

pytestmark = pytest.mark.e2e

SELECT = """PREFIX mgi: <https://w3id.org/mgi/def#>
SELECT ?assessment (COUNT(?f) AS ?n) WHERE { ?f a mgi:Finding ; mgi:assessment ?assessment }
GROUP BY ?assessment ORDER BY ?assessment"""
CONSTRUCT = """PREFIX mgi: <https://w3id.org/mgi/def#>
CONSTRUCT { ?f mgi:assessment ?a } WHERE { ?f a mgi:Finding ; mgi:assessment ?a }"""
ASK = "PREFIX mgi: <https://w3id.org/mgi/def#> ASK { ?f a mgi:Finding }"


def _total(counts: dict[str, int]) -> int:
    return sum(counts.values())


@pytest.mark.parametrize("method", [GET, POST])
def test_sparqlwrapper_select(server: Server, method: str) -> None:
    sparql = SPARQLWrapper(server.sparql)
    sparql.setMethod(method)
    sparql.setQuery(SELECT)
    sparql.setReturnFormat(JSON)
    result = sparql.query().convert()
    counts = {b["assessment"]["value"]: int(b["n"]["value"]) for b in result["results"]["bindings"]}
    assert len(counts) == 2
    assert _total(counts) >= 33


@pytest.mark.parametrize("fmt", [TURTLE, XML])
def test_sparqlwrapper_construct(server: Server, fmt: str) -> None:
    sparql = SPARQLWrapper(server.sparql)
    sparql.setQuery(CONSTRUCT)
    sparql.setReturnFormat(fmt)
    result = sparql.query().convert()
    graph = result if isinstance(result, rdflib.Graph) else rdflib.Graph().parse(data=result)
    assert len(graph) >= 33


def test_sparqlwrapper_ask(server: Server) -> None:
    sparql = SPARQLWrapper(server.sparql)
    sparql.setQuery(ASK)
    sparql.setReturnFormat(JSON)
    assert sparql.query().convert()["boolean"] is True


@pytest.mark.parametrize("method", ["GET", "POST", "POST_FORM"])
def test_rdflib_sparqlstore_select(server: Server, method: str) -> None:
    store = SPARQLStore(server.sparql, method=method, returnFormat="json")
    graph = rdflib.Graph(store)
    rows = list(graph.query(SELECT))
    assert len(rows) == 2
    assert sum(int(row.n) for row in rows) >= 33


def test_rdflib_sparqlstore_construct_and_ask(server: Server) -> None:
    graph = rdflib.Graph(SPARQLStore(server.sparql))
    constructed = graph.query(CONSTRUCT).graph
    assert constructed is not None and len(constructed) >= 33
    assert graph.query(ASK).askAnswer is True


def test_rdflib_sparqlstore_xml_results(server: Server) -> None:
    graph = rdflib.Graph(SPARQLStore(server.sparql, returnFormat="xml"))
    assert len(list(graph.query(SELECT))) == 2
