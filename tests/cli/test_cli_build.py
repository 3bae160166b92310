"""`kb build`, `kb query`, `kb export`, `kb validate` on the real profile, end to end.

Every build here writes a real Oxigraph store in a temporary directory.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kb.cli import cli

REPO = Path(__file__).resolve().parents[2]
REAL_PROFILE = REPO / "data" / "profiles" / "bucaramanga-2022.txt"

COUNT_BY_DOMAIN = """
PREFIX mgi: <https://w3id.org/mgi/def#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?notation ?assessment (COUNT(?f) AS ?n) WHERE {
  ?f a mgi:Finding ; mgi:domain ?d ; mgi:assessment ?a .
  ?d skos:notation ?notation . ?a skos:notation ?assessment .
} GROUP BY ?notation ?assessment ORDER BY ?notation ?assessment
"""


@pytest.fixture(autouse=True)
def _run_from_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    # Default paths (ontology/, shapes/, data/reference/) are relative to the working directory.
    monkeypatch.chdir(REPO)
    for name in list(os.environ):
        if name.startswith("KB_"):
            monkeypatch.delenv(name)


def kb(*args: str | Path, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], env=env, catch_exceptions=False)


@pytest.fixture(scope="module")
def built_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("store")
    os.chdir(REPO)
    result = kb("build", "--store", store, "--quiet")
    assert result.exit_code == 0, result.output
    return store


def counts(store: Path) -> dict[tuple[str, str], int]:
    result = kb("query", COUNT_BY_DOMAIN, "--store", store, "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["results"]["bindings"]
    return {(r["notation"]["value"], r["assessment"]["value"]): int(r["n"]["value"]) for r in rows}


def test_build_summary_names_profiles_findings_and_validation(built_store: Path) -> None:
    result = kb("build", "--store", built_store / "again")
    assert result.exit_code == 0
    assert "built 1 profiles, 33 findings" in result.output
    assert "shapes: conforms" in result.output
    assert "bucaramanga-2022.txt: 33 findings" in result.stderr


def test_query_counts_findings_per_domain_and_assessment(built_store: Path) -> None:
    by_cell = counts(built_store)
    assert sum(by_cell.values()) == 33
    assert sum(n for (_, a), n in by_cell.items() if a == "well-developed") == 18
    assert sum(n for (_, a), n in by_cell.items() if a == "potential") == 15
    assert by_cell[("1", "well-developed")] == 4 and by_cell[("5", "potential")] == 3


def test_query_table_and_file_argument(built_store: Path, tmp_path: Path) -> None:
    rq = tmp_path / "count.rq"
    rq.write_text(
        "SELECT (COUNT(*) AS ?findings) WHERE { ?f a <https://w3id.org/mgi/def#Finding> }"
    )
    result = kb("query", f"@{rq}", "--store", built_store)
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].strip() == "findings" and lines[2].startswith("33") and lines[-1] == "(1 row)"


def test_query_syntax_error_exits_2_with_message(built_store: Path) -> None:
    result = kb("query", "SELECT WHERE {", "--store", built_store)
    assert result.exit_code == 2
    assert "kb: error:" in result.stderr


def test_query_without_a_build_says_to_build(tmp_path: Path) -> None:
    result = kb("query", "ASK {}", "--store", tmp_path / "nothing")
    assert result.exit_code == 2
    assert "kb build" in result.stderr


@pytest.mark.parametrize("fmt", ["nq", "trig", "ttl", "jsonld", "nt"])
def test_export_is_byte_identical_across_rebuilds(
    built_store: Path, tmp_path: Path, fmt: str
) -> None:
    other = tmp_path / "rebuilt"
    assert kb("build", "--store", other, "--quiet").exit_code == 0
    first, second = tmp_path / f"a.{fmt}", tmp_path / f"b.{fmt}"
    assert kb("export", "--format", fmt, "--out", first, "--store", built_store).exit_code == 0
    assert kb("export", "--format", fmt, "--out", second, "--store", other).exit_code == 0
    assert first.read_bytes() == second.read_bytes()
    assert len(first.read_bytes()) > 10_000


def test_export_nquads_holds_every_named_graph(built_store: Path) -> None:
    result = kb("export", "--store", built_store)
    graphs = {line.rsplit(" ", 2)[-2] for line in result.output.splitlines() if line}
    assert "<https://w3id.org/mgi/id/profile/bucaramanga-2022>" in graphs
    assert "<https://w3id.org/mgi/def>" in graphs
    assert "<https://w3id.org/mgi/graph/reference>" in graphs


def _corrupt(text: str, how: str) -> bytes:
    lines = text.split("\n")
    heading = next(i for i, line in enumerate(lines) if line.startswith("ALIANZAS"))
    match how:
        case "truncated":
            return "\n".join(lines[: len(lines) // 2]).encode()
        case "finding-outside-domain":
            at = next(i for i, line in enumerate(lines) if line.strip() == "Key findings")
            return "\n".join(
                [*lines[: at + 1], "  • Un hallazgo suelto.", *lines[at + 1 :]]
            ).encode()
        case "unknown-heading":
            lines[heading] = "ASUNTOS VARIOS"
            return "\n".join(lines).encode()
        case "empty":
            return b""
        case "binary":
            return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
        case "invalid-utf8":
            return text.encode()[:500] + b"\xff\xfe" + text.encode()[500:]
    raise AssertionError(how)


@pytest.mark.parametrize(
    "how",
    ["truncated", "finding-outside-domain", "unknown-heading", "empty", "binary", "invalid-utf8"],
)
def test_bad_profile_fails_clearly_and_previous_store_keeps_answering(
    built_store: Path, tmp_path: Path, how: str
) -> None:
    store = tmp_path / "store"
    shutil.copytree(built_store, store, symlinks=True)
    before = (store / "current").resolve()
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    (profiles / REAL_PROFILE.name).write_bytes(
        _corrupt(REAL_PROFILE.read_text(encoding="utf-8"), how)
    )
    result = kb("build", "--profiles", profiles, "--store", store, "--quiet")
    assert result.exit_code == 2
    message = result.stderr
    assert f"{REAL_PROFILE.name}" in message and "kb: error:" in message
    if how not in ("empty",):
        assert f"{REAL_PROFILE.name}:" in message  # names a line
    assert (store / "current").resolve() == before
    assert sum(counts(store).values()) == 33


def test_shape_violation_exits_1_and_stores_nothing(built_store: Path, tmp_path: Path) -> None:
    shapes = tmp_path / "shapes"
    shutil.copytree(REPO / "shapes", shapes)
    (shapes / "zz-impossible.ttl").write_text(
        """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix mgi: <https://w3id.org/mgi/def#> .
