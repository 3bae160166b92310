"""`/api/…`: the explorer's data as JSON, described by the OpenAPI schema at `/docs`.

Each endpoint returns the model its page is built from (`kb.explorer.models`),
including `sparql`: the queries that produced it, to rerun or adapt. Lists are
paged with `limit` and `offset` and say their `total`. Errors use the
endpoint's body shape, `{"error": code, "detail": message}`.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute

from kb.errors import KbError, ProtocolError
from kb.explorer.models import (
    Comparison,
    FindingDetail,
    HomeStats,
    InstitutionDetail,
    InstitutionRow,
    Page,
    PlaceDetail,
    PlaceRow,
    ProfileDetail,
    SearchResults,
)
from kb.explorer.services import MAX_OFFSET, MAX_PAGE
from kb.explorer.web import ExplorerDep, request_language
from kb.http.errors import status_and_code


class JsonErrorRoute(APIRoute):
    """API errors are always JSON (`{"error", "detail"}`), whatever the client's Accept."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                return await handler(request)
            except KbError as exc:
                status, code = status_and_code(exc)
                if isinstance(exc, ProtocolError):
                    status, code = 400, "bad_request"
                return JSONResponse(
                    {"error": code, "detail": str(exc)},
                    status_code=status,
                    headers={"Cache-Control": "no-store"},
                )

        return route


router = APIRouter(prefix="/api", tags=["explorer API"], route_class=JsonErrorRoute)

Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description="items per page")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="items to skip")]
Lang = Annotated[
    str | None,
    Query(description="language of vocabulary labels (en, es, fr, pt); else Accept-Language"),
]


class PagedInstitutions(Page[InstitutionRow]):
    sparql: dict[str, str]


class PagedPlaces(Page[PlaceRow]):
    sparql: dict[str, str]


class Summary(HomeStats):
    sparql: dict[str, str]


def _lang(request: Request) -> str:
    return request_language(request)[0]


@router.get("", response_model=Summary)
async def summary(request: Request, explorer: ExplorerDep) -> Summary:
    """What the graph holds: counts of profiles, places, institutions, findings, instruments."""
    stats, query = await explorer.home(request.app.state.service)
    return Summary(**stats.model_dump(), sparql={"counts": query})


@router.get("/institutions", response_model=PagedInstitutions)
async def institutions(
    request: Request,
    explorer: ExplorerDep,
    lang: Lang = None,
    type: Annotated[
        str | None, Query(description="institution type code, e.g. oversight-body")
    ] = None,
    place: Annotated[
        str | None, Query(description="place id: only findings of its profiles")
    ] = None,
    domain: Annotated[str | None, Query(description="domain code 1-6: only its findings")] = None,
    sort: Annotated[
        str, Query(description="name, type, jurisdiction, findings, profiles or domains")
    ] = "findings",
    order: Annotated[str, Query(pattern="^(asc|desc)$")] = "desc",
    limit: Limit = 50,
    offset: Offset = 0,
) -> PagedInstitutions:
    """Institutions with type, jurisdiction and their numbers of findings, profiles and domains.

    With `place` or `domain`, only institutions mentioned there, counted there.
    """
    page, texts = await explorer.institutions(
        lang=_lang(request),
        type_code=type,
        place=place,
        domain_code=domain,
        sort=sort,
        descending=order == "desc",
        limit=limit,
        offset=offset,
    )
    return PagedInstitutions(**page.model_dump(), sparql=texts)


@router.get("/institutions/{ident}", response_model=InstitutionDetail)
async def institution(
    request: Request,
    explorer: ExplorerDep,
    ident: str,
    lang: Lang = None,
    domain: Annotated[str | None, Query(description="only findings of this domain (1-6)")] = None,
    assessment: Annotated[
        str | None, Query(description="only well-developed or potential findings")
    ] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> InstitutionDetail:
    """One institution: labels, type, parents, children, jurisdiction; its findings (paged,
    with the offsets of its mentions), domain x assessment counts, policy instruments and the
    institutions it is mentioned with."""
    return await explorer.institution(
        ident,
        lang=_lang(request),
        domain_code=domain,
        assessment_code=assessment,
        limit=limit,
        offset=offset,
    )


@router.get("/places", response_model=PagedPlaces)
async def places(
    explorer: ExplorerDep,
    sort: Annotated[str, Query(description="name, country, profiles or findings")] = "name",
    order: Annotated[str, Query(pattern="^(asc|desc)$")] = "asc",
    limit: Limit = 50,
    offset: Offset = 0,
) -> PagedPlaces:
    """Assessed places with their country, coordinates, profiles and findings."""
    page, texts = await explorer.places(
        sort=sort, descending=order == "desc", limit=limit, offset=offset
    )
    return PagedPlaces(**page.model_dump(), sparql=texts)


@router.get("/places/{ident}", response_model=PlaceDetail)
async def place(
    request: Request, explorer: ExplorerDep, ident: str, lang: Lang = None
) -> PlaceDetail:
    """One place: names, kind, coordinates, where it lies, and its profiles."""
    return await explorer.place(ident, lang=_lang(request))


@router.get("/profiles/{ident}", response_model=ProfileDetail)
async def profile(
    request: Request, explorer: ExplorerDep, ident: str, lang: Lang = None
) -> ProfileDetail:
    """One profile: metadata, every finding with its mentions, domain x assessment counts and
    the institutions most involved."""
    return await explorer.profile(ident, lang=_lang(request))


@router.get("/findings/{profile_id}/{n}", response_model=FindingDetail)
async def finding(
    request: Request, explorer: ExplorerDep, profile_id: str, n: str, lang: Lang = None
) -> FindingDetail:
    """One finding with what it names and where."""
    return await explorer.finding(f"{profile_id}/{n}", lang=_lang(request))


@router.get("/compare", response_model=Comparison)
async def compare(
    request: Request,
    explorer: ExplorerDep,
    place: Annotated[list[str], Query(description="place ids, repeated (2 to 8)")],
    lang: Lang = None,
) -> Comparison:
    """Findings per domain and assessment of several places, one column per profile."""
    return await explorer.compare(place, lang=_lang(request))


@router.get("/search", response_model=SearchResults)
async def search(
    request: Request,
    explorer: ExplorerDep,
    q: Annotated[str, Query(min_length=1, max_length=200, description="words to look for")],
    lang: Lang = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> SearchResults:
    """Institutions (names, acronyms), places and finding texts matching `q`, ignoring case
    and accents. Findings are paged; institutions and places give the first 20 matches."""
    return await explorer.search(q, lang=_lang(request), limit=limit, offset=offset)
