"""An external SPARQL 1.1 store: queries by the SPARQL Protocol, loads by the Graph Store Protocol.

`SparqlStore` answers the same calls as `OxigraphStore` (`query`, `select`,
`named_graphs`) and returns the same pyoxigraph result objects, parsed from
the store's SPARQL JSON and N-Triples answers, so callers do not know which
store they talk to. Transport failures become `StoreUnavailableError`, an
overrun of the HTTP timeout `QueryTimeoutError`, a query the store rejects
`QuerySyntaxError`: no httpx exception leaves this module.

The store's default graph must be the union of its named graphs, as in the
embedded store (Oxigraph: `--union-default-graph`; Virtuoso by default).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pyoxigraph as ox

from kb.errors import (
    QueryEvaluationError,
    QuerySyntaxError,
    QueryTimeoutError,
    StoreError,
    StoreUnavailableError,
)
from kb.namespaces import XSD
from kb.sparql.binding import bind_as_values
from kb.sparql.text import QueryForm, analyse
from kb.store.layout import DATASET_FILE, STATISTICS_NQ
from kb.store.oxigraph import solution_rows

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple

SOLUTIONS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
BUILD_GRAPH = "graph/build"
"""Graph (under the base IRI) that names the build loaded last: the dataset version."""
DCTERMS = "http://purl.org/dc/terms/"


class SparqlStore:
    """A remote store seen through the SPARQL 1.1 Protocol and Graph Store Protocol."""

    def __init__(
        self,
        endpoint: str,
        *,
        graph_store: str | None = None,
        timeout: float = 30.0,
        auth: str | None = None,
        version: str = "",
    ) -> None:
        self.endpoint = endpoint
        self.graph_store = graph_store
        self.timeout = timeout
        self.version = version
        credentials = tuple(auth.split(":", 1)) if auth and ":" in auth else None
        self._client = httpx.Client(
            auth=credentials,  # type: ignore[arg-type]
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            headers={"User-Agent": "mgi-kb"},
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> SparqlStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # --- reading ----------------------------------------------------------------------
    def query(
        self,
        sparql: str,
        *,
        substitutions: Mapping[str, Term] | None = None,
        default_graph: Iterable[str] | None = None,
        named_graphs: Iterable[str] | None = None,
        base_iri: str | None = None,
    ) -> Any:
        """Run a query; returns pyoxigraph's solutions, boolean or an iterator of triples.

        Substitutions are sent as an inline VALUES block at the start of the
        query's WHERE group (the protocol has no way to pre-bind variables).
        """
        text = bind_as_values(sparql, substitutions) if substitutions else sparql
        form = analyse(text).form
        graph = form in (QueryForm.CONSTRUCT, QueryForm.DESCRIBE)
        accept = N_TRIPLES if graph else SOLUTIONS_JSON
        body = self.raw_query(
            text,
            accept=accept,
            default_graph=default_graph,
            named_graphs=named_graphs,
            base_iri=base_iri,
        )
        try:
            if graph:
                return iter([q.triple for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)])
            return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        except SyntaxError as exc:
            raise QueryEvaluationError(f"the store sent an unreadable answer: {exc}") from exc

    def raw_query(
        self,
        sparql: str,
        *,
        accept: str,
        default_graph: Iterable[str] | None = None,
        named_graphs: Iterable[str] | None = None,
        base_iri: str | None = None,
    ) -> bytes:
        """POST the query (form-encoded, as every store accepts); the answer's bytes."""
        if base_iri and "BASE" not in sparql.upper():
            sparql = f"BASE <{base_iri}>\n{sparql}"
        form: list[tuple[str, str]] = [("query", sparql)]
        form += [("default-graph-uri", g) for g in default_graph or ()]
        form += [("named-graph-uri", g) for g in named_graphs or ()]
        response = self._send(
            "POST",
            self.endpoint,
            content=urlencode(form).encode(),
            headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"},
        )
        return response.content

    def select(
        self, sparql: str, *, substitutions: Mapping[str, Term] | None = None
    ) -> list[dict[str, Term]]:
        """SELECT as a list of {variable: term} rows (unbound variables left out)."""
        return solution_rows(self.query(sparql, substitutions=substitutions))

    def named_graphs(self) -> list[str]:
        rows = self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return sorted(r["g"].value for r in rows if isinstance(r.get("g"), ox.NamedNode))

    def __len__(self) -> int:
        rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(rows[0]["n"].value)

    def loaded_build(self, base_iri: str) -> tuple[str, str] | None:
        """(build id, ISO time) of the build `kb build` loaded last, None if none."""
        rows = self.select(
            "SELECT ?id ?when WHERE { GRAPH ?g { ?d ?identifier ?id ; ?modified ?when } }",
            substitutions={
                "g": ox.NamedNode(base_iri + BUILD_GRAPH),
                "identifier": ox.NamedNode(DCTERMS + "identifier"),
                "modified": ox.NamedNode(DCTERMS + "modified"),
            },
        )
        if not rows:
            return None
        return rows[0]["id"].value, rows[0]["when"].value

    # --- writing (Graph Store Protocol) -----------------------------------------------
    def put_graph(self, graph: str, ntriples: bytes) -> None:
        """Replace one named graph (GSP PUT `?graph=IRI`, N-Triples body)."""
        self._send(
            "PUT",
            self._gsp(),
            params={"graph": graph},
            content=ntriples,
            headers={"Content-Type": N_TRIPLES},
        )

    def delete_graph(self, graph: str) -> None:
        """Drop one named graph (GSP DELETE); a graph that is not there is fine."""
        self._send("DELETE", self._gsp(), params={"graph": graph}, missing_ok=True)

    def load_dataset(
        self,
        files: Iterable[Path],
        *,
        owned: Callable[[str], bool],
        version: tuple[str, str, str] | None = None,
        progress: Callable[[str], None] | None = None,
    ) -> int:
        """Put every named graph of canonical N-Quads files; returns the quads sent.

        Graphs of the store that `owned` claims but the files lack (a profile
        removed since the last build) are deleted; other graphs are left
        alone. `version` = (base IRI, build id, ISO time) is written last,
        into the build graph, so servers see the new version only once all
        graphs are in. The load is graph by graph, not one transaction:
        while it runs, readers may see some new graphs beside old ones.
        """
        sent = 0
        loaded: set[str] = set()
        started = time.perf_counter()
        for file in files:
            for graph, triples in _graphs_of(file):
                data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
                self.put_graph(graph, data or b"")
                loaded.add(graph)
                sent += len(triples)
        for graph in self.named_graphs():
            if graph not in loaded and owned(graph):
                self.delete_graph(graph)
        if version is not None:
            base, build, when = version
            subject = f"<{base}dataset>"
            marker = (
                f'{subject} <{DCTERMS}identifier> "{build}" .\n'
                f'{subject} <{DCTERMS}modified> "{when}"^^<{XSD}dateTime> .\n'
            )
            self.put_graph(base + BUILD_GRAPH, marker.encode())
        if progress is not None:
            seconds = time.perf_counter() - started
            progress(
                f"loaded {len(loaded)} graphs, {sent} quads into {self._gsp()} in {seconds:.1f} s"
            )
        return sent

    # --- transport ----------------------------------------------------------------------
    def _gsp(self) -> str:
        if not self.graph_store:
            raise StoreError("no Graph Store endpoint configured (KB_GRAPH_STORE_ENDPOINT)")
        return self.graph_store

    def _send(
        self, method: str, url: str, *, missing_ok: bool = False, **kwargs: Any
    ) -> httpx.Response:
        try:
            response = self._client.request(method, url, **kwargs)
        except httpx.TimeoutException as exc:
            raise QueryTimeoutError(
                f"the store at {url} did not answer within {self.timeout:g} s"
            ) from exc
        except httpx.HTTPError as exc:  # connection refused, reset, DNS, protocol
            raise StoreUnavailableError(f"cannot reach the store at {url}: {exc}") from exc
        if response.status_code == 404 and missing_ok:
            return response
        if response.status_code >= 400:
            detail = response.text.strip()[:500]
            if response.status_code == 400 and method == "POST":
                raise QuerySyntaxError(detail or "the store rejected the query")
            if response.status_code in (502, 503, 504) or response.status_code in (401, 403):
                raise StoreUnavailableError(f"{url}: HTTP {response.status_code}: {detail}")
            raise QueryEvaluationError(f"{url}: HTTP {response.status_code}: {detail}")
        return response


