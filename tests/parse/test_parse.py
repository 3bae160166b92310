"""Parsing MGI profile texts (kb.parse.profile) against FORMAT.md.

Three layers: the gold files in shared/profiles/gold reproduced field by field;
the variants FORMAT.md allows, from the fixtures in tests/fixtures/profiles and
from profiles assembled in code; and one error case per way a file can be
unreadable, each checked for its line, FORMAT.md section and message.
"""

from __future__ import annotations

import codecs
import doctest
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import kb.parse.profile
from kb.errors import ProfileParseError
from kb.model import Assessment, Domain, Level, PlaceKind, Profile
from kb.parse import vocabulary as vocab
from kb.parse.profile import decode_profile, parse_profile, read_profile
from kb.text import normalise, slugify

SHARED = Path(__file__).resolve().parents[3] / "shared"
PROFILES = SHARED / "profiles"
GOLD_FILES = sorted((PROFILES / "gold").glob("*.json"))
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "profiles"
BUCARAMANGA = PROFILES / "bucaramanga-2022.txt"

WD = Assessment.WELL_DEVELOPED
POT = Assessment.POTENTIAL


def by_domain(profile: Profile) -> dict[str, dict[str, int]]:
    """Finding counts in the shape of gold `counts.by_domain`."""
    counts = Counter((f.domain.notation, f.assessment.value) for f in profile.findings)
    return {
        domain.notation: {a.value: counts[domain.notation, a.value] for a in Assessment}
        for domain in Domain
    }


def line_of(text: str, needle: str, start: int = 1) -> int:
    """1-based number of the first line at or after `start` containing `needle`."""
    for number, line in enumerate(text.split("\n"), 1):
        if number >= start and needle in line:
            return number
    raise AssertionError(f"{needle!r} not in text")


def parse_error(text: str, source: str = "test.txt") -> ProfileParseError:
    with pytest.raises(ProfileParseError) as caught:
        parse_profile(text, source=source)
    return caught.value


# --- gold ---------------------------------------------------------------------------

assert GOLD_FILES, f"no gold files under {PROFILES / 'gold'}"


@pytest.fixture(params=GOLD_FILES, ids=[path.stem for path in GOLD_FILES])
def gold_case(request: pytest.FixtureRequest) -> tuple[dict[str, Any], Profile]:
    gold = json.loads(request.param.read_text(encoding="utf-8"))
    return gold, read_profile(PROFILES / gold["source_file"])


def test_gold_profile_fields(gold_case: tuple[dict[str, Any], Profile]) -> None:
    gold, profile = gold_case
    expected = gold["profile"]
    assert profile.title == expected["title"]
    assert profile.title_language == expected["title_language"]
    assert profile.level.value == expected["level"]
    assert profile.findings_language == expected["findings_language"]
    assert profile.chrome_language == expected["chrome_language"]
    assert profile.date == expected["date"]
    assert profile.date_text == expected["date_text"]
    assert profile.short_name == expected["short_name"]
    assert profile.source == gold["source_file"]


def test_gold_place(gold_case: tuple[dict[str, Any], Profile]) -> None:
    gold, profile = gold_case
    place = gold["profile"]["place"]
    assert profile.place_name == place["name"]
    assert profile.designation == place["designation"]
    assert slugify(profile.place_name) == place["slug"]
    assert f"{place['slug']}-{profile.year}" == gold["profile"]["slug"]


def test_gold_intro(gold_case: tuple[dict[str, Any], Profile]) -> None:
    gold, profile = gold_case
    assert profile.intro.heading == gold["intro"]["heading"]
    assert list(profile.intro.paragraphs) == gold["intro"]["paragraphs"]


def test_gold_findings(gold_case: tuple[dict[str, Any], Profile]) -> None:
    gold, profile = gold_case
    expected = [
        {key: finding[key] for key in ("n", "domain", "assessment", "position", "text")}
        for finding in gold["findings"]
    ]
    got = [
        {
            "n": f.n,
            "domain": f.domain.value,
            "assessment": f.assessment.value,
            "position": f.position,
            "text": f.text,
        }
        for f in profile.findings
    ]
    assert got == expected
    assert len(profile.findings) == gold["counts"]["findings"]
    assert by_domain(profile) == gold["counts"]["by_domain"]


def test_gold_finding_lines_point_at_the_bullet(
    gold_case: tuple[dict[str, Any], Profile],
) -> None:
    gold, profile = gold_case
    lines = (PROFILES / gold["source_file"]).read_text(encoding="utf-8").split("\n")
    for finding in profile.findings:
        line = lines[finding.line - 1]
        assert line.rstrip().endswith(finding.text)
        assert line.strip()[0] in gold["layout"]["bullet_markers"]


def test_real_profile_keeps_typography_verbatim() -> None:
    profile = read_profile(BUCARAMANGA)
    # FORMAT.md §2.4: the unmatched closing quote stays.
    assert profile.findings[1].text.endswith("entre otras.”")
    assert profile.findings[0].text.startswith("El documento “Ruta")


# --- fixtures: variants the shared files do not show ---------------------------------

