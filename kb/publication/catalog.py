"""What `kb build` publishes besides the store: dumps, their DCAT catalogue, counts.

Written into the new build directory before it is published, so a server
always finds the dumps, the catalogue and the statistics of the dataset it
serves, and none of a failed build's:

    {build}/dumps/mgi.{nq,trig,ttl,jsonld}.gz   the whole dataset
    {build}/dumps/profiles/{slug}.nq.gz         one named graph per profile
    {build}/dumps/SHA256SUMS                    for `sha256sum -c`
    {build}/catalog.ttl                         DCAT catalogue (+ VoID, PROV)
    {build}/statistics.json                     VoID counts (triples, classes, …)
    {build}/incoming.sqlite                     incoming-link counts (kb.publication.link_index)

The catalogue describes the dataset IRI (`{base}dataset`) that the
endpoint's VoID (`/.well-known/void`) describes too: the two join on it.
Dumps are gzip files with a zero timestamp, so the same data gives the same
bytes and the same checksums.
"""

from __future__ import annotations

import gzip
import hashlib
import tomllib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, cast

import pyoxigraph as ox

from kb.build.canonical import ExportFormat, write_export
from kb.namespaces import (
    ALL_PREFIXES,
    DCTERMS,
    FOAF,
    MGI,
    ONTOLOGY_IRI,
    PREFIXES,
    RDFS,
    SD,
    SPDX,
    XSD,
)
from kb.publication.counts import DatasetStatistics, count_in_store
from kb.publication.link_index import write_index
from kb.rdf import jsonld
from kb.settings import Settings
from kb.store.layout import (
    CATALOG_FILE,
    CHECKSUMS_FILE,
    DATASET_FILE,
    DUMPS_DIR,
    INDEX_FILE,
    STATISTICS_FILE,
    STORE_DIR,
)
from kb.store.oxigraph import OxigraphStore

if TYPE_CHECKING:  # the serving side imports this module and needs none of the build's
    from kb.build.institutions import DatasetInfo


DCAT = "http://www.w3.org/ns/dcat#"
VOID = "http://rdfs.org/ns/void#"
PROV = "http://www.w3.org/ns/prov#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
IANA = "https://www.iana.org/assignments/media-types/"
LANGUAGE_IRI = "http://id.loc.gov/vocabulary/iso639-1/"


@dataclass(frozen=True, slots=True)
class Dump:
    """One file under `dumps/`, as the catalogue lists it."""

    name: str
    """Path under dumps/, e.g. `mgi.nq.gz` or `profiles/bucaramanga-2022.nq.gz`."""
    media_type: str
    format_label: str
    sha256: str
    size: int
    graph: str | None = None
    """The named graph a per-profile dump holds."""


_WHOLE = (
    (ExportFormat.NQ, "application/n-quads", "N-Quads"),
    (ExportFormat.TRIG, "application/trig", "TriG"),
    (ExportFormat.TTL, "text/turtle", "Turtle"),
    (ExportFormat.JSONLD, "application/ld+json", "JSON-LD"),
)


class _WriteOnly:
    """A stream without `flush`: a writer's flushes would cut the gzip stream into
    sync-flushed blocks, larger and dependent on the writer's buffer size."""

    def __init__(self, out: BinaryIO) -> None:
        self.write = out.write

    def flush(self) -> None:
        pass


