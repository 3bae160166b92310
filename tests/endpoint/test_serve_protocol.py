"""Reading the SPARQL Protocol query operation from an HTTP request (pure function)."""

from __future__ import annotations

import pytest

from kb.endpoint.protocol import QueryRequest, media_type_of, read_query_request
from kb.errors import (
    ProtocolError,
    QueryRefusedError,
    RequestTooLargeError,
    UnsupportedMediaTypeError,
    UriTooLongError,
)

FORM = "application/x-www-form-urlencoded"


def read(method: str, params=(), content_type=None, body=b"", limit=1000):
    return read_query_request(method, list(params), content_type, body, max_query_length=limit)


def test_get_query_with_dataset_and_options() -> None:
    request = read(
        "GET",
        [
            ("query", "ASK {}"),
            ("default-graph-uri", "http://e/a"),
            ("named-graph-uri", "http://e/b"),
            ("named-graph-uri", "http://e/c"),
            ("format", "csv"),
            ("timeout", "2.5"),
        ],
    )
    assert request == QueryRequest(
        "ASK {}", ("http://e/a",), ("http://e/b", "http://e/c"), "csv", 2.5
    )


def test_bare_get_is_a_service_description_request() -> None:
    assert read("GET") is None
    assert read("HEAD", [("format", "ttl")]) is None


def test_post_form_merges_url_parameters() -> None:
    request = read("POST", [("default-graph-uri", "http://e/g")], FORM, b"query=ASK%20%7B%7D")
    assert request is not None
    assert request.query == "ASK {}" and request.default_graphs == ("http://e/g",)


def test_post_direct() -> None:
    request = read("POST", [], "application/sparql-query; charset=UTF-8", "ASK { 'é' }".encode())
    assert request is not None and request.query == "ASK { 'é' }"


@pytest.mark.parametrize(
    ("method", "params", "content_type", "body", "error"),
    [
        ("GET", [("update", "CLEAR ALL")], None, b"", QueryRefusedError),
        ("POST", [], FORM, b"update=CLEAR+ALL", QueryRefusedError),
        ("POST", [], "application/sparql-update", b"CLEAR ALL", QueryRefusedError),
        ("POST", [], "application/sparql-update; charset=UTF-16", b"\xff", QueryRefusedError),
        ("POST", [], FORM, b"query=ASK+%7B%7D&using-graph-uri=http://e/", QueryRefusedError),
        ("GET", [("query", "a"), ("query", "b")], None, b"", ProtocolError),
        ("POST", [("query", "ASK {}")], "application/sparql-query", b"ASK {}", ProtocolError),
        ("POST", [], FORM, b"", ProtocolError),
        ("POST", [], None, b"ASK {}", UnsupportedMediaTypeError),
        ("POST", [], "text/plain", b"query=ASK", UnsupportedMediaTypeError),
        (
            "POST",
            [],
            "application/sparql-query; charset=latin-1",
            b"ASK",
            UnsupportedMediaTypeError,
        ),
        ("POST", [], "application/sparql-query", b"\xff\xfe", ProtocolError),
        ("GET", [("query", "x" * 1001)], None, b"", UriTooLongError),
        ("POST", [], FORM, b"query=" + b"x" * 1001, RequestTooLargeError),
        (
            "GET",
            [("query", "ASK {}"), ("default-graph-uri", "not an iri")],
            None,
            b"",
            ProtocolError,
        ),
        ("GET", [("query", "ASK {}"), ("timeout", "-1")], None, b"", ProtocolError),
        ("GET", [("query", "ASK {}"), ("timeout", "nan")], None, b"", ProtocolError),
        ("GET", [("default-graph-uri", "http://e/")], None, b"", ProtocolError),
        ("PUT", [("query", "ASK {}")], None, b"", ProtocolError),
    ],
)
def test_refused_and_malformed(method, params, content_type, body, error) -> None:
    with pytest.raises(error):
        read(method, params, content_type, body)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, ("", None)),
        ("application/sparql-query", ("application/sparql-query", None)),
        ('Application/SPARQL-Query; Charset="UTF-8"', ("application/sparql-query", "utf-8")),
    ],
)
def test_media_type_of(header: str | None, expected: tuple[str, str | None]) -> None:
    assert media_type_of(header) == expected
