"""The knowledge-graph store: where built graphs live and how they are queried.

`StoreLayout` owns the on-disk layout of the embedded store (one directory per
build, a `current` pointer swapped atomically); `OxigraphStore` opens one
build read-only and answers SPARQL over the union of its named graphs;
`SparqlStore` does the same over any SPARQL 1.1 store by HTTP. `open_store`
picks one from the settings, once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Protocol

from kb.store.layout import STORE_DIR, StoreLayout
from kb.store.oxigraph import OxigraphStore, Term, write_store
from kb.store.sparql import SparqlStore

if TYPE_CHECKING:
    from kb.settings import Settings

__all__ = ["OxigraphStore", "SparqlStore", "Store", "StoreLayout", "open_store", "write_store"]


class Store(Protocol):
    """What readers of the knowledge graph may ask of either backend."""

    version: str

    def query(
        self,
        sparql: str,
        *,
        substitutions: Mapping[str, Term] | None = None,
        default_graph: Iterable[str] | None = None,
        named_graphs: Iterable[str] | None = None,
    ) -> Any: ...

    def select(
        self, sparql: str, *, substitutions: Mapping[str, Term] | None = None
    ) -> list[dict[str, Term]]: ...

    def named_graphs(self) -> list[str]: ...


def open_store(settings: Settings) -> Store:
    """The published knowledge graph, read-only: the external store when
    `sparql_endpoint` is set, else the embedded store's current build.

    Raises `StoreUnavailableError` when there is none.
    """
    if settings.sparql_endpoint:
        from kb.store.sparql import open_remote

        store = open_remote(settings)
        loaded = store.loaded_build(settings.base_iri)
        store.version = loaded[0] if loaded else ""
        return store
    build = StoreLayout(settings.store).current_build()
    return OxigraphStore.open_read_only(build / STORE_DIR, version=build.name)