FIXTURE_CASES: dict[str, dict[str, Any]] = {
    # French chrome and findings, NBSP / U+202F before colons, «guillemets», "◦"
    # bullets, one About description per domain, "Juillet 2020".
    "saint-ombreval-2020.txt": {
        "title": "Profil de gouvernance des migrations\u00a0: Commune de Saint-Ombreval",
        "title_language": "fr",
        "level": Level.LOCAL,
        "place_name": "Saint-Ombreval",
        "designation": "Commune de Saint-Ombreval",
        "findings_language": "fr",
        "chrome_language": "fr",
        "date": "2020-07",
        "date_text": "Juillet 2020",
        "short_name": "Saint-Ombreval",
        "intro_heading": "INTRODUCTION",
        "paragraphs": 2,
        "by_domain": [(2, 1), (1, 2), (1, 1), (2, 1), (1, 1), (1, 1)],
    },
    # Portuguese, no About block, no blank lines, tab-indented "▪" bullets,
    # Sentence-case headings, "Março de 2019", a place name holding "do".
    "pedra-alta-do-sul-2019.txt": {
        "title": "Perfil de Governança Migratória: Município de Pedra Alta do Sul",
        "title_language": "pt",
        "level": Level.LOCAL,
        "place_name": "Pedra Alta do Sul",
        "designation": "Município de Pedra Alta do Sul",
        "findings_language": "pt",
        "chrome_language": "pt",
        "date": "2019-03",
        "date_text": "Março de 2019",
        "short_name": "Pedra Alta",
        "intro_heading": "INTRODUÇÃO",
        "paragraphs": 1,
        "by_domain": [(2, 1), (1, 1), (1, 2), (1, 1), (1, 1), (1, 1)],
    },
    # National Spanish profile: Spanish About block with Spanish domain names,
    # Title Case and keyword-fallback headings, "*" bullets, "Marzo de 2018".
    "valdoria-2018.txt": {
        "title": "Perfil de Gobernanza de la Migración: República de Valdoria",
        "title_language": "es",
        "level": Level.NATIONAL,
        "place_name": "Valdoria",
        "designation": "República de Valdoria",
        "findings_language": "es",
        "chrome_language": "es",
        "date": "2018-03",
        "date_text": "Marzo de 2018",
        "short_name": "Valdoria",
        "intro_heading": "Introducción",
        "paragraphs": 1,
        "by_domain": [(2, 1), (1, 1), (1, 1), (1, 1), (1, 1), (1, 1)],
    },
    # National English profile named by a bare country name, long official
    # domain wordings, "-" bullets, prefixed list headings, "October 2023".
    "ostravia-2023.txt": {
        "title": "Migration Governance Profile: Ostravia",
        "title_language": "en",
        "level": Level.NATIONAL,
        "place_name": "Ostravia",
        "designation": "Ostravia",
        "findings_language": "en",
        "chrome_language": "en",
        "date": "2023-10",
        "date_text": "October 2023",
        "short_name": "Ostravia",
        "intro_heading": "INTRODUCTION",
        "paragraphs": 1,
        "by_domain": [(2, 1), (1, 1), (1, 1), (1, 1), (1, 1), (1, 1)],
    },
}


@pytest.mark.parametrize("name", sorted(FIXTURE_CASES))
def test_fixture_profile(name: str) -> None:
    expected = FIXTURE_CASES[name]
    profile = read_profile(FIXTURES / name)
    for key in (
        "title",
        "title_language",
        "level",
        "place_name",
        "designation",
        "findings_language",
        "chrome_language",
        "date",
        "date_text",
        "short_name",
    ):
        assert getattr(profile, key) == expected[key], key
    assert profile.source == name
    assert profile.intro.heading == expected["intro_heading"]
    assert len(profile.intro.paragraphs) == expected["paragraphs"]
    counts = by_domain(profile)
    assert [
        (counts[d.notation][WD.value], counts[d.notation][POT.value]) for d in Domain
    ] == expected["by_domain"]
    assert [f.n for f in profile.findings] == list(range(1, len(profile.findings) + 1))
    assert slugify(profile.place_name) + f"-{profile.year}" == name.removesuffix(".txt")


def test_french_finding_text_keeps_no_break_spaces() -> None:
    profile = read_profile(FIXTURES / "saint-ombreval-2020.txt")
    first, second, third = profile.findings[:3]
    assert first.text == (
        "La commune inscrit tous les enfants à l'école, «\u00a0quel que soit leur "
        "statut\u00a0»\u202f; un guide d'accueil est publié chaque année."
    )
    # Trailing spaces after the narrow no-break space are trimmed, nothing else.
    assert second.text.endswith("services de santé\u202f?")
    assert (third.assessment, third.text[-2:]) == (POT, "\u202f!")
    # The intro line naming "développement plus poussé" without a colon is a paragraph.
    assert "développement plus poussé" in profile.intro.paragraphs[0]


def test_keyword_fallback_headings_in_fixture() -> None:
    profile = read_profile(FIXTURES / "valdoria-2018.txt")
    lines = (FIXTURES / "valdoria-2018.txt").read_text(encoding="utf-8").split("\n")
    firsts = {f.domain: lines[f.line - 1] for f in reversed(profile.findings)}
    assert firsts[Domain.MIGRANTS_RIGHTS].startswith("* La Constitución")
    assert firsts[Domain.PARTNERSHIPS].startswith("* Valdoria participa")
    assert firsts[Domain.MOBILITY_DIMENSIONS_OF_CRISES].startswith("* El plan nacional")


# --- encodings and line ends (§1) ----------------------------------------------------

ALL_TEXT_FILES = [BUCARAMANGA, *sorted(PROFILES.glob("*.txt")), *sorted(FIXTURES.glob("*.txt"))]
ALL_TEXT_FILES = sorted(set(ALL_TEXT_FILES))

ENCODINGS = {
    "crlf": lambda text: text.replace("\n", "\r\n").encode("utf-8"),
    "bom": lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
    "bom-crlf": lambda text: codecs.BOM_UTF8 + text.replace("\n", "\r\n").encode("utf-8"),
    "final-newline": lambda text: (text.rstrip("\n") + "\n").encode("utf-8"),
    "no-final-newline": lambda text: text.rstrip("\n").encode("utf-8"),
    "trailing-blank-lines": lambda text: (text + "\n \n\t\n\n").encode("utf-8"),
}


@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
@pytest.mark.parametrize("path", ALL_TEXT_FILES, ids=[p.stem for p in ALL_TEXT_FILES])
def test_line_ends_and_bom_do_not_change_the_profile(
    path: Path, encoding: str, tmp_path: Path
) -> None:
    original = read_profile(path)
    variant = tmp_path / path.name
    variant.write_bytes(ENCODINGS[encoding](path.read_text(encoding="utf-8")))
    assert read_profile(variant) == original


def test_parse_profile_accepts_crlf_and_bom_text_directly() -> None:
    text = BUCARAMANGA.read_text(encoding="utf-8")
    original = parse_profile(text, source="b.txt")
    assert parse_profile("\ufeff" + text.replace("\n", "\r\n"), source="b.txt") == original


def test_decode_profile() -> None:
    assert decode_profile(b"a\r\nb\r\n", source="x") == "a\nb\n"
    assert decode_profile(codecs.BOM_UTF8 + "é".encode(), source="x") == "é"
    assert decode_profile(b"", source="x") == ""


# --- variants assembled in code --------------------------------------------------------