def _gzip_to(path: Path, write: Callable[[BinaryIO], object]) -> Dump:
    """Gzip what `write` writes (no name, zero mtime: same bytes for the same data); hash it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with (
        path.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as out,
    ):
        write(cast(BinaryIO, _WriteOnly(out)))
    digest = hashlib.sha256()
    with path.open("rb") as done:
        for block in iter(lambda: done.read(1 << 20), b""):
            digest.update(block)
    return Dump(path.name, "", "", digest.hexdigest(), path.stat().st_size)


def _graph_of(line: bytes) -> bytes:
    """The graph term of a canonical N-Quads line (b"" for the default graph).

    No IRI holds a space or a `"`, so after the object's closing quote (a
    literal's last `"`) or after three terms, a term before the final `.` is
    the graph; a literal's `@lang` or `^^<datatype>` is glued to its quote.
    """
    quote = line.rfind(b'"')
    tail = line[quote + 1 :].split() if quote >= 0 else line.split()[3:]
    if quote >= 0 and tail and tail[0][:1] in (b"@", b"^"):
        tail = tail[1:]
    return tail[0] if len(tail) == 2 else b""


def _graph_sections(dataset: Path) -> dict[str, list[tuple[int, int]]]:
    """Each graph's runs of lines as byte ranges, graphs in order of first appearance.

    The build writes every graph as one run; a graph in several runs still
    comes out whole. Keys are the graph's IRI (or blank node), "" for the default graph.
    """
    sections: dict[str, list[tuple[int, int]]] = {}
    current: bytes | None = None
    start = offset = 0
    with dataset.open("rb") as source:
        for line in source:
            graph = _graph_of(line)
            if graph != current and offset > start:
                sections.setdefault(_graph_name(current), []).append((start, offset))
                start = offset
            current = graph
            offset += len(line)
    if offset > start:
        sections.setdefault(_graph_name(current), []).append((start, offset))
    return sections


def _graph_name(term: bytes | None) -> str:
    return (term or b"").decode().removeprefix("<").removesuffix(">")


def _read_ranges(source: BinaryIO, ranges: list[tuple[int, int]]) -> bytes:
    chunks = []
    for start, end in ranges:
        source.seek(start)
        chunks.append(source.read(end - start))
    return b"".join(chunks)


def _graphs_in_iri_order(
    dataset: Path, sections: dict[str, list[tuple[int, int]]]
) -> Iterator[tuple[str | None, list[ox.Triple]]]:
    """Each graph's triples, one graph in memory at a time."""
    with dataset.open("rb") as source:
        for name in sorted(sections, key=lambda name: name or "DEFAULT"):
            data = _read_ranges(source, sections[name])
            quads = ox.parse(data, format=ox.RdfFormat.N_QUADS)
            yield name or None, [quad.triple for quad in quads]


def write_dumps(build_dir: Path, profile_graphs: dict[str, str]) -> list[Dump]:
    """The dumps of one build; `profile_graphs` maps each profile graph IRI to its slug.

    Every dump is streamed from `dataset.nq`: memory stays flat as the data grow.
    """
    dataset = build_dir / DATASET_FILE
    out = build_dir / DUMPS_DIR
    dumps: list[Dump] = []
    sections = _graph_sections(dataset)  # one pass over the file serves both uses below
    for fmt, media_type, label in _WHOLE:
        target = out / f"mgi.{fmt.value}.gz"
        if fmt is ExportFormat.JSONLD:  # compact, keeping the named graphs
            graphs = _graphs_in_iri_order(dataset, sections)
            written = _gzip_to(target, partial(jsonld.write_dataset_document, graphs))
        else:
            written = _gzip_to(target, partial(write_export, dataset, fmt))
        dumps.append(Dump(f"mgi.{fmt.value}.gz", media_type, label, written.sha256, written.size))
    with dataset.open("rb") as source:
        for graph, ranges in sections.items():
            slug = profile_graphs.get(graph)
            if slug is None:
                continue
            lines = _read_ranges(source, ranges)
            name = f"profiles/{slug}.nq.gz"
            written = _gzip_to(out / name, lambda out, data=lines: out.write(data))
            dumps.append(
                Dump(name, "application/n-quads", "N-Quads", written.sha256, written.size, graph)
            )
    sums = "".join(f"{d.sha256}  {d.name}\n" for d in dumps)
    (out / CHECKSUMS_FILE).write_text(sums, encoding="utf-8")
    return dumps


# The VoID counts, over the union default graph (the endpoint's own queries).
@dataclass(frozen=True, slots=True)
class SourceProfile:
    """A profile as the catalogue's provenance names it."""

    iri: str
    slug: str
    source: str
    """The profile text the graph was built from (file name)."""
    sha256: str | None = None
    title: str | None = None
    title_lang: str | None = None


