"""Explorer pages under `/explore`: read the request, call `Explorer`, render a template.

A query that fails (deadline, overload, unknown id) becomes an HTML page with
the status and the real cause, not the endpoint's JSON error.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from kb.errors import KbError
from kb.explorer import queries
from kb.explorer.models import Page
from kb.explorer.services import MAX_OFFSET
from kb.explorer.web import STATIC, ExplorerDep, page_params, render, render_error, request_language
from kb.namespaces import PREFIXES

# Pages of the shortest page size that reach the deepest offset allowed.
MAX_PAGE_NUMBER = MAX_OFFSET // 25
PageNumber = Annotated[int, Query(ge=1, le=MAX_PAGE_NUMBER)]

router = APIRouter(include_in_schema=False)

Render = Callable[[], Awaitable[Response]]


async def _page(request: Request, produce: Render) -> Response:
    try:
        return await produce()
    except KbError as exc:
        return render_error(request, exc)


def _window(page: Page[Any]) -> dict[str, int]:
    first = page.offset + 1 if page.items else 0
    return {"first": first, "last": page.offset + len(page.items), "total": page.total}


@router.get("/explore")
async def home(request: Request, explorer: ExplorerDep) -> Response:
    async def produce() -> Response:
        stats, query = await explorer.home(request.app.state.service)
        return render(request, "home.html", stats=stats, sparql={"counts": query})

    return await _page(request, produce)


@router.get("/explore/search")
async def search(
    request: Request,
    explorer: ExplorerDep,
    q: str = "",
    page: PageNumber = 1,
) -> Response:
    lang, _ = request_language(request)

    async def produce() -> Response:
        if not q.strip():
            return render(request, "search.html", q="", results=None, window=None)
        limit, offset = page_params(page, 25)
        results = await explorer.search(q, lang=lang, limit=limit, offset=offset)
        return render(
            request, "search.html", q=q, results=results, window=_window(results.findings)
        )

    return await _page(request, produce)


@router.get("/explore/institutions")
async def institutions(
    request: Request,
    explorer: ExplorerDep,
    type: str | None = None,
    place: str | None = None,
    domain: str | None = None,
    sort: str = "findings",
    order: str | None = None,
    page: PageNumber = 1,
) -> Response:
    lang, _ = request_language(request)

    async def produce() -> Response:
        descending = (
            order or ("asc" if sort in ("name", "type", "jurisdiction") else "desc")
        ) == "desc"
        limit, offset = page_params(page)
        result, texts = await explorer.institutions(
            lang=lang,
            type_code=type or None,
            place=place or None,
            domain_code=domain or None,
            sort=sort,
            descending=descending,
            limit=limit,
            offset=offset,
        )
        vocab = await explorer.vocabulary()
        place_detail = await explorer.place(place, lang=lang) if place else None
        return render(
            request,
            "institutions.html",
            page=result,
            window=_window(result),
            sparql=texts,
            types=vocab.scheme("institution_types", lang),
            domains=vocab.scheme("domains", lang),
            chosen={"type": type or "", "place": place or "", "domain": domain or ""},
            place_detail=place_detail,
            sort=sort,
            descending=descending,
        )

    return await _page(request, produce)


@router.get("/explore/institutions/{ident}")
async def institution(
    request: Request,
    explorer: ExplorerDep,
    ident: str,
    domain: str | None = None,
    assessment: str | None = None,
    page: PageNumber = 1,
) -> Response:
    lang, _ = request_language(request)

    async def produce() -> Response:
        limit, offset = page_params(page, 25)
        detail = await explorer.institution(
            ident,
            lang=lang,
            domain_code=domain or None,
            assessment_code=assessment or None,
            limit=limit,
            offset=offset,
        )
        vocab = await explorer.vocabulary()
        return render(
            request,
            "institution.html",
            d=detail,
            window=_window(detail.findings),
            domains=vocab.scheme("domains", lang),
            assessments=vocab.scheme("assessments", lang),
            chosen={"domain": domain or "", "assessment": assessment or ""},
        )

    return await _page(request, produce)


@router.get("/explore/places")
async def places(
    request: Request,
    explorer: ExplorerDep,
    sort: str = "name",
    order: str | None = None,
    page: PageNumber = 1,
) -> Response:
    async def produce() -> Response:
        descending = (order or ("asc" if sort in ("name", "country") else "desc")) == "desc"
        limit, offset = page_params(page)
        result, texts = await explorer.places(
            sort=sort, descending=descending, limit=limit, offset=offset
        )
        return render(
            request,
            "places.html",
            page=result,
            window=_window(result),
            sparql=texts,
            sort=sort,
            descending=descending,
        )

    return await _page(request, produce)


@router.get("/explore/places/{ident}")
async def place(request: Request, explorer: ExplorerDep, ident: str) -> Response:
    lang, _ = request_language(request)

    async def produce() -> Response:
        detail = await explorer.place(ident, lang=lang)
        return render(request, "place.html", d=detail)

    return await _page(request, produce)


@router.get("/explore/profiles/{ident}")
async def profile(request: Request, explorer: ExplorerDep, ident: str) -> Response:
    lang, _ = request_language(request)

    async def produce() -> Response:
        detail = await explorer.profile(ident, lang=lang)
        vocab = await explorer.vocabulary()
        return render(
            request,
            "profile.html",
            d=detail,
            domains=vocab.scheme("domains", lang),
            assessments=vocab.scheme("assessments", lang),
        )

    return await _page(request, produce)


@router.get("/explore/findings/{profile_id}/{n}")
async def finding(request: Request, explorer: ExplorerDep, profile_id: str, n: str) -> Response:
    lang, _ = request_language(request)

    async def produce() -> Response:
        detail = await explorer.finding(f"{profile_id}/{n}", lang=lang)
        return render(request, "finding.html", d=detail)

    return await _page(request, produce)


@router.get("/explore/compare")
async def compare(
    request: Request,
    explorer: ExplorerDep,
    place: Annotated[list[str] | None, Query()] = None,
) -> Response:
    lang, _ = request_language(request)

    async def produce() -> Response:
        chosen = [p for p in (place or []) if p]
        comparison = await explorer.compare(chosen, lang=lang) if chosen else None
        # The picker lists a page of places; more are reached through the places index.
        candidates, _ = await explorer.places(limit=200)
        return render(
            request,
            "compare.html",
            comparison=comparison,
            chosen=chosen,
            candidates=candidates,
        )

    return await _page(request, produce)


@router.get("/explore/workbench")
async def workbench(request: Request, explorer: ExplorerDep) -> Response:
    service = request.app.state.service

    async def produce() -> Response:
        terms = await explorer.runner.select(queries.ONTOLOGY_TERMS.bind())
        classes = {r["term"].value for r in terms.rows if r["kind"].value == "class"}
        properties = {r["term"].value for r in terms.rows if r["kind"].value == "property"}
        stats = getattr(service, "stats", None)
        if stats is not None:  # classes and properties the data uses, counted at start
            classes |= {iri for iri, _ in stats.classes}
            properties |= {iri for iri, _ in stats.properties}
        config = {
            "endpoint": request.app.state.settings.public_base + "sparql",
            "examples": [
                {
                    "name": e.name,
                    "title": e.title,
                    "description": e.description,
                    "tags": list(e.tags),
                    "query": e.query,
                }
                for e in getattr(service, "examples", [])
            ],
            "prefixes": PREFIXES,
            "classes": sorted(classes),
            "properties": sorted(properties),
            "rowCap": service.settings.row_cap,
            "timeout": service.settings.query_timeout,
        }
        return render(request, "workbench.html", config=config)

    return await _page(request, produce)


@router.get("/explore/")
async def home_slash(request: Request) -> Response:
    # A relative Location: nothing taken from the Host header goes back out.
    query = f"?{request.url.query}" if request.url.query else ""
    return RedirectResponse(request.url.path.rstrip("/") + query, 308)


@router.get("/explore/static/{name:path}")
async def static(name: str) -> Response:
    """The explorer's CSS, JS and vendored libraries (never from a CDN)."""
    try:
        path = (STATIC / name).resolve()
        found = path.is_relative_to(STATIC.resolve()) and path.is_file()
    except (OSError, ValueError):  # a NUL or an over-long name names no file
        found = False
    if not found:
        return HTMLResponse("not found", status_code=404)
    media = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return FileResponse(path, media_type=media, headers={"Cache-Control": "public, max-age=3600"})
