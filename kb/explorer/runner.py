"""Runs the explorer's queries on the SPARQL endpoint's worker pool.

Page queries go through the same killable worker processes as `/sparql`, so
a slow page is stopped at the same deadline and cannot stall the server.
`SparqlService` has no public "give me parsed results" call yet (its
`_select` is internal), so this small adapter borrows a worker the way the
service does and parses the SPARQL JSON results itself.

Answers are cached by query text for the life of the dataset version the
server answers from: the data only changes on a rebuild, which starts a new
server (and a new version), so a cached answer cannot drift from the store.
"""

from __future__ import annotations

import asyncio
import json
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Protocol

from kb.endpoint.pool import Job
from kb.errors import QueryEvaluationError, StoreUnavailableError

JSON_RESULTS = "application/sparql-results+json"


@dataclass(frozen=True, slots=True)
class Value:
    """One bound value of a solution, as the SPARQL JSON results give it."""

    kind: str
    """`uri`, `literal` or `bnode`."""
    value: str
    lang: str = ""
    datatype: str = ""

    def __str__(self) -> str:
        return self.value

    @property
    def is_iri(self) -> bool:
        return self.kind == "uri"

    def as_int(self) -> int:
        try:
            return int(self.value)
        except ValueError:
            return int(float(self.value))

    def as_float(self) -> float:
        return float(self.value)

    def as_bool(self) -> bool:
        return self.value in ("true", "1")


Row = dict[str, Value]


@dataclass(frozen=True, slots=True)
class Answer:
    """The rows of one query and the exact text that produced them."""

    query: str
    rows: list[Row]
    truncated: bool = False

    def first(self) -> Row:
        return self.rows[0] if self.rows else {}

    def count(self, variable: str = "total") -> int:
        value = self.first().get(variable)
        return value.as_int() if value else 0


class _Service(Protocol):
    settings: Any
    pool: Any
    dataset: Any

    @property
    def ready(self) -> bool: ...


def parse_results(body: bytes) -> list[Row]:
    data = json.loads(body)
    rows: list[Row] = []
    for binding in data.get("results", {}).get("bindings", []):
        row: Row = {}
        for name, term in binding.items():
            kind = term.get("type", "literal")
            if kind == "typed-literal":  # SPARQL 1.0 JSON spelling
                kind = "literal"
            row[name] = Value(
                kind, term.get("value", ""), term.get("xml:lang", ""), term.get("datatype", "")
            )
        rows.append(row)
    return rows


class QueryRunner:
    """SELECT queries on the pool, parsed, cached per dataset version."""

    def __init__(self, service: _Service, *, cache_size: int = 512) -> None:
        self.service = service
        self.cache_size = cache_size
        self._cache: OrderedDict[str, Answer] = OrderedDict()
        self._version: str | None = None

    def _cached(self, text: str) -> Answer | None:
        version = self.service.dataset.version if self.service.dataset else None
        if version != self._version:
            self._cache.clear()
            self._version = version
        answer = self._cache.get(text)
        if answer is not None:
            self._cache.move_to_end(text)
        return answer

    def _remember(self, answer: Answer) -> None:
        self._cache[answer.query] = answer
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)

    async def select(self, text: str) -> Answer:
        """Run one SELECT (already bound, see `sparql.Query.bind`) and parse its rows."""
        cached = self._cached(text)
        if cached is not None:
            return cached
        service = self.service
        if not service.ready or service.pool is None:
            raise StoreUnavailableError("the query workers are starting or restarting")
        settings = service.settings
        job = Job(
            query=text,
            media={"solutions": JSON_RESULTS, "boolean": JSON_RESULTS, "graph": None},
            row_cap=settings.row_cap,
            # Held whole: page answers are small, and a whole body carries the truncation flag.
            buffer=1 << 30,
        )
        execution = await service.pool.execute(settings.query_timeout)
        try:
            head = await execution.start(job)
            if head.streaming:  # not expected with the buffer above; read it all anyway
                body = b"".join([chunk async for chunk in execution.chunks()])
            else:
                body = execution.body
        finally:
            execution.release()
        try:
            rows = parse_results(body)
        except (ValueError, KeyError) as exc:
            raise QueryEvaluationError(f"unreadable results from the query worker: {exc}") from exc
        answer = Answer(text, rows, truncated=head.truncated)
        self._remember(answer)
        return answer

    async def select_many(self, *texts: str) -> list[Answer]:
        """Several independent queries at once (each borrows its own worker)."""
        return list(await asyncio.gather(*(self.select(text) for text in texts)))
