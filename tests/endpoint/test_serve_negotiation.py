"""Content negotiation as a pure function: a table of Accept headers and answers."""

from __future__ import annotations

import pytest

from kb.http.negotiation import (
    OFFERS,
    ResultKind,
    choose,
    negotiate,
    parse_accept,
    prefers_json,
)

S, B, G = ResultKind.SOLUTIONS, ResultKind.BOOLEAN, ResultKind.GRAPH

ACCEPT_CASES = [
    (S, None, "application/sparql-results+json"),
    (S, "", "application/sparql-results+json"),
    (S, "*/*", "application/sparql-results+json"),
    (S, "text/csv", "text/csv"),
    (S, "application/json", "application/sparql-results+json"),
    (S, "text/xml", "application/sparql-results+xml"),
    (S, "text/csv;q=0.2, text/tab-separated-values", "text/tab-separated-values"),
    (S, "text/*, text/csv;q=0.1", "text/tab-separated-values"),  # csv ranked down explicitly
    (S, "text/*", "text/csv"),  # ties go to the server's order
    (S, "application/sparql-results+xml;q=0.9, */*;q=0.1", "application/sparql-results+xml"),
    (S, "image/png", None),
    (S, "text/csv;q=0", None),
    (S, "application/sparql-results+json;q=0, */*", "application/sparql-results+xml"),
    (S, "TEXT/CSV", "text/csv"),
    (S, "text/csv; charset=utf-8; q=0.5", "text/csv"),
    (S, "garbage, text/tab-separated-values", "text/tab-separated-values"),
    (B, "application/sparql-results+xml", "application/sparql-results+xml"),
    (G, None, "text/turtle"),
    (G, "application/ld+json", "application/ld+json"),
    (G, "application/json", "application/ld+json"),
    (G, "text/plain", "application/n-triples"),
    (G, "application/trig;q=0.8, application/n-quads;q=0.9", "application/n-quads"),
    (G, "application/sparql-results+json", None),
    (G, "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "application/rdf+xml"),
]


@pytest.mark.parametrize(("kind", "accept", "expected"), ACCEPT_CASES)
def test_negotiate(kind: ResultKind, accept: str | None, expected: str | None) -> None:
    chosen = negotiate(accept, OFFERS[kind])
    assert (chosen.name if chosen else None) == expected


@pytest.mark.parametrize(
    ("kind", "fmt", "expected"),
    [
        (S, "json", "application/sparql-results+json"),
        (S, "csv", "text/csv"),
        (S, "TSV", "text/tab-separated-values"),
        (S, "text/csv", "text/csv"),
        (G, "json", "application/ld+json"),
        (G, "ttl", "text/turtle"),
        (G, "xml", "application/rdf+xml"),
        (G, "csv", None),
        (S, "yaml", None),
    ],
)
def test_format_parameter(kind: ResultKind, fmt: str, expected: str | None) -> None:
    chosen = choose(kind, accept="text/html", format_parameter=fmt)
    assert (chosen.name if chosen else None) == expected


def test_parse_accept_reads_q_and_skips_junk() -> None:
    ranges = parse_accept("text/csv;q=0.5, nonsense, */*;q=x, application/json")
    assert [(r.full, r.q) for r in ranges] == [
        ("text/csv", 0.5),
        ("*/*", 0.0),
        ("application/json", 1.0),
    ]


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("application/json", True),
        ("application/sparql-results+json", True),
        ("text/plain", False),
        ("text/html, application/json;q=0.5", False),
        (None, False),
        ("*/*", False),
    ],
)
def test_error_bodies_are_json_for_json_clients(accept: str | None, expected: bool) -> None:
    assert prefers_json(accept) is expected
