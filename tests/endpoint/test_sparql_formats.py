"""Content negotiation, HTTP caching, gzip, CORS and reverse-proxy use of /sparql."""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pyoxigraph as ox
import pytest
import rdflib

from tests.support.servers import KnowledgeGraph, running_server

if TYPE_CHECKING:
    from tests.support.servers import Server

pytestmark = pytest.mark.e2e

SELECT = (
    "PREFIX mgi: <https://w3id.org/mgi/def#> "
    "SELECT ?f ?text WHERE { ?f a mgi:Finding ; mgi:text ?text } ORDER BY ?f LIMIT 7"
)
CONSTRUCT = (
    "PREFIX mgi: <https://w3id.org/mgi/def#> "
    "CONSTRUCT { ?f mgi:domain ?d } WHERE { ?f mgi:domain ?d } ORDER BY ?f LIMIT 9"
)
ASK = "PREFIX mgi: <https://w3id.org/mgi/def#> ASK { ?f a mgi:Finding }"

RESULT_PARSERS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
RDF_PARSERS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
    "application/n-quads": "nquads",
    "application/trig": "trig",
}


def _media(response: httpx.Response) -> str:
    return response.headers["content-type"].split(";")[0]


@pytest.mark.parametrize("media", list(RESULT_PARSERS))
def test_select_in_every_results_format(server: Server, media: str) -> None:
    with server.client() as client:
        response = client.get("/sparql", params={"query": SELECT}, headers={"Accept": media})
    assert response.status_code == 200
    assert _media(response) == media
    assert "Accept" in response.headers["vary"]
    if media == "text/csv":
        assert response.text.count("\r\n") >= 8  # header + 7 rows (texts may hold more)
    else:
        rows = list(ox.parse_query_results(response.content, format=RESULT_PARSERS[media]))
        assert len(rows) == 7


@pytest.mark.parametrize(
    "media", ["application/sparql-results+json", "application/sparql-results+xml"]
)
def test_ask_in_json_and_xml(server: Server, media: str) -> None:
    with server.client() as client:
        response = client.get("/sparql", params={"query": ASK}, headers={"Accept": media})
    assert _media(response) == media
    result = ox.parse_query_results(response.content, format=RESULT_PARSERS[media])
    assert bool(result) is True


@pytest.mark.parametrize("media", list(RDF_PARSERS))
def test_construct_in_every_rdf_format(server: Server, media: str) -> None:
    with server.client() as client:
        response = client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": media})
    assert response.status_code == 200
    assert _media(response) == media
    fmt = RDF_PARSERS[media]
    if fmt in ("nquads", "trig"):
        graph = rdflib.Dataset()
        graph.parse(data=response.content, format=fmt)
        assert len(list(graph.quads())) == 9
    else:
        assert len(rdflib.Graph().parse(data=response.content, format=fmt)) == 9


@pytest.mark.parametrize(
    ("query", "accept", "expected"),
    [
        (SELECT, "text/csv;q=0.5, text/tab-separated-values;q=0.9", "text/tab-separated-values"),
        (SELECT, "text/*;q=0.9, text/csv", "text/csv"),
        (
            SELECT,
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "application/sparql-results+xml",
        ),
        (SELECT, "text/html,*/*;q=0.8", "application/sparql-results+json"),
        (SELECT, None, "application/sparql-results+json"),
        (CONSTRUCT, None, "text/turtle"),
        (
            CONSTRUCT,
            "application/rdf+xml;q=0.3, application/n-triples;q=0.6",
            "application/n-triples",
        ),
        (CONSTRUCT, "application/sparql-results+json, */*;q=0.1", "text/turtle"),
    ],
)
def test_q_values_are_honoured(
    server: Server, query: str, accept: str | None, expected: str
) -> None:
    headers = {"Accept": accept} if accept else {}
    with server.client() as client:
        response = client.get("/sparql", params={"query": query}, headers=headers)
    assert response.status_code == 200
    assert _media(response) == expected


