"""What `kb build` publishes next to the store: dumps, checksums, the DCAT catalogue."""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import RDF, Namespace, URIRef

from kb.publication.catalog import write_dumps
from kb.store import OxigraphStore, StoreLayout
from kb.store.layout import CATALOG_FILE, INDEX_FILE, STATISTICS_FILE

if TYPE_CHECKING:
    from tests.support.servers import KnowledgeGraph

REPO = Path(__file__).resolve().parents[2]
BASE = "https://w3id.org/mgi/"
PROFILE = BASE + "id/profile/bucaramanga-2022"
MGI = "https://w3id.org/mgi/def#"
DCAT = Namespace("http://www.w3.org/ns/dcat#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
PROV = Namespace("http://www.w3.org/ns/prov#")
VOID = Namespace("http://rdfs.org/ns/void#")
DCT = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
WHOLE = {
    "mgi.nq.gz": "application/n-quads",
    "mgi.trig.gz": "application/trig",
    "mgi.ttl.gz": "text/turtle",
    "mgi.jsonld.gz": "application/ld+json",
}
RAPPER = {".nq": "nquads", ".trig": "trig", ".ttl": "turtle"}


@pytest.fixture(scope="module")
def build_dir(knowledge_graph: KnowledgeGraph) -> Path:
    return StoreLayout(knowledge_graph.root).current_build()


@pytest.fixture(scope="module")
def catalog(build_dir: Path) -> rdflib.Graph:
    return rdflib.Graph().parse(build_dir / CATALOG_FILE, format="turtle")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_dumps_and_their_checksums(build_dir: Path) -> None:
    dumps = build_dir / "dumps"
    for name in [*WHOLE, "profiles/bucaramanga-2022.nq.gz"]:
        assert (dumps / name).is_file(), name
    listed = dict(
        reversed(line.split("  ", 1)) for line in (dumps / "SHA256SUMS").read_text().splitlines()
    )
    assert set(listed) == {*WHOLE, "profiles/bucaramanga-2022.nq.gz"}
    for name, digest in listed.items():
        assert sha256(dumps / name) == digest


def test_the_nquads_dump_is_the_canonical_dataset(build_dir: Path) -> None:
    dataset = (build_dir / "dataset.nq").read_bytes()
    assert gzip.decompress((build_dir / "dumps" / "mgi.nq.gz").read_bytes()) == dataset
    profile = gzip.decompress((build_dir / "dumps/profiles/bucaramanga-2022.nq.gz").read_bytes())
    expected = b"".join(
        line
        for line in dataset.splitlines(keepends=True)
        if line.endswith(f"<{PROFILE}> .\n".encode())
    )
    assert profile == expected and profile


def test_every_dump_parses(build_dir: Path, tmp_path: Path) -> None:
    quads = len((build_dir / "dataset.nq").read_bytes().splitlines())
    jsonld = gzip.decompress((build_dir / "dumps" / "mgi.jsonld.gz").read_bytes())
    assert len(list(rdflib.Dataset().parse(data=jsonld, format="json-ld").quads())) == quads
    rapper = shutil.which("rapper")
    if rapper is None:
        pytest.skip("rapper (Debian raptor2-utils) is not installed; CI installs it")
    dumps = build_dir / "dumps"
    for path in [*dumps.glob("*.gz"), *dumps.glob("profiles/*.gz")]:
        suffix = Path(path.stem).suffix
        if suffix not in RAPPER:
            continue
        plain = tmp_path / path.stem
        plain.write_bytes(gzip.decompress(path.read_bytes()))
        done = subprocess.run(
            [rapper, "-q", "-i", RAPPER[suffix], "-c", str(plain), BASE],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, (path.name, done.stderr)
    done = subprocess.run(
        [rapper, "-q", "-i", "turtle", "-c", str(build_dir / CATALOG_FILE), BASE],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_same_data_same_dump_bytes(build_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "build"
    copy.mkdir()
    shutil.copyfile(build_dir / "dataset.nq", copy / "dataset.nq")
    again = write_dumps(copy, {PROFILE: "bucaramanga-2022"})
    for dump in again:
        assert dump.sha256 == sha256(build_dir / "dumps" / dump.name), dump.name


def test_catalogue_describes_dataset_distributions_licence_and_provenance(
    catalog: rdflib.Graph, build_dir: Path
) -> None:
    dataset = URIRef(BASE + "dataset")
    assert (URIRef(BASE + "catalog"), DCAT.dataset, dataset) in catalog
    assert (dataset, RDF.type, DCAT.Dataset) in catalog
    assert (dataset, RDF.type, VOID.Dataset) in catalog
    assert catalog.value(dataset, DCT.license) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )
    publisher = catalog.value(dataset, DCT.publisher)
    assert catalog.value(publisher, FOAF.name) is not None
    assert catalog.value(dataset, DCT.issued) is not None
    assert catalog.value(dataset, DCT.modified) is not None
    assert (dataset, VOID.sparqlEndpoint, URIRef(BASE + "sparql")) in catalog

    by_file = {}
    for dist in catalog.objects(dataset, DCAT.distribution):
        url = str(catalog.value(dist, DCAT.downloadURL))
        name = url.removeprefix(BASE + "dumps/")
        by_file[name] = dist
        path = build_dir / "dumps" / name
        checksum = catalog.value(dist, SPDX.checksum)
        assert catalog.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        assert str(catalog.value(checksum, SPDX.checksumValue)) == sha256(path)
        assert int(catalog.value(dist, DCAT.byteSize)) == path.stat().st_size
        assert str(catalog.value(dist, DCAT.compressFormat)).endswith("application/gzip")
    assert set(by_file) == {*WHOLE, "profiles/bucaramanga-2022.nq.gz"}
    for name, media in WHOLE.items():
        assert str(catalog.value(by_file[name], DCAT.mediaType)).endswith(media)
        assert (dataset, VOID.dataDump, URIRef(BASE + "dumps/" + name)) in catalog

    # The source profiles, as PROV: the dataset derives from them through one build.
    assert (dataset, PROV.wasDerivedFrom, URIRef(PROFILE)) in catalog
    build = catalog.value(dataset, PROV.wasGeneratedBy)
    source = catalog.value(build, PROV.used)
    assert (source, PROV.alternateOf, URIRef(PROFILE)) in catalog
    text = REPO / "data" / "profiles" / str(catalog.value(source, DCT.title))
    source_sum = catalog.value(catalog.value(source, SPDX.checksum), SPDX.checksumValue)
    assert str(source_sum) == sha256(text)


def test_statistics_and_link_counts(build_dir: Path) -> None:
    """VoID counts describe what the store serves; link counts leave derived aggregates out."""
    stats = json.loads((build_dir / STATISTICS_FILE).read_text())
    store = OxigraphStore.open_read_only(build_dir / "store")
    [row] = store.select("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }")
    assert stats["triples"] == int(row["n"].value)
    quads = list(ox.parse(path=str(build_dir / "dataset.nq"), format=ox.RdfFormat.N_QUADS))
    named = {q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)}
    assert named <= {g for g, _ in stats["graphs"]}
    org = BASE + "id/org/bucaramanga--municipal-government"
    mentions = {
        q.subject
        for q in quads
        if q.predicate.value == MGI + "mentions" and q.object == ox.NamedNode(org)
    }
    with sqlite3.connect(build_dir / INDEX_FILE) as db:
        counted = dict(db.execute("SELECT property, n FROM incoming WHERE object = ?", (org,)))
    assert counted[MGI + "mentions"] == len(mentions) > 0
    in_dataset = {q.predicate.value for q in quads if q.object == ox.NamedNode(org)}
    assert set(counted) == in_dataset  # nothing from the aggregates graph


# Awkward but valid N-Quads: default-graph triples whose object is an IRI or a typed
# literal, a graph written in two runs, line separators inside a literal.
AWKWARD = (
    "<http://x/s> <http://x/p> <http://x/o> .\n"
    '<http://x/s> <http://x/p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
    '<http://x/s> <http://x/p> "a\u2028b\u0085c \\"<q> .\\"" <http://x/g1> .\n'
    '<http://x/s> <http://x/p> "x"@es <http://x/g2> .\n'
    "<http://x/t> <http://x/p> <http://x/o> <http://x/g1> .\n"
)


def _quads(data: bytes, fmt: ox.RdfFormat) -> set[str]:
    return {str(q) for q in ox.parse(data, format=fmt)}


def test_streamed_dumps_keep_every_quad_of_awkward_input(tmp_path: Path) -> None:
    (tmp_path / "dataset.nq").write_text(AWKWARD, encoding="utf-8")
    write_dumps(tmp_path, {"http://x/g1": "one", "http://x/g2": "two"})
    dumps = tmp_path / "dumps"
    expected = _quads(AWKWARD.encode(), ox.RdfFormat.N_QUADS)
    jsonld = gzip.decompress((dumps / "mgi.jsonld.gz").read_bytes())
    as_read = rdflib.Dataset().parse(data=jsonld, format="json-ld")
    assert len(list(as_read.quads())) == len(expected)
    assert "a\u2028b\u0085c" in jsonld.decode()  # not indented inside the string
    trig = gzip.decompress((dumps / "mgi.trig.gz").read_bytes())
    assert _quads(trig, ox.RdfFormat.TRIG) == expected
    one = gzip.decompress((dumps / "profiles" / "one.nq.gz").read_bytes())
    assert _quads(one, ox.RdfFormat.N_QUADS) == {q for q in expected if "<http://x/g1>" in q}
    two = gzip.decompress((dumps / "profiles" / "two.nq.gz").read_bytes())
    assert len(_quads(two, ox.RdfFormat.N_QUADS)) == 1
    graphs = [entry.get("id") for entry in json.loads(jsonld)["@graph"]]
    assert graphs == [None, "http://x/g1", "http://x/g2"]  # one entry per graph
