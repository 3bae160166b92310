"""The dataset's VoID counts: one type, one set of counting queries.

`kb build` counts once and writes `statistics.json` beside the store; the
endpoint's VoID and service description, the linked-data catalogue and
`kb publish` read that file, and count with the same queries (over whatever
answers SPARQL) only for a build that has none. Triples are counted
distinct over the union of the graphs, as VoID means them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

COUNTING_QUERIES = {
    "totals": "SELECT (COUNT(*) AS ?n) (COUNT(DISTINCT ?s) AS ?subjects) "
    "(COUNT(DISTINCT ?o) AS ?objects) WHERE { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }",
    "graphs": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
    "classes": "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY ?c",
    "properties": "SELECT ?p (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } } "
    "GROUP BY ?p ORDER BY ?p",
}

Binding = Mapping[str, Mapping[str, str]]
"""One solution as SPARQL JSON results give it: variable -> {"type": …, "value": …}."""


@dataclass(slots=True)
class DatasetStatistics:
    """The counts VoID reports about one build."""

    triples: int = 0
    distinct_subjects: int = 0
    distinct_objects: int = 0
    graphs: list[tuple[str, int]] = field(default_factory=list)
    classes: list[tuple[str, int]] = field(default_factory=list)
    properties: list[tuple[str, int]] = field(default_factory=list)

    @property
    def quads(self) -> int:
        return sum(n for _, n in self.graphs)

    def class_count(self, iri: str) -> int:
        return dict(self.classes).get(iri, 0)

    @classmethod
    def load(cls, path: Path) -> DatasetStatistics:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            triples=int(raw["triples"]),
            distinct_subjects=int(raw["distinct_subjects"]),
            distinct_objects=int(raw["distinct_objects"]),
            graphs=[(g, int(n)) for g, n in raw["graphs"]],
            classes=[(c, int(n)) for c, n in raw["classes"]],
            properties=[(p, int(n)) for p, n in raw["properties"]],
        )

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self), indent=1) + "\n", encoding="utf-8")


def statistics_from(answers: Mapping[str, Sequence[Binding]]) -> DatasetStatistics:
    """The statistics from the answers to `COUNTING_QUERIES`, by query name."""
    totals = answers["totals"][0]

    def pairs(name: str, var: str) -> list[tuple[str, int]]:
        return [
            (row[var]["value"], int(row["n"]["value"]))
            for row in answers[name]
            if row.get(var, {}).get("type") == "uri"
        ]

    return DatasetStatistics(
        triples=int(totals["n"]["value"]),
        distinct_subjects=int(totals["subjects"]["value"]),
        distinct_objects=int(totals["objects"]["value"]),
        graphs=pairs("graphs", "g"),
        classes=pairs("classes", "c"),
        properties=pairs("properties", "p"),
    )


def count_statistics(select: Callable[[str], Sequence[Binding]]) -> DatasetStatistics:
    """Run the counting queries with `select` (query text -> JSON bindings)."""
    return statistics_from({name: select(query) for name, query in COUNTING_QUERIES.items()})


def count_in_store(store: Any) -> DatasetStatistics:
    """The counting queries over a store whose `select` gives pyoxigraph terms."""
    return count_statistics(lambda query: bindings_of(store.select(query)))


def bindings_of(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, dict[str, str]]]:
    """pyoxigraph solutions (variable -> term) as SPARQL JSON bindings."""
    import pyoxigraph as ox

    def kind(term: Any) -> str:
        if isinstance(term, ox.NamedNode):
            return "uri"
        return "bnode" if isinstance(term, ox.BlankNode) else "literal"

    return [
        {var: {"type": kind(term), "value": term.value} for var, term in row.items()}
        for row in rows
    ]