@pytest.mark.parametrize(
    ("query", "fmt", "expected"),
    [
        (SELECT, "csv", "text/csv"),
        (SELECT, "xml", "application/sparql-results+xml"),
        (SELECT, "text/tab-separated-values", "text/tab-separated-values"),
        (CONSTRUCT, "json", "application/ld+json"),
        (CONSTRUCT, "nt", "application/n-triples"),
        (ASK, "json", "application/sparql-results+json"),
    ],
)
def test_format_parameter_overrides_accept(
    server: Server, query: str, fmt: str, expected: str
) -> None:
    with server.client() as client:
        response = client.get(
            "/sparql", params={"query": query, "format": fmt}, headers={"Accept": "text/html"}
        )
    assert response.status_code == 200
    assert _media(response) == expected


def test_unknown_format_parameter_is_406(server: Server) -> None:
    with server.client() as client:
        response = client.get("/sparql", params={"query": SELECT, "format": "yaml"})
    assert response.status_code == 406


def test_cache_headers(server: Server) -> None:
    with server.client() as client:
        response = client.get("/sparql", params={"query": SELECT})
    assert response.headers["cache-control"].startswith("public, max-age=")
    assert response.headers["etag"].startswith('W/"')
    assert response.headers["last-modified"].endswith("GMT")
    assert response.headers["mgi-dataset-version"] in response.headers["etag"]


def test_large_results_are_gzipped(server: Server) -> None:
    query = "SELECT * WHERE { ?s ?p ?o } LIMIT 500"
    with server.client() as client:
        raw = client.stream(
            "GET", "/sparql", params={"query": query}, headers={"Accept-Encoding": "gzip"}
        )
        with raw as response:
            body = b"".join(response.iter_raw())
            assert response.headers["content-encoding"] == "gzip"
            assert "Accept-Encoding" in response.headers["vary"]
        small = client.get("/sparql", params={"query": ASK}, headers={"Accept-Encoding": "gzip"})
    assert len(json.loads(gzip.decompress(body))["results"]["bindings"]) == 500
    assert "content-encoding" not in small.headers


def test_cors_preflight(server: Server) -> None:
    with server.client() as client:
        response = client.options(
            "/sparql",
            headers={
                "Origin": "https://yasgui.example",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type",
            },
        )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    assert "POST" in response.headers["access-control-allow-methods"]
    assert "access-control-allow-credentials" not in response.headers


def test_cors_on_a_query(server: Server) -> None:
    with server.client() as client:
        response = client.post(
            "/sparql", data={"query": ASK}, headers={"Origin": "https://yasgui.example"}
        )
    assert response.headers["access-control-allow-origin"] == "*"
    assert "x-result-truncated" in response.headers["access-control-expose-headers"].lower()


@pytest.fixture(scope="module")
def proxied_server(
    knowledge_graph: KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    with running_server(
        knowledge_graph.root, tmp_path_factory.mktemp("logs"), workers=1, root_path="/mgi"
    ) as running:
        yield running


@pytest.mark.parametrize("path", ["/mgi/sparql", "/mgi/sparql/", "/sparql"])
def test_behind_a_proxy_with_a_prefix(proxied_server: Server, path: str) -> None:
    """The prefix may be kept (/mgi/sparql) or stripped (/sparql) by the proxy."""
    with proxied_server.client() as client:
        response = client.get(path, params={"query": ASK})
    assert response.status_code == 200
    assert response.json()["boolean"] is True


def test_service_description_names_the_configured_public_url(
    knowledge_graph: KnowledgeGraph, tmp_path: Path
) -> None:
    """Behind a proxy the endpoint's public address is a setting (issue 12.7): the
    Host and X-Forwarded-* headers of a request never reach the description."""
    public = "https://data.example.org/mgi/"
    with (
        running_server(
            knowledge_graph.root, tmp_path, workers=1, root_path="/mgi", public_url=public
        ) as server,
        server.client() as client,
    ):
        response = client.get(
            "/mgi/sparql",
            headers={"X-Forwarded-Proto": "http", "Host": "evil.example", "Accept": "text/turtle"},
        )
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    endpoint = rdflib.URIRef(public + "sparql")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    assert (endpoint, sd.endpoint, endpoint) in graph
    assert "evil.example" not in response.text


def test_gzip_body_is_a_valid_stream() -> None:
    # The helper above relies on gzip.decompress accepting one member.
    assert gzip.decompress(gzip.compress(b"x")) == b"x"
    assert io.BytesIO(b"").read() == b""
