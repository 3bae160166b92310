"""Server-side HTML: one Jinja2 environment (autoescaped) and the page frame.

`Chrome` is what `templates/base.html` needs on every page: the words in the
page's language, the site's links (as the `Linker` writes them: relative, so
the same page works served or exported), the language switch, the licence
and the page's other representations. Other parts of the site (e.g. an
explorer) reuse it: build a `Chrome` with `chrome(...)`, extend `base.html`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from kb.linkeddata.formats import DocFormat
from kb.linkeddata.i18n import LANGUAGE_NAMES, LANGUAGES, ui
from kb.linkeddata.paths import EXPLORER, EXPLORER_SEARCH, WORKBENCH, Linker, Target

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"
CSS_PATH = "static/site.css"

# Known licences by IRI -> short name; others show their IRI.
_LICENCES = {
    "https://creativecommons.org/licenses/by/4.0/": "CC BY 4.0",
    "http://creativecommons.org/licenses/by/4.0/": "CC BY 4.0",
    "https://creativecommons.org/licenses/by-sa/4.0/": "CC BY-SA 4.0",
    "https://creativecommons.org/publicdomain/zero/1.0/": "CC0 1.0",
}


@dataclass(frozen=True, slots=True)
class NavItem:
    href: str
    text: str
    current: bool = False


@dataclass(frozen=True, slots=True)
class LanguageChoice:
    code: str
    name: str
    href: str
    current: bool


@dataclass(frozen=True, slots=True)
class Alternate:
    label: str
    media_type: str
    href: str


@dataclass(frozen=True, slots=True)
class Licence:
    href: str
    label: str


@dataclass(frozen=True, slots=True)
class Chrome:
    lang: str
    ui: dict[str, str]
    links: dict[str, str]
    nav: list[NavItem]
    languages: list[LanguageChoice]
    licence: Licence | None
    version: str
    alternates: list[Alternate] = field(default_factory=list)


def licence_of(iri: str | None) -> Licence | None:
    return Licence(iri, _LICENCES.get(iri, iri)) if iri else None


# Site sections in the navigation: (key in the UI words, site path).
SECTIONS = (
    ("profiles", "profiles"),
    ("institutions", "institutions"),
    ("instruments", "instruments"),
    ("places", "places"),
    ("vocabulary", "def"),
    ("dataset", "catalog"),
    ("sparql", "sparql"),
    ("lookup", "resource"),
)
# Sections only a running server has (kb.explorer): in a static copy they link to the
# live site when one is named (`StaticLinker.live_site`), else they are left out.
LIVE_SECTIONS = (
    ("explorer", EXPLORER),
    ("workbench", WORKBENCH),
)


def chrome(
    *,
    linker: Linker,
    lang: str,
    here: Target,
    licence: Licence | None,
    version: str,
    alternates: list[Alternate] | None = None,
    section: str | None = None,
    languages: tuple[str, ...] = LANGUAGES,
) -> Chrome:
    """The frame of a page at `here`, in `lang`; the switch offers `languages`."""
    words = ui(lang)
    links = {key: linker.url(Target(path)) for key, path in SECTIONS}
    links["home"] = linker.url(Target(""))
    links["css"] = linker.url(Target(CSS_PATH))
    nav = [
        NavItem(links[key], words[key], current=(section == path))
        for key, path in SECTIONS
        if not (linker.static and path == "resource")  # no lookup service on a static host
    ]
    for key, path in (*LIVE_SECTIONS, ("explorer_search", EXPLORER_SEARCH)):
        href = linker.live(path)
        if href is not None:
            links[key] = href
    nav += [
        NavItem(links[key], words[key], current=(section == path))
        for key, path in LIVE_SECTIONS
        if key in links
    ]
    choices = [
        LanguageChoice(
            code, LANGUAGE_NAMES[code], linker.url(replace(here, lang=code)), code == lang
        )
        for code in languages
    ]
    return Chrome(lang, words, links, nav, choices, licence, version, alternates or [])


def alternates_for(linker: Linker, here: Target, formats: tuple[DocFormat, ...]) -> list[Alternate]:
    """Links to each representation of the page at `here`."""
    return [
        Alternate(fmt.label, fmt.media_type, linker.url(replace(here, fmt=fmt, lang=None)))
        for fmt in formats
    ]


def _jsonld_script(data: Any) -> Markup:
    # Inside <script>, `</script>` or `<!--` in a label would end or break the block.
    text = json.dumps(data, ensure_ascii=False, indent=1)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)  # noqa: S704 - escaped for a script block just above


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"], default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["jsonld_script"] = _jsonld_script
    return env


def render(template: str, **context: Any) -> bytes:
    return environment().get_template(template).render(**context).encode()
