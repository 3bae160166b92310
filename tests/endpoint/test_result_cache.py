"""The result cache of `kb serve`: repeats answered without a worker, keyed by what the ETag names.

A real server over the real store, with a small cache (entry limit 128 KiB) and a
small stream buffer (64 KiB), so both whole and streamed answers are exercised.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.support.servers import KnowledgeGraph, Server, running_server

pytestmark = pytest.mark.e2e  # starts servers of its own

CACHE_BYTES = 524_288  # one entry may take a quarter: 128 KiB
ROWS = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT %d"


@pytest.fixture(scope="module")
def cached_server(
    knowledge_graph: KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    with running_server(
        knowledge_graph.root,
        tmp_path_factory.mktemp("logs"),
        workers=1,
        result_cache_bytes=CACHE_BYTES,
        stream_buffer_bytes=65_536,
    ) as running:
        yield running


def _twice(client: httpx.Client, query: str, accept: str) -> tuple[httpx.Response, httpx.Response]:
    first = client.post("/sparql", data={"query": query}, headers={"Accept": accept})
    second = client.post("/sparql", data={"query": query}, headers={"Accept": accept})
    assert first.status_code == second.status_code == 200
    return first, second


def test_a_repeated_query_is_a_hit_with_the_same_answer(cached_server: Server) -> None:
    with cached_server.client() as client:
        first, second = _twice(client, ROWS % 5, "application/sparql-results+json")
    assert first.headers["mgi-cache"] == "miss"
    assert second.headers["mgi-cache"] == "hit"
    assert second.content == first.content
    assert second.headers["etag"] == first.headers["etag"]
    assert second.headers["mgi-rows"] == first.headers["mgi-rows"] == "5"


def test_another_format_is_another_entry(cached_server: Server) -> None:
    query = ROWS % 6
    with cached_server.client() as client:
        _twice(client, query, "application/sparql-results+json")
        csv = client.post("/sparql", data={"query": query}, headers={"Accept": "text/csv"})
    assert csv.headers["mgi-cache"] == "miss"
    assert csv.text.startswith("s,p,o")


def _streamed(client: httpx.Client, low: int, high: int) -> tuple[str, httpx.Response]:
    """A query whose JSON answer is streamed (over 64 KiB) and between `low` and `high` bytes."""
    for limit in range(100, 3000, 50):
        response = client.post("/sparql", data={"query": ROWS % limit})
        if "content-length" not in response.headers and low < len(response.content) < high:
            return ROWS % limit, response
    pytest.skip(f"no answer of this store streams between {low} and {high} bytes")


def test_a_streamed_answer_within_the_entry_limit_is_kept(cached_server: Server) -> None:
    with cached_server.client() as client:
        query, streamed = _streamed(client, 65_536, CACHE_BYTES // 4 - 4096)
        again = client.post("/sparql", data={"query": query})
    assert streamed.headers["mgi-cache"] == "miss"
    assert again.headers["mgi-cache"] == "hit"
    assert again.content == streamed.content
    assert "content-length" in again.headers  # a whole answer now, no longer streamed
    assert len(again.json()["results"]["bindings"]) == int(again.headers["mgi-rows"])


def test_a_streamed_answer_past_the_entry_limit_is_not_kept(cached_server: Server) -> None:
    with cached_server.client() as client:
        query, _ = _streamed(client, CACHE_BYTES // 4 + 4096, 10 * CACHE_BYTES)
        again = client.post("/sparql", data={"query": query})
    assert "content-length" not in again.headers
    assert again.headers["mgi-cache"] == "miss"
