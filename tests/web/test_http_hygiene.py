"""Issue 12.7: HTTP hygiene. HEAD on every GET route, OPTIONS answered, security
headers everywhere, a deadline for request heads, nothing built from the Host
header, API docs served without a CDN, a restart counter that survives builds."""

from __future__ import annotations

import re
import socket
import time
from pathlib import Path

import httpx
import pytest
from starlette.routing import Route

from kb.settings import Settings
from kb.web import create_app
from tests.support.servers import KnowledgeGraph, Server, metric, running_server

pytestmark = pytest.mark.e2e


def get_routes_without_parameters() -> list[str]:
    app = create_app(Settings())
    return sorted(
        route.path
        for route in app.routes
        if isinstance(route, Route) and "GET" in (route.methods or ()) and "{" not in route.path
    )


@pytest.mark.parametrize("path", get_routes_without_parameters())
def test_head_answers_like_get_without_a_body(server: Server, path: str) -> None:
    with server.client() as client:
        got = client.get(path)
        head = client.head(path)
    assert head.status_code == got.status_code, path
    assert head.content == b""
    assert head.headers.get("content-type") == got.headers.get("content-type")
    if "content-length" in got.headers:
        assert head.headers["content-length"] == got.headers["content-length"]


def test_options_without_cors_lists_the_methods(server: Server) -> None:
    with server.client() as client:
        sparql = client.options("/sparql")
        page = client.options("/explore")
        preflight = client.options(
            "/sparql",
            headers={"Origin": "https://yasgui.example", "Access-Control-Request-Method": "POST"},
        )
    assert sparql.status_code == 204 and sparql.headers["allow"] == "GET, HEAD, POST, OPTIONS"
    assert page.status_code == 204 and page.headers["allow"] == "GET, HEAD, OPTIONS"
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["access-control-allow-methods"]


@pytest.mark.parametrize(
    "path", ["/explore", "/api/institutions", "/sparql?query=ASK{}", "/id/org/nothing", "/docs"]
)
def test_security_headers_on_every_kind_of_answer(server: Server, path: str) -> None:
    with server.client() as client:
        response = client.get(path)
    headers = response.headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"


def test_the_explore_slash_redirect_is_relative(server: Server) -> None:
    with server.client() as client:
        response = client.get(
            "/explore/?lang=es", headers={"Host": "evil.example"}, follow_redirects=False
        )
    assert response.status_code == 308
    assert response.headers["location"] == "/explore?lang=es"


def test_public_url_not_the_host_header_names_the_endpoint(
    knowledge_graph: KnowledgeGraph, tmp_path: Path
) -> None:
    public = "https://data.example.org/mgi/"
    with running_server(knowledge_graph.root, tmp_path, workers=1, public_url=public) as server:
        evil = {"Host": "evil.example"}
        with server.client() as client:
            description = client.get("/sparql", headers={**evil, "Accept": "text/turtle"})
            workbench = client.get("/explore/workbench", headers=evil)
            void = client.get("/.well-known/void", headers={**evil, "Accept": "text/turtle"})
    assert f"<{public}sparql>" in description.text
    assert "evil.example" not in description.text + workbench.text + void.text
    assert f'"endpoint": "{public}sparql"'.replace(" ", "") in workbench.text.replace(" ", "")


def test_api_docs_load_only_from_this_server(server: Server) -> None:
    with server.client() as client:
        for page in ("/docs", "/redoc"):
            html = client.get(page)
            assert html.status_code == 200
            assets = re.findall(r'(?:src|href)="([^"]+)"', html.text)
            assert assets and all("://" not in a and not a.startswith("//") for a in assets)
            for asset in assets:
                assert client.get("/" + asset).status_code == 200, asset


def test_a_slow_request_head_is_cut_off(knowledge_graph: KnowledgeGraph, tmp_path: Path) -> None:
    with running_server(knowledge_graph.root, tmp_path, workers=1, header_timeout=1) as server:
        host, port = server.base.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=10) as sock:
            sock.sendall(b"GET /health HTTP/1.1\r\nHo")
            started = time.monotonic()
            closed = False
            while time.monotonic() - started < 6:
                try:
                    sock.sendall(b"s")  # a byte at a time, as a slowloris client does
                    time.sleep(0.3)
                except OSError:
                    closed = True
                    break
                sock.setblocking(False)
                try:
                    if sock.recv(1) == b"":
                        closed = True
                        break
                except BlockingIOError:
                    pass
                finally:
                    sock.setblocking(True)
        assert closed
        # an ordinary request is unaffected
        assert httpx.get(server.base + "/health").status_code == 200


def test_a_new_build_switches_everything_at_once_and_keeps_the_restart_count(
    tmp_path: Path,
) -> None:
    """One watcher: the endpoint, the linked-data site and the explorer move to a
    new build together, and the worker-restart counter is not reset by it."""
    from kb.pipeline import build_knowledge_graph
    from tests.support.servers import REPO

    settings = Settings(store=tmp_path / "store", profiles=REPO / "data" / "profiles")
    assert build_knowledge_graph(settings).conforms
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    with running_server(settings.store, tmp_path, workers=1, reload_interval=0.2) as server:
        with server.client() as client:
            stopped = client.get("/sparql", params={"query": slow, "timeout": "0.5"})
        assert stopped.status_code == 504
        deadline = time.monotonic() + 30
        while metric(server, "kb_worker_restarts_total") < 1 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert metric(server, "kb_worker_restarts_total") == 1
        with server.client() as client:
            page_before = client.get("/catalog").headers["etag"]
            version_before = client.get("/sparql", params={"query": "ASK {}"}).headers[
                "mgi-dataset-version"
            ]
        assert build_knowledge_graph(settings).conforms
        while metric(server, "kb_dataset_switches_total") < 1 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert metric(server, "kb_dataset_switches_total") == 1
        assert metric(server, "kb_worker_restarts_total") == 1
        with server.client() as client:
            page_after = client.get("/catalog").headers["etag"]
            version_after = client.get("/sparql", params={"query": "ASK {}"}).headers[
                "mgi-dataset-version"
            ]
        assert version_after != version_before
        assert page_after != page_before and version_after in page_after
