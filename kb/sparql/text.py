"""What a request's SPARQL text is, before it reaches the engine (pure functions).

pyoxigraph does not expose its parser, so a small lexer reads just enough:
the query form (to negotiate a format), whether the text is an update, whether
it names its own dataset (FROM / FROM NAMED) and which SERVICE endpoints it
calls. Strings, IRIs and comments are skipped as SPARQL defines them, so a
keyword hidden inside a literal or an IRI is never mistaken for one, and a
keyword outside them is never missed. The engine still parses the query; this
lexer only has to be right about those keywords.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache
from urllib.parse import urljoin


class QueryForm(Enum):
    SELECT = "SELECT"
    ASK = "ASK"
    CONSTRUCT = "CONSTRUCT"
    DESCRIBE = "DESCRIBE"


UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)

TOKEN_PATTERN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
      | '''(?:[^'\\]|\\.|'(?!''))*'''
      | "(?:[^"\\\n\r]|\\.)*"
      | '(?:[^'\\\n\r]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][^\s(){}\[\],;.'"<>=!&|+*/^#-]+)
  | (?P<pname>(?:[^\W\d_][\w.\-]*)?:(?:[\w\-:%]|\\.|\.(?=[\w\-:%]))*)
  | (?P<word>[^\W\d][\w]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True, slots=True)
class Token:
    kind: str
    text: str

    @property
    def keyword(self) -> str:
        return self.text.upper() if self.kind == "word" else ""


def tokens(text: str) -> list[Token]:
    """Significant tokens of a SPARQL text (no whitespace, no comments)."""
    out = []
    for match in TOKEN_PATTERN.finditer(text):
        kind = match.lastgroup or "other"
        if kind not in ("ws", "comment"):
            out.append(Token(kind, match.group()))
    return out


@dataclass(frozen=True, slots=True)
class QueryShape:
    """The facts about a request text the service acts on before running it."""

    form: QueryForm | None
    is_update: bool
    has_dataset_clause: bool
    services: tuple[str | None, ...] = field(default=())
    """Endpoint IRI of each SERVICE, None where it is a variable or unresolvable."""


@lru_cache(maxsize=512)
def analyse(text: str) -> QueryShape:
    """Form, update, dataset clause and SERVICE endpoints of a text (cached: clients repeat)."""
    toks = tokens(text)
    prefixes: dict[str, str] = {}
    base = ""
    form: QueryForm | None = None
    is_update = False
    has_dataset = False
    services: list[str | None] = []
    for i, tok in enumerate(toks):
        word = tok.keyword
        if not word:
            continue
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if word == "PREFIX" and nxt is not None and i + 2 < len(toks):
            iri = toks[i + 2]
            if nxt.kind == "pname" and iri.kind == "iri":
                prefixes[nxt.text[:-1]] = urljoin(base, iri.text[1:-1])
        elif word == "BASE" and nxt is not None and nxt.kind == "iri":
            base = urljoin(base, nxt.text[1:-1])
        elif form is None and not is_update and word in QueryForm.__members__:
            form = QueryForm[word]
        elif form is None and word in UPDATE_KEYWORDS:
            is_update = True
        elif word == "FROM":
            has_dataset = True
        elif word == "SERVICE":
            services.append(_service_endpoint(toks[i + 1 :], prefixes, base))
    return QueryShape(form, is_update, has_dataset, tuple(services))


def _service_endpoint(rest: list[Token], prefixes: dict[str, str], base: str) -> str | None:
    following = [t for t in rest[:2]]
    if following and following[0].keyword == "SILENT":
        following = rest[1:2]
    if not following:
        return None
    target = following[0]
    if target.kind == "iri":
        return urljoin(base, target.text[1:-1])
    if target.kind == "pname":
        prefix, _, local = target.text.partition(":")
        if prefix in prefixes:
            return prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)
    return None


_BRACKET = re.compile(r"[(){}\[\]]")


def bracket_depth(text: str) -> int:
    """Deepest nesting of (), {} and [] in the raw text.

    Counted on every character, inside strings, IRIs and comments too: the
    count must not depend on reading the text the way the engine does, so it
    errs on the side of counting more. A closer without an opener counts 0.
    """
    depth = deepest = 0
    for match in _BRACKET.finditer(text):
        if match.group() in "({[":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth = max(0, depth - 1)
    return deepest


_POSITION = re.compile(r"(?:error )?at (\d+):(\d+)")


def error_position(message: str) -> tuple[int, int] | None:
    """(line, column) from a parser message such as `error at 1:25: expected …`."""
    match = _POSITION.search(message)
    return (int(match.group(1)), int(match.group(2))) if match else None