class _Triples:
    """Collects catalogue triples with short helpers."""

    def __init__(self) -> None:
        self.items: list[ox.Triple] = []

    def add(self, s: str, p: str, o: str | ox.Literal) -> None:
        obj = o if isinstance(o, ox.Literal) else ox.NamedNode(o)
        self.items.append(ox.Triple(ox.NamedNode(s), ox.NamedNode(p), obj))

    def text(self, s: str, p: str, value: str, lang: str | None = None) -> None:
        self.add(s, p, ox.Literal(value, language=lang) if lang else ox.Literal(value))

    def typed(self, s: str, p: str, value: str, datatype: str) -> None:
        self.add(s, p, ox.Literal(value, datatype=ox.NamedNode(XSD + datatype)))


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def catalog_triples(
    *,
    base: str,
    info: DatasetInfo,
    dumps: list[Dump],
    profiles: list[SourceProfile],
    statistics: DatasetStatistics,
    version: str,
    modified: datetime,
    issued: str | None = None,
    languages: Iterable[str] = (),
    places: Iterable[str] = (),
) -> list[ox.Triple]:
    """The DCAT catalogue of one build, with its VoID and PROV statements."""
    t = _Triples()
    catalog = base + "catalog"
    dataset = base + "dataset"
    service = base + "sparql"
    agent = catalog + "#publisher"
    build = catalog + "#build"
    stamp = _timestamp(modified)
    day = issued or stamp[:10]

    t.add(agent, RDF_TYPE, FOAF + "Agent")
    t.add(agent, RDF_TYPE, PROV + "Agent")
    t.text(agent, FOAF + "name", info.creator)
    t.text(agent, RDFS + "label", info.creator)

    t.add(catalog, RDF_TYPE, DCAT + "Catalog")
    for lang, title in sorted(info.title.items()):
        t.text(catalog, DCTERMS + "title", f"{title}: catalogue", lang)
        t.text(dataset, DCTERMS + "title", title, lang)
        t.text(catalog, RDFS + "label", f"{title}: catalogue", lang)
        t.text(dataset, RDFS + "label", title, lang)
    for lang, text in sorted(info.description.items()):
        t.text(catalog, DCTERMS + "description", text, lang)
        t.text(dataset, DCTERMS + "description", text, lang)
    t.add(catalog, DCTERMS + "publisher", agent)
    t.add(catalog, DCTERMS + "license", info.license)
    t.add(catalog, FOAF + "homepage", base)
    t.add(catalog, DCAT + "dataset", dataset)
    t.add(catalog, DCAT + "service", service)
    t.typed(catalog, DCTERMS + "modified", stamp, "dateTime")

    t.add(dataset, RDF_TYPE, DCAT + "Dataset")
    t.add(dataset, RDF_TYPE, VOID + "Dataset")
    t.add(dataset, RDF_TYPE, PROV + "Entity")
    t.add(dataset, DCTERMS + "license", info.license)
    t.add(dataset, DCTERMS + "publisher", agent)
    t.add(dataset, DCTERMS + "creator", agent)
    t.typed(dataset, DCTERMS + "issued", day, "date")
    t.typed(dataset, DCTERMS + "modified", stamp, "dateTime")
    t.text(dataset, DCTERMS + "identifier", version)
    t.add(dataset, DCAT + "landingPage", base)
    if info.homepage:
        t.add(dataset, RDFS + "seeAlso", info.homepage)
    t.add(dataset, RDFS + "seeAlso", base + ".well-known/void")
    t.add(dataset, DCTERMS + "conformsTo", str(ONTOLOGY_IRI))
    for word in ("migration governance", "Migration Governance Indicators", "IOM", "linked data"):
        t.text(dataset, DCAT + "keyword", word, "en")
    for lang in sorted(set(languages)):
        t.add(dataset, DCTERMS + "language", LANGUAGE_IRI + lang)
    for place in sorted(set(places)):
        t.add(dataset, DCTERMS + "spatial", place)
    # VoID: where the data is, what it uses, how big it is.
    t.add(dataset, VOID + "sparqlEndpoint", service)
    t.text(dataset, VOID + "uriSpace", base + "id/")
    for prefix in ("mgi", "org", "schema", "skos", "dcterms", "prov"):
        t.add(dataset, VOID + "vocabulary", PREFIXES[prefix].rstrip("#"))
    t.typed(dataset, VOID + "triples", str(statistics.triples), "integer")
    for profile in profiles[:3]:
        t.add(dataset, VOID + "exampleResource", profile.iri)

    t.add(service, RDF_TYPE, DCAT + "DataService")
    t.add(service, RDF_TYPE, SD + "Service")
    t.text(service, DCTERMS + "title", "SPARQL 1.1 endpoint", "en")
    t.add(service, DCAT + "endpointURL", service)
    t.add(service, DCAT + "endpointDescription", service)
    t.add(service, DCAT + "servesDataset", dataset)
    t.add(service, DCTERMS + "license", info.license)

    for dump in dumps:
        _distribution(t, base, dataset, dump, info.license, stamp)

    # Each named graph is a subset; a profile's has its own dump.
    by_graph = {d.graph: d for d in dumps if d.graph}
    titles = {
        str(ONTOLOGY_IRI): "The MGI vocabulary (ontology)",
        base + "graph/reference": "Reference data: places and curated institutions",
        base + "graph/statistics": "Build-time aggregates (counts), derived; not in the dumps",
    }
    for graph, count in statistics.graphs:
        node = f"{catalog}#graph-{_local(base, graph)}"
        t.add(dataset, VOID + "subset", node)
        t.add(node, RDF_TYPE, VOID + "Dataset")
        t.add(node, SD + "name", graph)
        t.typed(node, VOID + "triples", str(count), "integer")
        profile = next((p for p in profiles if p.iri == graph), None)
        title = titles.get(graph) or (f"Graph of {profile.slug}" if profile else graph)
        t.text(node, DCTERMS + "title", title, "en")
        if graph in by_graph:
            t.add(node, DCAT + "distribution", _distribution_iri(base, by_graph[graph]))
        if profile:
            t.add(node, PROV + "wasDerivedFrom", profile.iri)

    # Provenance: the dataset comes from the profiles, through one build.
    t.add(dataset, PROV + "wasGeneratedBy", build)
    t.add(build, RDF_TYPE, PROV + "Activity")
    t.text(build, RDFS + "label", f"kb build {version}", "en")
    t.typed(build, PROV + "endedAtTime", stamp, "dateTime")
    t.add(build, PROV + "wasAssociatedWith", agent)
    t.add(build, PROV + "generated", dataset)
    for profile in profiles:
        t.add(dataset, PROV + "wasDerivedFrom", profile.iri)
        t.add(profile.iri, RDF_TYPE, PROV + "Entity")
        t.add(profile.iri, RDF_TYPE, str(MGI.Profile))
        if profile.title:
            t.text(profile.iri, DCTERMS + "title", profile.title, profile.title_lang)
            t.text(profile.iri, RDFS + "label", profile.title, profile.title_lang)
        text = f"{catalog}#source-{profile.slug}"
        t.add(build, PROV + "used", text)
        t.add(text, RDF_TYPE, PROV + "Entity")
        t.text(text, RDFS + "label", profile.source)
        t.text(text, DCTERMS + "title", profile.source)
        t.add(text, PROV + "alternateOf", profile.iri)
        if profile.sha256:
            _checksum(t, text, profile.sha256)
    return t.items


