"""Query results for people and programs: a text table or a standard format."""

from __future__ import annotations

from enum import Enum
from typing import Any

import pyoxigraph as ox

from kb.namespaces import PREFIXES


class ResultFormat(Enum):
    TABLE = "table"
    JSON = "json"
    XML = "xml"
    CSV = "csv"
    TSV = "tsv"
    TURTLE = "turtle"
    NTRIPLES = "ntriples"
    JSONLD = "jsonld"


_SOLUTION_FORMATS = {
    ResultFormat.JSON: ox.QueryResultsFormat.JSON,
    ResultFormat.XML: ox.QueryResultsFormat.XML,
    ResultFormat.CSV: ox.QueryResultsFormat.CSV,
    ResultFormat.TSV: ox.QueryResultsFormat.TSV,
}
_GRAPH_FORMATS = {
    ResultFormat.TURTLE: ox.RdfFormat.TURTLE,
    ResultFormat.NTRIPLES: ox.RdfFormat.N_TRIPLES,
    ResultFormat.JSONLD: ox.RdfFormat.JSON_LD,
}


def compact_iri(iri: str, base: str | None = None) -> str:
    """`https://w3id.org/mgi/def#Finding` -> `mgi:Finding`; unknown IRIs in <>."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and iri != namespace:
            return f"{prefix}:{iri[len(namespace) :]}"
    if base and iri.startswith(base):
        return f"<{iri[len(base) :]}>"
    return f"<{iri}>"


def term_text(term: Any, base: str | None = None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return compact_iri(term.value, base)
    if isinstance(term, ox.Literal):
        return f"{term.value}@{term.language}" if term.language else term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(term)


def render_table(results: Any, *, base: str | None = None, width: int = 80) -> str:
    """A plain-text table of SELECT solutions, `true`/`false` for ASK."""
    if isinstance(results, ox.QueryBoolean):
        return "true" if bool(results) else "false"
    names = [v.value for v in results.variables]
    rows = [[_clip(term_text(s[n], base), width) for n in names] for s in results]
    widths = [max([len(n), *(len(r[i]) for r in rows)]) for i, n in enumerate(names)]
    line = "  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True))
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(s.rstrip() for s in out)


def _clip(text: str, width: int) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def serialize_results(results: Any, fmt: ResultFormat, *, base: str | None = None) -> bytes:
    """Serialise with pyoxigraph's own writers; `ValueError` for a mismatched format."""
    if fmt is ResultFormat.TABLE:
        if isinstance(results, ox.QueryTriples):
            return results.serialize(format=ox.RdfFormat.TURTLE, prefixes=PREFIXES) or b""
        return (render_table(results, base=base) + "\n").encode()
    if isinstance(results, ox.QueryTriples):
        if fmt not in _GRAPH_FORMATS:
            raise ValueError(f"a graph result can be written as {_names(_GRAPH_FORMATS)}")
        prefixes = PREFIXES if fmt is ResultFormat.TURTLE else None
        return results.serialize(format=_GRAPH_FORMATS[fmt], prefixes=prefixes) or b""
    if fmt not in _SOLUTION_FORMATS:
        raise ValueError(f"solutions can be written as {_names(_SOLUTION_FORMATS)}")
    return results.serialize(format=_SOLUTION_FORMATS[fmt]) or b""


def _names(table: dict[ResultFormat, Any]) -> str:
    return ", ".join(["table", *(f.value for f in table)])
