"""Names of things: prefixes, compact names, and human labels of vocabulary terms.

Labels of the project's own terms come from the ontology (loaded once from
the ontology graph of the build); standard terms it reuses get the labels of
`kb.linkeddata.i18n`; anything else shows its compact name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from kb.linkeddata.i18n import inverse_label, pick, term_label
from kb.namespaces import MGI, ONTOLOGY_IRI, OWL, RDF, RDFS, SKOS, curie
from kb.rdf.graph import TripleIndex


@dataclass(frozen=True, slots=True)
class TermDoc:
    """One class, property or concept as the ontology page shows it."""

    iri: str
    local: str
    labels: dict[str, str]
    comments: dict[str, str]
    kinds: list[str] = field(default_factory=list)
    notation: str | None = None
    definitions: dict[str, str] = field(default_factory=dict)
    links: dict[str, list[str]] = field(default_factory=dict)
    """rdfs:subClassOf, rdfs:domain, rdfs:range… -> IRIs."""


@dataclass(frozen=True, slots=True)
class SchemeDoc:
    scheme: TermDoc
    concepts: list[TermDoc]


class Vocabulary:
    """The ontology graph, indexed for labels and for its documentation page."""

    def __init__(self, triples: Iterable[ox.Triple]) -> None:
        self.graph = TripleIndex(triples)

    def label(self, iri: str, lang: str) -> str:
        own = pick(self.graph.labels(iri), lang)
        return own or term_label(iri, lang) or curie(iri) or iri

    def has_label(self, iri: str) -> bool:
        return bool(self.graph.labels(iri)) or term_label(iri, "en") is not None

    def inverse_label(self, iri: str, lang: str) -> str:
        return inverse_label(iri, lang) or self.label(iri, lang)

    def _term(self, iri: str) -> TermDoc:
        g = self.graph
        notation = g.value(iri, SKOS + "notation")
        links = {
            p: self._targets(iri, p)
            for p in (
                RDFS + "subClassOf",
                RDFS + "subPropertyOf",
                RDFS + "domain",
                RDFS + "range",
                OWL + "inverseOf",
                RDFS + "seeAlso",
            )
            if self._targets(iri, p)
        }
        return TermDoc(
            iri=iri,
            local=iri.rpartition("#")[2] if "#" in iri else iri.rpartition("/")[2],
            labels=g.texts(iri, SKOS + "prefLabel", RDFS + "label"),
            comments=g.texts(iri, RDFS + "comment"),
            kinds=g.types(iri),
            notation=notation.value if isinstance(notation, ox.Literal) else None,
            definitions=g.texts(iri, SKOS + "definition"),
            links=links,
        )

    def _targets(self, subject: str, predicate: str) -> list[str]:
        """IRIs a term points to; an `owl:unionOf` class stands for its members."""
        found = []
        for value in self.graph.objects(subject, predicate):
            if isinstance(value, ox.NamedNode):
                found.append(value.value)
            elif isinstance(value, ox.BlankNode):
                found += self._union_members(f"_:{value.value}")
        return found

    def _union_members(self, node: str) -> list[str]:
        union = self.graph.value(node, OWL + "unionOf")
        members: list[str] = []
        cell = union
        while isinstance(cell, ox.BlankNode) and len(members) < 100:
            key = f"_:{cell.value}"
            first = self.graph.value(key, RDF + "first")
            if isinstance(first, ox.NamedNode):
                members.append(first.value)
            cell = self.graph.value(key, RDF + "rest")
        return members

    def _own(self, iris: Iterable[str]) -> list[TermDoc]:
        return sorted(
            (self._term(i) for i in iris if i.startswith(str(MGI))), key=lambda t: t.local.lower()
        )

    def classes(self) -> list[TermDoc]:
        return self._own(self.graph.of_type(OWL + "Class"))

    def object_properties(self) -> list[TermDoc]:
        return self._own(self.graph.of_type(OWL + "ObjectProperty"))

    def datatype_properties(self) -> list[TermDoc]:
        return self._own(self.graph.of_type(OWL + "DatatypeProperty"))

    def schemes(self) -> list[SchemeDoc]:
        schemes = []
        for scheme in self._own(self.graph.of_type(SKOS + "ConceptScheme")):
            members = [
                s
                for s in self.graph.subjects
                if scheme.iri in self.graph.iris(s, SKOS + "inScheme")
            ]
            concepts = sorted(
                (self._term(m) for m in members),
                key=lambda t: (_notation_key(t.notation), t.local.lower()),
            )
            schemes.append(SchemeDoc(scheme, concepts))
        return schemes

    @property
    def ontology_iri(self) -> str:
        return str(ONTOLOGY_IRI)


def _notation_key(notation: str | None) -> tuple[int, int, str]:
    if notation is None:
        return (1, 0, "")
    return (0, int(notation), "") if notation.isdigit() else (0, 1 << 30, notation)
