"""The builder: IRIs and triples of the vocabulary contract, checked by the real shapes."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

import kb
from kb.build.canonical import canonical_nquads, graph_quads
from kb.build.profile_graph import (
    build_places_graph,
    build_profile_graph,
    concept_local_name,
    merge,
)
from kb.iris import Iris
from kb.model import (
    Assessment,
    Domain,
    EntityKind,
    Extraction,
    Finding,
    Intro,
    Level,
    Mention,
    Organization,
    PolicyInstrument,
    Profile,
)
from kb.namespaces import MGI, ORG, SCHEMA
from kb.reference.places import load_places
from kb.validate import load_shapes, validate_graph

REPO = Path(__file__).resolve().parents[2]
IRIS = Iris()
TEXT = "La Personería de Villa Clara aplica la Circular 12 de 2019."


def _profile(place: str = "Villa Clara", level: Level = Level.LOCAL) -> Profile:
    findings = tuple(
        Finding(n=i, domain=d, assessment=Assessment.WELL_DEVELOPED, position=1, text=TEXT)
        for i, d in enumerate(Domain, start=1)
    )
    return Profile(
        title=f"Perfil de Gobernanza Migratoria: Municipio de {place}",
        title_language="es",
        place_name=place,
        designation=f"Municipio de {place}",
        level=level,
        findings_language="es",
        chrome_language="en",
        date="2021-03",
        date_text="Marzo 2021",
        intro=Intro("INTRODUCCIÓN", ("Un párrafo.",)),
        findings=findings,
        source="villa-clara-2021.txt",
    )


def _extraction() -> Extraction:
    org = Organization(
        slug="villa-clara--personeria",
        label="Personería de Villa Clara",
        label_language="es",
        institution_type="oversight-body",
        jurisdiction="villa-clara",
    )
    circular = PolicyInstrument(
        slug="villa-clara--circular-12-de-2019",
        title="Circular 12 de 2019",
        title_language="es",
        instrument_type="circular",
        years=(2019,),
        creator=None,
        jurisdiction="villa-clara",
    )
    start = TEXT.index("Personería")
    c_start = TEXT.index("Circular")
    mentions = (
        Mention(1, start, start + 25, TEXT[start : start + 25], EntityKind.ORGANIZATION, org.slug),
        Mention(
            1, c_start, c_start + 19, "Circular 12 de 2019", EntityKind.INSTRUMENT, circular.slug
        ),
    )
    return Extraction((org,), (circular,), mentions, {1: (2019,)})


@pytest.fixture(scope="module")
def places():
    return load_places(REPO / "data/reference/places.toml")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes(REPO / "shapes")


def test_iris_follow_the_design_scheme(places) -> None:
    g = build_profile_graph(_profile(), _extraction(), iris=IRIS, places=places)
    base = "https://w3id.org/mgi/id/"
    profile = URIRef(base + "profile/villa-clara-2021")
    finding = URIRef(base + "finding/villa-clara-2021/1")
    assert (profile, MGI.hasFinding, finding) in g and (finding, MGI.profile, profile) in g
    assert (profile, MGI.assessedPlace, URIRef(base + "place/villa-clara")) in g
    assert (finding, MGI.mentions, URIRef(base + "org/villa-clara--personeria")) in g
    assert (
        finding,
        MGI.mentions,
        URIRef(base + "instrument/villa-clara--circular-12-de-2019"),
    ) in g
    assert (finding, MGI.domain, MGI.MigrantsRights) in g
    assert (finding, MGI.assessment, MGI.WellDeveloped) in g
    assert (finding, MGI.refersToYear, Literal("2019", datatype=XSD.gYear)) in g
    assert (profile, DCTERMS.issued, Literal("2021-03", datatype=XSD.gYearMonth)) in g
    assert not any(isinstance(term, BNode) for triple in g for term in triple)


def test_mentions_explain_each_link_with_offsets(places) -> None:
    g = build_profile_graph(_profile(), _extraction(), iris=IRIS, places=places)
    mention = URIRef("https://w3id.org/mgi/id/finding/villa-clara-2021/1#mention-1")
    assert (mention, RDF.type, MGI.Mention) in g
    start = int(g.value(mention, MGI.start))
    end = int(g.value(mention, MGI.end))
    assert TEXT[start:end] == str(g.value(mention, MGI.surfaceForm)) == "Personería de Villa Clara"


def test_built_graph_conforms_and_unknown_place_only_warns(places, shapes) -> None:
    g = build_profile_graph(_profile(), _extraction(), iris=IRIS, places=places)
    report = validate_graph(merge([g, build_places_graph(places, iris=IRIS)]), shapes)
    assert report.conforms, report.text
    assert [r.severity for r in report.results] == ["Warning"]
    assert report.results[0].focus_node == "https://w3id.org/mgi/id/place/villa-clara"


def test_curated_place_links_city_region_and_country(places) -> None:
    g = build_places_graph(places, iris=IRIS)
    city = IRIS.place("bucaramanga")
    assert (city, RDF.type, SCHEMA.City) in g
    assert (city, SCHEMA.containedInPlace, IRIS.place("santander")) in g
    assert (city, SCHEMA.containedInPlace, IRIS.place("colombia")) in g
    assert (IRIS.place("colombia"), RDFS.label, Literal("Colombia", lang="en")) in g


def test_organization_classification_uses_type_concepts(places) -> None:
    g = build_profile_graph(_profile(), _extraction(), iris=IRIS, places=places)
    org = IRIS.org("villa-clara--personeria")
    assert (org, ORG.classification, MGI.OversightBody) in g
    assert (org, MGI.curated, Literal(False)) in g


@pytest.mark.parametrize(
    ("code", "local"),
    [("oversight-body", "OversightBody"), ("un-agency", "UnAgency"), ("plan", "Plan")],
)
def test_concept_local_name(code: str, local: str) -> None:
    assert concept_local_name(code) == local


def test_same_input_same_bytes(places) -> None:
    def once() -> bytes:
        g = build_profile_graph(_profile(), _extraction(), iris=IRIS, places=places)
        return canonical_nquads(graph_quads(g, IRIS.profile("villa-clara-2021")))

    assert once() == once()


def test_base_iri_is_configuration(places) -> None:
    iris = Iris("http://localhost:8000/")
    g = build_profile_graph(_profile(), _extraction(), iris=iris, places=places)
    assert (URIRef("http://localhost:8000/id/profile/villa-clara-2021"), RDF.type, MGI.Profile) in g
    with pytest.raises(ValueError, match="end with '/'"):
        Iris("http://example.org/mgi")


def test_package_exports_stage_functions() -> None:
    assert callable(kb.parse_profile) and callable(kb.validate_graph)
    with pytest.raises(AttributeError):
        _ = kb.no_such_thing


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld"])
def test_triple_exports_give_each_triple_of_the_union_once(fmt: str, tmp_path: Path) -> None:
    import io

    import pyoxigraph as ox

    from kb.build.canonical import ExportFormat, write_export

    shared = "<https://w3id.org/mgi/id/org/x> <http://www.w3.org/2004/02/skos/core#prefLabel> "
    dataset = tmp_path / "dataset.nq"
    dataset.write_text(
        f'{shared}"X" <https://w3id.org/mgi/graph/a> .\n'
        f'{shared}"X" <https://w3id.org/mgi/graph/b> .\n'
        f'{shared}"Y" <https://w3id.org/mgi/graph/b> .\n',
        encoding="utf-8",
    )
    out = io.BytesIO()
    write_export(dataset, ExportFormat(fmt), out)
    triples = list(ox.parse(out.getvalue(), format=ExportFormat(fmt).rdf_format))
    assert sorted(str(t.object) for t in triples) == ['"X"', '"Y"']

    trig = io.BytesIO()
    write_export(dataset, ExportFormat.TRIG, trig)
    assert len(list(ox.parse(trig.getvalue(), format=ox.RdfFormat.TRIG))) == 3
