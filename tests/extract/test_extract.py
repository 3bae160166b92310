"""Rules of the extractor (issue 3), table-tested on sentences that are not from the
three shared profiles, in Spanish, English, French and Portuguese."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kb.extract.extractor import extract_mentions, mint_slug, name_key
from kb.extract.gazetteer import load_gazetteer
from kb.model import (
    Assessment,
    Domain,
    EntityKind,
    Extraction,
    Finding,
    Intro,
    Level,
    Profile,
)
from kb.parse.profile import read_profile

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "data" / "reference"
SHARED_PROFILES = ROOT.parent / "shared" / "profiles"


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer(REFERENCE / "institutions.toml")


def make_profile(
    texts: list[str],
    *,
    language: str = "es",
    place: str = "San Telmo",
    level: Level = Level.LOCAL,
    short_name: str | None = None,
) -> Profile:
    findings = tuple(
        Finding(n, Domain.WHOLE_OF_GOVERNMENT, Assessment.WELL_DEVELOPED, n, text)
        for n, text in enumerate(texts, start=1)
    )
    return Profile(
        title=f"Profile: {place}",
        title_language=language,
        place_name=place,
        designation=f"Municipio de {place}",
        level=level,
        findings_language=language,
        chrome_language=language,
        date="2021-03",
        date_text="2021 March",
        intro=Intro("INTRO", ()),
        findings=findings,
        short_name=short_name,
        source="test.txt",
    )


def surfaces(extraction: Extraction, kind: EntityKind, n: int = 1) -> set[str]:
    return {m.surface_form for m in extraction.mentions if m.kind is kind and m.finding_n == n}


def org_of(extraction: Extraction, surface: str):
    mention = next(
        m
        for m in extraction.mentions
        if m.surface_form == surface and m.kind is EntityKind.ORGANIZATION
    )
    return next(o for o in extraction.organizations if o.slug == mention.target)


def instrument_of(extraction: Extraction, surface: str):
    mention = next(
        m
        for m in extraction.mentions
        if m.surface_form == surface and m.kind is EntityKind.INSTRUMENT
    )
    return next(i for i in extraction.instruments if i.slug == mention.target)


# --- institutions ------------------------------------------------------------------

INSTITUTION_CASES = [
    # (language, place, sentence, expected institution surface forms)
    (
        "fr",
        "Lyon",
        "La Mairie de Lyon a ouvert un guichet pour les personnes migrantes.",
        {"Mairie de Lyon"},
    ),
    (
        "fr",
        "Lyon",
        "L'Office français de l'immigration et de l'intégration (OFII) gère l'accueil des "
        "demandeurs d'asile avec la Préfecture du Rhône.",
        {"Office français de l'immigration et de l'intégration", "OFII", "Préfecture du Rhône"},
    ),
    (
        "pt",
        "Porto Alegre",
        "A Secretaria Municipal de Assistência Social coordena o Centro de Referência para "
        "Imigrantes.",
        {"Secretaria Municipal de Assistência Social", "Centro de Referência para Imigrantes"},
    ),
    (
        "pt",
        "Porto Alegre",
        "A Prefeitura e a Defensoria Pública da União orientam as pessoas migrantes.",
        {"Prefeitura", "Defensoria Pública da União"},
    ),
    (
        "en",
        "Riverton",
        "The Office for Migrant Affairs works with the Riverton Housing Authority and the "
        "Department of Social Welfare.",
        {
            "Office for Migrant Affairs",
            "Riverton Housing Authority",
            "Department of Social Welfare",
        },
    ),
    (
        "en",
        "Riverton",
        "The City Council and the International Organization for Migration (IOM) signed it.",
        {"City Council", "International Organization for Migration", "IOM"},
    ),
    (
        "es",
        "San Telmo",
        "La Personería Municipal, la Defensoría del Pueblo y la Casa del Migrante orientan a "
        "las personas migrantes.",
        {"Personería Municipal", "Defensoría del Pueblo", "Casa del Migrante"},
    ),
    (
        "es",
        "San Telmo",
        "El Comité Departamental de Derechos Humanos sesiona con la Gobernación del Meta.",
        {"Comité Departamental de Derechos Humanos", "Gobernación del Meta"},
    ),
]


@pytest.mark.parametrize(("language", "place", "sentence", "expected"), INSTITUTION_CASES)
def test_institution_names_in_four_languages(gazetteer, language, place, sentence, expected):
    extraction = extract_mentions(
        make_profile([sentence], language=language, place=place), gazetteer
    )
    assert surfaces(extraction, EntityKind.ORGANIZATION) == expected


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("es", "Las secretarías municipales y las universidades participan en la mesa técnica."),
        ("es", "La Alcaldía reúne a múltiples Secretarías para articular acciones."),
        ("en", "Civil society organizations and city departments take part."),
        ("en", "The City does not collect data on the migrant population."),
        ("es", "El municipio no cuenta con información desagregada."),
        ("fr", "La commune ne publie pas de données sur les migrations."),
    ],
)
def test_generic_plurals_and_the_assessed_place_are_not_institutions(gazetteer, language, sentence):
    extraction = extract_mentions(make_profile([sentence], language=language), gazetteer)
    found = surfaces(extraction, EntityKind.ORGANIZATION)
    assert found <= {"Alcaldía"}, found


def test_coordinated_plural_names_each_body(gazetteer):
    text = "Las Secretarías de Cultura, Deporte y Turismo apoyan a la población migrante."
    extraction = extract_mentions(make_profile([text]), gazetteer)
    orgs = {m.surface_form: org_of(extraction, m.surface_form).label for m in extraction.mentions}
    assert orgs == {
        "Secretarías de Cultura": "Secretaría de Cultura",
        "Deporte": "Secretaría de Deporte",
        "Turismo": "Secretaría de Turismo",
    }


def test_coordinated_plural_in_english(gazetteer):
    text = "The Departments of Health and Education run the programme."
    extraction = extract_mentions(make_profile([text], language="en", place="Riverton"), gazetteer)
    labels = {o.label for o in extraction.organizations if not o.curated}
    assert {"Department of Health", "Department of Education"} <= labels


def test_acronym_defined_in_parentheses_names_later_mentions(gazetteer):
    texts = [
        "El Instituto Distrital de Participación Comunitaria (IDPAC) abrió una oficina.",
        "El IDPAC atiende a personas migrantes.",
    ]
    extraction = extract_mentions(make_profile(texts), gazetteer)
    first = org_of(extraction, "Instituto Distrital de Participación Comunitaria")
    later = [m for m in extraction.mentions if m.finding_n == 2]
    assert [(m.surface_form, m.target) for m in later] == [("IDPAC", first.slug)]
    assert "IDPAC" in first.alt_labels


def test_short_form_and_full_form_are_one_body(gazetteer):
    texts = [
        "La Secretaría de Integración Social de San Telmo coordina la respuesta.",
        "La Secretaría de Integración Social de la Alcaldía financia albergues.",
        "La Alcaldía de San Telmo y la Alcaldía apoyan.",
    ]
    extraction = extract_mentions(make_profile(texts), gazetteer)
    secretariat = {m.target for m in extraction.mentions if m.surface_form.startswith("Secretaría")}
    assert secretariat == {"san-telmo--secretaria-de-integracion-social"}
    government = {m.target for m in extraction.mentions if m.surface_form.startswith("Alcaldía")}
    assert government == {"san-telmo--municipal-government"}
    org = next(o for o in extraction.organizations if o.slug in secretariat)
    assert org.label == "Secretaría de Integración Social de San Telmo"
    assert org.parent == "san-telmo--municipal-government"
    assert org.jurisdiction == "san-telmo"
    assert org.institution_type == "municipal-secretariat"


def test_stated_parents(gazetteer):
    texts = [
        "La Oficina para Asuntos Migratorios, adscrita a la Secretaría de Gobierno, orienta.",
        "La Universidad del Llano, a través de su Observatorio de Migraciones, publica datos.",
        "The Migrant Help Centre, run by the Department of Community Development, opened.",
    ]
    extraction = extract_mentions(make_profile(texts[:2]), gazetteer)
    assert org_of(extraction, "Oficina para Asuntos Migratorios").parent == (
        "san-telmo--secretaria-de-gobierno"
    )
    observatory = org_of(extraction, "Observatorio de Migraciones")
    assert observatory.parent == "san-telmo--universidad-del-llano"
    assert observatory.institution_type == "research-centre"
    english = extract_mentions(make_profile(texts[2:], language="en", place="Riverton"), gazetteer)
    centre = org_of(english, "Migrant Help Centre")
    assert centre.parent == "riverton--department-of-community-development"
    assert centre.institution_type == "service-centre"


def test_municipal_bodies_of_two_cities_never_merge(gazetteer):
    a = extract_mentions(
        make_profile(
            ["La Personería de Cúcuta y la Secretaría de Planeación atienden."], place="Cúcuta"
        ),
        gazetteer,
    )
    b = extract_mentions(
        make_profile(
            ["La Personería de Pasto y la Secretaría de Planeación atienden."], place="Pasto"
        ),
        gazetteer,
    )
    slugs_a = {m.target for m in a.mentions}
    slugs_b = {m.target for m in b.mentions}
    assert slugs_a == {"cucuta--personeria", "cucuta--secretaria-de-planeacion"}
    assert slugs_b == {"pasto--personeria", "pasto--secretaria-de-planeacion"}
    assert not slugs_a & slugs_b
    assert {o.jurisdiction for o in a.organizations if not o.curated} == {"cucuta"}


def test_national_and_international_bodies_merge_across_profiles(gazetteer):
    a = extract_mentions(
        make_profile(
            ["Migración Colombia y el ACNUR atienden en el puesto de control."], place="Cúcuta"
        ),
        gazetteer,
    )
    b = extract_mentions(
        make_profile(
            ["Migration Colombia and UNHCR run a registration point."],
            language="en",
            place="Riohacha",
        ),
        gazetteer,
    )
    assert (
        {m.target for m in a.mentions}
        == {m.target for m in b.mentions}
        == {
            "colombia--migracion-colombia",
            "united-nations-high-commissioner-for-refugees",
        }
    )
    assert all(o.curated for o in a.organizations)


def test_country_specific_names_need_the_country(gazetteer):
    # "Defensoría del Pueblo" is curated for Colombia; without Colombian context it is
    # minted for the place instead of being merged with Colombia's.
    colombian = extract_mentions(
        make_profile(["El SENA y la Defensoría del Pueblo orientan."], place="Cúcuta"), gazetteer
    )
    elsewhere = extract_mentions(
        make_profile(["La Defensoría del Pueblo orienta a los migrantes."], place="Arequipa"),
        gazetteer,
    )
    assert "colombia--defensoria-del-pueblo" in {m.target for m in colombian.mentions}
    assert {m.target for m in elsewhere.mentions} == {"arequipa--defensoria-del-pueblo"}
    told = extract_mentions(
        make_profile(["La Defensoría del Pueblo orienta."], place="Arequipa"),
        gazetteer,
        country="colombia",
    )
    assert {m.target for m in told.mentions} == {"colombia--defensoria-del-pueblo"}


def test_absent_body_is_not_a_mention(gazetteer):
    text = "San Telmo no cuenta con una Oficina de Atención al Migrante."
    extraction = extract_mentions(make_profile([text]), gazetteer)
    assert surfaces(extraction, EntityKind.ORGANIZATION) == set()


# --- instruments -------------------------------------------------------------------

INSTRUMENT_CASES = [
    # (language, sentence, {surface: (type, years, status)})
    (
        "es",
        "El Decreto 112 de 2017 y la Ley 2136 de 2021 regulan la atención.",
        {
            "Decreto 112 de 2017": ("decree", (2017,), "in-force"),
            "Ley 2136 de 2021": ("law", (2021,), "in-force"),
        },
    ),
    (
        "es",
        "La Alcaldía se encuentra formulando la Política Pública de Migración.",
        {"Política Pública de Migración": ("policy", (), "in-preparation")},
    ),
    (
        "es",
        "El programa «Manos Amigas» ofrece cursos de idiomas.",
        {"Manos Amigas": ("program", (), "in-force")},
    ),
    (
        "en",
        "The Riverton Welcoming Strategy 2019–2024 was adopted by the City Council.",
        {"Riverton Welcoming Strategy 2019–2024": ("strategy", (2019, 2024), "in-force")},
    ),
    (
        "en",
        "Under Law No. 2010 of 2015, migrants may register.",
        {"Law No. 2010 of 2015": ("law", (2015,), "in-force")},
    ),
    (
        "en",
        'The "Open Doors" programme offers language classes.',
        {"Open Doors": ("program", (), "in-force")},
    ),
    (
        "fr",
        "La ville a adopté le Plan local d'intégration des migrants 2019-2023.",
        {"Plan local d'intégration des migrants 2019-2023": ("plan", (2019, 2023), "in-force")},
    ),
    (
        "pt",
        "A Lei nº 13.445/2017 e o Decreto Municipal nº 57.533 regulam o acolhimento.",
        {
            "Lei nº 13.445/2017": ("law", (2017,), "in-force"),
            "Decreto Municipal nº 57.533": ("decree", (), "in-force"),
        },
    ),
    (
        "pt",
        "A Prefeitura assinou um Termo de Cooperação com a OIM em 2021.",
        {"Termo de Cooperação": ("agreement", (2021,), "in-force")},
    ),
]


@pytest.mark.parametrize(("language", "sentence", "expected"), INSTRUMENT_CASES)
def test_instruments_with_type_years_and_status(gazetteer, language, sentence, expected):
    extraction = extract_mentions(make_profile([sentence], language=language), gazetteer)
    assert surfaces(extraction, EntityKind.INSTRUMENT) == set(expected)
    for surface, (type_code, years, status) in expected.items():
        instrument = instrument_of(extraction, surface)
        assert (instrument.instrument_type, instrument.years, instrument.status) == (
            type_code,
            years,
            status,
        )


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("es", "No existe una estrategia de integración para la población migrante."),
        ("es", "El municipio aún no cuenta con un plan de contingencia migratoria."),
        ("es", "No hay programas de formación para funcionarios públicos."),
        ("en", "There is no migration strategy and no local integration plan."),
        ("en", "The city does not have a strategy for migrant inclusion."),
        ("fr", "La commune ne dispose pas d'une stratégie d'accueil."),
        ("pt", "O município não possui um plano de acolhimento para migrantes."),
    ],
)
def test_instruments_stated_as_absent_are_not_mentions(gazetteer, language, sentence):
    extraction = extract_mentions(make_profile([sentence], language=language), gazetteer)
    assert surfaces(extraction, EntityKind.INSTRUMENT) == set()


def test_existing_unnamed_instrument_after_a_negation_is_a_mention(gazetteer):
    # The negation concerns the measures; the programmes themselves exist.
    text = "No existen medidas que faciliten el acceso a los programas de vivienda social."
    extraction = extract_mentions(make_profile([text]), gazetteer)
    assert surfaces(extraction, EntityKind.INSTRUMENT) == {"programas de vivienda social"}


def test_local_instruments_of_two_cities_never_merge(gazetteer):
    a = extract_mentions(
        make_profile(["El Plan de Desarrollo Municipal incluye metas."], place="Cúcuta"), gazetteer
    )
    b = extract_mentions(
        make_profile(["El Plan de Desarrollo Municipal incluye metas."], place="Pasto"), gazetteer
    )
    assert a.instruments[0].slug == "cucuta--plan-de-desarrollo-municipal"
    assert b.instruments[0].slug == "pasto--plan-de-desarrollo-municipal"
    assert a.instruments[0].jurisdiction == "cucuta"


def test_instrument_creator_from_the_text(gazetteer):
    texts = [
        "La Circular 045 de 2020 de la Secretaría de Educación garantiza el acceso.",
        "La Secretaría de Salud gestiona la Ruta de Atención Integral al Migrante.",
    ]
    extraction = extract_mentions(make_profile(texts), gazetteer)
    assert instrument_of(extraction, "Circular 045 de 2020").creator == (
        "san-telmo--secretaria-de-educacion"
    )
    assert instrument_of(extraction, "Ruta de Atención Integral al Migrante").creator == (
        "san-telmo--secretaria-de-salud"
    )


def test_a_body_named_like_a_programme_is_not_an_instrument(gazetteer):
    text = "El Programa Mundial de Alimentos (PMA) entregó ayudas con la Alcaldía."
    extraction = extract_mentions(make_profile([text]), gazetteer)
    assert surfaces(extraction, EntityKind.INSTRUMENT) == set()
    assert org_of(extraction, "PMA").slug == "world-food-programme"


# --- years -------------------------------------------------------------------------

YEAR_CASES = [
    ("La Ley 1997 de 2019 otorga la nacionalidad.", (2019,)),
    ("Se atendieron 12.000 personas y 1.234 familias.", ()),
    ("Durante la COVID-19 se entregaron ayudas.", ()),
    ("El plan cubre 2019–2024 y el anterior 2015-2018.", (2015, 2018, 2019, 2024)),
    ("Décret n° 2019-12 relatif à l'accueil.", (2019,)),
    ("A Lei nº 1.234/2019 foi aprovada.", (2019,)),
    ("Under Circular No. 3 of 2018 schools enrol migrant children.", (2018,)),
    ("Entre 1799 y 2100 no hay años válidos, pero 1800 y 2099 sí.", (1800, 2099)),
    ("En 2020 y de nuevo en 2020 se actualizó.", (2020,)),
    ("Con 20201 registros y el código A2019.", ()),
    # held-out 2 rule: digit groups separated by spaces are a phone number, not years
    ("La línea gratuita (0900 2019 455) atiende desde 2021.", (2021,)),
    ("Call 01 2020 3344 for help since 2018.", (2018,)),
]


@pytest.mark.parametrize(("sentence", "years"), YEAR_CASES)
def test_years(gazetteer, sentence, years):
    extraction = extract_mentions(make_profile([sentence]), gazetteer)
    assert extraction.years[1] == years


# --- invariants on the shared profiles --------------------------------------------


@pytest.mark.parametrize(
    "name", ["bucaramanga-2022.txt", "kestrelmouth-2021.txt", "santa-ines-de-guaraca-2021.txt"]
)
def test_offsets_cut_the_surface_form_out_of_the_text(gazetteer, name):
    path = SHARED_PROFILES / name
    if not path.is_file():
        pytest.skip("shared profiles not available")
    profile = read_profile(path)
    extraction = extract_mentions(profile, gazetteer)
    texts = {f.n: f.text for f in profile.findings}
    org_slugs = {o.slug for o in extraction.organizations}
    instrument_slugs = {i.slug for i in extraction.instruments}
    assert extraction.mentions
    for m in extraction.mentions:
        assert texts[m.finding_n][m.start : m.end] == m.surface_form
        assert m.surface_form == m.surface_form.strip()
        wanted = org_slugs if m.kind is EntityKind.ORGANIZATION else instrument_slugs
        assert m.target in wanted
    for org in extraction.organizations:
        assert org.parent is None or org.parent in org_slugs
    assert set(extraction.years) == set(texts)
    assert all(list(y) == sorted(set(y)) for y in extraction.years.values())


def test_same_input_same_output(gazetteer):
    texts = ["La Secretaría de Salud y la OIM firmaron el Convenio 12 de 2020."]
    assert extract_mentions(make_profile(texts), gazetteer) == extract_mentions(
        make_profile(texts), gazetteer
    )


def test_slug_helpers():
    assert mint_slug(("personeria",), "bucaramanga") == "bucaramanga--personeria"
    assert mint_slug(("world", "bank"), None) == "world-bank"
    key = name_key("Personería Municipal de Santa Inés", place_names=["Santa Inés"])
    assert key == ("personeria",)
    assert name_key(
        "Kestrelmouth City Health Department", place_names=["Kestrelmouth"], language="en"
    ) == ("health", "department")


# --- robustness ------------------------------------------------------------------

_VOCABULARY = (
    "La la el de del y no una Secretaría Secretarías Plan plan Ley Circular No. 254 1997 de "
    '2019 2020–2023 ( ) IMEBU OIM « » “ ” " , . ; Alcaldía Salud Interior Office of the City '
    "Council and programme Mairie l' d' Secretaria Municipal nº 13.445/2017 COVID-19 es un "
    "grupo ’"
)
WORDS = _VOCABULARY.split()


@given(st.lists(st.sampled_from(WORDS), max_size=40), st.sampled_from(["es", "en", "fr", "pt"]))
@settings(max_examples=200, deadline=None)
def test_any_text_keeps_offsets_exact(words, language):
    gazetteer = load_gazetteer(REFERENCE / "institutions.toml")
    text = " ".join(words)
    extraction = extract_mentions(make_profile([text], language=language), gazetteer)
    for m in extraction.mentions:
        assert text[m.start : m.end] == m.surface_form
    slugs = {o.slug for o in extraction.organizations} | {i.slug for i in extraction.instruments}
    assert {m.target for m in extraction.mentions} <= slugs


def test_national_profile(gazetteer):
    texts = [
        "El Gobierno Nacional y la Cancillería expidieron el CONPES 3950 de 2018.",
        "La Defensoría del Pueblo y la Secretaría de Integración Social atienden a migrantes.",
    ]
    profile = make_profile(texts, place="Colombia", level=Level.NATIONAL)
    extraction = extract_mentions(profile, gazetteer)
    targets = {m.surface_form: m.target for m in extraction.mentions}
    assert targets["Defensoría del Pueblo"] == "colombia--defensoria-del-pueblo"
    assert targets["Gobierno Nacional"] == "colombia--gobierno-nacional"
    secretariat = org_of(extraction, "Secretaría de Integración Social")
    assert secretariat.jurisdiction == "colombia"
    assert secretariat.parent is None  # no municipal government in a national profile
    assert extraction.years[1] == (2018,)


# --- general rules added after the held-out evaluation ------------------------------
# (sentences written for these tests; none comes from a profile or a fixture)

HEADLESS_AND_LOWERCASE_CASES = [
    # (language, place, sentence, expected institution surface forms)
    # Heads present in one language and missing in another (Caja/Caisse, Conferencia…).
    (
        "es",
        "Valdivia",
        "La Caja Provincial de Previsión paga las pensiones.",
        {"Caja Provincial de Previsión"},
    ),
    (
        "pt",
        "Ilhéus",
        "A Conferência Estadual de Migrantes aprovou suas propostas.",
        {"Conferência Estadual de Migrantes"},
    ),
    (
        "pt",
        "Ilhéus",
        "O Sistema Nacional de Atendimento ao Trabalhador orienta.",
        {"Sistema Nacional de Atendimento ao Trabalhador"},
    ),
    (
        "en",
        "Riverton",
        "The Provincial Conference on Settlement meets every year.",
        {"Provincial Conference on Settlement"},
    ),
    # No listed head: "Name (ACR)" whose initials spell ACR, with a stated scope.
    (
        "es",
        "Valdivia",
        "El Fondo Nacional de Vivienda (FONAVI) financia albergues.",
        {"Fondo Nacional de Vivienda", "FONAVI"},
    ),
    (
        "fr",
        "Annecy",
        "Le Fonds régional d'insertion (FRI) soutient les associations.",
        {"Fonds régional d'insertion", "FRI"},
    ),
    # ... but an acronym alone makes no body without a scope or the place.
    ("es", "Valdivia", "Los Objetivos de Desarrollo Sostenible (ODS) guían la política.", set()),
    # Lower-case heads with a specific complement.
    (
        "fr",
        "Annecy",
        "Le dossier est transmis à la sous-préfecture de Montbrison.",
        {"sous-préfecture de Montbrison"},
    ),
    (
        "fr",
        "Annecy",
        "Le comité de pilotage « Vivre ensemble » se réunit chaque mois.",
        {"comité de pilotage « Vivre ensemble »"},
    ),
    (
        "fr",
        "Annecy",
        "Les familles sont orientées vers l'association Terre d'Asile pour un "
        "accompagnement juridique.",
        {"association Terre d'Asile"},
    ),
    (
        "es",
        "Valdivia",
        "Los casos se remiten a la comisaría de Chapinero.",
        {"comisaría de Chapinero"},
    ),
    (
        "pt",
        "Ilhéus",
        "Os pedidos chegam à coordenadoria de Políticas Migratórias.",
        {"coordenadoria de Políticas Migratórias"},
    ),
    # ... and without one they are common nouns.
    ("fr", "Annecy", "Le centre de la ville accueille un marché et un bureau de poste.", set()),
    ("es", "Valdivia", "El centro de Valdivia y una asociación de vecinos participan.", set()),
    ("es", "Valdivia", "La «Red Amiga» es un grupo de Facebook de voluntarios.", {"Red Amiga"}),
    # Lower-case police forces and posts after a definite article.
    ("fr", "Annecy", "La police municipale patrouille près de la gare.", {"police municipale"}),
    ("es", "Valdivia", "La policía local recibió formación.", {"policía local"}),
    ("fr", "Annecy", "Le maire a signé la convention.", {"maire"}),
    ("es", "Valdivia", "El alcalde Pérez inauguró la feria.", set()),
    (
        "en",
        "Riverton",
        "The regional office of the Housing Authority moved.",
        {"Housing Authority"},
    ),
]


@pytest.mark.parametrize(
    ("language", "place", "sentence", "expected"), HEADLESS_AND_LOWERCASE_CASES
)
def test_heads_initials_and_lower_case_heads(gazetteer, language, place, sentence, expected):
    extraction = extract_mentions(
        make_profile([sentence], language=language, place=place), gazetteer
    )
    assert surfaces(extraction, EntityKind.ORGANIZATION) == expected


def test_initials_type_follows_the_stated_scope(gazetteer):
    text = "El Fondo Nacional de Vivienda (FONAVI) financia albergues."
    extraction = extract_mentions(make_profile([text], place="Valdivia"), gazetteer)
    assert org_of(extraction, "FONAVI").institution_type == "national-body"


COORDINATION_CASES = [
    # (language, texts, expected {surface: label})
    (
        "es",
        ["Los Ministerios de Educación y de Ciencia y Tecnología firmaron."],
        {
            "Ministerios de Educación": "Ministerio de Educación",
            "de Ciencia y Tecnología": "Ministerio de Ciencia y Tecnología",
        },
    ),
    (
        "es",
        [
            "El Ministerio de Trabajo y Previsión Social publica datos.",
            "Los Ministerios de Salud y Trabajo y Previsión Social coordinan.",
        ],
        {
            "Ministerios de Salud": "Ministerio de Salud",
            "Trabajo y Previsión Social": "Ministerio de Trabajo y Previsión Social",
        },
    ),
    (
        "pt",
        ["As Secretarias Municipais de Habitação, de Cultura e de Esporte participam."],
        {
            "Secretarias Municipais de Habitação": "Secretaria Municipal de Habitação",
            "de Cultura": "Secretaria de Cultura",
            "de Esporte": "Secretaria de Esporte",
        },
    ),
    (
        "pt",
        ["A Coordenadoria Municipal de Habitação e Defesa Civil (COMHDEC) atua."],
        {
            "Coordenadoria Municipal de Habitação e Defesa Civil": (
                "Coordenadoria Municipal de Habitação e Defesa Civil"
            ),
            "COMHDEC": "Coordenadoria Municipal de Habitação e Defesa Civil",
        },
    ),
    (
        "fr",
        ["L'Association nationale des maires et élus ruraux (ANMER) publie un guide."],
        {
            "Association nationale des maires et élus ruraux": (
                "Association nationale des maires et élus ruraux"
            ),
            "ANMER": "Association nationale des maires et élus ruraux",
        },
    ),
    (
        "fr",
        ["Les Directions de la culture et du sport de la Mairie organisent un festival."],
        {
            "Directions de la culture": "Direction de la culture",
            "du sport": "Direction du sport",
            "Mairie": "Mairie",
        },
    ),
]


@pytest.mark.parametrize(("language", "texts", "expected"), COORDINATION_CASES)
def test_coordination_is_split_only_between_bodies(gazetteer, language, texts, expected):
    extraction = extract_mentions(make_profile(texts, language=language), gazetteer)
    last = len(texts)
    found = {
        m.surface_form: org_of(extraction, m.surface_form).label
        for m in extraction.mentions
        if m.finding_n == last and m.kind is EntityKind.ORGANIZATION
    }
    assert found == expected


def test_conjuncts_share_the_stated_parent(gazetteer):
    text = "Les Directions de la culture et du sport de la Mairie organisent un festival."
    extraction = extract_mentions(make_profile([text], language="fr"), gazetteer)
    government = org_of(extraction, "Mairie").slug
    assert org_of(extraction, "Directions de la culture").parent == government
    assert org_of(extraction, "du sport").parent == government


PARENT_CASES = [
    # (language, texts, child surface, parent surface)
    (
        "pt",
        [
            "A Secretaria Municipal de Saúde (SMS) mantém o Centro de Apoio ao Migrante.",
        ],
        "Centro de Apoio ao Migrante",
        "Secretaria Municipal de Saúde",
    ),
    (
        "es",
        ["La Secretaría de Inclusión administra la Casa de Acogida del Norte."],
        "Casa de Acogida del Norte",
        "Secretaría de Inclusión",
    ),
    (
        "fr",
        [
            "La Direction des solidarités urbaines (DSU) pilote le réseau.",
            "L'Observatoire des quartiers de la DSU publie une note annuelle.",
        ],
        "Observatoire des quartiers",
        "DSU",
    ),
    (
        "en",
        ["The Department of Social Services manages the Newcomer Welcome Centre."],
        "Newcomer Welcome Centre",
        "Department of Social Services",
    ),
]


@pytest.mark.parametrize(("language", "texts", "child", "parent"), PARENT_CASES)
def test_parents_from_running_verbs_and_acronyms(gazetteer, language, texts, child, parent):
    extraction = extract_mentions(
        make_profile(texts, language=language, place="Riverton"), gazetteer
    )
    assert org_of(extraction, child).parent == org_of(extraction, parent).slug


def test_a_coordinated_parent_word_is_no_parent(gazetteer):
    text = "Les agents de la Mairie et du CCRS sont formés."
    first = "Le Centre communal de ressources sociales (CCRS) ouvre le samedi."
    extraction = extract_mentions(make_profile([first, text], language="fr"), gazetteer)
    assert org_of(extraction, "Mairie").parent is None


RULE_INSTRUMENT_CASES = [
    # (language, sentence, {surface: (type, years, status)})
    # Sentence-case titles up to a clear end marker.
    (
        "es",
        "El país no ha ratificado el Convenio sobre la seguridad social (norma mínima), "
        "1952 (núm. 102).",
        {
            "Convenio sobre la seguridad social (norma mínima), 1952 (núm. 102)": (
                "treaty",
                (1952,),
                "not-ratified",
            )
        },
    ),
    (
        "es",
        "No ha ratificado el Convenio sobre el trabajo decente, 2011 (núm. 189) ni el "
        "Convenio sobre la violencia y el acoso, 2019 (núm. 190).",
        {
            "Convenio sobre el trabajo decente, 2011 (núm. 189)": (
                "treaty",
                (2011,),
                "not-ratified",
            ),
            "Convenio sobre la violencia y el acoso, 2019 (núm. 190)": (
                "treaty",
                (2019,),
                "not-ratified",
            ),
        },
    ),
    (
        "fr",
        "La France a ratifié la Convention sur la réduction des cas d'apatridie, 1961.",
        {
            "Convention sur la réduction des cas d'apatridie, 1961": (
                "agreement",
                (1961,),
                "in-force",
            )
        },
    ),
    (
        "pt",
        "O estado aplica a Lei de acolhimento humanitário de 2021 em todos os municípios.",
        {"Lei de acolhimento humanitário de 2021": ("law", (2021,), "in-force")},
    ),
    # ... and no run-on without an end marker.
    (
        "es",
        "La Ley de Migración establece que desde 2019 se emiten permisos.",
        {"Ley de Migración": ("law", (), "in-force")},
    ),
    # Named bills that are not adopted: mentions with a status.
    (
        "es",
        "El Congreso aún no ha aprobado el proyecto de Ley de Protección al Migrante.",
        {"Ley de Protección al Migrante": ("law", (), "in-preparation")},
    ),
    (
        "pt",
        "A Assembleia ainda não aprovou o projeto de Lei de Acolhimento Humanitário.",
        {"Lei de Acolhimento Humanitário": ("law", (), "in-preparation")},
    ),
    (
        "fr",
        "Le Parlement n'a pas encore adopté le projet de Loi sur l'accueil des réfugiés.",
        {"Loi sur l'accueil des réfugiés": ("law", (), "in-preparation")},
    ),
    (
        "en",
        "Parliament has not yet passed the Refugee Protection Bill.",
        {"Refugee Protection Bill": ("law", (), "in-preparation")},
    ),
    # Dates after a reference belong to it.
    (
        "fr",
        "Par délibération du 12 mars 2020, le conseil a créé une aide.",
        {"délibération du 12 mars 2020": ("resolution", (2020,), "in-force")},
    ),
    (
        "es",
        "El Decreto 45 del 3 de mayo de 2021 regula los permisos.",
        {"Decreto 45 del 3 de mayo de 2021": ("decree", (2021,), "in-force")},
    ),
    (
        "fr",
        "L'arrêté municipal n° 2021-17 du 2 février 2021 fixe les horaires.",
        {"arrêté municipal n° 2021-17 du 2 février 2021": ("ordinance", (2021,), "in-force")},
    ),
    # "provides for" is not "plans to"; whole words only.
    (
        "fr",
        "Le Plan local d'accueil prévoit des cours de langue gratuits.",
        {"Plan local d'accueil": ("plan", (), "in-force")},
    ),
    (
        "pt",
        "A Secretaria de Planejamento publica o Plano de Acolhimento Municipal.",
        {"Plano de Acolhimento Municipal": ("plan", (), "in-force")},
    ),
    (
        "es",
        "El Plan de Inclusión Social prevé talleres de idioma.",
        {"Plan de Inclusión Social": ("plan", (), "in-force")},
    ),
    (
        "es",
        "La Alcaldía prevé adoptar el Plan de Retorno Seguro.",
        {"Plan de Retorno Seguro": ("plan", (), "planned")},
    ),
    (
        "en",
        "Riverton plans to adopt the Welcoming Cities Strategy.",
        {"Welcoming Cities Strategy": ("strategy", (), "planned")},
    ),
]


@pytest.mark.parametrize(("language", "sentence", "expected"), RULE_INSTRUMENT_CASES)
def test_titles_bills_dates_and_status(gazetteer, language, sentence, expected):
    extraction = extract_mentions(make_profile([sentence], language=language), gazetteer)
    assert surfaces(extraction, EntityKind.INSTRUMENT) == set(expected)
    for surface, (type_code, years, status) in expected.items():
        instrument = instrument_of(extraction, surface)
        assert (instrument.instrument_type, instrument.years, instrument.status) == (
            type_code,
            years,
            status,
        )


@pytest.mark.parametrize(
    ("language", "texts", "title", "number"),
    [
        (
            "es",
            [
                "La Ley Orgánica de Movilidad Humana (Ley 938 de 2017) regula el asilo.",
                "La Ley 938 de 2017 creó el registro.",
            ],
            "Ley Orgánica de Movilidad Humana (Ley 938 de 2017)",
            "Ley 938 de 2017",
        ),
        (
            "pt",
            [
                "A Lei de Acolhimento (Lei nº 5.432/2018) garante abrigo.",
                "A Lei nº 5.432/2018 foi regulamentada.",
            ],
            "Lei de Acolhimento (Lei nº 5.432/2018)",
            "Lei nº 5.432/2018",
        ),
    ],
)
def test_title_and_number_reference_are_one_instrument(gazetteer, language, texts, title, number):
    extraction = extract_mentions(make_profile(texts, language=language), gazetteer)
    assert surfaces(extraction, EntityKind.INSTRUMENT, 1) == {title}
    merged = instrument_of(extraction, title)
    assert instrument_of(extraction, number).slug == merged.slug
    assert merged.years == (int(number[-4:]),)


@pytest.mark.parametrize(
    ("language", "sentence", "expected"),
    [
        ("fr", "Le diagnostic décrit les parcours des familles arrivées.", set()),
        (
            "fr",
            "La commune propose un parcours d'intégration aux familles.",
            {"parcours d'intégration"},
        ),
        ("pt", "O relatório avalia os programas das escolas estaduais.", set()),
        (
            "pt",
            "As famílias acessam os programas habitacionais do estado.",
            {"programas habitacionais do estado"},
        ),
    ],
)
def test_generic_instruments_need_a_classifying_complement(gazetteer, language, sentence, expected):
    extraction = extract_mentions(make_profile([sentence], language=language), gazetteer)
    assert surfaces(extraction, EntityKind.INSTRUMENT) == expected


# --- held-out 2 rules (own sentences, none from a fixture) -------------------------


@pytest.mark.parametrize(
    ("language", "texts", "surface", "type_code"),
    [
        # a kind phrase introduces a headless "Name (ACR)"
        (
            "en",
            ["The shelter is run by the charity Willow Bridge Trustees (WBT) since 2019."],
            "Willow Bridge Trustees",
            "ngo",
        ),
        (
            "es",
            ["La ONG Manos Abiertas Pereira (MAP) orienta a las familias."],
            "Manos Abiertas Pereira",
            "ngo",
        ),
        (
            "pt",
            ["A ONG Raízes Abertas Sul (RAS) oferece aulas de português."],
            "Raízes Abertas Sul",
            "ngo",
        ),
        # the acronym reused later makes the headless name a body
        (
            "fr",
            [
                "Le Collectif Roseaux Ouverts (CRO) accompagne les familles.",
                "Le CRO tient une permanence le mardi.",
            ],
            "Collectif Roseaux Ouverts",
            None,
        ),
    ],
)
def test_headless_acronym_names_from_a_cue_or_reuse(gazetteer, language, texts, surface, type_code):
    extraction = extract_mentions(make_profile(texts, language=language), gazetteer)
    assert surface in surfaces(extraction, EntityKind.ORGANIZATION)
    org = org_of(extraction, surface)
    if type_code:
        assert org.institution_type == type_code
    if len(texts) > 1:
        acronym = surface and texts[0][texts[0].index("(") + 1 : texts[0].index(")")]
        assert org_of(extraction, acronym).slug == org.slug


def test_headless_acronym_name_without_cue_or_reuse_stays_out(gazetteer):
    texts = ["La Feria del Libro Abierto (FLA) se celebra en abril."]
    extraction = extract_mentions(make_profile(texts), gazetteer)
    assert surfaces(extraction, EntityKind.ORGANIZATION) == set()


def test_a_kind_phrase_introduces_a_name_without_acronym(gazetteer):
    texts = ["As aulas são dadas pela organização não governamental Ponte Solidária."]
    extraction = extract_mentions(make_profile(texts, language="pt"), gazetteer)
    assert org_of(extraction, "Ponte Solidária").institution_type == "ngo"


def test_mixed_case_acronym_defined_in_parentheses(gazetteer):
    texts = [
        "O Conselho Nacional de Refúgio e Asilo (CNRa) reúne sete ministérios.",
        "O CNRa aprovou a resolução.",
    ]
    extraction = extract_mentions(make_profile(texts, language="pt"), gazetteer)
    org = org_of(extraction, "Conselho Nacional de Refúgio e Asilo")
    assert org_of(extraction, "CNRa").slug == org.slug


@pytest.mark.parametrize(
    ("language", "text", "surface"),
    [
        ("fr", "Les agents de la mairie reçoivent les familles.", "mairie"),
        ("pt", "A prefeitura oferece aulas de português.", "prefeitura"),
        ("es", "La alcaldía abrió una oficina.", "alcaldía"),
    ],
)
def test_lower_case_bare_local_government(gazetteer, language, text, surface):
    extraction = extract_mentions(make_profile([text], language=language), gazetteer)
    assert org_of(extraction, surface).institution_type == "municipal-government"


def test_a_bare_head_points_back_to_the_one_earlier_body(gazetteer):
    texts = [
        "La ville coopère avec la préfecture du Val-Brun sur l'hébergement.",
        "La préfecture publie les chiffres chaque année.",
    ]
    extraction = extract_mentions(make_profile(texts, language="fr"), gazetteer)
    full = org_of(extraction, "préfecture du Val-Brun")
    mention = next(m for m in extraction.mentions if m.finding_n == 2)
    assert mention.surface_form == "préfecture" and mention.target == full.slug


def test_a_bare_head_with_no_or_two_antecedents_is_dropped(gazetteer):
    texts = [
        "La préfecture du Val-Brun et la préfecture de la Côte-Grise coopèrent.",
        "La préfecture publie les chiffres.",
    ]
    extraction = extract_mentions(make_profile(texts, language="fr"), gazetteer)
    assert surfaces(extraction, EntityKind.ORGANIZATION, 2) == set()
    alone = extract_mentions(
        make_profile(["La préfecture publie les chiffres."], language="fr"), gazetteer
    )
    assert surfaces(alone, EntityKind.ORGANIZATION) == set()


def test_a_number_sign_is_no_negation(gazetteer):
    texts = ["Under Order No. 7 of 2021, Fernhill City Council funds the shelter."]
    extraction = extract_mentions(make_profile(texts, language="en", place="Fernhill"), gazetteer)
    assert "Fernhill City Council" in surfaces(extraction, EntityKind.ORGANIZATION)


def test_a_head_after_a_bare_coordinator_stays_in_the_title(gazetteer):
    texts = ["A Política Estadual de Prevenção e Defesa Civil orienta os municípios."]
    extraction = extract_mentions(make_profile(texts, language="pt"), gazetteer)
    assert surfaces(extraction, EntityKind.INSTRUMENT) == {
        "Política Estadual de Prevenção e Defesa Civil"
    }
    assert surfaces(extraction, EntityKind.ORGANIZATION) == set()


@pytest.mark.parametrize(
    ("language", "text", "title", "number"),
    [
        (
            "pt",
            "A Lei de Acolhimento Digno (Lei nº 4.321, de 3 de março de 2015) garante vagas.",
            "Lei de Acolhimento Digno (Lei nº 4.321, de 3 de março de 2015)",
            "Lei nº 4.321",
        ),
        (
            "es",
            "La Ley de Acogida (Ley 77, de 5 de junio de 2016) regula el asilo.",
            "Ley de Acogida (Ley 77, de 5 de junio de 2016)",
            "Ley 77",
        ),
    ],
)
def test_a_number_reference_with_a_comma_date_merges(gazetteer, language, text, title, number):
    extraction = extract_mentions(make_profile([text], language=language), gazetteer)
    assert surfaces(extraction, EntityKind.INSTRUMENT) == {title}


@pytest.mark.parametrize(
    ("language", "sentence", "title"),
    [
        (
            "pt",
            "O Plano Municipal de Acolhida está sendo elaborado pela prefeitura.",
            "Plano Municipal de Acolhida",
        ),
        (
            "pt",
            "O Plano Municipal de Acolhida ainda não foi adotado.",
            "Plano Municipal de Acolhida",
        ),
        ("es", "El Plan de Acogida está siendo elaborado por la alcaldía.", "Plan de Acogida"),
    ],
)
def test_draft_status_cues(gazetteer, language, sentence, title):
    extraction = extract_mentions(make_profile([sentence], language=language), gazetteer)
    assert instrument_of(extraction, title).status == "in-preparation"
