"""The knowledge-graph store: where built graphs live and how they are queried.

`StoreLayout` owns the on-disk layout of the embedded store (one directory per
build, a `current` pointer swapped atomically); `OxigraphStore` opens one
build read-only and answers SPARQL over the union of its named graphs.
"""

from kb.store.layout import StoreLayout
from kb.store.oxigraph import OxigraphStore, write_store

__all__ = ["OxigraphStore", "StoreLayout", "write_store"]
