"""The words a profile parser looks for, per language (FORMAT.md §2–§3).

Every entry is written as it appears in profiles; `kb.parse.profile` compares them
after `kb.text.normalise`, so case, accents, hyphens and apostrophe styles
do not matter here. Adding a language means adding rows to these tables,
never code.

Language keys are BCP 47 tags (en, es, pt, fr).
"""

from __future__ import annotations

from kb.model import Assessment, Domain, PlaceKind

# §2.2 – the line that opens the intro block and every domain block.
KEY_FINDINGS_MARKERS: dict[str, tuple[str, ...]] = {
    "en": ("Key findings",),
    "es": ("Principales hallazgos",),
    "pt": ("Principais conclusões", "Principais resultados"),
    "fr": ("Principaux résultats",),
}

# §2.3 – the heading of the intro block ("INTRODUCTION" is both en and fr).
INTRO_HEADINGS: dict[str, tuple[str, ...]] = {
    "en": ("Introduction",),
    "es": ("Introducción",),
    "pt": ("Introdução",),
    "fr": ("Introduction",),
}

# §2.6 – "click the wheel" page chrome; matched as the first words of a line.
CLICK_PREFIXES: dict[str, tuple[str, ...]] = {
    "en": ("Click",),
    "es": ("Haga clic", "Haz clic"),
    "pt": ("Clique",),
    "fr": ("Cliquez",),
}

# §2.4 – characters that open a bullet when whitespace follows them.
BULLET_MARKERS: tuple[str, ...] = ("•", "-", "*", "–", "◦", "▪", "·")

# §3 – known wordings of each domain heading.
DOMAIN_WORDINGS: dict[Domain, dict[str, tuple[str, ...]]] = {
    Domain.MIGRANTS_RIGHTS: {
        "en": (
            "Migrants' rights",
            "Migrant rights",
            "Rights of migrants",
            "Adherence to international standards and fulfilment of migrants' rights",
        ),
        "es": (
            "Derechos de los migrantes",
            "Derechos de las personas migrantes",
            "Adhesión a las normas internacionales y respeto de los derechos de los migrantes",
        ),
        "pt": ("Direitos dos migrantes", "Direitos das pessoas migrantes"),
        "fr": ("Droits des migrants", "Droits des personnes migrantes"),
    },
    Domain.WHOLE_OF_GOVERNMENT: {
        "en": (
            "Whole of government approach",
            "Whole-of-government approach",
            "Formulates policy using evidence and whole-of-government approach",
        ),
        "es": (
            "Enfoque de gobierno integral",
            "Enfoque integral de gobierno",
            "Enfoque de gobierno en su conjunto",
            "Enfoque pangubernamental",
        ),
        "pt": (
            "Abordagem de governo integral",
            "Abordagem governamental integral",
            "Abordagem de governo como um todo",
            "Abordagem pangovernamental",
        ),
        "fr": (
            "Approche pangouvernementale",
            "Approche gouvernementale intégrée",
            "Approche mobilisant l'ensemble du gouvernement",
            "Approche à l'échelle de l'administration",
        ),
    },
    Domain.PARTNERSHIPS: {
        "en": (
            "Partnerships",
            "Engages with partners to address migration and related issues",
        ),
        "es": ("Alianzas", "Asociaciones", "Colaboraciones"),
        "pt": ("Parcerias",),
        "fr": ("Partenariats",),
    },
    Domain.MIGRANT_WELLBEING: {
        "en": (
            "Well-being of migrants",
            "Socioeconomic well-being of migrants",
            "Migrants' socioeconomic well-being",
            "Advances the socioeconomic well-being of migrants and society",
        ),
        "es": (
            "Bienestar de los migrantes",
            "Bienestar de las personas migrantes",
            "Bienestar socioeconómico de los migrantes",
            "Bienestar socioeconómico de las personas migrantes",
        ),
        "pt": (
            "Bem-estar dos migrantes",
            "Bem-estar das pessoas migrantes",
            "Bem-estar socioeconômico dos migrantes",
            "Bem-estar socioeconómico dos migrantes",
        ),
        "fr": (
            "Bien-être des migrants",
            "Bien-être socioéconomique des migrants",
            "Bien-être socio-économique des migrants",
        ),
    },
    Domain.MOBILITY_DIMENSIONS_OF_CRISES: {
        "en": (
            "Mobility dimensions of crises",
            "Mobility dimension of crises",
            "Effectively addresses the mobility dimensions of crises",
        ),
        "es": (
            "Dimensión de movilidad de las crisis",
            "Dimensiones de movilidad de las crisis",
            "Movilidad en situaciones de crisis",
            "Dimensión de movilidad en situaciones de crisis",
        ),
        "pt": (
            "Dimensões de mobilidade das crises",
            "Dimensão de mobilidade das crises",
            "Mobilidade em situações de crise",
        ),
        "fr": (
            "Dimensions de mobilité des crises",
            "Dimension de mobilité des crises",
            "Mobilité en situation de crise",
            "Mobilité dans les situations de crise",
        ),
    },
    Domain.SAFE_ORDERLY_REGULAR_MIGRATION: {
        "en": (
            "Safe, orderly and regular migration",
            "Ensures that migration takes place in a safe, orderly and dignified manner",
        ),
        "es": ("Migración segura, ordenada y regular",),
        "pt": ("Migração segura, ordenada e regular",),
        "fr": ("Migration sûre, ordonnée et régulière",),
    },
}

