"""The languages of the pages: choosing one, and the words of the page chrome.

Labels of the data come from the data (and the ontology, in en/es/fr/pt);
this module holds only the site's own words and labels of the standard
vocabulary terms the ontology reuses but does not define.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path

from kb.namespaces import expand_curie

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


def _term_table(table: Mapping[str, Mapping[str, str]]) -> dict[str, dict[str, str]]:
    out = {}
    for name, labels in table.items():
        iri = expand_curie(name)
        if iri is None or set(labels) != set(LANGUAGES):
            raise ValueError(f"term_labels.toml: {name!r} needs a known prefix and {LANGUAGES}")
        out[iri] = dict(labels)
    return out


# Standard terms the pages show, in every language; the ontology labels its own terms.
_TERM_LABELS = tomllib.loads((Path(__file__).parent / "term_labels.toml").read_text("utf-8"))
_TERMS = _term_table(_TERM_LABELS["terms"])
_INVERSE = _term_table(_TERM_LABELS["inverse"])


def term_label(iri: str, lang: str) -> str | None:
    labels = _TERMS.get(iri)
    return labels.get(lang, labels[DEFAULT_LANGUAGE]) if labels else None


def inverse_label(iri: str, lang: str) -> str | None:
    labels = _INVERSE.get(iri)
    return labels.get(lang, labels[DEFAULT_LANGUAGE]) if labels else None


def ui(lang: str) -> dict[str, str]:
    return UI[lang] if lang in UI else UI[DEFAULT_LANGUAGE]
