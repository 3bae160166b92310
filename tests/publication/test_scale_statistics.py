"""Issue 7: aggregates counted by `kb build` into `{base}graph/statistics`.

Each precomputed count must equal the count the same question gives when
asked of the data itself, and the side file must be byte-identical on rebuild.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kb.publication.statistics import QUERIES, STATISTICS_GRAPH, statistics_quads
from kb.store import OxigraphStore, StoreLayout
from kb.store.layout import STATISTICS_NQ
from tests.support.servers import KnowledgeGraph

BASE = "https://w3id.org/mgi/"
PREFIXES = "PREFIX mgi: <https://w3id.org/mgi/def#> "


@pytest.fixture(scope="module")
def built(knowledge_graph: KnowledgeGraph) -> Path:
    build = StoreLayout(knowledge_graph.root).current_build()
    if not (build / STATISTICS_NQ).is_file():
        pytest.skip("the session store is not a `kb build` (no statistics.nq)")
    return build


def _ints(store: OxigraphStore, query: str, keys: tuple[str, ...], value: str) -> dict:
    return {
        tuple(row[k].value for k in keys): int(row[value].value)
        for row in store.select(query)
        if all(k in row for k in keys)
    }


def test_precomputed_counts_equal_live_counts(built: Path) -> None:
    store = OxigraphStore.open_read_only(built / "store")
    graph = f"<{BASE}{STATISTICS_GRAPH}>"
    assert graph[1:-1] in store.named_graphs()

    live = _ints(store, QUERIES["profile_cells"], ("profile", "domain", "assessment"), "n")
    stored = _ints(
        store,
        PREFIXES + f"SELECT ?p ?d ?a ?n WHERE {{ GRAPH {graph} {{ ?c a mgi:FindingCount ; "
        "mgi:countedProfile ?p ; mgi:countedDomain ?d ; mgi:countedAssessment ?a ; "
        "mgi:findingCount ?n } }",
        ("p", "d", "a"),
        "n",
    )
    assert live and stored == live

    live = _ints(store, QUERIES["institutions"], ("org",), "findings")
    stored = _ints(
        store,
        PREFIXES + f"SELECT ?o ?n WHERE {{ GRAPH {graph} {{ ?o mgi:findingCount ?n ; "
        "mgi:profileCount ?m } }",
        ("o",),
        "n",
    )
    assert live and stored == live

    live = _ints(store, QUERIES["co_mentions"], ("a", "b"), "n")
    stored = _ints(
        store,
        PREFIXES + f"SELECT ?a ?b ?n WHERE {{ GRAPH {graph} {{ ?c a mgi:CoMention ; "
        "mgi:countedInstitution ?a , ?b ; mgi:findingCount ?n FILTER (STR(?a) < STR(?b)) } }",
        ("a", "b"),
        "n",
    )
    assert stored == live


def test_statistics_are_deterministic(built: Path) -> None:
    memory = ox.Store()
    memory.bulk_load(path=str(built / "dataset.nq"), format=ox.RdfFormat.N_QUADS)
    again = ox.serialize(statistics_quads(memory, BASE), format=ox.RdfFormat.N_QUADS) or b""
    lines = sorted(set(again.splitlines(keepends=True)))
    assert b"".join(lines) == (built / STATISTICS_NQ).read_bytes()
