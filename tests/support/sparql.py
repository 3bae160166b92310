"""SPARQL asked of a running server by the tests: rows as plain dicts, counts."""

from __future__ import annotations

from tests.support.servers import Server

P = """PREFIX mgi: <https://w3id.org/mgi/def#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX schema: <https://schema.org/>
"""


def sparql(server: Server, query: str) -> list[dict[str, str]]:
    with server.client() as client:
        response = client.post(
            "/sparql",
            data={"query": P + query},
            headers={"Accept": "application/sparql-results+json"},
        )
    assert response.status_code == 200, response.text
    return [
        {k: v["value"] for k, v in row.items()} for row in response.json()["results"]["bindings"]
    ]


def count(server: Server, query: str) -> int:
    return int(sparql(server, query)[0]["n"])
