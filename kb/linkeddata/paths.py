"""Where things live: IRIs under the configured base <-> paths of this site.

Data IRIs keep the configured base (`https://w3id.org/mgi/`) whatever host
the server runs on; the site answers for the same paths relative to its own
root. This module is the only place that maps one to the other.

Pages link to each other with relative URLs, so the same rendered page works
served (under any root path) and as a static file; a `Linker` decides what a
link looks like in each of the two.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field, replace
from typing import Protocol
from urllib.parse import urlencode

from kb.linkeddata.formats import DocFormat
from kb.namespaces import MGI, ONTOLOGY_IRI

ONTOLOGY_NS = str(MGI)
# Site paths that are pages (rendered per language); everything else is a file.
LIST_PAGES = ("profiles", "institutions", "instruments", "places")
PAGE_ROOTS = ("def", "catalog", "resource", *LIST_PAGES)
# IRIs whose description lives in the DCAT catalogue document.
CATALOG_PATHS = ("dataset", "catalog", "graph/")
# The explorer (kb.explorer) under `explore/`: dynamic pages only a running server has.
EXPLORER = "explore"
WORKBENCH = "explore/workbench"
EXPLORER_SEARCH = "explore/search"
# Resource kinds with an explorer page: `id/{kind}/…` -> `explore/{section}/…`.
_EXPLORER_SECTIONS = {"org": "institutions", "place": "places", "profile": "profiles"}
_SLUG = re.compile(r"[a-z0-9]+(?:-{1,2}[a-z0-9]+)*")
_FINDING_NUMBER = re.compile(r"[1-9][0-9]{0,5}")


def explorer_path(resource_path: str) -> str | None:
    """`id/org/x` -> `explore/institutions/x`; None for what the explorer has no page for.

    Organisations, places, profiles (one slug) and findings (`id/finding/{profile}/{n}`).
    """
    parts = resource_path.split("/")
    if len(parts) < 3 or parts[0] != "id" or not all(_SLUG.fullmatch(p) for p in parts[2:-1]):
        return None
    kind, rest = parts[1], parts[2:]
    if kind in _EXPLORER_SECTIONS and len(rest) == 1 and _SLUG.fullmatch(rest[0]):
        return f"{EXPLORER}/{_EXPLORER_SECTIONS[kind]}/{rest[0]}"
    if kind == "finding" and len(rest) == 2 and _FINDING_NUMBER.fullmatch(rest[1]):
        return f"{EXPLORER}/findings/{rest[0]}/{rest[1]}"
    return None


@dataclass(frozen=True, slots=True)
class IriSpace:
    """The base IRI of the data and the pages that describe each IRI."""

    base: str

    def relative(self, iri: str) -> tuple[str, str] | None:
        """`{base}id/org/x#m` -> (`id/org/x`, `m`); ontology terms -> (`def`, `Term`).

        None for IRIs outside this dataset.
        """
        without, _, fragment = iri.partition("#")
        if iri.startswith(ONTOLOGY_NS) or without == str(ONTOLOGY_IRI):
            return "def", fragment
        if without.startswith(str(ONTOLOGY_IRI) + "/"):  # version IRIs such as def/0.1.0
            return "def/" + without[len(str(ONTOLOGY_IRI)) + 1 :], ""
        if iri.startswith(self.base):
            return without[len(self.base) :], fragment
        return None

    def iri(self, path: str, fragment: str = "") -> str:
        if path == "def":
            return f"{ONTOLOGY_NS}{fragment}" if fragment else str(ONTOLOGY_IRI)
        return self.base + path + (f"#{fragment}" if fragment else "")

    def document_path(self, iri: str) -> tuple[str, str] | None:
        """The site path of the document describing `iri`, with the fragment to show."""
        rel = self.relative(iri)
        if rel is None:
            return None
        path, fragment = rel
        if path.startswith("id/") and len(path) > 3:
            return "doc/" + path[3:], fragment
        if path == "def" or path.startswith("def/"):
            return "def", fragment
        if path in ("dataset", "catalog") or path.startswith("graph/"):
            return "catalog", fragment
        if path.startswith("doc/") or path.startswith("dumps/") or path == "sparql":
            return path, fragment
        return None

    def document_iri(self, doc_path: str) -> str:
        """The IRI of a document (`doc/org/x` -> `{base}doc/org/x`)."""
        return self.base + doc_path

    def resource_of_document(self, doc_path: str) -> str | None:
        """`doc/org/x` -> `{base}id/org/x`."""
        if doc_path.startswith("doc/") and len(doc_path) > 4:
            return self.base + "id/" + doc_path[4:]
        return None


@dataclass(frozen=True, slots=True)
class Target:
    """Something a page links to: a site path, a representation, paging, a fragment."""

    path: str
    fmt: DocFormat | None = None
    query: tuple[tuple[str, str], ...] = ()
    fragment: str = ""
    lang: str | None = None
    """Language of the page linked to (HTML only); None keeps the current one."""

    @property
    def is_page(self) -> bool:
        return self.path == "" or self.path.startswith("doc/") or self.path in PAGE_ROOTS


class Linker(Protocol):
    """Turns link targets into URLs relative to the page being rendered."""

    static: bool

    def url(self, target: Target) -> str: ...

    def file_of(self, target: Target) -> str:
        """The site path (served) or file path (static) of a target."""
        ...

    def live(self, path: str, query: tuple[tuple[str, str], ...] = ()) -> str | None:
        """A link to a page only a running server has (the explorer), or None without one."""
        ...


def relative_url(source: str, destination: str) -> str:
    """URL of `destination` relative to `source`, both paths from the site root.

    `""` is the root itself; paths never start with a slash.
    """
    directory = posixpath.dirname(source) or "."
    if destination == "":
        rel = posixpath.relpath(".", directory)
        return "./" if rel == "." else rel + "/"
    rel = posixpath.relpath(destination, directory)
    # A first segment with a colon would read as a URL scheme.
    return "./" + rel if ":" in rel.split("/", 1)[0] else rel


def _query_string(query: tuple[tuple[str, str], ...]) -> str:
    return "?" + urlencode(query, safe=":") if query else ""


@dataclass(frozen=True, slots=True)
class ServedLinker:
    """Links on the running server: generic document URLs, `?lang=` only when asked for."""

    current: str
    """Site path of the page being rendered (`doc/org/x`, `` for the home page)."""
    lang: str | None = None
    """The request's explicit `?lang=`, carried on to pages linked to."""
    static: bool = field(default=False, init=False)

    def file_of(self, target: Target) -> str:
        return target.path + (f".{target.fmt.extension}" if target.fmt else "")

    def url(self, target: Target) -> str:
        query = target.query
        lang = target.lang or self.lang
        if target.is_page and lang and (target.fmt in (None, DocFormat.HTML)):
            query = (*query, ("lang", lang))
        href = relative_url(self.current, self.file_of(target)) + _query_string(query)
        return href + (f"#{target.fragment}" if target.fragment else "")

    def live(self, path: str, query: tuple[tuple[str, str], ...] = ()) -> str | None:
        # The explorer chooses its language by `?lang=` as well: carry it on.
        if self.lang:
            query = (*query, ("lang", self.lang))
        # Up to the root, then down: `explore` seen from `explore/places` is a page, not `.`.
        return "../" * self.current.count("/") + path + _query_string(query)