ABOUT_EN = """About the Migration Governance Indicators
About the Migration Governance Indicators
Migrants' rights
Migrants' rights

Indicators in this domain look at access to services.

Whole of government approach
Whole of government approach

Partnerships
Partnerships

Well-being of migrants
Well-being of migrants

Mobility dimensions of crises
Mobility dimensions of crises

Safe, orderly and regular migration
Safe, orderly and regular migration
"""

EN_HEADINGS = {
    1: "MIGRANTS' RIGHTS",
    2: "WHOLE OF GOVERNMENT APPROACH",
    3: "PARTNERSHIPS",
    4: "WELL-BEING OF MIGRANTS",
    5: "MOBILITY DIMENSIONS OF CRISES",
    6: "SAFE, ORDERLY AND REGULAR MIGRATION",
}

INTRO_EN = (
    "This profile presents well-developed areas of the City of Testville "
    "(hereinafter, Testville), as well as areas with potential for further development."
)


def bullet_text(domain: int, assessment: Assessment, position: int) -> str:
    return f"Finding {position} of the {assessment.value} list of domain {domain}."


def assemble(
    *,
    about: str | None = ABOUT_EN,
    marker: str = "Key findings",
    digit_lines: bool = False,
    intro_heading: str = "INTRODUCTION",
    intro: tuple[str, ...] = (INTRO_EN,),
    headings: dict[int, str] | None = None,
    order: tuple[int, ...] = (1, 2, 3, 4, 5, 6),
    wd_heading: str = "Examples of well-developed areas:",
    pot_heading: str = "Areas with potential for further development:",
    bullet: str = "•",
    indent: str = "  ",
    sizes: tuple[int, int] = (2, 1),
    blank: str = "\n",
    date: str = "2021 November",
    title: str = "Migration Governance Profile: City of Testville",
) -> str:
    """A small well-formed profile; every argument is one FORMAT.md variant."""
    headings = EN_HEADINGS if headings is None else headings
    gap = blank.split("\n")[:-1]  # "" -> no line, "\n" -> one empty line, …
    lines: list[str] = []
    if about is not None:
        lines.append(about.rstrip("\n"))

    def open_block(heading: str) -> None:
        if digit_lines:
            lines.append("1")
        lines.extend([marker, heading, *gap])

    open_block(intro_heading)
    for paragraph in intro:
        lines.extend([paragraph, *gap])
    for domain in order:
        open_block(headings[domain])
        for assessment, heading, size in ((WD, wd_heading, sizes[0]), (POT, pot_heading, sizes[1])):
            lines.extend([heading, *gap])
            for position in range(1, size + 1):
                lines.append(f"{indent}{bullet} {bullet_text(domain, assessment, position)}")
            lines.extend(gap)
    lines.extend([date, *gap, title])
    return "\n".join(lines)


def test_assembled_default_profile() -> None:
    profile = parse_profile(assemble(), source="t.txt")
    assert (profile.place_name, profile.level, profile.short_name) == (
        "Testville",
        Level.LOCAL,
        "Testville",
    )
    assert (profile.date, profile.findings_language, profile.chrome_language) == (
        "2021-11",
        "en",
        "en",
    )
    assert [(f.domain.value, f.assessment, f.position) for f in profile.findings[:3]] == [
        (1, WD, 1),
        (1, WD, 2),
        (1, POT, 1),
    ]
    assert all(
        f.text == bullet_text(f.domain.value, f.assessment, f.position) for f in profile.findings
    )


@pytest.mark.parametrize("bullet", ["•", "-", "*", "–", "◦", "▪", "·"])
@pytest.mark.parametrize("indent", ["", "  ", "\t", "\t\t", " \t ", "    "])
def test_bullet_markers_and_indentation(bullet: str, indent: str) -> None:
    profile = parse_profile(assemble(bullet=bullet, indent=indent))
    assert len(profile.findings) == 18
    assert profile.findings[0].text == bullet_text(1, WD, 1)


@pytest.mark.parametrize("spacing", [" ", "   ", "\t", "\u00a0"])
def test_any_whitespace_after_the_marker(spacing: str) -> None:
    text = assemble().replace("• ", "•" + spacing)
    assert parse_profile(text).findings[0].text == bullet_text(1, WD, 1)


def test_marker_without_whitespace_is_not_a_bullet() -> None:
    text = assemble(bullet="-").replace("- " + bullet_text(2, WD, 1), "-" + bullet_text(2, WD, 1))
    error = parse_error(text)
    assert error.line == line_of(text, "-" + bullet_text(2, WD, 1))
    assert "unexpected line" in error.message


@pytest.mark.parametrize(
    ("marker", "language"),
    [
        ("Key findings", "en"),
        ("KEY FINDINGS", "en"),
        ("Principales hallazgos", "es"),
        ("Principais conclusões", "pt"),
        ("Principais resultados", "pt"),
        ("Principaux résultats", "fr"),
        ("Principaux\u00a0résultats", "fr"),
        ("  principales   HALLAZGOS  ", "es"),
    ],
)
def test_key_findings_marker_gives_chrome_language(marker: str, language: str) -> None:
    profile = parse_profile(assemble(marker=marker))
    assert profile.chrome_language == language
    assert profile.findings_language == "en"


@pytest.mark.parametrize("digit_lines", [True, False])
@pytest.mark.parametrize("blank", ["\n", "", "\n\n\n", " \t\n", "\u00a0\n"])
def test_stray_and_blank_lines_are_optional(digit_lines: bool, blank: str) -> None:
    text = assemble(digit_lines=digit_lines, blank=blank)
    profile = parse_profile(text)
    assert len(profile.findings) == 18
    assert profile.intro.paragraphs == (INTRO_EN,)


def test_last_bullet_followed_straight_by_the_digit_line() -> None:
    text = assemble(digit_lines=True, blank="")
    assert "Finding 1 of the potential list of domain 1.\n1\nKey findings" in text
    assert len(parse_profile(text).findings) == 18


