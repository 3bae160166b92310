"""The SPARQL service: from a protocol request to a running query and its response.

`SparqlService` owns the worker pool and what is known about the dataset
version it serves; routes call `answer_query` and `describe`, which return
ready responses. `QueryResponse` is the ASGI response that runs the query:
it borrows a worker, relays its bytes, and stops the worker when the
deadline passes or the client disconnects.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from kb.errors import KbError, NotAcceptableError, QueryTimeoutError
from kb.iris import PREFIXES
from kb.serve import describe
from kb.serve.caching import entity_tag, not_modified, validators
from kb.serve.examples import Example, load_examples
from kb.serve.metrics import Metrics
from kb.serve.negotiation import (
    DESCRIPTION_OFFERS,
    OFFERS,
    MediaType,
    ResultKind,
    by_format_parameter,
    choose,
    negotiate,
)
from kb.serve.pool import ClientGoneError, Execution, Job, WorkerCommand, WorkerPool
from kb.serve.protocol import QueryRequest
from kb.serve.safety import check_endpoints_public, check_shape
from kb.settings import Settings
from kb.sparql_text import QueryForm, analyse
from kb.store import StoreLayout

log = logging.getLogger("kb.serve")

KIND_OF_FORM = {
    QueryForm.SELECT: ResultKind.SOLUTIONS,
    QueryForm.ASK: ResultKind.BOOLEAN,
    QueryForm.CONSTRUCT: ResultKind.GRAPH,
    QueryForm.DESCRIBE: ResultKind.GRAPH,
}
EXPOSED_HEADERS = [
    "ETag",
    "Last-Modified",
    "X-Request-ID",
    "X-Result-Truncated",
    "MGI-Row-Cap",
    "MGI-Rows",
    "MGI-Timeout",
    "MGI-Query-Time",
    "MGI-Dataset-Version",
]


@dataclass(frozen=True, slots=True)
class DatasetVersion:
    """The published build a server answers from, resolved once at start."""

    build_dir: Path
    worker_path: Path
    modified: datetime

    @property
    def version(self) -> str:
        return self.build_dir.name

    @classmethod
    def current(cls, settings: Settings) -> DatasetVersion:
        layout = StoreLayout(settings.store)
        build = layout.current_build()
        dataset = layout.current_dataset_path()
        path = dataset if settings.store_mode == "memory" else layout.current_store_path()
        modified = datetime.fromtimestamp(dataset.stat().st_mtime, tz=UTC)
        return cls(build, path, modified)


class SparqlService:
    def __init__(self, settings: Settings, metrics: Metrics) -> None:
        self.settings = settings
        self.metrics = metrics
        self.dataset: DatasetVersion | None = None
        self.pool: WorkerPool | None = None
        self.stats: describe.DatasetStatistics | None = None
        self.examples: list[Example] = []

    # --- life cycle -------------------------------------------------------------------
    async def start(self) -> None:
        self.dataset = DatasetVersion.current(self.settings)
        command = WorkerCommand(self.settings.store_mode, self.dataset.worker_path, PREFIXES)
        self.pool = WorkerPool(command, self.settings.workers)
        await self.pool.start()
        self.examples = load_examples(self.settings.queries)
        self.stats = await self._statistics()
        self.metrics.gauges["kb_workers_idle"] = lambda: float(self.pool.idle if self.pool else 0)
        self.metrics.gauges["kb_worker_restarts_total"] = lambda: float(
            self.pool.stats["restarts"] if self.pool else 0
        )
        log.info(
            "serving dataset %s (%d triples, %d graphs) with %d %s workers",
            self.dataset.version,
            self.stats.triples,
            len(self.stats.graphs),
            self.settings.workers,
            self.settings.store_mode,
        )

    async def close(self) -> None:
        if self.pool is not None:
            await self.pool.close()

    @property
    def ready(self) -> bool:
        return self.pool is not None and self.pool.ready and self.stats is not None

    async def _select(self, query: str) -> list[dict[str, Any]]:
        """Run an internal SELECT (statistics) and return its JSON bindings."""
        assert self.pool is not None
        media = {"solutions": "application/sparql-results+json", "boolean": None, "graph": None}
        job = Job(query=query, media=media, row_cap=1 << 40, buffer=1 << 40)
        execution = await self.pool.execute(max(self.settings.query_timeout, 300.0))
        try:
            await execution.start(job)
            body = execution.body
        finally:
            execution.release()
        bindings: list[dict[str, Any]] = json.loads(body)["results"]["bindings"]
        return bindings

    async def _statistics(self) -> describe.DatasetStatistics:
        # Counted once per dataset version, when the server starts (see docs).
        assert self.dataset is not None
        queries = describe.STATISTICS_QUERIES
        stats = describe.DatasetStatistics(self.dataset.version, self.dataset.modified)
        totals = (await self._select(queries["totals"]))[0]
        stats.triples = int(totals["n"]["value"])
        stats.distinct_subjects = int(totals["subjects"]["value"])
        stats.distinct_objects = int(totals["objects"]["value"])
        stats.graphs = [
            describe.GraphCount(row["g"]["value"], int(row["n"]["value"]))
            for row in await self._select(queries["graphs"])
            if row["g"]["type"] == "uri"
        ]
        stats.quads = sum(g.triples for g in stats.graphs)
        stats.classes = [
            (row["c"]["value"], int(row["n"]["value"]))
            for row in await self._select(queries["classes"])
            if row["c"]["type"] == "uri"
        ]
        stats.properties = [
            (row["p"]["value"], int(row["n"]["value"]))
            for row in await self._select(queries["properties"])
        ]
        return stats

    # --- queries ----------------------------------------------------------------------
    async def answer_query(self, request: Request, parsed: QueryRequest) -> Response:
        assert self.dataset is not None
        settings = self.settings
        shape = analyse(parsed.query)
        endpoints = check_shape(shape, settings.service_allowlist)
        if endpoints:
            await check_endpoints_public(endpoints)
        media = self._negotiate(shape.form, request.headers.get("accept"), parsed.format)
        timeout = min(parsed.timeout or settings.query_timeout, settings.query_timeout)
        job = Job(
            query=parsed.query,
            media=media,
            row_cap=settings.row_cap,
            buffer=settings.stream_buffer_bytes,
            default_graphs=list(parsed.default_graphs) or None,
            named_graphs=list(parsed.named_graphs) or None,
            union=not (shape.has_dataset_clause or parsed.default_graphs or parsed.named_graphs),
            base_iri=str(request.url.replace(query=None)),
        )
        etag = entity_tag(
            self.dataset.version,
            parsed.query,
            json.dumps([parsed.default_graphs, parsed.named_graphs, media, settings.row_cap]),
        )
        headers = validators(etag, self.dataset.modified, settings.cache_max_age)
        headers["MGI-Row-Cap"] = str(settings.row_cap)
        headers["MGI-Timeout"] = f"{timeout:g}"
        headers["MGI-Dataset-Version"] = self.dataset.version
        if request.method in ("GET", "HEAD") and not_modified(
            request.headers, etag, self.dataset.modified
        ):
            return Response(status_code=304, headers=headers)
        form = shape.form.value if shape.form else "UNKNOWN"
        return QueryResponse(self, job, timeout=timeout, headers=headers, form=form)

    def _negotiate(
        self, form: QueryForm | None, accept: str | None, format_parameter: str | None
    ) -> dict[str, str | None]:
        kinds = [KIND_OF_FORM[form]] if form else list(ResultKind)
        media: dict[str, str | None] = {kind.value: None for kind in ResultKind}
        for kind in kinds:
            chosen = choose(kind, accept=accept, format_parameter=format_parameter)
            if chosen is None and form is not None:
                supported = [m.name for m in OFFERS[kind]]
                asked = f"format={format_parameter}" if format_parameter else f"Accept: {accept}"
                raise NotAcceptableError(
                    f"a {form.value} result cannot be given as {asked}", supported=supported
                )
            media[kind.value] = chosen.name if chosen else None
        return media

    # --- self-description -------------------------------------------------------------
    def describe(self, request: Request, what: str) -> Response:
        """Service description (`sd`), VoID (`void`) or the examples (`examples`)."""
        assert self.dataset is not None and self.stats is not None
        media = self._description_media(request)
        base = str(request.base_url)
        endpoint = base + "sparql"
        url = str(request.url.replace(query=None))
        etag = entity_tag(self.dataset.version, what, media.name, url)
        headers = validators(etag, self.dataset.modified, self.settings.cache_max_age)
        if not_modified(request.headers, etag, self.dataset.modified):
            return Response(status_code=304, headers=headers)
        dataset_iri = str(self.settings.iris.dataset)
        if what == "sd":
            triples = describe.service_description(
                url,
                self.stats,
                dataset_iri=dataset_iri,
                void_url=base + ".well-known/void",
                examples_url=base + ".well-known/sparql-examples",
                federated=bool(self.settings.service_allowlist),
            )
        elif what == "void":
            triples = describe.void_description(
                self.stats,
                dataset_iri=dataset_iri,
                endpoint=endpoint,
                uri_space=f"{self.settings.base_iri}id/",
            )
        else:
            triples = describe.examples_description(self.examples, base=url, endpoint=endpoint)
        return Response(describe.serialize(triples, media), media_type=media.name, headers=headers)

    def _description_media(self, request: Request) -> MediaType:
        format_parameter = request.query_params.get("format")
        accept = request.headers.get("accept")
        if format_parameter:
            chosen = by_format_parameter(format_parameter, DESCRIPTION_OFFERS)
        else:
            chosen = negotiate(accept, DESCRIPTION_OFFERS)
            # A browser's text/html or */* gets Turtle, the service description default.
        if chosen is None:
            raise NotAcceptableError(
                "this description is available as RDF only",
                supported=[m.name for m in DESCRIPTION_OFFERS],
            )
        return chosen


async def _watch_disconnect(receive: Receive, execution: Execution) -> None:
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            execution.client_disconnected()
            return


class QueryResponse(Response):
    """Runs the query when sent: errors before the head still reach the error table."""

    def __init__(
        self,
        service: SparqlService,
        job: Job,
        *,
        timeout: float,
        headers: dict[str, str],
        form: str,
    ) -> None:
        super().__init__(status_code=200)
        # Own header list: the base class would add a Content-Length of 0.
        self.raw_headers = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
        self.service = service
        self.job = job
        self.timeout = timeout
        self.form = form

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        pool = self.service.pool
        metrics = self.service.metrics
        assert pool is not None
        started = time.perf_counter()
        state = scope.setdefault("state", {})
        state["form"] = self.form
        outcome = "error"
        try:
            execution = await pool.execute(self.timeout)
        except KbError:
            metrics.query(self.form, "overloaded", time.perf_counter() - started)
            raise
        watcher = asyncio.get_running_loop().create_task(_watch_disconnect(receive, execution))
        try:
            try:
                head = await execution.start(self.job)
            except QueryTimeoutError:
                outcome = "timeout"
                raise
            except ClientGoneError:
                outcome = "client_gone"
                metrics.client_disconnects += 1
                state["client_gone"] = True
                return
            headers = [
                *self.raw_headers,
                (b"content-type", _content_type(head.media_type)),
                (b"mgi-query-time", f"{head.seconds:.6f}".encode()),
            ]
            if not head.streaming:
                headers += _result_headers(head.rows, head.truncated)
                headers.append((b"content-length", str(len(execution.body)).encode()))
                await send({"type": "http.response.start", "status": 200, "headers": headers})
                await send({"type": "http.response.body", "body": execution.body})
            else:
                await send({"type": "http.response.start", "status": 200, "headers": headers})
                async for chunk in execution.chunks():
                    await send({"type": "http.response.body", "body": chunk, "more_body": True})
                await send({"type": "http.response.body", "body": b""})
            outcome = "truncated" if head.truncated else "ok"
            if head.truncated:
                metrics.truncations += 1
            state.update(query_ms=round(head.seconds * 1000, 2), rows=head.rows)
            state["truncated"] = head.truncated
        except ClientGoneError:
            outcome = "client_gone"
            metrics.client_disconnects += 1
            state["client_gone"] = True
        except KbError as exc:
            if execution.head is None:
                raise  # nothing sent yet: the error table answers
            # Mid-stream: the status is gone; dropping the connection tells the client.
            outcome = "aborted"
            log.warning("query stopped mid-stream: %s", exc or type(exc).__name__)
            raise _AbortResponseError(str(exc)) from exc
        finally:
            watcher.cancel()
            execution.release()
            metrics.query(self.form, outcome, time.perf_counter() - started)


class _AbortResponseError(Exception):
    """Ends a streamed response that cannot be completed; the server drops the connection."""


def _content_type(media_type: str) -> bytes:
    if media_type.startswith("text/") or media_type.endswith(("+xml", "/trig")):
        return f"{media_type}; charset=utf-8".encode()
    return media_type.encode()


def _result_headers(rows: int, truncated: bool) -> list[tuple[bytes, bytes]]:
    headers = [(b"mgi-rows", str(rows).encode())]
    if truncated:
        headers.append((b"x-result-truncated", b"true"))
    return headers
