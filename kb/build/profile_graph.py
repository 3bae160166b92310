"""Model -> RDF: one named graph per profile, and the reference graph.

Pure functions over in-memory objects; the same input always gives the same
triples (no blank nodes, no clocks), so canonical N-Quads are byte-identical.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import RDF, RDFS, SKOS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from kb.iris import Iris
from kb.model import (
    EntityKind,
    Extraction,
    Level,
    Organization,
    PlaceKind,
    PolicyInstrument,
    Profile,
)
from kb.namespaces import MGI, ORG, SCHEMA
from kb.reference.places import Place, Places
from kb.text import slugify

_PLACE_CLASS = {
    PlaceKind.CITY: SCHEMA.City,
    PlaceKind.REGION: SCHEMA.AdministrativeArea,
    PlaceKind.COUNTRY: SCHEMA.Country,
}


# A finding has no title of its own; its label says where it stands.
FINDING_LABELS = {
    "en": "{place} {year}, finding {n}",
    "es": "{place} {year}, hallazgo {n}",
    "fr": "{place} {year}, constat {n}",
    "pt": "{place} {year}, constatação {n}",
}


def concept_local_name(code: str) -> str:
    """Type code -> concept local name: 'oversight-body' -> 'OversightBody'."""
    return "".join(part.capitalize() for part in code.split("-"))


def profile_slug(profile: Profile) -> str:
    """`{place slug}-{year}`, as the gold files and DESIGN.md name profiles."""
    return f"{slugify(profile.place_name)}-{profile.year}"


def place_slug_for(profile: Profile, places: Places) -> str:
    known = places.find(profile.place_name)
    return known.slug if known else slugify(profile.place_name)


def build_profile_graph(
    profile: Profile,
    extraction: Extraction,
    *,
    iris: Iris,
    places: Places,
    publisher: URIRef | None = None,
) -> Graph:
    """The named graph of one profile: profile, findings, mentions, minted entities."""
    g = Graph()
    slug = profile_slug(profile)
    p = iris.profile(slug)
    lang = profile.findings_language

    g.add((p, RDF.type, MGI.Profile))
    level_class = MGI.LocalProfile if profile.level is Level.LOCAL else MGI.NationalProfile
    g.add((p, RDF.type, level_class))
    g.add((p, RDFS.label, Literal(profile.title, lang=profile.title_language)))
    g.add((p, DCTERMS.title, Literal(profile.title, lang=profile.title_language)))
    g.add((p, DCTERMS.issued, Literal(profile.date, datatype=XSD.gYearMonth)))
    g.add((p, DCTERMS.language, Literal(lang, datatype=XSD.language)))
    g.add((p, DCTERMS.source, Literal(profile.source)))
    g.add((p, DCTERMS.identifier, Literal(slug)))
    if profile.intro.paragraphs:
        g.add((p, DCTERMS.abstract, Literal("\n\n".join(profile.intro.paragraphs), lang=lang)))
    if publisher is not None:
        g.add((p, DCTERMS.publisher, publisher))

    place_iri = _add_assessed_place(g, profile, iris=iris, places=places)
    g.add((p, MGI.assessedPlace, place_iri))

    for org in extraction.organizations:
        if not org.curated:
            _add_organization(g, org, iris=iris)
    for instrument in extraction.instruments:
        _add_instrument(g, instrument, iris=iris, lang=lang)

    mentions_by_finding: dict[int, list] = {}
    for mention in extraction.mentions:
        mentions_by_finding.setdefault(mention.finding_n, []).append(mention)

    for finding in profile.findings:
        f = iris.finding(slug, finding.n)
        g.add((p, MGI.hasFinding, f))
        g.add((f, MGI.profile, p))
        g.add((f, RDF.type, MGI.Finding))
        for language, pattern in FINDING_LABELS.items():
            label = pattern.format(n=finding.n, place=profile.designation, year=profile.year)
            g.add((f, RDFS.label, Literal(label, lang=language)))
        g.add((f, MGI.domain, MGI[finding.domain.local_name]))
        g.add((f, MGI.assessment, MGI[finding.assessment.local_name]))
        g.add((f, MGI.position, Literal(finding.position, datatype=XSD.integer)))
        g.add((f, MGI.text, Literal(finding.text, lang=lang)))
        for year in extraction.years.get(finding.n, ()):
            g.add((f, MGI.refersToYear, Literal(f"{year:04d}", datatype=XSD.gYear)))
        ordered = sorted(mentions_by_finding.get(finding.n, []), key=lambda m: (m.start, m.end))
        for k, mention in enumerate(ordered, start=1):
            target = (
                iris.org(mention.target)
                if mention.kind is EntityKind.ORGANIZATION
                else iris.instrument(mention.target)
            )
            m = iris.mention(slug, finding.n, k)
            g.add((f, MGI.mentions, target))
            g.add((f, MGI.hasMention, m))
            g.add((m, RDF.type, MGI.Mention))
            g.add((m, RDFS.label, Literal(mention.surface_form, lang=lang)))
            g.add((m, MGI.refersTo, target))
            g.add((m, MGI.surfaceForm, Literal(mention.surface_form, lang=lang)))
            g.add((m, MGI.start, Literal(mention.start, datatype=XSD.integer)))
            g.add((m, MGI.end, Literal(mention.end, datatype=XSD.integer)))
    return g


def _add_assessed_place(g: Graph, profile: Profile, *, iris: Iris, places: Places) -> URIRef:
    """Curated places live in the reference graph; an unknown one is minted here."""
    known = places.find(profile.place_name)
    if known is not None:
        return iris.place(known.slug)
    iri = iris.place(slugify(profile.place_name))
    g.add((iri, RDF.type, _PLACE_CLASS[profile.assessed_kind]))
    g.add((iri, RDFS.label, Literal(profile.place_name)))
    g.add((iri, SCHEMA.name, Literal(profile.place_name)))
    return iri


def _add_organization(g: Graph, org: Organization, *, iris: Iris) -> None:
    o = iris.org(org.slug)
    g.add((o, RDF.type, ORG.Organization))
    g.add((o, RDFS.label, Literal(org.label, lang=org.label_language)))
    g.add((o, SKOS.prefLabel, Literal(org.label, lang=org.label_language)))
    for alt in org.alt_labels:
        if alt != org.label:
            g.add((o, SKOS.altLabel, Literal(alt, lang=org.label_language)))
    g.add((o, ORG.classification, MGI[concept_local_name(org.institution_type)]))
    g.add((o, MGI.curated, Literal(org.curated)))
    if org.parent:
        g.add((o, ORG.subOrganizationOf, iris.org(org.parent)))
    if org.jurisdiction:
        g.add((o, MGI.jurisdiction, iris.place(org.jurisdiction)))


def _add_instrument(g: Graph, instrument: PolicyInstrument, *, iris: Iris, lang: str) -> None:
    i = iris.instrument(instrument.slug)
    title_lang = instrument.title_language or lang
    g.add((i, RDF.type, MGI.PolicyInstrument))
    g.add((i, RDFS.label, Literal(instrument.title, lang=title_lang)))
    g.add((i, DCTERMS.title, Literal(instrument.title, lang=title_lang)))
    g.add((i, MGI.instrumentType, MGI[concept_local_name(instrument.instrument_type)]))
    g.add((i, MGI.status, MGI[concept_local_name(instrument.status)]))
    years = sorted(set(instrument.years))
    if len(years) == 1:
        g.add((i, DCTERMS.issued, Literal(f"{years[0]:04d}", datatype=XSD.gYear)))
    elif years:
        # A span such as "2020-2023" is a period of validity, not an issue date.
        g.add((i, SCHEMA.temporalCoverage, Literal(f"{years[0]:04d}/{years[-1]:04d}")))
    if instrument.creator:
        g.add((i, DCTERMS.creator, iris.org(instrument.creator)))
    if instrument.jurisdiction:
        g.add((i, MGI.jurisdiction, iris.place(instrument.jurisdiction)))


def build_places_graph(places: Places, *, iris: Iris) -> Graph:
    """Curated places with labels in every language given, and their containment."""
    g = Graph()
    for place in sorted(places.places.values(), key=lambda p: p.slug):
        _add_place(g, place, places=places, iris=iris)
    return g


def _add_place(g: Graph, place: Place, *, places: Places, iris: Iris) -> None:
    iri = iris.place(place.slug)
    g.add((iri, RDF.type, _PLACE_CLASS[place.kind]))
    g.add((iri, RDFS.label, Literal(place.label("en"), lang="en")))
    for language, label in sorted(place.labels.items()):
        g.add((iri, SCHEMA.name, Literal(label, lang=language)))
        g.add((iri, SKOS.prefLabel, Literal(label, lang=language)))
    if place.within:
        g.add((iri, SCHEMA.containedInPlace, iris.place(place.within)))
    country = places.country_of(place.slug)
    if country is not None and country.slug not in (place.slug, place.within):
        g.add((iri, SCHEMA.containedInPlace, iris.place(country.slug)))
    if place.iso3166:
        g.add((iri, SCHEMA.identifier, Literal(place.iso3166)))
    if place.latitude is not None and place.longitude is not None:
        g.add((iri, SCHEMA.latitude, Literal(place.latitude, datatype=XSD.decimal)))
        g.add((iri, SCHEMA.longitude, Literal(place.longitude, datatype=XSD.decimal)))


def merge(graphs: Iterable[Graph]) -> Graph:
    """One graph holding the triples of several (for validation)."""
    merged = Graph()
    for graph in graphs:
        for triple in graph:
            merged.add(triple)
    return merged
