"""The SPARQL service: from a protocol request to a running query and its response.

`SparqlService` owns the worker pool and what is known about the dataset
version it serves; routes call `answer_query` and `describe`, which return
ready responses. `QueryResponse` is the ASGI response that runs the query:
it borrows a worker, relays its bytes, and stops the worker when the
deadline passes or the client disconnects.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import time
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from kb.endpoint import describe
from kb.endpoint.examples import Example, load_examples
from kb.endpoint.fairness import ClientShares
from kb.endpoint.pool import (
    ClientGoneError,
    Execution,
    Job,
    WorkerCommand,
    WorkerPool,
    engine_stack_bytes,
)
from kb.endpoint.protocol import QueryRequest
from kb.endpoint.safety import check_endpoints_public, check_shape
from kb.errors import KbError, NotAcceptableError, QueryTimeoutError
from kb.http.caching import (
    CachedResult,
    ResultCache,
    StreamKeeper,
    entity_tag,
    not_modified,
    validators,
)
from kb.http.metrics import Metrics
from kb.http.negotiation import (
    DESCRIPTION_OFFERS,
    OFFERS,
    MediaType,
    ResultKind,
    by_format_parameter,
    choose,
    negotiate,
)
from kb.namespaces import PREFIXES
from kb.publication.counts import COUNTING_QUERIES, DatasetStatistics, statistics_from
from kb.settings import Settings
from kb.sparql.text import QueryForm, analyse
from kb.store import StoreLayout
from kb.store.layout import CURRENT, DATASET_FILE, STATISTICS_FILE, STATISTICS_NQ, STORE_DIR
from kb.store.sparql import open_remote

log = logging.getLogger("kb.endpoint")

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
    "MGI-Cache",
]


@dataclass(frozen=True, slots=True)
class DatasetVersion:
    """One published build a server answers from."""

    build_dir: Path | None
    """The embedded store's build directory; None for an external store."""
    worker_path: Path | str
    modified: datetime
    link: str = ""
    """What the `current` link (or the external store's build graph) said: the change check."""
    extra: tuple[Path, ...] = ()
    """Side files memory workers load too (the build-time statistics graph)."""
    mode: str = "memory"
    """How workers hold this version: `memory`, `disk` or `remote`."""

    @property
    def version(self) -> str:
        return self.build_dir.name if self.build_dir is not None else self.link

    @classmethod
    def current(cls, settings: Settings) -> DatasetVersion:
        if settings.sparql_endpoint:
            return cls.remote(settings)
        layout = StoreLayout(settings.store)
        link = current_link(settings)
        build = layout.current_build()
        dataset = build / DATASET_FILE
        side_files = tuple(p for p in (build / STATISTICS_NQ,) if p.is_file())
        mode = store_mode_for(settings, (dataset, *side_files))
        memory = mode == "memory"
        path = dataset if memory else build / STORE_DIR
        modified = datetime.fromtimestamp(dataset.stat().st_mtime, tz=UTC)
        return cls(build, path, modified, link, side_files if memory else (), mode)

    @classmethod
    def remote(cls, settings: Settings) -> DatasetVersion:
        """The external store: its version is the build `kb build` loaded last."""
        with open_remote(settings) as store:
            loaded = store.loaded_build(settings.base_iri)
        build, when = loaded or ("unversioned", "1970-01-01T00:00:00+00:00")
        modified = datetime.fromisoformat(when.replace("Z", "+00:00"))
        if modified.tzinfo is None:
            modified = modified.replace(tzinfo=UTC)
        assert settings.sparql_endpoint is not None
        return cls(None, settings.sparql_endpoint, modified, build, mode="remote")


# Measured at 1,000 profiles: a process that bulk-loaded 277 MB of N-Quads into
# pyoxigraph's memory store peaked at 649 MB resident (2.3 times); rounded up.
MEMORY_PER_NQUADS_BYTE = 3


def store_mode_for(settings: Settings, nquads_files: Sequence[Path]) -> str:
    """`memory` or `disk` for a build whose workers would load `nquads_files`."""
    if settings.store_mode != "auto":
        return settings.store_mode
    size = sum(path.stat().st_size for path in nquads_files)
    # Two generations live while a rebuild is switched in.
    needed = size * MEMORY_PER_NQUADS_BYTE * settings.workers * 2
    return "memory" if needed <= physical_memory() // 2 else "disk"


def physical_memory() -> int:
    """The machine's memory, or the container's limit (cgroup v2) when lower."""
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    try:
        limit = Path("/sys/fs/cgroup/memory.max").read_text(encoding="ascii").strip()
    except OSError:
        return total
    return min(total, int(limit)) if limit.isdigit() else total


