"""Incoming-link counts, computed once per build and looked up by IRI.

An institution mentioned by thousands of findings must still answer at once,
so pages never count links per request: `kb build` counts every
(object, property) pair in one aggregate query and writes the result to a
small SQLite file in the build directory. A keyed lookup then costs
microseconds whatever the size of the graph. A build made before this file
existed is counted when the server first needs it, into memory.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kb.publication.statistics import derived_graph
from kb.store.layout import INDEX_FILE

# Counted once per build (kb.publication.link_index): links into every IRI, by property.
INCOMING_COUNTS = """SELECT ?skip ?o ?p (COUNT(DISTINCT ?s) AS ?n)
WHERE { GRAPH ?g { ?s ?p ?o } FILTER(?g != ?skip && isIRI(?s) && isIRI(?o)) }
GROUP BY ?skip ?o ?p"""


_SCHEMA = """CREATE TABLE incoming (
  object TEXT NOT NULL,
  property TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (object, property)
) WITHOUT ROWID"""


def _count_rows(store: Any, base: str | None) -> list[tuple[str, str, int]]:
    skip = derived_graph(base) if base else ox.NamedNode("urn:kb:no-graph")
    rows = []
    for solution in store.query(INCOMING_COUNTS, substitutions={"skip": skip}):
        o, p, n = solution["o"], solution["p"], solution["n"]
        if isinstance(o, ox.NamedNode) and isinstance(p, ox.NamedNode):
            rows.append((o.value, p.value, int(n.value)))
    return rows


def _fill(connection: sqlite3.Connection, rows: list[tuple[str, str, int]]) -> None:
    connection.execute(_SCHEMA)
    connection.executemany("INSERT INTO incoming VALUES (?, ?, ?)", sorted(rows))
    connection.commit()


def write_index(store: Any, path: Path, *, base: str | None = None) -> int:
    """Count incoming links of every IRI in `store` into a new SQLite file; rows written.

    `base` locates the aggregates graph (`{base}graph/statistics`), whose links are not counted.
    """
    rows = _count_rows(store, base)
    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    connection = sqlite3.connect(tmp)
    try:
        _fill(connection, rows)
    finally:
        connection.close()
    tmp.replace(path)
    return len(rows)


class IncomingIndex:
    """Read-only lookups of incoming-link counts."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection
        self._lock = threading.Lock()  # one connection, shared by the threadpool

    @classmethod
    def open(cls, path: Path) -> IncomingIndex:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        return cls(connection)

    @classmethod
    def counted(cls, store: Any, *, base: str | None = None) -> IncomingIndex:
        """Count now, into memory (a build that has no index file)."""
        connection = sqlite3.connect(":memory:", check_same_thread=False)
        _fill(connection, _count_rows(store, base))
        return cls(connection)

    @classmethod
    def for_build(cls, build_dir: Path, store: Any, *, base: str | None = None) -> IncomingIndex:
        path = build_dir / INDEX_FILE
        return cls.open(path) if path.is_file() else cls.counted(store, base=base)

    def counts(self, iri: str) -> list[tuple[str, int]]:
        """(property, number of distinct subjects) for links into `iri`, by property IRI."""
        with self._lock:
            rows = self._connection.execute(
                "SELECT property, n FROM incoming WHERE object = ? ORDER BY property", (iri,)
            ).fetchall()
        return [(str(p), int(n)) for p, n in rows]

    def close(self) -> None:
        self._connection.close()