@pytest.mark.parametrize(
    "click",
    [
        "Click on the icons in the wheel to explore the key findings.",
        "Haga clic en los íconos de la rueda para explorar los principales hallazgos.",
        "Haz clic en los íconos de la rueda para explorar los principales hallazgos.",
        "Clique nos ícones da roda para explorar as principais conclusões.",
        "Cliquez sur les icônes de la roue pour explorer les principaux résultats.",
        "  HAGA CLIC aquí",
    ],
)
def test_click_lines_are_ignored_anywhere(click: str) -> None:
    text = assemble(intro=(INTRO_EN, click, "Second paragraph."))
    text = text.replace(
        "Areas with potential for further development:",
        f"{click}\nAreas with potential for further development:\n{click}",
    )
    profile = parse_profile(text)
    assert profile.intro.paragraphs == (INTRO_EN, "Second paragraph.")
    assert len(profile.findings) == 18


def test_missing_about_block() -> None:
    text = assemble(about=None)
    assert text.startswith("Key findings\nINTRODUCTION")
    assert len(parse_profile(text).findings) == 18


def test_about_block_with_domain_names_in_the_findings_language() -> None:
    about = "\n".join(
        f"{name}\n{name}\n\nUna descripción.\n"
        for name in (
            "Derechos de los migrantes",
            "Enfoque de gobierno integral",
            "Alianzas",
            "Bienestar de los migrantes",
            "Dimensión de movilidad de las crisis",
            "Migración segura, ordenada y regular",
        )
    )
    text = assemble(
        about="Acerca de los Indicadores de Gobernanza de la Migración (IGM)\n" + about,
        marker="Principales hallazgos",
        headings={
            1: "DERECHOS DE LOS MIGRANTES",
            2: "ENFOQUE DE GOBIERNO INTEGRAL",
            3: "ALIANZAS",
            4: "BIENESTAR DE LOS MIGRANTES",
            5: "DIMENSIÓN DE MOVILIDAD DE LAS CRISIS",
            6: "MIGRACIÓN SEGURA, ORDENADA Y REGULAR",
        },
        wd_heading="Ejemplos de áreas bien desarrolladas:",
        pot_heading="Áreas con potencial de desarrollo adicional:",
    )
    profile = parse_profile(text)
    assert (profile.chrome_language, profile.findings_language) == ("es", "es")
    assert by_domain(profile)["1"] == {"well-developed": 2, "potential": 1}
    assert profile.findings[0].line == line_of(text, bullet_text(1, WD, 1))


def test_blocks_are_mapped_by_heading_not_position() -> None:
    order = (3, 1, 6, 2, 5, 4)
    profile = parse_profile(assemble(order=order, sizes=(1, 2)))
    assert [f.domain.value for f in profile.findings[::3]] == list(order)
    assert [f.n for f in profile.findings] == list(range(1, 19))
    assert [(f.assessment, f.position) for f in profile.findings[:3]] == [
        (WD, 1),
        (POT, 1),
        (POT, 2),
    ]


DOMAIN_HEADINGS = [
    # exact wordings in four languages and three cases, odd apostrophes and hyphens
    ("DERECHOS DE LAS PERSONAS MIGRANTES", Domain.MIGRANTS_RIGHTS),
    ("Migrants’ Rights", Domain.MIGRANTS_RIGHTS),
    ("Rights of migrants", Domain.MIGRANTS_RIGHTS),
    ("Direitos das pessoas migrantes", Domain.MIGRANTS_RIGHTS),
    ("DROITS DES PERSONNES MIGRANTES", Domain.MIGRANTS_RIGHTS),
    ("WHOLE-OF-GOVERNMENT APPROACH", Domain.WHOLE_OF_GOVERNMENT),
    ("Whole Of Government Approach", Domain.WHOLE_OF_GOVERNMENT),
    ("Enfoque pangubernamental", Domain.WHOLE_OF_GOVERNMENT),
    ("Abordagem de governo como um todo", Domain.WHOLE_OF_GOVERNMENT),
    ("Approche mobilisant l’ensemble du gouvernement", Domain.WHOLE_OF_GOVERNMENT),
    ("APPROCHE À L'ÉCHELLE DE L'ADMINISTRATION", Domain.WHOLE_OF_GOVERNMENT),
    ("Partnerships", Domain.PARTNERSHIPS),
    ("ASOCIACIONES", Domain.PARTNERSHIPS),
    ("Colaboraciones", Domain.PARTNERSHIPS),
    ("Parcerias", Domain.PARTNERSHIPS),
    ("PARTENARIATS", Domain.PARTNERSHIPS),
    ("Migrants' socioeconomic well-being", Domain.MIGRANT_WELLBEING),
    ("BIENESTAR SOCIOECONÓMICO DE LAS PERSONAS MIGRANTES", Domain.MIGRANT_WELLBEING),
    ("Bem-Estar Socioeconômico Dos Migrantes", Domain.MIGRANT_WELLBEING),
    ("Bem-estar socioeconómico dos migrantes", Domain.MIGRANT_WELLBEING),
    ("BIEN-ÊTRE SOCIO-ÉCONOMIQUE DES MIGRANTS", Domain.MIGRANT_WELLBEING),
    ("Mobility dimension of crises", Domain.MOBILITY_DIMENSIONS_OF_CRISES),
    ("DIMENSIONES DE MOVILIDAD DE LAS CRISIS", Domain.MOBILITY_DIMENSIONS_OF_CRISES),
    ("Mobilidade em situações de crise", Domain.MOBILITY_DIMENSIONS_OF_CRISES),
    ("Mobilité dans les situations de crise", Domain.MOBILITY_DIMENSIONS_OF_CRISES),
    ("Safe, Orderly And Regular Migration", Domain.SAFE_ORDERLY_REGULAR_MIGRATION),
    ("MIGRAÇÃO SEGURA, ORDENADA E REGULAR", Domain.SAFE_ORDERLY_REGULAR_MIGRATION),
    ("Migration sûre, ordonnée et régulière", Domain.SAFE_ORDERLY_REGULAR_MIGRATION),
    # keyword fallback (§3), in its order: 6 needs both keywords
    ("Migración ordenada y segura en las fronteras", Domain.SAFE_ORDERLY_REGULAR_MIGRATION),
    ("Safe and orderly migration and rights", Domain.SAFE_ORDERLY_REGULAR_MIGRATION),
    ("Respuesta a las crisis y derechos", Domain.MOBILITY_DIMENSIONS_OF_CRISES),
    ("Well being and rights of migrant workers", Domain.MIGRANT_WELLBEING),
    ("Bien-être et droits", Domain.MIGRANT_WELLBEING),
    ("Alianza regional por los derechos", Domain.PARTNERSHIPS),
    ("International partners", Domain.PARTNERSHIPS),
    ("Coordinación del gobierno local", Domain.WHOLE_OF_GOVERNMENT),
    ("Gouvernement et administration", Domain.WHOLE_OF_GOVERNMENT),
    ("Human rights", Domain.MIGRANTS_RIGHTS),
    ("Safe migration and human rights", Domain.MIGRANTS_RIGHTS),  # no "orderly": not 6
]


