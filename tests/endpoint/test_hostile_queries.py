"""Issue 12.2: over-deep queries are refused before the engine, and no query of
allowed size can crash a worker (the engine runs on a stack sized for the
longest query the server accepts)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.support.servers import KnowledgeGraph, Server, metric, running_server

pytestmark = pytest.mark.e2e

JSON = {"Accept": "application/sparql-results+json"}
ORDINARY = "SELECT (COUNT(*) AS ?n) WHERE { ?f a <https://w3id.org/mgi/def#Finding> }"

DEEP = {
    "groups": "SELECT * WHERE " + "{" * 3000 + " ?s ?p ?o " + "}" * 3000,
    "optional": "SELECT * WHERE { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o " * 2000 + "}" * 2001,
    "subselect": "SELECT * WHERE " + "{ SELECT * WHERE " * 2000 + "{ }" + " }" * 2000,
    "parentheses": "ASK { FILTER(" + "(" * 5000 + "true" + ")" * 5000 + ") }",
    "concat": "SELECT * WHERE { BIND(" + "CONCAT(" * 1000 + "'a'" + ")" * 1000 + " AS ?x) }",
    # brackets the engine reads as brackets inside what a lexer takes for an IRI
    "in-an-iri": "ASK { FILTER(1<" + "(" * 3000 + "2" + ")" * 3000 + ">0) }",
}
# Flat, within the depth limit, at the longest query allowed: each crashed the
# engine on an 8 MiB stack.
FLAT = {
    "not": "ASK { FILTER(" + "!" * 60_000 + "true) }",
    "and": "ASK { FILTER(" + "&&".join(["true"] * 10_000) + ") }",
    "minus": "SELECT * WHERE { ?s ?p ?o " + "MINUS{}" * 9_000 + " }",
    "union": "SELECT * WHERE { " + "UNION".join(["{}"] * 9_000) + " }",
    "plus": "SELECT * WHERE { BIND(" + "+".join(["1"] * 30_000) + " AS ?x) }",
    "objects": "SELECT * WHERE { ?s ?p " + ",".join(["?o"] * 20_000) + " }",
}


@pytest.fixture(scope="module")
def hostile_server(
    knowledge_graph: KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory
) -> Server:
    with running_server(
        knowledge_graph.root, tmp_path_factory.mktemp("hostile"), workers=2
    ) as server:
        yield server


@pytest.mark.parametrize("name", sorted(DEEP))
def test_over_deep_queries_are_refused_with_400(hostile_server: Server, name: str) -> None:
    with hostile_server.client() as client:
        for response in (
            client.post(
                "/sparql", data={"query": DEEP[name]}, headers={"Accept": "application/json"}
            ),
            client.post(
                "/sparql",
                content=DEEP[name].encode(),
                headers={"Accept": "application/json", "Content-Type": "application/sparql-query"},
            ),
        ):
            assert response.status_code == 400, response.text[:300]
            assert response.json()["error"] == "query_too_deep"
            assert "limit is 128" in response.json()["detail"]


def test_a_short_deep_get_is_refused_too(hostile_server: Server) -> None:
    query = "ASK {" + "{" * 200 + "}" * 200 + "}"
    with hostile_server.client() as client:
        response = client.get("/sparql", params={"query": query}, headers={"Accept": "text/plain"})
    assert response.status_code == 400
    assert response.text.startswith("400 query_too_deep:")


def test_long_flat_chains_kill_no_worker_while_ordinary_queries_go_on(
    hostile_server: Server,
) -> None:
    before = metric(hostile_server, "kb_worker_restarts_total")

    def hostile(query: str) -> int:
        with hostile_server.client() as client:
            data = {"query": query, "timeout": "3"}
            return client.post("/sparql", data=data, headers=JSON).status_code

    def ordinary(_: int) -> int:
        with hostile_server.client() as client:
            return client.get("/sparql", params={"query": ORDINARY}, headers=JSON).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        attacks = [pool.submit(hostile, query) for query in FLAT.values()]
        normal = list(pool.map(ordinary, range(20)))
        statuses = {name: attack.result() for name, attack in zip(FLAT, attacks, strict=True)}
    # answered, stopped at the deadline the client asked for (504), or still waiting
    # for its client's share when it passed (503); never a dead worker
    assert all(status in (200, 503, 504) for status in statuses.values()), statuses
    assert normal == [200] * 20
    assert metric(hostile_server, "kb_worker_restarts_total") - before == sum(
        s == 504 for s in statuses.values()
    )
    assert httpx.get(hostile_server.base + "/ready").status_code == 200


def test_the_limit_is_a_setting(knowledge_graph: KnowledgeGraph, tmp_path: Path) -> None:
    query = "ASK {" + "{" * 20 + "}" * 20 + "}"
    settings = {"workers": 1, "max_query_depth": 16}
    with running_server(knowledge_graph.root, tmp_path, **settings) as server, server.client() as c:
        response = c.get("/sparql", params={"query": query}, headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert "limit is 16" in response.json()["detail"]
