"""The row cap on serialised SELECT results: exact counts, well-formed cut documents."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox
import pytest

from kb.endpoint.rowcap import close_json, row_limiter, with_leading_json_note

FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
# Literals built to look like row boundaries in one format or another.
TRICKY = [
    "plain",
    "a,{}b",
    'x "q" ,{} y',
    "back\\\\",
    "nl\nline",
    '\r\n,{"',
    "}},{}",
    "tab\tx",
    "<result>",
]
ROWS = 120


@pytest.fixture(scope="module")
def store() -> ox.Store:
    store = ox.Store()
    for i in range(ROWS):
        store.add(
            ox.Quad(
                ox.NamedNode(f"http://e/{i:03}"),
                ox.NamedNode("http://e/p"),
                ox.Literal(TRICKY[i % len(TRICKY)] + str(i)),
                ox.NamedNode("http://g"),
            )
        )
    return store


QUERIES = {
    "bound": (
        "SELECT ?s ?o ?z { GRAPH ?g { ?s ?p ?o } OPTIONAL { ?s <http://none> ?z } } ORDER BY ?s"
    ),
    "empty-rows": "SELECT ?z { GRAPH ?g { ?s ?p ?o } OPTIONAL { ?s <http://none> ?z } }",
}


def _cut(data: bytes, media: str, cap: int, chunk: int, streaming: bool) -> tuple[bytes, object]:
    limiter = row_limiter(media, cap)
    assert limiter is not None
    out = b""
    for i in range(0, len(data), chunk):
        out += limiter.feed(data[i : i + chunk])
        if limiter.truncated:
            break
    if not limiter.truncated:
        out += limiter.finish()
    elif media.endswith("json"):
        out += close_json(cap, streaming=streaming)
        if not streaming:
            out = with_leading_json_note(out, cap)
    return out, limiter


def _count(media: str, body: bytes) -> int:
    if media == "text/csv":
        return len(list(csv.reader(io.StringIO(body.decode(), newline="")))) - 1
    if media.endswith("json"):
        return len(json.loads(body)["results"]["bindings"])
    return len(list(ox.parse_query_results(body, format=FORMATS[media])))


@pytest.mark.parametrize("query", list(QUERIES))
@pytest.mark.parametrize("media", list(FORMATS))
@pytest.mark.parametrize("cap", [1, 2, 7, 119, 120, 121])
@pytest.mark.parametrize("chunk", [1, 5, 64, 8192])
def test_cut_at_the_cap(store, query: str, media: str, cap: int, chunk: int) -> None:
    data = store.query(QUERIES[query], use_default_graph_as_union=True).serialize(
        format=FORMATS[media]
    )
    for streaming in (False, True):
        out, limiter = _cut(data, media, cap, chunk, streaming)
        assert limiter.truncated is (cap < ROWS)
        assert limiter.rows == min(cap, ROWS)
        assert _count(media, out) == min(cap, ROWS)
        if not limiter.truncated:
            assert out == data  # untouched when under the cap
        elif media.endswith("json"):
            assert json.loads(out)["truncated"] is True
            if not streaming:  # strict parsers read the note only before the results
                assert len(list(ox.parse_query_results(out, format=FORMATS[media]))) == cap


def test_unknown_media_type_has_no_limiter() -> None:
    assert row_limiter("text/turtle", 5) is None
