"""MGI Knowledge Graph: MGI profiles as a validated, published RDF knowledge graph.

One small public function per pipeline stage, over in-memory objects:

    parse_profile(text, *, source) -> Profile              (kb.parse.profile)
    extract_mentions(profile, gazetteer) -> Extraction     (kb.extract.extractor)
    build_profile_graph(profile, extraction, ...) -> Graph (kb.build.profile_graph)
    validate_graph(graph, shapes) -> ValidationReport      (kb.validate)

They are imported lazily, so `import kb` (and the CLI) stays quick.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from kb.errors import KbError, ProfileParseError
from kb.model import Assessment, Domain, Extraction, Finding, Level, Mention, Profile

_LAZY = {
    "parse_profile": "kb.parse.profile",
    "read_profile": "kb.parse.profile",
    "extract_mentions": "kb.extract.extractor",
    "build_profile_graph": "kb.build.profile_graph",
    "validate_graph": "kb.validate",
    "ValidationReport": "kb.validate",
}

__all__ = [
    "Assessment",
    "Domain",
    "Extraction",
    "Finding",
    "KbError",
    "Level",
    "Mention",
    "Profile",
    "ProfileParseError",
    "ValidationReport",
    "build_profile_graph",
    "extract_mentions",
    "parse_profile",
    "read_profile",
    "validate_graph",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'kb' has no attribute {name!r}")
