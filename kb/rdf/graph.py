"""A small read-only index over a handful of triples (one description, the ontology).

Pages are rendered from the same triples the RDF representations carry; this
gives the renderer dictionary lookups over them instead of more queries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

import pyoxigraph as ox

Node = ox.NamedNode | ox.BlankNode
Term = ox.NamedNode | ox.BlankNode | ox.Literal

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_PREF_LABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"
LABEL_PROPERTIES = (
    SKOS_PREF_LABEL,
    RDFS_LABEL,
    "http://purl.org/dc/terms/title",
    "https://schema.org/name",
)


def key(node: Term | ox.Triple) -> str:
    """Dictionary key of a subject: its IRI, or `_:id` for a blank node."""
    if isinstance(node, ox.NamedNode):
        return node.value
    if isinstance(node, ox.BlankNode):
        return f"_:{node.value}"
    return str(node)


class TripleIndex:
    def __init__(self, triples: Iterable[ox.Triple] = ()) -> None:
        self._by_subject: dict[str, dict[str, list[Term]]] = defaultdict(dict)
        self._triples: list[ox.Triple] = []
        seen: set[ox.Triple] = set()
        for triple in triples:
            if triple in seen:
                continue  # the union of graphs may repeat a triple
            seen.add(triple)
            self._triples.append(triple)
            values = self._by_subject[key(triple.subject)].setdefault(triple.predicate.value, [])
            values.append(triple.object)  # type: ignore[arg-type]

    def __iter__(self) -> Iterator[ox.Triple]:
        return iter(self._triples)

    def __len__(self) -> int:
        return len(self._triples)

    def __contains__(self, subject: str) -> bool:
        return subject in self._by_subject

    @property
    def subjects(self) -> list[str]:
        return list(self._by_subject)

    def properties(self, subject: str) -> dict[str, list[Term]]:
        return self._by_subject.get(subject, {})

    def objects(self, subject: str, predicate: str) -> list[Term]:
        return self._by_subject.get(subject, {}).get(predicate, [])

    def value(self, subject: str, predicate: str) -> Term | None:
        values = self.objects(subject, predicate)
        return values[0] if values else None

    def iris(self, subject: str, predicate: str) -> list[str]:
        return [o.value for o in self.objects(subject, predicate) if isinstance(o, ox.NamedNode)]

    def types(self, subject: str) -> list[str]:
        return self.iris(subject, RDF_TYPE)

    def has_type(self, subject: str, cls: str) -> bool:
        return cls in self.types(subject)

    def of_type(self, cls: str) -> list[str]:
        return [s for s in self._by_subject if self.has_type(s, cls)]

    def texts(self, subject: str, *predicates: str) -> dict[str, str]:
        """Literal values by language tag (`""` when untagged); the first predicate wins."""
        found: dict[str, str] = {}
        for predicate in predicates:
            for value in self.objects(subject, predicate):
                if isinstance(value, ox.Literal):
                    found.setdefault(value.language or "", value.value)
        return found

    def labels(self, subject: str) -> dict[str, str]:
        return self.texts(subject, *LABEL_PROPERTIES)
