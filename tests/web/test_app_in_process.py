"""The in-process tier: `create_app(Settings(...))` under a test client, lifespan
included (real query workers over the real build), for the error table and
for settings that must reach every part of the app."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote_plus

import httpx
import pytest
from fastapi.testclient import TestClient

from kb.settings import Settings
from kb.web import create_app
from tests.support.oxigraph import OXIGRAPH, oxigraph_server
from tests.support.servers import REPO, KnowledgeGraph

JSON = {"Accept": "application/json"}


@pytest.fixture(scope="module")
def client(knowledge_graph: KnowledgeGraph) -> Iterator[TestClient]:
    settings = Settings(
        store=knowledge_graph.root,
        queries=REPO / "queries",
        workers=1,
        reload_interval=0,
        access_log=False,
    )
    with TestClient(create_app(settings)) as test_client:
        yield test_client


# (method, path, query parameters or form, extra headers, status, error code)
ERROR_CASES = [
    ("GET", "/sparql", {"query": "SELEC * WHERE {}"}, {}, 400, "query_syntax"),
    ("POST", "/sparql", {"query": "SELECT * WHERE { ?s ?p }"}, {}, 400, "query_syntax"),
    ("POST", "/sparql", {"update": "CLEAR ALL"}, {}, 403, "query_refused"),
    ("GET", "/sparql", {"query": "ASK {}"}, {"Accept": "image/png"}, 406, "not_acceptable"),
    ("POST", "/sparql", {"query": "x" * 70_000}, {}, 413, "request_too_large"),
    ("GET", "/id/org/no-such-body", {}, {}, 404, "not_found"),
    ("DELETE", "/sparql", {}, {}, 405, "method_not_allowed"),
]


@pytest.mark.parametrize(("method", "path", "params", "headers", "status", "code"), ERROR_CASES)
def test_error_table(
    client: TestClient,
    method: str,
    path: str,
    params: dict[str, str],
    headers: dict[str, str],
    status: int,
    code: str,
) -> None:
    all_headers = {**JSON, **headers} if "Accept" not in headers else headers
    if method == "POST":
        response = client.post(path, data=params, headers=all_headers)
    else:
        response = client.request(method, path, params=params, headers=all_headers)
    assert response.status_code == status, response.text
    if "json" in response.headers["content-type"]:
        assert response.json()["error"] == code
    else:
        assert f"{status} {code}:" in response.text


def test_unsupported_body_type_is_415_with_its_code(client: TestClient) -> None:
    response = client.post(
        "/sparql", content=b"ASK {}", headers={**JSON, "Content-Type": "text/plain"}
    )
    assert response.status_code == 415
    assert response.json()["error"] == "unsupported_media_type"


def _recording_proxy(target: str, seen: list[tuple[str, str | None]]) -> type:
    """A handler that forwards every request to `target` (a real Oxigraph server)
    and records each query with the Authorization header it came with."""

    class RecordingProxy(BaseHTTPRequestHandler):
        def _forward(self, body: bytes | None) -> None:
            query = self.path.partition("?")[2]
            if body:
                query += "&" + body.decode()
            seen.append((unquote_plus(query), self.headers.get("Authorization")))
            headers = {k: v for k, v in self.headers.items() if k.lower() in FORWARDED}
            upstream = httpx.request(
                self.command, target + self.path, content=body, headers=headers, timeout=30
            )
            self.send_response(upstream.status_code)
            for name in ("Content-Type",):
                if name in upstream.headers:
                    self.send_header(name, upstream.headers[name])
            self.send_header("Content-Length", str(len(upstream.content)))
            self.end_headers()
            self.wfile.write(upstream.content)

        def do_GET(self) -> None:
            self._forward(None)

        def do_POST(self) -> None:
            self._forward(self.rfile.read(int(self.headers.get("Content-Length") or 0)))

        def log_message(self, *args: object) -> None:
            pass

    return RecordingProxy


FORWARDED = {"accept", "content-type"}


@pytest.mark.skipif(OXIGRAPH is None, reason="the oxigraph server CLI is not installed")
def test_store_auth_from_settings_reaches_the_remote_workers(tmp_path: Path) -> None:
    seen: list[tuple[str, str | None]] = []
    with oxigraph_server(tmp_path / "oxigraph") as upstream:
        listener = ThreadingHTTPServer(("127.0.0.1", 0), _recording_proxy(upstream, seen))
        thread = threading.Thread(target=listener.serve_forever, daemon=True)
        thread.start()
        try:
            # Given as a Settings value only: nothing in the environment names it.
            settings = Settings(
                sparql_endpoint=f"http://127.0.0.1:{listener.server_address[1]}/query",
                store_auth="reader:s3cret",
                queries=REPO / "queries",
                workers=1,
                reload_interval=0,
                access_log=False,
            )
            probe = "SELECT ?probe WHERE { ?probe ?p ?o } LIMIT 1"
            with TestClient(create_app(settings)) as client:
                response = client.get("/sparql", params={"query": probe}, headers=JSON)
            assert response.status_code == 200, response.text
        finally:
            listener.shutdown()
            listener.server_close()
    from_worker = [auth for query, auth in seen if "?probe" in query]
    assert from_worker, seen
    assert all(auth and auth.startswith("Basic ") for auth in from_worker)
