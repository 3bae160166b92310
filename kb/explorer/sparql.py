"""Query constants and the one way values get into them.

Every explorer query is a constant text. Values from a request reach it only
as RDF terms written by pyoxigraph's own serialiser where the constant
declares a placeholder — in a `VALUES` block (`VALUES ?org { $org }`) or, for
a literal, in an expression (`REGEX(?text, $pattern, "i")`) — or as validated integers
(`LIMIT $limit`) and fragments picked from a table in this package (`Raw`,
for `ORDER BY`). The query pool's workers take a query text, not pyoxigraph
`substitutions`, so this is how bound variables reach them; the rendered text
is also exactly what "show the SPARQL" opens in the workbench.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from kb.namespaces import PREFIXES

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
