"""Safe to expose: no SERVICE or FROM fetches, row caps reported, deadlines enforced."""

from __future__ import annotations

import concurrent.futures
import json
import os
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

import httpx
import pytest

from tests.support.servers import KnowledgeGraph, metric, running_server

if TYPE_CHECKING:
    from tests.support.servers import Server

pytestmark = pytest.mark.e2e

MGI = "PREFIX mgi: <https://w3id.org/mgi/def#>\n"
# Every finding four times over: 10^6-10^8 rows to count, far past any test deadline.
EXPENSIVE = MGI + (
    "SELECT (COUNT(*) AS ?n) WHERE { ?a a mgi:Finding . ?b a mgi:Finding . "
    "?c a mgi:Finding . ?d a mgi:Finding . ?e a mgi:Finding }"
)
SIMPLE = MGI + "SELECT (COUNT(?f) AS ?n) WHERE { ?f a mgi:Finding }"


class _Recorder(BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self._answer()

    def _answer(self) -> None:
        type(self).hits.append(self.path)
        body = b"<http://example.org/s> <http://example.org/p> <http://example.org/o> .\n"
        self.send_response(200)
        self.send_header("Content-Type", "application/n-triples")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def listener() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server that records every request it gets."""
    _Recorder.hits = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", _Recorder.hits
    finally:
        httpd.shutdown()
        httpd.server_close()


# --- network access ---------------------------------------------------------------------
def test_service_is_refused_and_never_called(
    server: Server, listener: tuple[str, list[str]]
) -> None:
    url, hits = listener
    query = f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}"
    with server.client() as client:
        response = client.get("/sparql", params={"query": query})
        silent = client.get("/sparql", params={"query": query.replace("SERVICE", "SERVICE SILENT")})
    assert response.status_code == 403
    assert "SERVICE" in response.text and "not allowed" in response.text
    assert silent.status_code == 403
    assert hits == []


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE ?endpoint { ?s ?p ?o } }",
        "PREFIX e: <http://127.0.0.1:9/> SELECT * WHERE { SERVICE e:sparql { ?s ?p ?o } }",
        "select * where { service <http://169.254.169.254/latest/> { ?s ?p ?o } }",
        "SELECT * WHERE { ?s ?p 'x' . SERVICE # comment\n <http://10.0.0.1/> { ?s ?p ?o } }",
    ],
    ids=["variable", "prefixed", "lower-case-metadata", "after-comment"],
)
def test_service_variants_are_refused(server: Server, query: str) -> None:
    with server.client() as client:
        assert client.get("/sparql", params={"query": query}).status_code == 403


def test_the_word_service_in_a_literal_is_fine(server: Server) -> None:
    query = "SELECT * WHERE { BIND('SERVICE <http://10.0.0.1/> {}' AS ?x) } # SERVICE ?y"
    with server.client() as client:
        response = client.get("/sparql", params={"query": query})
    assert response.status_code == 200


def test_from_never_fetches(server: Server, listener: tuple[str, list[str]]) -> None:
    url, hits = listener
    query = f"SELECT * FROM <{url}/data.nt> FROM NAMED <{url}/named.nt> WHERE {{ ?s ?p ?o }}"
    with server.client() as client:
        response = client.get("/sparql", params={"query": query})
        graphs = client.get(
            "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }", "default-graph-uri": url}
        )
    assert response.status_code == 200
    assert response.json()["results"]["bindings"] == []  # FROM names no graph of ours
    assert graphs.json()["results"]["bindings"] == []
    assert hits == []


def test_from_selects_a_named_graph(server: Server) -> None:
    graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    with server.client() as client:
        names = [
            b["g"]["value"]
            for b in client.get("/sparql", params={"query": graphs}).json()["results"]["bindings"]
        ]
        count = "SELECT (COUNT(*) AS ?n) FROM <{}> WHERE {{ ?s ?p ?o }}"
        per_graph = [
            int(
                client.get("/sparql", params={"query": count.format(g)}).json()["results"][
                    "bindings"
                ][0]["n"]["value"]
            )
            for g in names
        ]
        total = client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"})
    assert len(names) >= 2
    assert all(n > 0 for n in per_graph)
    assert sum(per_graph) >= int(total.json()["results"]["bindings"][0]["n"]["value"])


@pytest.fixture(scope="module")
def allowlisting_server(
    knowledge_graph: KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    with running_server(
        knowledge_graph.root,
        tmp_path_factory.mktemp("logs"),
        workers=1,
        service_allowlist="http://127.0.0.1:9/sparql,http://localhost:9/sparql",
    ) as running:
        yield running


@pytest.mark.parametrize("endpoint", ["http://127.0.0.1:9/sparql", "http://localhost:9/sparql"])
def test_allowlisted_private_endpoint_is_still_refused(
    allowlisting_server: Server, endpoint: str
) -> None:
    query = f"SELECT * WHERE {{ SERVICE <{endpoint}> {{ ?s ?p ?o }} }}"
    with allowlisting_server.client() as client:
        response = client.get("/sparql", params={"query": query})
    assert response.status_code == 403
    assert "private or local address" in response.text


# --- row cap ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def capped_server(
    knowledge_graph: KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    with running_server(
        knowledge_graph.root,
        tmp_path_factory.mktemp("logs"),
        workers=1,
        row_cap=50,
        stream_buffer_bytes=65_536,
    ) as running:
        yield running


ALL = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"


@pytest.mark.parametrize(
    ("media", "count"),
    [
        ("application/sparql-results+json", lambda r: len(r.json()["results"]["bindings"])),
        ("application/sparql-results+xml", lambda r: r.text.count("<result>")),
        ("text/tab-separated-values", lambda r: r.text.count("\n") - 1),
        ("text/csv", lambda r: len(r.text.strip("\r\n").split("\r\n")) - 1),
    ],
)
def test_row_cap_is_reported(capped_server: Server, media: str, count) -> None:
    with capped_server.client() as client:
        response = client.get("/sparql", params={"query": ALL}, headers={"Accept": media})
    assert response.status_code == 200
    assert response.headers["x-result-truncated"] == "true"
    assert response.headers["mgi-row-cap"] == "50"
    assert response.headers["mgi-rows"] == "50"
    assert count(response) == 50


def test_row_cap_note_in_json(capped_server: Server) -> None:
    with capped_server.client() as client:
        body = client.get("/sparql", params={"query": ALL}).json()
    assert body["truncated"] is True
    assert body["rowCap"] == 50
    assert "LIMIT" in body["warning"]


def test_row_cap_on_construct(capped_server: Server) -> None:
    with capped_server.client() as client:
        response = client.get(
            "/sparql",
            params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
            headers={"Accept": "application/n-triples"},
        )
    assert response.headers["x-result-truncated"] == "true"
    lines = [line for line in response.text.splitlines() if line and not line.startswith("#")]
    assert len(lines) == 50
    assert "truncated after 50" in response.text


def test_under_the_cap_nothing_is_reported(capped_server: Server) -> None:
    with capped_server.client() as client:
        response = client.get("/sparql", params={"query": ALL + " LIMIT 50"})
    assert "x-result-truncated" not in response.headers
    assert "truncated" not in response.json()


def test_row_cap_on_a_streamed_result_is_in_the_body(capped_server: Server) -> None:
    """Past stream_buffer_bytes the head is sent first; the note then ends the JSON."""
    big = MGI + (
        "SELECT ?t WHERE { ?f mgi:text ?x . ?g a mgi:Finding "
        "BIND(CONCAT(?x, ?x, ?x, ?x, ?x, ?x, ?x, ?x, ?x, ?x, ?x, ?x) AS ?t) }"
    )
    with capped_server.client() as client:
        response = client.get("/sparql", params={"query": big})
    body = response.json()
    assert "content-length" not in response.headers  # streamed
    assert len(body["results"]["bindings"]) == 50
    assert body["truncated"] is True


# --- deadlines ----------------------------------------------------------------------------
TIMEOUT = 2.0


@pytest.fixture(scope="module")
def deadline_server(
    knowledge_graph: KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    with running_server(
        knowledge_graph.root,
        tmp_path_factory.mktemp("logs"),
        workers=2,
        query_timeout=TIMEOUT,
    ) as running:
        yield running


def _cpu_seconds(pid: int) -> float:
    """CPU time of a process and all its descendants (Linux /proc)."""
    total = 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            stat = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(stat[11]) + int(stat[12])) / ticks
            for task in Path(f"/proc/{current}/task").iterdir():
                children = (task / "children").read_text().split()
                pending += [int(c) for c in children]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def _wait_idle(server: Server) -> float:
    """Seconds of CPU the server tree burns over one second, once workers are back."""
    for _ in range(100):
        ready = httpx.get(server.base + "/ready").json()
        if ready["workers_idle"] == 2:
            break
        time.sleep(0.1)
    before = _cpu_seconds(server.process.pid)
    time.sleep(1.0)
    return _cpu_seconds(server.process.pid) - before


def test_expensive_query_stops_at_deadline_while_others_are_served(
    deadline_server: Server,
) -> None:
    def simple(_: int) -> int:
        return httpx.get(deadline_server.sparql, params={"query": SIMPLE}, timeout=30).status_code

    with concurrent.futures.ThreadPoolExecutor(max_workers=21) as pool:
        started = time.perf_counter()
        expensive = pool.submit(
            lambda: httpx.get(deadline_server.sparql, params={"query": EXPENSIVE}, timeout=60)
        )
        time.sleep(0.2)  # let the expensive query take its worker first
        statuses = list(pool.map(simple, range(20)))
        response = expensive.result()
        elapsed = time.perf_counter() - started
    assert statuses == [200] * 20
    assert response.status_code == 504
    assert "deadline of 2 s" in response.text
    overrun = elapsed - TIMEOUT
    print(f"deadline {TIMEOUT} s, answered after {elapsed:.3f} s (overrun {overrun:.3f} s)")
    assert elapsed >= TIMEOUT
    assert _wait_idle(deadline_server) < 0.5  # the killed worker is not still computing


def test_client_may_ask_for_a_shorter_deadline_never_a_longer_one(
    deadline_server: Server,
) -> None:
    with deadline_server.client() as client:
        started = time.perf_counter()
        short = client.get("/sparql", params={"query": EXPENSIVE, "timeout": "0.5"})
        short_elapsed = time.perf_counter() - started
        longer = client.get("/sparql", params={"query": SIMPLE, "timeout": "600"})
    assert short.status_code == 504
    assert "0.5 s" in short.text
    assert short_elapsed < TIMEOUT
    assert longer.headers["mgi-timeout"] == "2"


def test_a_client_that_disconnects_stops_its_query(deadline_server: Server) -> None:
    before = metric(deadline_server, "kb_sparql_client_disconnects_total")
    with pytest.raises(httpx.ReadTimeout):
        httpx.get(deadline_server.sparql, params={"query": EXPENSIVE}, timeout=0.5)
    for _ in range(50):
        if metric(deadline_server, "kb_sparql_client_disconnects_total") > before:
            break
        time.sleep(0.05)
    assert metric(deadline_server, "kb_sparql_client_disconnects_total") == before + 1
    assert _wait_idle(deadline_server) < 0.5


def test_timeouts_are_counted(deadline_server: Server) -> None:
    text = httpx.get(deadline_server.base + "/metrics").text
    assert "kb_sparql_timeouts_total" in text
    assert json.dumps({"ok": True})  # metrics endpoint stays plain text
