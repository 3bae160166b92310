"""Serving defaults: a worker per core; `store_mode=auto`: memory workers while the data fit."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kb.endpoint.service import MEMORY_PER_NQUADS_BYTE, physical_memory, store_mode_for
from kb.settings import Settings, usable_cores
from tests.support.servers import KnowledgeGraph


def _nquads(tmp_path: Path, size: int) -> Path:
    path = tmp_path / "dataset.nq"
    with path.open("wb") as out:
        out.truncate(size)  # sparse: no disk is used
    return path


def test_small_data_go_to_memory(tmp_path: Path) -> None:
    settings = Settings(store=tmp_path, store_mode="auto", workers=2)
    assert store_mode_for(settings, [_nquads(tmp_path, 10_000_000)]) == "memory"


def test_data_that_would_not_fit_twice_per_worker_go_to_disk(tmp_path: Path) -> None:
    workers = 2
    # Just over half the memory once every worker holds two generations.
    size = physical_memory() // 2 // (MEMORY_PER_NQUADS_BYTE * workers * 2) + 1
    settings = Settings(store=tmp_path, store_mode="auto", workers=workers)
    assert store_mode_for(settings, [_nquads(tmp_path, size)]) == "disk"
    assert store_mode_for(settings, [_nquads(tmp_path, size - 2)]) == "memory"
    one_worker = Settings(store=tmp_path, store_mode="auto", workers=1)
    assert store_mode_for(one_worker, [_nquads(tmp_path, size)]) == "memory"


@pytest.mark.parametrize("mode", ["memory", "disk"])
def test_an_explicit_mode_is_kept_whatever_the_size(tmp_path: Path, mode: str) -> None:
    settings = Settings(store=tmp_path, store_mode=mode)
    assert store_mode_for(settings, [_nquads(tmp_path, physical_memory())]) == mode


def test_one_worker_per_core_by_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KB_WORKERS", raising=False)
    monkeypatch.setattr("kb.settings.usable_cores", lambda: 6)
    assert Settings(store=tmp_path).workers == 6
    monkeypatch.setenv("KB_WORKERS", "3")
    assert Settings(store=tmp_path).workers == 3


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="no CPU affinity here")
def test_cores_are_the_ones_this_process_may_use() -> None:
    allowed = os.sched_getaffinity(0)
    try:
        os.sched_setaffinity(0, {min(allowed)})
        assert usable_cores() == 1
    finally:
        os.sched_setaffinity(0, allowed)
    assert usable_cores() == len(allowed)


def test_a_served_build_gets_the_mode_chosen_for_its_size(
    knowledge_graph: KnowledgeGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kb.endpoint.service import DatasetVersion

    settings = Settings(store=knowledge_graph.root, store_mode="auto", workers=2)
    roomy = DatasetVersion.current(settings)
    assert roomy.mode == "memory"
    assert Path(roomy.worker_path).name == "dataset.nq"
    monkeypatch.setattr("kb.endpoint.service.physical_memory", lambda: 1 << 20)  # 1 MiB
    cramped = DatasetVersion.current(settings)
    assert cramped.mode == "disk"
    assert Path(cramped.worker_path).name == "store"
    assert cramped.extra == ()  # the disk store holds the statistics graph already
