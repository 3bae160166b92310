"""The W3C SPARQL 1.1 Protocol and Service Description tests, run against `kb serve`.

Read from the shared copy of w3c/rdf-tests. Every request of every protocol
test is sent as the manifest describes it (path, method, headers, body in its
declared encoding). Query tests must meet the expected status and result;
the update tests do not apply to a read-only service and must be refused
(403), and the data must be unchanged afterwards.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest
import rdflib
from rdflib import RDF, Namespace
from rdflib.collection import Collection

if TYPE_CHECKING:
    from tests.support.servers import Server

W3C = Path(__file__).resolve().parents[3] / "shared" / "w3c-rdf-tests" / "sparql11"

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")


@dataclass
class ProtocolRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: set[str]
    boolean: bool | None
    result_format: str | None


@dataclass
class ProtocolTest:
    name: str
    title: str
    requests: list[ProtocolRequest] = field(default_factory=list)

    @property
    def is_update(self) -> bool:
        return self.name.startswith("update_")


def _load_protocol_tests() -> list[ProtocolTest]:
    graph = rdflib.Graph().parse(W3C / "protocol" / "manifest.ttl", format="turtle")
    manifest = next(graph.subjects(RDF.type, MF.Manifest))
    tests = []
    for entry in Collection(graph, graph.value(manifest, MF.entries)):
        name = str(entry).rsplit("#", 1)[-1]
        test = ProtocolTest(name, str(graph.value(entry, MF.name)))
        action = graph.value(entry, MF.action)
        for req in Collection(graph, graph.value(action, HT.requests)):
            headers = {}
            header_list = graph.value(req, HT.headers)
            if header_list is not None:
                for header in Collection(graph, header_list):
                    headers[str(graph.value(header, HT.fieldName))] = str(
                        graph.value(header, HT.fieldValue)
                    )
            body_node = graph.value(req, HT.body)
            body = None
            if body_node is not None:
                encoding = str(graph.value(body_node, CNT.characterEncoding) or "UTF-8")
                body = str(graph.value(body_node, CNT.chars)).encode(encoding.lower())
            resp = graph.value(req, HT.resp)
            expected_boolean = graph.value(resp, MF.expectedBoolean)
            expected_format = graph.value(resp, MF.expectedFormat)
            test.requests.append(
                ProtocolRequest(
                    method=str(graph.value(req, HT.methodName)),
                    path=str(graph.value(req, HT.absolutePath)),
                    headers=headers,
                    body=body,
                    statuses={
                        str(s).rsplit("#", 1)[-1] for s in graph.objects(resp, MF.expectedStatus)
                    },
                    boolean=None if expected_boolean is None else bool(expected_boolean.toPython()),
                    result_format=None if expected_format is None else str(expected_format),
                )
            )
        tests.append(test)
    return tests


PROTOCOL_TESTS = _load_protocol_tests()


def test_the_manifest_has_all_34_tests() -> None:
    assert len(PROTOCOL_TESTS) == 34


def _status_class(status: int) -> str:
    return f"StatusCode{status // 100}xx"


def _send(client: httpx.Client, request: ProtocolRequest) -> httpx.Response:
    return client.request(
        request.method, request.path, headers=request.headers, content=request.body
    )


def _check_result(request: ProtocolRequest, response: httpx.Response) -> None:
    media = response.headers.get("content-type", "").split(";")[0]
    if request.result_format == "boolean":
        assert media in ("application/sparql-results+json", "application/sparql-results+xml")
        if request.boolean is None:
            return
        if media.endswith("json"):
            assert response.json()["boolean"] is request.boolean
        else:
            assert f"<boolean>{str(request.boolean).lower()}</boolean>" in response.text
    elif request.result_format == "tabular":
        assert media in (
            "application/sparql-results+json",
            "application/sparql-results+xml",
            "text/csv",
            "text/tab-separated-values",
        )
        assert response.json()["results"]["bindings"][0]["value"]["value"] == "1"
    elif request.result_format == "RDF":
        assert media in ("application/rdf+xml", "text/turtle", "application/n-triples")
        rdflib.Graph().parse(
            data=response.content, format={"text/turtle": "turtle"}.get(media, media)
        )


@pytest.mark.e2e
@pytest.mark.parametrize(
    "test", [t for t in PROTOCOL_TESTS if not t.is_update], ids=lambda t: t.name
)
def test_protocol_query(w3c_server: Server, test: ProtocolTest) -> None:
    with w3c_server.client() as client:
        for request in test.requests:
            response = _send(client, request)
            assert _status_class(response.status_code) in request.statuses, (
                test.title,
                response.status_code,
                response.text,
            )
            if response.status_code < 300:
                _check_result(request, response)


def _snapshot(client: httpx.Client) -> list[dict]:
    query = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g ?s ?p ?o"
    return client.get("/sparql", params={"query": query}).json()["results"]["bindings"]


@pytest.mark.e2e
@pytest.mark.parametrize("test", [t for t in PROTOCOL_TESTS if t.is_update], ids=lambda t: t.name)
def test_protocol_update_is_refused(w3c_server: Server, test: ProtocolTest) -> None:
    """A read-only service answers the update request with 403 and changes nothing."""
    with w3c_server.client() as client:
        before = _snapshot(client)
        response = _send(client, test.requests[0])
        assert response.status_code == 403, response.text
        assert "read-only" in response.text
        assert _snapshot(client) == before


def _service_description(server: Server, path: str = "/sparql/") -> rdflib.Graph:
    response = httpx.get(server.base + path, headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    return rdflib.Graph().parse(data=response.text, format="turtle")


def _sd_manifest_names() -> list[str]:
    graph = rdflib.Graph().parse(W3C / "service-description" / "manifest.ttl", format="turtle")
    manifest = next(graph.subjects(RDF.type, MF.Manifest))
    return [str(e).rsplit("#", 1)[-1] for e in Collection(graph, graph.value(manifest, MF.entries))]


def test_service_description_manifest_names_three_tests() -> None:
    assert _sd_manifest_names() == ["has-endpoint-triple", "returns-rdf", "conforms-to-schema"]


@pytest.mark.e2e
@pytest.mark.parametrize("path", ["/sparql", "/sparql/"])
def test_sd_returns_rdf(w3c_server: Server, path: str) -> None:
    assert len(_service_description(w3c_server, path)) > 0


@pytest.mark.e2e
@pytest.mark.parametrize("path", ["/sparql", "/sparql/"])
def test_sd_has_endpoint_triple(w3c_server: Server, path: str) -> None:
    graph = _service_description(w3c_server, path)
    endpoint = rdflib.URIRef(w3c_server.base + path)
    assert (endpoint, SD.endpoint, endpoint) in graph


@pytest.mark.e2e
def test_sd_conforms_to_schema(w3c_server: Server) -> None:
    """Types and ranges as the Service Description vocabulary defines them."""
    graph = _service_description(w3c_server)
    services = list(graph.subjects(RDF.type, SD.Service))
    assert len(services) == 1
    service = services[0]
    assert isinstance(graph.value(service, SD.endpoint), rdflib.URIRef)
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph
    assert SD.SPARQL11Update not in set(graph.objects(service, SD.supportedLanguage))
    for fmt in graph.objects(service, SD.resultFormat):
        assert str(fmt).startswith("http://www.w3.org/ns/formats/")
    dataset = graph.value(service, SD.defaultDataset)
    assert (dataset, RDF.type, SD.Dataset) in graph
    assert (graph.value(dataset, SD.defaultGraph), RDF.type, SD.Graph) in graph
    names = set()
    for named in graph.objects(dataset, SD.namedGraph):
        assert (named, RDF.type, SD.NamedGraph) in graph
        names.add(str(graph.value(named, SD.name)))
        assert (graph.value(named, SD.graph), RDF.type, SD.Graph) in graph
    assert names == {f"http://kasei.us/2009/09/sparql/data/data{n}.rdf" for n in (1, 2, 3)}


def test_results_json_is_json() -> None:
    # Guards _check_result's JSON branch against a silent change of the fixture format.
    assert json.loads('{"boolean": true}')["boolean"] is True
