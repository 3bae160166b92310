"""Namespaces and IRI minting (DESIGN.md §Vocabulary contract).

Data IRIs live under a configurable base (default `https://w3id.org/mgi/`);
the ontology namespace is fixed by the vocabulary contract.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Namespace, URIRef

DEFAULT_BASE = "https://w3id.org/mgi/"

MGI = Namespace("https://w3id.org/mgi/def#")
ONTOLOGY_IRI = URIRef("https://w3id.org/mgi/def")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
VANN = Namespace("http://purl.org/vocab/vann/")
VOID = Namespace("http://rdfs.org/ns/void#")

PREFIXES: dict[str, str] = {
    "mgi": str(MGI),
    "org": str(ORG),
    "schema": str(SCHEMA),
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "void": str(VOID),
}


def sparql_prefixes() -> str:
    """PREFIX lines for every namespace above, for queries and examples."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


@dataclass(frozen=True, slots=True)
class Iris:
    """Mints the IRIs of the knowledge graph under one base."""

    base: str = DEFAULT_BASE

    def __post_init__(self) -> None:
        if not self.base.endswith("/"):
            raise ValueError(f"base IRI must end with '/': {self.base!r}")

    def profile(self, slug: str) -> URIRef:
        return URIRef(f"{self.base}id/profile/{slug}")

    def finding(self, profile_slug: str, n: int) -> URIRef:
        return URIRef(f"{self.base}id/finding/{profile_slug}/{n}")

    def mention(self, profile_slug: str, n: int, k: int) -> URIRef:
        """Hash IRI inside the finding's document: explained where it is found."""
        return URIRef(f"{self.base}id/finding/{profile_slug}/{n}#mention-{k}")

    def org(self, slug: str) -> URIRef:
        return URIRef(f"{self.base}id/org/{slug}")

    def instrument(self, slug: str) -> URIRef:
        return URIRef(f"{self.base}id/instrument/{slug}")

    def place(self, slug: str) -> URIRef:
        return URIRef(f"{self.base}id/place/{slug}")

    @property
    def reference_graph(self) -> URIRef:
        """Named graph of curated reference data (places, known institutions)."""
        return URIRef(f"{self.base}graph/reference")

    @property
    def ontology_graph(self) -> URIRef:
        return ONTOLOGY_IRI

    @property
    def dataset(self) -> URIRef:
        return URIRef(f"{self.base}dataset")