def current_link(settings: Settings) -> str:
    """The target of the `current` link: one readlink, cheap enough to poll.

    For an external store, the build id in its build graph (one small query).
    """
    if settings.sparql_endpoint:
        try:
            with open_remote(settings) as store:
                loaded = store.loaded_build(settings.base_iri)
        except KbError:
            return ""
        return loaded[0] if loaded else ""
    try:
        return os.readlink(StoreLayout(settings.store).root / CURRENT)
    except OSError:
        return ""


@dataclass(frozen=True, slots=True)
class Generation:
    """A dataset version with the workers that answer from it and its statistics.

    A request takes the current generation once and uses it to the end, so
    its ETag, its answer and its worker all belong to the same version.
    """

    dataset: DatasetVersion
    pool: WorkerPool
    stats: DatasetStatistics
    companions: dict[str, Any] = field(default_factory=dict)
    """What the layers above open for this version (the linked-data site), by name."""


Companion = Callable[[DatasetVersion], Any]
"""Opens, in a thread, what a layer above needs of one dataset version."""


class SparqlService:
    """The one watcher of the published build: each version becomes a `Generation`
    (workers, statistics and every registered companion), switched in whole."""

    def __init__(
        self,
        settings: Settings,
        metrics: Metrics,
        companions: dict[str, Companion] | None = None,
    ) -> None:
        self.settings = settings
        self.companion_openers = dict(companions or {})
        self.metrics = metrics
        self.generation: Generation | None = None
        self.examples: list[Example] = []
        self.cache = ResultCache(settings.result_cache_bytes)
        share = settings.client_concurrency or max(1, settings.workers - 1)
        self.shares = ClientShares(share, settings.client_queue)
        self.switches = 0
        self.earlier_restarts = 0
        self._watcher: asyncio.Task[None] | None = None
        self._retiring: set[asyncio.Task[None]] = set()
        self._failed_link = ""

    @property
    def dataset(self) -> DatasetVersion | None:
        return self.generation.dataset if self.generation else None

    @property
    def pool(self) -> WorkerPool | None:
        return self.generation.pool if self.generation else None

    @property
    def stats(self) -> DatasetStatistics | None:
        return self.generation.stats if self.generation else None

    # --- life cycle -------------------------------------------------------------------
    async def start(self) -> None:
        self.examples = load_examples(self.settings.queries)
        dataset = await asyncio.to_thread(DatasetVersion.current, self.settings)
        self.generation = await self._open_generation(dataset)
        self.metrics.gauges["kb_workers_idle"] = lambda: float(self.pool.idle if self.pool else 0)
        # A counter: restarts of the pools of earlier builds are kept, not reset.
        self.metrics.gauges["kb_worker_restarts_total"] = lambda: float(
            self.earlier_restarts + (self.pool.stats["restarts"] if self.pool else 0)
        )
        self.metrics.gauges["kb_dataset_switches_total"] = lambda: float(self.switches)
        self.metrics.gauges["kb_client_share_refusals_total"] = lambda: float(self.shares.refused)
        self.metrics.gauges["kb_result_cache_bytes"] = lambda: float(self.cache.size)
        self.metrics.gauges["kb_result_cache_hits_total"] = lambda: float(self.cache.hits)
        if self.settings.reload_interval > 0:
            self._watcher = asyncio.get_running_loop().create_task(self._watch_current())

    async def _open_generation(self, dataset: DatasetVersion) -> Generation:
        command = WorkerCommand(
            dataset.mode,
            dataset.worker_path,
            PREFIXES,
            extra=dataset.extra,
            timeout=self.settings.query_timeout,
            store_auth=self.settings.store_auth,
            network=bool(self.settings.service_allowlist),
            stack_bytes=engine_stack_bytes(self.settings.max_query_length),
            memory_bytes=self.settings.query_memory_bytes,
        )
        pool = WorkerPool(command, self.settings.workers)
        try:
            await pool.start()
            stats = await self._statistics(dataset, pool)
            companions = {
                name: await asyncio.to_thread(opener, dataset)
                for name, opener in self.companion_openers.items()
            }
        except BaseException:
            await pool.close()
            raise
        log.info(
            "serving dataset %s (%d triples, %d graphs) with %d %s workers",
            dataset.version,
            stats.triples,
            len(stats.graphs),
            self.settings.workers,
            dataset.mode,
        )
        return Generation(dataset, pool, stats, companions)

    async def _watch_current(self) -> None:
        """Follow `kb build`: a new `current` link brings a new worker generation."""
        while True:
            await asyncio.sleep(self.settings.reload_interval)
            if self.settings.sparql_endpoint:
                link = await asyncio.to_thread(current_link, self.settings)
            else:
                link = current_link(self.settings)  # a readlink: no need for a thread
            old = self.generation
            if old is None or not link or link in (old.dataset.link, self._failed_link):
                continue
            try:
                dataset = await asyncio.to_thread(DatasetVersion.current, self.settings)
                await self.switch(dataset)
            except KbError as exc:
                # Keep serving the old version; try again when the link moves on.
                self._failed_link = link
                log.error("cannot switch to the build at %s: %s", link, exc)

    async def switch(self, dataset: DatasetVersion) -> None:
        """Load `dataset` in new workers beside the old ones, then swap; never a gap.

        Old workers finish the queries they hold and are then stopped. While both
        generations live, memory workers hold two copies of the data.
        """
        new = await self._open_generation(dataset)
        old, self.generation = self.generation, new
        self.switches += 1
        if old is not None:
            self.earlier_restarts += old.pool.stats["restarts"]
        self.cache.clear()  # entries are keyed by version: the old ones can never hit
        if old is not None:
            grace = self.settings.query_timeout + 5.0
            task = asyncio.get_running_loop().create_task(old.pool.retire(grace))
            self._retiring.add(task)
            task.add_done_callback(self._retiring.discard)
            log.info("switched from dataset %s to %s", old.dataset.version, dataset.version)

    async def close(self) -> None:
        if self._watcher is not None:
            self._watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watcher
        if self.generation is not None:
            await self.generation.pool.close()
        for task in list(self._retiring):
            task.cancel()
        await asyncio.gather(*self._retiring, return_exceptions=True)

    @property
    def ready(self) -> bool:
        return self.generation is not None and self.generation.pool.ready

    async def _select(self, pool: WorkerPool, query: str) -> list[dict[str, Any]]:
        """Run an internal SELECT (statistics) and return its JSON bindings."""
        media = {"solutions": "application/sparql-results+json", "boolean": None, "graph": None}
        job = Job(query=query, media=media, row_cap=1 << 40, buffer=1 << 40)
        execution = await pool.execute(max(self.settings.query_timeout, 300.0))
        try:
            await execution.start(job)
            body = execution.body
        finally:
            execution.release()
        bindings: list[dict[str, Any]] = json.loads(body)["results"]["bindings"]
        return bindings

    async def _statistics(self, dataset: DatasetVersion, pool: WorkerPool) -> DatasetStatistics:
        # Counted by `kb build` (statistics.json); counted here only for builds without it.
        build = dataset.build_dir
        if build is not None and (build / STATISTICS_FILE).is_file():
            return DatasetStatistics.load(build / STATISTICS_FILE)
        answers = {
            name: await self._select(pool, query) for name, query in COUNTING_QUERIES.items()
        }
        return statistics_from(answers)

    # --- queries ----------------------------------------------------------------------
    async def answer_query(self, request: Request, parsed: QueryRequest) -> Response:
        generation = self.generation  # one version for the whole request
        assert generation is not None
        dataset = generation.dataset
        settings = self.settings
        shape = analyse(parsed.query)
        endpoints = check_shape(shape, settings.service_allowlist)
        if endpoints and not settings.service_private_hosts:
            await check_endpoints_public(endpoints)
        media = self._negotiate(shape.form, request.headers.get("accept"), parsed.format)
        timeout = min(parsed.timeout or settings.query_timeout, settings.query_timeout)
        base_iri = settings.public_url_of(request.url.path)
        job = Job(
            query=parsed.query,
            media=media,
            row_cap=settings.row_cap,
            buffer=settings.stream_buffer_bytes,
            answer_cap=settings.max_answer_bytes,
            default_graphs=list(parsed.default_graphs) or None,
            named_graphs=list(parsed.named_graphs) or None,
            union=not (shape.has_dataset_clause or parsed.default_graphs or parsed.named_graphs),
            base_iri=base_iri,
        )
        etag = entity_tag(
            dataset.version,
            parsed.query,
            json.dumps([parsed.default_graphs, parsed.named_graphs, media, settings.row_cap]),
        )
        headers = validators(etag, dataset.modified, settings.cache_max_age)
        headers["MGI-Row-Cap"] = str(settings.row_cap)
        headers["MGI-Timeout"] = f"{timeout:g}"
        headers["MGI-Dataset-Version"] = dataset.version
        if request.method in ("GET", "HEAD") and not_modified(
            request.headers, etag, dataset.modified
        ):
            return Response(status_code=304, headers=headers)
        form = shape.form.value if shape.form else "UNKNOWN"
        # The ETag names version, query, graphs, formats and row cap; relative IRIs
        # in the query resolve against the endpoint URL, so that is part of the key too.
        key = (etag, base_iri)
        cached = self.cache.get(key) if self.cache.capacity else None
        if cached is not None:
            self.metrics.query(form, "cached", 0.0)
            return _cached_response(cached, headers)
        return QueryResponse(
            self, generation, job, timeout=timeout, headers=headers, form=form, cache_key=key
        )

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
        generation = self.generation
        assert generation is not None
        dataset, stats = generation.dataset, generation.stats
        media = self._description_media(request)
        base = self.settings.public_base
        endpoint = base + "sparql"
        url = self.settings.public_url_of(request.url.path)
        etag = entity_tag(dataset.version, what, media.name, url)
        headers = validators(etag, dataset.modified, self.settings.cache_max_age)
        if not_modified(request.headers, etag, dataset.modified):
            return Response(status_code=304, headers=headers)
        dataset_iri = str(self.settings.iris.dataset)
        if what == "sd":
            triples = describe.service_description(
                url,
                stats,
                dataset_iri=dataset_iri,
                void_url=base + ".well-known/void",
                examples_url=base + ".well-known/sparql-examples",
                federated=bool(self.settings.service_allowlist),
            )
        elif what == "void":
            triples = describe.void_description(
                stats,
                version=dataset.version,
                modified=dataset.modified,
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
        generation: Generation,
        job: Job,
        *,
        timeout: float,
        headers: dict[str, str],
        form: str,
        cache_key: Hashable = None,
    ) -> None:
        super().__init__(status_code=200)
        # Own header list: the base class would add a Content-Length of 0.
        self.raw_headers = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
        self.service = service
        self.generation = generation
        self.job = job
        self.timeout = timeout
        self.form = form
        self.cache_key = cache_key

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        pool = self.generation.pool  # the version this request's ETag names
        metrics = self.service.metrics
        started = time.perf_counter()
        state = scope.setdefault("state", {})
        state["form"] = self.form
        client = scope["client"][0] if scope.get("client") else ""
        shares = self.service.shares
        try:
            await shares.take(client, self.timeout)
        except KbError:
            metrics.query(self.form, "refused", time.perf_counter() - started)
            raise
        try:
            await self._run(pool, scope, receive, send, started, state)
        finally:
            shares.give_back(client)

    async def _run(
        self,
        pool: WorkerPool,
        scope: Scope,
        receive: Receive,
        send: Send,
        started: float,
        state: dict[str, Any],
    ) -> None:
        metrics = self.service.metrics
        outcome = "error"
        try:
            # the deadline counts from arrival: a wait for the client's share is spent
            execution = await pool.execute(self.timeout, spent=time.perf_counter() - started)
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
                headers.append((b"mgi-cache", b"miss"))
                if self.cache_key is not None and self.service.cache.capacity:
                    entry = CachedResult(
                        head.media_type, execution.body, head.rows, head.truncated, head.seconds
                    )
                    self.service.cache.put(self.cache_key, entry)
                await send({"type": "http.response.start", "status": 200, "headers": headers})
                await send({"type": "http.response.body", "body": execution.body})
            else:
                # A streamed answer is kept too while it stays within one entry's limit.
                keeper = StreamKeeper(self.service.cache) if self.cache_key is not None else None
                headers.append((b"mgi-cache", b"miss"))
                await send({"type": "http.response.start", "status": 200, "headers": headers})
                async for chunk in execution.chunks():
                    if keeper is not None:
                        keeper.add(chunk)
                    await send({"type": "http.response.body", "body": chunk, "more_body": True})
                await send({"type": "http.response.body", "body": b""})
                body = keeper.body() if keeper is not None else None
                if body is not None:
                    entry = CachedResult(
                        head.media_type, body, head.rows, head.truncated, head.seconds
                    )
                    self.service.cache.put(self.cache_key, entry)
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


def _cached_response(entry: CachedResult, headers: dict[str, str]) -> Response:
    response = Response(entry.body, status_code=200, headers=headers)
    response.raw_headers += [
        (b"content-type", _content_type(entry.media_type)),
        (b"mgi-query-time", f"{entry.seconds:.6f}".encode()),
        (b"mgi-cache", b"hit"),
        *_result_headers(entry.rows, entry.truncated),
    ]
    return response


def _result_headers(rows: int, truncated: bool) -> list[tuple[bytes, bytes]]:
    headers = [(b"mgi-rows", str(rows).encode())]
    if truncated:
        headers.append((b"x-result-truncated", b"true"))
    return headers
