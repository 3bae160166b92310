"""Every namespace the project writes or reads, in one place.

The ontology namespace is fixed by the vocabulary contract (DESIGN.md).
rdflib `Namespace` objects serve the build; the plain strings serve code
that works on pyoxigraph terms. `PREFIXES` are the data's prefixes;
`ALL_PREFIXES` adds the few the linked-data documents use.
"""

from __future__ import annotations

import re

from rdflib import Namespace, URIRef

MGI = Namespace("https://w3id.org/mgi/def#")
ONTOLOGY_IRI = URIRef("https://w3id.org/mgi/def")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
VANN = Namespace("http://purl.org/vocab/vann/")
VOID = Namespace("http://rdfs.org/ns/void#")

FOAF = "http://xmlns.com/foaf/0.1/"
HYDRA = "http://www.w3.org/ns/hydra/core#"
SPDX = "http://spdx.org/rdf/terms#"
SD = "http://www.w3.org/ns/sparql-service-description#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD = "http://www.w3.org/2001/XMLSchema#"

PREFIXES: dict[str, str] = {
    "mgi": str(MGI),
    "org": str(ORG),
    "schema": str(SCHEMA),
    "skos": SKOS,
    "dcterms": DCTERMS,
    "prov": "http://www.w3.org/ns/prov#",
    "rdfs": RDFS,
    "rdf": RDF,
    "xsd": XSD,
    "owl": OWL,
    "dcat": "http://www.w3.org/ns/dcat#",
    "void": str(VOID),
}

# Everything the documents write: the project's prefixes plus the few that
# only the linked-data layer uses (document metadata, paging, checksums).
ALL_PREFIXES: dict[str, str] = {
    **PREFIXES,
    "foaf": FOAF,
    "hydra": HYDRA,
    "spdx": SPDX,
    "sd": SD,
    "vann": str(VANN),
}
_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


def sparql_prefixes() -> str:
    """PREFIX lines for every namespace of `PREFIXES`, for queries and examples."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


def curie(iri: str, prefixes: dict[str, str] = ALL_PREFIXES) -> str | None:
    """`https://w3id.org/mgi/def#Finding` -> `mgi:Finding`; None when no prefix fits."""
    for prefix, namespace in prefixes.items():
        if iri.startswith(namespace):
            local = iri[len(namespace) :]
            if _LOCAL.fullmatch(local):
                return f"{prefix}:{local}"
    return None


def expand_curie(text: str, prefixes: dict[str, str] = ALL_PREFIXES) -> str | None:
    prefix, colon, local = text.partition(":")
    if colon and prefix in prefixes and _LOCAL.fullmatch(local):
        return prefixes[prefix] + local
    return None