@pytest.mark.parametrize(("heading", "domain"), DOMAIN_HEADINGS)
def test_domain_heading_vocabulary(heading: str, domain: Domain) -> None:
    headings = dict(EN_HEADINGS)
    # Swap the heading into the domain's own block; the other five stay as they are.
    headings[domain.value] = heading
    profile = parse_profile(assemble(headings=headings))
    assert {f.domain for f in profile.findings} == set(Domain)
    block_lines = [f for f in profile.findings if f.domain is domain]
    assert [f.text for f in block_lines] == [
        bullet_text(domain.value, WD, 1),
        bullet_text(domain.value, WD, 2),
        bullet_text(domain.value, POT, 1),
    ]


LIST_HEADINGS = [
    # (well-developed heading, potential heading, findings language)
    (
        "Gobernanza de la migración: Ejemplos de áreas bien desarrolladas:",
        "Áreas con potencial para un desarrollo adicional:",
        "es",
    ),
    ("Ejemplos de áreas bien desarrolladas:", "Áreas con potencial de desarrollo adicional:", "es"),
    (
        "Ejemplos de áreas bien desarrolladas:",
        "Áreas con potencial para un mayor desarrollo:",
        "es",
    ),
    (
        "Migration governance: Examples of well-developed areas:",
        "Areas with potential for further development:",
        "en",
    ),
    ("EXAMPLES OF WELL-DEVELOPED AREAS:", "AREAS WITH POTENTIAL FOR FURTHER DEVELOPMENT:", "en"),
    (
        "Governança migratória: Exemplos de áreas bem desenvolvidas:",
        "Áreas com potencial de desenvolvimento adicional:",
        "pt",
    ),
    (
        "Exemplos de áreas bem desenvolvidas:",
        "Áreas com potencial para desenvolvimento adicional:",
        "pt",
    ),
    (
        "Gouvernance des migrations : Exemples de domaines bien développés :",
        "Domaines pouvant faire l'objet d'un développement plus poussé :",
        "fr",
    ),
    (
        "Exemples de domaines bien développés\u00a0:",
        "Domaines présentant un potentiel de développement\u202f:",
        "fr",
    ),
    (
        "Exemples de domaines bien développés:",
        "Domaines pouvant faire l’objet d’un développement plus poussé :",
        "fr",
    ),
]


@pytest.mark.parametrize(("wd_heading", "pot_heading", "language"), LIST_HEADINGS)
def test_list_headings_and_findings_language(
    wd_heading: str, pot_heading: str, language: str
) -> None:
    profile = parse_profile(assemble(wd_heading=wd_heading, pot_heading=pot_heading))
    assert profile.findings_language == language
    assert by_domain(profile)["6"] == {"well-developed": 2, "potential": 1}


def test_intro_line_with_list_words_but_no_colon_is_a_paragraph() -> None:
    intro = (
        "Este perfil presenta ámbitos bien desarrollados y ámbitos con potencial para "
        "desarrollo adicional",
        "Domaines pouvant faire l'objet d'un développement plus poussé",
    )
    profile = parse_profile(assemble(intro=intro))
    assert profile.intro.paragraphs == intro


DATES = [
    ("2022 March", "2022-03"),
    ("2021 Marzo", "2021-03"),
    ("Marzo 2021", "2021-03"),
    ("Juillet 2020", "2020-07"),
    ("Março de 2019", "2019-03"),
    ("Marzo de 2021", "2021-03"),
    ("MARCO DE 2019", "2019-03"),
    ("2020 août", "2020-08"),
    ("Aout 2020", "2020-08"),
    ("Février 2018", "2018-02"),
    ("FEVEREIRO DE 2018", "2018-02"),
    ("2019 Setiembre", "2019-09"),
    ("Septiembre de 2019", "2019-09"),
    ("Setembro 2019", "2019-09"),
    ("Décembre 2017", "2017-12"),
    ("2016 mai", "2016-05"),
    ("Maio de 2016", "2016-05"),
    ("May 2016", "2016-05"),
    ("Enero 2023", "2023-01"),
    ("January 2023", "2023-01"),
    ("  2024   Junho  ", "2024-06"),
    ("Octobre 2015", "2015-10"),
    ("Novembro de 2014", "2014-11"),
    ("Avril 2013", "2013-04"),
    ("Julho de 2012", "2012-07"),
]


@pytest.mark.parametrize(("date_text", "date"), DATES)
def test_date_line_forms(date_text: str, date: str) -> None:
    profile = parse_profile(assemble(date=date_text))
    assert profile.date == date
    assert profile.date_text == date_text.strip()