def _local(base: str, iri: str) -> str:
    name = iri[len(base) :] if iri.startswith(base) else iri.rpartition("/")[2]
    for prefix in ("graph/", "id/"):
        name = name.removeprefix(prefix)
    return name.replace("/", "-").replace("#", "-") or "default"


def _distribution_iri(base: str, dump: Dump) -> str:
    return f"{base}catalog#dump-{dump.name.removesuffix('.gz').replace('/', '-')}"


def _checksum(t: _Triples, subject: str, sha256: str) -> None:
    node = subject + "-sha256"
    t.add(subject, SPDX + "checksum", node)
    t.add(node, RDF_TYPE, SPDX + "Checksum")
    t.add(node, SPDX + "algorithm", SPDX + "checksumAlgorithm_sha256")
    t.typed(node, SPDX + "checksumValue", sha256, "hexBinary")


def _distribution(
    t: _Triples, base: str, dataset: str, dump: Dump, licence: str, stamp: str
) -> None:
    node = _distribution_iri(base, dump)
    url = f"{base}{DUMPS_DIR}/{dump.name}"
    whole = dump.graph is None
    t.add(dataset, DCAT + "distribution", node)
    if whole:
        t.add(dataset, VOID + "dataDump", url)
    t.add(node, RDF_TYPE, DCAT + "Distribution")
    what = "whole dataset" if whole else f"profile graph {dump.name.split('/')[-1][:-6]}"
    t.text(node, DCTERMS + "title", f"{dump.format_label} dump, {what} (gzip)", "en")
    t.text(node, RDFS + "label", f"{dump.format_label} dump, {what} (gzip)", "en")
    t.add(node, DCAT + "downloadURL", url)
    t.add(node, DCAT + "accessURL", url)
    t.add(node, DCAT + "mediaType", IANA + dump.media_type)
    t.add(node, DCAT + "compressFormat", IANA + "application/gzip")
    t.typed(node, DCAT + "byteSize", str(dump.size), "nonNegativeInteger")
    t.add(node, DCTERMS + "license", licence)
    t.typed(node, DCTERMS + "modified", stamp, "dateTime")
    _checksum(t, node, dump.sha256)