<urn:test:every-finding-needs-a-colour> a sh:NodeShape ;
  sh:targetClass mgi:Finding ;
  sh:property [ sh:path <urn:test:colour> ; sh:minCount 1 ; sh:message "needs a colour" ] .
"""
    )
    store = tmp_path / "store"
    shutil.copytree(built_store, store, symlinks=True)
    before = (store / "current").resolve()
    result = kb("build", "--store", store, "--quiet", env={"KB_SHAPES": str(shapes)})
    assert result.exit_code == 1
    assert "needs a colour" in result.stderr and "nothing was stored" in result.stderr
    assert (store / "current").resolve() == before


def test_validate_profile_and_rdf_files(tmp_path: Path) -> None:
    ok = kb("validate", REAL_PROFILE)
    assert ok.exit_code == 0 and "conforms" in ok.output
    broken = tmp_path / "broken.ttl"
    broken.write_text(
        """@prefix mgi: <https://w3id.org/mgi/def#> .
<https://w3id.org/mgi/id/finding/x/1> a mgi:Finding ; mgi:position 0 .
"""
    )
    bad = kb("validate", broken)
    assert bad.exit_code == 1
    assert "DOES NOT CONFORM" in bad.output
    assert "https://w3id.org/mgi/id/finding/x/1" in bad.output


def test_entry_point_help_documents_commands() -> None:
    kb_bin = Path(sys.executable).parent / "kb"
    out = subprocess.run(
        [str(kb_bin), "--help"], capture_output=True, text=True, check=True, cwd=REPO
    ).stdout
    for command in ("build", "validate", "query", "export"):
        assert command in out
    assert "Exit codes" in out


SHARED_PROFILES = REPO.parent / "shared" / "profiles"


def _fixture_profiles(tmp_path: Path) -> Path:
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    for source in [REAL_PROFILE, *sorted(SHARED_PROFILES.glob("*.txt"))]:
        shutil.copy(source, profiles / source.name)
    return profiles


def test_parallel_build_gives_the_same_bytes_as_a_serial_one(tmp_path: Path) -> None:
    profiles = _fixture_profiles(tmp_path)
    outputs = []
    for jobs in ("1", "2"):
        store = tmp_path / f"store-{jobs}"
        result = kb("build", "--profiles", profiles, "--store", store, "--jobs", jobs, "-q")
        assert result.exit_code == 0, result.output
        assert f"built {len(list(profiles.glob('*.txt')))} profiles" in result.output
        outputs.append(kb("export", "--store", store).stdout_bytes)
    assert outputs[0] == outputs[1]
    assert b"/id/profile/kestrelmouth-2021>" in outputs[0]


def test_parallel_build_reports_the_bad_file_and_line(tmp_path: Path) -> None:
    profiles = _fixture_profiles(tmp_path)
    bad = profiles / "kestrelmouth-2021.txt"
    lines = bad.read_text(encoding="utf-8").split("\n")
    heading = next(i for i, line in enumerate(lines) if line.strip() == "PARTNERSHIPS")
    lines[heading] = "MISCELLANEOUS MATTERS"
    bad.write_text("\n".join(lines), encoding="utf-8")
    result = kb("build", "--profiles", profiles, "--store", tmp_path / "s", "--jobs", "2", "-q")
    assert result.exit_code == 2
    assert f"kestrelmouth-2021.txt:{heading + 1}:" in result.stderr
    assert not (tmp_path / "s" / "current").exists()
