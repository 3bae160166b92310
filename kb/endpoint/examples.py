"""Example queries (`queries/*.rq`) with the metadata in their leading comments.

    # title: Findings per domain and assessment for one city
    # description: How many findings each of the six domains has, split into
    #   well-developed areas and areas with potential for further development.
    # tags: findings, domains, city

A description may continue on following comment lines that start with more
than one space. The rest of the file is the query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from kb.sparql.text import QueryForm, analyse

_FIELD = re.compile(r"#\s?(title|description|tags):\s*(.*)")
_CONTINUATION = re.compile(r"#\s{2,}(\S.*)")


@dataclass(frozen=True, slots=True)
class Example:
    name: str
    """File stem, e.g. `findings-per-domain-for-a-city`."""
    title: str
    description: str
    tags: tuple[str, ...]
    query: str
    form: QueryForm | None


def parse_example(name: str, text: str) -> Example:
    fields: dict[str, str] = {}
    current: str | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("#"):
            if stripped:
                break
            continue
        match = _FIELD.match(stripped)
        if match:
            current = match.group(1)
            fields[current] = match.group(2).strip()
            continue
        more = _CONTINUATION.match(line.lstrip())
        if current and more:
            fields[current] += " " + more.group(1).strip()
        else:
            current = None
    tags = tuple(t.strip() for t in fields.get("tags", "").split(",") if t.strip())
    return Example(
        name=name,
        title=fields.get("title", name.replace("-", " ")),
        description=fields.get("description", ""),
        tags=tags,
        query=text,
        form=analyse(text).form,
    )


def load_examples(directory: Path) -> list[Example]:
    """Every `*.rq` in `directory`, by file name; none if the directory is missing."""
    if not directory.is_dir():
        return []
    return [
        parse_example(path.stem, path.read_text(encoding="utf-8"))
        for path in sorted(directory.glob("*.rq"))
    ]