def write_catalog_file(path: Path, triples: list[ox.Triple]) -> None:
    ordered = sorted(set(triples), key=lambda x: (str(x.subject), str(x.predicate), str(x.object)))
    path.write_bytes(ox.serialize(ordered, format=ox.RdfFormat.TURTLE, prefixes=ALL_PREFIXES))


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _issued(reference: Path) -> str | None:
    # Optional `issued = "YYYY-MM-DD"` in dataset.toml: when the dataset was first published.
    try:
        raw = tomllib.loads((reference / "dataset.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return None
    value = raw.get("issued")
    return str(value) if value else None


_PROFILE_FACTS = """PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX mgi: <https://w3id.org/mgi/def#>
SELECT ?p ?title ?language ?place WHERE {
  ?p a mgi:Profile .
  OPTIONAL { ?p dcterms:title ?title }
  OPTIONAL { ?p dcterms:language ?language }
  OPTIONAL { ?p mgi:assessedPlace ?place }
}"""


def write_publication(
    build_dir: Path,
    *,
    settings: Settings,
    info: DatasetInfo,
    profiles: Iterable[Any],
    progress: Callable[[str], None] = lambda _message: None,
) -> list[Dump]:
    """Everything a build publishes next to its store (see the module docstring).

    `profiles` are the build's `ProfileSummary`s (slug, graph IRI, source file);
    `progress` hears of each step as it ends.
    """
    summaries = list(profiles)
    graphs = {p.graph: p.slug for p in summaries}
    dumps = write_dumps(build_dir, graphs)
    progress(f"dumps: {len(dumps)} files")
    store = OxigraphStore.open_read_only(build_dir / STORE_DIR)
    links = write_index(store, build_dir / INDEX_FILE, base=settings.base_iri)
    progress(f"incoming-link index: {links} resources")
    stats = count_in_store(store)
    progress(f"VoID counts: {stats.triples} distinct triples")
    stats.write(build_dir / STATISTICS_FILE)
    facts: dict[str, dict[str, Any]] = {}
    for row in store.select(_PROFILE_FACTS):
        entry = facts.setdefault(row["p"].value, {})
        for name in ("title", "language", "place"):
            if name in row:
                entry.setdefault(name, row[name])
    sources = []
    for summary in sorted(summaries, key=lambda p: p.slug):
        fact = facts.get(summary.graph, {})
        title = fact.get("title")
        sources.append(
            SourceProfile(
                iri=summary.graph,
                slug=summary.slug,
                source=summary.source,
                sha256=_sha256(settings.profiles / summary.source),
                title=title.value if title is not None else None,
                title_lang=(title.language or None) if title is not None else None,
            )
        )
    modified = datetime.fromtimestamp((build_dir / DATASET_FILE).stat().st_mtime, tz=UTC)
    triples = catalog_triples(
        base=settings.base_iri,
        info=info,
        dumps=dumps,
        profiles=sources,
        statistics=stats,
        version=build_dir.name,
        modified=modified,
        issued=_issued(settings.reference),
        languages=[f["language"].value for f in facts.values() if "language" in f],
        places=[f["place"].value for f in facts.values() if "place" in f],
    )
    write_catalog_file(build_dir / CATALOG_FILE, triples)
    del store
    return dumps