def _graphs_of(path: Path) -> Iterator[tuple[str, list[ox.Triple]]]:
    """(graph IRI, its triples) from an N-Quads file whose graphs come one after another.

    The build writes each graph's quads together, so one pass groups them;
    triples in the default graph (none in a build) are skipped.
    """
    current: str | None = None
    triples: list[ox.Triple] = []
    for quad in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS):
        graph = quad.graph_name
        if not isinstance(graph, ox.NamedNode):
            continue
        if graph.value != current:
            if current is not None and triples:
                yield current, triples
            current, triples = graph.value, []
        triples.append(quad.triple)
    if current is not None and triples:
        yield current, triples


def load_build(
    settings: Any, build_dir: Path, *, progress: Callable[[str], None] | None = None
) -> int:
    """`kb build` with an external store: put the build's graphs there (GSP), version last.

    Graphs under the base IRI that the build no longer has are deleted;
    anything else the store holds is left alone.
    """
    files = [build_dir / name for name in (DATASET_FILE, STATISTICS_NQ)]
    modified = datetime.fromtimestamp(files[0].stat().st_mtime, tz=UTC)
    base = settings.base_iri
    with open_remote(settings, timeout=settings.load_timeout) as store:
        return store.load_dataset(
            [f for f in files if f.is_file()],
            owned=lambda graph: graph.startswith(base),
            version=(base, build_dir.name, modified.isoformat()),
            progress=progress,
        )


def open_remote(settings: Any, *, timeout: float | None = None) -> SparqlStore:
    """The external store named by `settings` (see `kb.store.open_store`)."""
    if not settings.sparql_endpoint:
        raise StoreUnavailableError("no external store configured (KB_SPARQL_ENDPOINT)")
    return SparqlStore(
        settings.sparql_endpoint,
        graph_store=settings.graph_store_endpoint,
        timeout=timeout or settings.query_timeout,
        auth=settings.store_auth,
    )
