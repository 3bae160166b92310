"""The build: every profile parsed, linked, turned into RDF, validated, stored.

Everything is compiled and validated in memory first; only a dataset that
conforms is written, into a new build directory that is then published
atomically. A failure at any step leaves the published store as it was.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, BinaryIO

from rdflib import Graph, URIRef

from kb.build.canonical import canonical_nquads, graph_quads
from kb.build.institutions import DatasetInfo, build_institutions_graph, load_dataset_info
from kb.build.profile_graph import (
    build_places_graph,
    build_profile_graph,
    merge,
    place_slug_for,
    profile_slug,
)
from kb.errors import ProfileParseError, ShapeLoadError
from kb.extract.extractor import extract_mentions
from kb.extract.gazetteer import Gazetteer, load_gazetteer
from kb.iris import Iris
from kb.parse.profile import read_profile
from kb.publication.catalog import write_publication
from kb.publication.statistics import write_statistics
from kb.reference.places import Places, load_places
from kb.settings import Settings
from kb.store.layout import DATASET_FILE, STORE_DIR, StoreLayout
from kb.store.oxigraph import write_store
from kb.store.sparql import load_build
from kb.validate import ValidationReport, load_shapes, validate_graph

Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class ProfileSummary:
    source: str
    slug: str
    graph: str
    findings: int
    mentions: int
    triples: int
    report: ValidationReport


@dataclass(frozen=True, slots=True)
class Reference:
    """Everything curated that the build reads besides the profiles."""

    ontology: Graph
    shapes: Graph
    places: Places
    gazetteer: Gazetteer
    dataset: DatasetInfo
    graph: Graph  # places + curated institutions, for the reference named graph


@dataclass(slots=True)
class CompiledDataset:
    """What a build learned; the quads themselves went to the sink graph by graph."""

    quads: int = 0
    profiles: list[ProfileSummary] = field(default_factory=list)
    reference_report: ValidationReport | None = None

    @property
    def conforms(self) -> bool:
        reports = [p.report for p in self.profiles]
        if self.reference_report is not None:
            reports.append(self.reference_report)
        return all(r.conforms for r in reports)

    @property
    def findings(self) -> int:
        return sum(p.findings for p in self.profiles)

    def report_text(self, *, include_warnings: bool = True) -> str:
        parts = []
        for name, report in self._reports():
            if report.results and (include_warnings or not report.conforms):
                parts.append(f"== {name}\n{report.text}")
        return "\n".join(parts)

    def _reports(self) -> list[tuple[str, ValidationReport]]:
        named = [(p.source, p.report) for p in self.profiles]
        if self.reference_report is not None:
            named.insert(0, ("reference data", self.reference_report))
        return named


@dataclass(frozen=True, slots=True)
class BuildResult:
    compiled: CompiledDataset
    build_dir: Path | None  # None when nothing was stored
    quads: int
    seconds: float

    @property
    def conforms(self) -> bool:
        return self.compiled.conforms


def load_reference(settings: Settings) -> Reference:
    iris = settings.iris
    ontology = _load_turtle(settings.ontology)
    shapes = load_shapes(settings.shapes)
    places = load_places(settings.reference / "places.toml")
    gazetteer = load_gazetteer(settings.reference / "institutions.toml")
    dataset = load_dataset_info(settings.reference / "dataset.toml", gazetteer)
    graph = merge(
        [build_places_graph(places, iris=iris), build_institutions_graph(gazetteer, iris=iris)]
    )
    return Reference(ontology, shapes, places, gazetteer, dataset, graph)


def _load_turtle(path: Path) -> Graph:
    try:
        return Graph().parse(path, format="turtle")
    except (OSError, SyntaxError, ValueError) as exc:
        raise ShapeLoadError(f"{path}: cannot read ontology: {exc}") from exc


def profile_files(profiles_dir: Path) -> list[Path]:
    if not profiles_dir.is_dir():
        raise ProfileParseError("profiles directory not found", path=profiles_dir)
    files = sorted(profiles_dir.glob("*.txt"))
    if not files:
        raise ProfileParseError("no profile (*.txt) in directory", path=profiles_dir)
    return files


def compile_dataset(
    settings: Settings,
    sink: BinaryIO,
    *,
    reference: Reference | None = None,
    progress: Progress | None = None,
    jobs: int = 1,
) -> CompiledDataset:
    """Parse, link, build and validate every profile, writing canonical N-Quads to `sink`.

    Graph by graph (ontology, reference, then each profile), each graph's lines
    sorted: deterministic bytes, and memory bounded by one profile at a time,
    since each profile graph is validated with the reference graph only, not
    with the whole union.
    """
    say = progress or (lambda _msg: None)
    iris = settings.iris
    ref = reference or load_reference(settings)
    compiled = CompiledDataset()
    compiled.reference_report = validate_graph(ref.graph, ref.shapes, ontology=ref.ontology)
    compiled.quads += _write_graph(sink, ref.ontology, iris.ontology_graph)
    compiled.quads += _write_graph(sink, ref.graph, iris.reference_graph)

    files = profile_files(settings.profiles)
    seen_slugs: dict[str, str] = {}
    started = time.perf_counter()
    for index, (path, (chunk, summary)) in enumerate(
        zip(files, _compiled_profiles(files, ref, settings, jobs), strict=True), start=1
    ):
        if summary.slug in seen_slugs:
            raise ProfileParseError(
                f"profile {summary.slug!r} is also built from {seen_slugs[summary.slug]}: "
                "one profile per place and year",
                path=path,
            )
        seen_slugs[summary.slug] = path.name
        sink.write(chunk)
        compiled.quads += chunk.count(b"\n")
        compiled.profiles.append(summary)
        report = summary.report
        status = "ok" if report.conforms else "VIOLATES SHAPES"
        rate = index / max(time.perf_counter() - started, 1e-9)
        say(
            f"[{index}/{len(files)}] {path.name}: {summary.findings} findings, "
            f"{summary.mentions} mentions, {summary.triples} triples, {status}"
            + (f" ({len(report.warnings)} warnings)" if report.warnings else "")
            + f" · {rate:.1f} profiles/s"
        )
    return compiled


ProfileChunk = tuple[bytes, ProfileSummary]


def _compiled_profiles(
    files: list[Path], ref: Reference, settings: Settings, jobs: int
) -> Iterator[ProfileChunk]:
    """Each profile's canonical N-Quads and summary, in file order.

    With several jobs, worker processes (each holding its own copy of the
    reference) compile profiles in parallel; pySHACL is pure Python, so
    processes, not threads, are what use more than one core.
    """
    if jobs <= 1 or len(files) <= 1:
        for path in files:
            yield _compile_chunk(path, ref, settings.iris)
        return
    context = multiprocessing.get_context("spawn")  # a clean interpreter, no inherited state
    with ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=_init_worker, initargs=(settings,)
    ) as pool:
        yield from pool.map(_compile_in_worker, files, chunksize=4)


def _compile_chunk(path: Path, ref: Reference, iris: Iris) -> ProfileChunk:
    graph, summary = compile_profile(path, ref, iris=iris)
    chunk = canonical_nquads(graph_quads(graph, URIRef(summary.graph)))
    # The results graph is only needed for reports made here; it does not cross processes.
    light = replace(summary, report=replace(summary.report, results_graph=Graph()))
    return chunk, light


_worker_state: dict[str, Any] = {}


def _init_worker(settings: Settings) -> None:
    _worker_state["ref"] = load_reference(settings)
    _worker_state["iris"] = settings.iris


def _compile_in_worker(path: Path) -> ProfileChunk:
    return _compile_chunk(path, _worker_state["ref"], _worker_state["iris"])


def _write_graph(sink: BinaryIO, graph: Graph, name: URIRef) -> int:
    chunk = canonical_nquads(graph_quads(graph, name))
    sink.write(chunk)
    return chunk.count(b"\n")


def compile_profile(path: Path, ref: Reference, *, iris: Iris) -> tuple[Graph, ProfileSummary]:
    """One profile file -> its named graph, validated with the reference graph."""
    profile = read_profile(path)
    slug = profile_slug(profile)
    country = ref.places.country_of(place_slug_for(profile, ref.places))
    extraction = extract_mentions(
        profile, ref.gazetteer, country=country.slug if country is not None else None
    )
    publisher = ref.dataset.profile_publisher
    graph = build_profile_graph(
        profile,
        extraction,
        iris=iris,
        places=ref.places,
        publisher=iris.org(publisher) if publisher else None,
    )
    report = validate_graph(merge([graph, ref.graph]), ref.shapes, ontology=ref.ontology)
    summary = ProfileSummary(
        source=path.name,
        slug=slug,
        graph=str(iris.profile(slug)),
        findings=len(profile.findings),
        mentions=len(extraction.mentions),
        triples=len(graph),
        report=report,
    )
    return graph, summary


def validate_file(path: Path, settings: Settings) -> ValidationReport:
    """`kb validate`: a profile text is compiled first; an RDF file is read as it is.

    Either is validated together with the reference graph.
    """
    ref = load_reference(settings)
    if path.suffix.lower() == ".txt":
        return compile_profile(path, ref, iris=settings.iris)[1].report
    try:
        data = Graph().parse(path)
    except (OSError, SyntaxError, ValueError) as exc:
        raise ProfileParseError(f"cannot read RDF: {exc}", path=path) from exc
    return validate_graph(merge([data, ref.graph]), ref.shapes, ontology=ref.ontology)


def _phase_timer(progress: Progress | None) -> Progress:
    """Reports each finished phase with the seconds it took since the previous report."""
    if progress is None:
        return lambda _message: None
    report = progress
    last = time.perf_counter()

    def say(message: str) -> None:
        nonlocal last
        now = time.perf_counter()
        report(f"{message} ({now - last:.1f} s)")
        last = now

    return say


def build_knowledge_graph(
    settings: Settings, *, progress: Progress | None = None, jobs: int = 1
) -> BuildResult:
    """Compile and validate into a new build directory; publish it only if all conforms.

    Any failure (bad input, violated shapes, an error while writing) discards
    the new directory and leaves the published store untouched.
    """
    started = time.perf_counter()
    reference = load_reference(settings)  # bad reference data fails before any writing
    layout = StoreLayout(settings.store)
    with layout.writing():
        return _build_into(layout, settings, reference, progress, jobs, started)


def _build_into(
    layout: StoreLayout,
    settings: Settings,
    reference: Reference,
    progress: Progress | None,
    jobs: int,
    started: float,
) -> BuildResult:
    build_dir = layout.new_build_dir()
    try:
        dataset = build_dir / DATASET_FILE
        with dataset.open("wb") as sink:
            compiled = compile_dataset(
                settings, sink, reference=reference, progress=progress, jobs=jobs
            )
        if not compiled.conforms:
            layout.discard(build_dir)
            return BuildResult(compiled, None, compiled.quads, time.perf_counter() - started)
        say = _phase_timer(progress)
        count = write_store(build_dir / STORE_DIR, dataset)
        say(f"store: {count} quads bulk-loaded")
        # Aggregates analytic pages need, counted once here instead of per request.
        added = write_statistics(build_dir, settings.base_iri)
        count += added
        say(f"statistics graph: {added} quads")
        # Dumps, DCAT catalogue, statistics and link counts ship with the build they describe.
        write_publication(
            build_dir,
            settings=settings,
            info=reference.dataset,
            profiles=compiled.profiles,
            progress=say,
        )
        if settings.sparql_endpoint:  # an external store is loaded before anything is published
            load_build(settings, build_dir, progress=progress)
        layout.publish(build_dir)
    except BaseException:
        layout.discard(build_dir)
        raise
    return BuildResult(compiled, build_dir, count, time.perf_counter() - started)
