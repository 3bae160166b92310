"""`kb publish`: the whole linked-data site as files any static host can serve.

Every page is rendered by the same `Site` and templates as the server; only
the links differ (a `StaticLinker` points at files: `doc/org/x.html`,
`doc/org/x.ttl`, `doc/org/x.es.html`). Written:

    index.html (+ index.{lang}.html)      home page, one file per language
    doc/{kind}/{slug}.{html,ttl,jsonld,nt,rdf}   every resource (and its further
                                          pages of incoming links: {slug}.{prop}.{n}.…)
    def.*, catalog.*                      the ontology and the DCAT catalogue
    profiles.html, institutions.html, …   the lists (further pages: profiles.2.html)
    dumps/…                               the build's dumps and SHA256SUMS
    .well-known/void                      VoID (Turtle), as the endpoint describes it
    static/site.css, 404.html, .htaccess  style, a not-found page, Apache rules

What a static host cannot do by itself (303 from `/id/…`, content negotiation)
is a few lines of server configuration: docs/linked-data.md gives them for
Apache and nginx, and `.htaccess` carries the Apache ones.
"""

from __future__ import annotations

import math
import shutil
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import pyoxigraph as ox

from kb.linkeddata.describe import PAGE_SIZE
from kb.linkeddata.formats import ALL_FORMATS, DocFormat
from kb.linkeddata.i18n import DEFAULT_LANGUAGE, LANGUAGES
from kb.linkeddata.paths import LIST_PAGES, StaticLinker, Target
from kb.linkeddata.render import CSS_PATH, STATIC
from kb.linkeddata.site import LIST_PAGE_SIZE, LISTS, Site
from kb.namespaces import curie
from kb.store.layout import DUMPS_DIR

Progress = Callable[[str], None]


@dataclass(slots=True)
class PublishReport:
    files: int = 0
    resources: int = 0
    bytes: int = 0


_HTACCESS = """# Apache rules for this static copy of the MGI Knowledge Graph (docs/linked-data.md).
# Needs mod_rewrite and mod_headers; AllowOverride FileInfo for this directory.
AddType text/turtle .ttl
AddType application/ld+json .jsonld
AddType application/n-triples .nt
AddType application/rdf+xml .rdf
AddType "text/html; charset=utf-8" .html
AddType application/gzip .gz
<Files "void">
  ForceType text/turtle
</Files>
ErrorDocument 404 /404.html
DirectoryIndex index.html

RewriteEngine On
# A thing's IRI -> 303 See Other -> the document about it (same extension, if any).
RewriteRule ^id/(.+)$ doc/$1 [R=303,L]
RewriteRule ^dataset$ catalog [R=303,L]
RewriteRule ^graph/ catalog [R=303,L]
# Content negotiation for documents without an extension.
RewriteCond %{HTTP_ACCEPT} text/turtle
RewriteCond %{REQUEST_FILENAME}.ttl -f
RewriteRule ^(.*)$ $1.ttl [L]
RewriteCond %{HTTP_ACCEPT} application/ld\\+json
RewriteCond %{REQUEST_FILENAME}.jsonld -f
RewriteRule ^(.*)$ $1.jsonld [L]
RewriteCond %{HTTP_ACCEPT} application/n-triples
RewriteCond %{REQUEST_FILENAME}.nt -f
RewriteRule ^(.*)$ $1.nt [L]
RewriteCond %{HTTP_ACCEPT} application/rdf\\+xml
RewriteCond %{REQUEST_FILENAME}.rdf -f
RewriteRule ^(.*)$ $1.rdf [L]
RewriteCond %{REQUEST_FILENAME}.html -f
RewriteRule ^(.*)$ $1.html [L]
<FilesMatch "\\.(html|ttl|jsonld|nt|rdf)$">
  Header append Vary Accept
</FilesMatch>
"""


class _Writer:
    def __init__(self, out: Path, report: PublishReport) -> None:
        self.out = out
        self.report = report

    def write(self, relative: str, data: bytes) -> None:
        path = self.out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.report.files += 1
        self.report.bytes += len(data)


