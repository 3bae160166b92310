"""Store layout and the Oxigraph backend, on real stores in temporary directories."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kb.errors import QuerySyntaxError, StoreUnavailableError
from kb.store import OxigraphStore, StoreLayout, write_store
from kb.store.layout import DATASET_FILE, STORE_DIR

EX = "http://example.org/"


def _nquads(value: str, graph: str) -> bytes:
    return f'<{EX}s> <{EX}p> "{value}" <{EX}{graph}> .\n'.encode()


def _publish(layout: StoreLayout, data: bytes) -> Path:
    build_dir = layout.new_build_dir()
    (build_dir / DATASET_FILE).write_bytes(data)
    write_store(build_dir / STORE_DIR, build_dir / DATASET_FILE)
    layout.publish(build_dir)
    return build_dir


def _value(store: OxigraphStore) -> list[str]:
    return [row["o"].value for row in store.select("SELECT ?o WHERE { ?s ?p ?o }")]


def test_no_build_yet_is_store_unavailable(tmp_path: Path) -> None:
    with pytest.raises(StoreUnavailableError, match="kb build"):
        StoreLayout(tmp_path).current_store_path()


def test_publish_switches_current_and_old_readers_keep_their_build(tmp_path: Path) -> None:
    layout = StoreLayout(tmp_path)
    first = _publish(layout, _nquads("old", "g1"))
    reader = OxigraphStore.open_read_only(layout.current_store_path())
    second = _publish(layout, _nquads("new", "g2"))
    assert layout.current_build() == second.resolve() != first.resolve()
    assert _value(reader) == ["old"]  # an open reader is not disturbed
    assert _value(OxigraphStore.open_read_only(layout.current_store_path())) == ["new"]


def test_publish_keeps_only_a_few_builds(tmp_path: Path) -> None:
    layout = StoreLayout(tmp_path)
    for i in range(6):
        last = _publish(layout, _nquads(str(i), "g"))
    remaining = sorted(p.name for p in layout.builds.iterdir())
    assert len(remaining) == 3 and last.name in remaining


def test_default_graph_is_union_of_named_graphs(tmp_path: Path) -> None:
    layout = StoreLayout(tmp_path)
    _publish(layout, _nquads("a", "g1") + _nquads("b", "g2"))
    store = OxigraphStore.open_read_only(layout.current_store_path())
    assert sorted(_value(store)) == ["a", "b"]
    assert store.named_graphs() == [f"{EX}g1", f"{EX}g2"]
    only_g1 = store.query("SELECT ?o WHERE { ?s ?p ?o }", default_graph=[f"{EX}g1"])
    assert [s["o"].value for s in only_g1] == ["a"]


def test_substitutions_bind_instead_of_interpolating(tmp_path: Path) -> None:
    store = OxigraphStore.in_memory(_write(tmp_path, _nquads("a", "g1")))
    rows = store.select(
        "SELECT ?s ?o WHERE { ?s ?p ?o }", substitutions={"s": ox.NamedNode(f"{EX}other")}
    )
    assert rows == []


def test_syntax_error_is_typed(tmp_path: Path) -> None:
    store = OxigraphStore.in_memory(_write(tmp_path, _nquads("a", "g1")))
    with pytest.raises(QuerySyntaxError):
        store.query("SELECT WHERE {")


def test_read_only_store_refuses_writes(tmp_path: Path) -> None:
    layout = StoreLayout(tmp_path)
    _publish(layout, _nquads("a", "g1"))
    raw = ox.Store.read_only(str(layout.current_store_path()))
    with pytest.raises((OSError, RuntimeError)):
        raw.update(f"INSERT DATA {{ <{EX}x> <{EX}y> <{EX}z> }}")


def _write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "data.nq"
    path.write_bytes(data)
    return path


def test_a_query_naming_its_dataset_is_not_given_the_union(tmp_path: Path) -> None:
    store = OxigraphStore.in_memory(_write(tmp_path, _nquads("a", "g1") + _nquads("b", "g2")))
    rows = store.select(f"SELECT ?o FROM <{EX}g2> WHERE {{ ?s ?p ?o }}")
    assert [r["o"].value for r in rows] == ["b"]
