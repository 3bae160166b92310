"""One statistics type and one set of counting queries: the counts `kb build`
writes, the endpoint's fallback over its workers and the linked-data site's
fallback over the store agree (they used to differ on duplicate triples)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import rdflib

from kb.linkeddata.site import Site
from kb.pipeline import build_knowledge_graph
from kb.publication.counts import DatasetStatistics
from kb.settings import Settings
from kb.store import StoreLayout
from kb.store.layout import STATISTICS_FILE
from tests.support.servers import REPO, SHARED, running_server

VOID = rdflib.Namespace("http://rdfs.org/ns/void#")


def void_counts(turtle: str) -> tuple[int, int, int]:
    graph = rdflib.Graph().parse(data=turtle, format="turtle")
    dataset = next(graph.subjects(VOID.sparqlEndpoint, None))
    return tuple(  # type: ignore[return-value]
        int(graph.value(dataset, p))
        for p in (VOID.triples, VOID.distinctSubjects, VOID.distinctObjects)
    )


@pytest.fixture(scope="module")
def several(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build of several profiles: bodies named in more than one graph give the
    union duplicate triples, which VoID must count once."""
    folder = tmp_path_factory.mktemp("several")
    profiles = folder / "profiles"
    profiles.mkdir()
    for source in [
        REPO / "data" / "profiles" / "bucaramanga-2022.txt",
        *(SHARED / "profiles").glob("*.txt"),
    ]:
        shutil.copy(source, profiles / source.name)
    settings = Settings(store=folder / "store", profiles=profiles)
    assert build_knowledge_graph(settings).conforms
    return settings.store


@pytest.fixture(scope="module")
def without_counts(several: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of that build with its statistics.json removed (as in an older build)."""
    root = tmp_path_factory.mktemp("no-counts") / "store"
    shutil.copytree(several, root, symlinks=True)
    (StoreLayout(root).current_build() / STATISTICS_FILE).unlink()
    return root


def test_the_union_has_duplicates_to_count_once(several: Path) -> None:
    stats = DatasetStatistics.load(StoreLayout(several).current_build() / STATISTICS_FILE)
    assert stats.triples < stats.quads


def test_the_site_counts_what_the_build_wrote(several: Path, without_counts: Path) -> None:
    written = DatasetStatistics.load(StoreLayout(several).current_build() / STATISTICS_FILE)
    counted = Site.for_build(
        StoreLayout(without_counts).current_build(), base="https://w3id.org/mgi/"
    )
    assert counted.statistics == written


@pytest.mark.e2e
def test_the_endpoint_counts_what_the_build_wrote(
    several: Path, without_counts: Path, tmp_path: Path
) -> None:
    answers = []
    for root in (several, without_counts):
        with running_server(root, tmp_path, workers=1) as server, server.client() as client:
            answers.append(
                void_counts(client.get("/.well-known/void", headers={"Accept": "text/turtle"}).text)
            )
    written, counted = answers
    assert counted == written
    stats = DatasetStatistics.load(StoreLayout(several).current_build() / STATISTICS_FILE)
    assert written == (stats.triples, stats.distinct_subjects, stats.distinct_objects)
