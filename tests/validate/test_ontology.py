"""The vocabulary in `ontology/mgi.ttl` keeps the contract of DESIGN.md."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, SKOS

from kb.model import Assessment, Domain
from kb.namespaces import MGI, ONTOLOGY_IRI, VANN

ONTOLOGY_FILE = Path(__file__).resolve().parents[2] / "ontology" / "mgi.ttl"
ORG = Namespace("http://www.w3.org/ns/org#")

INSTITUTION_TYPES = (
    "municipal-government", "municipal-secretariat", "legislative-body", "regional-government",
    "national-government", "ministry", "national-body", "oversight-body", "judicial-body",
    "public-institute", "service-centre", "coordination-body", "police", "emergency-service",
    "university", "research-centre", "un-agency", "international-organization", "network",
    "ngo", "private-sector", "other",
)  # fmt: skip
INSTRUMENT_TYPES = (
    "plan", "program", "strategy", "policy", "law", "decree", "resolution", "circular",
    "ordinance", "treaty", "agreement", "route", "protocol", "other",
)  # fmt: skip
INSTRUMENT_STATUSES = ("in-force", "in-preparation", "planned", "not-ratified")

CLASSES = (
    "Profile", "LocalProfile", "NationalProfile", "Finding", "Mention", "Domain",
    "PolicyInstrument", "Assessment", "InstitutionType", "InstrumentType", "InstrumentStatus",
    "FindingCount", "CoMention",
)  # fmt: skip
OBJECT_PROPERTIES = (
    "assessedPlace", "hasFinding", "profile", "domain", "assessment", "mentions", "hasMention",
    "refersTo", "jurisdiction", "instrumentType", "status",
    "countedProfile", "countedInstitution", "countedDomain", "countedAssessment",
)  # fmt: skip
DATATYPE_PROPERTIES = (
    "text", "position", "refersToYear", "surfaceForm", "start", "end", "curated",
    "findingCount", "profileCount", "domainCount",
)  # fmt: skip
FUNCTIONAL = ("domain", "assessment", "position", "text", "profile")


def local_name(code: str) -> str:
    """The rule the builder uses to name a type concept after its code."""
    return "".join(part.capitalize() for part in code.split("-"))


@pytest.fixture(scope="module")
def g() -> Graph:
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


def languages(graph: Graph, subject: URIRef, predicate: URIRef) -> set[str | None]:
    return {o.language for o in graph.objects(subject, predicate) if isinstance(o, Literal)}


def test_parses_with_pyoxigraph_too(g: Graph) -> None:
    store = pyoxigraph.Store()
    store.load(path=str(ONTOLOGY_FILE), format=pyoxigraph.RdfFormat.TURTLE)
    assert len(store) == len(g)


def test_ontology_metadata(g: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in g
    assert g.value(ONTOLOGY_IRI, OWL.versionIRI) == URIRef("https://w3id.org/mgi/def/0.1.0")
    assert g.value(ONTOLOGY_IRI, OWL.versionInfo) == Literal("0.1.0")
    assert g.value(ONTOLOGY_IRI, DCTERMS.license) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )
    assert languages(g, ONTOLOGY_IRI, DCTERMS.title) >= {"en", "es"}
    assert g.value(ONTOLOGY_IRI, DCTERMS.description) is not None
    assert g.value(ONTOLOGY_IRI, DCTERMS.creator) is not None
    assert g.value(ONTOLOGY_IRI, DCTERMS.created) is not None
    assert g.value(ONTOLOGY_IRI, DCTERMS.modified) is not None
    assert g.value(ONTOLOGY_IRI, VANN.preferredNamespacePrefix) == Literal("mgi")
    assert g.value(ONTOLOGY_IRI, VANN.preferredNamespaceUri) == Literal(str(MGI))


def test_declares_exactly_the_contract_terms(g: Graph) -> None:
    declared = {
        kind: {str(s).removeprefix(str(MGI)) for s in g.subjects(RDF.type, kind) if s in MGI}
        for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    }
    assert declared[OWL.Class] == set(CLASSES)
    assert declared[OWL.ObjectProperty] == set(OBJECT_PROPERTIES)
    assert declared[OWL.DatatypeProperty] == set(DATATYPE_PROPERTIES)


@pytest.mark.parametrize("name", CLASSES + OBJECT_PROPERTIES + DATATYPE_PROPERTIES)
def test_term_is_documented(g: Graph, name: str) -> None:
    term = MGI[name]
    assert languages(g, term, RDFS.label) >= {"en", "es"}
    assert "en" in languages(g, term, RDFS.comment)
    assert g.value(term, RDFS.isDefinedBy) == ONTOLOGY_IRI


@pytest.mark.parametrize("name", OBJECT_PROPERTIES + DATATYPE_PROPERTIES)
def test_property_has_domain_and_range(g: Graph, name: str) -> None:
    assert g.value(MGI[name], RDFS.domain) is not None
    assert g.value(MGI[name], RDFS.range) is not None


@pytest.mark.parametrize("name", FUNCTIONAL)
def test_single_valued_properties_are_functional(g: Graph, name: str) -> None:
    assert (MGI[name], RDF.type, OWL.FunctionalProperty) in g


def test_has_finding_and_profile_are_inverse(g: Graph) -> None:
    assert (MGI.hasFinding, OWL.inverseOf, MGI.profile) in g
    assert (MGI.profile, OWL.inverseOf, MGI.hasFinding) in g


def test_profile_subclasses_and_concept_classes(g: Graph) -> None:
    assert (MGI.LocalProfile, RDFS.subClassOf, MGI.Profile) in g
    assert (MGI.NationalProfile, RDFS.subClassOf, MGI.Profile) in g
    for name in ("Domain", "Assessment", "InstitutionType", "InstrumentType", "InstrumentStatus"):
        assert (MGI[name], RDFS.subClassOf, SKOS.Concept) in g


def test_curated_is_a_boolean_on_organisations(g: Graph) -> None:
    assert g.value(MGI.curated, RDFS.domain) == ORG.Organization
    assert g.value(MGI.curated, RDFS.range) == URIRef("http://www.w3.org/2001/XMLSchema#boolean")


def scheme_members(g: Graph, scheme: str) -> dict[str, URIRef]:
    """notation -> concept, checking each member is a top concept with one notation."""
    members = {}
    for concept in g.subjects(SKOS.inScheme, MGI[scheme]):
        assert (concept, SKOS.topConceptOf, MGI[scheme]) in g
        assert (MGI[scheme], SKOS.hasTopConcept, concept) in g
        notations = list(g.objects(concept, SKOS.notation))
        assert len(notations) == 1, concept
        members[str(notations[0])] = concept
    assert (MGI[scheme], RDF.type, SKOS.ConceptScheme) in g
    return members


def test_six_domains_match_the_model(g: Graph) -> None:
    members = scheme_members(g, "Domains")
    assert members == {d.notation: MGI[d.local_name] for d in Domain}
    for concept in members.values():
        assert (concept, RDF.type, MGI.Domain) in g
        assert languages(g, concept, SKOS.prefLabel) == {"en", "es", "fr", "pt"}


@pytest.mark.parametrize(
    ("domain", "lang", "label"),
    [
        ("MigrantsRights", "en", "Migrants' rights"),
        ("MigrantsRights", "es", "Derechos de los migrantes"),
        ("MigrantsRights", "pt", "Direitos dos migrantes"),
        ("MigrantsRights", "fr", "Droits des migrants"),
        ("WholeOfGovernment", "en", "Whole of government approach"),
        ("Partnerships", "es", "Alianzas"),
        ("MigrantWellbeing", "fr", "Bien-être des migrants"),
        ("MobilityDimensionsOfCrises", "pt", "Dimensões de mobilidade das crises"),
        ("SafeOrderlyRegularMigration", "es", "Migración segura, ordenada y regular"),
    ],
)
def test_domain_labels_use_the_official_wording(
    g: Graph, domain: str, lang: str, label: str
) -> None:
    assert Literal(label, lang=lang) in set(g.objects(MGI[domain], SKOS.prefLabel))


def test_other_heading_wordings_are_alt_labels(g: Graph) -> None:
    alts = set(g.objects(MGI.WholeOfGovernment, SKOS.altLabel))
    assert Literal("Whole-of-government approach", lang="en") in alts
    assert Literal("Enfoque pangubernamental", lang="es") in alts
    # SKOS: a label is preferred or alternative, never both.
    for concept in g.subjects(RDF.type, MGI.Domain):
        assert not set(g.objects(concept, SKOS.prefLabel)) & set(g.objects(concept, SKOS.altLabel))


def test_two_assessments_match_the_model(g: Graph) -> None:
    members = scheme_members(g, "Assessments")
    assert members == {a.value: MGI[a.local_name] for a in Assessment}
    for concept in members.values():
        assert (concept, RDF.type, MGI.Assessment) in g
        assert languages(g, concept, SKOS.prefLabel) == {"en", "es", "fr", "pt"}


@pytest.mark.parametrize(
    ("scheme", "cls", "codes"),
    [
        ("InstitutionTypes", "InstitutionType", INSTITUTION_TYPES),
        ("InstrumentTypes", "InstrumentType", INSTRUMENT_TYPES),
        ("InstrumentStatuses", "InstrumentStatus", INSTRUMENT_STATUSES),
    ],
)
def test_type_codes_and_local_name_rule(
    g: Graph, scheme: str, cls: str, codes: tuple[str, ...]
) -> None:
    members = scheme_members(g, scheme)
    assert members == {code: MGI[local_name(code)] for code in codes}
    for concept in members.values():
        assert (concept, RDF.type, MGI[cls]) in g
        assert languages(g, concept, SKOS.prefLabel) == {"en", "es", "fr", "pt"}
        assert "en" in languages(g, concept, SKOS.definition)


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("oversight-body", "OversightBody"),
        ("un-agency", "UnAgency"),
        ("ngo", "Ngo"),
        ("international-organization", "InternationalOrganization"),
        ("in-force", "InForce"),
    ],
)
def test_local_name_rule_examples(code: str, name: str) -> None:
    assert local_name(code) == name


def test_other_is_shared_by_both_type_schemes(g: Graph) -> None:
    assert set(g.objects(MGI.Other, SKOS.inScheme)) == {MGI.InstitutionTypes, MGI.InstrumentTypes}


def test_every_concept_is_defined_here(g: Graph) -> None:
    for concept in set(g.subjects(SKOS.inScheme, None)):
        assert g.value(concept, RDFS.isDefinedBy) == ONTOLOGY_IRI, concept
