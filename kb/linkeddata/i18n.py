"""The languages of the pages: choosing one, and the words of the page chrome.

Labels of the data come from the data (and the ontology, in en/es/fr/pt);
this module holds only the site's own words and labels of the standard
vocabulary terms the ontology reuses but does not define.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path

from kb.namespaces import MGI
from kb.namespaces import SKOS as _SKOS

_MGI = str(MGI)

LANGUAGES: tuple[str, ...] = ("en", "es", "fr", "pt")
DEFAULT_LANGUAGE = "en"
LANGUAGE_NAMES = {"en": "English", "es": "Español", "fr": "Français", "pt": "Português"}


def parse_accept_language(header: str | None) -> list[tuple[str, float]]:
    """`es-CO,es;q=0.9,en;q=0.5` -> [(es-co, 1.0), (es, 0.9), (en, 0.5)], best first."""
    ranges: list[tuple[str, float, int]] = []
    for position, item in enumerate((header or "").split(",")):
        parts = [p.strip() for p in item.split(";")]
        tag = parts[0].lower()
        if not tag:
            continue
        q = 1.0
        for param in parts[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.append((tag, q, position))
    ranges.sort(key=lambda r: (-r[1], r[2]))
    return [(tag, q) for tag, q, _ in ranges]


def choose_language(explicit: str | None, accept_language: str | None) -> str:
    """`?lang=` when it names a supported language, else the best Accept-Language match."""
    if explicit and explicit.lower() in LANGUAGES:
        return explicit.lower()
    for tag, q in parse_accept_language(accept_language):
        if q <= 0:
            continue
        if tag == "*":
            return DEFAULT_LANGUAGE
        primary = tag.split("-", 1)[0]
        if primary in LANGUAGES:
            return primary
    return DEFAULT_LANGUAGE


def pick(values: Mapping[str, str], lang: str) -> str | None:
    """The value in `lang`, else English, else untagged, else any (stable order)."""
    for key in (lang, DEFAULT_LANGUAGE, ""):
        if key in values:
            return values[key]
    for key in sorted(values):
        if key.split("-", 1)[0] == lang:
            return values[key]
    return values[min(values)] if values else None


def pick_tagged(values: Mapping[str, str], lang: str) -> tuple[str | None, str | None]:
    """`pick`, with the language tag of the value picked (None when untagged)."""
    chosen = pick(values, lang)
    if chosen is None:
        return None, None
    tag = next((k for k, v in values.items() if v == chosen and k), None)
    return chosen, tag


# The site's own words, one table per language; every language has every key.
UI: dict[str, dict[str, str]] = tomllib.loads(
    (Path(__file__).parent / "messages.toml").read_text(encoding="utf-8")
)

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_DCT = "http://purl.org/dc/terms/"
_ORG = "http://www.w3.org/ns/org#"
_SCHEMA = "https://schema.org/"
_OWL = "http://www.w3.org/2002/07/owl#"

# Standard terms the pages show, in (en, es, fr, pt); the ontology labels its own terms.
_TERMS: dict[str, tuple[str, str, str, str]] = {
    _RDF + "type": ("type", "tipo", "type", "tipo"),
    _RDFS + "label": ("label", "etiqueta", "libellé", "rótulo"),
    _RDFS + "comment": ("comment", "comentario", "commentaire", "comentário"),
    _RDFS + "seeAlso": ("see also", "véase también", "voir aussi", "ver também"),
    _RDFS + "isDefinedBy": ("defined by", "definido por", "défini par", "definido por"),
    _RDFS + "subClassOf": ("subclass of", "subclase de", "sous-classe de", "subclasse de"),
    _RDFS + "subPropertyOf": (
        "subproperty of",
        "subpropiedad de",
        "sous-propriété de",
        "subpropriedade de",
    ),
    _RDFS + "domain": ("applies to", "se aplica a", "s'applique à", "aplica-se a"),
    _RDFS + "range": ("values", "valores", "valeurs", "valores"),
    _SKOS + "prefLabel": (
        "preferred label",
        "etiqueta preferida",
        "libellé préféré",
        "rótulo preferido",
    ),
    _SKOS + "altLabel": (
        "other names",
        "otros nombres",
        "autres noms",
        "outros nomes",
    ),
    _SKOS + "notation": ("code", "código", "code", "código"),
    _SKOS + "definition": ("definition", "definición", "définition", "definição"),
    _SKOS + "scopeNote": ("note", "nota", "note", "nota"),
    _SKOS + "editorialNote": (
        "editorial note",
        "nota editorial",
        "note éditoriale",
        "nota editorial",
    ),
    _SKOS + "inScheme": ("in scheme", "en el esquema", "dans le schéma", "no esquema"),
    _SKOS + "topConceptOf": (
        "top concept of",
        "concepto principal de",
        "concept de tête de",
        "conceito principal de",
    ),
    _SKOS + "hasTopConcept": (
        "top concepts",
        "conceptos principales",
        "concepts de tête",
        "conceitos principais",
    ),
    _DCT + "title": ("title", "título", "titre", "título"),
    _DCT + "abstract": ("summary", "resumen", "résumé", "resumo"),
    _DCT + "description": ("description", "descripción", "description", "descrição"),
    _DCT + "issued": ("issued", "publicado", "publié", "publicado"),
    _DCT + "modified": ("modified", "modificado", "modifié", "modificado"),
    _DCT + "created": ("created", "creado", "créé", "criado"),
    _DCT + "language": ("language", "idioma", "langue", "idioma"),
    _DCT + "publisher": ("publisher", "editor", "éditeur", "editor"),
    _DCT + "creator": ("creator", "autor", "auteur", "autor"),
    _DCT + "source": ("source", "fuente", "source", "fonte"),
    _DCT + "identifier": ("identifier", "identificador", "identifiant", "identificador"),
    _DCT + "license": ("licence", "licencia", "licence", "licença"),
    _ORG + "classification": ("institution type", "tipo de institución", "type", "tipo"),
    _ORG + "subOrganizationOf": ("part of", "parte de", "fait partie de", "parte de"),
    _SCHEMA + "name": ("name", "nombre", "nom", "nome"),
    _SCHEMA + "containedInPlace": ("located in", "situado en", "situé dans", "situado em"),
    _SCHEMA + "latitude": ("latitude", "latitud", "latitude", "latitude"),
    _SCHEMA + "longitude": ("longitude", "longitud", "longitude", "longitude"),
    _SCHEMA + "identifier": ("code", "código", "code", "código"),
    _SCHEMA + "temporalCoverage": ("period", "periodo", "période", "período"),
    _ORG + "Organization": ("organisation", "organización", "organisation", "organização"),
    _SCHEMA + "City": ("city", "ciudad", "ville", "cidade"),
    _SCHEMA + "Country": ("country", "país", "pays", "país"),
    _SCHEMA + "AdministrativeArea": (
        "administrative area",
        "división administrativa",
        "division administrative",
        "divisão administrativa",
    ),
    _SCHEMA + "Place": ("place", "lugar", "lieu", "lugar"),
    _SKOS + "Concept": ("concept", "concepto", "concept", "conceito"),
    _SKOS + "ConceptScheme": (
        "concept scheme",
        "esquema de conceptos",
        "schéma de concepts",
        "esquema de conceitos",
    ),
    _OWL + "Class": ("class", "clase", "classe", "classe"),
    _OWL + "ObjectProperty": ("property", "propiedad", "propriété", "propriedade"),
    _OWL + "DatatypeProperty": ("property", "propiedad", "propriété", "propriedade"),
    _OWL + "Ontology": ("ontology", "ontología", "ontologie", "ontologia"),
}

# Incoming links read better from the other end: "mentioned by" rather than "mentions".
_INVERSE: dict[str, tuple[str, str, str, str]] = {
    _MGI + "mentions": (
        "Findings that mention it",
        "Hallazgos que lo mencionan",
        "Constats qui le mentionnent",
        "Constatações que o mencionam",
    ),
    _MGI + "refersTo": (
        "Mentions that refer to it",
        "Menciones que remiten a él",
        "Mentions qui y renvoient",
        "Menções que remetem a ele",
    ),
    _MGI + "profile": (
        "Findings of this profile",
        "Hallazgos de este perfil",
        "Constats de ce profil",
        "Constatações deste perfil",
    ),
    _MGI + "hasFinding": ("In profile", "En el perfil", "Dans le profil", "No perfil"),
    _MGI + "assessedPlace": (
        "Profiles assessing it",
        "Perfiles que lo evalúan",
        "Profils qui l'évaluent",
        "Perfis que o avaliam",
    ),
    _MGI + "jurisdiction": (
        "Institutions and instruments with this jurisdiction",
        "Instituciones e instrumentos con esta jurisdicción",
        "Institutions et instruments de ce ressort",
        "Instituições e instrumentos com esta jurisdição",
    ),
    _DCT + "creator": (
        "Instruments it created",
        "Instrumentos que creó",
        "Instruments qu'il a créés",
        "Instrumentos que criou",
    ),
    _DCT + "publisher": ("Publisher of", "Editor de", "Éditeur de", "Editor de"),
    _ORG + "subOrganizationOf": (
        "Sub-organisations",
        "Suborganizaciones",
        "Sous-organisations",
        "Suborganizações",
    ),
    _SCHEMA + "containedInPlace": ("Contains", "Contiene", "Contient", "Contém"),
}


def term_label(iri: str, lang: str) -> str | None:
    labels = _TERMS.get(iri)
    return labels[LANGUAGES.index(lang)] if labels else None


def inverse_label(iri: str, lang: str) -> str | None:
    labels = _INVERSE.get(iri)
    return labels[LANGUAGES.index(lang)] if labels else None


def ui(lang: str) -> dict[str, str]:
    return UI[lang] if lang in UI else UI[DEFAULT_LANGUAGE]
