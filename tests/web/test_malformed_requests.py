"""Issue 12.5: every malformed request gets a 4xx in the project's own error
shape (HTML for browsers) and never a 5xx or an empty reply; the keep-alive
connection stays usable after each."""

from __future__ import annotations

import socket

import pytest

from tests.support.servers import Server

pytestmark = pytest.mark.e2e

# (path and query, status)
MALFORMED = [
    ("/id/org/a%20b", 404),
    ("/doc/org/a%20b", 404),
    ("/doc/org/a%20b.ttl", 404),
    ("/id/org/x%00", 404),
    ("/doc/org/x.ttl%00", 404),
    ("/id/org/x%0D%0Ay", 404),
    ("/id/finding/%FF", 404),
    ("/id/finding/%C3%A9%E2%82%AC", 404),
    ("/id/org/%ZZ", 404),
    ("/resource?iri=http://x%20y", 404),
    ("/resource?iri=http://a/b%23%00", 404),
    ("/resource?iri=%E2%82%AC", 404),
    ("/explore/static/%00", 404),
    ("/explore/static/..%2F..%2Fpyproject.toml", 404),
    ("/explore/org/%00", 404),
    ("/explore/place/%FF%FE", 404),
    ("/api/institutions/%00", 404),
    ("/explore/institutions?page=-1", 400),
    ("/explore/institutions?page=abc", 400),
    ("/explore/institutions?page=99999999999999999999", 400),
    ("/api/institutions?offset=999999999999999999999", 400),
    ("/api/institutions?offset=-5", 400),
    ("/api/institutions?limit=abc", 400),
    ("/sparql?query=%FF", 400),
    ("/sparql?query=ASK%7B%7D&timeout=nan", 400),
]


@pytest.mark.parametrize(("target", "status"), MALFORMED)
def test_malformed_requests_get_a_4xx_in_the_project_shape(
    server: Server, target: str, status: int
) -> None:
    with server.client() as client:
        response = client.get(target, headers={"Accept": "application/json"})
        assert response.status_code == status, response.text[:200]
        if response.headers["content-type"].startswith("application/json"):
            body = response.json()
            assert set(body) >= {"error", "detail"} and "loc" not in str(body)
        # the same connection still answers
        assert client.get("/health").status_code == 200


def test_a_browser_gets_an_html_error_page(server: Server) -> None:
    with server.client() as client:
        response = client.get(
            "/explore/institutions?page=abc", headers={"Accept": "text/html,*/*;q=0.8"}
        )
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    assert "bad_request" in response.text and "<script" not in response.text


@pytest.mark.parametrize(
    "request_line",
    [
        b"GET /id/org/\xe2\x82\xac HTTP/1.1",
        b"GET /id/org/x#\xe2\x82\xac HTTP/1.1",
        b"GET /id/org/x#a\x00b HTTP/1.1",
        b"GET /id/org/x#a\r\nb HTTP/1.1",
    ],
)
def test_raw_bytes_in_the_request_line_get_a_4xx_not_an_empty_reply(
    server: Server, request_line: bytes
) -> None:
    host, port = server.base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(request_line + b"\r\nHost: localhost\r\n\r\n")
        reply = sock.recv(200)
    assert reply.startswith(b"HTTP/1.1 4"), reply
