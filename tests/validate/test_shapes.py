"""SHACL shapes and `kb.validate`: a valid graph conforms, every rule can fail.

`shape_cases/valid.ttl` is a small profile graph in the builder's data shape.
Each case in `CASES` applies one SPARQL Update to a copy of it and lists the
*exact* results expected (focus node, path, shape, constraint component,
severity), so a mutation proves its rule fires and that nothing else does.
`test_every_constraint_has_a_failing_case` then checks that every constraint
of every shape in `shapes/` is broken by at least one case.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from pyshacl.entrypoints import meta_validate
from rdflib import RDF, RDFS, Dataset, Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH, SKOS

from kb.errors import ShapeLoadError
from kb.namespaces import MGI
from kb.validate import SHAPES_NS, ValidationReport, load_shapes, validate_graph

ROOT = Path(__file__).resolve().parents[2]
CASES_DIR = Path(__file__).resolve().parents[1] / "shape_cases"

MGISH = Namespace(SHAPES_NS)
SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
ID = "https://w3id.org/mgi/id/"

P = f"{ID}profile/bucaramanga-2022"
P2 = f"{ID}profile/floridablanca-2023"
SEC = f"{ID}org/secretaria-de-desarrollo-social"
ALCALDIA = f"{ID}org/alcaldia-de-bucaramanga"
PLAN = f"{ID}instrument/plan-de-desarrollo-municipal-2020-2023"
BUCARAMANGA = f"{ID}place/bucaramanga"
SANTANDER = f"{ID}place/santander"
ORPHAN = f"{ID}finding/bucaramanga-2022/2#mention-9"
# Build-time statistics (kb/publication/statistics.py): two count cells and the
# co-mention of valid.ttl.
STATS = "https://w3id.org/mgi/graph/statistics#"
PROFILE_CELL = f"{STATS}profile/bucaramanga-2022/1/well-developed"
ORG_CELL = f"{STATS}org/secretaria-de-desarrollo-social/1/well-developed"
CO_MENTION = f"{STATS}co/alcaldia-de-bucaramanga/organizacion-internacional-para-las-migraciones"


def finding(n: int) -> str:
    return f"{ID}finding/bucaramanga-2022/{n}"


def mention(n: int, k: int) -> str:
    return f"{finding(n)}#mention-{k}"


# Result paths as kb.validate renders them.
INVERSE_HAS_FINDING = f"^<{MGI.hasFinding}>"
INVERSE_HAS_MENTION = f"^<{MGI.hasMention}>"
MENTION_TARGETS = f"<{MGI.hasMention}>/<{MGI.refersTo}>"
CONTAINED_IN_PLUS = f"<{SCHEMA.containedInPlace}>+"

Expected = tuple[str, str | None, str, str, str]  # focus, path, shape, component, severity


def v(focus: object, path: object, shape: object, component: str) -> Expected:
    """An expected Violation; `component` is the SHACL local name without suffix."""
    return (str(focus), None if path is None else str(path), str(shape), component, "Violation")


def w(focus: object, path: object, shape: object, component: str) -> Expected:
    return (str(focus), None if path is None else str(path), str(shape), component, "Warning")


PREFIXES = f"""
PREFIX mgi: <{MGI}>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX schema: <https://schema.org/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX profile: <{ID}profile/>
PREFIX finding: <{ID}finding/bucaramanga-2022/>
PREFIX m1: <{finding(1)}#>
PREFIX orgid: <{ID}org/>
PREFIX instr: <{ID}instrument/>
PREFIX place: <{ID}place/>
"""

# A second, complete profile without findings (used where one is needed).
SECOND_PROFILE = """
    profile:floridablanca-2023 a mgi:Profile , mgi:LocalProfile ;
        rdfs:label "Floridablanca 2023"@es ;
        dcterms:title "Perfil de Gobernanza Migratoria: Floridablanca"@es ;
        dcterms:issued "2023-05"^^xsd:gYearMonth ;
        dcterms:language "es"^^xsd:language ;
        mgi:assessedPlace place:bucaramanga .
