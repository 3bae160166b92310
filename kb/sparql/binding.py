"""Values into SPARQL: the one way, for the explorer, the linked-data site and
the external store alike.

A query is a constant text (`Query`). Values reach it only as RDF terms
written by pyoxigraph's own serialiser where the constant declares a
placeholder (`VALUES ?org { $org }`, `REGEX(?text, $pattern, "i")`), as
validated integers (`LIMIT $limit`) or as fragments picked from a table in
code (`Raw`, for `ORDER BY`). Query workers and external stores take query
text, not pyoxigraph `substitutions`, so this is how bound variables reach
them; the rendered text is also exactly what "show the SPARQL" opens.

Every IRI that comes from a request (a path under /id/ or /doc/, a `?iri=`
parameter) becomes a term through `named_node`, so an invalid one is a typed
error (`InvalidIriError`, answered 400 or 404), never a crash in the engine.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from kb.errors import InvalidIriError
from kb.namespaces import PREFIXES
from kb.sparql.text import TOKEN_PATTERN, QueryForm, analyse


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


Term = ox.NamedNode | ox.Literal


class Raw(str):
    """A constant SPARQL fragment chosen from a table in code, never text from a request."""

    __slots__ = ()


Value = Term | Sequence[Term] | int | Raw | None

_PLACEHOLDER = re.compile(r"\$([a-z][a-z_]*)\b")


def prefixes(*names: str) -> str:
    """PREFIX lines for the named prefixes of `kb.iris.PREFIXES`."""
    return "".join(f"PREFIX {name}: <{PREFIXES[name]}>\n" for name in names)


@dataclass(frozen=True, slots=True)
class Query:
    """A constant query with `$name` placeholders; `title` heads it in the workbench."""

    name: str
    title: str
    text: str

    @property
    def placeholders(self) -> frozenset[str]:
        return frozenset(_PLACEHOLDER.findall(self.text))

    def bind(self, **values: Value) -> str:
        """The runnable text: every placeholder filled, each exactly as declared."""
        missing = self.placeholders - values.keys()
        extra = values.keys() - self.placeholders
        if missing or extra:
            raise ValueError(f"{self.name}: missing {sorted(missing)}, unexpected {sorted(extra)}")
        rendered = {name: _render(name, value) for name, value in values.items()}
        body = _PLACEHOLDER.sub(lambda m: rendered[m.group(1)], self.text)
        return f"# {self.title}\n{body}"


def _render(name: str, value: Value) -> str:
    if value is None:
        return "UNDEF"  # an unbound VALUES row: the pattern is not restricted
    if isinstance(value, Raw):
        return str(value)
    if isinstance(value, bool):
        raise TypeError(f"${name}: a boolean is not a SPARQL value here")
    if isinstance(value, int):
        if value < 0:
            raise ValueError(f"${name}: negative number")
        return str(value)
    if isinstance(value, ox.NamedNode | ox.Literal):
        return str(value)
    terms = list(value)
    if not terms:
        raise ValueError(f"${name}: empty list (a VALUES block with no row matches nothing)")
    for term in terms:
        if not isinstance(term, ox.NamedNode | ox.Literal):
            raise TypeError(f"${name}: {type(term).__name__} is not an RDF term")
    return " ".join(str(term) for term in terms)


def literal(text: str, *, language: str | None = None) -> ox.Literal:
    return ox.Literal(text, language=language) if language else ox.Literal(text)


def bind_as_values(
    sparql: str, substitutions: Mapping[str, ox.NamedNode | ox.Literal | ox.BlankNode]
) -> str:
    """The query with `VALUES` for `substitutions` opening its WHERE group: how
    bound variables reach a store that takes only query text (an external store).

    Found with the same lexer that reads queries elsewhere (strings, IRIs and
    comments are skipped): the first `{` at depth 0 after the query form —
    for CONSTRUCT, the one after WHERE. Without a group, VALUES goes at the end.
    """
    names = sorted(substitutions)
    values = (
        "VALUES ("
        + " ".join(f"?{n}" for n in names)
        + ") { ("
        + " ".join(str(substitutions[n]) for n in names)
        + ") } "
    )
    form = analyse(sparql).form
    seen_form = False
    seen_where = form is not QueryForm.CONSTRUCT
    depth = 0
    for match in TOKEN_PATTERN.finditer(sparql):
        kind, text = match.lastgroup, match.group()
        if kind == "word":
            word = text.upper()
            if word in QueryForm.__members__:
                seen_form = True
            elif word == "WHERE" and depth == 0:
                seen_where = True
        elif kind == "other" and text == "{":
            if seen_form and seen_where and depth == 0:
                return sparql[: match.end()] + " " + values + sparql[match.end() :]
            depth += 1
        elif kind == "other" and text == "}":
            depth -= 1
    return sparql + "\n" + values