# §3 – fallback when no wording matches, tried in this order. A domain matches
# when, for every group, one of the group's keywords is a substring of the
# normalised heading. Keywords are already in normalised form.
DOMAIN_KEYWORDS: tuple[tuple[Domain, tuple[tuple[str, ...], ...]], ...] = (
    (
        Domain.SAFE_ORDERLY_REGULAR_MIGRATION,
        (("segur", "safe", "sure"), ("orden", "orderly", "ordonn")),
    ),
    (Domain.MOBILITY_DIMENSIONS_OF_CRISES, (("cris",),)),
    (Domain.MIGRANT_WELLBEING, (("bienestar", "well being", "bem estar", "bien etre"),)),
    (
        Domain.PARTNERSHIPS,
        (("alianza", "asociacion", "colaboracion", "partner", "parceria", "partenariat"),),
    ),
    (
        Domain.WHOLE_OF_GOVERNMENT,
        (
            (
                "gobierno",
                "gubernament",
                "government",
                "governo",
                "governament",
                "gouvernement",
                "administration",
            ),
        ),
    ),
    (Domain.MIGRANTS_RIGHTS, (("derecho", "right", "direito", "droit"),)),
)

# §2.4 / §4 – list-heading keywords, well-developed first (checked in order).
# The language column feeds the findings language; None where a keyword is
# shared by two languages ("potencial" is es and pt).
LIST_HEADING_KEYWORDS: tuple[tuple[Assessment, str, str | None], ...] = (
    (Assessment.WELL_DEVELOPED, "well developed", "en"),
    (Assessment.WELL_DEVELOPED, "bien desarrollad", "es"),
    (Assessment.WELL_DEVELOPED, "bem desenvolvid", "pt"),
    (Assessment.WELL_DEVELOPED, "bien developp", "fr"),
    (Assessment.POTENTIAL, "potential", "en"),
    (Assessment.POTENTIAL, "potencial", None),
    (Assessment.POTENTIAL, "potentiel", "fr"),
    (Assessment.POTENTIAL, "plus pousse", "fr"),
)

# §2.5 – month names; a month may be written in any language of the table.
MONTH_NAMES: dict[int, dict[str, tuple[str, ...]]] = {
    1: {"en": ("January",), "es": ("Enero",), "pt": ("Janeiro",), "fr": ("Janvier",)},
    2: {"en": ("February",), "es": ("Febrero",), "pt": ("Fevereiro",), "fr": ("Février",)},
    3: {"en": ("March",), "es": ("Marzo",), "pt": ("Março",), "fr": ("Mars",)},
    4: {"en": ("April",), "es": ("Abril",), "pt": ("Abril",), "fr": ("Avril",)},
    5: {"en": ("May",), "es": ("Mayo",), "pt": ("Maio",), "fr": ("Mai",)},
    6: {"en": ("June",), "es": ("Junio",), "pt": ("Junho",), "fr": ("Juin",)},
    7: {"en": ("July",), "es": ("Julio",), "pt": ("Julho",), "fr": ("Juillet",)},
    8: {"en": ("August",), "es": ("Agosto",), "pt": ("Agosto",), "fr": ("Août",)},
    9: {
        "en": ("September",),
        "es": ("Septiembre", "Setiembre"),
        "pt": ("Setembro",),
        "fr": ("Septembre",),
    },
    10: {"en": ("October",), "es": ("Octubre",), "pt": ("Outubro",), "fr": ("Octobre",)},
    11: {"en": ("November",), "es": ("Noviembre",), "pt": ("Novembro",), "fr": ("Novembre",)},
    12: {"en": ("December",), "es": ("Diciembre",), "pt": ("Dezembro",), "fr": ("Décembre",)},
}

# §2.5 – the word between month and year in "Marzo de 2021" / "Março de 2019".
DATE_CONNECTORS: tuple[str, ...] = ("de",)

# §2.5 – the phrase before the colon of the title line.
PROFILE_PHRASES: dict[str, tuple[str, ...]] = {
    "es": ("Perfil de Gobernanza Migratoria", "Perfil de Gobernanza de la Migración"),
    "en": ("Migration Governance Profile",),
    "pt": ("Perfil de Governança Migratória", "Perfil de Governança da Migração"),
    "fr": ("Profil de gouvernance des migrations", "Profil de gouvernance migratoire"),
}

# §2.5 – place-type words that open a designation, by the kind of place they
# name. A designation that starts with none of them is a country's (national).
PLACE_TYPES: dict[PlaceKind, dict[str, tuple[str, ...]]] = {
    PlaceKind.CITY: {
        "es": ("Municipio", "Municipalidad", "Distrito", "Ciudad", "Alcaldía"),
        "en": ("City", "Municipality", "Town"),
        "pt": ("Município", "Cidade", "Prefeitura"),
        "fr": ("Commune", "Ville", "Municipalité"),
    },
    PlaceKind.REGION: {
        "es": ("Estado", "Provincia", "Departamento", "Región", "Gobernación"),
        "en": ("State", "Province", "Department", "Region"),
        "pt": ("Estado", "Província", "Departamento", "Região"),
        "fr": ("État", "Province", "Département", "Région"),
    },
    PlaceKind.COUNTRY: {
        "es": ("República", "Reino", "Estado Plurinacional"),
        "en": ("Republic", "Kingdom"),
        "pt": ("República",),
        "fr": ("République", "Royaume"),
    },
}

# §2.5 – prepositions between the place-type word and the place name.
# An entry ending in an apostrophe is elided and glued to the next word.
PREPOSITIONS: tuple[str, ...] = ("de", "del", "de la", "do", "da", "du", "d'", "of")

# §2.3 – "(en adelante, X)": the phrase that introduces the short name.
HEREINAFTER_PHRASES: dict[str, tuple[str, ...]] = {
    "es": ("en adelante",),
    "en": ("hereinafter",),
    "pt": ("doravante",),
    "fr": ("ci-après",),
}
