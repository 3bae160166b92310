"""Typed errors -> HTTP: one table, one body shape.

Every error answer is `{"error": code, "detail": message}` for clients that
rank JSON first and the same as plain text otherwise; the code is stable.
"""

from __future__ import annotations

import html
import json
from typing import Any

from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import Response

from kb.errors import (
    InvalidIriError,
    KbError,
    NotAcceptableError,
    ProtocolError,
    QueryEvaluationError,
    QueryRefusedError,
    QuerySyntaxError,
    QueryTimeoutError,
    QueryTooCostlyError,
    QueryTooDeepError,
    RequestTooLargeError,
    ResourceNotFoundError,
    ServiceOverloadedError,
    StoreUnavailableError,
    TooManyRequestsError,
    UnsupportedMediaTypeError,
    UriTooLongError,
)
from kb.http.negotiation import prefers_html, prefers_json
from kb.sparql.text import error_position

# Most specific class first: the first match decides.
ERROR_TABLE: list[tuple[type[KbError], int, str]] = [
    (QuerySyntaxError, 400, "query_syntax"),
    (QueryTooDeepError, 400, "query_too_deep"),
    (InvalidIriError, 400, "invalid_iri"),
    (RequestTooLargeError, 413, "request_too_large"),
    (UriTooLongError, 414, "uri_too_long"),
    (UnsupportedMediaTypeError, 415, "unsupported_media_type"),
    (NotAcceptableError, 406, "not_acceptable"),
    (ProtocolError, 400, "bad_request"),
    (QueryRefusedError, 403, "query_refused"),
    (QueryTimeoutError, 504, "query_timeout"),
    (QueryTooCostlyError, 413, "query_too_costly"),
    (TooManyRequestsError, 429, "too_many_requests"),
    (ServiceOverloadedError, 503, "overloaded"),
    (StoreUnavailableError, 503, "store_unavailable"),
    (ResourceNotFoundError, 404, "not_found"),
    (QueryEvaluationError, 500, "query_failed"),
    (KbError, 500, "internal_error"),
]

_HTTP_CODES = {
    404: "not_found",
    405: "method_not_allowed",
    413: "request_too_large",
}


def status_and_code(exc: KbError) -> tuple[int, str]:
    for cls, status, code in ERROR_TABLE:
        if isinstance(exc, cls):
            # one class, two limits: the error says which it hit
            return status, exc.code if isinstance(exc, QueryTooCostlyError) else code
    return 500, "internal_error"


def error_response(
    request: Request,
    status: int,
    code: str,
    detail: str,
    *,
    extra: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    accept = request.headers.get("accept")
    all_headers = {"Vary": "Accept, Accept-Encoding", "Cache-Control": "no-store"}
    all_headers.update(headers or {})
    if prefers_html(accept) and not prefers_json(accept):
        page = _HTML_ERROR.format(
            status=status, code=html.escape(code), detail=html.escape(detail)
        ).encode()
        return Response(
            page, status_code=status, media_type="text/html; charset=utf-8", headers=all_headers
        )
    if prefers_json(accept):
        body = {"error": code, "detail": detail, **(extra or {})}
        return Response(
            json.dumps(body, ensure_ascii=False).encode(),
            status_code=status,
            media_type="application/json",
            headers=all_headers,
        )
    lines = [f"{status} {code}: {detail}"]
    lines += [
        f"{k}: {v if isinstance(v, str) else json.dumps(v)}" for k, v in (extra or {}).items()
    ]
    return Response(
        ("\n".join(lines) + "\n").encode(),
        status_code=status,
        media_type="text/plain; charset=utf-8",
        headers=all_headers,
    )


_HTML_ERROR = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{status} {code}</title></head>
<body><h1>{status} {code}</h1><p>{detail}</p></body></html>
"""


def validation_error_handler(request: Request, exc: Exception) -> Response:
    """A parameter FastAPI could not read (`?page=abc`): 400 in the project's own shape."""
    assert isinstance(exc, RequestValidationError)
    problems = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error.get("loc", ())[1:]) or "request"
        problems.append(f"{where}: {error.get('msg', 'invalid')}")
    metrics = getattr(request.app.state, "metrics", None)
    if metrics is not None:
        metrics.error("bad_request")
    return error_response(request, 400, "bad_request", "; ".join(problems))


def kb_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, KbError)
    status, code = status_and_code(exc)
    extra: dict[str, Any] = {}
    headers: dict[str, str] = {}
    if isinstance(exc, QuerySyntaxError):
        position = error_position(str(exc))
        if position:
            extra = {"line": position[0], "column": position[1]}
    if isinstance(exc, NotAcceptableError):
        extra = {"supported": exc.supported}
    if isinstance(exc, ServiceOverloadedError):
        headers["Retry-After"] = "5"
    if isinstance(exc, TooManyRequestsError):
        headers["Retry-After"] = "1"
    metrics = getattr(request.app.state, "metrics", None)
    if metrics is not None:
        metrics.error(code)
    return error_response(request, status, code, str(exc), extra=extra, headers=headers)


def http_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    code = _HTTP_CODES.get(exc.status_code, "http_error")
    metrics = getattr(request.app.state, "metrics", None)
    if metrics is not None:
        metrics.error(code)
    return error_response(
        request, exc.status_code, code, str(exc.detail), headers=dict(exc.headers or {})
    )
