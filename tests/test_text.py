"""Matching normalisation and slugs (FORMAT.md §7), as case tables."""

from __future__ import annotations

import doctest

import pytest

import kb.text
from kb.text import normalise, slugify

NORMALISE_CASES = [
    # FORMAT.md §7 examples
    ("BIEN-ÊTRE SOCIOÉCONOMIQUE DES MIGRANTS", "bien etre socioeconomique des migrants"),
    ("Exemples de domaines bien développés\u00a0:", "exemples de domaines bien developpes"),
    # apostrophes: typographic, modifier letter and acute accent all become '
    ("MIGRANTS’ RIGHTS", "migrants' rights"),
    ("Migrants‘ rights", "migrants' rights"),
    ("Migrantsʼ rights", "migrants' rights"),
    ("Migrants´ rights", "migrants' rights"),
    # no-break spaces are spaces; runs collapse; ends are trimmed
    ("Principaux\u202frésultats", "principaux resultats"),
    ("  Key \t  findings  ", "key findings"),
    (
        "Domaines présentant un potentiel de développement\u202f:",
        "domaines presentant un potentiel de developpement",
    ),
    # hyphens and every dash U+2010–U+2015 become spaces
    ("WHOLE-OF-GOVERNMENT APPROACH", "whole of government approach"),
    ("Bien‐être", "bien etre"),  # U+2010 hyphen
    ("Bien‑être", "bien etre"),  # U+2011 non-breaking hyphen
    ("a‒b–c—d―e", "a b c d e"),  # U+2012 … U+2015
    ("socio - économique", "socio economique"),
    # trailing ':' '.' and spaces are stripped, inner colons are kept
    (
        "Gobernanza de la migración: Ejemplos de áreas bien desarrolladas:",
        "gobernanza de la migracion: ejemplos de areas bien desarrolladas",
    ),
    ("Examples of well-developed areas :.", "examples of well developed areas"),
    # accents of every language are folded, case is folded
    ("INTRODUÇÃO", "introducao"),
    ("Março", "marco"),
    ("Août", "aout"),
    ("MIGRACIÓN SEGURA, ORDENADA Y REGULAR", "migracion segura, ordenada y regular"),
    ("Straße", "strasse"),
    ("", ""),
]


@pytest.mark.parametrize(("text", "expected"), NORMALISE_CASES)
def test_normalise(text: str, expected: str) -> None:
    assert normalise(text) == expected


@pytest.mark.parametrize(
    "text", [case.values[0] if hasattr(case, "values") else case[0] for case in NORMALISE_CASES]
)
def test_normalise_is_idempotent(text: str) -> None:
    assert normalise(normalise(text)) == normalise(text)


SLUG_CASES = [
    ("Personería de Bucaramanga", "personeria-de-bucaramanga"),
    ("Santa Inés de Guaracá", "santa-ines-de-guaraca"),
    ("Bucaramanga", "bucaramanga"),
    ("Saint-Ombreval", "saint-ombreval"),
    ("Côte d’Ivoire", "cote-d-ivoire"),
    ("São Tomé e Príncipe", "sao-tome-e-principe"),
    ("Kestrelmouth City Council (KCC)", "kestrelmouth-city-council-kcc"),
    ("  Pedra\u00a0Alta — do Sul  ", "pedra-alta-do-sul"),
    ("Plan 2020–2023", "plan-2020-2023"),
    ("«Emprende Guaracá»", "emprende-guaraca"),
    ("", ""),
]


@pytest.mark.parametrize(("text", "expected"), SLUG_CASES)
def test_slugify(text: str, expected: str) -> None:
    assert slugify(text) == expected


def test_text_doctests() -> None:
    results = doctest.testmod(kb.text)
    assert results.attempted > 0
    assert results.failed == 0
