"""What the document of one resource says, whatever its representation.

A description is a set of triples: the resource's own (with its hash
resources), the labels and types of everything it links to, one page of the
links into it per property with the total counts (from the build's index),
and, for each finding it shows, the finding's domain, assessment and text.
The RDF representations serialise exactly these triples (plus paging
metadata); the HTML page is rendered from them.

The number of queries is fixed per page, never one per link.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Protocol

import pyoxigraph as ox

from kb.errors import ResourceNotFoundError
from kb.linkeddata import queries
from kb.namespaces import MGI
from kb.publication.link_index import IncomingIndex
from kb.publication.statistics import derived_graph
from kb.rdf.graph import TripleIndex
from kb.sparql.binding import is_iri, named_node

PAGE_SIZE = 25
FINDING = str(MGI.Finding)
# Links into a resource, most telling first; the others follow by property IRI.
INCOMING_ORDER = [
    str(MGI.mentions),
    str(MGI.profile),
    str(MGI.assessedPlace),
    "http://www.w3.org/ns/org#subOrganizationOf",
    "http://purl.org/dc/terms/creator",
    str(MGI.jurisdiction),
    "https://schema.org/containedInPlace",
]


class QueryableStore(Protocol):
    def query(self, sparql: str, *, substitutions: Any = None) -> Any: ...


class PageOutOfRangeError(ResourceNotFoundError):
    """A page number past the last page of an incoming-link group."""


@dataclass(frozen=True, slots=True)
class IncomingGroup:
    """Links into the resource with one property: the total, and one page of subjects."""

    property: str
    total: int
    page: int
    page_size: int
    subjects: list[str]

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))


@dataclass(slots=True)
class Description:
    iri: str
    own: list[ox.Triple]
    context: list[ox.Triple]
    incoming: list[IncomingGroup]
    graph: TripleIndex = field(init=False)

    def __post_init__(self) -> None:
        self.graph = TripleIndex([*self.own, *self.context])

    @property
    def triples(self) -> list[ox.Triple]:
        return list(self.graph)


def _construct(store: QueryableStore, sparql: str, **bound: ox.NamedNode) -> list[ox.Triple]:
    return list(store.query(sparql, substitutions=bound or None))


def _skip(base: str | None) -> ox.NamedNode:
    # Without a base there are no aggregates to leave out: bind a graph that never exists.
    return derived_graph(base) if base else ox.NamedNode("urn:kb:no-graph")


def about(store: QueryableStore, iris: list[str]) -> list[ox.Triple]:
    """Labels and types of `iris`, in one query."""
    if not iris:
        return []
    resources = [named_node(iri) for iri in sorted(set(iris))]
    return _construct(store, queries.ABOUT.bind(resources=resources))


def finding_cards(store: QueryableStore, iris: list[str]) -> list[ox.Triple]:
    if not iris:
        return []
    findings = [named_node(iri) for iri in sorted(set(iris))]
    return _construct(store, queries.FINDING_CARDS.bind(findings=findings))


def incoming_page(
    store: QueryableStore,
    iri: str,
    prop: str,
    *,
    page: int,
    page_size: int,
    base: str | None = None,
) -> list[str]:
    sparql = queries.INCOMING_PAGE.bind(limit=page_size, offset=(page - 1) * page_size)
    bound = {"iri": named_node(iri), "p": named_node(prop), "skip": _skip(base)}
    rows = store.query(sparql, substitutions=bound)
    return [row["s"].value for row in rows]


def exists(store: QueryableStore, iri: str) -> bool:
    if not is_iri(iri):
        return False  # no resource has a name that is not an IRI
    return bool(store.query(queries.EXISTS, substitutions={"iri": named_node(iri)}))


def describe(
    store: QueryableStore,
    index: IncomingIndex,
    iri: str,
    *,
    paged_property: str | None = None,
    page: int = 1,
    page_size: int = PAGE_SIZE,
    base: str | None = None,
) -> Description | None:
    """The description of `iri`, or None when the graph says nothing about it.

    `page` applies to the incoming links with `paged_property`; other groups
    show their first page. `PageOutOfRangeError` for a page past the end.
    `base` (the data's base IRI) locates the aggregates graph the description leaves out.
    """
    bound = {"iri": named_node(iri), "skip": _skip(base)}
    own = [
        ox.Triple(bound["iri"], r["p"], r["o"])
        for r in store.query(queries.SELF, substitutions=bound)
    ]
    if not own:
        return None
    own += [
        ox.Triple(r["s"], r["p"], r["o"]) for r in store.query(queries.PARTS, substitutions=bound)
    ]
    groups: list[IncomingGroup] = []
    incoming_triples: list[ox.Triple] = []
    target = named_node(iri)
    counts = sorted(
        index.counts(iri),
        key=lambda c: (INCOMING_ORDER.index(c[0]) if c[0] in INCOMING_ORDER else 99, c[0]),
    )
    if paged_property is not None and paged_property not in {p for p, _ in counts}:
        raise PageOutOfRangeError(f"no links into {iri} with {paged_property}")
    for prop, total in counts:
        number = page if prop == paged_property else 1
        group_pages = max(1, math.ceil(total / page_size))
        if number < 1 or number > group_pages:
            raise PageOutOfRangeError(f"page {number} of {group_pages}")
        subjects = incoming_page(store, iri, prop, page=number, page_size=page_size, base=base)
        groups.append(IncomingGroup(prop, total, number, page_size, subjects))
        predicate = ox.NamedNode(prop)
        incoming_triples += [ox.Triple(ox.NamedNode(s), predicate, target) for s in subjects]

    own_subjects = {iri, *(_subject_iri(t) for t in own)}
    linked = {
        t.object.value
        for t in own
        if isinstance(t.object, ox.NamedNode) and t.object.value not in own_subjects
    }
    linked |= {t.subject.value for t in incoming_triples}
    # A hash resource linking in (a mention) is shown with the document it belongs to.
    linked |= {s.partition("#")[0] for s in linked if "#" in s and not s.startswith(iri + "#")}
    context = about(store, sorted(linked))
    # The findings shown as cards: those linked either way (a profile's, an institution's).
    index_of_context = TripleIndex(context)
    findings = [r for r in sorted(linked) if index_of_context.has_type(r, FINDING) and r != iri]
    context += finding_cards(store, findings)
    # Cards name their domain, assessment and profile: label those too.
    cards = TripleIndex(context)
    more = {
        o
        for f in findings
        for p in (MGI.domain, MGI.assessment, MGI.profile)
        for o in cards.iris(f, str(p))
    }
    context += about(store, sorted(more - linked))
    return Description(iri, own, context + incoming_triples, groups)


def _subject_iri(triple: ox.Triple) -> str:
    subject = triple.subject
    return subject.value if isinstance(subject, ox.NamedNode) else ""
