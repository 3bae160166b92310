"""Session fixtures: the real knowledge graph, the W3C protocol store, and
the servers over them (helpers in `tests/support/servers.py`)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.servers import (
    REPO,
    W3C,
    KnowledgeGraph,
    Server,
    build_real_store,
    running_server,
)


@pytest.fixture(scope="session")
def knowledge_graph(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeGraph:
    """The real build of `data/profiles` (KB_TEST_PROFILES names another folder,
    which the test of this very rule uses to feed it a broken profile)."""
    root = tmp_path_factory.mktemp("kb-store")
    profiles = Path(os.environ.get("KB_TEST_PROFILES") or REPO / "data" / "profiles")
    build_real_store(root, profiles)
    return KnowledgeGraph(root)


@pytest.fixture(scope="session")
def w3c_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The protocol tests' data: data1-3.nt as named graphs <…/dataN.rdf>."""
    from kb.store import StoreLayout, write_store
    from kb.store.layout import DATASET_FILE, STORE_DIR

    root = tmp_path_factory.mktemp("w3c-store")
    layout = StoreLayout(root)
    build = layout.new_build_dir()
    lines = []
    for n in (1, 2, 3):
        graph = f"<http://kasei.us/2009/09/sparql/data/data{n}.rdf>"
        for line in (W3C / "protocol" / f"data{n}.nt").read_text().splitlines():
            if line.strip():
                lines.append(line.rstrip().removesuffix(".").rstrip() + f" {graph} .")
    (build / DATASET_FILE).write_text("\n".join(lines) + "\n")
    write_store(build / STORE_DIR, build / DATASET_FILE)
    layout.publish(build)
    return root


@pytest.fixture(scope="session")
def server(
    knowledge_graph: KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """The endpoint over the project's knowledge graph, default settings (3 workers)."""
    with running_server(
        knowledge_graph.root, tmp_path_factory.mktemp("logs"), workers=3
    ) as running:
        yield running


@pytest.fixture(scope="session")
def w3c_server(w3c_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running_server(w3c_store, tmp_path_factory.mktemp("logs"), workers=2) as running:
        yield running


SERVER_FIXTURES = frozenset({"server", "w3c_server"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that runs against a started server is an `e2e` test, whether it
    asks for a server fixture or its module starts servers itself (`pytestmark`)."""
    for item in items:
        if SERVER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.e2e)


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium, headless, driven by Playwright; skipped (saying why) when
    either is missing. Its flags keep it off the network (no background requests)."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
    executable = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if executable is None:
        pytest.skip("chromium is not installed (Debian package chromium); CI installs it")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            yield launched
        finally:
            launched.close()