@dataclass(frozen=True, slots=True)
class StaticLinker:
    """Links between exported files: each page and language is its own `.html` file."""

    current: str
    """File path of the page being written (`doc/org/x.html`)."""
    lang: str
    default_lang: str
    base: str
    """The base IRI: links to server-only services (SPARQL) point there."""
    live_site: str | None = None
    """Root URL of a running server (`https://kg.example.org/`): the explorer's pages,
    which a static host cannot serve, are linked there; None leaves them out."""
    static: bool = field(default=True, init=False)

    def file_of(self, target: Target) -> str:
        if not target.is_page:
            return target.path
        fmt = target.fmt or DocFormat.HTML
        stem = target.path or "index"
        if target.path == "resource":
            stem = "index"  # no lookup service on a static host: the home page instead
        suffix = "".join("." + value.replace(":", "_") for _key, value in target.query)
        lang = target.lang or self.lang
        if fmt is DocFormat.HTML and lang != self.default_lang:
            suffix += f".{lang}"
        return f"{stem}{suffix}.{fmt.extension}"

    def url(self, target: Target) -> str:
        if target.path == "sparql" or target.path.startswith(".well-known/sparql"):
            return self.base + target.path
        href = relative_url(self.current, self.file_of(target))
        return href + (f"#{target.fragment}" if target.fragment else "")

    def live(self, path: str, query: tuple[tuple[str, str], ...] = ()) -> str | None:
        if not self.live_site:
            return None
        if self.lang != self.default_lang:
            query = (*query, ("lang", self.lang))
        return self.live_site.rstrip("/") + "/" + path + _query_string(query)

    def for_page(self, current: str) -> StaticLinker:
        return replace(self, current=current)
