"""The SPARQL 1.1 Protocol's query operation, read from an HTTP request (pure functions).

`read_query_request` turns method, URL parameters, Content-Type and body into
a `QueryRequest`, or None for a bare GET (which answers with the service
description). Anything the protocol does not allow raises a typed error;
update requests are recognised and refused, never run.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from kb.errors import (
    ProtocolError,
    QueryRefusedError,
    QueryTooDeepError,
    RequestTooLargeError,
    UnsupportedMediaTypeError,
    UriTooLongError,
)
from kb.sparql.text import bracket_depth

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
UPDATE_REFUSED = "this endpoint is read-only: SPARQL Update is not accepted"


@dataclass(frozen=True, slots=True)
class QueryRequest:
    query: str
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    format: str | None = None
    """The `format=` parameter (browser links), overriding Accept."""
    timeout: float | None = None
    """The client's `timeout=` in seconds, before capping to the server's deadline."""


def media_type_of(content_type: str | None) -> tuple[str, str | None]:
    """`application/sparql-query; charset=UTF-8` -> (`application/sparql-query`, `utf-8`)."""
    if not content_type:
        return "", None
    media, *params = (p.strip() for p in content_type.split(";"))
    charset = None
    for param in params:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media.lower(), charset


def _decode(body: bytes, charset: str | None) -> str:
    if charset not in (None, "utf-8", "utf8"):
        raise UnsupportedMediaTypeError(
            f"the request body must be UTF-8 (the protocol allows no other charset), not {charset}"
        )
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError(f"the request body is not valid UTF-8: {exc}") from exc


def _form(body: bytes, charset: str | None) -> list[tuple[str, str]]:
    text = _decode(body, charset)
    try:
        return parse_qsl(text, keep_blank_values=True, strict_parsing=False, errors="strict")
    except UnicodeDecodeError as exc:
        raise ProtocolError(f"a form field is not valid UTF-8 once decoded: {exc}") from exc


def _absolute_iri(value: str, parameter: str) -> str:
    parts = urlsplit(value)
    if not parts.scheme or any(c in value for c in ' <>"{}|^`\\'):
        raise ProtocolError(f"{parameter} must be an absolute IRI, not {value!r}")
    return value


def _timeout(values: list[str]) -> float | None:
    if not values:
        return None
    try:
        seconds = float(values[-1])
    except ValueError as exc:
        raise ProtocolError(f"timeout must be a number of seconds, not {values[-1]!r}") from exc
    if not math.isfinite(seconds) or seconds <= 0:
        raise ProtocolError("timeout must be a positive number of seconds")
    return seconds


def read_query_request(
    method: str,
    url_params: list[tuple[str, str]],
    content_type: str | None,
    body: bytes,
    *,
    max_query_length: int,
    max_query_depth: int = 128,
) -> QueryRequest | None:
    """The query operation a request asks for; None when a GET carries no query."""
    params = list(url_params)
    body_query: str | None = None
    if method in ("GET", "HEAD"):
        if any(k == "update" for k, _ in params):
            raise QueryRefusedError(UPDATE_REFUSED)
    elif method == "POST":
        media, charset = media_type_of(content_type)
        if media == SPARQL_UPDATE:
            raise QueryRefusedError(UPDATE_REFUSED)
        if media == FORM:
            form = _form(body, charset)
            if any(k in ("update", "using-graph-uri", "using-named-graph-uri") for k, _ in form):
                raise QueryRefusedError(UPDATE_REFUSED)
            params += form
        elif media == SPARQL_QUERY:
            body_query = _decode(body, charset)
        else:
            shown = media or "no Content-Type"
            raise UnsupportedMediaTypeError(
                f"a query is POSTed as {FORM} or {SPARQL_QUERY}, not {shown}"
            )
    else:
        raise ProtocolError(f"the query operation uses GET or POST, not {method}")

    queries = [v for k, v in params if k == "query"]
    if body_query is not None:
        if queries:
            raise ProtocolError("a query in the body and a query= parameter: send one")
        queries = [body_query]
    if not queries:
        if method == "POST":
            raise ProtocolError("no query: send query= or an application/sparql-query body")
        if any(k in ("default-graph-uri", "named-graph-uri") for k, _ in params):
            raise ProtocolError("default-graph-uri or named-graph-uri without a query")
        return None
    if len(queries) > 1:
        raise ProtocolError("more than one query= parameter: the protocol allows exactly one")
    query = queries[0]
    if len(query) > max_query_length:
        message = f"the query is {len(query)} characters long; the limit is {max_query_length}"
        if method == "POST":
            raise RequestTooLargeError(message)
        raise UriTooLongError(message + " (POST longer queries)")
    depth = bracket_depth(query)
    if depth > max_query_depth:
        raise QueryTooDeepError(
            f"the query nests brackets {depth} deep; the limit is {max_query_depth} "
            "(counted over (), {} and [] anywhere in the text)"
        )
    formats = [v for k, v in params if k == "format"]
    return QueryRequest(
        query=query,
        default_graphs=tuple(
            _absolute_iri(v, "default-graph-uri") for k, v in params if k == "default-graph-uri"
        ),
        named_graphs=tuple(
            _absolute_iri(v, "named-graph-uri") for k, v in params if k == "named-graph-uri"
        ),
        format=formats[-1] if formats else None,
        timeout=_timeout([v for k, v in params if k == "timeout"]),
    )
