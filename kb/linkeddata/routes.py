"""Linked-data routes: dereferencing, documents, the ontology, the catalogue, dumps.

The IRI pattern (docs/linked-data.md says why): `/id/…` names a thing (an
institution, a finding) and answers `303 See Other` to `/doc/…`, the document
about it; `/doc/…` negotiates its representation (HTML, Turtle, JSON-LD,
N-Triples, RDF/XML) and `/doc/….ttl` (etc.) names one. Hash IRIs (mentions,
ontology terms) are resolved by the client, which asks for the IRI before the
`#`. Routes only read the request and call `Site`; rendering runs in a thread.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, Response
from starlette.concurrency import run_in_threadpool

from kb.errors import StoreUnavailableError
from kb.http.caching import entity_tag, not_modified, validators
from kb.http.errors import error_response
from kb.http.negotiation import negotiate
from kb.linkeddata.formats import ALL_FORMATS, HTML, DocFormat, negotiate_format, split_extension
from kb.linkeddata.i18n import LANGUAGES, choose_language
from kb.linkeddata.paths import LIST_PAGES, ServedLinker
from kb.linkeddata.render import STATIC
from kb.linkeddata.site import NotFoundError, Site
from kb.store.layout import DUMPS_DIR

router = APIRouter(tags=["linked data"])
_GET = ["GET", "HEAD"]


async def get_site(request: Request) -> Site:
    """The site of the version the endpoint serves now: a companion of its
    generation, opened and switched with it (kb.endpoint.service)."""
    generation = request.app.state.service.generation
    site = generation.companions.get("site") if generation is not None else None
    if site is None:
        raise StoreUnavailableError("the knowledge graph is not open yet")
    return site


SiteDep = Annotated[Site, Depends(get_site)]


# --- request helpers --------------------------------------------------------------------
def _explicit_lang(request: Request) -> str | None:
    value = request.query_params.get("lang", "").lower()
    return value if value in LANGUAGES else None


def _lang(request: Request) -> str:
    return choose_language(_explicit_lang(request), request.headers.get("accept-language"))


def _url(request: Request, path: str) -> str:
    """Absolute path on this server (behind a proxy's root path too)."""
    return f"{request.scope.get('root_path', '')}/{path}"


def _query(request: Request, *keys: str) -> str:
    items = [(k, v) for k, v in request.query_params.multi_items() if k in keys]
    return "?" + urlencode(items, safe=":") if items else ""


def _accepts_html(request: Request) -> bool:
    accept = request.headers.get("accept")
    return not accept or negotiate(accept, (HTML,)) is not None


def _page_number(request: Request) -> int | None:
    raw = request.query_params.get("page", "1")
    return int(raw) if raw.isdigit() and int(raw) >= 1 else None


def _link_header(request: Request, path: str, formats: tuple[DocFormat, ...]) -> str:
    query = _query(request, "in", "page")
    return ", ".join(
        f'<{_url(request, f"{path}.{fmt.extension}")}{query}>; rel="alternate"; '
        f'type="{fmt.media_type}"'
        for fmt in formats
    )


def _respond(
    request: Request,
    site: Site,
    body: bytes,
    fmt: DocFormat,
    *,
    path: str,
    negotiated: bool,
    formats: tuple[DocFormat, ...] = (),
    lang: str | None = None,
    status: int = 200,
) -> Response:
    vary = ["Accept"] if negotiated else []
    if fmt is DocFormat.HTML and _explicit_lang(request) is None:
        vary.append("Accept-Language")  # the page's language came from the header
    query = request.url.query
    etag = entity_tag(site.version, path, fmt.value, lang or "", query)
    headers = validators(etag, site.modified, request.app.state.settings.cache_max_age)
    if vary:
        headers["Vary"] = ", ".join(vary)
    else:
        del headers["Vary"]  # the gzip layer adds Accept-Encoding itself
    if formats:
        headers["Link"] = _link_header(request, path, formats)
    if negotiated and path:
        headers["Content-Location"] = _url(request, f"{path}.{fmt.extension}") + (
            f"?{query}" if query else ""
        )
    if fmt is DocFormat.HTML and lang:
        headers["Content-Language"] = lang
    if status == 200 and not_modified(request.headers, etag, site.modified):
        return Response(status_code=304, headers=headers)
    return Response(body, status_code=status, media_type=fmt.content_type, headers=headers)


async def _not_found(
    request: Request, site: Site, *, here: str, iri: str | None, detail: str
) -> Response:
    """404: a page that helps a person on, or the endpoint's error body for programs."""
    if not _accepts_html(request):
        return error_response(request, 404, "not_found", detail)
    lang = _lang(request)
    linker = ServedLinker(here, _explicit_lang(request))
    body = await run_in_threadpool(
        site.not_found_document, lang=lang, linker=linker, here=here, iri=iri
    )
    response = Response(body, status_code=404, media_type=DocFormat.HTML.content_type)
    response.headers["Vary"] = "Accept, Accept-Language"
    response.headers["Cache-Control"] = "no-store"
    return response


def _not_acceptable(request: Request, path: str, formats: tuple[DocFormat, ...]) -> Response:
    supported = [f.media_type for f in formats]
    return error_response(
        request,
        406,
        "not_acceptable",
        f"{_url(request, path)} is available as {', '.join(supported)}",
        extra={"supported": supported},
        headers={"Link": _link_header(request, path, formats)},
    )


def _see_other(request: Request, location: str, *, vary: bool = False) -> Response:
    headers = {"Location": location, "Cache-Control": "public, max-age=86400"}
    if vary:
        headers["Vary"] = "Accept"
    return Response(status_code=303, headers=headers)


def _choose(
    request: Request, fmt: DocFormat | None, formats: tuple[DocFormat, ...]
) -> tuple[DocFormat | None, bool]:
    """The explicit format of the URL, else the negotiated one; and whether negotiated."""
    if fmt is not None:
        return (fmt if fmt in formats else None), False
    return negotiate_format(request.headers.get("accept"), formats), True


# --- routes -------------------------------------------------------------------------------
@router.api_route("/", methods=_GET)
async def home(request: Request, site: SiteDep) -> Response:
    """The home page; RDF clients are sent to the dataset's catalogue."""
    fmt = negotiate_format(request.headers.get("accept"), ALL_FORMATS)
    if fmt is None:
        return _not_acceptable(request, "catalog", ALL_FORMATS)
    if fmt.is_rdf:
        return _see_other(request, _url(request, "catalog"), vary=True)
    lang = _lang(request)
    linker = ServedLinker("", _explicit_lang(request))
    body = await run_in_threadpool(site.home_document, lang=lang, linker=linker)
    return _respond(request, site, body, fmt, path="", negotiated=True, lang=lang)


@router.api_route("/id/{rest:path}", methods=_GET)
async def dereference(request: Request, site: SiteDep, rest: str) -> Response:
    """An IRI of a thing: 303 See Other to the document about it."""
    name, fmt = split_extension(rest)
    iri = site.space.iri("id/" + name)
    if not name or not await run_in_threadpool(site.exists, iri):
        return await _not_found(request, site, here="id/" + rest, iri=iri, detail=f"{iri}")
    target = f"doc/{name}" + (f".{fmt.extension}" if fmt else "")
    return _see_other(request, _url(request, target) + _query(request, "lang", "in", "page"))


@router.api_route("/doc/{rest:path}", methods=_GET)
async def document(request: Request, site: SiteDep, rest: str) -> Response:
    """The document about one resource, in the representation asked for."""
    name, explicit = split_extension(rest)
    path = f"doc/{name}"
    fmt, negotiated = _choose(request, explicit, site.formats)
    if fmt is None:
        return _not_acceptable(request, path, site.formats)
    page = _page_number(request)
    if page is None:
        return error_response(request, 400, "bad_request", "page must be a whole number ≥ 1")
    lang = _lang(request)
    linker = ServedLinker(
        f"{path}.{explicit.extension}" if explicit else path, _explicit_lang(request)
    )
    try:
        body = await run_in_threadpool(
            site.resource_document,
            path,
            fmt,
            lang=lang,
            linker=linker,
            paged_property=site.paged_property(request.query_params.get("in")),
            page=page,
        )
    except NotFoundError as exc:
        iri = site.space.resource_of_document(path)
        return await _not_found(request, site, here=path, iri=iri, detail=str(exc))
    return _respond(
        request, site, body, fmt, path=path, negotiated=negotiated, formats=site.formats, lang=lang
    )


async def _fixed_document(
    request: Request, site: SiteDep, path: str, ext: str | None, render: str
) -> Response:
    explicit = None
    if ext is not None:
        explicit = next((f for f in site.formats if f.extension == ext), None)
        if explicit is None:
            return await _not_found(request, site, here=path, iri=None, detail=f"{path}.{ext}")
    fmt, negotiated = _choose(request, explicit, site.formats)
    if fmt is None:
        return _not_acceptable(request, path, site.formats)
    lang = _lang(request)
    here = f"{path}.{ext}" if ext else path
    linker = ServedLinker(here, _explicit_lang(request))
    body = await run_in_threadpool(getattr(site, render), fmt, lang=lang, linker=linker)
    return _respond(
        request, site, body, fmt, path=path, negotiated=negotiated, formats=site.formats, lang=lang
    )


@router.api_route("/def", methods=_GET)
async def ontology(request: Request, site: SiteDep) -> Response:
    """The vocabulary: the document every `mgi:` term (a hash IRI) is defined in."""
    return await _fixed_document(request, site, "def", None, "ontology_document")


@router.api_route("/def.{ext}", methods=_GET)
async def ontology_as(request: Request, site: SiteDep, ext: str) -> Response:
    return await _fixed_document(request, site, "def", ext, "ontology_document")


@router.api_route("/def/{version}", methods=_GET)
async def ontology_version(request: Request, site: SiteDep, version: str) -> Response:
    """The version IRI (`owl:versionIRI`) of the current vocabulary leads to it."""
    current = site.vocabulary.graph.value(
        site.vocabulary.ontology_iri, "http://www.w3.org/2002/07/owl#versionIRI"
    )
    if current is not None and current.value.rpartition("/")[2] == version:
        return _see_other(request, _url(request, "def"))
    return await _not_found(request, site, here=f"def/{version}", iri=None, detail=version)


@router.api_route("/catalog", methods=_GET)
async def catalog(request: Request, site: SiteDep) -> Response:
    """DCAT catalogue of the dataset: dumps with checksums, licence, provenance."""
    return await _fixed_document(request, site, "catalog", None, "catalog_document")


@router.api_route("/catalog.{ext}", methods=_GET)
async def catalog_as(request: Request, site: SiteDep, ext: str) -> Response:
    return await _fixed_document(request, site, "catalog", ext, "catalog_document")


@router.api_route("/dataset", methods=_GET)
async def dataset(request: Request) -> Response:
    """The dataset IRI (DCAT and VoID describe it): 303 to its catalogue."""
    return _see_other(request, _url(request, "catalog"))


@router.api_route("/graph/{name:path}", methods=_GET)
async def named_graph(request: Request, site: SiteDep, name: str) -> Response:
    """A named graph's IRI: 303 to the catalogue, which lists it as a VoID subset."""
    graph = site.space.iri(f"graph/{name}")
    if graph not in {g for g, _ in site.statistics.graphs}:
        return await _not_found(request, site, here=f"graph/{name}", iri=graph, detail=graph)
    return _see_other(request, _url(request, "catalog"))


@router.api_route(f"/{DUMPS_DIR}/{{name:path}}", methods=_GET)
async def dump(request: Request, site: SiteDep, name: str) -> Response:
    """A dump of the build, as listed (with its checksum) in the catalogue."""
    path = site.dump_file(name)
    if path is None:
        return await _not_found(
            request, site, here=f"{DUMPS_DIR}/{name}", iri=None, detail=f"no dump {name}"
        )
    media = "application/gzip" if name.endswith(".gz") else "text/plain; charset=utf-8"
    headers = {"Cache-Control": f"public, max-age={request.app.state.settings.cache_max_age}"}
    return FileResponse(path, media_type=media, headers=headers)


@router.api_route("/resource", methods=_GET)
async def lookup(request: Request, site: SiteDep) -> Response:
    """Open any IRI of the graph (pasted from a query result, a paper, a dump)."""
    value = request.query_params.get("iri", "").strip()
    lang = _lang(request)
    linker = ServedLinker("resource", _explicit_lang(request))
    if not value:
        body = await run_in_threadpool(site.lookup_document, lang=lang, linker=linker)
        return _respond(request, site, body, DocFormat.HTML, path="resource", negotiated=False)
    site_root = request.app.state.settings.public_base
    found = await run_in_threadpool(site.resolve, value, site_root=site_root)
    if found is None:
        return await _not_found(request, site, here="resource", iri=value, detail=value)
    location = _url(request, found.path) + _query(request, "lang")
    return _see_other(request, location + (f"#{found.fragment}" if found.fragment else ""))


async def listing(request: Request, site: SiteDep) -> Response:
    """Lists of profiles, institutions, instruments and places, by label."""
    name = request.url.path.rstrip("/").rpartition("/")[2]
    page = _page_number(request)
    if page is None:
        return error_response(request, 400, "bad_request", "page must be a whole number ≥ 1")
    lang = _lang(request)
    linker = ServedLinker(name, _explicit_lang(request))
    try:
        body = await run_in_threadpool(
            site.list_document, name, page=page, lang=lang, linker=linker
        )
    except NotFoundError as exc:
        return await _not_found(request, site, here=name, iri=None, detail=str(exc))
    return _respond(request, site, body, DocFormat.HTML, path=name, negotiated=False, lang=lang)


for _name in LIST_PAGES:
    router.add_api_route(f"/{_name}", listing, methods=_GET, name=f"list_{_name}")


@router.api_route("/static/{name}", methods=_GET)
async def static(name: str) -> Response:
    """The site's stylesheet (no CDN, nothing else)."""
    path = STATIC / name
    if "/" in name or not path.is_file():
        return Response("not found\n", status_code=404, media_type="text/plain")
    return FileResponse(
        path, media_type="text/css", headers={"Cache-Control": "public, max-age=3600"}
    )
