"""From a description's triples to what a page shows, in the reader's language.

Nothing here queries the store: everything comes from the `Description`
(its triples), the ontology (`Vocabulary`) and the link rules (`Linker`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace
from typing import Any

import pyoxigraph as ox
from markupsafe import Markup

from kb.linkeddata.describe import Description, IncomingGroup
from kb.linkeddata.highlight import Span, highlight
from kb.linkeddata.i18n import pick_tagged, term_label
from kb.linkeddata.paths import IriSpace, Linker, Target
from kb.linkeddata.vocabulary import Vocabulary
from kb.namespaces import DCTERMS, MGI, ORG, OWL, RDFS, SCHEMA, SKOS, XSD, curie
from kb.rdf.graph import RDF_TYPE, TripleIndex

FINDING = str(MGI.Finding)
MENTION = str(MGI.Mention)
WELL_DEVELOPED = str(MGI.WellDeveloped)
POTENTIAL = str(MGI.PotentialForDevelopment)

# Properties in the order a reader expects them; the rest follow by label.
_FIRST = [
    RDF_TYPE,
    SKOS + "prefLabel",
    RDFS + "label",
    DCTERMS + "title",
    SKOS + "altLabel",
    str(MGI.domain),
    str(MGI.assessment),
    str(MGI.profile),
    str(ORG.classification),
    str(ORG.subOrganizationOf),
    str(MGI.instrumentType),
    str(MGI.status),
    str(MGI.jurisdiction),
    str(MGI.assessedPlace),
    str(SCHEMA.containedInPlace),
    DCTERMS + "issued",
]
# Shown in their own section of the page instead of the property table.
_OWN_SECTION = {
    FINDING: {str(MGI.text), str(MGI.hasMention)},
    str(MGI.Profile): {str(MGI.hasFinding)},
    str(MGI.LocalProfile): {str(MGI.hasFinding)},
    str(MGI.NationalProfile): {str(MGI.hasFinding)},
}
_KINDS = {"profile", "finding", "org", "instrument", "place"}


@dataclass(frozen=True, slots=True)
class LinkView:
    href: str
    text: str
    iri: str
    lang: str | None = None
    external: bool = False


@dataclass(frozen=True, slots=True)
class LiteralView:
    text: str
    lang: str | None = None
    datatype: str | None = None


Value = LinkView | LiteralView


@dataclass(frozen=True, slots=True)
class PropertyView:
    iri: str
    label: str
    link: LinkView
    values: list[Value]


@dataclass(frozen=True, slots=True)
class FindingCard:
    link: LinkView
    profile: LinkView | None
    domain: LinkView | None
    assessment: LinkView | None
    assessment_key: str
    position: str | None
    text: Markup
    text_lang: str | None


@dataclass(frozen=True, slots=True)
class MentionRow:
    fragment: str
    surface: str
    lang: str | None
    start: str
    end: str
    target: LinkView | None


@dataclass(frozen=True, slots=True)
class PagerView:
    page: int
    pages: int
    previous: str | None
    next: str | None
    numbers: list[tuple[int, str | None]]
    """(page number, link or None for the current page); a window around the current page."""


@dataclass(frozen=True, slots=True)
class IncomingView:
    property: str
    label: str
    anchor: str
    total: int
    cards: list[FindingCard]
    links: list[LinkView]
    pager: PagerView | None
    shown_above: bool = False


@dataclass(frozen=True, slots=True)
class DomainSection:
    domain: LinkView
    notation: str
    lists: list[tuple[LinkView, str, list[FindingCard]]]


@dataclass(slots=True)
class ResourceView:
    iri: str
    label: str
    label_lang: str | None
    kind: str
    types: list[LinkView]
    properties: list[PropertyView]
    finding: FindingCard | None = None
    mentions: list[MentionRow] = field(default_factory=list)
    domains: list[DomainSection] = field(default_factory=list)
    incoming: list[IncomingView] = field(default_factory=list)
    schema: dict[str, Any] = field(default_factory=dict)
    explorer: str | None = None
    """The resource's page in the explorer (a running server's), if it has one."""


class Labeller:
    """Labels and links for the IRIs of one page."""

    def __init__(
        self,
        graph: TripleIndex,
        vocabulary: Vocabulary,
        space: IriSpace,
        linker: Linker,
        lang: str,
    ) -> None:
        self.graph = graph
        self.vocabulary = vocabulary
        self.space = space
        self.linker = linker
        self.lang = lang

    def label(self, iri: str) -> tuple[str, str | None]:
        """A label for `iri` and its language tag (None when unknown or untagged)."""
        for labels in (
            self.graph.labels(iri),
            self.vocabulary.graph.labels(iri),
            self.graph.texts(iri, str(MGI.surfaceForm)),
        ):
            text, tag = pick_tagged(labels, self.lang)
            if text is not None:
                return text, tag
        standard = term_label(iri, self.lang)
        if standard is not None:
            return standard, self.lang
        return curie(iri) or iri, None

    def href(self, iri: str) -> str | None:
        place = self.space.document_path(iri)
        if place is None:
            return None
        path, fragment = place
        return self.linker.url(Target(path, fragment=fragment))

    def link(self, iri: str) -> LinkView:
        text, lang = self.label(iri)
        href = self.href(iri)
        if href is None:
            return LinkView(iri, text, iri, lang, external=True)
        return LinkView(href, text, iri, lang)

    def value(self, term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Value:
        if isinstance(term, ox.NamedNode):
            return self.link(term.value)
        if isinstance(term, ox.BlankNode):
            return LiteralView(f"_:{term.value}")
        datatype = term.datatype.value
        shown = None
        # XSD types read as what they are (a number, a date); others are worth naming.
        if not term.language and not datatype.startswith(XSD):
            shown = curie(datatype) or datatype
        return LiteralView(term.value, term.language or None, shown)


def kind_of(space: IriSpace, iri: str) -> str:
    rel = space.relative(iri)
    if rel and rel[0].startswith("id/"):
        kind = rel[0].split("/")[1]
        return kind if kind in _KINDS else "resource"
    return "resource"


def _sort_values(values: list[Value], lang: str) -> list[Value]:
    def order(value: Value) -> tuple[int, str]:
        tag = value.lang or ""
        rank = 0 if tag == lang else 1 if tag in ("", "en") else 2
        return rank, value.text.lower()

    return sorted(values, key=order)


def properties(
    graph: TripleIndex, subject: str, labeller: Labeller, *, hide: Collection[str] = ()
) -> list[PropertyView]:
    rows = []
    for predicate, values in graph.properties(subject).items():
        if predicate in hide:
            continue
        label = labeller.vocabulary.label(predicate, labeller.lang)
        link = labeller.link(predicate)
        shown = _sort_values([labeller.value(v) for v in values], labeller.lang)
        rows.append(PropertyView(predicate, label, link, shown))

    def order(row: PropertyView) -> tuple[int, str]:
        rank = _FIRST.index(row.iri) if row.iri in _FIRST else len(_FIRST)
        return rank, row.label.lower()

    return sorted(rows, key=order)


def finding_card(
    graph: TripleIndex,
    finding: str,
    labeller: Labeller,
    *,
    mark: Callable[[str], bool] = lambda _target: True,
    link_marks: bool = True,
) -> FindingCard:
    """A finding with its place in the profile and its text, `mark`ed mentions highlighted."""
    text = graph.value(finding, str(MGI.text))
    spans = []
    for mention in graph.iris(finding, str(MGI.hasMention)):
        target = graph.value(mention, str(MGI.refersTo))
        start, end = graph.value(mention, str(MGI.start)), graph.value(mention, str(MGI.end))
        if not isinstance(target, ox.NamedNode) or start is None or end is None:
            continue
        if not mark(target.value):
            continue
        try:
            first, last = int(start.value), int(end.value)
        except ValueError:
            continue
        href = labeller.href(target.value) if link_marks else None
        spans.append(Span(first, last, href, labeller.label(target.value)[0]))
    body = highlight(text.value, spans) if isinstance(text, ox.Literal) else Markup("")
    assessment = graph.value(finding, str(MGI.assessment))
    key = ""
    if isinstance(assessment, ox.NamedNode):
        key = {WELL_DEVELOPED: "well", POTENTIAL: "potential"}.get(assessment.value, "")
    position = graph.value(finding, str(MGI.position))

    def optional_link(predicate: str) -> LinkView | None:
        value = graph.value(finding, predicate)
        return labeller.link(value.value) if isinstance(value, ox.NamedNode) else None

    return FindingCard(
        link=labeller.link(finding),
        profile=optional_link(str(MGI.profile)),
        domain=optional_link(str(MGI.domain)),
        assessment=optional_link(str(MGI.assessment)),
        assessment_key=key,
        position=position.value if isinstance(position, ox.Literal) else None,
        text=body,
        text_lang=text.language if isinstance(text, ox.Literal) and text.language else None,
    )


def mention_rows(graph: TripleIndex, finding: str, labeller: Labeller) -> list[MentionRow]:
    rows = []
    for mention in graph.iris(finding, str(MGI.hasMention)):
        surface = graph.value(mention, str(MGI.surfaceForm))
        target = graph.value(mention, str(MGI.refersTo))
        start = graph.value(mention, str(MGI.start))
        end = graph.value(mention, str(MGI.end))
        rows.append(
            MentionRow(
                fragment=mention.partition("#")[2],
                surface=surface.value if isinstance(surface, ox.Literal) else "",
                lang=surface.language or None if isinstance(surface, ox.Literal) else None,
                start=start.value if start is not None else "",
                end=end.value if end is not None else "",
                target=labeller.link(target.value) if isinstance(target, ox.NamedNode) else None,
            )
        )

    def order(row: MentionRow) -> tuple[int, str]:
        return (int(row.start) if row.start.isdigit() else 1 << 30, row.fragment)

    return sorted(rows, key=order)


def pager(
    group: IncomingGroup, url_of_page: Callable[[int], str], *, window: int = 3
) -> PagerView | None:
    if group.pages <= 1:
        return None
    first = max(1, group.page - window)
    last = min(group.pages, group.page + window)
    numbers = sorted({1, *range(first, last + 1), group.pages})
    return PagerView(
        page=group.page,
        pages=group.pages,
        previous=url_of_page(group.page - 1) if group.page > 1 else None,
        next=url_of_page(group.page + 1) if group.page < group.pages else None,
        numbers=[(n, None if n == group.page else url_of_page(n)) for n in numbers],
    )


def resource_view(
    description: Description,
    *,
    vocabulary: Vocabulary,
    space: IriSpace,
    linker: Linker,
    lang: str,
    page_url: Callable[[str, int], str],
) -> ResourceView:
    """The page of one resource; `page_url(property, n)` links a page of incoming links."""
    graph = description.graph
    iri = description.iri
    labeller = Labeller(graph, vocabulary, space, linker, lang)
    label, label_lang = labeller.label(iri)
    types = graph.types(iri)
    hide: set[str] = set()
    for cls in types:
        hide |= _OWN_SECTION.get(cls, set())
    view = ResourceView(
        iri=iri,
        label=label,
        label_lang=label_lang,
        kind=kind_of(space, iri),
        types=[labeller.link(t) for t in types],
        properties=properties(graph, iri, labeller, hide=hide),
    )
    if FINDING in types:
        view.finding = finding_card(graph, iri, labeller)
        view.mentions = mention_rows(graph, iri, labeller)
    findings = graph.iris(iri, str(MGI.hasFinding))
    if findings and str(MGI.hasFinding) in hide:
        view.domains = domain_sections(graph, findings, labeller)
    outgoing = {p: set(graph.iris(iri, p)) for p in graph.properties(iri)}
    for group in description.incoming:
        view.incoming.append(
            incoming_view(group, graph, labeller, focus=iri, outgoing=outgoing, page_url=page_url)
        )
    view.schema = schema_org(view, graph, labeller)
    return view


def domain_sections(
    graph: TripleIndex, findings: list[str], labeller: Labeller
) -> list[DomainSection]:
    """A profile's findings by domain (in the scheme's order), then by assessment."""
    by_domain: dict[str, dict[str, list[str]]] = {}
    for finding in findings:
        domain = graph.value(finding, str(MGI.domain))
        assessment = graph.value(finding, str(MGI.assessment))
        d = domain.value if isinstance(domain, ox.NamedNode) else ""
        a = assessment.value if isinstance(assessment, ox.NamedNode) else ""
        by_domain.setdefault(d, {}).setdefault(a, []).append(finding)
    notation = labeller.vocabulary.graph

    def domain_order(d: str) -> tuple[int, str]:
        code = notation.value(d, SKOS + "notation")
        return (int(code.value) if code is not None and code.value.isdigit() else 99, d)

    def position(f: str) -> int:
        value = graph.value(f, str(MGI.position))
        return int(value.value) if value is not None and value.value.isdigit() else 1 << 30

    sections = []
    for domain in sorted(by_domain, key=domain_order):
        lists = []
        for assessment in sorted(by_domain[domain], key=lambda a: (a != WELL_DEVELOPED, a)):
            key = {WELL_DEVELOPED: "well", POTENTIAL: "potential"}.get(assessment, "")
            cards = [
                finding_card(graph, f, labeller, link_marks=True)
                for f in sorted(by_domain[domain][assessment], key=position)
            ]
            lists.append((labeller.link(assessment), key, cards))
        code = notation.value(domain, SKOS + "notation")
        sections.append(DomainSection(labeller.link(domain), code.value if code else "", lists))
    return sections


def incoming_view(
    group: IncomingGroup,
    graph: TripleIndex,
    labeller: Labeller,
    *,
    focus: str,
    outgoing: dict[str, set[str]],
    page_url: Callable[[str, int], str],
) -> IncomingView:
    vocabulary = labeller.vocabulary
    label = vocabulary.inverse_label(group.property, labeller.lang)
    name = (curie(group.property) or group.property).replace(":", "-")
    # The same links, read from this end, may already be listed (owl:inverseOf).
    inverse = vocabulary.graph.iris(group.property, OWL + "inverseOf")
    shown_above = any(
        outgoing.get(q) and len(outgoing[q]) == group.total and set(group.subjects) <= outgoing[q]
        for q in inverse
    )
    cards = []
    links = []
    for subject in group.subjects:
        if graph.has_type(subject, FINDING):
            cards.append(
                finding_card(
                    graph,
                    subject,
                    labeller,
                    mark=lambda target: target == focus,
                    link_marks=False,
                )
            )
        elif "#" in subject:
            # A mention: its words, and the finding it is in.
            link = labeller.link(subject)
            owner = labeller.label(subject.partition("#")[0])[0]
            links.append(replace(link, text=f"«{link.text}» — {owner}", lang=None))
        else:
            links.append(labeller.link(subject))
    return IncomingView(
        property=group.property,
        label=label,
        anchor=f"incoming-{name}",
        total=group.total,
        cards=cards,
        links=links
        if any("#" in s for s in group.subjects)
        else sorted(links, key=lambda link: link.text.lower()),
        pager=pager(group, lambda n: page_url(group.property, n)),
        shown_above=shown_above,
    )


def schema_org(view: ResourceView, graph: TripleIndex, labeller: Labeller) -> dict[str, Any]:
    """Embedded schema.org JSON-LD for search engines: the main facts, where schema.org fits."""
    iri = view.iri
    node: dict[str, Any] = {"@context": "https://schema.org", "@id": iri, "name": view.label}

    def ref(other: str) -> dict[str, str]:
        return {"@id": other, "name": labeller.label(other)[0]}

    if view.kind == "org":
        node["@type"] = "Organization"
        alternates = [v for v in graph.texts(iri, SKOS + "altLabel").values()]
        if alternates:
            node["alternateName"] = sorted(alternates)
        parents = graph.iris(iri, str(ORG.subOrganizationOf))
        if parents:
            node["parentOrganization"] = [ref(p) for p in parents]
        places = graph.iris(iri, str(MGI.jurisdiction))
        if places:
            node["areaServed"] = [ref(p) for p in places]
    elif view.kind == "profile":
        node["@type"] = "Report"
        issued = graph.value(iri, DCTERMS + "issued")
        if issued is not None:
            node["datePublished"] = issued.value
        language = graph.value(iri, DCTERMS + "language")
        if language is not None:
            node["inLanguage"] = language.value
        for prop, key in ((DCTERMS + "publisher", "publisher"), (str(MGI.assessedPlace), "about")):
            targets = graph.iris(iri, prop)
            if targets:
                node[key] = ref(targets[0])
    elif view.kind == "finding":
        node["@type"] = "CreativeWork"
        text = graph.value(iri, str(MGI.text))
        if isinstance(text, ox.Literal):
            node["text"] = text.value
            if text.language:
                node["inLanguage"] = text.language
        profile = graph.iris(iri, str(MGI.profile))
        if profile:
            node["isPartOf"] = {"@type": "Report", **ref(profile[0])}
        domain = graph.iris(iri, str(MGI.domain))
        if domain:
            node["about"] = {"@type": "DefinedTerm", **ref(domain[0])}
        mentioned = graph.iris(iri, str(MGI.mentions))
        if mentioned:
            node["mentions"] = [ref(m) for m in mentioned]
    elif view.kind == "place":
        types = {t.iri for t in view.types}
        node["@type"] = next(
            (
                name
                for name in ("City", "Country", "AdministrativeArea")
                if str(SCHEMA) + name in types
            ),
            "Place",
        )
        lat = graph.value(iri, str(SCHEMA.latitude))
        lon = graph.value(iri, str(SCHEMA.longitude))
        if lat is not None and lon is not None:
            node["geo"] = {"@type": "GeoCoordinates", "latitude": lat.value, "longitude": lon.value}
        within = graph.iris(iri, str(SCHEMA.containedInPlace))
        if within:
            node["containedInPlace"] = [ref(w) for w in within]
    elif view.kind == "instrument":
        node["@type"] = "CreativeWork"
        issued = graph.value(iri, DCTERMS + "issued")
        if issued is not None:
            node["dateCreated"] = issued.value
        creators = graph.iris(iri, DCTERMS + "creator")
        if creators:
            node["creator"] = [ref(c) for c in creators]
        places = graph.iris(iri, str(MGI.jurisdiction))
        if places:
            node["spatialCoverage"] = [ref(p) for p in places]
    else:
        node["@type"] = "Thing"
    return node
