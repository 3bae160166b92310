"""Typed errors of the knowledge-graph library.

Library code raises these; only the CLI (`kb.cli`) and the web layer turn them
into messages, exit codes and HTTP status codes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

FORMAT_DOC = "../shared/profiles/FORMAT.md"


class KbError(Exception):
    """Base class of every error the library raises on purpose."""


class ProfileParseError(KbError):
    """A profile text that cannot be read as an MGI profile.

    Carries where (file and 1-based line, 0 when the whole file is at fault),
    what was expected, and the FORMAT.md section that says why.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int = 0,
        section: str | None = None,
    ) -> None:
        self.message = message
        self.path = str(path) if path is not None else "<text>"
        self.line = line
        self.section = section
        super().__init__(str(self))

    def __reduce__(self) -> tuple[Any, ...]:
        # Keyword-only fields survive pickling (parallel builds raise it in a worker).
        return (_rebuild_parse_error, (self.message, self.path, self.line, self.section))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        hint = f" (see FORMAT.md §{self.section})" if self.section else ""
        return f"{where}: {self.message}{hint}"


def _rebuild_parse_error(
    message: str, path: str, line: int, section: str | None
) -> ProfileParseError:
    return ProfileParseError(message, path=path, line=line, section=section)


class ReferenceDataError(KbError):
    """Curated reference data in `data/reference/` is malformed or inconsistent."""

    def __init__(self, message: str, *, path: str | Path | None = None) -> None:
        self.path = str(path) if path is not None else None
        super().__init__(f"{self.path}: {message}" if self.path else message)


class ShapeLoadError(KbError):
    """The SHACL shapes or the ontology could not be loaded."""


class StoreError(KbError):
    """The store could not be opened, written or read."""


class StoreUnavailableError(StoreError):
    """No built store exists where one was expected, or it cannot be opened."""


class QuerySyntaxError(KbError):
    """A SPARQL query that does not parse; the message is the parser's."""


class QueryRefusedError(KbError):
    """A query the service will not run (update, disallowed SERVICE, ...)."""


class QueryTimeoutError(KbError):
    """A query that overran its deadline and was stopped."""


class ResourceNotFoundError(KbError):
    """An IRI or identifier that the knowledge graph does not describe."""


class ProtocolError(KbError):
    """A request that breaks the SPARQL 1.1 Protocol (missing or repeated query, bad parameter)."""


class InvalidIriError(ProtocolError):
    """A value that should be an IRI is not one (a space, a NUL, an invalid code point)."""


class QueryTooDeepError(ProtocolError):
    """A query nests brackets deeper than the endpoint's documented limit."""


class RequestTooLargeError(ProtocolError):
    """A request body or query text over the configured limit."""


class UriTooLongError(ProtocolError):
    """A GET request whose query string is over the configured limit."""


class UnsupportedMediaTypeError(ProtocolError):
    """A POST body in a media type the protocol does not define for queries."""


class NotAcceptableError(ProtocolError):
    """No representation the client accepts; carries the media types on offer."""

    def __init__(self, message: str, *, supported: list[str]) -> None:
        self.supported = supported
        super().__init__(message)


class ServiceOverloadedError(KbError):
    """No query worker became free before the request's deadline."""


class TooManyRequestsError(KbError):
    """A client asked for more concurrent queries than its share of the workers."""


class QueryTooCostlyError(KbError):
    """A query needed more memory, or would send more bytes, than the endpoint's limits."""

    def __init__(self, message: str, *, code: str = "query_memory_exceeded") -> None:
        super().__init__(message)
        self.code = code


class QueryEvaluationError(KbError):
    """A query that parsed but failed while running (a federated call, a worker crash)."""
