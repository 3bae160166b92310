"""Routes: read the request, call the service, return its response. Nothing else."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from kb.endpoint.protocol import read_query_request
from kb.endpoint.service import SparqlService
from kb.errors import RequestTooLargeError, StoreUnavailableError, UriTooLongError
from kb.http.metrics import Metrics


async def get_service(request: Request) -> SparqlService:
    # async: FastAPI would run a plain function in its thread pool, per request.
    service: SparqlService = request.app.state.service
    if not service.ready:
        raise StoreUnavailableError("the query workers are starting or restarting")
    return service


ServiceDep = Annotated[SparqlService, Depends(get_service)]

router = APIRouter()


async def _body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise RequestTooLargeError(f"the request body is over the {limit}-byte limit")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise RequestTooLargeError(f"the request body is over the {limit}-byte limit")
    return bytes(body)


@router.api_route("/sparql", methods=["GET", "HEAD", "POST"], include_in_schema=True)
@router.api_route("/sparql/", methods=["GET", "HEAD", "POST"], include_in_schema=False)
async def sparql(request: Request, service: ServiceDep) -> Response:
    """SPARQL 1.1 Protocol query operation; the service description without a query."""
    settings = service.settings
    if len(request.url.query) > 3 * settings.max_query_length:
        raise UriTooLongError("the query string is too long (POST long queries)")
    body = await _body(request, settings.max_body_bytes) if request.method == "POST" else b""
    parsed = read_query_request(
        request.method,
        request.query_params.multi_items(),
        request.headers.get("content-type"),
        body,
        max_query_length=settings.max_query_length,
        max_query_depth=settings.max_query_depth,
    )
    if parsed is None:
        return service.describe(request, "sd")
    return await service.answer_query(request, parsed)


@router.api_route("/.well-known/void", methods=["GET", "HEAD"])
async def void(request: Request, service: ServiceDep) -> Response:
    """VoID description of the dataset: size, classes and properties with counts."""
    return service.describe(request, "void")


@router.api_route("/.well-known/sparql-examples", methods=["GET", "HEAD"])
async def sparql_examples(request: Request, service: ServiceDep) -> Response:
    """The example queries as sh:SPARQLExecutable resources."""
    return service.describe(request, "examples")


@router.api_route("/health", methods=["GET", "HEAD"])
async def health() -> Response:
    """Liveness: the server process answers."""
    return PlainTextResponse("ok\n", headers={"Cache-Control": "no-store"})


@router.api_route("/ready", methods=["GET", "HEAD"])
async def ready(request: Request) -> Response:
    """Readiness: the store is open and at least one query worker is up."""
    service: SparqlService = request.app.state.service
    body = {
        "ready": service.ready,
        "dataset": service.dataset.version if service.dataset else None,
        "workers_idle": service.pool.idle if service.pool else 0,
    }
    return JSONResponse(
        body, status_code=200 if service.ready else 503, headers={"Cache-Control": "no-store"}
    )


@router.get("/metrics")
async def metrics(request: Request) -> Response:
    """Prometheus text exposition."""
    registry: Metrics = request.app.state.metrics
    return PlainTextResponse(
        registry.render(),
        media_type="text/plain; version=0.0.4; charset=utf-8",
        headers={"Cache-Control": "no-store"},
    )
