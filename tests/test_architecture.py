"""The layers of `kb/` run one way (ARCHITECTURE.md): no import from a lower
floor reaches a higher one, and no module or class outgrows a few screens."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

KB = Path(__file__).resolve().parents[1] / "kb"

# Lowest floor first; a package may import its own floor and those below.
FLOORS: list[set[str]] = [
    {"__init__", "errors", "model", "text", "namespaces", "iris", "settings"},
    {"reference", "parse", "sparql", "rdf", "synth"},
    {"extract"},
    {"build"},
    {"validate"},
    {"store"},
    {"publication"},
    {"pipeline", "http"},
    {"endpoint"},
    {"linkeddata"},
    {"explorer"},
    {"web"},
    {"cli"},
]
FLOOR_OF = {name: floor for floor, names in enumerate(FLOORS) for name in names}
MAX_MODULE_LINES = 900
MAX_CLASS_LINES = 600


def _modules() -> list[Path]:
    return sorted(p for p in KB.rglob("*.py") if "frontend" not in p.parts)


def _part(path: Path) -> str:
    """The top-level package or module of `kb/` a file belongs to."""
    relative = path.relative_to(KB).parts
    return relative[0].removesuffix(".py")


def _imported_parts(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
            if node.module == "kb":  # `from kb import x`
                names = [f"kb.{alias.name}" for alias in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "kb" and len(parts) > 1:
                found.append((node.lineno, parts[1]))
    return found


def test_every_part_of_kb_has_a_floor() -> None:
    parts = {_part(p) for p in _modules()}
    assert parts <= set(FLOOR_OF), f"give these a floor in FLOORS: {parts - set(FLOOR_OF)}"


def test_no_import_runs_back_up() -> None:
    back = []
    for path in _modules():
        own = FLOOR_OF[_part(path)]
        for line, part in _imported_parts(ast.parse(path.read_text(encoding="utf-8"))):
            if FLOOR_OF.get(part, -1) > own:
                back.append(f"{path.relative_to(KB.parent)}:{line} imports kb.{part}")
    assert not back, "imports that run back up:\n" + "\n".join(back)


def test_the_check_sees_a_back_reference() -> None:
    tree = ast.parse("from kb.web.app import create_app\nimport kb.cli\n")
    assert [part for _, part in _imported_parts(tree)] == ["web", "cli"]


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(KB)))
def test_modules_and_classes_stay_small(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count("\n") <= MAX_MODULE_LINES
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.ClassDef):
            size = (node.end_lineno or node.lineno) - node.lineno + 1
            assert size <= MAX_CLASS_LINES, f"class {node.name} has {size} lines"
