"""Embedded Oxigraph backend: write a build once, then read it read-only."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kb.errors import QuerySyntaxError, StoreError, StoreUnavailableError
from kb.sparql.text import analyse

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


def write_store(store_dir: Path, dataset_nq: Path) -> int:
    """Bulk-load a canonical N-Quads file into a new on-disk store; returns quad count."""
    try:
        store = ox.Store(str(store_dir))
        store.bulk_load(path=str(dataset_nq), format=ox.RdfFormat.N_QUADS)
        store.flush()
        count = len(store)
        store.optimize()
        del store  # closes RocksDB before readers open it
    except (OSError, SyntaxError) as exc:
        raise StoreError(f"cannot write store at {store_dir}: {exc}") from exc
    return count


def solution_rows(solutions: ox.QuerySolutions) -> list[dict[str, Term]]:
    """SELECT solutions as {variable: term} rows, unbound variables left out."""
    names = [v.value for v in solutions.variables]
    return [
        {name: solution[name] for name in names if solution[name] is not None}
        for solution in solutions
    ]


class OxigraphStore:
    """A read-only view of one built dataset.

    The default graph of every query is the union of all named graphs, unless
    the caller names a default graph (SPARQL Protocol `default-graph-uri`).
    """

    def __init__(self, store: ox.Store, *, version: str = "") -> None:
        self._store = store
        self.version = version

    @classmethod
    def open_read_only(cls, path: Path, *, version: str = "") -> OxigraphStore:
        try:
            return cls(ox.Store.read_only(str(path)), version=version)
        except OSError as exc:
            raise StoreUnavailableError(f"cannot open store at {path}: {exc}") from exc

    @classmethod
    def in_memory(cls, dataset_nq: Path, *, version: str = "") -> OxigraphStore:
        """Load a dataset file into memory (faster queries; see PERFORMANCE-NOTES)."""
        store = ox.Store()
        try:
            store.bulk_load(path=str(dataset_nq), format=ox.RdfFormat.N_QUADS)
        except (OSError, SyntaxError) as exc:
            raise StoreUnavailableError(f"cannot load {dataset_nq}: {exc}") from exc
        return cls(store, version=version)

    def __len__(self) -> int:
        return len(self._store)

    def query(
        self,
        sparql: str,
        *,
        substitutions: Mapping[str, Term] | None = None,
        default_graph: Iterable[str] | None = None,
        named_graphs: Iterable[str] | None = None,
    ) -> Any:
        """Run a query; returns pyoxigraph's solutions, boolean or triples.

        The default graph is the union of all named graphs unless the caller
        or the query itself (FROM / FROM NAMED) names the dataset.
        """
        options: dict[str, Any] = {}
        defaults = [ox.NamedNode(g) for g in default_graph or ()]
        if defaults:
            options["default_graph"] = defaults
        elif not analyse(sparql).has_dataset_clause:
            options["use_default_graph_as_union"] = True
        if named_graphs:
            options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        if substitutions:
            options["substitutions"] = {ox.Variable(k): v for k, v in substitutions.items()}
        try:
            return self._store.query(sparql, **options)
        except SyntaxError as exc:
            raise QuerySyntaxError(str(exc)) from exc
        except OSError as exc:
            raise StoreUnavailableError(f"store read failed: {exc}") from exc

    def select(
        self, sparql: str, *, substitutions: Mapping[str, Term] | None = None
    ) -> list[dict[str, Term]]:
        """SELECT as a list of {variable: term} rows (unbound variables left out)."""
        return solution_rows(self.query(sparql, substitutions=substitutions))

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def dump(self, fmt: ox.RdfFormat) -> bytes:
        return self._store.dump(format=fmt)
