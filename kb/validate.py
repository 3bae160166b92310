"""Validate built graphs against the SHACL shapes in `shapes/`.

Non-conformance is a *result* (a `ValidationReport` with `conforms=False`),
not an exception: only shapes that cannot be read or applied raise
`ShapeLoadError`. Warnings never make a graph non-conformant.

>>> from rdflib import Graph
>>> report = validate_graph(Graph(), Graph())
>>> report.conforms, report.results
(True, ())
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyshacl
from pyshacl.errors import ReportableRuntimeError
from rdflib import RDF, BNode, Dataset, Graph, Literal, Node, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH

from kb.errors import ShapeLoadError
from kb.namespaces import PREFIXES

__all__ = ["ValidationReport", "ValidationResult", "load_shapes", "validate_graph"]

SHAPES_NS = "https://w3id.org/mgi/shapes#"

# Most severe first, so reports open with what blocks a build.
_SEVERITY_RANK = {"Violation": 0, "Warning": 1, "Info": 2}

# Prefixes for the human-readable text only; the result fields keep full IRIs.
_TEXT_PREFIXES = sorted(
    [*PREFIXES.items(), ("mgish", SHAPES_NS), ("sh", str(SH))],
    key=lambda item: len(item[1]),
    reverse=True,
)


@dataclass(frozen=True, slots=True)
class ValidationResult:
    """One sh:ValidationResult, flattened to strings.

    `path` is the full IRI of a predicate path, a SPARQL 1.1 property path
    (`^<…>`, `<…>+`, …) for a complex one, or None for node-level results.
    `value` is the offending value node, when the constraint reports one;
    `component` the IRI of the SHACL constraint component that failed (e.g.
    `sh:MinCountConstraintComponent`), which tells apart two rules of one shape.
    """

    focus_node: str
    path: str | None
    severity: str  # "Violation" | "Warning" | "Info"
    message: str
    source_shape: str
    value: str | None = None
    component: str = ""


@dataclass(frozen=True, slots=True)
class ValidationReport:
    """Outcome of validating one graph; `conforms` ignores warnings and infos."""

    conforms: bool
    results: tuple[ValidationResult, ...]
    text: str
    results_graph: Graph

    @property
    def violations(self) -> tuple[ValidationResult, ...]:
        return tuple(r for r in self.results if r.severity == "Violation")

    @property
    def warnings(self) -> tuple[ValidationResult, ...]:
        return tuple(r for r in self.results if r.severity == "Warning")


def load_shapes(shapes_dir: Path) -> Graph:
    """Parse every `*.ttl` in `shapes_dir` (sorted by name) into one graph.

    Raises `ShapeLoadError` when the folder is missing, holds no Turtle file,
    a file does not parse, or the files declare no shape at all (an empty
    shapes graph would let every graph conform silently).
    """
    if not shapes_dir.is_dir():
        raise ShapeLoadError(f"shapes folder not found: {shapes_dir}")
    files = sorted(shapes_dir.glob("*.ttl"))
    if not files:
        raise ShapeLoadError(f"no *.ttl shapes files in {shapes_dir}")
    shapes = Graph()
    for path in files:
        try:
            shapes.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises several unrelated types on bad Turtle
            raise ShapeLoadError(f"{path}: not valid Turtle: {exc}") from exc
    if not any(shapes.subjects(RDF.type, SH.NodeShape)):
        raise ShapeLoadError(f"{shapes_dir}: the *.ttl files declare no sh:NodeShape")
    return shapes


def validate_graph(
    data: Graph,
    shapes: Graph,
    *,
    ontology: Graph | None = None,
) -> ValidationReport:
    """Validate `data` (plus `ontology`, if given, merged in) against `shapes`.

    For a `Dataset`, the union of its graphs is validated. Neither input is
    modified. Raises `ShapeLoadError` if pySHACL cannot apply the shapes.
    """
    # One private working copy: pySHACL then runs in place instead of cloning
    # again, and the caller's graphs stay untouched.
    working = Graph()
    _add_all(working, data)
    if ontology is not None:
        _add_all(working, ontology)
    try:
        _, results_graph, _ = pyshacl.validate(
            working,
            shacl_graph=shapes,
            inference="none",  # the builder asserts every type explicitly
            advanced=True,  # SHACL-SPARQL constraints and SPARQL targets
            inplace=True,
            allow_warnings=True,
        )
    except ReportableRuntimeError as exc:
        raise ShapeLoadError(f"the SHACL shapes could not be applied: {exc}") from exc
    if not isinstance(results_graph, Graph):  # pySHACL returns a ValidationFailure here
        raise ShapeLoadError(f"SHACL validation failed to run: {results_graph}")

    results = tuple(sorted(_read_results(results_graph), key=_sort_key))
    conforms = not any(r.severity == "Violation" for r in results)
    return ValidationReport(
        conforms=conforms,
        results=results,
        text=_render_text(conforms, results),
        results_graph=results_graph,
    )


def _add_all(target: Graph, source: Graph) -> None:
    if isinstance(source, Dataset):
        target.addN((s, p, o, target) for s, p, o, _ in source.quads((None, None, None, None)))
    else:
        target += source


def _read_results(report: Graph) -> Iterable[ValidationResult]:
    for node in report.subjects(RDF.type, SH.ValidationResult):
        path = report.value(node, SH.resultPath)
        value = report.value(node, SH.value)
        yield ValidationResult(
            focus_node=_node_text(report.value(node, SH.focusNode)),
            path=None if path is None else _path_text(report, path),
            severity=_local_name(report.value(node, SH.resultSeverity)),
            message=_message(report, node),
            source_shape=_node_text(report.value(node, SH.sourceShape)),
            value=None if value is None else _node_text(value),
            component=_node_text(report.value(node, SH.sourceConstraintComponent)),
        )


def _message(report: Graph, result: Node) -> str:
    messages = sorted(
        report.objects(result, SH.resultMessage),
        # English or untagged first, then by text, so the choice is stable.
        key=lambda m: (not isinstance(m, Literal) or m.language not in (None, "en"), str(m)),
    )
    return str(messages[0]) if messages else "(no message)"


def _sort_key(result: ValidationResult) -> tuple[int, str, str, str, str, str, str]:
    return (
        _SEVERITY_RANK.get(result.severity, len(_SEVERITY_RANK)),
        result.focus_node,
        result.path or "",
        result.message,
        result.source_shape,
        result.component,
        result.value or "",
    )


def _node_text(node: Node | None) -> str:
    if node is None:
        return ""
    if isinstance(node, BNode):
        return f"_:{node}"
    return str(node)


def _local_name(node: Node | None) -> str:
    text = _node_text(node)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _compact(iri: URIRef) -> str:
    text = str(iri)
    for prefix, namespace in _TEXT_PREFIXES:
        if text.startswith(namespace) and len(text) > len(namespace):
            return f"{prefix}:{text[len(namespace) :]}"
    return f"<{text}>"


def _path_text(graph: Graph, path: Node) -> str:
    """Render a SHACL path: a bare IRI as itself, anything else as SPARQL syntax."""
    return str(path) if isinstance(path, URIRef) else _complex_path(graph, path)


def _complex_path(graph: Graph, path: Node) -> str:
    if isinstance(path, URIRef):
        return f"<{path}>"
    for predicate, suffix in (
        (SH.zeroOrMorePath, "*"),
        (SH.oneOrMorePath, "+"),
        (SH.zeroOrOnePath, "?"),
    ):
        inner = graph.value(path, predicate)
        if inner is not None:
            return _group(graph, inner) + suffix
    inner = graph.value(path, SH.inversePath)
    if inner is not None:
        return "^" + _group(graph, inner)
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return (
            "(" + "|".join(_complex_path(graph, m) for m in Collection(graph, alternatives)) + ")"
        )
    if graph.value(path, RDF.first) is not None:
        return "/".join(_group(graph, m) for m in Collection(graph, path))
    return _node_text(path)


def _group(graph: Graph, path: Node) -> str:
    text = _complex_path(graph, path)
    # A sequence needs brackets before a postfix or ^ so the operator binds right
    # (alternatives come bracketed already).
    is_sequence = not isinstance(path, URIRef) and graph.value(path, RDF.first) is not None
    return f"({text})" if is_sequence else text


def _render_text(conforms: bool, results: tuple[ValidationResult, ...]) -> str:
    counts = {s: sum(r.severity == s for r in results) for s in _SEVERITY_RANK}
    head = (
        f"{'Conforms' if conforms else 'Does not conform'}: "
        f"{counts['Violation']} violation(s), {counts['Warning']} warning(s), "
        f"{counts['Info']} info(s)"
    )
    lines = [head]
    for r in results:
        path = "-" if r.path is None else _display_path(r.path)
        focus = r.focus_node if r.focus_node.startswith("_:") else f"<{r.focus_node}>"
        lines.append(
            f"{r.severity}  {focus}  {path}  {r.message}  [{_display_iri(r.source_shape)}]"
        )
    return "\n".join(lines)


def _display_path(path: str) -> str:
    if path.startswith(("^", "(", "<")):
        # Complex paths carry <iri> tokens: compact each one for reading.
        out, rest = [], path
        while "<" in rest:
            before, _, tail = rest.partition("<")
            iri, _, rest = tail.partition(">")
            out.append(before + _compact(URIRef(iri)))
        return "".join(out) + rest
    return _compact(URIRef(path))


def _display_iri(text: str) -> str:
    return text if text.startswith("_:") else _compact(URIRef(text))
