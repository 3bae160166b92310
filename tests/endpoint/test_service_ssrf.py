"""Issue 12.1: no outbound connection from query evaluation, whatever the query text.

A listener on 127.0.0.1 counts every connection it accepts and answers like a
SPARQL endpoint, as an attacker's target would. Every member of the
lexer-confusion family (operators read as IRIs, comments, strings, escapes,
case, SILENT, prefixed names, BASE, variables, nesting), sent by GET, by POST
form and by POST body, must leave it at 0 connections with the default empty
allow-list; an allow-listed endpoint is still called.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.support.servers import REPO, KnowledgeGraph, Server, running_server

pytestmark = pytest.mark.e2e


class CountingListener(ThreadingHTTPServer):
    """Counts accepted connections; answers every request with one SPARQL solution."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Answer)
        self.connections = 0
        self._lock = threading.Lock()

    def verify_request(self, request: object, client_address: object) -> bool:
        with self._lock:
            self.connections += 1
        return True

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/sparql"


class _Answer(BaseHTTPRequestHandler):
    def _send(self) -> None:
        body = json.dumps(
            {
                "head": {"vars": ["leak"]},
                "results": {"bindings": [{"leak": {"type": "literal", "value": "from-listener"}}]},
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        self._send()

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._send()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def listener() -> Iterator[CountingListener]:
    server = CountingListener()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def variants(url: str) -> list[str]:
    """SERVICE calls to `url`, written the ways a text lexer and the engine may disagree on."""
    base, _, tail = url.rpartition("/")
    host_url = url.replace("127.0.0.1", "localhost")
    escaped = url.replace("sparql", "\\u0073parql")
    return [
        f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"select * where {{ service <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SeRvIcE SILENT <{url}> {{ ?s ?p ?o }} }}",
        # a `<` the engine reads as less-than and a lexer as the start of an IRI
        f"SELECT * WHERE {{ BIND(1 <2 AS ?a) SERVICE <{url}> {{ ?s ?p ?o }} BIND(2 >1 AS ?b) }}",
        f"SELECT * WHERE {{ FILTER(1<2) SERVICE <{url}> {{ ?leak ?p ?o }} FILTER(3>2) }}",
        f"SELECT * WHERE {{ # <\n SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f'SELECT * WHERE {{ BIND("#" AS ?h) SERVICE <{url}> {{ ?s ?p ?o }} }}',
        f"SELECT * WHERE {{ BIND('''\"''' AS ?q) SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE <{escaped}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"PREFIX e: <{base}/> SELECT * WHERE {{ SERVICE e:{tail} {{ ?s ?p ?o }} }}",
        f"BASE <{base}/> SELECT * WHERE {{ SERVICE <{tail}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE <{host_url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ VALUES ?e {{ <{url}> }} SERVICE ?e {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
        f"SELECT * WHERE {{ OPTIONAL {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }} }}",
        f"SELECT * WHERE {{ {{ }} UNION {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        # a keyword glued to a boolean or a double: the engine splits it off, a
        # lexer reads one word ("trueSERVICE"); the real data has booleans to match
        f"SELECT * WHERE {{ ?s ?p trueSERVICE <{url}> {{ ?leak ?q ?o }} }}",
        f"SELECT * WHERE {{ ?s ?p falseSERVICE SILENT <{url}> {{ ?leak ?q ?o }} }}",
        f"ASK {{ ?s ?p TRUESERVICE<{url}>{{?a ?b ?c}} }}",
        f"SELECT * WHERE {{ ?s ?p 1e0SERVICE <{url}> {{ ?leak ?q ?o }} }}",
        f"ASK {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    ]


def ask_every_way(server: Server, query: str) -> list[int]:
    statuses = []
    with server.client() as client:
        accept = {"Accept": "application/sparql-results+json, text/turtle;q=0.5"}
        statuses.append(client.get("/sparql", params={"query": query}, headers=accept).status_code)
        statuses.append(client.post("/sparql", data={"query": query}, headers=accept).status_code)
        body = {**accept, "Content-Type": "application/sparql-query"}
        statuses.append(client.post("/sparql", content=query.encode(), headers=body).status_code)
    return statuses


def test_no_service_variant_connects_with_an_empty_allow_list(
    knowledge_graph: KnowledgeGraph, listener: CountingListener, tmp_path: Path
) -> None:
    with running_server(knowledge_graph.root, tmp_path, workers=2) as server:
        for query in variants(listener.url):
            for status in ask_every_way(server, query):
                assert status in (200, 400, 403), (status, query)
        # the server still answers ordinary queries: no worker was lost on the way
        assert ask_every_way(server, "ASK { ?s ?p ?o }") == [200, 200, 200]
    assert listener.connections == 0


def test_the_engine_itself_cannot_connect_from_a_sandboxed_process(
    listener: CountingListener,
) -> None:
    """Below the endpoint's own checks: pyoxigraph asked directly, in a process under
    the worker's filter, reaches nothing (the guarantee does not read the query)."""
    program = (
        "import pyoxigraph as ox\n"
        "from kb.endpoint.sandbox import forbid_network\n"
        "forbid_network()\n"
        f"query = 'SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}'\n"
        "try:\n"
        "    print(list(ox.Store().query(query)))\n"
        "except OSError as exc:\n"
        "    print('refused:', exc)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", program], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("refused:"), run.stdout
    assert listener.connections == 0


def test_without_the_filter_the_same_call_does_connect(listener: CountingListener) -> None:
    """The control: the listener does see a connection when nothing stops the engine."""
    program = (
        "import pyoxigraph as ox\n"
        f"query = 'SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}'\n"
        "print(len(list(ox.Store().query(query))))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", program], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0, run.stderr
    assert listener.connections >= 1


def test_an_allow_listed_endpoint_is_still_called(
    knowledge_graph: KnowledgeGraph, listener: CountingListener, tmp_path: Path
) -> None:
    with running_server(
        knowledge_graph.root,
        tmp_path,
        workers=1,
        service_allowlist=listener.url,
        service_private_hosts="true",
    ) as server:
        query = f"SELECT ?leak WHERE {{ SERVICE <{listener.url}> {{ ?leak ?p ?o }} }}"
        with server.client() as client:
            response = client.get(
                "/sparql", params={"query": query}, headers={"Accept": "application/json"}
            )
        assert response.status_code == 200, response.text
        values = [row["leak"]["value"] for row in response.json()["results"]["bindings"]]
        assert values == ["from-listener"]
        # off the allow-list is still refused, before anything runs
        other = listener.url.replace("/sparql", "/other")
        refused = ask_every_way(server, f"SELECT * WHERE {{ SERVICE <{other}> {{ ?s ?p ?o }} }}")
        assert refused == [403, 403, 403]
    assert listener.connections >= 1
