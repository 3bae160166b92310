"""Issue 12.3: memory and answer-size caps. A query that doubles a string until
it needs gigabytes gets a clear 413 while ordinary queries go on; an answer
larger than `max_answer_bytes` is refused before anything is sent, or cut off
when it was already streaming."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.support.servers import KnowledgeGraph, Server, running_server

pytestmark = pytest.mark.e2e

ORDINARY = "SELECT (COUNT(*) AS ?n) WHERE { ?f a <https://w3id.org/mgi/def#Finding> }"
# 887 bytes in the attack report; 10 · 2^30 characters if nothing stops it.
BOMB = (
    'SELECT (STRLEN(?a30) AS ?n) WHERE { BIND("0123456789" AS ?a0) '
    + " ".join(f"BIND(CONCAT(?a{i}, ?a{i}) AS ?a{i + 1})" for i in range(30))
    + " }"
)
CAP_MIB = 192


@pytest.fixture(scope="module")
def capped(knowledge_graph: KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory) -> Server:
    with running_server(
        knowledge_graph.root,
        tmp_path_factory.mktemp("capped"),
        workers=2,
        query_memory_bytes=CAP_MIB << 20,
        max_answer_bytes=65_536,
        stream_buffer_bytes=65_536,
    ) as server:
        yield server


def peak_rss_of_workers(server: Server) -> list[int]:
    """Peak resident set (VmHWM, bytes) of each query worker of the server."""
    children = Path(f"/proc/{server.process.pid}/task/{server.process.pid}/children")
    peaks = []
    for pid in children.read_text().split():
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]) * 1024)
    return peaks


def test_a_memory_bomb_gets_413_and_ordinary_queries_go_on(capped: Server) -> None:
    def bomb(_: int) -> httpx.Response:
        with capped.client() as client:
            return client.post(
                "/sparql", data={"query": BOMB}, headers={"Accept": "application/json"}
            )

    def ordinary(_: int) -> int:
        with capped.client() as client:
            accept = {"Accept": "application/sparql-results+json"}
            return client.get("/sparql", params={"query": ORDINARY}, headers=accept).status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        bombs = list(pool.map(bomb, range(2)))
        normal = list(pool.map(ordinary, range(20)))
    for response in bombs:
        assert response.status_code == 413, response.text
        body = response.json()
        assert body["error"] == "query_memory_exceeded"
        assert f"{CAP_MIB} MiB" in body["detail"]
    assert normal == [200] * 20
    # after the bombs, every worker (replaced or not) stayed near the cap
    assert all(peak < (CAP_MIB + 256) << 20 for peak in peak_rss_of_workers(capped))
    assert httpx.get(capped.base + "/ready").status_code == 200


def test_an_answer_over_the_byte_cap_is_refused_before_it_is_sent(capped: Server) -> None:
    everything = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    with capped.client() as client:
        response = client.get(
            "/sparql", params={"query": everything}, headers={"Accept": "text/csv"}
        )
    assert response.status_code == 413
    assert response.text.startswith("413 answer_too_large:")


def test_a_streamed_answer_over_the_byte_cap_is_cut_off(capped: Server) -> None:
    everything = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    with pytest.raises(httpx.HTTPError), capped.client() as client:
        response = client.get(
            "/sparql",
            params={"query": everything},
            headers={"Accept": "application/sparql-results+json"},
        )
        response.raise_for_status()
        response.json()  # an incomplete body never parses