"""


def replace(subject: str, predicate: str, new_object: str) -> str:
    """SPARQL Update: swap every value of `subject predicate` for `new_object`."""
    return (
        f"DELETE {{ {subject} {predicate} ?old }} "
        f"INSERT {{ {subject} {predicate} {new_object} }} "
        f"WHERE {{ {subject} {predicate} ?old }}"
    )


def drop(subject: str, predicate: str) -> str:
    return f"DELETE WHERE {{ {subject} {predicate} ?old }}"


def add(triples: str) -> str:
    return f"INSERT DATA {{ {triples} }}"


@dataclass(frozen=True)
class Case:
    id: str
    update: str
    expected: tuple[Expected, ...]


def case(name: str, update: str, *expected: Expected) -> Case:
    return Case(name, update, expected)


S = MGISH  # shape IRIs, e.g. S["Finding-domain"]
PR, FI = "profile:bucaramanga-2022", "finding:2"
M1 = "m1:mention-1"
SECQ = "orgid:secretaria-de-desarrollo-social"
PLANQ = "instr:plan-de-desarrollo-municipal-2020-2023"
PC, OC, CO = f"<{PROFILE_CELL}>", f"<{ORG_CELL}>", f"<{CO_MENTION}>"
ALCQ = "orgid:alcaldia-de-bucaramanga"
OIMQ = "orgid:organizacion-internacional-para-las-migraciones"

# One row per mutation: kept as a table, hence no automatic formatting.
# fmt: off
CASES: list[Case] = [
    # --- profile ---------------------------------------------------------------
    case("profile-label-missing", drop(PR, "rdfs:label"),
         v(P, RDFS.label, S["Profile-label"], "MinCount")),
    case("profile-place-missing", drop(PR, "mgi:assessedPlace"),
         v(P, MGI.assessedPlace, S["Profile-assessedPlace"], "MinCount")),
    case("profile-place-two",
         add(f"""{PR} mgi:assessedPlace place:floridablanca .
                 place:floridablanca a schema:City ; rdfs:label "Floridablanca"@es ;
                     schema:containedInPlace place:santander ."""),
         v(P, MGI.assessedPlace, S["Profile-assessedPlace"], "MaxCount")),
    case("profile-place-literal", replace(PR, "mgi:assessedPlace", '"Bucaramanga"'),
         v(P, MGI.assessedPlace, S["Profile-assessedPlace"], "NodeKind"),
         v(P, MGI.assessedPlace, S["LocalProfile-assessedPlace"], "Or")),
    case("profile-issued-missing", drop(PR, "dcterms:issued"),
         v(P, DCTERMS.issued, S["Profile-issued"], "MinCount")),
    case("profile-issued-date", replace(PR, "dcterms:issued", '"2022-03-01"^^xsd:date'),
         v(P, DCTERMS.issued, S["Profile-issued"], "Datatype")),
    case("profile-issued-two", add(f'{PR} dcterms:issued "2022-04"^^xsd:gYearMonth .'),
         v(P, DCTERMS.issued, S["Profile-issued"], "MaxCount")),
    case("profile-title-missing", drop(PR, "dcterms:title"),
         v(P, DCTERMS.title, S["Profile-title"], "MinCount")),
    case("profile-title-untagged", replace(PR, "dcterms:title", '"Perfil de Gobernanza"'),
         v(P, DCTERMS.title, S["Profile-title"], "Datatype")),
    case("profile-title-empty", replace(PR, "dcterms:title", '""@es'),
         v(P, DCTERMS.title, S["Profile-title"], "MinLength")),
    case("profile-language-missing", drop(PR, "dcterms:language"),
         v(P, DCTERMS.language, S["Profile-language"], "MinCount")),
    case("profile-language-string", replace(PR, "dcterms:language", '"es"'),
         v(P, DCTERMS.language, S["Profile-language"], "Datatype")),
    case("profile-language-two", add(f'{PR} dcterms:language "en"^^xsd:language .'),
         v(P, DCTERMS.language, S["Profile-language"], "MaxCount")),
    case("profile-publisher-literal", replace(PR, "dcterms:publisher", '"OIM"'),
         v(P, DCTERMS.publisher, S["Profile-publisher"], "NodeKind")),
    case("profile-source-iri", replace(PR, "dcterms:source", "<https://example.org/b.txt>"),
         v(P, DCTERMS.source, S["Profile-source"], "NodeKind")),
    case("profile-without-findings", add(SECOND_PROFILE),
         v(P2, MGI.hasFinding, S["Profile-hasFinding"], "MinCount"),
         *[w(P2, None, S["ProfileDomainsShape"], "SPARQL")] * 6),
    case("profile-finding-untyped", add(f"{PR} mgi:hasFinding finding:99 ."),
         v(P, MGI.hasFinding, S["Profile-hasFinding"], "Class")),
    case("profile-neither-local-nor-national", f"DELETE DATA {{ {PR} a mgi:LocalProfile }}",
         v(P, None, S["ProfileShape"], "Xone")),
    case("profile-both-local-and-national", add(f"{PR} a mgi:NationalProfile ."),
         v(P, None, S["ProfileShape"], "Xone"),
         v(P, MGI.assessedPlace, S["NationalProfile-assessedPlace"], "Class")),
    case("profile-domain-without-findings",
         replace("finding:7", "mgi:domain", "mgi:MigrantsRights"),
         w(P, None, S["ProfileDomainsShape"], "SPARQL")),
    case("local-profile-assesses-country", replace(PR, "mgi:assessedPlace", "place:colombia"),
         v(P, MGI.assessedPlace, S["LocalProfile-assessedPlace"], "Or")),
    case("national-profile-assesses-city",
         f"DELETE DATA {{ {PR} a mgi:LocalProfile }} ; "
         f"INSERT DATA {{ {PR} a mgi:NationalProfile }}",
         v(P, MGI.assessedPlace, S["NationalProfile-assessedPlace"], "Class")),
    # --- finding ---------------------------------------------------------------
    case("finding-label-missing", drop(FI, "rdfs:label"),
         v(finding(2), RDFS.label, S["Finding-label"], "MinCount")),
    case("finding-profile-missing", drop(FI, "mgi:profile"),
         v(finding(2), MGI.profile, S["Finding-profile"], "MinCount"),
         v(finding(2), INVERSE_HAS_FINDING, S["Finding-inverse"], "Equals")),
    case("finding-profile-two", add(f"{FI} mgi:profile profile:ghost-2020 ."),
         v(finding(2), MGI.profile, S["Finding-profile"], "MaxCount"),
         v(finding(2), MGI.profile, S["Finding-profile"], "Class"),
         v(finding(2), INVERSE_HAS_FINDING, S["Finding-inverse"], "Equals")),
    case("finding-profile-not-a-profile",
         f"DELETE DATA {{ {PR} mgi:hasFinding {FI} }} ; "
         + replace(FI, "mgi:profile", "profile:ghost-2020")
         + f" ; INSERT DATA {{ profile:ghost-2020 mgi:hasFinding {FI} }}",
         v(finding(2), MGI.profile, S["Finding-profile"], "Class")),
    case("finding-not-listed-by-its-profile", f"DELETE DATA {{ {PR} mgi:hasFinding {FI} }}",
         v(finding(2), INVERSE_HAS_FINDING, S["Finding-inverse"], "Equals")),
    case("finding-listed-by-another-profile", add(f"profile:ghost-2020 mgi:hasFinding {FI} ."),
         v(finding(2), INVERSE_HAS_FINDING, S["Finding-inverse"], "Equals")),
    case("finding-domain-missing", drop(FI, "mgi:domain"),
         v(finding(2), MGI.domain, S["Finding-domain"], "MinCount")),
    case("finding-domain-outside-scheme", replace(FI, "mgi:domain", "mgi:Plan"),
         v(finding(2), MGI.domain, S["Finding-domain"], "In")),
    case("finding-domain-two", add(f"{FI} mgi:domain mgi:Partnerships ."),
         v(finding(2), MGI.domain, S["Finding-domain"], "MaxCount")),
    case("finding-assessment-missing", drop(FI, "mgi:assessment"),
         v(finding(2), MGI.assessment, S["Finding-assessment"], "MinCount")),
    case("finding-assessment-outside-scheme", replace(FI, "mgi:assessment", "mgi:MigrantsRights"),
         v(finding(2), MGI.assessment, S["Finding-assessment"], "In")),
    case("finding-assessment-two", add(f"{FI} mgi:assessment mgi:PotentialForDevelopment ."),
         v(finding(2), MGI.assessment, S["Finding-assessment"], "MaxCount")),
    case("finding-text-missing", drop(FI, "mgi:text"),
         v(finding(2), MGI.text, S["Finding-text"], "MinCount")),
    case("finding-text-untagged", replace(FI, "mgi:text", '"Los niños migrantes estudian."'),
         v(finding(2), MGI.text, S["Finding-text"], "Datatype")),
    case("finding-text-empty", replace(FI, "mgi:text", '""@es'),
         v(finding(2), MGI.text, S["Finding-text"], "MinLength"),
         v(finding(2), MGI.text, S["Finding-text"], "Pattern")),
    case("finding-text-blank", replace(FI, "mgi:text", '"   "@es'),
         v(finding(2), MGI.text, S["Finding-text"], "Pattern")),
    case("finding-text-two", add(f'{FI} mgi:text "Migrant children attend school."@en .'),
         v(finding(2), MGI.text, S["Finding-text"], "MaxCount")),
    case("finding-position-missing", drop(FI, "mgi:position"),
         v(finding(2), MGI.position, S["Finding-position"], "MinCount")),
    case("finding-position-zero", replace(FI, "mgi:position", "0"),
         v(finding(2), MGI.position, S["Finding-position"], "MinInclusive")),
    case("finding-position-decimal", replace(FI, "mgi:position", "2.0"),
         v(finding(2), MGI.position, S["Finding-position"], "Datatype")),
    case("finding-position-two", add(f"{FI} mgi:position 3 ."),
         v(finding(2), MGI.position, S["Finding-position"], "MaxCount")),
    case("finding-position-repeated", replace(FI, "mgi:position", "1"),
         v(finding(1), MGI.position, S["Finding-positionUnique"], "SPARQL"),
         v(finding(2), MGI.position, S["Finding-positionUnique"], "SPARQL")),
    case("finding-mentions-a-place", add(f"{FI} mgi:mentions place:bucaramanga ."),
         v(finding(2), MGI.mentions, S["Finding-mentions"], "Or"),
         v(finding(2), MENTION_TARGETS, S["Finding-mentionEvidence"], "Equals")),
    case("finding-mentions-without-located-mention",
         add(f"{FI} mgi:mentions orgid:personeria-de-bucaramanga ."),
         v(finding(2), MENTION_TARGETS, S["Finding-mentionEvidence"], "Equals")),
    case("finding-mention-target-not-listed",
         "DELETE DATA { finding:6 mgi:mentions orgid:personeria-de-bucaramanga }",
         v(finding(6), MENTION_TARGETS, S["Finding-mentionEvidence"], "Equals")),
    case("finding-year-untyped",
         'DELETE DATA { finding:3 mgi:refersToYear "2020"^^xsd:gYear } ; '
         'INSERT DATA { finding:3 mgi:refersToYear "2020" }',
         v(finding(3), MGI.refersToYear, S["Finding-year"], "Datatype")),
    case("finding-has-untyped-mention", add(f"{FI} mgi:hasMention <urn:example:not-a-mention> ."),
         v(finding(2), MGI.hasMention, S["Finding-hasMention"], "Class")),
    # --- mention (finding 1: "La Secretaría de Desarrollo Social …", offsets 3–34) ---
    case("mention-without-finding",
         add(f"""<{ORPHAN}> a mgi:Mention ; mgi:refersTo {SECQ} ;
                 mgi:surfaceForm "Los" ; mgi:start 0 ; mgi:end 3 ."""),
         v(ORPHAN, INVERSE_HAS_MENTION, S["Mention-finding"], "MinCount")),
    case("mention-in-two-findings", add(f"{FI} mgi:hasMention {M1} ."),
         v(mention(1, 1), INVERSE_HAS_MENTION, S["Mention-finding"], "MaxCount"),
         v(mention(1, 1), MGI.surfaceForm, S["Mention-surfaceMatches"], "SPARQL"),
         v(finding(2), MENTION_TARGETS, S["Finding-mentionEvidence"], "Equals")),
    case("mention-target-missing", drop(M1, "mgi:refersTo"),
         v(mention(1, 1), MGI.refersTo, S["Mention-refersTo"], "MinCount"),
         v(finding(1), MENTION_TARGETS, S["Finding-mentionEvidence"], "Equals")),
    case("mention-target-a-place", replace(M1, "mgi:refersTo", "place:bucaramanga"),
         v(mention(1, 1), MGI.refersTo, S["Mention-refersTo"], "Or"),
         # sh:equals reports each value in one set but not the other: two here.
         *[v(finding(1), MENTION_TARGETS, S["Finding-mentionEvidence"], "Equals")] * 2),
    case("mention-two-targets", add(f"{M1} mgi:refersTo orgid:personeria-de-bucaramanga ."),
         v(mention(1, 1), MGI.refersTo, S["Mention-refersTo"], "MaxCount"),
         v(finding(1), MENTION_TARGETS, S["Finding-mentionEvidence"], "Equals")),
    case("mention-surface-missing", drop(M1, "mgi:surfaceForm"),
         v(mention(1, 1), MGI.surfaceForm, S["Mention-surfaceForm"], "MinCount")),
    case("mention-surface-empty", replace(M1, "mgi:surfaceForm", '""'),
         v(mention(1, 1), MGI.surfaceForm, S["Mention-surfaceForm"], "MinLength"),
         v(mention(1, 1), MGI.surfaceForm, S["Mention-surfaceMatches"], "SPARQL")),
    case("mention-surface-other-datatype",
         replace(M1, "mgi:surfaceForm", '"Secretaría de Desarrollo Social"^^xsd:normalizedString'),
         v(mention(1, 1), MGI.surfaceForm, S["Mention-surfaceForm"], "Or")),
    case("mention-surface-language-tagged-is-fine",
         replace(M1, "mgi:surfaceForm", '"Secretaría de Desarrollo Social"@es')),
    case("mention-surface-two", add(f'{M1} mgi:surfaceForm "Secretaría"@es .'),
         v(mention(1, 1), MGI.surfaceForm, S["Mention-surfaceForm"], "MaxCount"),
         v(mention(1, 1), MGI.surfaceForm, S["Mention-surfaceMatches"], "SPARQL")),
    case("mention-surface-differs-from-text",
         replace(M1, "mgi:surfaceForm", '"Secretaria de Desarrollo Social"'),
         v(mention(1, 1), MGI.surfaceForm, S["Mention-surfaceMatches"], "SPARQL")),
    case("mention-offsets-shifted",
         replace(M1, "mgi:start", "4") + " ; " + replace(M1, "mgi:end", "35"),
         v(mention(1, 1), MGI.surfaceForm, S["Mention-surfaceMatches"], "SPARQL")),
    case("mention-start-missing", drop(M1, "mgi:start"),
         v(mention(1, 1), MGI.start, S["Mention-start"], "MinCount")),
    case("mention-start-decimal", replace(M1, "mgi:start", "3.0"),
         v(mention(1, 1), MGI.start, S["Mention-start"], "Datatype")),
    case("mention-start-two", add(f"{M1} mgi:start 4 ."),
         v(mention(1, 1), MGI.start, S["Mention-start"], "MaxCount"),
         v(mention(1, 1), MGI.surfaceForm, S["Mention-surfaceMatches"], "SPARQL")),
    case("mention-start-negative", replace(M1, "mgi:start", "-1"),
         v(mention(1, 1), MGI.start, S["Mention-start"], "MinInclusive"),
         v(mention(1, 1), None, S["MentionSpanShape"], "SPARQL")),
    case("mention-start-not-before-end", replace(M1, "mgi:start", "34"),
         v(mention(1, 1), MGI.start, S["Mention-start"], "LessThan"),
         v(mention(1, 1), None, S["MentionSpanShape"], "SPARQL")),
    case("mention-end-missing", drop(M1, "mgi:end"),
         v(mention(1, 1), MGI.end, S["Mention-end"], "MinCount")),
    case("mention-end-decimal", replace(M1, "mgi:end", "34.0"),
         v(mention(1, 1), MGI.end, S["Mention-end"], "Datatype")),
    case("mention-end-two", add(f"{M1} mgi:end 35 ."),
         v(mention(1, 1), MGI.end, S["Mention-end"], "MaxCount"),
         v(mention(1, 1), MGI.surfaceForm, S["Mention-surfaceMatches"], "SPARQL")),
    case("mention-end-beyond-text", replace(M1, "mgi:end", "500"),
         v(mention(1, 1), None, S["MentionSpanShape"], "SPARQL")),
    # --- organisation ------------------------------------------------------------
    case("org-label-missing", drop(SECQ, "rdfs:label"),
         v(SEC, RDFS.label, S["Organization-label"], "MinCount")),
    case("org-preflabel-missing", drop(SECQ, "skos:prefLabel"),
         v(SEC, SKOS.prefLabel, S["Organization-prefLabel"], "MinCount")),
    case("org-preflabel-two-in-one-language",
         add(f'{SECQ} skos:prefLabel "Desarrollo Social"@es .'),
         v(SEC, SKOS.prefLabel, S["Organization-prefLabel"], "UniqueLang")),
    case("org-type-missing", drop(SECQ, "org:classification"),
         v(SEC, ORG.classification, S["Organization-classification"], "MinCount")),
    case("org-type-outside-scheme", replace(SECQ, "org:classification", "mgi:Plan"),
         v(SEC, ORG.classification, S["Organization-classification"], "In")),
    case("org-type-two", add(f"{SECQ} org:classification mgi:MunicipalGovernment ."),
         v(SEC, ORG.classification, S["Organization-classification"], "MaxCount")),
    case("org-parent-not-an-org", replace(SECQ, "org:subOrganizationOf", "place:bucaramanga"),
         v(SEC, ORG.subOrganizationOf, S["Organization-parent"], "Class")),
    case("org-parent-cycle", add(f"orgid:alcaldia-de-bucaramanga org:subOrganizationOf {SECQ} ."),
         v(ALCALDIA, ORG.subOrganizationOf, S["Organization-noCycle"], "SPARQL"),
         v(SEC, ORG.subOrganizationOf, S["Organization-noCycle"], "SPARQL")),
    case("org-own-parent", replace(SECQ, "org:subOrganizationOf", SECQ),
         v(SEC, ORG.subOrganizationOf, S["Organization-noCycle"], "SPARQL")),
    case("org-jurisdiction-not-a-place",
         replace(SECQ, "mgi:jurisdiction", "orgid:alcaldia-de-bucaramanga"),
         v(SEC, MGI.jurisdiction, S["Organization-jurisdiction"], "Or")),
    case("org-curated-missing", drop(SECQ, "mgi:curated"),
         v(SEC, MGI.curated, S["Organization-curated"], "MinCount")),
    case("org-curated-string", replace(SECQ, "mgi:curated", '"false"'),
         v(SEC, MGI.curated, S["Organization-curated"], "Datatype")),
    case("org-curated-two", add(f"{SECQ} mgi:curated true ."),
         v(SEC, MGI.curated, S["Organization-curated"], "MaxCount")),
    # --- policy instrument -------------------------------------------------------
    case("instrument-label-missing", drop(PLANQ, "rdfs:label"),
         v(PLAN, RDFS.label, S["PolicyInstrument-label"], "MinCount")),
    case("instrument-title-missing", drop(PLANQ, "dcterms:title"),
         v(PLAN, DCTERMS.title, S["PolicyInstrument-title"], "MinCount")),
    case("instrument-title-empty", replace(PLANQ, "dcterms:title", '""@es'),
         v(PLAN, DCTERMS.title, S["PolicyInstrument-title"], "MinLength")),
    case("instrument-title-iri", replace(PLANQ, "dcterms:title", "<urn:example:title>"),
         v(PLAN, DCTERMS.title, S["PolicyInstrument-title"], "NodeKind")),
    case("instrument-type-missing", drop(PLANQ, "mgi:instrumentType"),
         v(PLAN, MGI.instrumentType, S["PolicyInstrument-type"], "MinCount")),
    case("instrument-type-outside-scheme",
         replace(PLANQ, "mgi:instrumentType", "mgi:OversightBody"),
         v(PLAN, MGI.instrumentType, S["PolicyInstrument-type"], "In")),
    case("instrument-type-two", add(f"{PLANQ} mgi:instrumentType mgi:Program ."),
         v(PLAN, MGI.instrumentType, S["PolicyInstrument-type"], "MaxCount")),
    case("instrument-status-outside-scheme", replace(PLANQ, "mgi:status", "mgi:Plan"),
         v(PLAN, MGI.status, S["PolicyInstrument-status"], "In")),
    case("instrument-status-two", add(f"{PLANQ} mgi:status mgi:Planned ."),
         v(PLAN, MGI.status, S["PolicyInstrument-status"], "MaxCount")),
    case("instrument-issued-date", replace(PLANQ, "dcterms:issued", '"2020-01-01"^^xsd:date'),
         v(PLAN, DCTERMS.issued, S["PolicyInstrument-issued"], "Datatype")),
    case("instrument-creator-not-an-org", replace(PLANQ, "dcterms:creator", "place:bucaramanga"),
         v(PLAN, DCTERMS.creator, S["PolicyInstrument-creator"], "Class")),
    case("instrument-jurisdiction-not-a-place",
         replace(PLANQ, "mgi:jurisdiction", "orgid:alcaldia-de-bucaramanga"),
         v(PLAN, MGI.jurisdiction, S["PolicyInstrument-jurisdiction"], "Or")),
    # --- places ------------------------------------------------------------------
    case("place-label-missing", drop("place:santander", "rdfs:label"),
         v(SANTANDER, RDFS.label, S["Place-label"], "MinCount")),
    case("place-contained-in-an-org",
         replace("place:santander", "schema:containedInPlace", "orgid:alcaldia-de-bucaramanga"),
         v(SANTANDER, SCHEMA.containedInPlace, S["Place-containedIn"], "Or"),
         w(BUCARAMANGA, CONTAINED_IN_PLUS, S["City-country"], "QualifiedMinCount")),
    case("city-without-enclosing-place", drop("place:bucaramanga", "schema:containedInPlace"),
         w(BUCARAMANGA, CONTAINED_IN_PLUS, S["City-country"], "QualifiedMinCount")),
    case("city-in-region-without-country", drop("place:santander", "schema:containedInPlace"),
         w(BUCARAMANGA, CONTAINED_IN_PLUS, S["City-country"], "QualifiedMinCount")),
    # --- statistics: finding count cells (kb/publication/statistics.py) ---------------------------
    case("count-cell-number-missing", drop(PC, "mgi:findingCount"),
         v(PROFILE_CELL, MGI.findingCount, S["FindingCount-findingCount"], "MinCount")),
    case("count-cell-number-two", add(f"{PC} mgi:findingCount 3 ."),
         v(PROFILE_CELL, MGI.findingCount, S["FindingCount-findingCount"], "MaxCount")),
    case("count-cell-number-zero", replace(PC, "mgi:findingCount", "0"),
         v(PROFILE_CELL, MGI.findingCount, S["FindingCount-findingCount"], "MinInclusive")),
    case("count-cell-number-decimal", replace(PC, "mgi:findingCount", "2.0"),
         v(PROFILE_CELL, MGI.findingCount, S["FindingCount-findingCount"], "Datatype")),
    case("count-cell-domain-missing", drop(PC, "mgi:countedDomain"),
         v(PROFILE_CELL, MGI.countedDomain, S["FindingCount-domain"], "MinCount")),
    case("count-cell-domain-two", add(f"{PC} mgi:countedDomain mgi:Partnerships ."),
         v(PROFILE_CELL, MGI.countedDomain, S["FindingCount-domain"], "MaxCount")),
    case("count-cell-domain-outside-scheme", replace(PC, "mgi:countedDomain", "mgi:WellDeveloped"),
         v(PROFILE_CELL, MGI.countedDomain, S["FindingCount-domain"], "In")),
    case("count-cell-assessment-missing", drop(PC, "mgi:countedAssessment"),
         v(PROFILE_CELL, MGI.countedAssessment, S["FindingCount-assessment"], "MinCount")),
    case("count-cell-assessment-two",
         add(f"{PC} mgi:countedAssessment mgi:PotentialForDevelopment ."),
         v(PROFILE_CELL, MGI.countedAssessment, S["FindingCount-assessment"], "MaxCount")),
    case("count-cell-assessment-outside-scheme",
         replace(PC, "mgi:countedAssessment", "mgi:MigrantsRights"),
         v(PROFILE_CELL, MGI.countedAssessment, S["FindingCount-assessment"], "In")),
    case("count-cell-counts-nothing", drop(PC, "mgi:countedProfile"),
         v(PROFILE_CELL, None, S["FindingCountShape"], "Xone")),
    case("count-cell-counts-profile-and-institution", add(f"{PC} mgi:countedInstitution {SECQ} ."),
         v(PROFILE_CELL, None, S["FindingCountShape"], "Xone")),
    case("count-cell-two-profiles", add(f"{PC} mgi:countedProfile profile:ghost-2020 ."),
         v(PROFILE_CELL, MGI.countedProfile, S["FindingCount-profile"], "MaxCount"),
         v(PROFILE_CELL, MGI.countedProfile, S["FindingCount-profile"], "Class")),
    case("count-cell-profile-not-a-profile", replace(PC, "mgi:countedProfile", "place:bucaramanga"),
         v(PROFILE_CELL, MGI.countedProfile, S["FindingCount-profile"], "Class")),
    case("count-cell-two-institutions",
         add(f"{OC} mgi:countedInstitution orgid:personeria-de-bucaramanga ."),
         v(ORG_CELL, MGI.countedInstitution, S["FindingCount-institution"], "MaxCount")),
    case("count-cell-institution-not-an-org",
         replace(OC, "mgi:countedInstitution", "place:bucaramanga"),
         v(ORG_CELL, MGI.countedInstitution, S["FindingCount-institution"], "Class")),
    # --- statistics: co-mentions -----------------------------------------------------
    # An institution paired with itself is one triple, so the pair falls short of two.
    case("co-mention-of-an-institution-with-itself",
         f"DELETE DATA {{ {CO} mgi:countedInstitution {OIMQ} }} ; "
         f"INSERT DATA {{ {CO} mgi:countedInstitution {ALCQ} }}",
         v(CO_MENTION, MGI.countedInstitution, S["CoMention-institutions"], "MinCount")),
    case("co-mention-of-three-institutions",
         add(f"{CO} mgi:countedInstitution orgid:personeria-de-bucaramanga ."),
         v(CO_MENTION, MGI.countedInstitution, S["CoMention-institutions"], "MaxCount")),
    case("co-mention-of-a-place",
         f"DELETE DATA {{ {CO} mgi:countedInstitution {OIMQ} }} ; "
         f"INSERT DATA {{ {CO} mgi:countedInstitution place:bucaramanga }}",
         v(CO_MENTION, MGI.countedInstitution, S["CoMention-institutions"], "Class")),
    case("co-mention-number-missing", drop(CO, "mgi:findingCount"),
         v(CO_MENTION, MGI.findingCount, S["CoMention-findingCount"], "MinCount")),
    case("co-mention-number-two", add(f"{CO} mgi:findingCount 2 ."),
         v(CO_MENTION, MGI.findingCount, S["CoMention-findingCount"], "MaxCount")),
    case("co-mention-number-zero", replace(CO, "mgi:findingCount", "0"),
         v(CO_MENTION, MGI.findingCount, S["CoMention-findingCount"], "MinInclusive")),
    # A string does not compare with 1, so sh:minInclusive fails as well (SHACL §4.4).
    case("co-mention-number-string", replace(CO, "mgi:findingCount", '"1"'),
         v(CO_MENTION, MGI.findingCount, S["CoMention-findingCount"], "Datatype"),
         v(CO_MENTION, MGI.findingCount, S["CoMention-findingCount"], "MinInclusive")),
    # --- statistics: institution totals (on the secretariat: 1 finding, profile, domain) ---
    case("org-findings-two", add(f"{SECQ} mgi:findingCount 2 ."),
         v(SEC, MGI.findingCount, S["Organization-findingCount"], "MaxCount")),
    # Zero findings also leaves the profile and domain totals above the finding total.
    case("org-findings-zero", replace(SECQ, "mgi:findingCount", "0"),
         v(SEC, MGI.findingCount, S["Organization-findingCount"], "MinInclusive"),
         v(SEC, MGI.profileCount, S["Organization-profileCount"], "LessThanOrEquals"),
         v(SEC, MGI.domainCount, S["Organization-domainCount"], "LessThanOrEquals")),
    case("org-findings-decimal", replace(SECQ, "mgi:findingCount", "1.0"),
         v(SEC, MGI.findingCount, S["Organization-findingCount"], "Datatype")),
    case("org-profiles-two",
         replace(SECQ, "mgi:findingCount", "3") + f" ; INSERT DATA {{ {SECQ} mgi:profileCount 2 }}",
         v(SEC, MGI.profileCount, S["Organization-profileCount"], "MaxCount")),
    case("org-profiles-zero", replace(SECQ, "mgi:profileCount", "0"),
         v(SEC, MGI.profileCount, S["Organization-profileCount"], "MinInclusive")),
    case("org-profiles-decimal", replace(SECQ, "mgi:profileCount", "1.0"),
         v(SEC, MGI.profileCount, S["Organization-profileCount"], "Datatype")),
    case("org-profiles-above-findings", replace(SECQ, "mgi:profileCount", "2"),
         v(SEC, MGI.profileCount, S["Organization-profileCount"], "LessThanOrEquals")),
    case("org-domains-two",
         replace(SECQ, "mgi:findingCount", "3") + f" ; INSERT DATA {{ {SECQ} mgi:domainCount 2 }}",
         v(SEC, MGI.domainCount, S["Organization-domainCount"], "MaxCount")),
    case("org-domains-zero", replace(SECQ, "mgi:domainCount", "0"),
         v(SEC, MGI.domainCount, S["Organization-domainCount"], "MinInclusive")),
    case("org-domains-decimal", replace(SECQ, "mgi:domainCount", "1.0"),
         v(SEC, MGI.domainCount, S["Organization-domainCount"], "Datatype")),
    case("org-domains-seven",
         replace(SECQ, "mgi:findingCount", "9") + " ; " + replace(SECQ, "mgi:domainCount", "7"),
         v(SEC, MGI.domainCount, S["Organization-domainCount"], "MaxInclusive")),
    case("org-domains-above-findings", replace(SECQ, "mgi:domainCount", "2"),
         v(SEC, MGI.domainCount, S["Organization-domainCount"], "LessThanOrEquals")),
    case("org-totals-are-optional",
         drop(SECQ, "mgi:findingCount") + " ; " + drop(SECQ, "mgi:profileCount")
         + " ; " + drop(SECQ, "mgi:domainCount")),
    # --- concepts of the ontology (merged into the data graph) -------------------
    case("concept-preflabel-missing", drop("mgi:Partnerships", "skos:prefLabel"),
         v(MGI.Partnerships, SKOS.prefLabel, S["Concept-prefLabel"], "MinCount")),
    case("concept-preflabel-two-in-one-language",
         add('mgi:Partnerships skos:prefLabel "Cooperation"@en .'),
         v(MGI.Partnerships, SKOS.prefLabel, S["Concept-prefLabel"], "UniqueLang")),
    case("concept-notation-missing", drop("mgi:Police", "skos:notation"),
         v(MGI.Police, SKOS.notation, S["Concept-notation"], "MinCount")),
    case("concept-notation-two", add('mgi:Police skos:notation "police-force" .'),
         v(MGI.Police, SKOS.notation, S["Concept-notation"], "MaxCount")),
    case("domain-outside-its-scheme", "DELETE DATA { mgi:Partnerships skos:inScheme mgi:Domains }",
         v(MGI.Partnerships, SKOS.inScheme, S["Domain-inScheme"], "HasValue")),
    case("assessment-outside-its-scheme",
         "DELETE DATA { mgi:WellDeveloped skos:inScheme mgi:Assessments }",
         v(MGI.WellDeveloped, SKOS.inScheme, S["Assessment-inScheme"], "HasValue")),
    case("institution-type-outside-its-scheme",
         "DELETE DATA { mgi:Ngo skos:inScheme mgi:InstitutionTypes }",
         v(MGI.Ngo, SKOS.inScheme, S["InstitutionType-inScheme"], "HasValue")),
    case("instrument-type-outside-its-scheme",
         "DELETE DATA { mgi:Law skos:inScheme mgi:InstrumentTypes }",
         v(MGI.Law, SKOS.inScheme, S["InstrumentType-inScheme"], "HasValue")),
    case("instrument-status-outside-its-scheme",
         "DELETE DATA { mgi:Planned skos:inScheme mgi:InstrumentStatuses }",
         v(MGI.Planned, SKOS.inScheme, S["InstrumentStatus-inScheme"], "HasValue")),
]
# fmt: on


# --- fixtures ------------------------------------------------------------------


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes(ROOT / "shapes")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ROOT / "ontology" / "mgi.ttl", format="turtle")


@pytest.fixture(scope="module")
def valid() -> Graph:
    return Graph().parse(CASES_DIR / "valid.ttl", format="turtle")


def outcome(report: ValidationReport) -> Counter[Expected]:
    return Counter(
        (
            r.focus_node,
            r.path,
            r.source_shape,
            r.component.removeprefix(str(SH)).removesuffix("ConstraintComponent"),
            r.severity,
        )
        for r in report.results
    )


# --- the valid graph -------------------------------------------------------------


def test_valid_graph_conforms_without_any_result(
    valid: Graph, shapes: Graph, ontology: Graph
) -> None:
    report = validate_graph(valid, shapes, ontology=ontology)
    assert report.results == (), report.text
    assert report.conforms
    assert report.text.splitlines() == ["Conforms: 0 violation(s), 0 warning(s), 0 info(s)"]


def test_valid_graph_conforms_without_the_ontology(valid: Graph, shapes: Graph) -> None:
    # sh:in lists keep the shapes usable on data alone; concept shapes then have no targets.
    assert validate_graph(valid, shapes).conforms


def test_validation_leaves_inputs_untouched(valid: Graph, shapes: Graph, ontology: Graph) -> None:
    sizes = (len(valid), len(shapes), len(ontology))
    validate_graph(valid, shapes, ontology=ontology)
    assert (len(valid), len(shapes), len(ontology)) == sizes


def test_dataset_is_validated_as_the_union_of_its_graphs(valid: Graph, shapes: Graph) -> None:
    dataset = Dataset()
    named = dataset.graph(URIRef(P))
    for triple in valid:
        named.add(triple)
    named.remove((URIRef(P), RDFS.label, None))
    report = validate_graph(dataset, shapes)
    assert [(r.focus_node, r.path) for r in report.violations] == [(P, str(RDFS.label))]


# --- every constraint can fail ------------------------------------------------------


@pytest.mark.parametrize("mutation", CASES, ids=[c.id for c in CASES])
def test_mutation_breaks_exactly_its_rule(
    mutation: Case, valid: Graph, shapes: Graph, ontology: Graph
) -> None:
    # The ontology goes in before the mutation, so that cases can break concepts.
    data = Graph()
    data += valid
    data += ontology
    data.update(PREFIXES + mutation.update)
    report = validate_graph(data, shapes)
    assert outcome(report) == Counter(mutation.expected), report.text
    assert report.conforms == all(e[4] != "Violation" for e in mutation.expected)
    for result in report.results:
        assert result.message and not result.message.startswith("(no message)")


# Constraint parameters and the component each one reports as.
_COMPONENTS = {
    SH.minCount: "MinCount",
    SH.maxCount: "MaxCount",
    SH.datatype: "Datatype",
    SH.nodeKind: "NodeKind",
    SH["class"]: "Class",
    SH["in"]: "In",
    SH["or"]: "Or",
    SH.xone: "Xone",
    SH.minLength: "MinLength",
    SH.pattern: "Pattern",
    SH.minInclusive: "MinInclusive",
    SH.maxInclusive: "MaxInclusive",
    SH.lessThan: "LessThan",
    SH.lessThanOrEquals: "LessThanOrEquals",
    SH.equals: "Equals",
    SH.uniqueLang: "UniqueLang",
    SH.hasValue: "HasValue",
    SH.qualifiedMinCount: "QualifiedMinCount",
    SH.sparql: "SPARQL",
}
_NOT_CONSTRAINTS = {
    RDF.type, SH.path, SH.name, SH.message, SH.severity, SH.property, SH.targetClass,
    SH.target, SH.qualifiedValueShape, SH.description,
}  # fmt: skip


def _constraints(shapes: Graph) -> set[tuple[str, str]]:
    pairs = set()
    for shape in set(shapes.subjects(RDF.type, SH.NodeShape)) | set(
        shapes.subjects(RDF.type, SH.PropertyShape)
    ):
        for predicate in set(shapes.predicates(shape, None)):
            if predicate in _COMPONENTS:
                pairs.add((str(shape), _COMPONENTS[predicate]))
            else:
                assert predicate in _NOT_CONSTRAINTS, f"{shape}: unexpected {predicate}"
    return pairs


def test_every_constraint_has_a_failing_case(shapes: Graph) -> None:
    covered = {(e[2], e[3]) for c in CASES for e in c.expected}
    missing = sorted(_constraints(shapes) - covered)
    assert not missing, f"constraints no case breaks: {missing}"


def test_every_shape_is_named_and_explains_itself(shapes: Graph) -> None:
    for shape in set(shapes.subjects(RDF.type, SH.NodeShape)) | set(
        shapes.subjects(RDF.type, SH.PropertyShape)
    ):
        assert isinstance(shape, URIRef) and shape.startswith(SHAPES_NS), shape
        assert shapes.value(shape, SH.name) is not None, f"{shape} has no sh:name"
        own_rules = {p for p in shapes.predicates(shape, None) if p in _COMPONENTS}
        sparql = [shapes.value(shapes.value(shape, SH.sparql), SH.message)]
        if own_rules - {SH.sparql}:
            assert shapes.value(shape, SH.message) is not None, f"{shape} has no sh:message"
        if SH.sparql in own_rules:
            assert sparql[0] is not None, f"{shape}: SPARQL constraint has no sh:message"


def test_shapes_are_well_formed_shacl(shapes: Graph) -> None:
    # pySHACL's bundled SHACL-for-SHACL shapes catch malformed constraints.
    conforms, _, text = meta_validate(shapes)
    assert conforms, text


def test_warnings_are_declared_explicitly(shapes: Graph) -> None:
    warning_shapes = {str(s) for s in shapes.subjects(SH.severity, SH.Warning)}
    assert warning_shapes == {str(S["ProfileDomainsShape"]), str(S["City-country"])}


# --- closed lists agree with the ontology's schemes ------------------------------------


@pytest.mark.parametrize(
    ("shape", "scheme"),
    [
        ("Finding-domain", "Domains"),
        ("Finding-assessment", "Assessments"),
        ("FindingCount-domain", "Domains"),
        ("FindingCount-assessment", "Assessments"),
        ("Organization-classification", "InstitutionTypes"),
        ("PolicyInstrument-type", "InstrumentTypes"),
        ("PolicyInstrument-status", "InstrumentStatuses"),
    ],
)
def test_sh_in_lists_equal_concept_schemes(
    shapes: Graph, ontology: Graph, shape: str, scheme: str
) -> None:
    listed = set(Collection(shapes, shapes.value(S[shape], SH["in"])))
    members = set(ontology.subjects(SKOS.inScheme, MGI[scheme]))
    assert listed == members


# --- report shape ------------------------------------------------------------------


def test_report_orders_results_and_renders_one_line_each(
    valid: Graph, shapes: Graph, ontology: Graph
) -> None:
    data = Graph()
    data += valid
    data.update(
        PREFIXES
        + drop("place:bucaramanga", "schema:containedInPlace")
        + " ; "
        + drop("finding:2", "mgi:domain")
        + " ; "
        + drop(PR, "rdfs:label")
    )
    report = validate_graph(data, shapes, ontology=ontology)
    assert not report.conforms
    assert [r.severity for r in report.results] == ["Violation", "Violation", "Warning"]
    assert [r.focus_node for r in report.violations] == [finding(2), P]
    assert [r.focus_node for r in report.warnings] == [BUCARAMANGA]
    lines = report.text.splitlines()
    assert lines[0] == "Does not conform: 2 violation(s), 1 warning(s), 0 info(s)"
    assert lines[1].startswith(f"Violation  <{finding(2)}>  mgi:domain  A finding must")
    assert lines[1].endswith("[mgish:Finding-domain]")
    assert lines[3].startswith(f"Warning  <{BUCARAMANGA}>  schema:containedInPlace+  ")
    assert (None, SH.conforms, None) in report.results_graph


def test_warnings_alone_conform(valid: Graph, shapes: Graph) -> None:
    data = Graph()
    data += valid
    data.update(PREFIXES + drop("place:bucaramanga", "schema:containedInPlace"))
    report = validate_graph(data, shapes)
    assert report.conforms
    assert report.violations == ()
    assert len(report.warnings) == 1


# --- failures to validate are errors, not results ----------------------------------------


def test_load_shapes_rejects_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(ShapeLoadError, match="not found"):
        load_shapes(tmp_path / "nowhere")


def test_load_shapes_rejects_a_folder_without_turtle(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("no shapes here\n", encoding="utf-8")
    with pytest.raises(ShapeLoadError, match=r"no \*\.ttl"):
        load_shapes(tmp_path)


def test_load_shapes_names_the_file_that_does_not_parse(tmp_path: Path) -> None:
    (tmp_path / "broken.ttl").write_text("<urn:a> <urn:b>", "utf-8")  # no object, no dot
    with pytest.raises(ShapeLoadError, match=r"broken\.ttl"):
        load_shapes(tmp_path)


def test_load_shapes_rejects_turtle_without_shapes(tmp_path: Path) -> None:
    (tmp_path / "empty.ttl").write_text("<urn:a> <urn:b> <urn:c> .\n", "utf-8")
    with pytest.raises(ShapeLoadError, match="no sh:NodeShape"):
        load_shapes(tmp_path)


def test_shapes_that_cannot_be_applied_raise(tmp_path: Path, valid: Graph) -> None:
    # SHACL-SPARQL forbids VALUES; pySHACL refuses the query at validation time.
    (tmp_path / "bad.ttl").write_text(
        """
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix mgi: <https://w3id.org/mgi/def#> .
        <urn:shape> a sh:NodeShape ; sh:targetClass mgi:Profile ;
            sh:sparql [ sh:select "SELECT $this WHERE { VALUES ?x { 1 } }" ] .
        """,
        "utf-8",
    )
    with pytest.raises(ShapeLoadError, match="VALUES"):
        validate_graph(valid, load_shapes(tmp_path))