def publish_site(
    site: Site,
    out: Path,
    *,
    languages: tuple[str, ...] = LANGUAGES,
    formats: tuple[DocFormat, ...] = ALL_FORMATS,
    live_site: str | None = None,
    progress: Progress | None = None,
) -> PublishReport:
    """Write the static site of `site` into `out` (created; existing files are replaced).

    `live_site`, the URL of a running server, makes pages link to its explorer.
    """
    say = progress or (lambda _msg: None)
    if DocFormat.HTML not in formats:
        raise ValueError("the static site needs HTML pages")
    default = languages[0] if languages else DEFAULT_LANGUAGE
    languages = languages or (DEFAULT_LANGUAGE,)
    site.formats = formats  # pages offer (and link to) only what is written
    site.languages = languages
    report = PublishReport()
    writer = _Writer(out, report)
    base = StaticLinker(
        current="", lang=default, default_lang=default, base=site.base, live_site=live_site
    )

    def html_and_rdf(target: Target, renderer: Callable[..., bytes], **kwargs: object) -> None:
        for fmt in formats:
            for lang in languages if fmt is DocFormat.HTML else (default,):
                here = replace(target, fmt=fmt, lang=lang)
                linker = replace(base, current=base.file_of(here), lang=lang)
                writer.write(linker.current, renderer(fmt=fmt, lang=lang, linker=linker, **kwargs))

    # Home and lists: HTML only.
    for lang in languages:
        linker = replace(base, current=base.file_of(Target("", lang=lang)), lang=lang)
        writer.write(linker.current, site.home_document(lang=lang, linker=linker))
    for name in LIST_PAGES:
        total = sum(site.statistics.class_count(c) for c in LISTS[name][1])
        for number in range(1, max(1, math.ceil(total / LIST_PAGE_SIZE)) + 1):
            query = (("page", str(number)),) if number > 1 else ()
            for lang in languages:
                here = Target(name, query=query, lang=lang)
                linker = replace(base, current=base.file_of(here), lang=lang)
                body = site.list_document(name, page=number, lang=lang, linker=linker)
                writer.write(linker.current, body)

    say("ontology and catalogue")
    html_and_rdf(Target("def"), _positional(site.ontology_document))
    html_and_rdf(Target("catalog"), _positional(site.catalog_document))

    resources = site.resources()
    for count, iri in enumerate(resources, start=1):
        doc_path = site.space.document_path(iri)
        if doc_path is None or not doc_path[0].startswith("doc/"):
            continue
        path = doc_path[0]
        views: list[tuple[str | None, int]] = [(None, 1)]
        for prop, total in site.index.counts(iri):
            views += [(prop, n) for n in range(2, math.ceil(total / PAGE_SIZE) + 1)]
        for prop, number in views:
            query = ()
            if prop is not None:
                query = (("in", curie(prop) or prop), ("page", str(number)))
            html_and_rdf(
                Target(path, query=query),
                lambda fmt, lang, linker, p=path, q=prop, n=number: site.resource_document(
                    p, fmt, lang=lang, linker=linker, paged_property=q, page=n
                ),
            )
        report.resources += 1
        if count % 500 == 0:
            say(f"{count}/{len(resources)} resources")

    # Not-found page, style, dumps, VoID, Apache rules.
    not_found = replace(base, current="404.html")
    writer.write(
        "404.html", site.not_found_document(lang=default, linker=not_found, here="404", iri=None)
    )
    writer.write(CSS_PATH, (STATIC / "site.css").read_bytes())
    for name in site.dump_names():
        source = site.dump_file(name)
        if source is not None:
            target = out / DUMPS_DIR / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            report.files += 1
            report.bytes += target.stat().st_size
    writer.write(".well-known/void", void_turtle(site))
    writer.write(".htaccess", _HTACCESS.encode())
    return report


def _positional(render: Callable[..., bytes]) -> Callable[..., bytes]:
    """`render(fmt, *, lang, linker)` called with `fmt` as a keyword."""
    return lambda fmt, lang, linker: render(fmt, lang=lang, linker=linker)


def void_turtle(site: Site) -> bytes:
    """The VoID the endpoint serves at /.well-known/void, from the build's statistics."""
    from kb.endpoint import describe

    triples = describe.void_description(
        site.statistics,
        version=site.version,
        modified=site.modified,
        dataset_iri=site.dataset_iri,
        endpoint=site.base + "sparql",
        uri_space=site.base + "id/",
    )
    triples.append(
        ox.Triple(
            ox.NamedNode(site.dataset_iri),
            ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#seeAlso"),
            ox.NamedNode(site.catalog_iri),
        )
    )
    return describe.serialize(triples, describe.TURTLE)
