"""Issue 7: an external SPARQL 1.1 store behind the same interface as the embedded one.

Against a real Oxigraph server (`oxigraph serve`, from the `oxigraph` package,
started here on a free port and always stopped): `SparqlStore` reads and
writes through the SPARQL and Graph Store protocols and raises only the
library's errors; `kb build` loads the store; `kb serve` answers from it with
the same answers as from the embedded store.

The same tests run against Virtuoso Open Source when asked (they take a
minute and need Debian's `virtuoso-opensource`): KB_TEST_VIRTUOSO=1 starts a
private instance opened for writes (bench/virtuoso.py), KB_TEST_VIRTUOSO=URL
uses a running one whose /sparql and /sparql-graph-crud allow writes.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from kb.errors import QuerySyntaxError, QueryTimeoutError, StoreUnavailableError
from kb.settings import Settings
from kb.sparql.binding import bind_as_values
from kb.store import SparqlStore, open_store
from tests.support.oxigraph import OXIGRAPH, oxigraph_server
from tests.support.servers import REPO, free_port, running_server

BASE = "https://w3id.org/mgi/"
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(OXIGRAPH is None, reason="the oxigraph server CLI is not installed"),
]

COUNT_PROFILES = "SELECT (COUNT(?p) AS ?n) WHERE { ?p a <https://w3id.org/mgi/def#Profile> }"


@pytest.fixture
def oxigraph(tmp_path: Path) -> Iterator[str]:
    with oxigraph_server(tmp_path / "oxigraph") as url:
        yield url


@pytest.fixture(scope="module")
def virtuoso() -> Iterator[str]:
    """A Virtuoso that takes writes, when KB_TEST_VIRTUOSO asks for one; its base URL."""
    setting = os.environ.get("KB_TEST_VIRTUOSO", "")
    if setting.startswith("http"):
        yield setting.rstrip("/")
        return
    if setting != "1":
        pytest.skip("opt-in: KB_TEST_VIRTUOSO=1 (starts Debian's virtuoso-t) or =URL")
    spec = importlib.util.spec_from_file_location("mgi_virtuoso", REPO / "bench" / "virtuoso.py")
    assert spec is not None and spec.loader is not None
    launcher = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = launcher  # its dataclass looks its module up there
    spec.loader.exec_module(launcher)
    assert launcher.installed(), "KB_TEST_VIRTUOSO=1 but virtuoso-opensource is not installed"
    with launcher.running_virtuoso(writable=True) as server:
        yield server.url


@pytest.fixture(params=["oxigraph", "virtuoso"])
def endpoints(request: pytest.FixtureRequest) -> tuple[str, str]:
    """(SPARQL query endpoint, Graph Store Protocol endpoint) of an external store."""
    url = request.getfixturevalue(request.param)
    if request.param == "oxigraph":
        return url + "/query", url + "/store"
    return url + "/sparql", url + "/sparql-graph-crud"


def test_read_write_through_the_protocols(endpoints: tuple[str, str]) -> None:
    endpoint, gsp = endpoints
    with SparqlStore(endpoint, graph_store=gsp, timeout=30) as store:
        graph = BASE + "id/profile/test-graph"
        triples = (
            f"<{BASE}id/profile/x> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
            "<https://w3id.org/mgi/def#Profile> .\n"
            f'<{BASE}id/profile/x> <http://www.w3.org/2000/01/rdf-schema#label> "Ciudad"@es .\n'
        )
        store.put_graph(graph, triples.encode())
        assert graph in store.named_graphs()
        assert int(store.select(COUNT_PROFILES)[0]["n"].value) >= 1
        label = store.select(
            "SELECT ?l WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l }",
            substitutions={"s": ox.NamedNode(BASE + "id/profile/x")},
        )
        assert [r["l"] for r in label] == [ox.Literal("Ciudad", language="es")]
        assert bool(store.query("ASK { ?s ?p ?o }"))
        constructed = list(store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"))
        assert len(constructed) >= 2 and all(isinstance(t, ox.Triple) for t in constructed)
        with pytest.raises(QuerySyntaxError):
            store.query("SELECT WHERE {")
        store.delete_graph(graph)
        store.delete_graph(graph)  # deleting what is not there is fine
        assert graph not in store.named_graphs()


def test_failures_are_library_errors(tmp_path: Path) -> None:
    unreachable = SparqlStore(f"http://127.0.0.1:{free_port()}/query", timeout=2)
    with unreachable as store, pytest.raises(StoreUnavailableError):
        store.query("ASK {}")
    # A server that accepts the connection and never answers: the HTTP timeout is the deadline.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        stalled = SparqlStore(f"http://127.0.0.1:{port}/query", timeout=0.5)
        with stalled as store, pytest.raises(QueryTimeoutError):
            store.query("ASK {}")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "SELECT * WHERE { VALUES (?s) { (<x:a>) }  ?s ?p ?o }"),
        ("ASK { ?s ?p '{' }", "ASK { VALUES (?s) { (<x:a>) }  ?s ?p '{' }"),
        (
            "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
            "CONSTRUCT { ?s ?p ?o } WHERE { VALUES (?s) { (<x:a>) }  ?s ?p ?o }",
        ),
        ("DESCRIBE ?s", "DESCRIBE ?s\nVALUES (?s) { (<x:a>) } "),
    ],
)
def test_bind_puts_values_in_the_where_group(query: str, expected: str) -> None:
    assert bind_as_values(query, {"s": ox.NamedNode("x:a")}) == expected


def _env(**settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KB_")}
    env.update({f"KB_{k.upper()}": v for k, v in settings.items()})
    return env


def test_build_loads_and_serve_answers_from_the_external_store(
    endpoints: tuple[str, str], tmp_path: Path
) -> None:
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    shutil.copy(REPO / "data" / "profiles" / "bucaramanga-2022.txt", profiles)
    from kb.synth.generator import write_synthetic_profiles

    write_synthetic_profiles(profiles, count=1, seed=3)
    endpoint, gsp = endpoints
    with SparqlStore(
        endpoint, graph_store=gsp
    ) as store:  # a stale graph of ours, and a foreign one
        store.put_graph(BASE + "id/profile/removed-1999", b"<x:s> <x:p> <x:o> .\n")
        store.put_graph("http://example.org/other", b"<x:s> <x:p> <x:o> .\n")
    local = tmp_path / "store"
    command = [sys.executable, "-m", "kb.cli", "build", "-q", "--jobs", "1"]
    command += ["--profiles", str(profiles), "--store", str(local)]
    env = _env(sparql_endpoint=endpoint, graph_store_endpoint=gsp)
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr

    settings = Settings(store=local, sparql_endpoint=endpoint, graph_store_endpoint=gsp)
    remote = open_store(settings)
    assert isinstance(remote, SparqlStore)
    embedded = open_store(Settings(store=local))
    build_id = (local / "current").resolve().name
    assert remote.version == build_id == embedded.version
    graphs = remote.named_graphs()
    assert BASE + "id/profile/removed-1999" not in graphs  # ours, gone from the build: deleted
    assert "http://example.org/other" in graphs  # not ours: left alone
    assert set(embedded.named_graphs()) <= set(graphs)
    assert remote.select(COUNT_PROFILES)[0]["n"].value == "2"

    # kb serve over the external store: same answers as over the embedded one.
    with (
        running_server(local, tmp_path, workers=1) as inside,
        running_server(
            local, tmp_path, workers=1, sparql_endpoint=endpoint, reload_interval=0.2
        ) as outside,
    ):
        for name in sorted(p.stem for p in (REPO / "queries").glob("*.rq")):
            query = (REPO / "queries" / f"{name}.rq").read_text()
            accept = {"Accept": "application/sparql-results+json"}
            if "CONSTRUCT" in query or "DESCRIBE" in query:
                accept = {"Accept": "application/n-triples"}
            with inside.client() as a, outside.client() as b:
                mine = a.post("/sparql", data={"query": query}, headers=accept)
                theirs = b.post("/sparql", data={"query": query}, headers=accept)
            assert theirs.status_code == mine.status_code == 200, (name, theirs.text)
            if "json" in accept["Accept"]:
                rows = theirs.json()["results"]["bindings"]
                assert sorted(map(str, rows)) == sorted(
                    map(str, mine.json()["results"]["bindings"])
                )
            else:
                assert sorted(theirs.text.splitlines()) == sorted(mine.text.splitlines())
        with outside.client() as client:
            response = client.get("/sparql", params={"query": COUNT_PROFILES})
            assert response.headers["mgi-dataset-version"] == build_id
            bad = client.get("/sparql", params={"query": "SELECT WHERE {"})
            assert bad.status_code == 400
