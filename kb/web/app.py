"""`create_app(settings)`: the FastAPI application, and `run(settings)` for `kb serve`."""

from __future__ import annotations

import logging
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware

from kb.endpoint.routes import router
from kb.endpoint.service import EXPOSED_HEADERS, SparqlService
from kb.errors import KbError
from kb.explorer import router as explorer_router
from kb.explorer.runner import QueryRunner
from kb.http.errors import http_error_handler, kb_error_handler, validation_error_handler
from kb.http.hygiene import HttpHygieneMiddleware
from kb.http.metrics import Metrics
from kb.http.middleware import PrefixMiddleware, RequestLogMiddleware
from kb.linkeddata.routes import router as linked_data_router
from kb.linkeddata.site import Site
from kb.settings import Settings
from kb.web.connections import protocol_with_head_deadline
from kb.web.docs import router as docs_router


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    metrics = Metrics()
    # One watcher of the published build: the linked-data site follows the endpoint's
    # generations, and the explorer asks the same workers.
    service = SparqlService(
        settings, metrics, companions={"site": lambda v: Site.for_version(settings, v.build_dir)}
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await service.start()
        try:
            yield
        finally:
            await service.close()

    app = FastAPI(
        title="MGI Knowledge Graph SPARQL endpoint",
        description="Read-only SPARQL 1.1 endpoint over the MGI knowledge graph.",
        root_path=settings.root_path,
        lifespan=lifespan,
        openapi_url="/openapi.json",
        docs_url=None,  # kb.web.docs serves them with vendored libraries
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.service = service
    app.state.explorer_runner = QueryRunner(service)
    app.state.metrics = metrics
    app.include_router(router)
    app.include_router(linked_data_router)  # /, /id/…, /doc/…, /def, /catalog, /dumps/…
    app.include_router(explorer_router)  # /explore/…, /api/…
    app.include_router(docs_router)  # /docs, /redoc
    app.add_exception_handler(KbError, kb_error_handler)
    app.add_exception_handler(StarletteHTTPException, http_error_handler)
    app.add_exception_handler(RequestValidationError, validation_error_handler)
    # Added innermost first: gzip sits next to the routes, the request log outermost.
    app.add_middleware(GZipMiddleware, minimum_size=settings.gzip_min_bytes)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_credentials=False,
        allow_methods=["GET", "HEAD", "POST", "OPTIONS"],
        allow_headers=[
            "Accept",
            "Content-Type",
            "If-None-Match",
            "If-Modified-Since",
            "X-Request-ID",
        ],
        expose_headers=EXPOSED_HEADERS,
        max_age=86_400,
    )
    # Outside CORS, so a preflight still reaches it; inside the log, which sees every answer.
    app.add_middleware(HttpHygieneMiddleware, root_path=settings.root_path)
    app.add_middleware(RequestLogMiddleware, metrics=metrics, log=settings.access_log)
    if settings.root_path:
        app.add_middleware(PrefixMiddleware, root_path=settings.root_path)
    return app


def run(settings: Settings) -> None:
    """Serve until interrupted (uvicorn, one event loop, `settings.workers` query processes)."""
    import uvicorn

    logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="%(name)s %(message)s")
    config = uvicorn.Config(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        root_path=settings.root_path,
        proxy_headers=True,
        forwarded_allow_ips=settings.forwarded_allow_ips,
        access_log=False,  # kb.endpoint.access logs every request, with its request id
        server_header=False,
        # Long GET queries must reach the 414 check instead of failing in the HTTP
        # parser: h11 takes a size limit, httptools answers 400 on its own. The
        # h11 protocol is extended with a deadline for each request's head.
        http=protocol_with_head_deadline(settings.header_timeout),
        h11_max_incomplete_event_size=3 * settings.max_query_length + 16_384,
        timeout_graceful_shutdown=5,
    )
    uvicorn.Server(config).run()