TITLES = [
    # (title line, title language, level, place name, designation)
    (
        "Perfil de Gobernanza Migratoria: Municipio de Bucaramanga",
        "es",
        Level.LOCAL,
        "Bucaramanga",
        "Municipio de Bucaramanga",
    ),
    (
        "Perfil de Gobernanza de la Migración: Distrito de Barranquilla",
        "es",
        Level.LOCAL,
        "Barranquilla",
        "Distrito de Barranquilla",
    ),
    (
        "Perfil de Gobernanza Migratoria: Municipalidad de La Molina",
        "es",
        Level.LOCAL,
        "La Molina",
        "Municipalidad de La Molina",
    ),
    (
        "Perfil de Gobernanza Migratoria: Alcaldía de la Ciudad de Quito",
        "es",
        Level.LOCAL,
        "Ciudad de Quito",
        "Alcaldía de la Ciudad de Quito",
    ),
    (
        "Perfil de Gobernanza Migratoria: Ciudad Autónoma de Buenos Aires",
        "es",
        Level.LOCAL,
        "Buenos Aires",
        "Ciudad Autónoma de Buenos Aires",
    ),
    (
        "Migration Governance Profile: City of Kestrelmouth",
        "en",
        Level.LOCAL,
        "Kestrelmouth",
        "City of Kestrelmouth",
    ),
    ("Migration Governance Profile: Town of Elmsby", "en", Level.LOCAL, "Elmsby", "Town of Elmsby"),
    (
        "Migration Governance Profile: Municipality of Port Alder",
        "en",
        Level.LOCAL,
        "Port Alder",
        "Municipality of Port Alder",
    ),
    (
        "Perfil de Governança Migratória: Município de São Paulo",
        "pt",
        Level.LOCAL,
        "São Paulo",
        "Município de São Paulo",
    ),
    (
        "Perfil de Governança da Migração: Prefeitura do Recife",
        "pt",
        Level.LOCAL,
        "Recife",
        "Prefeitura do Recife",
    ),
    (
        "Perfil de Governança Migratória: Cidade da Praia",
        "pt",
        Level.LOCAL,
        "Praia",
        "Cidade da Praia",
    ),
    (
        "Profil de gouvernance des migrations : Commune de Saint-Ombreval",
        "fr",
        Level.LOCAL,
        "Saint-Ombreval",
        "Commune de Saint-Ombreval",
    ),
    (
        "Profil de gouvernance migratoire\u00a0: Ville d’Arvenne",
        "fr",
        Level.LOCAL,
        "Arvenne",
        "Ville d’Arvenne",
    ),
    (
        "Profil de gouvernance des migrations : Municipalité d'Ys-les-Bains",
        "fr",
        Level.LOCAL,
        "Ys-les-Bains",
        "Municipalité d'Ys-les-Bains",
    ),
    (
        "Perfil de Gobernanza Migratoria: República de Valdoria",
        "es",
        Level.NATIONAL,
        "Valdoria",
        "República de Valdoria",
    ),
    (
        "Perfil de Gobernanza Migratoria: Estado Plurinacional de Bolivia",
        "es",
        Level.NATIONAL,
        "Bolivia",
        "Estado Plurinacional de Bolivia",
    ),
    (
        "Perfil de Gobernanza Migratoria: Reino de España",
        "es",
        Level.NATIONAL,
        "España",
        "Reino de España",
    ),
    (
        "Perfil de Governança Migratória: República Federativa do Brasil",
        "pt",
        Level.NATIONAL,
        "Brasil",
        "República Federativa do Brasil",
    ),
    (
        "Migration Governance Profile: Republic of Moldova",
        "en",
        Level.NATIONAL,
        "Moldova",
        "Republic of Moldova",
    ),
    (
        "Migration Governance Profile: Kingdom of Ostravia",
        "en",
        Level.NATIONAL,
        "Ostravia",
        "Kingdom of Ostravia",
    ),
    (
        "Profil de gouvernance des migrations : Royaume du Maroc",
        "fr",
        Level.NATIONAL,
        "Maroc",
        "Royaume du Maroc",
    ),
    (
        "Profil de gouvernance des migrations : République de Côte d’Ivoire",
        "fr",
        Level.NATIONAL,
        "Côte d’Ivoire",
        "République de Côte d’Ivoire",
    ),
    ("Migration Governance Profile: Ostravia", "en", Level.NATIONAL, "Ostravia", "Ostravia"),
    # No preposition after the place-type word: the word belongs to the name.
    (
        "Perfil de Gobernanza Migratoria: República Dominicana",
        "es",
        Level.NATIONAL,
        "República Dominicana",
        "República Dominicana",
    ),
    (
        "Perfil de Gobernanza Migratoria: República Oriental del Uruguay",
        "es",
        Level.NATIONAL,
        "Uruguay",
        "República Oriental del Uruguay",
    ),
    (
        "Perfil de Governança Migratória: Município do Rio de Janeiro",
        "pt",
        Level.LOCAL,
        "Rio de Janeiro",
        "Município do Rio de Janeiro",
    ),
    (
        "Perfil de Gobernanza Migratoria: Costa Rica",
        "es",
        Level.NATIONAL,
        "Costa Rica",
        "Costa Rica",
    ),
    (
        "MIGRATION GOVERNANCE PROFILE: CITY OF ELMSBY",
        "en",
        Level.LOCAL,
        "ELMSBY",
        "CITY OF ELMSBY",
    ),
]


@pytest.mark.parametrize(("title", "language", "level", "name", "designation"), TITLES)
def test_title_line(title: str, language: str, level: Level, name: str, designation: str) -> None:
    profile = parse_profile(assemble(title=title))
    assert profile.title == title
    assert profile.title_language == language
    assert profile.level is level
    assert profile.place_name == name
    assert profile.designation == designation


SHORT_NAMES = [
    ("the City of Testville (hereinafter, Testville), as", "Testville"),
    ("del Municipio de Santa Inés de Guaracá (en adelante, Santa Inés), junto", "Santa Inés"),
    ("do Município de Pedra Alta do Sul (doravante, Pedra Alta).", "Pedra Alta"),
    ("de la Commune de Saint-Ombreval (ci-après, Saint-Ombreval), ainsi", "Saint-Ombreval"),
    ("de la commune (ci-après\u00a0: «\u00a0Ombreval\u00a0»)", "Ombreval"),
    ("the City (IOM) of Testville (hereinafter “Testville”)", "Testville"),
    ("(HEREINAFTER, TV) and later (hereinafter, Other)", "TV"),
    ("no short name (see annex), here", None),
]


@pytest.mark.parametrize(("paragraph", "short_name"), SHORT_NAMES)
def test_short_name(paragraph: str, short_name: str | None) -> None:
    assert parse_profile(assemble(intro=(paragraph,))).short_name == short_name


def test_parse_doctests() -> None:
    results = doctest.testmod(kb.parse.profile)
    assert results.attempted > 0
    assert results.failed == 0


# --- errors ------------------------------------------------------------------------------

BUCARAMANGA_TEXT = BUCARAMANGA.read_text(encoding="utf-8")
BUCARAMANGA_LINES = BUCARAMANGA_TEXT.split("\n")


def first_lines(count: int) -> str:
    return "\n".join(BUCARAMANGA_LINES[:count])


def without_lines(first: int, last: int) -> str:
    """Bucaramanga with lines first..last (1-based, inclusive) removed."""
    return "\n".join(BUCARAMANGA_LINES[: first - 1] + BUCARAMANGA_LINES[last:])


