"""Values into SPARQL: bound terms, never text.

Every IRI that comes from a request (a path under /id/ or /doc/, a
`?iri=` parameter) becomes a term here, so an invalid one is a typed error
(`InvalidIriError`, answered 400 or 404) and never a crash in the engine.
"""

from __future__ import annotations

import pyoxigraph as ox

from kb.errors import InvalidIriError


def named_node(iri: str) -> ox.NamedNode:
    """The IRI as a pyoxigraph term; `InvalidIriError` when it is not an IRI."""
    try:
        return ox.NamedNode(iri)
    except ValueError as exc:
        raise InvalidIriError(f"not a valid IRI: {iri!r} ({exc})") from exc


def is_iri(text: str) -> bool:
    try:
        named_node(text)
    except InvalidIriError:
        return False
    return True
