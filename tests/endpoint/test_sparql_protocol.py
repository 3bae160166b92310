"""One test per protocol status code of /sparql, over a real `kb serve`."""

from __future__ import annotations

import http.client
from typing import TYPE_CHECKING
from urllib.parse import urlencode

import pytest

if TYPE_CHECKING:
    from tests.support.servers import Server

pytestmark = pytest.mark.e2e

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
FINDINGS = "PREFIX mgi: <https://w3id.org/mgi/def#> ASK { ?f a mgi:Finding }"


def test_200_get(server: Server) -> None:
    with server.client() as client:
        response = client.get("/sparql", params={"query": COUNT})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/sparql-results+json"
    assert int(response.json()["results"]["bindings"][0]["n"]["value"]) > 1000


def test_200_post_form(server: Server) -> None:
    with server.client() as client:
        response = client.post("/sparql", data={"query": FINDINGS})
    assert response.status_code == 200
    assert response.json()["boolean"] is True


def test_200_post_direct(server: Server) -> None:
    with server.client() as client:
        response = client.post(
            "/sparql",
            content=FINDINGS.encode(),
            headers={"Content-Type": "application/sparql-query; charset=utf-8"},
        )
    assert response.status_code == 200
    assert response.json()["boolean"] is True


def test_200_head_has_headers_and_no_body(server: Server) -> None:
    with server.client() as client:
        get = client.get("/sparql", params={"query": COUNT})
        head = client.head("/sparql", params={"query": COUNT})
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    assert head.headers["etag"] == get.headers["etag"]


def test_200_trailing_slash_is_the_same_endpoint(server: Server) -> None:
    with server.client() as client:
        plain = client.get("/sparql", params={"query": FINDINGS})
        slash = client.get("/sparql/", params={"query": FINDINGS})
    assert plain.status_code == slash.status_code == 200
    assert plain.json() == slash.json()


def test_304_on_revalidation(server: Server) -> None:
    with server.client() as client:
        first = client.get("/sparql", params={"query": COUNT})
        again = client.get(
            "/sparql", params={"query": COUNT}, headers={"If-None-Match": first.headers["etag"]}
        )
        since = client.get(
            "/sparql",
            params={"query": COUNT},
            headers={"If-Modified-Since": first.headers["last-modified"]},
        )
        other = client.get(
            "/sparql",
            params={"query": COUNT},
            headers={"If-None-Match": first.headers["etag"], "Accept": "text/csv"},
        )
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == first.headers["etag"]
    assert since.status_code == 304
    assert other.status_code == 200  # another representation, another tag


def test_400_syntax_error_as_text(server: Server) -> None:
    with server.client() as client:
        response = client.get("/sparql", params={"query": "SELECT * WHERE {"})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/plain")
    assert response.text.startswith("400 query_syntax: error at 1:17")


def test_400_syntax_error_as_json_for_json_clients(server: Server) -> None:
    with server.client() as client:
        response = client.get(
            "/sparql",
            params={"query": "SELECT * WHERE { ?s ?p }"},
            headers={"Accept": "application/sparql-results+json"},
        )
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "query_syntax"
    assert "1:25" in body["detail"]
    assert (body["line"], body["column"]) == (1, 25)


def test_400_two_queries(server: Server) -> None:
    with server.client() as client:
        response = client.get("/sparql", params=[("query", "ASK {}"), ("query", "ASK {}")])
    assert response.status_code == 400
    assert "exactly one" in response.text


def test_400_post_without_query(server: Server) -> None:
    with server.client() as client:
        response = client.post("/sparql", data={"default-graph-uri": "http://example.org/g"})
    assert response.status_code == 400


def test_400_bad_timeout(server: Server) -> None:
    with server.client() as client:
        response = client.get("/sparql", params={"query": "ASK {}", "timeout": "soon"})
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("method", "kwargs"),
    [
        ("POST", {"data": {"update": "CLEAR ALL"}}),
        (
            "POST",
            {"content": b"CLEAR ALL", "headers": {"Content-Type": "application/sparql-update"}},
        ),
        ("GET", {"params": {"update": "CLEAR ALL"}}),
        ("POST", {"data": {"query": "DROP ALL"}}),
        ("GET", {"params": {"query": "LOAD <http://example.org/x.ttl>"}}),
    ],
    ids=["form-update", "direct-update", "get-update", "update-as-query", "load"],
)
def test_403_updates_are_refused(server: Server, method: str, kwargs: dict) -> None:
    with server.client() as client:
        response = client.request(method, "/sparql", **kwargs)
    assert response.status_code == 403
    assert "read-only" in response.text


def test_405_other_methods(server: Server) -> None:
    with server.client() as client:
        response = client.put("/sparql", content=b"ASK {}")
    assert response.status_code == 405
    assert "GET" in response.headers["allow"]


def test_406_lists_supported_types(server: Server) -> None:
    with server.client() as client:
        response = client.get("/sparql", params={"query": COUNT}, headers={"Accept": "image/png"})
        json_client = client.get(
            "/sparql",
            params={"query": "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1"},
            headers={"Accept": "text/csv, application/json;q=0.1"},
        )
    assert response.status_code == 406
    assert "application/sparql-results+json" in response.text
    assert "text/tab-separated-values" in response.text
    # application/json is on offer for graphs (as JSON-LD), so that one is a 200.
    assert json_client.status_code == 200
    assert json_client.headers["content-type"] == "application/ld+json"


def test_413_body_too_large(server: Server) -> None:
    padding = "#" * 1_100_000
    with server.client() as client:
        response = client.post(
            "/sparql",
            content=f"ASK {{}}\n{padding}".encode(),
            headers={"Content-Type": "application/sparql-query"},
        )
    assert response.status_code == 413


def test_413_query_too_long_in_post(server: Server) -> None:
    query = "ASK {}\n" + "#" * 70_000
    with server.client() as client:
        response = client.post("/sparql", data={"query": query})
    assert response.status_code == 413


def test_414_query_too_long_in_get(server: Server) -> None:
    # httpx refuses URLs this long, so the request goes out through http.client.
    query = urlencode({"query": "ASK {}" + " " * 70_000})
    host, port = server.base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        connection.request("GET", f"/sparql?{query}")
        status = connection.getresponse().status
    finally:
        connection.close()
    assert status == 414


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/json"])
def test_415_unknown_body_type(server: Server, content_type: str | None) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    with server.client() as client:
        response = client.post("/sparql", content=b"ASK {}", headers=headers)
    assert response.status_code == 415


def test_415_non_utf8_charset(server: Server) -> None:
    with server.client() as client:
        response = client.post(
            "/sparql",
            content="ASK {}".encode("utf-16"),
            headers={"Content-Type": "application/sparql-query; charset=UTF-16"},
        )
    assert response.status_code == 415
