"""IRI minting (DESIGN.md §Vocabulary contract); namespaces live in `kb.namespaces`.

Data IRIs live under a configurable base (default `https://w3id.org/mgi/`);
the ontology namespace is fixed by the vocabulary contract.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef

from kb.namespaces import ONTOLOGY_IRI

DEFAULT_BASE = "https://w3id.org/mgi/"


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