def swap(old: str, new: str, text: str = BUCARAMANGA_TEXT) -> str:
    assert old in text
    return text.replace(old, new, 1)


# Line numbers in the real file: domain headings at 57, 72, 86, 100, 115, 129;
# list headings of domain 4 at 102 and 108; date at 143; title at 145.
ERROR_CASES = [
    # (id, text, line, section, words the message must contain)
    ("empty", "", 0, "2", ["empty"]),
    ("whitespace-only", " \n\t\n\u00a0\n\n", 0, "2", ["empty"]),
    ("stray-lines-only", "1\n\nClick on the wheel.\n", 0, "2", ["empty"]),
    (
        "list-heading-right-after-first-marker",
        swap("INTRODUCCIÓN", "Ejemplos de áreas bien desarrolladas:"),
        47,
        "2.4",
        ["list heading", "before any domain"],
    ),
    ("no-marker", first_lines(45), 0, "2.2", ["no key-findings marker", "Key findings"]),
    ("truncated-in-domain-1", first_lines(60), 59, "2", ["inside domain 1", "2 (", "truncated"]),
    (
        "truncated-after-domain-4-potential-heading",
        first_lines(108),
        108,
        "2",
        ["inside domain 4", "empty potential list", "5 (", "6 (", "trailer"],
    ),
    (
        "truncated-in-domain-4-well-developed",
        first_lines(104),
        104,
        "2",
        ["inside domain 4", "before its potential list", "missing domain blocks: 5"],
    ),
    ("truncated-after-domain-5", first_lines(127), 127, "2", ["after domain 5", "6 ("]),
    ("truncated-after-marker", first_lines(128), 128, "2.2", ["block heading expected"]),
    ("truncated-before-date", first_lines(142), 141, "2.5", ["without the trailer"]),
    ("truncated-after-date", first_lines(144), 143, "2.5", ["title line expected"]),
    (
        "truncated-mid-heading",
        BUCARAMANGA_TEXT[: BUCARAMANGA_TEXT.index("ENFOQUE DE GOB") + len("ENFOQUE DE GOB")],
        72,
        "3",
        ["unknown block heading", "ENFOQUE DE GOB"],
    ),
    (
        "truncated-mid-bullet",
        BUCARAMANGA_TEXT[: BUCARAMANGA_TEXT.index("ayudar a los empleadores")],
        111,
        "2",
        ["after domain 4", "5 (", "truncated"],
    ),
    (
        "bullet-in-intro",
        swap("La iniciativa de los IGM", "• La iniciativa de los IGM"),
        53,
        "2.4",
        ["finding outside any domain", "intro"],
    ),
    (
        "list-heading-in-intro",
        swap("Haga clic", "Ejemplos de áreas bien desarrolladas:\nHaga clic"),
        51,
        "2.4",
        ["list heading", "before any domain"],
    ),
    (
        "bullet-before-list-heading",
        without_lines(59, 59),
        60,
        "2.4",
        ["finding outside any list", "domain 1"],
    ),
    (
        "bullet-right-after-marker",
        without_lines(86, 88),
        87,
        "2.4",
        ["finding outside any domain", "line 85"],
    ),
    ("unknown-heading", swap("ALIANZAS", "COOPERACIÓN REGIONAL"), 86, "3", ["unknown block"]),
    (
        "duplicate-domain",
        swap("ALIANZAS", "Enfoque integral de gobierno"),
        86,
        "2.4",
        ["domain 2", "line 72", "exactly one"],
    ),
    ("second-intro", swap("ALIANZAS", "Introducción"), 86, "2.3", ["second intro"]),
    (
        "missing-potential-list",
        without_lines(94, 94),
        86,
        "2.4",
        ["domain 3", "no potential list"],
    ),
    (
        "missing-well-developed-list",
        without_lines(102, 107),
        100,
        "2.4",
        ["domain 4", "no well-developed list", "line 102"],
    ),
    ("empty-potential-list", without_lines(81, 83), 80, "2.4", ["potential list", "no bullets"]),
    (
        "empty-well-developed-list",
        without_lines(75, 79),
        74,
        "2.4",
        ["well-developed", "no bullets"],
    ),
    (
        "unexpected-line-in-domain",
        swap("\n\nÁreas con potencial", "\nUna línea suelta.\n\nÁreas con potencial"),
        65,
        "2.4",
        ["unexpected line", "Una línea suelta", "potential list heading"],
    ),
    (
        "colon-line-that-is-no-list-heading",
        swap("Áreas con potencial para un desarrollo adicional:", "Otras observaciones:"),
        66,
        "2.4",
        ["unexpected line", "well-developed' or 'potential"],
    ),
    (
        "list-heading-without-colon",
        swap(
            "Áreas con potencial para un desarrollo adicional:",
            "Áreas con potencial para un desarrollo adicional",
        ),
        66,
        "2.4",
        ["end with ':'"],
    ),
    (
        "marker-missing-before-domain",
        without_lines(84, 85),
        84,
        "2.4",
        ["ALIANZAS", "marker before it missing"],
    ),
    (
        "marker-missing-before-last-domain",
        without_lines(127, 128),
        127,
        "2.5",
        ["date line expected", "marker before it missing"],
    ),
    (
        "missing-domain",
        without_lines(84, 97),
        129,
        "2.4",
        ["found 5", "3 (Partnerships)"],
    ),
    ("unreadable-date", swap("2022 March", "Spring 2022"), 143, "2.5", ["date line expected"]),
    ("date-without-year", swap("2022 March", "March"), 143, "2.5", ["date line expected"]),
    (
        "no-date-line",
        swap("2022 March\n", ""),
        144,
        "2.5",
        ["date line expected", "Perfil de Gobernanza"],
    ),
    (
        "title-without-profile-phrase",
        swap("Perfil de Gobernanza Migratoria:", "Perfil migratorio:"),
        145,
        "2.5",
        ["known profile phrase"],
    ),
    (
        "title-without-colon",
        swap("Perfil de Gobernanza Migratoria:", "Perfil de Gobernanza Migratoria"),
        145,
        "2.5",
        ["known profile phrase"],
    ),
    (
        "title-without-place",
        swap("Migratoria: Municipio de Bucaramanga", "Migratoria: Municipio de"),
        145,
        "2.5",
        ["names no place"],
    ),
    (
        "line-between-date-and-title",
        swap("2022 March\n", "2022 March\nColombia\n"),
        144,
        "2.5",
        ["after the date line"],
    ),
    (
        "bullet-without-text",
        swap("  • Bucaramanga no participa", "  •\n  • Bucaramanga no participa"),
        96,
        "2.4",
        ["without finding text"],
    ),
    (
        "no-intro",
        without_lines(46, 55),
        47,
        "2.3",
        ["intro heading", "domain heading"],
    ),
    (
        "marker-followed-by-marker",
        swap("1\nKey findings\nALIANZAS", "Key findings\n1\nKey findings\nALIANZAS"),
        84,
        "2.2",
        ["block heading expected", "next marker"],
    ),
]


