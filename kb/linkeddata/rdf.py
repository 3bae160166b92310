"""RDF representations of documents: the description's triples plus document metadata.

The metadata says what the document is about (`foaf:primaryTopic`), under
which licence, in which dataset, and how the links into the resource are
paged (Hydra collections with `hydra:totalItems` and page views), so an RDF
client sees the same shape as a person reading the page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from urllib.parse import urlencode

import pyoxigraph as ox

from kb.linkeddata.describe import Description
from kb.linkeddata.formats import DocFormat
from kb.namespaces import ALL_PREFIXES, DCTERMS, FOAF, HYDRA, curie
from kb.rdf import jsonld

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
VOID_IN_DATASET = ox.NamedNode("http://rdfs.org/ns/void#inDataset")


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def page_iri(doc_iri: str, prop: str, page: int) -> str:
    """IRI of one page of the links into a resource with `prop`."""
    name = curie(prop) or prop
    return f"{doc_iri}?{urlencode((('in', name), ('page', str(page))), safe=':')}"


def document_metadata(
    description: Description,
    *,
    doc_iri: str,
    licence: str | None,
    dataset_iri: str,
    page_iri_of: Callable[[str, str, int], str] = page_iri,
) -> list[ox.Triple]:
    doc = _n(doc_iri)
    topic = _n(description.iri)
    triples = [
        ox.Triple(doc, RDF_TYPE, _n(FOAF + "Document")),
        ox.Triple(doc, _n(FOAF + "primaryTopic"), topic),
        ox.Triple(doc, VOID_IN_DATASET, _n(dataset_iri)),
    ]
    if licence:
        triples.append(ox.Triple(doc, _n(DCTERMS + "license"), _n(licence)))
    for group in description.incoming:
        name = (curie(group.property) or group.property).replace(":", "-")
        collection = _n(f"{doc_iri}#incoming-{name}")
        block = _n(f"{doc_iri}#incoming-{name}-links")
        triples += [
            ox.Triple(collection, RDF_TYPE, _n(HYDRA + "Collection")),
            ox.Triple(
                collection,
                _n(HYDRA + "totalItems"),
                ox.Literal(str(group.total), datatype=XSD_INTEGER),
            ),
            ox.Triple(collection, _n(HYDRA + "manages"), block),
            ox.Triple(block, _n(HYDRA + "property"), _n(group.property)),
            ox.Triple(block, _n(HYDRA + "object"), topic),
        ]
        triples += [ox.Triple(collection, _n(HYDRA + "member"), _n(s)) for s in group.subjects]
        if group.pages == 1:
            continue  # all the links are here: no pages to name
        view = _n(page_iri_of(doc_iri, group.property, group.page))
        triples += [
            ox.Triple(collection, _n(HYDRA + "view"), view),
            ox.Triple(view, RDF_TYPE, _n(HYDRA + "PartialCollectionView")),
            ox.Triple(view, _n(HYDRA + "first"), _n(page_iri_of(doc_iri, group.property, 1))),
            ox.Triple(
                view, _n(HYDRA + "last"), _n(page_iri_of(doc_iri, group.property, group.pages))
            ),
        ]
        if group.page > 1:
            previous = page_iri_of(doc_iri, group.property, group.page - 1)
            triples.append(ox.Triple(view, _n(HYDRA + "previous"), _n(previous)))
        if group.page < group.pages:
            following = page_iri_of(doc_iri, group.property, group.page + 1)
            triples.append(ox.Triple(view, _n(HYDRA + "next"), _n(following)))
    return triples


def _order(triples: Iterable[ox.Triple], first: str | None) -> list[ox.Triple]:
    unique = set(triples)
    return sorted(
        unique,
        key=lambda t: (
            not (isinstance(t.subject, ox.NamedNode) and t.subject.value == first),
            str(t.subject),
            str(t.predicate),
            str(t.object),
        ),
    )


def serialize(triples: Iterable[ox.Triple], fmt: DocFormat, *, first: str | None = None) -> bytes:
    """Triples in one RDF format, in a stable order (the described resource first)."""
    ordered = _order(triples, first)
    if fmt is DocFormat.JSONLD:
        return jsonld.dumps(jsonld.document(ordered, first=first))
    prefixes = ALL_PREFIXES if fmt in (DocFormat.TURTLE, DocFormat.RDFXML) else None
    return ox.serialize(ordered, format=fmt.rdf_format, prefixes=prefixes) or b""