@pytest.mark.parametrize(
    ("text", "line", "section", "words"),
    [case[1:] for case in ERROR_CASES],
    ids=[case[0] for case in ERROR_CASES],
)
def test_parse_errors(text: str, line: int, section: str, words: list[str]) -> None:
    error = parse_error(text, source="bucaramanga-2022.txt")
    assert error.path == "bucaramanga-2022.txt"
    assert (error.line, error.section) == (line, section), error.message
    for word in words:
        assert word in error.message
    where = f"bucaramanga-2022.txt:{line}: " if line else "bucaramanga-2022.txt: "
    assert str(error) == f"{where}{error.message} (see FORMAT.md §{section})"


def test_error_cases_only_break_what_they_say() -> None:
    # The unmodified file parses, so each case above fails for its own change.
    assert len(parse_profile(BUCARAMANGA_TEXT).findings) == 33


BAD_BYTES = [
    # (id, bytes, line, words)
    ("png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", 1, ["not UTF-8", "0x89"]),
    ("nul-bytes", b"Key findings\nINTRODUCTION\nabc\x00\x00def\n", 3, ["NUL", "binary"]),
    (
        "latin-1-line",
        "\n".join(BUCARAMANGA_LINES[:46]).encode()
        + b"\nINTRODUCCI\xd3N\n"
        + "\n".join(BUCARAMANGA_LINES[47:]).encode(),
        47,
        ["not UTF-8", "line 47", "0xd3"],
    ),
    ("truncated-sequence", "Key findings\nMigração".encode()[:-2], 2, ["not UTF-8"]),
    ("bom-then-nul", codecs.BOM_UTF8 + b"a\nb\nc\x00", 3, ["NUL"]),
]


@pytest.mark.parametrize(
    ("data", "line", "words"),
    [case[1:] for case in BAD_BYTES],
    ids=[case[0] for case in BAD_BYTES],
)
def test_binary_and_invalid_utf8(data: bytes, line: int, words: list[str], tmp_path: Path) -> None:
    with pytest.raises(ProfileParseError) as caught:
        decode_profile(data, source="x.txt")
    assert (caught.value.line, caught.value.section, caught.value.path) == (line, "1", "x.txt")
    for word in words:
        assert word in caught.value.message
    path = tmp_path / "x.txt"
    path.write_bytes(data)
    with pytest.raises(ProfileParseError) as caught:
        read_profile(path)
    assert caught.value.line == line
    assert caught.value.path == str(path)


def test_read_profile_names_the_path_in_errors(tmp_path: Path) -> None:
    path = tmp_path / "cut.txt"
    path.write_text(first_lines(108), encoding="utf-8")
    with pytest.raises(ProfileParseError) as caught:
        read_profile(path)
    assert str(caught.value).startswith(f"{path}:108: ")


def test_read_profile_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ProfileParseError) as caught:
        read_profile(tmp_path / "absent.txt")
    assert caught.value.line == 0
    assert "cannot read" in caught.value.message


def test_assembled_errors_point_at_the_right_line() -> None:
    text = assemble(intro_heading="PRÓLOGO")
    error = parse_error(text)
    assert (error.line, error.section) == (line_of(text, "PRÓLOGO"), "2.3")

    text = assemble().replace("Examples of well-developed areas:", "Examples:", 1)
    error = parse_error(text)
    assert error.line == line_of(text, "Examples:")
    assert "well-developed list heading" in error.message


def test_profile_is_whole_or_absent() -> None:
    # A defect in the last domain still raises: no profile with five domains.
    text = swap(
        "  • A nivel local, no se recopila",
        "Nota final sin viñeta\n  • A nivel local, no se recopila",
    )
    with pytest.raises(ProfileParseError) as caught:
        parse_profile(text)
    assert caught.value.line == line_of(text, "Nota final sin viñeta")


def test_vocabulary_tables_are_unambiguous() -> None:
    months = {
        (normalise(name), month)
        for month, by_language in vocab.MONTH_NAMES.items()
        for names in by_language.values()
        for name in names
    }
    assert len({name for name, _ in months}) == len(months)
    wordings = {
        (normalise(w), domain)
        for domain, by_language in vocab.DOMAIN_WORDINGS.items()
        for ws in by_language.values()
        for w in ws
    }
    assert len({w for w, _ in wordings}) == len(wordings)
    markers = [normalise(m) for ms in vocab.KEY_FINDINGS_MARKERS.values() for m in ms]
    assert len(set(markers)) == len(markers)
    city, region, country = (
        {normalise(w) for ws in vocab.PLACE_TYPES[kind].values() for w in ws}
        for kind in (PlaceKind.CITY, PlaceKind.REGION, PlaceKind.COUNTRY)
    )
    assert not city & region and not city & country and not region & country


def keyword_domain(heading: str) -> Domain | None:
    """The §3 keyword fallback alone, written out independently of kb.parse.profile."""
    matching = normalise(heading)
    for domain, groups in vocab.DOMAIN_KEYWORDS:
        if all(any(k in matching for k in group) for group in groups):
            return domain
    return None


@pytest.mark.parametrize(
    ("wording", "domain"),
    [
        (w, domain)
        for domain, by_language in vocab.DOMAIN_WORDINGS.items()
        for ws in by_language.values()
        for w in ws
    ],
)
def test_keyword_fallback_covers_every_known_wording(wording: str, domain: Domain) -> None:
    # FORMAT.md §3: "a keyword fallback works for every wording above".
    assert keyword_domain(wording) is domain
